"""A fake hidapi for the headset tests: recorded descriptors (tests/data/hid/*.hid) and input
reports played through the same ``HidBackend`` / ``HidHandle`` protocols hidapi sits behind.

A virtual device through /dev/uhid would exercise the kernel's hidraw path too, but this
machine has no /dev/uhid (no uhid module in the container's kernel), so the layer below
``HidHandle`` is faked here.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from softphone.events import CallDirection, CallInfo, CallState
from softphone.hid.device import HidHandle, HidInfo
from softphone.hid.telephony import HeadsetLeds

DATA = Path(__file__).resolve().parent.parent / "data" / "hid"


@dataclass(frozen=True)
class Step:
    """One line of a sequence: an input report (``report``) and the events it must give, or
    an LED state the desk drives (``leds``) and the output reports it must write (``out``)."""

    report: bytes | None = None
    events: tuple[str, ...] = ()
    leds: HeadsetLeds | None = None
    out: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class Sequence:
    name: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Recording:
    path: Path
    name: str
    vendor_id: int
    product_id: int
    descriptor: bytes
    sequences: tuple[Sequence, ...]
    origin: str = ""  # "recorded" (from a device), "public" (a public source), "constructed"
    sha256: str = ""  # a recorded descriptor's digest as published (the hex was not altered)

    def info(self, path: bytes = b"/dev/hidraw-fake") -> HidInfo:
        return HidInfo(path, self.vendor_id, self.product_id, self.name, "", "", 0x0B, 0x05)


def _hex(text: str) -> bytes:
    return bytes.fromhex(text.split("#", 1)[0])


def _leds(words: list[str]) -> HeadsetLeds:
    known = {"off_hook", "ring", "mute", "hold"}
    bad = set(words) - known
    assert not bad, f"unknown LED {bad}"
    return HeadsetLeds(**{w: True for w in words})


def _step(path: Path, steps: list[Step], word: str, rest: str) -> None:
    if word == "in":
        report, _, expect = rest.partition("->")
        steps.append(Step(report=_hex(report), events=tuple(expect.split())))
    elif word == "leds":
        steps.append(Step(leds=_leds(rest.split())))
    elif word == "out":
        last = steps[-1]
        assert last.leds is not None, f"{path.name}: 'out' must follow 'leds'"
        steps[-1] = Step(leds=last.leds, out=(*last.out, _hex(rest)))
    else:
        raise AssertionError(f"{path.name}: unknown line {word} {rest}")


def load(path: Path) -> Recording:
    """Read one ``.hid`` file (format: tests/data/hid/README.md)."""
    meta: dict[str, str] = {}
    descriptor = b""
    sequences: list[Sequence] = []
    steps: list[Step] = []
    mode = ""
    title = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        word, _, rest = line.partition(" ")
        if mode == "descriptor":
            if line == "end":
                mode = ""
            else:
                descriptor += _hex(line)
        elif mode == "sequence":
            if line == "end":
                sequences.append(Sequence(title, tuple(steps)))
                mode, steps = "", []
            else:
                _step(path, steps, word, rest)
        elif word == "descriptor":
            mode = "descriptor"
        elif word == "sequence":
            mode, title = "sequence", rest
        else:
            meta[word] = rest
    return Recording(
        path,
        meta.get("name", path.stem),
        int(meta.get("vendor", "0"), 16),
        int(meta.get("product", "0"), 16),
        descriptor,
        tuple(sequences),
        meta.get("origin", ""),
        meta.get("sha256", ""),
    )


def recordings(origin: str = "") -> list[Recording]:
    """Every ``.hid`` file, or those of one origin (``recorded``: descriptors read from devices)."""
    found = [load(p) for p in sorted(DATA.glob("*.hid"))]
    return [r for r in found if r.origin == origin] if origin else found


@dataclass
class FakeHandle:
    """An open headset: ``press(report)`` queues an input report as the device would send it;
    the reader's writes are kept in ``written``. ``unplug()`` makes the next read fail as
    hidapi does when the device is gone."""

    descriptor: bytes
    inbox: queue.Queue[bytes | None] = field(default_factory=queue.Queue)
    written: list[bytes] = field(default_factory=list)
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def press(self, report: bytes) -> None:
        self.inbox.put(report)

    def unplug(self) -> None:
        self.inbox.put(None)

    def read(self, size: int, timeout_ms: int) -> bytes:
        try:
            report = self.inbox.get(timeout=timeout_ms / 1000)
        except queue.Empty:
            return b""
        if report is None:
            raise OSError("read error (device disconnected)")
        return report[:size]

    def write(self, data: bytes) -> None:
        with self.lock:
            self.written.append(bytes(data))

    def writes(self) -> list[bytes]:
        with self.lock:
            return list(self.written)

    def report_descriptor(self) -> bytes:
        return self.descriptor

    def close(self) -> None:
        self.closed = True


class FakeBackend:
    """Devices to enumerate and open; ``opened`` holds the handles the reader got."""

    def __init__(self, devices: dict[HidInfo, bytes] | None = None) -> None:
        self.devices = dict(devices or {})
        self.opened: list[FakeHandle] = []
        self.refuse = ""  # non-empty: open() fails with this (permissions, say)

    def enumerate(self) -> list[HidInfo]:
        return list(self.devices)

    def open(self, info: HidInfo) -> HidHandle:
        if self.refuse:
            raise OSError(self.refuse)
        handle = FakeHandle(self.devices[info])
        self.opened.append(handle)
        return handle


class FakePhone(QObject):
    """The Phone's call controls over a list of CallInfo; records what it was asked, and on
    which thread."""

    incoming_call = Signal(object)
    call_state_changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._calls: dict[int, CallInfo] = {}
        self.done: list[tuple[str, int]] = []
        self.threads: set[str] = set()

    def ring(self, call_id: int) -> None:
        info = CallInfo(
            call_id, CallDirection.INBOUND, CallState.INCOMING, "sip:c@h", "13800138000"
        )
        self._calls[call_id] = info
        self.incoming_call.emit(info)

    def put(
        self, call_id: int, state: CallState, direction: CallDirection = CallDirection.INBOUND
    ) -> None:
        self._calls[call_id] = CallInfo(call_id, direction, state, "sip:c@h", "1")

    def calls(self) -> list[CallInfo]:
        return [c for c in self._calls.values() if c.state != CallState.ENDED]

    def _set(self, what: str, call_id: int, **change: object) -> None:
        self.threads.add(threading.current_thread().name)
        self.done.append((what, call_id))
        info = replace(self._calls[call_id], **change)  # type: ignore[arg-type]
        self._calls[call_id] = info
        self.call_state_changed.emit(info)

    def answer(self, call_id: int) -> None:
        self._set("answer", call_id, state=CallState.CONNECTED)

    def hangup(self, call_id: int) -> None:
        self._set("hangup", call_id, state=CallState.ENDED)

    def reject(self, call_id: int, busy: bool = False) -> None:
        self._set("reject", call_id, state=CallState.ENDED)

    def hold(self, call_id: int) -> None:
        self._set("hold", call_id, state=CallState.HELD)

    def resume(self, call_id: int) -> None:
        self._set("resume", call_id, state=CallState.CONNECTED)

    def set_mute(self, call_id: int, muted: bool) -> None:
        self._set("mute" if muted else "unmute", call_id, muted=muted)
