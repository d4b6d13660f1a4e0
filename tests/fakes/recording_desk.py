"""An agent's desk that records its calls, alone in a process (pjsua2 is one per process):
``python -m tests.fakes.recording_desk SPOOL SECONDS PAUSE_AT_S RESUME_AT_S [ANNOUNCE_WAV]``
prints ``DESK address|output|input|engine pid``, answers every call through the real
``Phone`` (the engine process, its headset bridge on the devices ``headset`` /
``headset_mic``), records into SPOOL ("off": records nothing, the benchmark's floor;
"pbx:DIR": the PBX records and DIR gets the link), pauses the recording PAUSE_AT_S after
it starts and resumes it at RESUME_AT_S (the agent's clicks, scripted; 0: never), and prints
each ``RecordingInfo`` as ``REC state recording_id path pbx_recording_id``."""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from softphone import Phone, PhoneConfig, RemoteHeadset
from softphone.events import RecordingInfo, RecordingMode, RecordingSettings, RecordingState


def main() -> int:
    spool, seconds = sys.argv[1], float(sys.argv[2])
    pause_at, resume_at = float(sys.argv[3]), float(sys.argv[4])
    announcement = sys.argv[5] if len(sys.argv) > 5 else ""
    app = QApplication([])
    headset = RemoteHeadset()
    headset.open("headset", "headset_mic")
    phone = Phone()
    mode = RecordingMode.DESK
    if spool == "off":
        mode, spool = RecordingMode.OFF, ""
    elif spool.startswith("pbx:"):  # the PBX records: the desk links its id
        mode, spool = RecordingMode.PBX, spool.removeprefix("pbx:")
    settings = RecordingSettings(
        mode,
        spool,
        announce_queues=("*",) if announcement else (),
        announcement_path=announcement,
    )
    phone.start(PhoneConfig(bind_address="127.0.0.1", recording=settings), headset=headset)
    address = phone.wait_ready()
    phone.incoming_call.connect(lambda call: phone.answer(call.call_id))

    def changed(info: RecordingInfo) -> None:
        sys.stdout.write(
            f"REC {info.state.value} {info.recording_id} {info.path} {info.pbx_recording_id}\n"
        )
        sys.stdout.flush()
        first = info.state is RecordingState.RECORDING and info.call_id not in scripted
        if first and pause_at:
            scripted.add(info.call_id)
            QTimer.singleShot(
                int(pause_at * 1000), lambda: phone.pause_recording(info.call_id, "agent")
            )
            QTimer.singleShot(int(resume_at * 1000), lambda: phone.resume_recording(info.call_id))

    scripted: set[int] = set()
    phone.recording_changed.connect(changed)
    deadline = time.monotonic() + 10
    while not headset.output.description() and time.monotonic() < deadline:
        app.processEvents()  # the engine says which devices it opened
        time.sleep(0.01)
    sys.stdout.write(
        f"DESK {address}|{headset.output.description()}|{headset.input.description()}"
        f"|{phone.engine_pid}\n"
    )
    sys.stdout.flush()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    phone.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
