"""Server settings, from the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

DEFAULT_PORT = 8640


@dataclass(frozen=True, slots=True)
class ServerSettings:
    database_url: str
    token_lifetime: timedelta = timedelta(hours=12)
    # Refuse bodies larger than this before parsing them (a pasted log file, a hostile client).
    max_body_bytes: int = 1_000_000
    complaint_limit: timedelta = timedelta(hours=24)
    category_limits: dict[str, timedelta] = field(default_factory=dict)
    sla_interval_s: float = 30.0
    event_poll_s: float = 0.25

    @staticmethod
    def sqlite_file(path: Path) -> str:
        return f"sqlite:///{path.resolve()}"
