"""A registrar named by DNS, and a resolver that never answers: the desk's GUI thread never
stalls over 50 ms, and the registration reports the failure.

The desk runs in a child started under ``unshare -m`` (a private mount namespace) whose
``/etc/resolv.conf`` is a bind mount naming a loopback stub that reads every query and drops
it. Nothing leaves loopback.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
GAP_LIMIT_MS = 50


class DroppingResolver:
    """A UDP "name server" on a loopback address that answers nothing (counts queries)."""

    def __init__(self) -> None:
        self.address = f"127.{random.randint(60, 250)}.{random.randint(1, 250)}.53"
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((self.address, 53))
        self.sock.settimeout(0.2)
        self.queries = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                self.sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            self.queries += 1

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=2)
        self.sock.close()


def test_a_silent_resolver_never_freezes_the_desk_and_registration_fails(tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.fail("unshare (util-linux) is missing")
    resolver = DroppingResolver()
    resolv_conf = tmp_path / "resolv.conf"
    # One search domain: the case that took 20 s per lookup on the GUI thread.
    resolv_conf.write_text(f"nameserver {resolver.address}\nsearch corp.example.test\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    script = (
        f"mount --bind {resolv_conf} /etc/resolv.conf && exec {sys.executable} -m "
        "tests.fakes.dns_desk sip:pbx.example.test 90"
    )
    try:
        result = subprocess.run(
            ["unshare", "-m", "sh", "-c", script],
            capture_output=True, text=True, timeout=150, cwd=ROOT, env=env, check=False,
        )  # fmt: skip
    finally:
        resolver.close()
    line = next((x for x in result.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, result.stdout[-2000:] + result.stderr[-3000:]
    facts = json.loads(line.removeprefix("RESULT "))
    print(f"\nDNS {facts} queries {resolver.queries}")  # noqa: T201 - the figures (pytest -s)
    assert resolver.queries > 0  # the lookups did go to the silent stub
    assert facts["registration"][-1].startswith("failed"), facts
    assert facts["dialled"][:1] == ["dialing"]  # dial() returned at once, DIALING
    assert facts["restarts"] == 0  # the engine was never taken for hung
    assert facts["longest_gap_ms"] < GAP_LIMIT_MS, facts
