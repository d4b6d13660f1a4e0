"""The desk's two-step start as a user meets it: the sign-in dialog first, the desk behind it.

The real desk (``python -m agent_desktop`` through ``tests/fakes/signing_in_desk.py``,
offscreen) against the real backend: the dialog paints, the user signs in, the desk is built
while the server answers, the main window paints, the first sync ends, and SIGTERM (a logout)
ends it cleanly. The order comes from the desk's own marks (``agent_desktop/startup.py``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.fakes import signing_in_desk
from tests.fakes.servers import LiveBackend

pytestmark = pytest.mark.slow

MARK_TIMEOUT_S = 60.0  # the whole start on a loaded 2-core machine, with margin


def test_sign_in_dialog_first_then_the_desk(tmp_path: Path, live_backend: LiveBackend) -> None:
    process = subprocess.Popen(
        signing_in_desk.command(tmp_path, live_backend.url),
        cwd=signing_in_desk.ROOT,
        env=signing_in_desk.environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        marks = signing_in_desk.marks_until(process, "synced", MARK_TIMEOUT_S)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert marks == ["login-painted", "submitted", "desk-built", "window-painted", "synced"]
