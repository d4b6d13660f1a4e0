"""The real desk, signing in as a user would: ``python -m tests.fakes.signing_in_desk PASSWORD
[agent-desktop options]``.

``agent_desktop.__main__.main`` runs unchanged; once the sign-in dialog has painted, the
password is typed, "remember" unticked and the dialog submitted. With
``AGENT_WORKSTATION_STARTUP_PROBE=1`` the desk prints its marks (``agent_desktop/startup.py``),
and this adds ``submitted``, ``synced`` (the first sync done) and ``signed-in-idle`` (2 s
later). Used by ``bench/bench_startup.py`` and the tests that start the whole desk.

The tests build its command line with ``command`` and its environment with ``environment``,
and read its marks with ``marks_until``: one place for what they have in common (the desk
imports below stay inside ``main``, so a test importing these pays nothing for them).
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent_desktop.ui.dialogs.login_dialog import LoginDialog

IDLE_MS = 2000
ROOT = Path(__file__).resolve().parents[2]  # the working directory the module is found from
DEMO_PASSWORD = "demo1234"
MARK = "aw-startup "  # agent_desktop/startup.py's prefix


def command(
    folder: Path,
    server: str,
    user: str = "wangfang",
    *,
    config: Path | None = None,
    extra: tuple[str, ...] = (),
) -> list[str]:
    """The desk signing ``user`` in to ``server`` (password ``demo1234``), offscreen, its
    profile in ``folder``/profile. Settings: the user's file ``config``, or an empty one in
    ``folder`` (the built-in defaults, never this machine's); no machine-wide file."""
    folder.mkdir(parents=True, exist_ok=True)
    if config is None:
        config = folder / "user.toml"
        config.touch()
    return [
        sys.executable, "-m", "tests.fakes.signing_in_desk", DEMO_PASSWORD, "--offscreen",
        "--profile-dir", str(folder / "profile"), "--config", str(config),
        "--machine-config", str(folder / "machine.toml"),  # absent
        "--server", server, "--user", user, *extra,
    ]  # fmt: skip


def environment(**extra: str) -> dict[str, str]:
    """This process's environment, offscreen, with the start-up marks on; ``extra`` on top."""
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "AGENT_WORKSTATION_STARTUP_PROBE": "1",
        **extra,
    }


def marks_until(process: subprocess.Popen[str], last: str, timeout_s: float) -> list[str]:
    """The desk's marks in order, read from its stdout up to ``last``; AssertionError when no
    line comes for ``timeout_s`` (a hung start) or the desk exits first."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)  # the desk closed its stdout: it exited

    threading.Thread(target=read, daemon=True).start()
    marks: list[str] = []
    while last not in marks:
        try:
            line = lines.get(timeout=timeout_s)  # waits for the next line, not a sleep
        except queue.Empty:
            raise AssertionError(f"no line from the desk for {timeout_s:g} s: {marks}") from None
        if line is None:
            raise AssertionError(f"the desk exited before {last!r}: {marks}")
        if line.startswith(MARK):
            marks.append(line.split()[1])
    return marks


def main() -> int:
    from PySide6.QtCore import QTimer

    from agent_desktop import __main__ as desk
    from agent_desktop.app import Workstation
    from agent_desktop.startup import mark, on_first_paint

    password = sys.argv.pop(1)
    shown = Workstation.show_login

    def show_login(self: Workstation, *args: Any, **kwargs: Any) -> LoginDialog:
        dialog = shown(self, *args, **kwargs)

        def submit() -> None:
            dialog.password_edit.setText(password)
            dialog.remember_box.setChecked(False)
            mark("submitted")
            dialog.submit()

        def synced() -> None:
            mark("synced")
            QTimer.singleShot(IDLE_MS, lambda: mark("signed-in-idle"))

        self.session.signed_in.connect(lambda _grant: self.sync.ready.connect(synced))
        on_first_paint(dialog, lambda: QTimer.singleShot(0, submit))
        return dialog

    Workstation.show_login = show_login  # type: ignore[method-assign]
    return desk.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
