"""A real desk in a process of its own, for the AT-SPI walk (``tests/ui/test_atspi_tree.py``):
the ``Workstation`` signed in to the live backend at ``URL`` as ``USER`` on the X display it
is given, the seeded caller popped on an agent's desk. It writes ``READY_FILE`` when there is
something to read and quits on SIGTERM (or after ``--stay-s``, whichever comes first).

    python -m tests.fakes.a11y_desk URL USER READY_FILE
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from agent_desktop import APP_NAME
from agent_desktop.app import LaunchOptions, Workstation
from agent_desktop.config import Settings
from agent_desktop.tasks import TaskRunner
from tests.fakes.credentials import MemoryCredentialStore

SEEDED_CALLER = "13800138000"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("user")
    parser.add_argument("ready_file", type=Path)
    parser.add_argument("--stay-s", type=float, default=120.0)
    args = parser.parse_args()
    app = QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    settings = Settings(
        server_url=args.url, sip_bind_address="127.0.0.1", sip_port=0,
        request_timeout_s=3, remember_sign_in=False,
    )  # fmt: skip
    desk = Workstation(
        app,
        settings,
        LaunchOptions(profile_dir=args.ready_file.parent / f"profile-{args.user}"),
        credentials=MemoryCredentialStore(),
        tasks=TaskRunner(),
    )
    desk.session.sign_in(args.url, args.user, "demo1234", remember=False)
    lead = args.user != "wangfang"
    deadline = time.monotonic() + args.stay_s
    asked = [False]

    def step() -> None:
        if time.monotonic() > deadline:
            app.exit(1 if not args.ready_file.exists() else 0)
            return
        if not (desk.desk_built and desk.sync.status.state == "online"):
            return
        if desk.sync.status.last_synced is None or args.ready_file.exists():
            return
        window = desk.main_window
        if lead:
            if desk.wallboard.loaded and window.wallboard_panel is not None:
                args.ready_file.write_text("ready\n")
            return
        if not asked[0]:
            asked[0] = True
            desk.screen_pop.pop_number(SEEDED_CALLER)
        elif window.customer_panel.view is not None:
            args.ready_file.write_text("ready\n")

    timer = QTimer()
    timer.timeout.connect(step)
    timer.start(100)  # also lets Python run the SIGTERM handler between Qt events
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    code = app.exec()
    desk.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
