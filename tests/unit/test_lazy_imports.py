"""The sign-in dialog shows fast because it loads little: what it must not load stays out.

A fresh interpreter (a test process has everything imported already) builds the real
``Workstation`` up to its sign-in dialog, painted, and lists its modules; then builds the desk
as a sign-in does and lists them again. ``bench/bench_startup.py`` measures what this buys.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a process of its own

ROOT = Path(__file__).resolve().parents[2]

# Not before the sign-in dialog: the desk's data layer, the phone, Qt Multimedia and Network,
# the main window and its panels, the wallboard's charts, the KB segmenter.
NOT_AT_SIGN_IN = (
    "pyqtgraph",
    "numpy",
    "pjsua2",
    "rjieba",
    "sqlalchemy",
    "pydantic",
    "requests",
    "phonenumbers",
    "PySide6.QtMultimedia",
    "PySide6.QtNetwork",
    "sync.client",
    "sync.cache",
    "sync.engine",
    "softphone",
    "agent_desktop.ui.main_window",
    "agent_desktop.services.sync_service",
    "agent_desktop.demo_backend",
    "agent_desktop.tour",
)
# Not on an agent's desk at all: the lead's board (charts) and the KB segmenter, which loads
# on a worker once the cache is open; the Reports window (charts) until it is opened, and
# openpyxl until a report is exported.
NOT_FOR_AN_AGENT = (
    "pyqtgraph",
    "numpy",
    "rjieba",
    "openpyxl",
    "agent_desktop.ui.panels.wallboard_panel",
    "agent_desktop.ui.reports",
)

SCRIPT = """
import json, sys, tempfile
from pathlib import Path
from PySide6.QtWidgets import QApplication
from agent_desktop.app import LaunchOptions, Workstation
from agent_desktop.config import Settings
from agent_desktop.credentials import NoCredentialStore
from agent_desktop.startup import on_first_paint

qapp = QApplication([])
options = LaunchOptions(profile_dir=Path(tempfile.mkdtemp()), headless=True)
ws = Workstation(qapp, Settings(), options, credentials=NoCredentialStore("a test"))
painted = []
dialog = ws.show_login()
on_first_paint(dialog, lambda: painted.append(True))
while not painted:
    qapp.processEvents()
at_sign_in = sorted(sys.modules)
ws.build_desk()
desk = sorted(sys.modules)
ws.shutdown()
print(json.dumps({"sign_in": at_sign_in, "desk": desk}))
"""


def loaded() -> dict[str, list[str]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lists: dict[str, list[str]] = json.loads(result.stdout.strip().splitlines()[-1])
    return lists


def under(modules: list[str], names: tuple[str, ...]) -> list[str]:
    """The modules that are one of ``names`` or inside one."""
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


def test_the_sign_in_dialog_loads_only_what_it_shows() -> None:
    modules = loaded()
    assert under(modules["sign_in"], NOT_AT_SIGN_IN) == []
    # The desk is what a sign-in builds: the check above is not vacuous.
    assert "agent_desktop.ui.main_window" in modules["desk"]
    assert "sqlalchemy" in modules["desk"]
    assert under(modules["desk"], NOT_FOR_AN_AGENT) == []
    # pjsua2 lives in the phone engine's process only: nothing of it in the desk's.
    assert under(modules["desk"], ("pjsua2", "softphone._pj", "softphone.phone")) == []
    assert "softphone.proxy" in modules["desk"]
