"""Run by tests/ui/test_global_keys_e2e.py in a process of its own on a private Xvfb with Qt's
own xcb platform (the test session's Qt is offscreen): the desk's X11 keys next to Qt's X
connection, a key another client holds refused without ending the process, a key typed into
another client's window reaching the desk. Prints one line of JSON."""

from __future__ import annotations

import json
import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow

from agent_desktop.ui.global_keys import X11GlobalKeys, unavailable_reason
from agent_desktop.ui.shortcuts import ShortcutId
from tests.fakes.x11 import OtherXClient

DEADLINE_MS = 10_000


def main() -> None:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.show()
    other = OtherXClient(os.environ["DISPLAY"])
    keys = X11GlobalKeys()
    other.grab_ctrl_shift("e")  # hang-up's key is another program's
    outcome = keys.grab(
        {
            ShortcutId.ANSWER: QKeySequence("Ctrl+Shift+A"),
            ShortcutId.HANG_UP: QKeySequence("Ctrl+Shift+E"),
        }
    )
    pressed: list[str] = []
    keys.pressed.connect(lambda action: (pressed.append(action.value), app.quit()))
    QTimer.singleShot(0, lambda: other.press("ctrl", "shift", "a"))
    QTimer.singleShot(DEADLINE_MS, app.quit)  # a deadline, not a wait: quit() comes first
    app.exec()
    keys.close()
    other.close()
    result = {
        "platform": app.platformName(),
        "unavailable": unavailable_reason(app.platformName()),
        "grabbed": [a.value for a in outcome.grabbed],
        "taken": [a.value for a in outcome.taken],
        "pressed": pressed,
    }
    print(json.dumps(result))  # noqa: T201  (the test reads it)


if __name__ == "__main__":
    main()
