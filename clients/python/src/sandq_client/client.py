"""Request-reply over Kafka with kafka-python: one producer, one reader of the results topic (its partitions
assigned, no consumer group), and a map from correlation id to the caller waiting for that reply."""

import json
import queue
import sys
import threading
import time
import uuid
from concurrent.futures import Future
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import MessageSizeTooLargeError

from .types import Job, Result

# The record size the topic catalogue gives sandq.jobs (max.message.bytes), plus room for the headers.
CATALOGUE_RECORD_BYTES = 16 << 20
RECORD_OVERHEAD = 1024

JobLike = Union[Job, Dict[str, Any], str]
Progress = Union[bool, Callable[[int, Optional[int], Dict[str, int]], None]]


class NoReplyError(Exception):
    """Jobs that got no result: jobs is a list of (job, reason) pairs."""

    def __init__(self, jobs: List[Tuple[Any, BaseException]]):
        self.jobs = jobs
        first = jobs[0]
        super().__init__(f"{len(jobs)} job(s) without a result; first: {_describe(first[0])}: {first[1]}")


class JobTooLargeError(Exception):
    """The job is larger than one record of the jobs topic may hold; it was not sent."""


class MissingTopicError(Exception):
    """The jobs or the results topic does not exist."""


def _describe(job: Any) -> str:
    if isinstance(job, Job):
        return job.id or repr(job.code[:40])
    if isinstance(job, dict):
        return str(job.get("id") or repr(str(job.get("code", ""))[:40]))
    return repr(str(job)[:40])


def _filtered(config: Dict[str, Any], allowed: Dict[str, Any]) -> Dict[str, Any]:
    """The settings the client class knows; Kafka's own names (security.protocol) read as kafka-python's."""
    named = {k.replace(".", "_"): v for k, v in config.items()}
    return {k: v for k, v in named.items() if k in allowed}


