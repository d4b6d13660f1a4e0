"""The previous release's source tree, for tests that run two releases side by side."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

import requests

from tests.fakes.ports import free_port
from tests.fakes.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
# The last release before the contract was versioned, migrations and outbox operations
# (tag release-2026-12-01); every clone of main has it in its history.
PREVIOUS = "8ec4242"


def unpack_previous_release(target: Path) -> Path:
    """``PREVIOUS`` unpacked into ``target`` by git archive (no worktree left behind)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", PREVIOUS],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


@contextmanager
def previous_server(release: Path, database: Path) -> Iterator[str]:
    """The previous release's server (demo seed) on a free loopback port; yields its URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "server_stub", "--host", "127.0.0.1", "--port", str(port),
         "--database", str(database), "--seed", "demo"],
        cwd=release,
        env=dict(os.environ, PYTHONPATH=str(release)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if server.poll() is not None:
            raise AssertionError("the previous server exited")
        try:
            return requests.get(f"{url}/api/v1/health", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    try:
        wait_until(answers, 60, "the previous release's server to answer")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
