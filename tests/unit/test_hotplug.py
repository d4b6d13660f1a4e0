"""The headset's hot-plug decisions (softphone.hotplug) with a fake sound server: which device
in use is lost, which one to fall back to, and the watcher's thread delivering snapshots on
the owner's thread (never emitting a signal the owner observes from its own thread)."""

from __future__ import annotations

import queue
import threading

import pytest
from pytestqt.qtbot import QtBot

from softphone import hotplug
from softphone.hotplug import Devices, DeviceWatcher, Lost, choose, lost, qt_view
from softphone.proxy import RemoteHeadset

WAIT_MS = 5_000

HEADSET = Devices(
    outputs=frozenset({"headset", "speakers"}),
    inputs=frozenset({"headset_mic", "headset.monitor", "speakers.monitor"}),
    default_output="speakers",
    default_input="headset_mic",
)
PULLED = Devices(
    outputs=frozenset({"speakers"}),
    inputs=frozenset({"speakers.monitor"}),
    default_output="speakers",
    default_input="speakers.monitor",
)


def test_the_device_in_use_gone_from_the_server_is_lost() -> None:
    assert lost("headset", "headset_mic", HEADSET, PULLED) == Lost(output=True, input=True)
    assert lost("headset", "", HEADSET, PULLED) == Lost(output=True)
    assert not lost("speakers", "speakers.monitor", HEADSET, PULLED)


def test_a_device_not_in_use_coming_and_going_is_not_lost() -> None:
    second = Devices(outputs=HEADSET.outputs | {"usb_dongle"}, inputs=HEADSET.inputs)
    assert not lost("headset", "headset_mic", second, HEADSET)
    assert not lost("headset", "headset_mic", HEADSET, second)


def test_nothing_is_lost_before_a_first_snapshot_or_by_a_name_the_server_never_used() -> None:
    assert not lost("headset", "headset_mic", None, PULLED)
    # A Qt backend whose ids are not the server's names: the watcher cannot judge it.
    assert not lost("alsa_output.0", "alsa_input.0", HEADSET, PULLED)


def test_a_device_pulled_before_the_servers_first_snapshot_is_lost_too() -> None:
    # The bridge opened the headset from Qt's list; the watcher's first snapshot comes later.
    before = qt_view(["headset", "speakers"], ["headset_mic"], PULLED)
    assert before is not None
    assert lost("headset", "headset_mic", before, PULLED) == Lost(output=True, input=True)
    assert not lost(
        "headset", "headset_mic", qt_view(["headset"], ["headset_mic"], HEADSET), HEADSET
    )
    # Qt's ids are not the server's names: no judgement.
    assert qt_view(["{guid-1}"], ["{guid-2}"], PULLED) is None


def test_a_headset_plugged_back_in_is_not_lost_and_nothing_in_use_changes() -> None:
    assert not lost("speakers", "speakers.monitor", PULLED, HEADSET)


NAMED = HEADSET.outputs | HEADSET.inputs  # every name the server reported while watched


def test_the_fallback_is_the_wanted_device_if_still_there_else_the_servers_default() -> None:
    qt_knows = ["headset", "speakers"]  # Qt's stale list still names the pulled headset
    assert choose(qt_knows, "headset", HEADSET.outputs, "speakers", NAMED) == "headset"
    assert choose(qt_knows, "headset", PULLED.outputs, "speakers", NAMED) == "speakers"
    # The server's default unknown to Qt (yet): any device both know.
    named = NAMED | {"hdmi", "bt"}
    assert choose(["headset", "hdmi"], "headset", frozenset({"hdmi", "bt"}), "bt", named) == "hdmi"
    # A device plugged back in is chosen again only when it is wanted and opened anew.
    assert choose(qt_knows, "headset", HEADSET.outputs, "headset", NAMED) == "headset"


def test_no_device_left_is_none_opened_never_the_vanished_one() -> None:
    # Qt lists no monitor sources: with the headset's microphone gone, nothing Qt can open is
    # left (a PC without a microphone of its own); Qt's stale entry must not be reopened.
    assert choose(["headset_mic"], "headset_mic", PULLED.inputs, "speakers.monitor", NAMED) == ""
    assert choose(["headset"], "headset", frozenset(), "", NAMED) == ""


def test_a_server_whose_names_qt_never_used_cannot_tell() -> None:
    # None of Qt's ids is a server name (another backend's ids): Qt's own choice, never silence.
    assert choose(["{0.0.0.00000000}.{guid}"], "", PULLED.outputs, "speakers", NAMED) is None


