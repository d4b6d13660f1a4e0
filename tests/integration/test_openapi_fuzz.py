"""A property-based run of our OpenAPI document (schemathesis: coverage, fuzzing and stateful
phases, about 3,100 cases per user) against a live server: generated requests, valid and
invalid, must never get a 5xx or an answer that breaks the schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.fakes.servers import LiveBackend

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("user", ["admin", "wangfang"])
def test_generated_requests_never_break_the_server(tmp_path: Path, user: str) -> None:
    backend = LiveBackend(tmp_path / "fuzz.sqlite")
    try:
        token = requests.post(
            f"{backend.url}/api/v1/auth/login",
            json={"username": user, "password": "demo1234"},
            timeout=10,
        ).json()["token"]
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "run",
                f"{backend.url}/openapi.json",
                "-H",
                f"Authorization: Bearer {token}",
                "--checks",
                "not_a_server_error,response_schema_conformance",
                "--max-examples",
                "6",
                "--seed",
                "20261123",
                "--no-color",
                # One worker: with two, hypothesis parses lambdas' source on two threads and
                # CPython 3.11.7's ast module can fail with "AST constructor recursion depth
                # mismatch" (seen in CI). One worker measured as fast here (29 s per user).
                "--workers",
                "1",
                # Signing out would end the run's own session.
                "--exclude-path",
                "/api/v1/auth/logout",
                # A stream held open until its timeout; test_api_feed.py covers it.
                "--exclude-path",
                "/api/v1/events",
            ],
            capture_output=True,
            text=True,
            timeout=110,
            check=False,
        )
    finally:
        backend.stop()
    summary = result.stdout[-4000:]
    assert result.returncode == 0, summary
    assert "passed" in summary
