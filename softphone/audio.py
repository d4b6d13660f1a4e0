"""The headset: pjsua2's conference bridge <-> the OS audio devices through Qt Multimedia.

The pjsua2 wheel has no sound devices, so calls are routed through a bridge port (16 kHz mono,
16-bit, 20 ms frames) whose callbacks run on pjmedia's clock thread. They only move bytes
through two small ring buffers (a jitter buffer between the two clocks); the GUI thread moves
the bytes between the ring buffers and a ``QAudioSink`` / ``QAudioSource`` every 10 ms.
A device unplugged mid-call falls back to the system default and says so. Unplugging is
heard from the sound server itself where it can be (``softphone.hotplug``: PulseAudio, whose
removals Qt Multimedia misses), else from Qt's ``QMediaDevices`` notifications.
"""

from __future__ import annotations

import array
import logging
import math
import threading
import time

from PySide6.QtCore import QByteArray, QIODevice, QObject, QTimer, Signal
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSink, QAudioSource, QMediaDevices

from softphone._pj import CLOCK_RATE, FRAME_BYTES
from softphone.hotplug import Devices, DeviceWatcher, choose, lost, qt_view, watch_devices

log = logging.getLogger(__name__)

# Each ring buffer holds at most this much; older audio is dropped. The two clocks (the
# device's and pjmedia's) drift, so a ring slowly fills to this cap: it is the worst delay the
# bridge adds. 160 ms measured as a 145 ms steady mouth-to-call delay; 60 ms keeps it short.
JITTER_MS = 60
MIC_PRIME_MS = 30  # the microphone arrives in bursts of a device period: gather this first
DEVICE_BUFFER_MS = 20
TICK_MS = 10


def _bytes_for(ms: int) -> int:
    return CLOCK_RATE * ms // 1000 * 2


class RingBuffer:
    """A byte FIFO shared by two threads, capped: overflow drops the oldest audio (latency
    never grows), underflow pads with silence (the bridge always gets a whole frame).

    With ``prime``, it is a small jitter buffer: after an underrun it gives silence until that
    much audio has gathered again, so a device that delivers in bursts is not chopped into
    alternating sound and silence."""

    def __init__(self, capacity: int, prime: int = 0) -> None:
        self._data = bytearray()
        self._capacity = capacity
        self._prime = prime
        self._primed = prime == 0
        self._lock = threading.Lock()
        self.dropped = 0
        self.padded = 0

    def write(self, data: bytes) -> None:
        with self._lock:
            self._data += data
            excess = len(self._data) - self._capacity
            if excess > 0:
                excess += excess % 2  # whole samples
                del self._data[:excess]
                self.dropped += excess

    def read(self, size: int, pad: bool = True) -> bytes:
        with self._lock:
            if not self._primed:
                if len(self._data) < self._prime:
                    self.padded += size if pad else 0
                    return bytes(size) if pad else b""
                self._primed = True
            chunk = bytes(self._data[:size])
            del self._data[:size]
            if len(chunk) < size and self._prime:
                self._primed = False
        if pad and len(chunk) < size:
            self.padded += size - len(chunk)
            chunk += bytes(size - len(chunk))
        return chunk

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


def pcm_format() -> QAudioFormat:
    fmt = QAudioFormat()
    fmt.setSampleRate(CLOCK_RATE)
    fmt.setChannelCount(1)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return fmt


def rms(data: bytes) -> float:
    """Loudness 0..1 of 16-bit PCM."""
    samples = array.array("h", data[: len(data) - len(data) % 2])
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768


def _id(device: QAudioDevice) -> str:
    return bytes(device.id().data()).decode(errors="replace")


def _find(devices: list[QAudioDevice], wanted: str) -> QAudioDevice | None:
    """A device by id or by description (what a user sees and the preferences keep)."""
    for device in devices:
        if wanted in (_id(device), device.description()):
            return device
    return None


def _pick(
    devices: list[QAudioDevice],
    wanted: str,
    default: QAudioDevice,
    present: frozenset[str] | None,
    server_default: str,
    named: frozenset[str] = frozenset(),
) -> QAudioDevice:
    """The device to open: the one wanted, else the default; with the sound server's list
    (``present``), only a device the server still has (Qt's list may keep a vanished one)."""
    chosen = _find(devices, wanted) if wanted else None
    if present is not None:
        wanted_id = _id(chosen) if chosen else ""
        name = choose([_id(d) for d in devices], wanted_id, present, server_default, named)
        if name is not None:
            return next((d for d in devices if _id(d) == name), QAudioDevice())
    return chosen or default


