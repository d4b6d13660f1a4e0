"""The desk's two-step start as a user meets it: the sign-in dialog first, the desk behind it.

The real desk (``python -m agent_desktop`` through ``tests/fakes/signing_in_desk.py``,
offscreen) against the real backend: the dialog paints, the user signs in, the desk is built
while the server answers, the main window paints, the first sync ends, and SIGTERM (a logout)
ends it cleanly. The order comes from the desk's own marks (``agent_desktop/startup.py``).
"""

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


def test_sign_in_dialog_first_then_the_desk(tmp_path: Path, live_backend: LiveBackend) -> None:
    config = tmp_path / "user.toml"
    config.touch()
    command = [
        sys.executable,
        "-m",
        "tests.fakes.signing_in_desk",
        "demo1234",
        "--offscreen",
        "--profile-dir",
        str(tmp_path / "profile"),
        "--config",
        str(config),
        "--machine-config",
        str(tmp_path / "machine.toml"),
        "--server",
        live_backend.url,
        "--user",
        "wangfang",
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "AGENT_WORKSTATION_STARTUP_PROBE": "1"}
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
    assert marks == ["login-painted", "submitted", "desk-built", "window-painted", "synced"]
