"""Submit one job with kafka-python and print its result. Usage: KAFKA=host:9092 python3 submit-kafka-python.py"""
import json
import os
import uuid

from kafka import KafkaConsumer, KafkaProducer

bootstrap = os.environ.get("KAFKA", "localhost:9092")
correlation_id = uuid.uuid4().hex.encode()

# Read replies from the end of sandq.results *before* sending, so ours cannot be missed.
consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=60000)
partitions = [__import__("kafka").TopicPartition("sandq.results", p)
              for p in consumer.partitions_for_topic("sandq.results")]
consumer.assign(partitions)
consumer.seek_to_end()
for tp in partitions:
    consumer.position(tp)  # resolve the end offsets now

producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
# An input file in; what the program leaves in $SANDQ_OUTPUT_DIR comes back in the result's "files".
code = 'import os\nn = open("n.txt").read()\nprint(n)\nopen(os.environ["SANDQ_OUTPUT_DIR"] + "/answer.txt", "w").write(n)'
job = {"language": "python3", "code": code, "files": [{"path": "n.txt", "content": "42"}],
       "limits": {"wall_time_ms": 5000}}
producer.send("sandq.jobs", json.dumps(job).encode(),
              headers=[("kafka_correlationId", correlation_id), ("kafka_replyTopic", b"sandq.results")])
producer.flush()

for record in consumer:  # stops after consumer_timeout_ms without records
    if record.key == correlation_id:
        print(record.value.decode())
        break
else:
    raise SystemExit("no result for " + correlation_id.decode())
consumer.close()
producer.close()
