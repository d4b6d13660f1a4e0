"""What the phone tells the rest of the app: frozen dataclasses and enums, never pjsua2 types."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CallState(StrEnum):
    """Call progress as an explicit state machine (after Blink's sessions)."""

    INCOMING = "incoming"
    DIALING = "dialing"
    RINGING = "ringing"  # far end alerting (180/183)
    CONNECTED = "connected"
    HELD = "held"
    ENDING = "ending"
    ENDED = "ended"


class CallDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class RegistrationState(StrEnum):
    UNREGISTERED = "unregistered"
    REGISTERING = "registering"
    REGISTERED = "registered"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class CallInfo:
    call_id: int
    direction: CallDirection
    state: CallState
    remote_uri: str
    remote_number: str
    display_name: str = ""
    reason: str = ""
