"""Headset hot-plug through the engine process, on a private PulseAudio: the headset the agent
chose is pulled out mid-call (its PulseAudio module unloaded); the engine falls back to the
default output at once and the desk is told which device was lost. Plugged back in, it does
not take the call back by itself, but is there to fall back to when the speakers go."""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallState, Phone, PhoneConfig
from softphone.proxy import RemoteHeadset
from tests.fakes.pulse import PulseServer
from tests.fakes.sipp import Sipp
from tests.sip.conftest import Recorder

pytestmark = pytest.mark.slow
WAIT_MS = 15_000
log = logging.getLogger(__name__)


@pytest.fixture
def pulse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseServer]:
    server = PulseServer(tmp_path / "pulse")
    for name in ("XDG_RUNTIME_DIR", "HOME", "PULSE_SERVER"):
        monkeypatch.setenv(name, server.env[name])  # the engine's process inherits them
    yield server
    server.stop()


def pactl(pulse: PulseServer, *args: str) -> str:
    done = subprocess.run(
        ["pactl", *args], env=pulse.env, capture_output=True, text=True, check=True
    )
    return done.stdout


def module_of(pulse: PulseServer, name: str, key: str = "sink_name") -> str:
    """The index of the module that made this sink or source (unloading it pulls it out)."""
    return next(
        line.split("\t")[0]
        for line in pactl(pulse, "list", "short", "modules").splitlines()
        if f"{key}={name}" in line
    )


class DeskHeadset:
    """The desk's side of the headset, as its warnings see it: the devices in use, the ones
    lost, what the warning "X is gone; now using Y" would name, and any signal observed off
    the desk's main thread (there must be none)."""

    def __init__(self, headset: RemoteHeadset) -> None:
        self.headset = headset
        self.lost: list[str] = []
        self.in_use: list[tuple[str, str]] = []
        self.now_using: list[str] = []
        self.off_main: list[str] = []
        headset.device_lost.connect(self._lost)
        headset.devices_changed.connect(self._changed)

    def _lost(self, description: str) -> None:
        self.lost.append(description)
        self.now_using.append(self.headset.replacement(description))
        self._on_main("device_lost")

    def _changed(self, output: str, input_: str) -> None:
        self.in_use.append((output, input_))
        self._on_main("devices_changed")

    def _on_main(self, name: str) -> None:
        if threading.current_thread() is not threading.main_thread():
            self.off_main.append(name)

    def __repr__(self) -> str:
        return f"in use {self.in_use}, lost {self.lost}"


def answered_call(qtbot: QtBot, phone: Phone, heard: Recorder, tmp_path: Path) -> tuple[Sipp, int]:
    caller = Sipp(
        "uac_caller_id", tmp_path, remote=phone.local_address, fields=["Wang Fang", "13800138000"]
    )
    qtbot.waitUntil(lambda: len(heard.incoming) == 1, timeout=WAIT_MS)
    call = heard.incoming[0].call_id
    phone.answer(call)
    qtbot.waitUntil(
        lambda: (s := heard.last(call)) is not None and s.state == CallState.CONNECTED,
        timeout=WAIT_MS,
    )
    return caller, call


