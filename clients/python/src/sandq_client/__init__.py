"""Run Python 3 and Node.js jobs on sandq workers through Kafka."""

from .client import Client, JobTooLargeError, MissingTopicError, NoReplyError
from .types import Job, Limits, Result, Usage

__all__ = ["Client", "Job", "Limits", "Result", "Usage", "NoReplyError", "JobTooLargeError", "MissingTopicError"]
