"""HAProxy from Debian's package with the shipped config (``deploy/haproxy``), on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import requests

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "haproxy" / "agent-server.cfg"


class HaproxyUnavailableError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def environment(listen: str, instances: list[str]) -> dict[str, str]:
    """The variables the shipped config reads (each ``host:port``)."""
    if len(instances) != 2:
        raise ValueError("the shipped HAProxy config balances two instances")
    return {
        **os.environ,
        "AW_LISTEN": listen,
        "AW_INSTANCE_1": instances[0],
        "AW_INSTANCE_2": instances[1],
    }


class Haproxy:
    """``haproxy -db -f deploy/haproxy/agent-server.cfg`` in front of two instances; ``url``
    once both instances pass its health check (its own, on the health route)."""

    def __init__(self, instances: list[str], ready_s: float = 30.0) -> None:
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not Path(binary).exists():
            raise HaproxyUnavailableError("HAProxy is not installed (Debian package 'haproxy')")
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self._process = subprocess.Popen(
            [binary, "-db", "-f", str(CONFIG)],
            env=environment(f"127.0.0.1:{port}", instances),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        served: set[str] = set()
        deadline = time.monotonic() + ready_s
        # Both instances up in HAProxy's eyes: answers from each (leastconn alternates them).
        while len(served) < len(instances) and time.monotonic() < deadline:
            if self._process.poll() is not None:
                _out, err = self._process.communicate()
                raise RuntimeError(f"haproxy ended: {err.decode(errors='replace')}")
            try:
                answer = requests.get(f"{self.url}/api/v1/health", timeout=2)
                if answer.status_code == 200:
                    served.add(answer.headers.get("X-AW-Instance", ""))
            except requests.RequestException:
                pass
            time.sleep(0.1)
        if len(served) < len(instances):
            self.stop()
            raise RuntimeError(f"haproxy did not reach both instances in {ready_s:.0f} s")

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process.stderr is not None:
            self._process.stderr.close()
