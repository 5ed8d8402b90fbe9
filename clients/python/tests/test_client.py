"""The Python client against a running broker and worker: SANDQ_BOOTSTRAP=host:port (PythonClientTest sets it to
the in-process broker of the Java tests, with a real worker and the default topic names)."""

import io
import os
import sys
import unittest
from contextlib import redirect_stderr
from datetime import datetime

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from sandq_client import Client, Job, JobTooLargeError, Limits, MissingTopicError, NoReplyError, Result  # noqa: E402

BOOTSTRAP = os.environ.get("SANDQ_BOOTSTRAP")


class TypesTest(unittest.TestCase):
    def test_a_job_document_leaves_out_what_is_not_set(self):
        self.assertEqual({"language": "python3", "code": "print(1)"}, Job("print(1)").to_dict())
        doc = Job("0;", language="nodejs", id="j", limits=Limits(wall_time_ms=2000), extra={"files": []}).to_dict()
        self.assertEqual({"language": "nodejs", "code": "0;", "id": "j", "limits": {"wall_time_ms": 2000},
                          "files": []}, doc)

    def test_a_bad_language_or_limit_is_refused_naming_it(self):
        with self.assertRaisesRegex(ValueError, "cobol"):
            Job("x", language="cobol")
        with self.assertRaisesRegex(ValueError, "memory_mb"):
            Limits(memory_mb=0)

    def test_a_result_is_typed_and_keeps_fields_it_does_not_know(self):
        r = Result.from_dict({"id": "a", "correlation_id": "c", "status": "ok", "exit_code": 0, "signal": None,
                              "stdout": "2\n", "stderr": "", "stdout_truncated": False, "stderr_truncated": False,
                              "result": None, "error": None,
                              "usage": {"wall_time_ms": 21, "cpu_time_ms": 15, "max_rss_kb": 9120},
                              "worker": "w", "attempt": 1, "started_at": "2026-01-01T10:00:00.000Z",
                              "finished_at": "2026-01-01T10:00:00.021Z", "files": [{"path": "out.csv"}]})
        self.assertTrue(r.ok)
        self.assertEqual(15, r.usage.cpu_time_ms)
        self.assertEqual(21000, (r.finished_at - r.started_at).microseconds)
        self.assertEqual({"files": [{"path": "out.csv"}]}, r.extra)


class ThroughWorkerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BOOTSTRAP:
            raise RuntimeError("set SANDQ_BOOTSTRAP=host:port of a broker with a sandq worker (e.g. `sandq up`)")
        cls.client = Client(BOOTSTRAP, timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def test_run_returns_the_typed_result(self):
        r = self.client.run("print(6*7)")
        self.assertEqual("ok", r.status, r)
        self.assertEqual("42\n", r.stdout)
        self.assertEqual(0, r.exit_code)
        self.assertIsInstance(r.started_at, datetime)
        self.assertIsInstance(r.usage.wall_time_ms, int)  # 0 is possible: a warm interpreter's job is quick
        self.assertEqual(1, r.attempt)
        self.assertTrue(r.worker)

    def test_function_mode_gives_main_s_value_and_nodejs_runs(self):
        r = self.client.run("def main(a, b):\n    return {'sum': a + b}", mode="function", inputs={"a": 1, "b": 2})
        self.assertEqual({"sum": 3}, r.result, r)
        self.assertEqual("7\n", self.client.run("console.log(3 + 4)", language="nodejs").stdout)

    def test_an_error_is_a_status_not_an_exception(self):
        r = self.client.run("raise SystemExit(3)", id="fails")
        self.assertEqual(("error", 3, "fails"), (r.status, r.exit_code, r.id))

    def test_run_many_yields_every_result_and_reports_progress(self):
        jobs = [Job(f"print({i} * {i})", id=f"sq-{i}") for i in range(12)]
        seen = []
        results = list(self.client.run_many(jobs, window=4,
                                            progress=lambda done, total, counts: seen.append((done, total))))
        self.assertEqual({f"sq-{i}": f"{i * i}\n" for i in range(12)}, {r.id: r.stdout for r in results})
        self.assertEqual([(n, 12) for n in range(1, 13)], seen)

    def test_run_many_progress_true_writes_to_stderr(self):
        err = io.StringIO()
        with redirect_stderr(err):
            results = list(self.client.run_many(["print(1)", {"language": "nodejs", "code": "console.log(2)"}],
                                                progress=True))
        self.assertEqual(2, len(results))
        self.assertIn("2/2", err.getvalue())
        self.assertIn("ok 2", err.getvalue())

    def test_a_job_without_a_reply_in_time_is_named_after_the_others(self):
        jobs = [Job("import time; time.sleep(5)", id="slow"), Job("print('quick')", id="quick")]
        got = []
        with self.assertRaises(NoReplyError) as raised:
            for r in self.client.run_many(jobs, timeout=1.5):
                got.append(r.id)
        self.assertEqual(["quick"], got)
        self.assertEqual(["slow"], [j.id for j, _ in raised.exception.jobs])
        self.assertIsInstance(raised.exception.jobs[0][1], TimeoutError)

    def test_a_job_too_large_is_refused_before_sending(self):
        with Client(BOOTSTRAP, **{"max.request.size": 50_000}) as small:  # Kafka's name for max_request_size
            with self.assertRaises(JobTooLargeError):
                small.submit(Job("x" * 100_000)).result(timeout=10)

    def test_a_job_the_broker_finds_too_large_for_the_topic_is_a_job_too_large_error(self):
        from kafka.admin import KafkaAdminClient, NewTopic
        from kafka.errors import TopicAlreadyExistsError
        admin = KafkaAdminClient(bootstrap_servers=BOOTSTRAP)
        try:
            admin.create_topics([NewTopic("py-small.jobs", 1, 1, topic_configs={"max.message.bytes": "60000"}),
                                 NewTopic("py-small.results", 1, 1)])
        except TopicAlreadyExistsError:
            pass
        finally:
            admin.close()
        with Client(BOOTSTRAP, jobs_topic="py-small.jobs", results_topic="py-small.results") as client:
            with self.assertRaisesRegex(JobTooLargeError, "py-small.jobs"):
                client.submit(Job("x = '" + "x" * 100_000 + "'")).result(timeout=60)

    def test_a_missing_topic_is_named(self):
        with self.assertRaisesRegex(MissingTopicError, "no.such.results"):
            Client(BOOTSTRAP, results_topic="no.such.results")


if __name__ == "__main__":
    unittest.main()
