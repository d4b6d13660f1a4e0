"""The previous release's source tree, for tests that run two releases side by side."""

from __future__ import annotations

import subprocess
import tarfile
from io import BytesIO
from pathlib import Path

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
