"""``make demo`` rings by itself: the real app in --demo mode goes Ready after sign-in, the demo
backend's caller rings the desk's phone from a seeded customer's number, and the screen pop
finds that customer."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.waiting import wait_until

pytestmark = pytest.mark.slow


def test_the_demo_desk_goes_ready_and_a_demo_customer_rings_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    profile = tmp_path / "profile"
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agent_desktop",
            "--demo",
            "--offscreen",
            "--lang",
            "en",
            "--demo-call-every",
            "2",
            "--profile-dir",
            str(profile),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    log = profile / "demo" / "logs" / "agent-desktop.log"
    popped = re.compile(r"screen pop: call \d+: customer (C-\d+)")
    text = ""
    try:

        def screen_popped() -> bool:
            nonlocal text
            assert app.poll() is None, "the app exited before a demo call came"
            text = log.read_text("utf-8") if log.exists() else ""
            return popped.search(text) is not None

        wait_until(screen_popped, 60, lambda: f"a screen pop:\n{text[-2000:]}", interval_s=0.05)
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=20) == 0
    finally:
        if app.poll() is None:
            app.kill()
    match = popped.search(text)
    assert match is not None
    assert match.group(1) == "C-100001"  # the rotation's first caller: 陈建国, ext. 2301
    assert "Demo: you are Ready" in text
    assert text.index("Signed in to") < text.index("Demo: you are Ready") < match.start()
