"""Fixtures of the packaging tests: the frozen bundle, built once per session and shared by
the .deb and the AppImage tests, and a private X server."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.frozen_desk import ROOT, make


@pytest.fixture(scope="session")
def frozen_bundle() -> Path:
    """dist/agent-desktop (PyInstaller onedir), built at most once per session (1-3.5 min on
    two busy cores), and not at all when the desk's sources, resources, translations and
    spec are older than it (make's rule). The packages' own rules then only package it."""
    make("bundle")
    return ROOT / "dist" / "agent-desktop"


@pytest.fixture
def display(tmp_path: Path) -> Iterator[str]:
    """A private Xvfb; its display name."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not say its display"
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)
