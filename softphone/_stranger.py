"""Strangers answered 403 below pjsua's call layer, statelessly: no call slot, no media.

pjsua2 2.15.1 shows Python an INVITE (``onIncomingCall``) only after pjsua has created the
call's media transport: two of pjlib's 64 ioqueue slots, held 500 ms after closing, and a wheel
built with assertions on aborts when they run out (issue 17). So an INVITE from a source the
engine does not trust is refused one level lower: a pjsip module registered through ctypes into
the loaded library (as ``softphone/_blf.py`` calls pjsua's C functions), at priority
``PJSIP_MOD_PRIORITY_TRANSPORT_LAYER - 2`` so it sees every request before pjsua's message
logger and the transaction, dialog and pjsua layers. Its ``on_rx_request`` asks the engine's
guard about the request's source and either passes it on, answers it with
``pjsip_endpt_respond_stateless`` (nothing is kept: no transaction, no dialog, no call, no
socket) or swallows it (an ACK; a refusal over the guard's budget). Responses are never looked
at: answers to our own requests come from wherever we sent them.

The structs below mirror pjproject 2.15.1 (``pjsip/sip_module.h``, ``pjsip/sip_transport.h``
with its default ``PJSIP_MAX_PKT_LEN`` of 4000, which the ``pjsua2-python`` wheel keeps). They
cannot be read from the wheel, so every request is checked against itself before it is trusted
(the message text lies inside the packet buffer, the port in ``src_name``'s neighbour agrees
with the socket address): a wheel laid out otherwise fails the check, the module stops
deciding (everything passes, as without it) and the engine falls back to the kernel filter
that drops strangers outright (``softphone/engine/guard.py``).

Threading: pjsip calls ``on_rx_request`` on the thread that polls ``libHandleEvents`` (the
engine's one thread: ``threadCnt = 0``); ctypes takes the GIL for it. The callback and the
module struct are kept by this object, which ``PjStack`` holds until it has unregistered the
module, before ``libDestroy``; one pjsip might still call is never freed (``_KEPT``).
"""

from __future__ import annotations

import ctypes
import logging
import socket
from collections.abc import Callable
from enum import IntEnum
from typing import Any

log = logging.getLogger("softphone.pjsua")

PJSIP_MOD_PRIORITY_TRANSPORT_LAYER = 8
# Before every module that acts on a request: pjsua's message logger (TRANSPORT_LAYER - 1)
# included. At TSX_LAYER - 1 every stranger's datagram was traced first and crossed to the desk
# as a ``sip_message`` event: a 300/s flood became 300+ events a second on the desk's GUI
# thread and pushed the real calls out of the trace's ring. Only our 403s are traced now (at
# most the budget). pjsip has parsed the message before any module sees it.
PRIORITY = PJSIP_MOD_PRIORITY_TRANSPORT_LAYER - 2
PJSIP_MAX_PKT_LEN = 4000  # pjproject's default (sip_config.h); checked on every request
PJ_INET6_ADDRSTRLEN = 46
METHOD_BYTES = 16  # enough of the request line for any method we look at
PJ_TRUE, PJ_FALSE = 1, 0


class Verdict(IntEnum):
    """What to do with a request, as the guard decides it."""

    PASS = 0  # on to pjsip's transaction, dialog and call layers
    REFUSE = 403  # answered 403 Forbidden statelessly
    DROP = -1  # swallowed: no answer (an ACK; refusals over the budget)


Decide = Callable[[str, str], Verdict]  # (source ip, method) -> what to do


class _PjStr(ctypes.Structure):
    _fields_ = (("ptr", ctypes.c_void_p), ("slen", ctypes.c_ssize_t))


_OnRxRequest = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)


class _Module(ctypes.Structure):
    """``pjsip_module`` (pjproject 2.15.1)."""

    _fields_ = (
        ("prev", ctypes.c_void_p),
        ("next", ctypes.c_void_p),
        ("name", _PjStr),
        ("id", ctypes.c_int),
        ("priority", ctypes.c_int),
        ("load", ctypes.c_void_p),
        ("start", ctypes.c_void_p),
        ("stop", ctypes.c_void_p),
        ("unload", ctypes.c_void_p),
        ("on_rx_request", _OnRxRequest),
        ("on_rx_response", ctypes.c_void_p),
        ("on_tx_request", ctypes.c_void_p),
        ("on_tx_response", ctypes.c_void_p),
        ("on_tsx_state", ctypes.c_void_p),
    )


class _SockAddr(ctypes.Structure):
    """``pj_sockaddr``: the family and port lead both of its members (Linux: no length byte)."""

    _fields_ = (
        ("family", ctypes.c_uint16),
        ("port", ctypes.c_uint16),  # network order
        ("rest", ctypes.c_uint8 * 24),
    )


class _RxData(ctypes.Structure):
    """The head of ``pjsip_rx_data`` (pjproject 2.15.1) up to ``msg_info.msg_buf``."""

    _fields_ = (
        # tp_info: pool, transport, tp_data, then pjsip_rx_data_op_key (pj_ioqueue_op_key_t:
        # 32 internal pointers, activesock_data, user_data; then the rdata pointer).
        ("tp_pointers", ctypes.c_void_p * 3),
        ("op_key", ctypes.c_void_p * 35),
        # pkt_info
        ("timestamp", ctypes.c_long * 2),
        ("packet", ctypes.c_char * PJSIP_MAX_PKT_LEN),
        ("zero", ctypes.c_uint32),
        ("len", ctypes.c_ssize_t),
        ("src_addr", _SockAddr),
        ("src_addr_len", ctypes.c_int),
        ("src_name", ctypes.c_char * PJ_INET6_ADDRSTRLEN),
        ("src_port", ctypes.c_int),
        # msg_info
        ("msg_buf", ctypes.c_void_p),
        ("msg_len", ctypes.c_int),
    )


