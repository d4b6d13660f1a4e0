"""The softphone: pjsua2 behind a small Qt API. Knows nothing of agents, tickets or HTTP.

Only ``softphone._pj`` will import pjsua2, and only in the phone engine's own process
(``softphone.engine``); pjsua2 types never leave this package. The desk's ``Phone``
(``softphone.proxy``) supervises that process and talks to it over a local channel of the
plain dataclasses of ``softphone.events``. In the engine (decided from measurements on this
project's machines): ``threadCnt = 0`` and ``mainThreadOnly``, with ``libHandleEvents(0)``
polled from a 10 ms Qt timer, so every pjsua2 callback runs on the engine's one thread; audio
frames are the exception and only move bytes through a ring buffer.
"""

from softphone.errors import PhoneError
from softphone.events import (
    MONITOR_HEADER,
    CallDirection,
    CallInfo,
    CallState,
    DtmfMethod,
    EngineState,
    LineInfo,
    LineState,
    MonitorInfo,
    MonitorMode,
    PhoneConfig,
    RecordingInfo,
    RecordingLabels,
    RecordingMode,
    RecordingSettings,
    RecordingState,
    RegistrationInfo,
    RegistrationState,
    SrtpUse,
    Transport,
)
from softphone.proxy import ENGINE_LOST, Phone, RemoteHeadset
from softphone.transfer_note import NOTE_HEADER, clean_note, decode_note, encode_note

__all__ = [
    "ENGINE_LOST",
    "MONITOR_HEADER",
    "NOTE_HEADER",
    "CallDirection",
    "CallInfo",
    "CallState",
    "DtmfMethod",
    "EngineState",
    "LineInfo",
    "LineState",
    "MonitorInfo",
    "MonitorMode",
    "Phone",
    "PhoneConfig",
    "PhoneError",
    "RecordingInfo",
    "RecordingLabels",
    "RecordingMode",
    "RecordingSettings",
    "RecordingState",
    "RegistrationInfo",
    "RegistrationState",
    "RemoteHeadset",
    "SrtpUse",
    "Transport",
    "clean_note",
    "decode_note",
    "encode_note",
]
