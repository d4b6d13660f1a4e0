"""The real desk, signing in as a user would: ``python -m tests.fakes.signing_in_desk PASSWORD
[agent-desktop options]``.

``agent_desktop.__main__.main`` runs unchanged; once the sign-in dialog has painted, the
password is typed, "remember" unticked and the dialog submitted. With
``AGENT_WORKSTATION_STARTUP_PROBE=1`` the desk prints its marks (``agent_desktop/startup.py``),
and this adds ``submitted``, ``synced`` (the first sync done) and ``signed-in-idle`` (2 s
later). Used by ``bench/bench_startup.py`` and ``tests/e2e/test_start_up.py``.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QTimer

from agent_desktop import __main__ as desk
from agent_desktop.app import Workstation
from agent_desktop.startup import mark, on_first_paint
from agent_desktop.ui.dialogs.login_dialog import LoginDialog

IDLE_MS = 2000


def main() -> int:
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
