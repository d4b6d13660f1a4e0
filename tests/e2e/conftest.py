"""Fixtures of the packaging tests: the frozen bundle, built once per session and shared by
the .deb and the AppImage tests, and a private X server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.frozen_desk import ROOT, make
from tests.fakes.xvfb import private_display


@pytest.fixture(scope="session")
def frozen_bundle() -> Path:
    """dist/agent-desktop (PyInstaller onedir), built at most once per session (1-3.5 min on
    two busy cores), and not at all when the desk's sources, resources, translations and
    spec are older than it (make's rule). The packages' own rules then only package it."""
    make("bundle")
    return ROOT / "dist" / "agent-desktop"


@pytest.fixture
def display() -> Iterator[str]:
    """A private Xvfb; its display name."""
    with private_display() as name:
        yield name