class FakeServer:
    """A sound server for the watcher: ``publish`` a new device list, as PulseAudio's
    subscription would announce a sink or source appearing or going."""

    def __init__(self, devices: Devices, refuse: bool = False) -> None:
        self.devices = devices
        self.refuse = refuse
        self.events: queue.Queue[str] = queue.Queue()
        self.connections = 0
        self.closed = 0
        self.snapshot_threads: set[str] = set()

    def publish(self, devices: Devices, event: str = "new") -> None:
        self.devices = devices
        self.events.put(event)

    def connect(self) -> FakeSource:
        if self.refuse:
            raise ConnectionRefusedError("no server on this socket")
        self.connections += 1
        return FakeSource(self)


class FakeSource:
    def __init__(self, server: FakeServer) -> None:
        self.server = server

    def snapshot(self) -> Devices:
        self.server.snapshot_threads.add(threading.current_thread().name)
        return self.server.devices

    def wait(self, timeout_s: float) -> bool:
        try:
            event = self.server.events.get(timeout=timeout_s)
        except queue.Empty:
            return False
        if event == "disconnect":
            raise ConnectionError("the server went away")
        return event != "wake"

    def wake(self) -> None:
        self.server.events.put("wake")

    def close(self) -> None:
        self.server.closed += 1


@pytest.fixture
def delivered(qtbot: QtBot) -> list[tuple[Devices, bool]]:
    return []


def watch(server: FakeServer, delivered: list[tuple[Devices, bool]]) -> DeviceWatcher:
    watcher = DeviceWatcher(server.connect)
    watcher.changed.connect(
        lambda devices: delivered.append(
            (devices, threading.current_thread() is threading.main_thread())
        )
    )
    watcher.start()
    return watcher


def test_the_watcher_delivers_each_change_on_the_owners_thread(
    qtbot: QtBot, delivered: list[tuple[Devices, bool]]
) -> None:
    server = FakeServer(HEADSET)
    watcher = watch(server, delivered)
    try:
        qtbot.waitUntil(lambda: len(delivered) == 1, timeout=WAIT_MS)
        server.publish(PULLED, "remove")
        qtbot.waitUntil(lambda: len(delivered) == 2, timeout=WAIT_MS)
        server.publish(PULLED, "server")  # an event that changes nothing: not delivered again
        server.publish(HEADSET, "new")  # plugged back in
        qtbot.waitUntil(lambda: len(delivered) == 3, timeout=WAIT_MS)
    finally:
        watcher.stop()
    assert [devices for devices, _ in delivered] == [HEADSET, PULLED, HEADSET]
    assert all(on_main for _, on_main in delivered), "a snapshot delivered off the owner's thread"
    assert server.snapshot_threads == {"sound-devices"}  # the server asked on its own thread
    assert watcher.latest == HEADSET
    assert not watcher.watching
    assert server.closed == 1


def test_a_sound_server_that_restarts_is_watched_again(
    qtbot: QtBot, delivered: list[tuple[Devices, bool]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hotplug, "RECONNECT_S", 0.01)
    server = FakeServer(HEADSET)
    watcher = watch(server, delivered)
    try:
        qtbot.waitUntil(lambda: len(delivered) == 1, timeout=WAIT_MS)
        server.devices = PULLED  # changed while the server was away
        server.events.put("disconnect")
        qtbot.waitUntil(lambda: len(delivered) == 2, timeout=WAIT_MS)
    finally:
        watcher.stop()
    assert delivered[-1][0] == PULLED
    assert server.connections == 2
    assert server.closed == 2


def test_no_sound_server_no_watching_and_nothing_delivered(
    qtbot: QtBot, delivered: list[tuple[Devices, bool]]
) -> None:
    watcher = watch(FakeServer(HEADSET, refuse=True), delivered)
    qtbot.waitUntil(lambda: not watcher.watching, timeout=WAIT_MS)
    watcher.stop()
    assert delivered == []


def test_without_pulsectl_there_is_no_watcher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hotplug, "pulsectl_installed", lambda: False)
    assert hotplug.watch_devices() is None


def test_the_desks_warning_names_what_replaced_the_lost_device(qtbot: QtBot) -> None:
    # The engine says what is in use first (devices_changed), then what was lost.
    headset = RemoteHeadset()
    headset._in_use("Jabra Evolve2 65", "Jabra Evolve2 65 Mono")
    headset._in_use("Speakers", "Laptop microphone")
    assert headset.replacement("Jabra Evolve2 65") == "Speakers"
    assert headset.replacement("Jabra Evolve2 65 Mono") == "Laptop microphone"
