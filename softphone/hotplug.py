"""Which sound devices exist, heard from the sound server itself: the headset's hot-plug.

Qt Multimedia's device list is not enough on Linux: in the engine process (Qt 6.11, FFmpeg
backend on PulseAudio) ``QMediaDevices`` hears a sink appear but never hears one go, so a
headset pulled out mid-call was never noticed (issue 17). Here a thread of its own holds a
libpulse connection (``pulsectl``) subscribed to sink, source and server events; after each
device appearing or going (or the default changing) it reads the server's lists and hands the
snapshot to the owner's thread through a queued signal. The headset bridge decides from the
snapshot (``lost``, ``qt_view``, ``choose``: plain functions, tested with a fake source).

Optional and absent-safe: without ``pulsectl`` (Windows, macOS) ``watch_devices`` returns None;
without a PulseAudio server to talk to (PipeWire's pulse server should do as well) the
watcher's thread ends at its first try. Either way the bridge keeps Qt's own notifications,
the only path on CoreAudio / WASAPI builds.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

LISTEN_S = 0.5  # one wait for the server's events: how long a stop may take at most
RECONNECT_S = 2.0  # the sound server went away (restarted): ask again this often


@dataclass(frozen=True)
class Devices:
    """What the sound server has now: device names (Qt's ``QAudioDevice.id()`` on PulseAudio)
    and its defaults."""

    outputs: frozenset[str] = frozenset()
    inputs: frozenset[str] = frozenset()
    default_output: str = ""
    default_input: str = ""


@dataclass(frozen=True)
class Lost:
    """Which of the devices in use the server no longer has."""

    output: bool = False
    input: bool = False

    def __bool__(self) -> bool:
        return self.output or self.input


def lost(output_in_use: str, input_in_use: str, before: Devices | None, now: Devices) -> Lost:
    """The devices in use ("" for none) that the server had ``before`` and has no longer. A
    device not in use is never lost (a second headset coming and going does not disturb the
    call), nor one the server never named (a Qt backend whose ids are not the server's names)."""

    def gone(name: str, had: frozenset[str], has: frozenset[str]) -> bool:
        return bool(name) and name in had and name not in has

    if before is None:
        return Lost()
    return Lost(
        output=gone(output_in_use, before.outputs, now.outputs),
        input=gone(input_in_use, before.inputs, now.inputs),
    )


def qt_view(outputs: Iterable[str], inputs: Iterable[str], now: Devices) -> Devices | None:
    """What Qt knew before the server's first snapshot, as a ``before`` for ``lost``: a device
    pulled out between the bridge opening it and that snapshot is lost too. None when none of
    Qt's ids is a name the server uses (another backend: the server cannot judge Qt's)."""
    view = Devices(outputs=frozenset(outputs), inputs=frozenset(inputs))
    if not (view.outputs | view.inputs) & (now.outputs | now.inputs):
        return None
    return view


def choose(
    known: Iterable[str], wanted: str, present: frozenset[str], default: str, named: frozenset[str]
) -> str | None:
    """The device to open from those Qt knows (ids): the one wanted if the server still has it,
    else the server's default, else any device it still has; "" when it has none Qt can open
    (silence, not a vanished device: Qt's own list may still name one). None when none of
    Qt's ids is a name the server ever used (``named``): the server cannot tell, Qt chooses."""
    known = list(known)
    if not any(name in named for name in known):
        return None
    usable = [name for name in known if name in present]
    for candidate in (wanted, default):
        if candidate and candidate in usable:
            return candidate
    return usable[0] if usable else ""


class DeviceSource(Protocol):
    """The sound server as the watcher's thread uses it (libpulse, or a fake in tests)."""

    def snapshot(self) -> Devices: ...

    def wait(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` for a device to appear or go, or the default to change;
        True when one did. Raises ``ConnectionError`` when the server is gone."""
        ...

    def wake(self) -> None:
        """From another thread: make a ``wait`` return soon."""
        ...

    def close(self) -> None: ...


class DeviceWatcher(QObject):
    """Snapshots of the sound server's devices, read on a thread of its own and delivered as
    ``changed`` on the thread this object lives on (the engine's, or the desk's GUI thread):
    once when connected, then after every change that alters the snapshot.

    The thread connects (a hung server never blocks the owner's thread); if the first try
    fails there is no server to watch and the thread ends (Qt's notifications stand alone).
    A server that goes away later (restarted) is asked for again every ``RECONNECT_S``."""

    changed = Signal(object)  # Devices
    # Emitted on the watcher's thread only; queued to _deliver on this object's thread.
    _relay = Signal(object)

    def __init__(self, connect: Callable[[], DeviceSource], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connect = connect
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._stopping = threading.Event()
        self._source: DeviceSource | None = None
        self._lock = threading.Lock()  # _source: closed on the thread, woken from the owner's
        self._thread: threading.Thread | None = None
        self.latest: Devices | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sound-devices", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:  # never while the watcher's thread closes it
            if self._source is not None:
                self._source.wake()
        if self._thread is not None:
            self._thread.join(LISTEN_S * 4)
            self._thread = None

    @property
    def watching(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @Slot(object)
    def _deliver(self, devices: Devices) -> None:
        if self._stopping.is_set():
            return
        self.latest = devices
        self.changed.emit(devices)

    # -- the watcher's thread ---------------------------------------------------------------

    def _run(self) -> None:
        connected_once = False
        while not self._stopping.is_set():
            try:
                source = self._connect()
            except Exception as exc:
                if not connected_once:
                    log.info("audio: no sound server to watch (%s); Qt Multimedia only", exc)
                    return
                self._stopping.wait(RECONNECT_S)
                continue
            with self._lock:
                self._source = source
            if not connected_once:
                log.info("audio: device changes heard from the sound server")
            connected_once = True
            try:
                self._follow(source)
            except RuntimeError:  # the owner was deleted under us (its C++ side): nothing to tell
                self._stopping.set()
            except Exception as exc:  # the server restarted or died: connect again, later
                log.info(
                    "audio: sound server lost (%s); asking again every %.0f s", exc, RECONNECT_S
                )
                self._stopping.wait(RECONNECT_S)
            finally:
                self._drop()

    def _follow(self, source: DeviceSource) -> None:
        last: Devices | None = None
        changed = True  # a first snapshot as soon as connected
        while not self._stopping.is_set():
            if changed:
                now = source.snapshot()
                if now != last:
                    last = now
                    self._relay.emit(now)
            changed = source.wait(LISTEN_S)

    def _drop(self) -> None:
        with self._lock:
            source, self._source = self._source, None
            if source is not None:
                try:
                    source.close()
                except Exception:
                    log.debug("audio: closing the sound server's connection failed", exc_info=True)


class PulseSource:
    """``DeviceSource`` on libpulse through ``pulsectl`` (used on the watcher's thread only,
    but ``wake`` from any)."""

    def __init__(self) -> None:
        import pulsectl  # type: ignore[import-untyped]  # noqa: PLC0415 - optional, Linux

        self._pulsectl: Any = pulsectl
        self._pulse: Any = pulsectl.Pulse("agent-workstation-devices")
        self._seen = False
        self._pulse.event_mask_set("sink", "source", "server")
        self._pulse.event_callback_set(self._on_event)

    def _on_event(self, event: Any) -> None:
        # Sinks and sources also 'change' on every stream (running <-> idle, volume): only
        # one appearing or going counts, and the server's 'change' (its default moved).
        if event.facility == "server" or event.t in ("new", "remove"):
            self._seen = True
            raise self._pulsectl.PulseLoopStop  # back to the thread: no calls from here

    def snapshot(self) -> Devices:
        info = self._pulse.server_info()
        return Devices(
            outputs=frozenset(sink.name for sink in self._pulse.sink_list()),
            inputs=frozenset(source.name for source in self._pulse.source_list()),
            default_output=info.default_sink_name or "",
            default_input=info.default_source_name or "",
        )

    def wait(self, timeout_s: float) -> bool:
        self._seen = False
        try:
            self._pulse.event_listen(timeout=timeout_s)
        except self._pulsectl.PulseDisconnected as exc:
            raise ConnectionError("PulseAudio disconnected") from exc
        return self._seen

    def wake(self) -> None:
        self._pulse.event_listen_stop()

    def close(self) -> None:
        self._pulse.close()


def pulsectl_installed() -> bool:
    return importlib.util.find_spec("pulsectl") is not None


def watch_devices(parent: QObject | None = None) -> DeviceWatcher | None:
    """A started watcher of the PulseAudio server this process would play to, or None when
    ``pulsectl`` is not installed (Windows, macOS): Qt's notifications then stand alone."""
    if not pulsectl_installed():
        log.info("audio: no pulsectl here; device changes come from Qt Multimedia only")
        return None
    watcher = DeviceWatcher(PulseSource, parent)
    watcher.start()
    return watcher
