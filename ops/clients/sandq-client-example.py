"""Run jobs with sandq's Python client (clients/python). Usage: KAFKA=host:9092 python3 sandq-client-example.py"""
import os

from sandq_client import Client, Job

with Client(os.environ.get("KAFKA", "localhost:9092"), timeout=120) as sandq:
    print(sandq.run("print(6*7)").stdout, end="")  # 42
    print(sandq.run("def main(a, b):\n    return {'sum': a + b}", mode="function", inputs={"a": 1, "b": 2}).result)

    jobs = [Job(f"print({i} * {i})", id=f"square-{i}") for i in range(10)]
    for result in sandq.run_many(jobs, window=4, progress=True):  # as they come; progress on stderr
        print(result.id, result.stdout.strip(), result.status)