class HeadsetBridge(QObject):
    level_changed = Signal(float)  # the microphone's loudness, about 10 times a second
    devices_changed = Signal(str, str)  # output, input descriptions in use ("" if none)
    device_lost = Signal(str)  # the description of a device that disappeared mid-use

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.to_speaker = RingBuffer(_bytes_for(JITTER_MS))  # from the call
        self.from_mic = RingBuffer(_bytes_for(JITTER_MS), _bytes_for(MIC_PRIME_MS))  # to the call
        self._media = QMediaDevices(self)
        self._media.audioOutputsChanged.connect(self._outputs_changed)
        self._media.audioInputsChanged.connect(self._inputs_changed)
        self._watcher: DeviceWatcher | None = None
        self._server: Devices | None = None  # the sound server's devices, when it is watched
        self._named: frozenset[str] = frozenset()  # every device name the server ever reported
        self._lost_input = ""  # the microphone last lost: its replacement is the input's
        self._sink: QAudioSink | None = None
        self._source: QAudioSource | None = None
        self._sink_io: QIODevice | None = None
        self._source_io: QIODevice | None = None
        self.output = QAudioDevice()
        self.input = QAudioDevice()
        self._wanted_output = ""
        self._wanted_input = ""
        self._ticks = 0
        self._level_data = bytearray()
        self._unwritten = bytearray()
        self._mic_carry = b""
        # Audio waiting in the bridge, sampled every tick while a call flows (ms): what this
        # bridge adds to the mouth-to-ear delay, beyond the network and pjmedia's jitter buffer.
        self.speaker_delay_ms: list[float] = []
        self.mic_delay_ms: list[float] = []
        self._last_push = 0.0
        self.echo = False  # echo test: the agent hears their own microphone
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    # -- the bridge port's side (pjmedia's clock thread) ------------------------------------

    def pull_frame(self, size: int = FRAME_BYTES) -> bytes:
        return self.from_mic.read(size)

    def push_frame(self, data: bytes) -> None:
        self.to_speaker.write(data)
        self._last_push = time.monotonic()

    # -- devices (GUI thread) ---------------------------------------------------------------

    @staticmethod
    def outputs() -> list[str]:
        return [d.description() for d in QMediaDevices.audioOutputs()]

    @staticmethod
    def inputs() -> list[str]:
        return [d.description() for d in QMediaDevices.audioInputs()]

    def open(self, output: str = "", input_: str = "") -> None:
        """Use these devices (id or description; "" for the system default)."""
        self._wanted_output, self._wanted_input = output, input_
        if self._watcher is None:
            self._watch()
        self._open_output()
        self._open_input()
        self._timer.start()
        self.devices_changed.emit(self.output.description(), self.input.description())

    def reopen(self, output: str, input_: str) -> None:
        """Switch devices (the agent picked others); calls carry on through the new ones."""
        self.open(output, input_)

    def close(self) -> None:
        self._timer.stop()
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        if self._sink is not None:
            self._sink.stop()
        if self._source is not None:
            self._source.stop()
        self._sink = self._source = None
        self._sink_io = self._source_io = None

    def _open_output(self) -> None:
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()  # a headset replugged all day must not pile them up
        server = self._server
        device = _pick(
            QMediaDevices.audioOutputs(),
            self._wanted_output,
            QMediaDevices.defaultAudioOutput(),
            server.outputs if server is not None else None,
            server.default_output if server is not None else "",
            self._named,
        )
        self.output = device
        if device.isNull():
            self._sink = self._sink_io = None
            log.warning("audio: no playback device; calls are silent here")
            return
        sink = QAudioSink(device, pcm_format(), self)
        sink.setBufferSize(_bytes_for(DEVICE_BUFFER_MS))
        self._sink = sink
        self._sink_io = sink.start()
        log.info("audio: playback on %s", device.description())

    def _open_input(self) -> None:
        if self._source is not None:
            self._source.stop()
            self._source.deleteLater()
        server = self._server
        device = _pick(
            QMediaDevices.audioInputs(),
            self._wanted_input,
            QMediaDevices.defaultAudioInput(),
            server.inputs if server is not None else None,
            server.default_input if server is not None else "",
            self._named,
        )
        self.input = device
        if device.isNull():
            self._source = self._source_io = None
            log.warning("audio: no capture device; the far end hears silence")
            return
        source = QAudioSource(device, pcm_format(), self)
        source.setBufferSize(_bytes_for(DEVICE_BUFFER_MS))
        self._source = source
        self._source_io = source.start()
        log.info("audio: capture from %s", device.description())

    def replacement(self, lost: str) -> str:
        """What is in use now in place of a device just lost ("" for none)."""
        if lost == self._lost_input:
            return self.input.description()
        return self.output.description()

    def _watch(self) -> None:
        """Hear devices come and go from the sound server, where there is one to ask. Its
        first snapshot comes a moment after the devices were opened from Qt's list (the
        thread connects first): ``_server_changed`` judges that one against Qt's list."""
        self._watcher = watch_devices(self)
        if self._watcher is not None:
            self._watcher.changed.connect(self._server_changed)

    def _server_changed(self, now: Devices) -> None:
        """The sound server's devices changed (on this object's thread, queued from the
        watcher's): a device in use that is gone falls back as Qt's notification would.
        A headset plugged back in is not switched to mid-call (as with Qt's path): it is
        in the lists, and the agent picks it, or the next start opens it as wanted."""
        before, self._server = self._server, now
        if before is None:  # the first snapshot: judged against what Qt knew
            qt_outputs = [_id(d) for d in QMediaDevices.audioOutputs()]
            before = qt_view(qt_outputs, [_id(d) for d in QMediaDevices.audioInputs()], now)
        self._named |= now.outputs | now.inputs
        gone = lost(_id(self.output), _id(self.input), before, now)
        in_use = (self.output.description(), self.input.description())
        if gone.output or (self.output.isNull() and now.outputs):
            self._open_output()  # the wanted one if back, else the server's default
        if gone.input or (self.input.isNull() and now.inputs):
            self._open_input()
        if gone or (self.output.description(), self.input.description()) != in_use:
            self.devices_changed.emit(self.output.description(), self.input.description())
        if gone.output:
            self.device_lost.emit(in_use[0])
        if gone.input:
            self._lost_input = in_use[1]
            self.device_lost.emit(in_use[1])

    def _outputs_changed(self) -> None:
        if self.output.isNull() or self.output in QMediaDevices.audioOutputs():
            if self.output.isNull() and QMediaDevices.audioOutputs():
                self._open_output()
            return
        lost = self.output.description()
        self._open_output()  # falls back to the default
        self._report_lost(lost)

    def _inputs_changed(self) -> None:
        if self.input.isNull() or self.input in QMediaDevices.audioInputs():
            if self.input.isNull() and QMediaDevices.audioInputs():
                self._open_input()
            return
        lost = self.input.description()
        self._open_input()
        self._lost_input = lost
        self._report_lost(lost)

    def _report_lost(self, lost: str) -> None:
        # The devices now in use first: across the engine's channel the desk's RemoteHeadset
        # learns them from devices_changed, so a device_lost handler ("X is gone; now using
        # Y") reads the new device, as it does in this process.
        self.devices_changed.emit(self.output.description(), self.input.description())
        self.device_lost.emit(lost)

    # -- moving bytes (GUI thread, every 10 ms) ---------------------------------------------

    def _sample_delay(self) -> None:
        if time.monotonic() - self._last_push > 0.1:
            return  # no call audio flowing
        if self._sink is not None:
            queued = len(self.to_speaker) + len(self._unwritten)
            queued += max(0, self._sink.bufferSize() - self._sink.bytesFree())
            self.speaker_delay_ms.append(queued / _bytes_for(1))
            del self.speaker_delay_ms[:-6000]  # the last minute
        if self._source is not None:
            self.mic_delay_ms.append(len(self.from_mic) / _bytes_for(1) + TICK_MS / 2)
            del self.mic_delay_ms[:-6000]

    def _tick(self) -> None:
        self._sample_delay()
        if self._sink is not None and self._sink_io is not None:
            free = self._sink.bytesFree()
            if free > len(self._unwritten):
                self._unwritten += self.to_speaker.read(free - len(self._unwritten), pad=False)
            if self._unwritten and free > 0:
                # The device may take less than offered: keep the rest, to the byte, for the
                # next tick (a lost odd byte would turn every later sample into noise).
                written = self._sink_io.write(QByteArray(bytes(self._unwritten[:free])))
                if written > 0:
                    del self._unwritten[:written]
        if self._source_io is not None:
            data = self._mic_carry + bytes(self._source_io.readAll().data())
            # Whole samples only: an odd byte waits for its other half.
            cut = len(data) - len(data) % 2
            data, self._mic_carry = data[:cut], data[cut:]
            if data:
                self.from_mic.write(data)
                self._level_data += data
                if self.echo:
                    self.to_speaker.write(data)
        self._ticks += 1
        if self._ticks % 10 == 0:
            self.level_changed.emit(rms(bytes(self._level_data)))
            self._level_data.clear()
