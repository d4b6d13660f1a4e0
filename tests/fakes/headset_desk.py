"""An agent's desk with a real headset path, alone in a process (pjsua2 is one per process):
``python -m tests.fakes.headset_desk OUTPUT INPUT SECONDS [engine]`` prints its SIP address,
answers every call, and routes the audio through the Qt Multimedia devices named. In-process
(``LocalPhone`` with the bridge here: what the audio benchmark measures) or, with ``engine``,
as the desk runs it: the ``Phone`` proxy with a ``RemoteHeadset``, the bridge in the engine's
process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from softphone import Phone, PhoneConfig, RemoteHeadset
from softphone.audio import HeadsetBridge
from softphone.phone import LocalPhone


@dataclass
class Desk:
    process: subprocess.Popen[str]
    address: str  # where it takes SIP calls
    output: str  # the playback and capture devices it opened ("" if none)
    input: str


def start_desk(env: dict[str, str], seconds: float, engine: bool = False) -> Desk:
    """Run this module in a child process and wait for its address line."""
    mode = ["engine"] if engine else []
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakes.headset_desk",
            "headset",
            "headset_mic",
            str(seconds),
            *mode,
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = ""
    while not line.startswith("DESK "):  # pjlib prints its banner to stdout first
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the headset desk died before it listened")
    address, output, input_ = line.removeprefix("DESK ").strip().split("|")
    return Desk(process, address, output, input_)


def engine_desk(app: QApplication, output: str, input_: str, seconds: float) -> int:
    headset = RemoteHeadset()
    headset.open(output, input_)
    phone = Phone()
    phone.start(PhoneConfig(bind_address="127.0.0.1"), headset=headset)
    address = phone.wait_ready()
    phone.incoming_call.connect(lambda call: phone.answer(call.call_id))
    deadline = time.monotonic() + 10
    while not headset.output.description() and time.monotonic() < deadline:
        app.processEvents()  # the engine says which devices it opened
        time.sleep(0.01)
    sys.stdout.write(
        f"DESK {address}|{headset.output.description()}|{headset.input.description()}\n"
    )
    sys.stdout.flush()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    phone.stop()
    return 0


def main() -> int:
    output, input_, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    app = QApplication([])
    if sys.argv[4:] == ["engine"]:
        return engine_desk(app, output, input_, seconds)
    headset = HeadsetBridge()
    headset.open(output, input_)
    phone = LocalPhone()  # this process is the engine: it measures the bridge's delay
    address = phone.start(PhoneConfig(bind_address="127.0.0.1"), headset=headset)
    phone.incoming_call.connect(lambda call: phone.answer(call.call_id))
    sys.stdout.write(
        f"DESK {address}|{headset.output.description()}|{headset.input.description()}\n"
    )
    sys.stdout.flush()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    phone.stop()
    for name, samples in (
        ("speaker", headset.speaker_delay_ms),
        ("mic", headset.mic_delay_ms),
    ):
        ordered = sorted(samples) or [0.0]
        p50, p95 = ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.95)]
        sys.stdout.write(f"DELAY {name} {p50:.1f} {p95:.1f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