def test_pulling_the_headset_mid_call_falls_back_to_the_default_output(
    qtbot: QtBot, pulse: PulseServer, tmp_path: Path
) -> None:
    # The PC's own speakers, the default; the agent chose the headset.
    pactl(
        pulse, "load-module", "module-null-sink", "sink_name=speakers", "rate=16000",
        "channels=1", "sink_properties=device.description=Speakers",
    )  # fmt: skip
    pactl(pulse, "set-default-sink", "speakers")
    headset = RemoteHeadset()
    desk = DeskHeadset(headset)
    headset.open("headset", "headset_mic")
    phone = Phone()
    heard = Recorder(phone)
    phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1"), headset=headset)
    caller: Sipp | None = None
    try:
        phone.wait_ready()
        qtbot.waitUntil(lambda: bool(desk.in_use), timeout=WAIT_MS)
        chosen, microphone = desk.in_use[-1]
        assert chosen, desk
        assert chosen != "Speakers", desk
        caller, call = answered_call(qtbot, phone, heard, tmp_path)

        pulled = time.monotonic()
        pactl(pulse, "unload-module", module_of(pulse, "headset"))
        qtbot.waitUntil(lambda: desk.lost == [chosen], timeout=WAIT_MS)
        qtbot.waitUntil(lambda: desk.in_use[-1][0] == "Speakers", timeout=WAIT_MS)
        log.warning("fell back to the default output %.0f ms after the unplug",
                    (time.monotonic() - pulled) * 1000)  # fmt: skip
        assert headset.output.description() == "Speakers"
        assert desk.now_using == ["Speakers"]

        # Plugged back in mid-call: the call stays on the speakers (as with Qt's own
        # notifications, nothing switches under the agent's ear) ...
        fell_back = len(desk.in_use)
        pactl(pulse, "load-module", "module-null-sink", "sink_name=headset", "rate=16000",
              "channels=1")  # fmt: skip
        # ... but the engine knows it is back: pulling the speakers now moves the call to it.
        pactl(pulse, "unload-module", module_of(pulse, "speakers"))
        qtbot.waitUntil(lambda: desk.lost == [chosen, "Speakers"], timeout=WAIT_MS)
        assert desk.in_use[fell_back:] == [(chosen, microphone)], desk
        assert desk.now_using == ["Speakers", chosen]
        assert desk.off_main == []
        still = heard.last(call)
        assert still is not None
        assert still.state == CallState.CONNECTED
    except BaseException:
        log.error("%r", desk)
        raise
    finally:
        if caller is not None:
            caller.stop()
        phone.stop()


def test_pulling_the_whole_headset_moves_the_microphone_too(
    qtbot: QtBot, pulse: PulseServer, tmp_path: Path
) -> None:
    """A USB headset is one card: its speaker and its microphone go together. The call's
    microphone falls back to the server's default source as its output falls back."""
    pactl(
        pulse, "load-module", "module-null-sink", "sink_name=speakers", "rate=16000",
        "channels=1", "sink_properties=device.description=Speakers",
    )  # fmt: skip
    pactl(pulse, "set-default-sink", "speakers")
    pactl(
        pulse, "load-module", "module-pipe-source", "source_name=laptop_mic",
        f"file={pulse.socket.parent / 'laptop.fifo'}", "format=s16le", "rate=16000",
        "channels=1", "source_properties=device.description=Laptop",
    )  # fmt: skip
    pactl(pulse, "set-default-source", "laptop_mic")  # the PC's own microphone
    headset = RemoteHeadset()
    desk = DeskHeadset(headset)
    headset.open("headset", "headset_mic")
    phone = Phone()
    heard = Recorder(phone)
    phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1"), headset=headset)
    caller: Sipp | None = None
    try:
        phone.wait_ready()
        qtbot.waitUntil(lambda: bool(desk.in_use), timeout=WAIT_MS)
        output, microphone = desk.in_use[-1]
        assert output != "Speakers", desk
        assert microphone, desk
        caller, call = answered_call(qtbot, phone, heard, tmp_path)

        pactl(pulse, "unload-module", module_of(pulse, "headset"))
        pactl(pulse, "unload-module", module_of(pulse, "headset_mic", "source_name"))
        qtbot.waitUntil(lambda: desk.lost == [output, microphone], timeout=WAIT_MS)
        assert desk.in_use[-1] == ("Speakers", "Laptop"), desk
        assert desk.now_using == ["Speakers", "Laptop"]
        assert desk.off_main == []
        still = heard.last(call)
        assert still is not None
        assert still.state == CallState.CONNECTED
    except BaseException:
        log.error("%r", desk)
        raise
    finally:
        if caller is not None:
            caller.stop()
        phone.stop()
