"""``agent-server`` run as IT runs it: settings from AGENT_SERVER_* and a TOML file, JSON log
lines on stderr (one object a line, with the request's id), and no secret in any of them."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from server_stub.seed import DEMO_PASSWORD
from tests.fakes.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_json_logs_parse_and_carry_no_secret(tmp_path: Path) -> None:
    port = _free_port()
    config = tmp_path / "server.toml"
    config.write_text('log_level = "info"\nlog_format = "text"\n', encoding="utf-8")
    environ = {
        "PATH": "/usr/bin:/bin",
        "AGENT_SERVER_CONFIG": str(config),
        "AGENT_SERVER_DATABASE": str(tmp_path / "centre.sqlite"),
        "AGENT_SERVER_PORT": str(port),
        "AGENT_SERVER_LOG_FORMAT": "json",  # the variable over the file's "text"
    }
    log = tmp_path / "server.log"
    with log.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "server_stub", "--seed", "demo"],
            cwd=ROOT,
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            text=True,
        )
    base = f"http://127.0.0.1:{port}"
    secrets = ["wrong-Pass-77", "hunter2-in-a-query", DEMO_PASSWORD]
    try:

        def ready() -> bool:
            assert server.poll() is None, log.read_text()
            try:
                return requests.get(f"{base}/health/ready", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_until(ready, 60, "the server to be ready")
        refused = requests.post(
            f"{base}/api/v1/auth/login",
            json={"username": "alice", "password": "wrong-Pass-77"},
            timeout=10,
        )
        assert refused.status_code == 401
        signed_in = requests.post(
            f"{base}/api/v1/auth/login",
            json={"username": "alice", "password": DEMO_PASSWORD},
            timeout=10,
        )
        token = signed_in.json()["token"]
        secrets.append(token)
        bearer = {"Authorization": f"Bearer {token}"}
        assert requests.get(f"{base}/api/v1/me", headers=bearer, timeout=10).status_code == 200
        requests.get(  # a secret where an access log would print it: the query
            f"{base}/api/v1/customers",
            params={"password": "hunter2-in-a-query", "token": token},
            headers=bearer,
            timeout=10,
        )
        assert requests.get(f"{base}/metrics", timeout=10).status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert entries
    for entry in entries:
        assert {"time", "level", "logger", "message"} <= entry.keys()
    access = [e for e in entries if e["logger"] == "uvicorn.access"]
    assert any("/api/v1/me" in e["message"] for e in access)
    assert all(e.get("request_id") for e in access)
    assert len({e["request_id"] for e in access}) == len(access)
    assert any("signed in: alice" in e["message"] and e.get("request_id") for e in entries)
    text = log.read_text(encoding="utf-8")
    for secret in secrets:
        assert secret not in text
    assert "password=<hidden>" in text
