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


# -- on the server (contract 1.7) ---------------------------------------------------------------
# The desk uploads with the tus protocol (https://tus.io, core + creation): POST to
# UPLOADS_ROUTE with Upload-Length and Upload-Metadata (``recording_id`` and ``meta``, the
# RecordingMeta's JSON, each base64 as tus says), then HEAD/PATCH the Location it answers.
# The upload's address is the recording's id, so creating it again (a desk restarted, a
# retry) finds the same upload: its offset, or the recording stored already (offset = length).
# The server checks the whole file's SHA-256 against the meta when the last byte arrives
# (our equivalent of tus's checksum extension, over the file instead of each chunk).

RECORDINGS_ROUTE = "/recordings"
# The calls one GET /recordings may name (interaction_id repeated, contract 1.8): a customer's
# newest calls, the ones the 360 marks ▶.
INTERACTIONS_MAX = 50
UPLOADS_ROUTE = "/recordings/uploads"
TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation"
UPLOAD_CONTENT_TYPE = "application/offset+octet-stream"
# The largest file the server takes by default (a server option): a 4-hour call in Opus
# stereo is about 60 MB; anything near this is a broken recorder or a hostile client.
MAX_RECORDING_BYTES = 512 * 1024 * 1024
# A chunk per PATCH: under the server's request body bound (ServerSettings.max_body_bytes).
UPLOAD_CHUNK_BYTES = 512 * 1024
# A meta too long for one header (a call with many pauses: the server reads headers up to
# some tens of kB) travels zlib-compressed under this Upload-Metadata key instead of "meta";
# the server inflates it to at most META_MAX_BYTES.
META_ZLIB = "meta_zlib"
META_PLAIN_MAX = 8 * 1024
META_MAX_BYTES = 1024 * 1024
# The status tus gives a file that does not match its checksum.
CHECKSUM_MISMATCH = 460
# How long a team keeps its recordings unless an admin sets otherwise.
DEFAULT_RETENTION_DAYS = 180
MAX_RETENTION_DAYS = 3650


class RecordingOut(WireModel):
    """A stored recording, as the server lists it (contract 1.7). ``team_id`` is the agent's
    team when it arrived; ``has_audio`` is False for a PBX's recording (only the link) and for
    one whose retention ran out (``deleted_at``: the file is gone, the row stays)."""

    recording_id: str
    source: RecordingMode = RecordingMode.DESK
    pbx_recording_id: str | None = None
    sip_call_id: str = ""
    interaction_id: int | None = None
    customer_id: int | None = None
    kind: CallKind = CallKind.INBOUND
    queue: str = ""
    agent: str
    team_id: int | None = None
    started_at: datetime
    ended_at: datetime
    duration_ms: int
    media_type: str = MEDIA_TYPE
    size_bytes: int = 0
    sha256: str = ""
    pauses: list[PauseSpan] = Field(default_factory=list)
    holds: list[Span] = Field(default_factory=list)
    stored_at: datetime
    deleted_at: datetime | None = None
    has_audio: bool = True


class RetentionIn(WireModel):
    """How many days a team keeps its recordings (an administrator's setting, audited)."""

    days: Annotated[int, Field(ge=1, le=MAX_RETENTION_DAYS)]


class RetentionOut(WireModel):
    team_id: int
    days: int
