"""Watching outside extensions' lines by SIP dialog events (RFC 4235), in the engine only.

pjsua (the C library inside the wheel) subscribes to ``Event: dialog`` and parses the
dialog-info NOTIFYs, but the ``pjsua2-python`` 2.15.1 wheel does not expose it: its
``BuddyConfig`` has no ``subscribe_dlg_event`` and pjsua2's endpoint does not forward
``on_buddy_dlg_event_state``. The C functions are exported from the same shared object, so
this module calls two of them with ctypes on a buddy pjsua2 created
(``pjsua_buddy_subscribe_dlg_event``, ``pjsua_buddy_get_dlg_event_info``) and reads the
result on the engine's polling thread, a few times a second (there is no callback to wait
for). The struct below is ``pjsua_buddy_dlg_event_info`` of pjproject 2.15.1's ``pjsua.h``;
it is read from a buffer far larger than the struct, so a wheel built with a larger internal
buffer (``PJSUA_BUDDY_DLG_EVENT_INFO_BUF_SIZE``, the last field) cannot write past it.

pjsua renews the subscription itself; one it ended (a 489, no answer) is tried again by pjsua
after about five minutes (``PJSUA_PRES_TIMER``). Buddies are deleted here, on the polling
thread, before the account shuts down: pjsua2's ``Account.shutdown`` would delete them from
C++ under Python's feet, and one alive at ``libDestroy`` outlives its library.
"""

from __future__ import annotations

import ctypes
import logging
import time
from collections.abc import Callable
from typing import Any

import pjsua2 as pj
from pjsua2 import _pjsua2

from softphone.blf import line_state, line_uri
from softphone.events import LineInfo, LineState

log = logging.getLogger("softphone.pjsua")

READ_EVERY_S = 0.2  # how often the lines are read: a lamp a fifth of a second late is fine
# A directory's handful; a list pasted by mistake must not become hundreds of SIP dialogs
# (pjsua's buddy table holds 256, each subscription a dialog the PBX keeps too).
MAX_LINES = 64
_INFO_BYTES = 64 * 1024  # the buffer the struct is read from (the struct is about 1.4 kB)


class _PjStr(ctypes.Structure):
    _fields_ = [("ptr", ctypes.c_void_p), ("slen", ctypes.c_ssize_t)]

    def text(self) -> str:
        if not self.ptr or self.slen <= 0:
            return ""
        return ctypes.string_at(self.ptr, min(int(self.slen), 4096)).decode("utf-8", "replace")


_STRINGS = (
    "uri",
    "dialog_id",
    "dialog_info_state",
    "dialog_info_entity",
    "dialog_call_id",
    "dialog_remote_tag",
    "dialog_local_tag",
    "dialog_direction",
    "dialog_state",
    "dialog_duration",
    "local_identity",
    "local_identity_display",
    "local_target_uri",
    "remote_identity",
    "remote_identity_display",
    "remote_target_uri",
)


class _DlgEventInfo(ctypes.Structure):
    """``pjsua_buddy_dlg_event_info`` (pjproject 2.15.1), up to its internal buffer."""

    _fields_ = [
        ("id", ctypes.c_int),
        *((name, _PjStr) for name in _STRINGS),
        ("sub_state", ctypes.c_int),
        ("sub_state_name", ctypes.c_char_p),
        ("sub_term_code", ctypes.c_uint),
        ("sub_term_reason", _PjStr),
    ]


def _library() -> Any:
    lib = ctypes.CDLL(_pjsua2.__file__)  # already loaded by pjsua2: the same handle
    lib.pjsua_buddy_subscribe_dlg_event.argtypes = [ctypes.c_int, ctypes.c_int]
    lib.pjsua_buddy_subscribe_dlg_event.restype = ctypes.c_int
    lib.pjsua_buddy_get_dlg_event_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    lib.pjsua_buddy_get_dlg_event_info.restype = ctypes.c_int
    return lib


