"""Jobs and results as the JSON Schemas in schemas/ describe them (snake_case, as on the wire)."""

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Dict, Optional, Union

LANGUAGES = ("python3", "nodejs")
MODES = ("script", "function", "template")


@dataclass(frozen=True)
class Limits:
    """Requested limits; each optional (None: the worker's default), each clamped to the worker's ceiling."""

    wall_time_ms: Optional[int] = None
    cpu_time_ms: Optional[int] = None
    memory_mb: Optional[int] = None
    max_output_bytes: Optional[int] = None
    max_processes: Optional[int] = None
    max_file_bytes: Optional[int] = None

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"{f.name} must be an integer of at least 1, got {value!r}")

    def to_dict(self) -> Dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


@dataclass(frozen=True)
class Job:
    """One job. Only code is required; language defaults to python3. extra: top-level fields sent as they are
    (a newer worker's, such as files)."""

    code: str
    language: str = "python3"
    mode: Optional[str] = None
    inputs: Optional[Dict[str, Any]] = None
    preload: Optional[str] = None
    stdin: Optional[str] = None
    enable_network: Optional[bool] = None
    limits: Optional[Union[Limits, Dict[str, int]]] = None
    id: Optional[str] = None
    deadline: Optional[Union[str, int, datetime]] = None
    extra: Dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {self.language!r}")
        if self.mode is not None and self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {self.mode!r}")
        if self.id is not None and not 1 <= len(self.id) <= 256:
            raise ValueError(f"id must be 1 to 256 characters, got {len(self.id)}")

    def to_dict(self) -> Dict[str, Any]:
        doc: Dict[str, Any] = {"language": self.language, "code": self.code}
        for name in ("id", "mode", "inputs", "preload", "stdin", "enable_network"):
            if getattr(self, name) is not None:
                doc[name] = getattr(self, name)
        if self.limits is not None:
            doc["limits"] = self.limits.to_dict() if isinstance(self.limits, Limits) else dict(self.limits)
        if self.deadline is not None:
            doc["deadline"] = self.deadline.isoformat() if isinstance(self.deadline, datetime) else self.deadline
        doc.update(self.extra)
        return doc


@dataclass(frozen=True)
class Usage:
    wall_time_ms: int
    cpu_time_ms: int
    max_rss_kb: int


def _time(text: Optional[str]) -> Optional[datetime]:
    if text is None:
        return None
    # fromisoformat before Python 3.11 does not read a trailing Z
    return datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)


@dataclass(frozen=True)
class Result:
    """The answer to one job. status: ok, error, timeout, memory_limit, output_limit, syscall_denied, killed,
    rejected, expired or internal_error. extra: fields this client does not know (a newer worker's)."""

    id: Optional[str]
    correlation_id: Optional[str]
    status: str
    exit_code: Optional[int]
    signal: Optional[int]
    stdout: str
    stderr: str
    stdout_truncated: bool
    stderr_truncated: bool
    result: Any
    error: Optional[str]
    usage: Usage
    worker: str
    attempt: int
    started_at: Optional[datetime]
    finished_at: Optional[datetime]
    extra: Dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @classmethod
    def from_dict(cls, doc: Dict[str, Any]) -> "Result":
        known = {f.name for f in fields(cls)} - {"extra"}
        usage = doc.get("usage") or {}
        return cls(
            id=doc.get("id"),
            correlation_id=doc.get("correlation_id"),
            status=doc["status"],
            exit_code=doc.get("exit_code"),
            signal=doc.get("signal"),
            stdout=doc.get("stdout", ""),
            stderr=doc.get("stderr", ""),
            stdout_truncated=bool(doc.get("stdout_truncated", False)),
            stderr_truncated=bool(doc.get("stderr_truncated", False)),
            result=doc.get("result"),
            error=doc.get("error"),
            usage=Usage(usage.get("wall_time_ms", 0), usage.get("cpu_time_ms", 0), usage.get("max_rss_kb", 0)),
            worker=doc.get("worker", ""),
            attempt=doc.get("attempt", 1),
            started_at=_time(doc.get("started_at")),
            finished_at=_time(doc.get("finished_at")),
            extra={k: v for k, v in doc.items() if k not in known},
        )
