"""Server settings, from the command line (and later a file)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

DEFAULT_PORT = 8640


@dataclass(frozen=True, slots=True)
class ServerSettings:
    database_url: str
    token_lifetime: timedelta = timedelta(hours=12)
    # Refuse bodies larger than this before parsing them (a pasted log file, a hostile client).
    max_body_bytes: int = 1_000_000

    @staticmethod
    def sqlite_file(path: Path) -> str:
        return f"sqlite:///{path.resolve()}"
