"""Building the packages (``make``), and the frozen desk as a user starts it from a package
(the .deb's ``/usr/bin/agent-desktop``, the AppImage): a process under a private Xvfb, its
start-up marks read from stdout, the sign-in dialog typed into by xdotool, a screenshot.

Shared by tests/e2e/test_deb_package.py and tests/e2e/test_appimage.py.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from tests.fakes.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo1234"  # the seeded agent wangfang
# -o: the shared venv is installed by `make test`; a test never reinstalls it.
MAKE = ("make", "-o", ".venv/.installed-stamp")

SCREENSHOT = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(["shot", "-platform", "xcb"])
sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)
"""


def make(*targets: str) -> None:
    """``make TARGETS`` at the root: each rebuilds only what its inputs changed."""
    subprocess.run([*MAKE, *targets], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


class Desk:
    """``command --server URL --user wangfang`` with the start-up marks on stdout."""

    def __init__(
        self, env: dict[str, str], home: Path, server_url: str, command: Sequence[str]
    ) -> None:
        self.marks: queue.Queue[str] = queue.Queue()
        self.seen: set[str] = set()
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [*command, "--server", server_url, "--user", "wangfang"],
            cwd=home,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            if line.startswith("aw-startup "):
                self.marks.put(line.split()[1])

    def has(self, mark: str) -> bool:
        while not self.marks.empty():
            self.seen.add(self.marks.get_nowait())
        if self.process.poll() is not None and mark not in self.seen:
            raise AssertionError(f"the desk exited ({self.process.returncode}): {self.tail()}")
        return mark in self.seen

    def tail(self) -> str:
        return "\n".join(self.lines[-30:])

    def wait_for(self, mark: str, timeout_s: float = 90) -> None:
        wait_until(
            lambda: self.has(mark), timeout_s, lambda: f"{mark!r}; desk said:\n{self.tail()}"
        )

    def sign_in(self, env: dict[str, str]) -> None:
        """Type the password into the painted sign-in dialog, as an agent does."""
        self.wait_for("login-painted")
        window = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(self.process.pid)],
            capture_output=True, text=True, env=env, timeout=60, check=True,
        ).stdout.split()[0]  # fmt: skip
        for command in (
            ["xdotool", "windowfocus", "--sync", window],
            ["xdotool", "type", "--delay", "30", PASSWORD],
            ["xdotool", "key", "Return"],
        ):
            subprocess.run(command, env=env, timeout=60, check=True)
        self.wait_for("desk-built")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def desk_env(display: str, bus: str, home: Path, machine_config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "PYTHON"))}
    return {
        **env,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "DBUS_SESSION_BUS_ADDRESS": bus,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "AGENT_WORKSTATION_STARTUP_PROBE": "1",
        "AGENT_WORKSTATION_MACHINE_CONFIG": str(machine_config),
    }


def desk_log(home: Path) -> Path:
    return home / ".local" / "state" / "agent-workstation" / "logs" / "agent-desktop.log"


def wait_for_phone_engine(home: Path) -> None:
    """The phone engine runs from the bundle too (``agent-desktop -m softphone.engine``)."""
    log = desk_log(home)
    wait_until(
        lambda: log.exists() and "phone engine" in log.read_text() and "listening on"
        in log.read_text(), 60, "the phone engine listening (desk log)",
    )  # fmt: skip


def screenshot(env: dict[str, str], path: Path) -> None:
    subprocess.run([sys.executable, "-c", SCREENSHOT, str(path)], env=env, timeout=60, check=True)
    assert path.stat().st_size > 0
