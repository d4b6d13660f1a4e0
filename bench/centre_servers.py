"""The servers a centre load test runs against: ``agent-server`` processes (each with its
workers) on SQLite or on one PostgreSQL, optionally behind HAProxy with the shipped config."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from tests.fakes.haproxy import Haproxy
from tests.fakes.postgres import PostgresServer

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes] | None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server ended ({process.returncode}) before serving")
        try:
            if requests.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer its health check in {seconds:.0f} s")


class Centre:
    """Seed, then start ``instances`` servers with ``workers`` each; ``urls`` are what the
    desks reach (the balancer's one, or every instance's for client-side round robin)."""

    def __init__(
        self,
        backend: str,
        desks: int,
        *,
        workers: int = 1,
        instances: int = 1,
        balancer: str = "haproxy",
    ) -> None:
        self._tmp = Path(tempfile.mkdtemp(prefix="aw-centre-"))
        self._processes: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []
        self._haproxy: Haproxy | None = None
        self.postgres: PostgresServer | None = None
        if backend == "sqlite":
            self.database_url = f"sqlite:///{self._tmp / 'centre.sqlite'}"
            where = ["--database", str(self._tmp / "centre.sqlite")]
        else:
            self.postgres = PostgresServer()
            self.database_url = self.postgres.create_database("centre")
            where = ["--database-url", self.database_url]
        server = [sys.executable, "-m", "server_stub", *where, "--log-level", "warning"]
        subprocess.run(
            [*server, "--seed", "centre", "--agents", str(desks), "--seed-only"],
            check=True,
            cwd=ROOT,
        )
        self.instance_urls: list[str] = []
        for _ in range(instances):
            port = free_port()
            # The servers' own logs (a refusal's traceback) go to a file, not over the table.
            self.logs.append(self._tmp / f"instance-{len(self.logs) + 1}.log")
            with self.logs[-1].open("wb") as log:
                process = subprocess.Popen(
                    [*server, "--port", str(port), "--workers", str(workers)],
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                )
            self._processes.append(process)
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, process)
            self.instance_urls.append(url)
        self.balancer = "none"
        self.urls = list(self.instance_urls)
        if instances > 1 and balancer == "haproxy":
            self._haproxy = Haproxy([u.removeprefix("http://") for u in self.instance_urls])
            self.urls = [self._haproxy.url]
            self.balancer = "haproxy"
        elif instances > 1:
            self.balancer = "client round robin"

    def stop_servers(self) -> None:
        if self._haproxy is not None:
            self._haproxy.stop()
        for process in reversed(self._processes):
            if process.poll() is None:
                process.terminate()
        for process in self._processes:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._processes.clear()

    def log_lines(self, pattern: str) -> int:
        """How many lines of the servers' logs contain ``pattern`` (e.g. "Traceback")."""
        return sum(
            line.count(pattern)
            for path in self.logs
            for line in path.read_text(errors="replace").splitlines()
        )

    def close(self) -> None:
        self.stop_servers()
        if self.postgres is not None:
            self.postgres.stop()
        shutil.rmtree(self._tmp, ignore_errors=True)
