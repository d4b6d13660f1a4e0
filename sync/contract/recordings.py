"""Call recordings (contract 1.7, issue 20): what a desk records, and what travels with it.

The desk records each call from its own conference bridge: a stereo Ogg/Opus file, the agent
on the left channel and the far end (the customer, or every far party of a consult or a
conference) on the right, written while the call runs. When the call ends the file is
finished and a ``RecordingMeta`` is written beside it in the desk's spool; the uploader sends
both, resumably, and removes them only once the server confirms the same SHA-256.

A centre whose PBX records sets the desk to ``pbx`` (``RecordingMode``): the desk writes no
audio and keeps the PBX's recording id, read from a SIP header of the call, on the same
metadata (``source="pbx"``; no file to upload).

Pauses (PCI DSS: a card number read out) hold silence in the file, no audio at all, and are
listed here with who paused, why, and when; each pause and resume is also audited on the
server as it happens.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from sync.contract.wire import Instant, WireModel, refuse_control_characters

# The file: Ogg/Opus, 2 channels, this rate (Opus's wide band; the bridge runs at 16 kHz).
SAMPLE_RATE = 16_000
CHANNELS = 2
CHANNEL_ROLES = ("agent", "customer")  # left, right
MEDIA_TYPE = "audio/ogg; codecs=opus"

_Ms = Annotated[int, Field(ge=0, le=86_400_000)]  # up to a day of call
_Text = Annotated[str, Field(max_length=200)]


class RecordingMode(StrEnum):
    """Who records a centre's calls (a desk setting of the centre)."""

    DESK = "desk"  # this desk, from its bridge
    PBX = "pbx"  # the PBX; the desk links the PBX's id
    OFF = "off"


class CallKind(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    CONSULT = "consult"
    CONFERENCE = "conference"


class PauseReason(StrEnum):
    AGENT = "agent"  # the button or its key
    SENSITIVE_FIELD = "sensitive_field"  # the agent focused a field marked sensitive


class Span(WireModel):
    """A stretch of the recording, in milliseconds from its start."""

    start_ms: _Ms
    end_ms: _Ms


class PauseSpan(Span):
    """A paused stretch: silence in the file. ``by`` is the username who paused; resumed by
    the agent, by the countdown (``auto_resumed``) or by the call's end."""

    reason: PauseReason
    by: _Text
    paused_at: datetime
    resumed_at: datetime
    auto_resumed: bool = False


class RecordingMeta(WireModel):
    """One call's recording, as the desk describes it. ``recording_id`` is made by the desk
    (a UUID's 32 hex digits) and names the upload: sending it again never makes a second."""

    recording_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    source: RecordingMode = RecordingMode.DESK
    pbx_recording_id: _Text | None = None
    sip_call_id: _Text = ""
    interaction_id: Annotated[int, Field(ge=1)] | None = None  # once the desk knows it
    customer_id: Annotated[int, Field(ge=1)] | None = None
    kind: CallKind = CallKind.INBOUND
    queue: _Text = ""
    agent: _Text  # username
    started_at: datetime
    ended_at: datetime
    duration_ms: _Ms
    sample_rate: int = SAMPLE_RATE
    channels: int = CHANNELS
    media_type: _Text = MEDIA_TYPE
    size_bytes: Annotated[int, Field(ge=0)] = 0
    sha256: Annotated[str, Field(pattern=r"^([0-9a-f]{64})?$")] = ""  # '' when source=pbx
    pauses: list[PauseSpan] = Field(default_factory=list, max_length=1000)
    holds: list[Span] = Field(default_factory=list, max_length=1000)


# -- pause and resume, as they happen (1.7) ------------------------------------------------------
# Each pause and resume of a recording is sent by the desk through its outbox (nothing lost
# offline) to ``RECORDING_EVENTS``: audited on the server (who, when, which call, why) and shown
# on the lead's board while the call is paused. A server before 1.7 answers 404: the desk drops
# the event (logged) and the recording goes on; the pauses are in its metadata anyway.

RECORDING_EVENTS = "/recordings/events"
PAUSED_CALLS = "/recordings/paused"  # GET: the lead's teams' calls paused now
PAUSED_FOR_S = 12 * 3600  # a pause with no resume after this is not "paused now" (a lost desk)

_Id = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$"), AfterValidator(refuse_control_characters)]
_Plain = Annotated[str, Field(max_length=200), AfterValidator(refuse_control_characters)]


class RecordingEventKind(StrEnum):
    PAUSED = "paused"
    RESUMED = "resumed"


class RecordingEventIn(WireModel):
    """A desk's recording was paused or resumed (by the agent, a sensitive field, the
    countdown or the call's end)."""

    recording_id: _Id
    sip_call_id: _Plain = ""
    event: RecordingEventKind
    reason: PauseReason | None = None  # paused: why
    auto: bool = False  # resumed by the countdown or by the call's end
    at: Instant  # when, on the desk's clock


class PausedCallOut(WireModel):
    """A call whose recording is paused now (the lead's board), or was just resumed."""

    recording_id: str
    sip_call_id: str = ""
    agent_id: int
    agent_name: str = ""
    team_id: int | None = None
    reason: str = ""
    paused_at: datetime
    paused: bool = True  # False: the event of its resume (the board drops it)
