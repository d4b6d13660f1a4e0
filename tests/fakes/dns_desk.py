"""A desk whose registrar is a DNS name, for the DNS test: ``python -m tests.fakes.dns_desk
sip:pbx.example.test SECONDS``. Runs the real ``Phone`` (proxy + engine) on a Qt event loop
with a GUI-thread gap probe; dials and reports a network change while the lookups hang; prints
one JSON line: the longest gap, the registration states seen, and what dial() did.
"""

from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from softphone import (
    EngineState,
    Phone,
    PhoneConfig,
    PhoneError,
    RegistrationInfo,
    RegistrationState,
)
from tests.fakes.gap_probe import GapProbe


def main() -> int:
    registrar, limit_s = sys.argv[1], float(sys.argv[2])
    app = QApplication([])
    probe = GapProbe()
    phone = Phone()
    # From the moment the engine runs: its account's registration starts the lookup that
    # never gets an answer. (Before, two processes importing Qt and pjsua2 at once on a busy
    # machine is CPU contention, not a blocked GUI thread.)
    phone.engine_state_changed.connect(
        lambda state: probe.start() if state == EngineState.RUNNING else None
    )
    seen: list[str] = []
    dialled: list[str] = []

    def registration(info: RegistrationInfo) -> None:
        seen.append(f"{info.state.value} {info.reason}".strip())
        if info.state == RegistrationState.FAILED:
            QTimer.singleShot(200, app.quit)

    def poke() -> None:
        """What froze the desk before: dial() and network_changed() during a lookup."""
        if not phone.running:
            return
        try:
            call = phone.dial("sip:2001@pbx-other.example.test")
            dialled.append(call.state.value)
        except PhoneError as exc:
            dialled.append(f"error {exc.reason}")
        phone.network_changed()

    phone.registration_changed.connect(registration)
    # The same thread idle for 2 s first: how loaded the machine is (printed beside the gap).
    idle = GapProbe().start()
    QTimer.singleShot(2000, app.quit)
    app.exec()
    idle_ms = idle.stop()
    started = time.monotonic()
    phone.start(PhoneConfig(user="agent1001", domain="example.test", registrar=registrar,
                            bind_address="127.0.0.1", retry_interval_s=60))  # fmt: skip
    QTimer.singleShot(1500, poke)
    QTimer.singleShot(int(limit_s * 1000), app.quit)
    app.exec()
    longest = probe.stop()
    phone.stop()
    result = {
        "longest_gap_ms": round(longest, 1),
        "idle_gap_ms": round(idle_ms, 1),
        "registration": seen,
        "dialled": dialled,
        "seconds": round(time.monotonic() - started, 1),
        "restarts": phone.restarts,
    }
    sys.stdout.write("RESULT " + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
