"""Our headless pjsua2 peer (``softphone.caller``) in its own process, for SIP tests."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def peer(*args: str) -> subprocess.Popen[str]:
    """A peer that rings a target, or listens (``--listen``); its stdout says what happened."""
    return subprocess.Popen(
        [sys.executable, "-m", "softphone.caller", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def listening_peer(*args: str) -> tuple[subprocess.Popen[str], str]:
    """A peer that answers calls; returns it and the address it listens on. Kill it after."""
    process = peer("--listen", *args)
    assert process.stdout is not None
    line = ""
    for _ in range(50):  # pjlib says a few words on stdout before its log goes to ours
        line = process.stdout.readline()
        if line.startswith("LISTENING ") or not line:
            break
    if not line.startswith("LISTENING "):
        process.kill()
        raise AssertionError(f"the peer did not start listening: {line!r}")
    return process, line.split()[1]


def read_lines(process: subprocess.Popen[str]) -> tuple[list[str], threading.Thread]:
    """What the peer says on stdout, as it says it (a list filled by a thread, which ends
    when the peer does): tests wait for a line instead of for a while."""
    lines: list[str] = []
    assert process.stdout is not None
    stdout = process.stdout

    def pump() -> None:
        for line in stdout:
            lines.append(line.rstrip("\n"))

    thread = threading.Thread(target=pump, name="peer-stdout", daemon=True)
    thread.start()
    return lines, thread
