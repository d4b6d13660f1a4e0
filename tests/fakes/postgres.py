"""A throw-away PostgreSQL server from Debian's package, on a loopback port, for the tests."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg


class PostgresUnavailableError(RuntimeError):
    pass


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise PostgresUnavailableError(
            "PostgreSQL is not installed (Debian package 'postgresql'; 'make test' installs it)"
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresServer:
    """initdb + pg_ctl in a temporary folder; durability off, since tests need speed only."""

    def __init__(self) -> None:
        self._bin = _bindir()
        self._root = Path(tempfile.mkdtemp(prefix="aw-pg-"))
        self._data = self._root / "data"
        self.port = _free_port()
        # PostgreSQL refuses to run as root: run it as the 'postgres' system user then.
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            self._as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self._root, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self._data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self._root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self._data),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "-l",
            str(self._root / "server.log"),
            "start",
        )

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self._as_user, str(self._bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def create_database(self, name: str, template: str = "") -> str:
        """A fresh database, empty or a copy of ``template`` (a database nobody is connected
        to); returns its SQLAlchemy URL."""
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            # FORCE: a test that failed may have left a backend's connections behind.
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            copy = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{copy}')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def seal_template(self, name: str) -> None:
        """No connection to ``name`` from now on (autovacuum's included, but for wraparound),
        so a ``create_database(..., template=name)`` never finds it in use."""
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')

    def postmaster_pid(self) -> int:
        """The server's main process (its children are the backends), for CPU accounting."""
        return int((self._data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self._data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self._root, ignore_errors=True)
