from __future__ import annotations

import logging

import pytest

from agent_desktop.logs import SecretScrubber, scrub


@pytest.mark.parametrize(
    "line",
    [
        "GET /me headers={'Authorization': 'Bearer abcDEF123-_.xyz'}",
        'body {"username": "wangfang", "password": "demo1234"}',
        "token=abcDEF123xyz expired",
    ],
)
def test_secrets_never_reach_a_log_line(line: str) -> None:
    cleaned = scrub(line)
    assert "abcDEF123" not in cleaned
    assert "demo1234" not in cleaned
    assert "<hidden>" in cleaned


def test_scrubber_filter_rewrites_records() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "auth %s", ("Bearer s3cr3t",), None)
    SecretScrubber().filter(record)
    assert "s3cr3t" not in record.getMessage()
