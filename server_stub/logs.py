"""The server's log lines: text for a terminal, or one JSON object a line (``--log-format json``)
for a log shipper (journald, Loki, Elasticsearch) — time, level, logger, message, the request's
id while one is served, and the exception's traceback when there is one.

Whatever the format, secrets are taken out of every line: bearer tokens, ``password=`` /
``"password": …`` values and a password inside a database URL (``scheme://user:secret@host``).
The server never logs them on purpose; this is the net under a library that might (an
exception carrying the URL, a debug line with headers).
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Set by the metrics middleware for the request being served (server_stub.metrics).
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

_SECRETS = (
    (re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1<hidden>"),
    (
        re.compile(
            r"(?i)([\"']?(?:password|passwd|token|secret)[\"']?\s*[:=]\s*[\"']?)[^\s\"',&}]+"
        ),
        r"\1<hidden>",
    ),
    (re.compile(r"(://[^:/@\s]+:)[^@\s]+@"), r"\1<hidden>@"),
)


def scrub(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    """One JSON object a line; the time in UTC, ISO 8601 with milliseconds."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            # The record's own stamp (taken by logging), not a clock read here.
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        current = request_id.get()
        if current is not None:
            entry["request_id"] = current
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """Ours, so that configuring again replaces it and nothing else."""


def configure(level: str, log_format: str) -> None:
    """The root logger (uvicorn's loggers propagate to it: see ``uvicorn_log_config``). Like
    ``logging.basicConfig``, nothing is done when someone else configured it first (a test
    runner's capture calling ``main`` in its process)."""
    root = logging.getLogger()
    if any(not isinstance(handler, _Handler) for handler in root.handlers):
        return
    for old in list(root.handlers):
        root.removeHandler(old)
    handler = _Handler()
    handler.setFormatter(formatter(log_format))
    root.addHandler(handler)
    root.setLevel(level.upper())


def uvicorn_log_config() -> dict[str, object]:
    """uvicorn's loggers without handlers of their own: their lines (the access log too) go
    through the root logger's handler, in the chosen format."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": True},
        },
    }
