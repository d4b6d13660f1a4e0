"""Reaching a headset: hidapi behind two small protocols, and a reader thread per headset.

``HidapiBackend`` uses cython-hidapi (PyPI ``hidapi``, with hidapi and libusb in its wheel):
its ``hidraw`` module on Linux (the kernel keeps the device; nothing is detached, so the
headset's audio and volume keys go on working) and its ``hid`` module elsewhere. Tests use a
fake backend (tests/fakes/hid.py) that plays recorded reports.

``HeadsetReader`` owns the device on its own thread: it opens it, reads the report descriptor,
reads input reports (with a short timeout, so LED writes and stop requests are served between
reads: hidapi handles are not shared between threads) and hands every event to a callback *on
that thread*: the desk moves it to the GUI thread (TaskRunner.post).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from softphone.hid.descriptor import DescriptorError, parse
from softphone.hid.telephony import (
    TELEPHONY_PAGE,
    HeadsetEvent,
    HeadsetLeds,
    TelephonyDecoder,
    TelephonyMap,
    quirks_for,
)

log = logging.getLogger(__name__)

__all__ = [
    "HeadsetReader",
    "HidBackend",
    "HidHandle",
    "HidInfo",
    "HidUnavailableError",
    "HidapiBackend",
    "telephony_headsets",
]

READ_TIMEOUT_MS = 50  # the longest an LED change or a stop waits for the reader
MAX_REPORT = 64  # a full-speed interrupt packet: no telephony report is longer
STOP_WAIT_S = 1.0


class HidUnavailableError(RuntimeError):
    """hidapi cannot be used here (not installed, or its library does not load)."""


@dataclass(frozen=True, slots=True)
class HidInfo:
    """One HID interface (on Linux: one top-level collection) as hidapi enumerates it."""

    path: bytes
    vendor_id: int
    product_id: int
    product: str = ""
    manufacturer: str = ""
    serial: str = ""
    usage_page: int = 0
    usage: int = 0

    @property
    def key(self) -> str:
        """What the settings store to pick this headset again: "vvvv:pppp"."""
        return f"{self.vendor_id:04x}:{self.product_id:04x}"

    @property
    def name(self) -> str:
        label = " ".join(p for p in (self.manufacturer, self.product) if p) or "USB headset"
        return f"{label} ({self.key})"


class HidHandle(Protocol):
    def read(self, size: int, timeout_ms: int) -> bytes: ...
    def write(self, data: bytes) -> None: ...
    def report_descriptor(self) -> bytes: ...
    def close(self) -> None: ...


class HidBackend(Protocol):
    def enumerate(self) -> list[HidInfo]: ...
    def open(self, info: HidInfo) -> HidHandle: ...


class _HidapiHandle:
    def __init__(self, device: object) -> None:
        self._device = device

    def read(self, size: int, timeout_ms: int) -> bytes:
        data = self._device.read(size, timeout_ms)  # type: ignore[attr-defined]
        return bytes(data)

    def write(self, data: bytes) -> None:
        if self._device.write(data) < 0:  # type: ignore[attr-defined]
            raise OSError("the headset refused the report")

    def report_descriptor(self) -> bytes:
        return bytes(self._device.get_report_descriptor())  # type: ignore[attr-defined]

    def close(self) -> None:
        self._device.close()  # type: ignore[attr-defined]


class HidapiBackend:
    def __init__(self) -> None:
        try:
            if sys.platform.startswith("linux"):
                import hidraw as module  # noqa: PLC0415 - optional: a missing one is a message
            else:
                import hid as module  # noqa: PLC0415
        except ImportError as exc:  # not installed, or libudev/libusb missing
            raise HidUnavailableError(f"hidapi is not available ({exc})") from exc
        self._module = module

    def enumerate(self) -> list[HidInfo]:
        return [
            HidInfo(
                path=bytes(d.get("path") or b""),
                vendor_id=int(d.get("vendor_id") or 0),
                product_id=int(d.get("product_id") or 0),
                product=str(d.get("product_string") or ""),
                manufacturer=str(d.get("manufacturer_string") or ""),
                serial=str(d.get("serial_number") or ""),
                usage_page=int(d.get("usage_page") or 0),
                usage=int(d.get("usage") or 0),
            )
            for d in self._module.enumerate()
        ]

    def open(self, info: HidInfo) -> HidHandle:
        device = self._module.device()
        device.open_path(info.path)
        return _HidapiHandle(device)


def telephony_headsets(backend: HidBackend) -> list[HidInfo]:
    """The interfaces whose top-level collection is on the Telephony page (0x0B)."""
    return [d for d in backend.enumerate() if d.usage_page == TELEPHONY_PAGE]


class HeadsetReader:
    """One headset on a thread of its own. ``on_event`` and ``on_status`` are called on that
    thread; ``on_status(text, ok)`` says it is ready (ok) or why it stopped (not ok)."""

    def __init__(
        self,
        backend: HidBackend,
        info: HidInfo,
        on_event: Callable[[HeadsetEvent], object],
        on_status: Callable[[str, bool], object],
    ) -> None:
        self.backend = backend
        self.info = info
        self._on_event = on_event
        self._on_status = on_status
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._leds: HeadsetLeds | None = None  # to write; None: nothing new
        self._thread = threading.Thread(target=self._run, name="hid-headset", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def set_leds(self, leds: HeadsetLeds) -> None:
        """From any thread: the reader writes them between two reads."""
        with self._lock:
            self._leds = leds

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(STOP_WAIT_S)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        name = self.info.name
        try:
            handle = self.backend.open(self.info)
        except (OSError, ValueError) as exc:
            self._on_status(f"{name}: cannot open ({exc})", False)
            return
        try:
            self._serve(handle, name)
        finally:
            with contextlib.suppress(OSError, ValueError):
                handle.close()

    def _serve(self, handle: HidHandle, name: str) -> None:
        quirks = quirks_for(self.info.vendor_id, self.info.product_id)
        try:
            mapping = TelephonyMap.from_descriptor(parse(handle.report_descriptor()), quirks)
        except (OSError, ValueError) as exc:  # DescriptorError is a ValueError
            self._on_status(f"{name}: unreadable report descriptor ({exc})", False)
            return
        if not mapping.has_buttons:
            self._on_status(f"{name}: no telephony buttons in its report descriptor", False)
            return
        decoder = TelephonyDecoder(mapping, quirks, name)
        self._on_status(name, True)
        while not self._stop.is_set():
            try:
                self._write_leds(handle, mapping, decoder)
                report = handle.read(MAX_REPORT, READ_TIMEOUT_MS)
            except (OSError, ValueError) as exc:  # unplugged: hidapi raises on the read
                self._on_status(f"{name}: disconnected ({exc})", False)
                return
            try:
                events = decoder.feed(report)
            except DescriptorError as exc:
                log.debug("hid: %s: report %s ignored: %s", name, report.hex(), exc)
                continue
            for event in events:
                self._on_event(event)

    def _write_leds(
        self, handle: HidHandle, mapping: TelephonyMap, decoder: TelephonyDecoder
    ) -> None:
        with self._lock:
            leds, self._leds = self._leds, None
        if leds is None:
            return
        decoder.sync_hook(leds.off_hook)  # the headset's hook state follows its LED
        for report in mapping.output_reports(leds):
            handle.write(report)
