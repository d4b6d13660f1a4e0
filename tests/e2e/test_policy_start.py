"""The machine policy through the real start (issue 18): a locked SERVER_URL in policy.toml
wins over the user's file and ``--server``; a bad policy value is named on stderr and in the
log, and the desk starts anyway. The real desk (``tests/fakes/signing_in_desk.py``, offscreen)
signs in to the real backend, which it could only reach through the policy's address."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.fakes.servers import LiveBackend

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
MARK_TIMEOUT_S = 60.0  # the whole start on a loaded 2-core machine, with margin


def test_a_locked_server_url_is_the_one_the_desk_signs_in_to(
    tmp_path: Path, live_backend: LiveBackend, dead_server_url: str
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        f'SERVER_URL = "{live_backend.url}"\nLANGUAGE = "klingon"\nLOCK = "server"\n',
        encoding="utf-8",
    )
    user = tmp_path / "user.toml"
    user.write_text(f'[server]\nurl = "{dead_server_url}"\n', encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "tests.fakes.signing_in_desk",
        "demo1234",
        "--offscreen",
        "--profile-dir",
        str(tmp_path / "profile"),
        "--config",
        str(user),
        "--machine-config",
        str(tmp_path / "machine.toml"),
        "--server",
        dead_server_url,
        "--user",
        "wangfang",
    ]
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "AGENT_WORKSTATION_STARTUP_PROBE": "1",
        "AGENT_WORKSTATION_POLICY": str(policy),
    }
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    marks: list[str] = []
    try:
        while "synced" not in marks:
            line = lines.get(timeout=MARK_TIMEOUT_S)  # waits for the next line, not a sleep
            if line.startswith("aw-startup "):
                marks.append(line.split()[1])
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert "synced" in marks  # signed in: only the policy's address reaches a server
    problem = f"machine policy: {policy}: LANGUAGE = 'klingon' ignored: must be one of"
    assert problem in stderr
    logs = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "profile").rglob("*.log"))
    assert problem in logs
