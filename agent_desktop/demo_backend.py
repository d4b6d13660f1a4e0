"""The demo backend: ``agent-server --seed demo`` in a child process on a free loopback port.

Used by ``agent-desktop --demo``. The child's database lives in a temporary folder removed when
the demo ends, so a demo never touches a real profile or server. Given the desk's SIP address,
the backend's demo caller rings it every so often while the demo agent is Ready.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sync.client import ApiClient, ApiError

log = logging.getLogger(__name__)

DEMO_USER = "wangfang"
DEMO_PASSWORD = "demo1234"  # the published demo password, seeded by server_stub.seed


class DemoBackendError(Exception):
    pass


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class DemoBackend:
    def __init__(
        self, calls_to: str = "", call_every_s: float = 45.0, call_talk_s: float | None = None
    ) -> None:
        """``calls_to``: the desk phone's SIP URI for demo calls (empty: no demo calls);
        ``call_talk_s``: how long a demo caller stays on (None: the server's default; the shift
        soak, ``bench/bench_shift.py``, keeps its calls short)."""
        self.calls_to = calls_to
        self.call_every_s = call_every_s
        self.call_talk_s = call_talk_s
        self._dir = Path(tempfile.mkdtemp(prefix="agent-demo-"))
        self.port = free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the child (returns at once; ``wait_ready`` waits for it to answer)."""
        command = [
            sys.executable,
            "-m",
            "server_stub",
            "--database",
            str(self._dir / "demo.sqlite"),
            "--seed",
            "demo",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
        ]
        if self.calls_to:
            command += [
                "--demo-calls-to",
                self.calls_to,
                "--demo-agent",
                DEMO_USER,
                "--demo-call-every",
                f"{self.call_every_s:g}",
            ]
            if self.call_talk_s is not None:
                command += ["--demo-call-talk", f"{self.call_talk_s:g}"]
        log.info("starting demo backend on %s", self.url)
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=(self._dir / "server.log").open("wb")
        )

    def wait_ready(self, timeout_s: float = 30.0) -> str:
        """Block (in a worker) until the backend answers /health; returns its URL."""
        deadline = time.monotonic() + timeout_s
        with ApiClient(self.url, timeout_s=1.0) as client:
            while time.monotonic() < deadline:
                if self._process is not None and self._process.poll() is not None:
                    raise DemoBackendError(
                        f"The demo backend exited with code {self._process.returncode}: "
                        f"{self._log_tail()}"
                    )
                try:
                    client.health()
                    return self.url
                except ApiError:
                    time.sleep(0.1)
        raise DemoBackendError(f"The demo backend did not answer within {timeout_s:g} s.")

    def _log_tail(self) -> str:
        try:
            return (self._dir / "server.log").read_text(errors="replace")[-500:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        self._process = None
        shutil.rmtree(self._dir, ignore_errors=True)
