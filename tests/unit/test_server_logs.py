"""The server's log lines: JSON objects that parse, carry the request id, and no secret."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from server_stub.logs import JsonFormatter, TextFormatter, request_id, scrub


def _record(message: str, *args: object, exc: bool = False) -> logging.LogRecord:
    info = None
    if exc:
        try:
            raise RuntimeError("connect to postgresql+psycopg://svc:pg-Secret-1@db/centre failed")
        except RuntimeError:
            info = sys.exc_info()
    return logging.LogRecord("server_stub.x", logging.WARNING, __file__, 1, message, args, info)


@pytest.mark.parametrize(
    "line",
    [
        "Authorization: Bearer abcDEF123-_.xyz",
        '127.0.0.1:5 - "GET /api/v1/customers?password=abcDEF123&page=2 HTTP/1.1" 200',
        '{"username": "wangfang", "password": "abcDEF123"}',
        "token=abcDEF123 expired",
        "engine postgresql+psycopg://agent:abcDEF123@db.example/centre",
    ],
)
def test_secrets_never_reach_a_line(line: str) -> None:
    cleaned = scrub(line)
    assert "abcDEF123" not in cleaned
    assert "<hidden>" in cleaned


def test_a_json_line_parses_and_names_its_request() -> None:
    token = request_id.set("1f-42")
    try:
        line = JsonFormatter().format(_record("signed in: %s with %s", "alice", "Bearer tok-9"))
    finally:
        request_id.reset(token)
    entry = json.loads(line)
    assert entry["level"] == "warning"
    assert entry["logger"] == "server_stub.x"
    assert entry["message"] == "signed in: alice with Bearer <hidden>"
    assert entry["request_id"] == "1f-42"
    assert entry["time"].endswith("+00:00")
    assert "\n" not in line


def test_an_exception_is_kept_and_scrubbed() -> None:
    entry = json.loads(JsonFormatter().format(_record("failed", exc=True)))
    assert "RuntimeError" in entry["exception"]
    assert "pg-Secret-1" not in entry["exception"]
    assert "request_id" not in entry  # none outside a request
    text = TextFormatter().format(_record("failed", exc=True))
    assert "pg-Secret-1" not in text
