"""What the phone tells the rest of the app: frozen dataclasses and enums, never pjsua2 types."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class CallState(StrEnum):
    """Call progress as an explicit state machine (after Blink's sessions)."""

    INCOMING = "incoming"  # offered to us, not answered yet
    DIALING = "dialing"  # our INVITE is out, nothing back yet
    RINGING = "ringing"  # far end alerting (180/183)
    CONNECTED = "connected"
    HELD = "held"  # we put it on hold
    ENDED = "ended"


class CallDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class RegistrationState(StrEnum):
    UNREGISTERED = "unregistered"  # not registering (registrar-less mode, or stopped)
    REGISTERING = "registering"
    REGISTERED = "registered"
    FAILED = "failed"  # with the SIP reason; retried at ``retry_at``


class Transport(StrEnum):
    UDP = "udp"
    TCP = "tcp"
    TLS = "tls"


class SrtpUse(StrEnum):
    OFF = "off"
    OPTIONAL = "optional"
    MANDATORY = "mandatory"


class DtmfMethod(StrEnum):
    RFC4733 = "rfc4733"  # in the media stream (telephone-event)
    SIP_INFO = "sip_info"


@dataclass(frozen=True, slots=True)
class CallInfo:
    call_id: int  # ours, never reused in a run (pjsua2 reuses its call slots)
    direction: CallDirection
    state: CallState
    remote_uri: str
    remote_number: str  # the user part: what a screen pop looks up
    display_name: str = ""
    reason: str = ""  # why it ended, as SIP says it ("486 Busy Here", "Normal call clearing")
    status_code: int = 0
    started_at: float = 0.0  # time.time() when offered or dialled
    connected_at: float | None = None
    muted: bool = False
    remote_hold: bool = False
    media_active: bool = False
    # A colleague's warm-transfer note that came with the call (header X-AW-Note; see
    # softphone.transfer_note), already cleaned: shown next to the caller while it rings.
    note: str = ""
    # What an incoming INVITE said beyond From (softphone.identity); inbound calls only.
    caller_withheld: bool = False  # Privacy: shown as withheld; remote_number may still hold
    # the asserted number, for the CRM lookup only (inside the trust domain, if the site allows)
    identity_source: str = ""  # where remote_number came from: "pai", "rpid" or "from"
    dialled_number: str = ""  # what the customer called (Request-URI, then To): a hotline
    queue: str = ""  # the PBX's queue header (PhoneConfig.queue_headers)
    call_data: tuple[tuple[str, str], ...] = ()  # IVR data: (header, value) as configured
    codec: str = ""  # the audio codec negotiated ("PCMU", "G722"), once media is up


class MonitorMode(StrEnum):
    """How a team lead takes part in an agent's call (the desk's conference bridge routes it).

    listen: the lead hears customer and agent; the lead's microphone reaches nobody.
    whisper: as listen, and the agent (only) hears the lead.
    barge: everyone hears everyone.
    takeover: the lead and the customer talk; the agent is out of the audio.
    """

    LISTEN = "listen"
    WHISPER = "whisper"
    BARGE = "barge"
    TAKEOVER = "takeover"


# The SIP header a lead's monitor leg carries: the one-time grant the server issued.
MONITOR_HEADER = "X-AW-Monitor"
# The header a taken-over customer's INVITE carries to the lead's desk (put in the Refer-To
# URI by the agent's desk): the leg's grant, so the lead's desk answers it in the leg's place.
TAKEOVER_HEADER = "X-AW-Takeover"


@dataclass(frozen=True, slots=True)
class MonitorInfo:
    """A lead's leg on one of this desk's calls."""

    leg_id: int  # the lead's leg (a call of ours the agent's UI never lists)
    call_id: int  # the customer's call it joins
    mode: MonitorMode
    token: str = ""  # the grant it came with
    ended: bool = False
    reason: str = ""  # why it ended ("the lead left", "the call ended")


class RecordingState(StrEnum):
    """A call's recording, as the engine writes it (issue 20)."""

    RECORDING = "recording"
    PAUSED = "paused"  # silence is written: a card number is being read out
    FINISHED = "finished"  # the file is closed and its metadata written in the spool
    FAILED = "failed"  # nothing could be written (disk full, no encoder): ``reason`` says
    LINKED = "linked"  # the PBX records: its recording id was read from the call's header


@dataclass(frozen=True, slots=True)
class RecordingInfo:
    """One call's recording: every change (start, pause, resume, finish) is sent again whole.
    ``*_at`` stamps are unix time (the engine's, moved onto the desk's clock like CallInfo's)."""

    call_id: int
    state: RecordingState
    recording_id: str = ""  # sync.contract.recordings.RecordingMeta.recording_id
    path: str = ""  # the file in the desk's spool (finished: its metadata is beside it)
    started_at: float = 0.0
    paused_at: float | None = None  # while PAUSED
    resume_at: float | None = None  # while PAUSED: when the countdown resumes it (None: never)
    pause_reason: str = ""  # sync.contract.recordings.PauseReason, while PAUSED
    pbx_recording_id: str = ""
    reason: str = ""  # FAILED: why, a sentence
    # Frames the clock thread could not hand to the writer (its queue was full): counted,
    # never waited for; the file has a gap of 20 ms for each.
    dropped_frames: int = 0
    sip_call_id: str = ""  # the call's SIP Call-ID (the server's audit names the call by it)


class RecordingMode(StrEnum):
    """Who records (the centre's setting; sync.contract.recordings.RecordingMode's values)."""

    DESK = "desk"
    PBX = "pbx"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class RecordingSettings:
    """How the engine records calls (issue 20). The desk applies the centre's settings."""

    mode: RecordingMode = RecordingMode.OFF
    spool_dir: str = ""  # where <id>.ogg and <id>.json are written (desk mode)
    auto_resume_s: int = 0  # a pause ends by itself after this (0: only when resumed)
    pbx_header: str = "X-Recording-ID"  # pbx mode: the INVITE's header with the PBX's id
    # Queues (CallInfo.queue) whose callers hear the "may be recorded" prompt at answer;
    # "*": every inbound call. The prompt is a 16 kHz mono WAV (resources/sounds/).
    announce_queues: tuple[str, ...] = ()
    announcement_path: str = ""


@dataclass(frozen=True, slots=True)
class RecordingLabels:
    """What the desk knows of a call that the engine writes into its recording's metadata
    (sync.contract.recordings.RecordingMeta's fields of the same names)."""

    agent: str = ""  # username
    queue: str = ""
    interaction_id: int | None = None
    customer_id: int | None = None


@dataclass(frozen=True, slots=True)
class RegistrationInfo:
    state: RegistrationState
    registrar: str = ""
    reason: str = ""  # e.g. "401 Unauthorized", "408 Request Timeout"
    status_code: int = 0
    expires_s: int = 0
    retry_at: float | None = None  # time.time() of the next attempt after a failure


@dataclass(frozen=True, slots=True)
class PhoneConfig:
    """One SIP account. No registrar: registrar-less mode (calls straight to our port)."""

    user: str = "agent"
    domain: str = "127.0.0.1"
    registrar: str = ""  # e.g. "sip:pbx.example.com"; empty: do not register
    auth_user: str = ""
    password: str = field(default="", repr=False)  # from the keychain, never from a file
    display_name: str = ""
    transport: Transport = Transport.UDP
    bind_address: str = "0.0.0.0"
    port: int = 0  # 0: any free port
    srtp: SrtpUse = SrtpUse.OFF
    tls_ca_file: str = ""
    tls_verify_server: bool = True
    # Only to take calls over TLS straight to this phone (registrar-less): our certificate.
    tls_cert_file: str = ""
    tls_key_file: str = ""
    register_expires_s: int = 300
    retry_interval_s: int = 30
    dtmf: DtmfMethod = DtmfMethod.RFC4733  # how the keypad sends tones on a call
    user_agent: str = "AgentWorkstation"
    max_calls: int = 4  # the wheel's PJSUA_MAX_CALLS
    ring_timeout_s: int = 60  # an outgoing call nobody answers is given up after this
    # A REFER from the far end: follow it, or decline it (603). Off for desks: a caller must
    # not be able to make the agent's phone dial somewhere (toll fraud); on for test peers.
    accept_transfer: bool = False
    # Whose P-Asserted-Identity / Remote-Party-ID we believe (addresses or CIDR networks; the
    # registrar's address is added when it is one): anyone else's are ignored for From. With
    # a registrar (or only_trusted_sources), the engine's guard takes INVITEs only from the
    # registrar and these (host names too: resolved off the engine's thread).
    trusted_peers: tuple[str, ...] = ()
    keep_withheld_number: bool = True  # a withheld caller asserted by a trusted peer: looked up
    queue_headers: tuple[str, ...] = ("X-Queue",)  # the first present names the call's queue
    call_data_headers: tuple[str, ...] = ()  # IVR data kept on the call ("Diversion", "X-…")
    max_offers_per_s: int = 10  # more offers than this in a second are answered 503
    # Sources are restricted to the registrar and trusted_peers when a registrar is set; this
    # restricts them without one too (a desk behind an SBC or PBX trunk that does not register).
    only_trusted_sources: bool = False
    # DNS servers pjsip queries itself, asynchronously (empty: the engine takes the system's
    # when the registrar is a DNS name; see softphone/engine/dns.py).
    nameservers: tuple[str, ...] = ()
    # TCP/TLS: a connection to our port that has received nothing this long is ended.
    tcp_idle_s: int = 60
    # pjsip's SIP trace in the app's log (softphone.sip_log): "off", "debug" (when the app
    # logs at debug) or "info" (always); the desk's ring of the last messages fills anyway.
    sip_log_level: str = "debug"
    # Every request goes through this proxy ("sip:sbc.example.com:5080"; made a loose route),
    # whatever the domain: From, To and the Request-URI still name the domain with its port.
    outbound_proxy: str = ""
    # Extensions outside the product whose line state (RFC 4235 dialog events, "BLF") the
    # engine SUBSCRIBEs to at the account's domain: "8001", or a whole SIP URI.
    watched_lines: tuple[str, ...] = ()
    # Media (issue 24). RTP/RTCP sockets bind to bind_address (and the SDP's c= says it);
    # their ports start at rtp_port (0: pjsua's 4000) and stay within rtp_port_range ports
    # of it (0: no limit), for a firewall's pinhole.
    rtp_port: int = 0
    rtp_port_range: int = 0
    # Codecs offered and accepted, best first (G722, PCMA, PCMU); those not listed are off.
    codecs: tuple[str, ...] = ("G722", "PCMA", "PCMU")
    # NAT traversal, off by default: a desk on the centre's LAN talks to the PBX directly, and
    # a STUN-mapped or ICE candidate address would only add a public address to the SDP.
    stun_servers: tuple[str, ...] = ()  # "stun.example.com:3478": used for SIP and media
    ice: bool = False
    # Call recording (issue 20): off unless the desk applies the centre's settings.
    recording: RecordingSettings = field(default_factory=RecordingSettings)


class EngineState(StrEnum):
    """The phone engine's process, as the desk's ``Phone`` supervises it."""

    STOPPED = "stopped"  # not started, or stopped at quit
    STARTING = "starting"  # the process is starting and the stack coming up
    RUNNING = "running"
    RESTARTING = "restarting"  # it died or hung: calls it had are ended, a new one is coming
    FAILED = "failed"  # could not start (the configuration), or kept dying: given up


class LineState(StrEnum):
    """An outside extension's line, as the PBX's dialog events tell it (softphone.blf)."""

    UNKNOWN = "unknown"  # not answered yet, or nothing said since the engine started
    IDLE = "idle"
    RINGING = "ringing"  # a call offered to it
    BUSY = "busy"  # on a call (or dialling out)
    NOT_OFFERED = "not_offered"  # the PBX refused the subscription (489, 404, …) or is silent


@dataclass(frozen=True, slots=True)
class LineInfo:
    """One watched extension's line (``PhoneConfig.watched_lines``)."""

    extension: str  # as configured
    state: LineState = LineState.UNKNOWN
    status_code: int = 0  # the PBX's answer when it refused or ended the subscription
    reason: str = ""