class Client:
    """A sandq client; thread-safe, meant to be made once. kafka_config is passed to kafka-python's producer and
    consumer (each takes the settings it knows): security_protocol, sasl_*, ssl_*, client_id, ...; a dict of
    Kafka's own property names works too: Client(bootstrap, **{"security.protocol": "SSL"})."""

    def __init__(self, bootstrap: str = "localhost:9092", jobs_topic: str = "sandq.jobs",
                 results_topic: str = "sandq.results", timeout: float = 300.0, **kafka_config: Any):
        self.jobs_topic = jobs_topic
        self.results_topic = results_topic
        self.timeout = timeout
        self._pending: Dict[str, Tuple[Future, float, float]] = {}  # future, deadline, timeout
        self._lock = threading.Lock()
        self._running = True
        consumer_config = dict(enable_auto_commit=False, group_id=None, consumer_timeout_ms=float("inf"),
                               max_partition_fetch_bytes=CATALOGUE_RECORD_BYTES + RECORD_OVERHEAD)
        if "isolation_level" in KafkaConsumer.DEFAULT_CONFIG:  # kafka-python >= 2.1: exactly-once workers' replies
            consumer_config["isolation_level"] = "read_committed"
        consumer_config.update(_filtered(kafka_config, KafkaConsumer.DEFAULT_CONFIG))
        self._consumer = KafkaConsumer(bootstrap_servers=bootstrap, **consumer_config)
        try:
            topics = self._consumer.topics()
            missing = sorted({jobs_topic, results_topic} - topics)
            if missing:
                raise MissingTopicError(f"topic(s) {', '.join(missing)} do not exist on {bootstrap}; "
                                        "create them with `sandq topics apply` (or start `sandq up`)")
            partitions = [TopicPartition(results_topic, p)
                          for p in sorted(self._consumer.partitions_for_topic(results_topic))]
            self._consumer.assign(partitions)
            self._consumer.seek_to_end(*partitions)
            for tp in partitions:
                self._consumer.position(tp)  # fix the positions before any job is sent
            producer_config = dict(acks="all", linger_ms=0, max_request_size=CATALOGUE_RECORD_BYTES + RECORD_OVERHEAD)
            producer_config.update(_filtered(kafka_config, KafkaProducer.DEFAULT_CONFIG))
            self._max_job_bytes = producer_config["max_request_size"] - RECORD_OVERHEAD
            self._producer = KafkaProducer(bootstrap_servers=bootstrap, **producer_config)
        except BaseException:
            self._consumer.close()
            raise
        self._reader = threading.Thread(target=self._read_replies, name="sandq-client-replies", daemon=True)
        self._reader.start()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- one job -----------------------------------------------------------------------------------------------

    def run(self, code: str, language: str = "python3", *, inputs: Optional[Dict[str, Any]] = None,
            timeout: Optional[float] = None, **fields: Any) -> Result:
        """Runs one job and returns its result. fields: the job's other fields (mode, stdin, limits, id, ...).
        Raises NoReplyError after timeout seconds (default: the client's)."""
        job = Job(code=code, language=language, inputs=inputs, **fields)
        future = self.submit(job, timeout=timeout)
        try:
            return future.result()
        except (TimeoutError, ConnectionError) as e:
            raise NoReplyError([(job, e)]) from e

    def submit(self, job: JobLike, timeout: Optional[float] = None) -> "Future[Result]":
        """Sends a job (a Job, a job document as a dict, or Python code); the future gets its Result, or fails
        with TimeoutError after timeout seconds (default: the client's) or JobTooLargeError."""
        doc = _document(job)
        body = json.dumps(doc, separators=(",", ":")).encode()
        future: Future = Future()
        if len(body) > self._max_job_bytes:
            future.set_exception(JobTooLargeError(
                f"the job is {len(body)} bytes, over the {self._max_job_bytes} bytes a record of "
                f"{self.jobs_topic} may hold here (max_request_size)"))
            return future
        correlation_id = uuid.uuid4().hex
        seconds = self.timeout if timeout is None else timeout
        with self._lock:
            if not self._running:
                raise RuntimeError("the client is closed")
            self._pending[correlation_id] = (future, time.monotonic() + seconds, seconds)
        headers = [("kafka_correlationId", correlation_id.encode()),
                   ("kafka_replyTopic", self.results_topic.encode())]
        try:
            sent = self._producer.send(self.jobs_topic, value=body, headers=headers)
            sent.add_errback(lambda e: self._fail(correlation_id, JobTooLargeError(
                f"the broker refused the job as too large for {self.jobs_topic} (its max.message.bytes): {e}")
                if isinstance(e, MessageSizeTooLargeError) else e))
        except MessageSizeTooLargeError as e:
            self._fail(correlation_id, JobTooLargeError(str(e)))
        except Exception as e:  # the producer refused it: the caller gets the reason
            self._fail(correlation_id, e)
        return future

    # -- many jobs ---------------------------------------------------------------------------------------------

    def run_many(self, jobs: Iterable[JobLike], window: int = 64, progress: Progress = False,
                 timeout: Optional[float] = None) -> Iterator[Result]:
        """Sends the jobs, at most window in flight, and yields each Result as it arrives (give jobs ids to match
        them). When every reply is in, raises NoReplyError naming the jobs that got none. progress: True shows
        done/total, jobs/s and counts by status on stderr; a callable is called as progress(done, total, counts)
        after each job."""
        if window < 1:
            raise ValueError(f"window must be at least 1, got {window}")
        total = len(jobs) if hasattr(jobs, "__len__") else None  # type: ignore[arg-type]
        show = _StderrProgress(total) if progress is True else None
        completed: "queue.Queue[Tuple[Any, Future]]" = queue.Queue()
        source = iter(jobs)
        in_flight = 0
        exhausted = False
        done = 0
        counts: Dict[str, int] = {}
        missing: List[Tuple[Any, BaseException]] = []
        try:
            while True:
                while not exhausted and in_flight < window:
                    try:
                        job = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    self.submit(job, timeout=timeout).add_done_callback(
                        lambda f, job=job: completed.put((job, f)))
                    in_flight += 1
                if in_flight == 0:
                    break
                job, future = completed.get()
                in_flight -= 1
                done += 1
                error = future.exception()
                if error is None:
                    result = future.result()
                    counts[result.status] = counts.get(result.status, 0) + 1
                else:
                    missing.append((job, error))
                    counts["no reply"] = counts.get("no reply", 0) + 1
                if show:
                    show.update(done, counts)
                elif callable(progress):
                    progress(done, total, dict(counts))
                if error is None:
                    yield result
        finally:
            if show:
                show.finish(done, counts)
        if missing:
            raise NoReplyError(missing)

    # -- plumbing ----------------------------------------------------------------------------------------------

    def _fail(self, correlation_id: str, error: BaseException) -> None:
        with self._lock:
            waiter = self._pending.pop(correlation_id, None)
        if waiter and not waiter[0].done():
            waiter[0].set_exception(error)

    def _read_replies(self) -> None:
        while self._running:
            try:
                batches = self._consumer.poll(timeout_ms=200)
            except Exception as e:  # the reader stops: every caller waiting is told why
                self._stop_waiting(ConnectionError(f"the client's reply reader stopped: {e}"))
                return
            for records in batches.values():
                for record in records:
                    if record.key is None:
                        continue
                    with self._lock:
                        waiter = self._pending.pop(record.key.decode("utf-8", "replace"), None)
                    if waiter:
                        try:
                            waiter[0].set_result(Result.from_dict(json.loads(record.value)))
                        except (ValueError, KeyError) as e:
                            waiter[0].set_exception(ValueError(f"not a sandq result: {e}"))
            now = time.monotonic()
            with self._lock:
                expired = [(c, w) for c, w in self._pending.items() if w[1] <= now]
                for c, _ in expired:
                    del self._pending[c]
            for _, (future, _, seconds) in expired:
                future.set_exception(TimeoutError(f"no reply within {seconds:g} s"))

    def _stop_waiting(self, error: BaseException) -> None:
        with self._lock:
            waiting = list(self._pending.values())
            self._pending.clear()
        for future, _, _ in waiting:
            if not future.done():
                future.set_exception(error)

    def close(self) -> None:
        """Stops reading replies (jobs still waiting fail), flushes and closes the producer."""
        with self._lock:
            self._running = False
        self._reader.join(timeout=10)
        self._stop_waiting(ConnectionError("the client is closed"))
        self._producer.close(timeout=5)
        self._consumer.close()


