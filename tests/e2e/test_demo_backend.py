"""The demo backend child process that ``make demo`` and ``--demo`` rely on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from agent_desktop.demo_backend import DEMO_PASSWORD, DEMO_USER, DemoBackend
from sync.client import ApiClient, NetworkError
from tests.fakes.waiting import wait_until

pytestmark = pytest.mark.slow


def test_demo_backend_starts_seeds_and_stops() -> None:
    backend = DemoBackend()
    backend.start()
    try:
        url = backend.wait_ready(timeout_s=30)
        with ApiClient(url) as client:
            grant = client.login(DEMO_USER, DEMO_PASSWORD)
        assert grant.user.display_name == "王芳"
        assert grant.user.team is not None
    finally:
        backend.stop()
    with ApiClient(url, timeout_s=1) as client, pytest.raises(NetworkError):
        client.health()


def test_demo_app_signs_in_and_quits_cleanly_on_sigterm(tmp_path: Path) -> None:
    """What ``make demo`` runs: the app starts its backend, signs in, and on SIGTERM saves its
    layout, stops the backend and exits 0."""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    profile = tmp_path / "profile"
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agent_desktop",
            "--demo",
            "--offscreen",
            "--profile-dir",
            str(profile),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    log = profile / "demo" / "logs" / "agent-desktop.log"
    try:

        def signed_in() -> bool:
            assert app.poll() is None, "the app exited before signing in"
            return "Signed in to" in (log.read_text("utf-8") if log.exists() else "")

        wait_until(signed_in, 60, "the demo to sign in", interval_s=0.05)
        children = Path(f"/proc/{app.pid}/task/{app.pid}/children").read_text().split()
        assert children, "no demo backend process"
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=20) == 0
    finally:
        if app.poll() is None:
            app.kill()
    for pid in children:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        ), "the demo backend outlived the app"
    assert (profile / "demo" / "layout.ini").read_text().count("window") >= 1
