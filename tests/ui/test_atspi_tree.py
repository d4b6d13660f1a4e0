"""The desk as a screen reader reads it (issue 19): over AT-SPI, from another process.

The real desk runs in a process of its own on a private Xvfb, signed in to the live backend
over HTTP, inside a private D-Bus session with the AT-SPI bus (``at-spi2-core`` from Debian);
``tests/data/atspi_walk.py``, run by the system Python with Debian's ``python3-pyatspi`` (the
library Orca uses), finds the desk in the AT-SPI registry and walks its tree. No interactive
control may be without a name: the agent's desk with a caller popped, and the lead's with the
wallboard. ``tests/ui/test_accessible_names.py`` asks the same of the widget tree in-process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.servers import LiveBackend
from tests.fakes.xvfb import private_display

pytestmark = pytest.mark.slow  # processes: Xvfb, D-Bus, the AT-SPI bus, the desk

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"
WALKER = ROOT / "tests" / "data" / "atspi_walk.py"


def _missing() -> str:
    for tool in ("Xvfb", "dbus-run-session"):
        if shutil.which(tool) is None:
            return tool
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        return "at-spi2-core"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False
    )
    return "python3-pyatspi" if probe.returncode else ""


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A private Xvfb; its display name."""
    missing = _missing()
    if missing:
        pytest.fail(f"{missing} is missing: run 'make system-deps-test'")
    with private_display("1920x1080x24") as name:
        yield name


def read_tree(display: str, backend: LiveBackend, user: str, tmp_path: Path) -> dict[str, object]:
    ready = tmp_path / f"{user}.ready"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "DBUS_"))}
    env.update(DISPLAY=display, PYTHONPATH=str(ROOT), NO_AT_BRIDGE="0")
    desk = [sys.executable, "-m", "tests.fakes.a11y_desk", backend.url, user, str(ready)]
    done = subprocess.run(
        ["dbus-run-session", "--", SYSTEM_PYTHON, str(WALKER),
         "--app", "Agent Workstation", "--ready", str(ready), "--", *desk],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the walker said nothing (exit {done.returncode}):\n{done.stderr[-3000:]}"
    tree: dict[str, object] = json.loads(lines[-1])
    assert "error" not in tree, f"{tree['error']}\n{done.stderr[-3000:]}"
    return tree


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(tmp_path / "server.sqlite")
    yield server
    server.stop()


@pytest.mark.parametrize("user", ["wangfang", "zhangwei"], ids=["agent", "lead"])
def test_a_screen_reader_finds_a_name_for_every_control(
    display: str, backend: LiveBackend, user: str, tmp_path: Path
) -> None:
    tree = read_tree(display, backend, user, tmp_path)
    assert not tree["truncated"]
    assert int(str(tree["controls"])) > 40, f"the walk reached the desk's panels: {tree}"
    assert tree["unnamed"] == [], json.dumps(tree["unnamed"], ensure_ascii=False, indent=1)