def _document(job: JobLike) -> Dict[str, Any]:
    if isinstance(job, Job):
        return job.to_dict()
    if isinstance(job, dict):
        return job
    if isinstance(job, str):
        return Job(code=job).to_dict()
    raise TypeError(f"a job is a Job, a dict or Python code, got {type(job).__name__}")


class _StderrProgress:
    """done/total, jobs/s, counts by status: rewritten in place on a terminal, else a line every 5 s."""

    def __init__(self, total: Optional[int]):
        self.total = total
        self.start = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def line(self, done: int, counts: Dict[str, int]) -> str:
        rate = done / max(time.monotonic() - self.start, 1e-3)
        of = f"/{self.total}" if self.total is not None else ""
        statuses = "  ".join(f"{s} {n}" for s, n in sorted(counts.items()))
        return f"{done}{of}  {rate:.1f} jobs/s  {statuses}"

    def update(self, done: int, counts: Dict[str, int]) -> None:
        now = time.monotonic()
        if now - self.last < (0.25 if self.tty else 5.0):
            return
        self.last = now
        if self.tty:
            sys.stderr.write("\r" + self.line(done, counts) + "\x1b[K")
        else:
            sys.stderr.write("sandq: " + self.line(done, counts) + "\n")
        sys.stderr.flush()

    def finish(self, done: int, counts: Dict[str, int]) -> None:
        sys.stderr.write(("\r" if self.tty else "sandq: ") + self.line(done, counts) + ("\x1b[K\n" if self.tty else "\n"))
        sys.stderr.flush()
