"""The desk <-> engine channel: length-prefixed JSON frames over a local socket pair.

Every frame is one JSON object with ``v`` (the protocol version). Commands go to the engine
(``id``, ``op``, ``args``) and each gets one answer (``re`` = the command's id, ``ok``, and
``error`` / ``reason`` when it failed); events come from the engine (``ev``, ``args``, and
``at``: the engine's unix time when it was sent, so the desk can put its stamps on its own
clock). No pickle: values are JSON, and the dataclasses and enums of ``softphone.events`` are
written generically, field by field, tagged with their class name. A field the other side does
not know is dropped when read, a missing one takes its default, so a field added to an event
(with a default, at the end) crosses the boundary without code here.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import socket
import struct
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier

from softphone import events

VERSION = 1
HEADER = struct.Struct(">I")
MAX_FRAME = 4 * 1024 * 1024  # a frame longer than this is a broken peer, not a message

Json = Any  # what json.loads gives: the one untyped spot, decoded at once by ``decode``


def _catalogue() -> tuple[dict[str, type[Any]], dict[str, type[enum.Enum]]]:
    """The dataclasses and enums of ``softphone.events``, by name (found, not listed)."""
    classes: dict[str, type[Any]] = {}
    enums: dict[str, type[enum.Enum]] = {}
    for name, value in vars(events).items():
        if isinstance(value, type) and value.__module__ == events.__name__:
            if issubclass(value, enum.Enum):
                enums[name] = value
            elif dataclasses.is_dataclass(value):
                classes[name] = value
    return classes, enums


CLASSES, ENUMS = _catalogue()


def encode(value: object) -> Json:
    """A value as JSON: dataclasses as ``{"$": name, field: value...}``, enums as
    ``{"$e": name, "v": value}``, tuples as lists; plain values as they are."""
    if isinstance(value, enum.Enum):
        return {"$e": type(value).__name__, "v": value.value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Json] = {"$": type(value).__name__}
        for item in dataclasses.fields(value):
            out[item.name] = encode(getattr(value, item.name))
        return out
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot send a {type(value).__name__} to the phone engine")


def decode(data: Json) -> Any:
    if isinstance(data, list):
        return [decode(item) for item in data]
    if isinstance(data, dict):
        if "$e" in data:
            kind = ENUMS.get(str(data["$e"]))
            return kind(data["v"]) if kind is not None else data["v"]
        if "$" in data:
            cls = CLASSES.get(str(data["$"]))
            values = {key: decode(item) for key, item in data.items() if key != "$"}
            if cls is None:
                return values
            fields = {item.name: item for item in dataclasses.fields(cls)}
            kept = {key: item for key, item in values.items() if key in fields}
            for key, item in kept.items():  # JSON has no tuples: a tuple field gets one back
                if isinstance(item, list) and isinstance(fields[key].default, tuple):
                    kept[key] = _tuples(item)
            return cls(**kept)
        return {key: decode(item) for key, item in data.items()}
    return data


def _tuples(value: Any) -> Any:
    """Lists back to tuples, at every depth (``(("Diversion", "..."),)``)."""
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value


def frame(message: dict[str, Json]) -> bytes:
    body = json.dumps({"v": VERSION, **message}, ensure_ascii=False).encode()
    return HEADER.pack(len(body)) + body


class Channel(QObject):
    """One end of the socket pair, driven by the Qt event loop of its thread: frames are read
    when the socket is readable and written as it accepts them (never blocking on the peer:
    a busy peer makes the queue grow, not this thread wait)."""

    def __init__(
        self,
        sock: socket.socket,
        on_message: Callable[[dict[str, Json]], None],
        on_closed: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        sock.setblocking(False)
        self.sock = sock
        self._on_message = on_message
        self._on_closed = on_closed
        self._inbox = bytearray()
        self._outbox = bytearray()
        self.closed = False
        self._reader = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._reader.activated.connect(self._readable)
        self._writer = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Write, self)
        self._writer.setEnabled(False)
        self._writer.activated.connect(self._writable)

    def send(self, message: dict[str, Json]) -> None:
        if self.closed:
            return
        self._outbox += frame(message)
        self._writable()

    def flush(self, timeout_s: float) -> None:
        """Block until what is queued is written (only when shutting down)."""
        if self.closed or not self._outbox:
            return
        self.sock.settimeout(timeout_s)
        try:
            self.sock.sendall(bytes(self._outbox))
            self._outbox.clear()
        except OSError:
            pass
        finally:
            if not self.closed:
                self.sock.setblocking(False)

    def read_now(self) -> None:
        """Read what has arrived without waiting for the event loop (a blocking wait)."""
        self._readable()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self._reader.setEnabled(False)
        self._writer.setEnabled(False)
        self.sock.close()

    def _writable(self) -> None:
        if self.closed:
            return
        while self._outbox:
            try:
                sent = self.sock.send(self._outbox)
            except BlockingIOError:
                break
            except OSError:
                self._lost()
                return
            del self._outbox[:sent]
        self._writer.setEnabled(bool(self._outbox))

    def _readable(self) -> None:
        if self.closed:
            return
        while True:
            try:
                chunk = self.sock.recv(65536)
            except BlockingIOError:
                break
            except OSError:
                self._lost()
                return
            if not chunk:
                self._deliver()
                self._lost()
                return
            self._inbox += chunk
        self._deliver()

    def _deliver(self) -> None:
        while len(self._inbox) >= HEADER.size:
            (length,) = HEADER.unpack_from(self._inbox)
            if length > MAX_FRAME:
                self._lost()
                return
            if len(self._inbox) < HEADER.size + length:
                return
            body = bytes(self._inbox[HEADER.size : HEADER.size + length])
            del self._inbox[: HEADER.size + length]
            message = json.loads(body)
            if not isinstance(message, dict) or message.get("v") != VERSION:
                self._lost()
                return
            self._on_message(message)
            if self.closed:
                return

    def _lost(self) -> None:
        if self.closed:
            return
        self.close()
        self._on_closed()