class LineWatch:
    """The watched extensions of one account: a pjsua2 ``Buddy`` each, subscribed to dialog
    events; ``poll`` reports each line whose state changed."""

    def __init__(self, report: Callable[[LineInfo], None]) -> None:
        self._report = report
        self._lib: Any = None
        self._buddies: dict[str, pj.Buddy] = {}
        self._known: dict[str, LineInfo] = {}
        self._buffer = ctypes.create_string_buffer(_INFO_BYTES)
        self._next_read = 0.0

    def start(
        self, account: pj.Account, extensions: tuple[str, ...], domain: str, transport: str
    ) -> None:
        if not extensions:
            return
        wanted = list(dict.fromkeys(e.strip() for e in extensions if e.strip()))
        try:
            self._lib = _library()
        except (OSError, AttributeError) as exc:
            # A wheel without these functions: the phone still starts, the lamps say so.
            log.warning("dialog events unavailable in this pjsua build: %s", exc)
            for extension in wanted:
                self._set(LineInfo(extension, LineState.NOT_OFFERED, 0, "not in this build"))
            return
        if len(wanted) > MAX_LINES:
            log.warning("watching the first %d of %d lines only", MAX_LINES, len(wanted))
        for extension in wanted[:MAX_LINES]:
            buddy = pj.Buddy()
            config = pj.BuddyConfig()
            config.uri = line_uri(extension, domain, transport)
            config.subscribe = False  # presence (PIDF): not what a PBX's lamps speak
            try:
                buddy.create(account, config)
            except pj.Error as exc:
                log.warning("line %s: not watched: %s", extension, exc.reason)
                self._set(LineInfo(extension, LineState.NOT_OFFERED, 0, str(exc.reason)))
                continue
            self._buddies[extension] = buddy
            status = self._lib.pjsua_buddy_subscribe_dlg_event(buddy.getId(), 1)
            if status != 0:
                log.warning(
                    "line %s: dialog events not subscribed (pj status %d)", extension, status
                )
            self._set(LineInfo(extension))
        log.info("watching lines %s by dialog events", ", ".join(self._buddies))

    def lines(self) -> list[LineInfo]:
        return list(self._known.values())

    def poll(self, now: float | None = None) -> None:
        """Read every line (on the polling thread); report the changes."""
        if not self._buddies:
            return
        now = time.monotonic() if now is None else now
        if now < self._next_read:
            return
        self._next_read = now + READ_EVERY_S
        for extension, buddy in self._buddies.items():
            info = self._read(extension, buddy)
            if info is not None:
                self._set(info)

    def _read(self, extension: str, buddy: pj.Buddy) -> LineInfo | None:
        ctypes.memset(self._buffer, 0, ctypes.sizeof(_DlgEventInfo))
        if self._lib.pjsua_buddy_get_dlg_event_info(buddy.getId(), self._buffer) != 0:
            return None
        raw = _DlgEventInfo.from_buffer(self._buffer)
        name = (raw.sub_state_name or b"").decode("ascii", "replace")
        code = int(raw.sub_term_code)
        state = line_state(name, code, raw.dialog_state.text(), raw.dialog_direction.text())
        reason = raw.sub_term_reason.text() if state is LineState.NOT_OFFERED else ""
        return LineInfo(extension, state, code if state is LineState.NOT_OFFERED else 0, reason)

    def _set(self, info: LineInfo) -> None:
        if self._known.get(info.extension) == info:
            return
        self._known[info.extension] = info
        log.info("line %s: %s %s", info.extension, info.state.value, info.status_code or "")
        self._report(info)

    def stop(self) -> None:
        """Unsubscribe and delete the buddies (before the account and the library go)."""
        # pjsua2's destructor deletes the buddy from pjsua, which unsubscribes (Expires: 0).
        self._buddies.clear()
        self._known.clear()