def read_request(rdata: int) -> tuple[str, str] | None:
    """(source ip, method) of the request at ``rdata``; None when the memory does not look like
    pjproject 2.15.1's ``pjsip_rx_data`` (then nothing of it may be believed)."""
    head = _RxData.from_address(rdata)
    packet = rdata + _RxData.packet.offset
    length = int(head.len)
    if not 0 < length <= PJSIP_MAX_PKT_LEN:
        return None
    buffer = int(head.msg_buf or 0)  # a stream transport may have several messages queued
    if not packet <= buffer < packet + length or not 0 < head.msg_len <= length:
        return None
    if head.src_addr.family not in (socket.AF_INET, socket.AF_INET6):
        return None
    if head.src_port != socket.ntohs(head.src_addr.port) or not 0 < head.src_port < 65536:
        return None
    try:
        ip = head.src_name.decode("ascii")
        socket.inet_pton(head.src_addr.family, ip)
    except (UnicodeDecodeError, OSError):
        return None
    line = ctypes.string_at(buffer, min(METHOD_BYTES, int(head.msg_len)))
    method = line.split(b" ", 1)[0].decode("ascii", "replace")
    return ip, method


class StrangerDoor:
    """The pjsip module; ``open`` registers it, ``close`` (before ``libDestroy``) removes it."""

    def __init__(self, library: str, decide: Decide) -> None:
        self._decide = decide
        self._lib: Any = None
        self._endpt = 0
        self._name = ctypes.create_string_buffer(b"mod-stranger-door")
        self._callback = _OnRxRequest(self._on_rx_request)
        self._module = _Module()
        self._module.name.ptr = ctypes.addressof(self._name)
        self._module.name.slen = len(self._name.value)
        self._module.id = -1
        self._module.priority = PRIORITY
        self._module.on_rx_request = self._callback
        self._library = library
        self.broken = ""  # why the door stopped deciding ("" while it decides)
        self.refused = 0
        self.dropped = 0

    @property
    def registered(self) -> bool:
        return bool(self._endpt)

    def open(self) -> bool:
        """Register the module with pjsua's endpoint (after ``libInit``). False when this
        build does not offer it (the reason is logged and kept in ``broken``)."""
        try:
            lib = ctypes.CDLL(self._library)  # already loaded by pjsua2: the same handle
            lib.pjsua_get_pjsip_endpt.argtypes = []
            lib.pjsua_get_pjsip_endpt.restype = ctypes.c_void_p
            for name in ("pjsip_endpt_register_module", "pjsip_endpt_unregister_module"):
                getattr(lib, name).argtypes = [ctypes.c_void_p, ctypes.c_void_p]
                getattr(lib, name).restype = ctypes.c_int
            respond = lib.pjsip_endpt_respond_stateless
            respond.argtypes = [ctypes.c_void_p] * 2 + [ctypes.c_int] + [ctypes.c_void_p] * 3
            respond.restype = ctypes.c_int
        except (OSError, AttributeError) as exc:
            self.broken = f"not in this pjsua build: {exc}"
            log.warning("stranger door: %s", self.broken)
            return False
        endpt = int(lib.pjsua_get_pjsip_endpt() or 0)
        status = lib.pjsip_endpt_register_module(endpt, ctypes.byref(self._module)) if endpt else -1
        if status != 0:
            self.broken = f"module not registered (pj status {status})"
            log.warning("stranger door: %s", self.broken)
            return False
        self._lib, self._endpt = lib, endpt
        log.info("stranger door: pjsip module %d at priority %d", self._module.id, PRIORITY)
        return True

    def close(self) -> None:
        """Unregister the module (on the polling thread, before ``libDestroy``)."""
        if not self._endpt:
            return
        status = self._lib.pjsip_endpt_unregister_module(self._endpt, ctypes.byref(self._module))
        if status != 0:  # pjsip may still call it: never free what it points at
            log.warning("stranger door: not unregistered (pj status %d); kept", status)
            _KEPT.append(self)
        self._endpt = 0

    def _on_rx_request(self, rdata: int | None) -> int:
        # pjsip's thread, inside libHandleEvents: tiny, and never raise (ctypes would print
        # the traceback and return 0, which passes the request on, so that is the default).
        try:
            if self.broken or not rdata:
                return PJ_FALSE
            request = read_request(rdata)
            if request is None:
                self.broken = "pjsip_rx_data is not laid out as in pjproject 2.15.1"
                log.error("stranger door: %s; strangers are left to the kernel filter", self.broken)
                return PJ_FALSE
            verdict = self._decide(*request)
            if verdict is Verdict.PASS:
                return PJ_FALSE
            if verdict is Verdict.REFUSE:
                self.refused += 1
                self._lib.pjsip_endpt_respond_stateless(
                    self._endpt, rdata, int(Verdict.REFUSE), None, None, None
                )
            else:
                self.dropped += 1
            return PJ_TRUE
        except Exception:
            log.exception("stranger door: a request could not be screened; passed on")
            return PJ_FALSE


# Doors pjsip would not let go of: alive for the rest of the process, as pjsip may call them.
_KEPT: list[StrangerDoor] = []
