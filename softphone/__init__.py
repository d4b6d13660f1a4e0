"""The softphone: pjsua2 behind a small Qt API. Knows nothing of agents, tickets or HTTP.

Only ``softphone._pj`` will import pjsua2; pjsua2 types never leave this package. Events are
the plain dataclasses of ``softphone.events``. Threading (decided from measurements on this
project's machines): ``threadCnt = 0`` and ``mainThreadOnly``, with ``libHandleEvents(0)``
polled from a 10 ms Qt timer, so every pjsua2 callback runs on the GUI thread; audio frames
are the exception and only move bytes through a ring buffer (see ../shared/ARCHITECTURE.md).
"""

from softphone.events import (
    MONITOR_HEADER,
    CallDirection,
    CallInfo,
    CallState,
    DtmfMethod,
    MonitorInfo,
    MonitorMode,
    PhoneConfig,
    RegistrationInfo,
    RegistrationState,
    SrtpUse,
    Transport,
)
from softphone.phone import Phone, PhoneError
from softphone.transfer_note import NOTE_HEADER, clean_note, decode_note, encode_note

__all__ = [
    "MONITOR_HEADER",
    "NOTE_HEADER",
    "CallDirection",
    "CallInfo",
    "CallState",
    "DtmfMethod",
    "MonitorInfo",
    "MonitorMode",
    "Phone",
    "PhoneConfig",
    "PhoneError",
    "RegistrationInfo",
    "RegistrationState",
    "SrtpUse",
    "Transport",
    "clean_note",
    "decode_note",
    "encode_note",
]
