"""The only module that imports pjsua2. Everything that leaves it is a plain dataclass.

Rules learnt the hard way (see the softphone issue and pjsua2's "general concept" guide):
- one Endpoint per process, created and destroyed here; every callback arrives on the thread
  that calls ``libHandleEvents`` (``threadCnt = 0``, ``mainThreadOnly``), i.e. the GUI thread;
- a ``Call`` object must be gone before ``libDestroy()`` or the process aborts, so calls are kept
  in one dict and deleted explicitly (never inside their own callback: on the next tick);
- a ``Call`` object's destructor clears the user data of the pjsua call slot it last held and
  hangs up whatever call is in it: deleted after pjsua gave its slot to a new call, it declines
  the new caller (603) and leaves that call with no object, ringing here for ever and holding a
  line (issue 17's ghost calls). So every slot has one owner (``_slots``), an ended call is
  released only once its slot is free (``_graveyard``), and a watchdog finds calls pjsua no
  longer has, ringing calls past their life and lines held by calls nobody owns (_watch);
- ``call.getInfo()`` is kept in a variable before its fields are read (``getInfo().media`` in
  one expression reads freed memory);
- pjsua2 raises ``pj.Error`` for everything; it is turned into ``PhoneError`` with a sentence.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

import pjsua2 as pj

from softphone._blf import LineWatch
from softphone._stranger import Decide, StrangerDoor
from softphone.addressing import check, has_port, keep_port_in_from_to, route_uri
from softphone.errors import PhoneError
from softphone.events import (
    MONITOR_HEADER,
    TAKEOVER_HEADER,
    CallDirection,
    CallInfo,
    CallState,
    DtmfMethod,
    LineInfo,
    MonitorInfo,
    MonitorMode,
    PhoneConfig,
    RecordingInfo,
    RecordingLabels,
    RegistrationInfo,
    RegistrationState,
    SrtpUse,
    Transport,
)
from softphone.identity import Offer, OfferPolicy, read_offer
from softphone.media_address import ANY, advertised_address
from softphone.recorder import FRAME_BYTES as RECORDED_FRAME_BYTES
from softphone.recorder import LEFT, RIGHT, SILENCE, CallRecording
from softphone.recordings import CallStart, Recordings
from softphone.replaces import UriReplaces, replaces_in_uri
from softphone.sdp_codec import offers_codec
from softphone.sip_log import is_message, scrub
from softphone.transfer_note import NOTE_HEADER, decode_note

log = logging.getLogger("softphone.pjsua")


@dataclass(slots=True)
class Listener:
    """Where the stack reports (plain callables; the Qt layer turns them into signals)."""

    incoming: Callable[[CallInfo], None]
    call_changed: Callable[[CallInfo], None]
    registration: Callable[[RegistrationInfo], None]
    dtmf: Callable[[int, str], None]
    transfer: Callable[[int, int, bool], None]  # call id, status code, final
    media: Callable[[CallInfo], None] = lambda _info: None  # audio started, held, resumed
    monitor: Callable[[MonitorInfo], None] = lambda _info: None  # a lead joined/changed/left
    monitor_refused: Callable[[str], None] = lambda _reason: None  # a leg without a grant
    lead_leg: Callable[[CallInfo], None] = lambda _info: None  # our own leg into a desk
    sip_message: Callable[[str], None] = lambda _text: None  # one SIP message, scrubbed
    line: Callable[[LineInfo], None] = lambda _info: None  # a watched extension's line
    address: Callable[[str], None] = lambda _address: None  # listening anew after an IP change
    recording: Callable[[RecordingInfo], None] = lambda _info: None  # a call's recording


_STATE = {
    pj.PJSIP_INV_STATE_CALLING: CallState.DIALING,
    pj.PJSIP_INV_STATE_EARLY: CallState.RINGING,
    pj.PJSIP_INV_STATE_CONFIRMED: CallState.CONNECTED,
    pj.PJSIP_INV_STATE_DISCONNECTED: CallState.ENDED,
}

_TRANSPORTS = {
    Transport.UDP: pj.PJSIP_TRANSPORT_UDP,
    Transport.TCP: pj.PJSIP_TRANSPORT_TCP,
    Transport.TLS: pj.PJSIP_TRANSPORT_TLS,
}

_SRTP = {
    SrtpUse.OFF: pj.PJMEDIA_SRTP_DISABLED,
    SrtpUse.OPTIONAL: pj.PJMEDIA_SRTP_OPTIONAL,
    SrtpUse.MANDATORY: pj.PJMEDIA_SRTP_MANDATORY,
}


LEG_GRACE_S = 3.0  # how long a monitor leg with an unknown grant waits for it to arrive
WATCH_S = 1.0  # how often the watchdog looks for ghosts (a few pjsua reads per call)
# An offered call nobody answers is refused (480) after this: RFC 3261's Timer C gives a proxy
# more than 3 minutes, so a caller still ringing after it is a call whose CANCEL was lost.
INCOMING_CAP_S = 200.0
STOP_WAIT_S = 2.0  # at stop: the calls' BYEs and the un-registration, answered or not
NO_SLOT_S = 30.0  # a call pjsua never gave a slot (a REFER'd call not yet started) is gone


def sip_header(message: str, name: str) -> str | None:
    """The value of a header in a SIP message's text (None when absent)."""
    wanted = name.lower() + ":"
    for line in message.split("\r\n\r\n", 1)[0].splitlines():
        if line.lower().startswith(wanted):
            return line.split(":", 1)[1].strip()
    return None


def from_tag(message: str) -> str:
    """The ``tag`` parameter of a SIP message's From header ("" when absent)."""
    value = sip_header(message, "From") or sip_header(message, "f") or ""
    for param in value.rsplit(">", 1)[-1].split(";"):
        name, _, tag = param.strip().partition("=")
        if name.lower() == "tag":
            return tag
    return ""


def user_part(uri: str) -> str:
    """'"Wang" <sip:+8613800138000@pbx;user=phone>' -> '+8613800138000'."""
    text = uri
    if "<" in text:
        text = text[text.index("<") + 1 : text.rindex(">") if ">" in text else None]
    for scheme in ("sips:", "sip:", "tel:"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :]
    return text.split("@")[0].split(";")[0]


def display_part(uri: str) -> str:
    if "<" not in uri:
        return ""
    return uri[: uri.index("<")].strip().strip('"')


def offer_policy(config: PhoneConfig) -> OfferPolicy:
    """What softphone.identity may believe, from the account: the trusted peers and the
    registrar's address (only when it is an address: no DNS on this path)."""
    trusted = list(config.trusted_peers)
    for uri in (config.registrar, config.outbound_proxy):  # "sip:[user@]host[:port][;params]"
        if uri:  # (the outbound proxy is whom calls come from too)
            host = uri.split(":", 1)[-1].split("@")[-1].split(";")[0]
            trusted.append(host.rsplit(":", 1)[0] if host.count(":") == 1 else host)
    return OfferPolicy(
        trusted=tuple(trusted),
        keep_withheld_number=config.keep_withheld_number,
        own_users=(config.user, config.auth_user),
        queue_headers=config.queue_headers,
        data_headers=config.call_data_headers,
    )


def codec_priority(codec_id: str, order: tuple[str, ...]) -> int:
    """pjmedia's priority for ``codec_id`` ("PCMU/8000/1") under the account's order of codec
    names (best first): 255 for the first, one less for each next, 0 (off) when not listed."""
    name = codec_id.split("/", 1)[0].upper()
    wanted = [n.upper() for n in order]
    return 255 - wanted.index(name) if name in wanted else 0


def media_transport(tcfg: pj.TransportConfig, config: PhoneConfig) -> None:
    """The RTP/RTCP sockets: on the account's address (pjsua binds them to 0.0.0.0 and puts
    the default route's address in the SDP otherwise: on a PC with a VPN beside the LAN, audio
    one way or none) and in its port range."""
    if config.bind_address not in ANY:
        tcfg.boundAddress = config.bind_address
    tcfg.publicAddress = advertised_address(config.bind_address, config.registrar)  # c=, rtcp
    if config.rtp_port:
        tcfg.port = config.rtp_port
        tcfg.portRange = config.rtp_port_range


def _with_offer(info: CallInfo, offer: Offer) -> CallInfo:
    """An incoming call's info with what its INVITE said (the caller as asserted, the queue)."""
    caller = offer.caller
    return replace(
        info,
        remote_number=caller.number or ("" if caller.withheld else info.remote_number),
        display_name=caller.display_name,
        caller_withheld=caller.withheld,
        identity_source=caller.source.value,
        dialled_number=offer.dialled,
        queue=offer.queue,
        call_data=offer.data,
    )


def _guard(action: Callable[[], None]) -> None:
    try:
        action()
    except Exception:
        log.exception("softphone: error while handling a SIP event")


# pjsip's log levels (1 error … 6 trace) in the app's log. Its "errors" are mostly a peer's
# or the network's (a 408, a refused connection) and are handled where they happen: warnings.
_PJ_LEVELS = {1: logging.WARNING, 2: logging.INFO}
PJ_LOG_LEVEL = 4  # pjsua logs each SIP message at 4: the trace needs it whatever the app's level


class _LogWriter(pj.LogWriter):  # type: ignore[misc]
    """pjsip's log, scrubbed (softphone.sip_log) before anything else sees it: SIP messages
    go to the listener (the desk's trace and log), pjsip's own lines to this module's log."""

    def __init__(self, stack: PjStack) -> None:
        super().__init__()
        self.stack = stack

    def write(self, entry: Any) -> None:
        level, text = int(entry.level), str(entry.msg)
        _guard(lambda: self.stack._pjsip_logged(level, text))


class _Call(pj.Call):  # type: ignore[misc]
    def __init__(
        self,
        stack: PjStack,
        account: pj.Account,
        serial: int,
        direction: CallDirection,
        pj_id: int = pj.PJSUA_INVALID_ID,
    ) -> None:
        super().__init__(account, pj_id)
        self.stack = stack
        self.serial = serial
        self.direction = direction
        # The pjsua call slot this object owns, and the SIP Call-ID of the dialog it had there:
        # pjsua reuses slots, so the slot alone does not say the call is still ours.
        self.slot = int(pj_id)
        self.sip_call_id = ""
        self.remote_tag = ""  # an offer's From tag: a Replaces in a URI must name it too
        self.capped = False  # the watchdog refused it: rang past INCOMING_CAP_S
        self.orphan = False  # a call pjsua had that nobody owned: ended, never reported
        self.started_at = stack.wall_clock()
        self.offered_at = time.monotonic()  # the ring timeout is a duration: never the wall clock
        self.connected_at: float | None = None
        self.local_hold = False
        self.codec = ""  # the audio codec negotiated ("PCMU"): hold and resume offer only it
        self.pending_resume = False
        self.pending_hold = False
        self.retry_at = 0.0
        self.muted = False
        self.gave_up = False  # we ended it: nobody answered in ring_timeout_s
        self.screened = False  # the engine's guard refused it (403/503): the desk never hears
        self.note = ""  # a warm-transfer note that came (or went) with the INVITE
        self.offer: Offer | None = None  # what an incoming INVITE said (softphone.identity)
        self.pbx_recording_id = ""  # the PBX's recording id from the INVITE (pbx mode)
        self.prompt: pj.AudioMediaPlayer | None = None  # "this call may be recorded"
        self.announced = False
        self.info = CallInfo(
            serial,
            direction,
            CallState.INCOMING if direction == CallDirection.INBOUND else CallState.DIALING,
            "",
            "",
            started_at=self.started_at,
        )

    def snapshot(self) -> CallInfo:
        ci = self.getInfo()  # keep it: fields of a temporary read freed memory
        state = _STATE.get(ci.state, self.info.state)
        if ci.state in (pj.PJSIP_INV_STATE_INCOMING, pj.PJSIP_INV_STATE_EARLY) and (
            self.direction == CallDirection.INBOUND
        ):
            state = CallState.INCOMING
        if ci.state == pj.PJSIP_INV_STATE_CONNECTING:
            state = self.info.state  # 200 sent/received, ACK pending: not connected yet
        if state == CallState.CONNECTED and self.local_hold:
            state = CallState.HELD
        if state == CallState.CONNECTED and self.connected_at is None:
            self.connected_at = self.stack.wall_clock()
        remote_hold = False
        media_active = False
        media = ci.media
        for index in range(len(media)):
            item = media[index]
            if item.type == pj.PJMEDIA_TYPE_AUDIO:
                remote_hold = remote_hold or item.status == pj.PJSUA_CALL_MEDIA_REMOTE_HOLD
                media_active = media_active or item.status == pj.PJSUA_CALL_MEDIA_ACTIVE
        reason = ""
        status_code = int(ci.lastStatusCode)
        if state == CallState.ENDED:
            reason = f"{ci.lastStatusCode} {ci.lastReason}".strip()
            if self.gave_up:
                status_code = 408
                reason = f"408 No answer after {self.stack.config.ring_timeout_s} s"
        self.info = CallInfo(
            call_id=self.serial,
            direction=self.direction,
            state=state,
            remote_uri=ci.remoteUri,
            remote_number=user_part(ci.remoteUri),
            display_name=display_part(ci.remoteUri),
            reason=reason,
            status_code=status_code,
            started_at=self.started_at,
            connected_at=self.connected_at,
            muted=self.muted,
            remote_hold=remote_hold,
            media_active=media_active,
            note=self.note,
            codec=self.codec,
        )
        if self.offer is not None:
            self.info = _with_offer(self.info, self.offer)
        return self.info

    # An exception escaping a callback is printed by pjsua2 and kept in sys.last_traceback,
    # whose frames keep this Call alive past libDestroy (an abort at exit): catch, log, go on.

    def onCallState(self, _prm: Any) -> None:
        _guard(lambda: self.stack._call_changed(self))

    def onCallMediaState(self, _prm: Any) -> None:
        _guard(lambda: self.stack._media_changed(self))

    def onDtmfDigit(self, prm: Any) -> None:
        digit = str(prm.digit)
        _guard(lambda: self.stack.listener.dtmf(self.serial, digit))

    def onCallTransferRequest(self, prm: Any) -> None:
        """The far end asks us to call someone else (REFER): follow it on a new call of our
        own, so this one keeps its serial and ends normally, or decline it."""
        if not self.stack.config.accept_transfer:
            prm.statusCode = 603
            return
        _guard(lambda: self.stack._transferred(prm))

    def onCallRxOffer(self, prm: Any) -> None:
        """The far end re-offers (its hold or resume): answer in the call's codec."""
        _guard(lambda: self.stack._rx_offer(self, prm))

    def onCallReplaced(self, prm: Any) -> None:
        """An INVITE with Replaces took this call over (we were the far end of an attended
        transfer): the new call needs its own object, or pjsua2 has nobody to report to."""
        new_id = int(prm.newCallId)
        _guard(lambda: self.stack._replaced(self, new_id, prm))

    def onCallTransferStatus(self, prm: Any) -> None:
        code, final = int(prm.statusCode), bool(prm.finalNotify)
        _guard(lambda: self.stack.listener.transfer(self.serial, code, final))


FRAME_MS = 20
CLOCK_RATE = 16_000
FRAME_BYTES = CLOCK_RATE * FRAME_MS // 1000 * 2  # 16-bit mono


class _BridgePort(pj.AudioMediaPort):  # type: ignore[misc]
    """The headset's end of the conference bridge. Its callbacks run on pjmedia's clock thread
    every 20 ms: they only hand bytes to ``pull``/``push`` (ring buffers), nothing else."""

    def __init__(self, pull: Callable[[int], bytes], push: Callable[[bytes], None]) -> None:
        super().__init__()
        self._pull = pull
        self._push = push

    def onFrameRequested(self, frame: Any) -> None:
        data = self._pull(FRAME_BYTES)
        frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
        frame.buf = pj.ByteVector(data)
        frame.size = len(data)

    def onFrameReceived(self, frame: Any) -> None:
        if frame.type != pj.PJMEDIA_FRAME_TYPE_AUDIO:
            return
        size = int(frame.size)
        if size:
            self._push(bytes(frame.buf)[:size])


class _TapPort(pj.AudioMediaPort):  # type: ignore[misc]
    """One channel of a call's recording on the bridge: what is transmitted to it (the
    agent's microphone, or the call's far end) arrives here every 20 ms on pjmedia's clock
    thread and is handed to the recording's bounded queue (``CallRecording.feed``): nothing
    else happens on that thread. A frame with no audio in it is silence on the file."""

    def __init__(self, recording: CallRecording, channel: int) -> None:
        super().__init__()
        self._feed = recording.feed
        self._channel = channel

    def onFrameRequested(self, frame: Any) -> None:
        frame.type = pj.PJMEDIA_FRAME_TYPE_NONE  # it only listens
        frame.size = 0

    def onFrameReceived(self, frame: Any) -> None:
        size = int(frame.size)
        if frame.type != pj.PJMEDIA_FRAME_TYPE_AUDIO or size != RECORDED_FRAME_BYTES:
            self._feed(self._channel, SILENCE)
            return
        self._feed(self._channel, bytes(frame.buf)[:size])


class _Endpoint(pj.Endpoint):  # type: ignore[misc]
    """pjsua2's endpoint, to hear how an IP change (``handleIpChange``) progresses."""

    def __init__(self, stack: PjStack) -> None:
        super().__init__()
        self.stack = stack

    def onIpChangeProgress(self, prm: Any) -> None:
        op, status = int(prm.op), int(prm.status)
        _guard(lambda: self.stack._ip_change_progress(op, status))


class _Account(pj.Account):  # type: ignore[misc]
    def __init__(self, stack: PjStack) -> None:
        super().__init__()
        self.stack = stack

    def onIncomingCall(self, prm: Any) -> None:
        call_id = int(prm.callId)
        message = str(prm.rdata.wholeMsg)
        source = str(prm.rdata.srcAddress)
        _guard(lambda: self.stack._incoming(self, call_id, message, source))

    def onRegState(self, prm: Any) -> None:
        code, reason, expires = int(prm.code), str(prm.reason), int(prm.expiration)
        _guard(lambda: self.stack._registration(code, reason, expires))


class PjStack:
    """The endpoint, one account, and the calls. Drive it with ``handle_events`` on one thread."""

    def __init__(self, listener: Listener, wall_clock: Callable[[], float] = time.time) -> None:
        self.listener = listener
        # Unix time for the stamps callers read (offered, connected, retry at): the desk gives
        # its injected clock, so a pinned or skewed clock reads the same everywhere.
        self.wall_clock = wall_clock
        self._codecs_pinned = False  # only one call's codec is on while a re-offer is answered
        self.config = PhoneConfig()
        self._ep: pj.Endpoint | None = None
        self._transport_id = -1
        # What the SDP's c= says when bound to every address: the route to the registrar as
        # it was when the account's media was last configured (it must follow a move).
        self._media_address = ""
        self._account: _Account | None = None
        self._log_writer: _LogWriter | None = None
        self._calls: dict[int, _Call] = {}
        self._ended: list[int] = []
        # Call-slot ownership (issue 17): pjsua slot -> the live call that holds it; ended
        # calls wait here until their slot is free, for their destructor acts on the slot.
        self._slots: dict[int, _Call] = {}
        self._graveyard: list[_Call] = []
        self._next_watch = 0.0
        self.incoming_cap_s = INCOMING_CAP_S
        self.ghosts = 0  # calls the watchdog or a refused operation found gone and cleaned up
        self._serial = 0
        self.local_address = ""
        self._port: _BridgePort | None = None
        self._conference: set[int] = set()  # calls whose parties hear each other
        self._tone: pj.ToneGenerator | None = None
        self._recorder: pj.AudioMediaRecorder | None = None
        self._player: pj.AudioMediaPlayer | None = None
        # Monitoring: a lead's leg joined to one of our calls, by the leg's serial.
        self._monitors: dict[int, MonitorInfo] = {}
        # Says whether a monitor leg's grant is valid, and in which mode (None: refuse it).
        self.monitor_auth: Callable[[str], MonitorMode | None] | None = None
        self._leg_reasons: dict[int, str] = {}  # legs we are ending, and why
        self._pending_legs: dict[int, tuple[str, float]] = {}  # waiting for their grant
        self._legs: set[int] = set()  # every monitor leg ever offered: never the agent's calls
        # The lead's side: our legs into an agent's desk, never counted as the lead's calls
        # (no presence, no wrap-up, no conference of the monitored customer from here).
        self._lead_legs: set[int] = set()
        self._lead_tokens: dict[int, str] = {}  # our legs' grants: a taken-over call's proof
        self._handing: set[int] = set()  # legs taken over: the customer is REFER'd to them
        # The engine's guard: an offer's source ("ip:port") -> (status, phrase) to refuse it
        # with, or (0, "") to ring it. None: every offer rings (a test peer, in-process).
        self.screen: Callable[[str], tuple[int, str]] | None = None
        self.retry_after_s = 5
        # Strangers answered 403 inside pjsip, before any call or media (softphone/_stranger.py).
        self._door: StrangerDoor | None = None
        # Outside extensions' lines by dialog events (PhoneConfig.watched_lines).
        self._lines = LineWatch(self.listener.line)
        self._unregistering = False  # stop() sent REGISTER Expires: 0, no final answer yet
        # Call recording (issue 20): the files and their pauses (softphone/recordings.py), and
        # each recorded call's two taps on the bridge (agent, far end), by serial.
        self.recordings = Recordings(self._recording_changed, wall_clock, lambda: self.config.user)
        self._taps: dict[int, tuple[_TapPort, _TapPort]] = {}
        self._spent_taps: list[tuple[_TapPort, _TapPort]] = []  # released on the next poll
        self._spent_prompts: list[pj.AudioMediaPlayer] = []

    # -- life ---------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._ep is not None

    def start(self, config: PhoneConfig) -> str:
        """Start the SIP stack; returns the address it listens on ("127.0.0.1:5062")."""
        if self._ep is not None:
            raise PhoneError("The phone is already started.")
        check(config)  # (before pjsua: a refusal here needs no cleaning up)
        self.config = config
        self.recordings.configure(config.recording)  # (the account's user: a crash's agent)
        ep = _Endpoint(self)
        ep.libCreate()
        self._ep = ep
        keep_port_in_from_to(str(pj._pjsua2.__file__), has_port(config.domain))
        try:
            ep.libInit(self._endpoint_config(config))
            tcfg = _transport_config(config)
            tid = ep.transportCreate(_TRANSPORTS[config.transport], tcfg)
            self._transport_id = tid
            tinfo = ep.transportGetInfo(tid)
            self.local_address = str(tinfo.localName)
            ep.audDevManager().setNullDev()  # the headset goes through the audio bridge
            self._set_codecs(ep, config.codecs)
            ep.libStart()
            self._account = _Account(self)
            self._account.create(self._account_config(config))
            self._lines.start(
                self._account, config.watched_lines, config.domain, config.transport.value
            )
        except pj.Error as exc:
            self.stop()
            raise PhoneError(f"The phone could not start: {exc.reason}", "start") from None
        if not config.registrar:
            self.listener.registration(RegistrationInfo(RegistrationState.UNREGISTERED))
        else:
            self.listener.registration(
                RegistrationInfo(RegistrationState.REGISTERING, registrar=config.registrar)
            )
        return self.local_address

    def open_door(self, decide: Decide) -> StrangerDoor:
        """Have pjsip ask ``decide`` about every request before its transaction, dialog and
        call layers (the engine's guard: strangers are answered 403 statelessly). Returns the
        door; ``door.registered`` says whether this build took it."""
        if self._ep is None:
            raise PhoneError("The phone is not started.", "not_started")
        if self._door is None:
            door = StrangerDoor(str(pj._pjsua2.__file__), decide)
            door.open()
            self._door = door
        return self._door

    def _endpoint_config(self, config: PhoneConfig) -> pj.EpConfig:
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.maxCalls = config.max_calls
        cfg.uaConfig.userAgent = config.user_agent
        for server in config.nameservers:  # pjsip's own resolver: lookups never block
            cfg.uaConfig.nameserver.append(server)
        for server in config.stun_servers:  # none by default: see PhoneConfig
            cfg.uaConfig.stunServer.append(server)
        self._log_writer = _LogWriter(self)
        cfg.logConfig.writer = self._log_writer
        cfg.logConfig.level = PJ_LOG_LEVEL
        cfg.logConfig.msgLogging = True
        # pjsua hands a line to the writer only up to the *console* level (with a writer
        # nothing is printed): at 0, as it was, the writer never heard a word (issue 24).
        cfg.logConfig.consoleLevel = PJ_LOG_LEVEL
        cfg.logConfig.decor = 0
        cfg.medConfig.noVad = True
        return cfg

    def _pjsip_logged(self, level: int, text: str) -> None:
        # Most of pjsip's level-4 lines are chatter nobody logs: dropped before any scrubbing.
        message = is_message(text)
        python_level = _PJ_LEVELS.get(level, logging.DEBUG)
        if not message and not log.isEnabledFor(python_level):
            return
        text = scrub(text.rstrip(), (self.config.password,))
        if message and threading.current_thread() is threading.main_thread():
            self.listener.sip_message(text)  # (the listener belongs to the polling thread)
        elif text:
            log.log(python_level, "%s", text)

    @staticmethod
    def _set_codecs(ep: pj.Endpoint, order: tuple[str, ...]) -> None:
        """The account's codecs, best first (PhoneConfig.codecs; by default what
        contact-centre PBXs and trunks speak: G.722, wideband, what a headset deserves, then
        G.711 A-law (China, Europe) and mu-law); every other codec is off. Speex was the
        library's first choice; between two of our phones on a busy machine its decoder
        turned tones into noise in roughly one test call in three, and no PBX we target
        uses it. One account per engine process, so the endpoint's priorities are the
        account's."""
        for codec in ep.codecEnum2():
            ep.codecSetPriority(codec.codecId, codec_priority(codec.codecId, order))

    def _account_config(self, config: PhoneConfig) -> pj.AccountConfig:
        acfg = pj.AccountConfig()
        name = f'"{config.display_name}" ' if config.display_name else ""
        scheme = "sips" if config.transport == Transport.TLS else "sip"
        acfg.idUri = f"{name}<{scheme}:{config.user}@{config.domain}>"
        if config.registrar:
            acfg.regConfig.registrarUri = config.registrar
            acfg.regConfig.timeoutSec = config.register_expires_s
            acfg.regConfig.retryIntervalSec = config.retry_interval_s
            acfg.regConfig.firstRetryIntervalSec = min(5, config.retry_interval_s)
            if config.password:
                cred = pj.AuthCredInfo(
                    "digest", "*", config.auth_user or config.user, 0, config.password
                )
                acfg.sipConfig.authCreds.append(cred)
        if config.outbound_proxy:  # REGISTER and every call go through it
            acfg.sipConfig.proxies.append(route_uri(config.outbound_proxy))
        acfg.mediaConfig.srtpUse = _SRTP[config.srtp]
        acfg.mediaConfig.srtpSecureSignaling = 0
        # No codec-lock UPDATE after an answer that lists several codecs (liblinphone's does):
        # we send in the answer's first, as the answerer does. The extra exchange, sent the
        # moment the call connects, crossed linphonec's hold re-INVITE, which then got 491
        # and was never retried: the call stayed un-held at the desk (issue 24 interop).
        acfg.mediaConfig.lockCodecEnabled = False
        media_transport(acfg.mediaConfig.transportConfig, config)
        self._media_address = acfg.mediaConfig.transportConfig.publicAddress
        acfg.natConfig.iceEnabled = config.ice
        # Keep the call when the network blips; re-register and re-INVITE on an IP change.
        acfg.ipChangeConfig.hangupCalls = False
        return acfg

    def attach_audio(self, pull: Callable[[int], bytes], push: Callable[[bytes], None]) -> None:
        """Route calls through a bridge port (16 kHz mono PCM) instead of the null device."""
        if self._ep is None:
            raise PhoneError("The phone is not started.", "not_started")
        fmt = pj.MediaFormatAudio()
        fmt.type = pj.PJMEDIA_TYPE_AUDIO
        fmt.clockRate = CLOCK_RATE
        fmt.channelCount = 1
        fmt.bitsPerSample = 16
        fmt.frameTimeUsec = FRAME_MS * 1000
        port = _BridgePort(pull, push)
        port.createPort("headset", fmt)
        self._port = port
        for call in self._calls.values():
            self._connect_audio(call)

    def test_audio(self, tone_hz: int = 0, record_path: str = "", play_path: str = "") -> None:
        """For test and demo peers: play a steady tone or a WAV file (looped) into every call,
        and/or record what it hears."""
        if tone_hz:
            tone = pj.ToneGenerator()
            tone.createToneGenerator(CLOCK_RATE, 1)
            desc = pj.ToneDesc()
            desc.freq1, desc.freq2, desc.on_msec, desc.off_msec, desc.volume = (
                tone_hz,
                0,
                10_000,
                0,
                0,
            )
            tones = pj.ToneDescVector()
            tones.append(desc)
            tone.play(tones, True)
            self._tone = tone
        if play_path:
            player = pj.AudioMediaPlayer()
            try:
                player.createPlayer(play_path)  # loops: a caller repeats themselves
            except pj.Error as exc:
                raise PhoneError(f"Could not play {play_path}: {exc.reason}", "play") from None
            self._player = player
        if record_path:
            recorder = pj.AudioMediaRecorder()
            recorder.createRecorder(record_path)
            self._recorder = recorder  # the last one is closed (its WAV finished) here
        for call in list(self._calls.values()):  # calls already up hear the new parts too
            if call.info.state != CallState.ENDED:
                self._connect_audio(call)

    def network_changed(self) -> None:
        """The address may have changed (network back, Wi-Fi to cable, the PC woke up):
        re-register at once and move live calls to the new address with a re-INVITE."""
        if self._ep is None:
            return
        self._media_follows()
        try:
            self._ep.handleIpChange(pj.IpChangeParam())
        except pj.Error as exc:
            log.warning("network change not handled: %s", exc.reason)

    def _media_follows(self) -> None:
        """Bound to every address, the media's advertised address (``media_transport``) is the
        route to the registrar when the account was configured; after the PC moved it must be
        the new one before the IP change re-INVITEs live calls (pjsua builds their new media
        from the account's configuration), or the far end keeps sending audio to the old
        address."""
        config = self.config
        if self._account is None or config.bind_address not in ANY or not config.registrar:
            return
        address = advertised_address(config.bind_address, config.registrar)
        if not address or address == self._media_address:
            return
        log.info("network change: media on %s (was %s)", address, self._media_address or "-")
        try:
            self._account.modify(self._account_config(config))
        except pj.Error as exc:
            log.warning("network change: the media address could not follow: %s", exc.reason)

    def _ip_change_progress(self, op: int, status: int) -> None:
        """pjsua restarted the listener (bound to any address, it publishes the new one):
        say where we are now. Each step is logged: an IP change that stalls shows where."""
        log.info("network change: step %d, status %d", op, status)
        if op != pj.PJSUA_IP_CHANGE_OP_RESTART_LIS or self._ep is None or status != 0:
            return
        try:
            tinfo = self._ep.transportGetInfo(self._transport_id)
        except pj.Error as exc:
            log.warning("network change: the transport is gone: %s", exc.reason)
            return
        address = str(tinfo.localName)
        if address != self.local_address:
            log.info("network change: listening on %s (was %s)", address, self.local_address)
            self.local_address = address
            self.listener.address(address)

    def handle_events(self, wait_ms: int = 0) -> None:
        """Process what SIP has for us; ``wait_ms`` > 0 waits that long for a first event
        (it returns as soon as one is handled)."""
        if self._ep is None:
            return
        self._ep.libHandleEvents(wait_ms)
        if self._codecs_pinned:  # a re-offer's answer is built: the account's order again
            self._codecs_pinned = False
            self._set_codecs(self._ep, self.config.codecs)
        self._reap()
        if self._pending_legs:
            self._pending_legs_due()
        self.recordings.poll()
        if self._spent_taps or self._spent_prompts:  # off the bridge, outside any callback
            self._spent_taps.clear()
            self._spent_prompts.clear()
        now = time.monotonic()
        if now >= self._next_watch:
            self._next_watch = now + WATCH_S
            self._watch(now)
        self._lines.poll(now)
        for call in list(self._calls.values()):
            if call.info.state == CallState.ENDED:  # (its slot may be another call's now)
                continue
            if call.pending_resume and now >= call.retry_at:  # until the hold's re-INVITE ends
                self._unhold(call)
            if call.pending_hold and now >= call.retry_at:  # until the answer is confirmed
                self._retry_hold(call)
            if (
                call.direction == CallDirection.OUTBOUND
                and call.info.state in (CallState.DIALING, CallState.RINGING)
                and not call.gave_up
                and now - call.offered_at > self.config.ring_timeout_s
            ):
                call.gave_up = True  # CANCEL; the ENDED report says "no answer"
                with contextlib.suppress(PhoneError):
                    self.hangup(call.serial)

    def _reap(self) -> None:
        """Release the Call objects of ended calls: on the polling thread, never inside their
        own callback, and only once pjsua's slot is free. A Call's destructor clears the slot's
        user data and hangs up whatever call is in it; if pjsua gave the slot to a new call in
        the same poll, releasing the old object now would decline the new caller (603) and
        orphan that call. Such a corpse waits for the slot to empty."""
        while self._ended:
            serial = self._ended.pop()
            call = self._calls.pop(serial, None)
            if call is not None:
                self._graveyard.append(call)
        if self._graveyard:
            # Dropping the last reference runs the destructor here, outside any callback.
            self._graveyard = [c for c in self._graveyard if self._slot_in_use(c)]

    def _slot_in_use(self, corpse: _Call) -> bool:
        slot = int(corpse.getId())
        if slot < 0:
            return False
        owner = self._slots.get(slot)
        return (owner is not None and owner is not corpse) or bool(corpse.isActive())

    # -- the ghost watchdog (issue 17) --------------------------------------------------------

    def _claim(self, call: _Call) -> None:
        """``call`` holds its pjsua slot now (offered, dialled, or reported on by pjsua). A live
        call that held the slot before has lost it: pjsua only reuses a slot whose call ended,
        so that one is a ghost."""
        slot = int(call.getId())
        if slot < 0:
            return
        call.slot = slot
        owner = self._slots.get(slot)
        if owner is call:
            return
        if owner is not None and owner.info.state != CallState.ENDED:
            self._bury(owner, f"its line {slot} was given to call {call.serial}")
        self._slots[slot] = call
        if not call.sip_call_id:
            with contextlib.suppress(pj.Error):
                ci = call.getInfo()  # keep it: fields of a temporary read freed memory
                call.sip_call_id = str(ci.callIdString)

    def _alive(self, call: _Call) -> bool:
        """pjsua still has this call: in its slot, active, with the same SIP dialog."""
        slot = int(call.getId())
        if slot < 0:  # a REFER'd call pjsua has not started yet
            return time.monotonic() - call.offered_at < NO_SLOT_S
        if self._slots.get(slot, call) is not call or not call.isActive():
            return False
        if not call.sip_call_id:
            return True
        try:
            ci = call.getInfo()
            return str(ci.callIdString) == call.sip_call_id
        except pj.Error:
            return False

    def _bury(self, call: _Call, why: str) -> None:
        """A call pjsua will never report on again: say it ended, free its slot, release it
        later (on the next poll, once its slot is free)."""
        self.ghosts += 1
        log.warning("call %d (line %d): %s; cleaned up", call.serial, call.slot, why)
        if self._slots.get(call.slot) is call:
            del self._slots[call.slot]
        info = replace(call.info, state=CallState.ENDED, reason=f"Gone: {why}", status_code=0)
        self._settle(call, info)

    def _watch(self, now: float) -> None:
        """Find and clean up ghosts: calls pjsua no longer has, offered calls ringing past
        their SIP life, and pjsua calls holding a line with no object of ours."""
        for call in list(self._calls.values()):
            if call.info.state == CallState.ENDED:
                continue
            if not self._alive(call):
                self._bury(call, "pjsua no longer has this call")
            elif (
                call.info.state == CallState.INCOMING
                and not call.capped
                and call.serial not in self._legs
                and now - call.offered_at > self.incoming_cap_s
            ):
                call.capped = True
                log.warning(
                    "call %d: still ringing after %.0f s, its caller's CANCEL lost; refused",
                    call.serial,
                    now - call.offered_at,
                )
                with contextlib.suppress(PhoneError):
                    self.hangup(call.serial, 480)
        self._adopt_orphans()

    def _adopt_orphans(self) -> None:
        """A pjsua slot with a live call but no owner of ours eats one of the 4 lines for
        good: give it an object (which takes the slot's callbacks) and end it."""
        if self._account is None:
            return
        for slot in range(self.config.max_calls):
            if slot in self._slots:
                continue
            probe = _Call(self, self._account, 0, CallDirection.INBOUND, slot)
            try:
                active = bool(probe.isActive())
                ci = probe.getInfo() if active else None
            except pj.Error:
                active, ci = False, None
            if not active or ci is None:
                del probe  # a free slot: its destructor only clears that slot's user data
                continue
            probe.serial = self._next_serial()
            probe.orphan = True
            probe.sip_call_id = str(ci.callIdString)
            if ci.role != pj.PJSIP_ROLE_UAS:
                probe.direction = CallDirection.OUTBOUND
            self._calls[probe.serial] = probe
            self._slots[slot] = probe
            self.ghosts += 1
            log.warning(
                "line %d: held by a call nobody owned (%s, %s); ending it",
                slot,
                ci.remoteUri,
                ci.stateText,
            )
            with contextlib.suppress(PhoneError):
                self.hangup(probe.serial, 480)
            del probe, ci

    def stop(self) -> None:
        """End every call (BYE) and un-register (REGISTER with Expires: 0, the registrar's
        digest challenge answered), then destroy the stack: both run at once, bounded to
        ``STOP_WAIT_S`` together, so a PBX that never answers cannot hold the quit."""
        ep = self._ep
        if ep is None:
            return
        for serial in list(self._calls):
            with contextlib.suppress(PhoneError):
                self.hangup(serial)
        deadline = time.monotonic() + STOP_WAIT_S
        self._unregister(deadline)
        while (self._calls or self._unregistering) and time.monotonic() < deadline:
            ep.libHandleEvents(10)
            self._reap()
        if self._unregistering:
            log.warning("un-registration not answered in %.0f s; the binding may stay", STOP_WAIT_S)
        self._unregistering = False
        self.recordings.stop()  # every file closed and its metadata written (bounded)
        self._taps.clear()  # the taps leave the bridge before the library goes
        self._spent_taps.clear()
        self._spent_prompts.clear()
        self._calls.clear()
        self._slots.clear()
        self._graveyard.clear()  # before libDestroy: a Call alive then aborts the process
        self._port = self._tone = self._recorder = self._player = None  # before the library
        # A traceback printed earlier may still hold frames that reference Calls.
        sys.last_type = sys.last_value = sys.last_traceback = None
        gc.collect()
        self._lines.stop()  # buddies before the account: its shutdown would delete them
        if self._account is not None:
            with contextlib.suppress(pj.Error):
                self._account.shutdown()
            self._account = None
        if self._door is not None:  # its struct and callback must not outlive the module
            self._door.close()
            self._door = None
        self._ep = None
        ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK | pj.PJSUA_DESTROY_NO_RX_MSG)
        self._log_writer = None

    def _unregister(self, deadline: float) -> None:
        """Ask the registrar to drop our binding; ``stop`` then polls for the answer.
        pjsua's own un-registration in ``libDestroy`` never waits for it: the 401 challenge
        went unanswered and the PBX kept routing callers to a closed desk until the binding
        expired (issue 24). Sent whatever our last answer said: a REGISTER may have bound us
        at the registrar before its 200 OK reached us (a retry after the registrar
        restarted). One still under way (pjsip is busy with it) is awaited first."""
        account, ep = self._account, self._ep
        if account is None or ep is None or not self.config.registrar:
            return
        while True:
            try:
                account.setRegistration(False)
                self._unregistering = True
                return
            except pj.Error as exc:
                if "EBUSY" not in exc.reason:  # never registered: nothing to take back
                    log.info("not un-registering: %s", exc.reason)
                    return
            if time.monotonic() >= deadline:
                log.warning("could not un-register in time: a REGISTER was still under way")
                return
            ep.libHandleEvents(10)  # the REGISTER in flight gets its answer

    # -- calls --------------------------------------------------------------------------------

    def calls(self) -> list[CallInfo]:
        """The agent's calls (a lead's monitor leg is not one of them)."""
        return [
            call.info
            for call in self._calls.values()
            if call.info.state != CallState.ENDED
            and call.serial not in self._legs
            and call.serial not in self._lead_legs
            and not call.screened  # refused by the guard: never the agent's, never a slot
        ]

    def monitors(self) -> list[MonitorInfo]:
        return list(self._monitors.values())

    def lines(self) -> list[LineInfo]:
        """The watched extensions' lines, as last read."""
        return self._lines.lines()

    def _call(self, serial: int) -> _Call:
        """The live call ``serial``; a ghost (pjsua no longer has it, or gave its slot to
        another call) is cleaned up and reported ended, never acted on: its slot may hold
        someone else's call."""
        call = self._calls.get(serial)
        if call is not None and call.info.state != CallState.ENDED:
            if self._alive(call):
                return call
            self._bury(call, "pjsua no longer has this call")
        del call
        raise PhoneError(f"There is no call {serial}.", "no_call")

    def first_serial(self, base: int) -> None:
        """Number calls from ``base`` on (an engine restarted by the desk never reuses the
        ids of the calls its predecessor reported)."""
        self._serial = max(self._serial, base)

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def dial(
        self, uri: str, headers: dict[str, str] | None = None, serial: int | None = None
    ) -> CallInfo:
        """Call ``uri``; ``serial``: an id chosen by the caller (the desk's, across the
        engine's process boundary), else the next of ours."""
        if self._account is None:
            raise PhoneError("The phone is not started.", "not_started")
        if len(self.calls()) >= self.config.max_calls:
            raise PhoneError(
                f"This phone can hold {self.config.max_calls} calls at once; end one first.",
                "max_calls",
            )
        if serial is None or serial in self._calls:
            serial = self._next_serial()
        self._calls[serial] = _Call(self, self._account, serial, CallDirection.OUTBOUND)
        message = None
        prm = pj.CallOpParam(True)
        for name, value in (headers or {}).items():
            header = pj.SipHeader()
            header.hName, header.hValue = name, value
            prm.txOption.headers.append(header)
        if MONITOR_HEADER in (headers or {}):
            # Before makeCall: its first state callback (CALLING) comes from inside it, and a
            # leg reported as one of the lead's calls is a phantom on the lead's desk.
            self._lead_legs.add(serial)
            self._lead_tokens[serial] = (headers or {})[MONITOR_HEADER]
        try:
            self._calls[serial].makeCall(uri, prm)
        except pj.Error as exc:
            message = f"Could not call {uri}: {exc.reason}"
        if message is not None:
            # Released with the others, once pjsua is done with any slot it took.
            self._graveyard.append(self._calls.pop(serial))
            self._lead_legs.discard(serial)
            self._lead_tokens.pop(serial, None)
            raise PhoneError(message)
        call = self._calls[serial]
        self._claim(call)
        call.note = decode_note((headers or {}).get(NOTE_HEADER))
        call.info = replace(call.info, remote_uri=uri, remote_number=user_part(uri), note=call.note)
        return call.info

    def is_lead_leg(self, serial: int) -> bool:
        return serial in self._lead_legs

    def lead_legs(self) -> list[CallInfo]:
        """Our live legs into agents' desks (a lead's desk; a test peer playing a lead)."""
        return [
            call.info
            for call in self._calls.values()
            if call.serial in self._lead_legs and call.info.state != CallState.ENDED
        ]

    def _attempt(self, serials: tuple[int, ...], what: str, action: Callable[..., None]) -> None:
        """Run a pjsua2 operation on calls; a failure becomes PhoneError raised *outside* the
        except block, so no traceback or exception context keeps a Call alive past
        libDestroy (which aborts the process)."""
        message = None
        calls = [self._call(serial) for serial in serials]
        try:
            action(*calls)
        except pj.Error as exc:
            message = f"{what}: {exc.reason}"
        del calls
        if message is not None:
            raise PhoneError(message)

    def answer(self, serial: int, code: int = 200) -> None:
        prm = pj.CallOpParam(True)
        prm.statusCode = code
        self._attempt((serial,), "Could not answer", lambda call: call.answer(prm))

    def hangup(self, serial: int, code: int = 0) -> None:
        """End a call: BYE when connected, CANCEL while dialling, a final response
        (``code``, default 603 Decline) for a call offered to us and never answered. A call
        pjsua already ended (ESESSIONTERMINATED) is gone: cleaned up, not an error."""
        call = self._calls.get(serial)
        if call is None or call.info.state == CallState.ENDED:
            del call
            raise PhoneError(f"There is no call {serial}.", "no_call")
        message = None
        if not self._alive(call):
            message = "gone"
        else:
            try:
                ci = call.getInfo()  # pjsua's state, not our last report of it
                state, role = ci.state, ci.role
                del ci
                if state == pj.PJSIP_INV_STATE_DISCONNECTED:
                    message = "gone"
                else:
                    prm = pj.CallOpParam(True)
                    if role == pj.PJSIP_ROLE_UAS and state < pj.PJSIP_INV_STATE_CONNECTING:
                        prm.statusCode = code or 603  # never 0: no answer given yet
                    elif code:
                        prm.statusCode = code
                    call.hangup(prm)
            except pj.Error as exc:
                message = exc.reason
        if message is not None and (message == "gone" or "ESESSIONTERMINATED" in message):
            # (pjsua may have reported the end from inside hangup(): then it is said already)
            if call.serial not in self._ended:
                self._bury(call, f"already ended when hung up ({message})")
            message = None
        del call
        if message is not None:
            raise PhoneError(f"Could not hang up: {message}")

    def hold(self, serial: int) -> None:
        def hold(call: _Call) -> None:
            call.local_hold = True
            call.pending_resume = False
            self._hold(call)

        self._attempt((serial,), "Could not hold the call", hold)
        self._report(serial)

    def _retry_hold(self, call: _Call) -> None:
        try:
            self._hold(call)
        except pj.Error as exc:
            log.warning("call %d: hold failed: %s", call.serial, exc.reason)
            call.pending_hold = False
        self._report(call.serial)

    def resume(self, serial: int) -> None:
        def resume(call: _Call) -> None:
            call.local_hold = False
            if call.pending_hold:  # the hold never left: nothing to undo
                call.pending_hold = False
                return
            if not self._unhold(call):
                call.pending_resume = True  # the hold is still being negotiated: after it

        self._attempt((serial,), "Could not resume the call", resume)
        self._report(serial)

    def _report(self, serial: int) -> None:
        call = self._calls.get(serial)
        if call is not None:
            info = self._snapshot(call)
            if info.state in (CallState.CONNECTED, CallState.HELD):  # a hold's mark
                self.recordings.held(serial, info.state == CallState.HELD)
            self.listener.call_changed(info)

    @contextlib.contextmanager
    def _only_codec(self, call: _Call) -> Iterator[None]:
        """While a hold or resume re-offer is built (synchronously, inside setHold/reinvite):
        only the call's negotiated codec is on. pjsua builds a re-offer from the endpoint's
        priorities, so it listed G.722 first on a call answered in PCMU; the far end's answer
        then switched the call to G.722 mid-call (a real baresip played the caller an octave
        high after resume). An offer of one codec keeps it, in one exchange: the answer has
        one codec, so pjsua's codec lock never sends a second re-INVITE."""
        ep = self._ep
        if ep is None or not call.codec:
            yield
            return
        for codec in ep.codecEnum2():
            keep = codec.codecId.split("/", 1)[0].upper() == call.codec.upper()
            ep.codecSetPriority(codec.codecId, 255 if keep else 0)
        try:
            yield
        finally:
            self._set_codecs(ep, self.config.codecs)

    def _rx_offer(self, call: _Call, prm: Any) -> None:
        """pjsua builds the answer to a re-offer right after this returns, from the endpoint's
        priorities, taking the codec the offer lists first. linphonec re-offers in its own
        order (mu-law before A-law) when it holds, so a call in A-law switched to mu-law on
        hold. Only the call's codec is on until the answer is built (``poll`` restores the
        account's order); an offer without it is answered as usual."""
        ep = self._ep
        if ep is None or not call.codec or not offers_codec(str(prm.offer.wholeSdp), call.codec):
            return
        for codec in ep.codecEnum2():
            keep = codec.codecId.split("/", 1)[0].upper() == call.codec.upper()
            ep.codecSetPriority(codec.codecId, 255 if keep else 0)
        self._codecs_pinned = True

    def _note_codec(self, call: _Call) -> None:
        """Remember the audio codec the call negotiated (while its stream is up)."""
        with contextlib.suppress(pj.Error):
            ci = call.getInfo()  # keep it: fields of a temporary read freed memory
            media = ci.media
            for index in range(len(media)):
                item = media[index]
                if item.type == pj.PJMEDIA_TYPE_AUDIO and item.status in (
                    pj.PJSUA_CALL_MEDIA_ACTIVE,
                    pj.PJSUA_CALL_MEDIA_LOCAL_HOLD,
                    pj.PJSUA_CALL_MEDIA_REMOTE_HOLD,
                ):
                    stream = call.getStreamInfo(int(item.index))
                    if stream.codecName:
                        call.codec = str(stream.codecName)
                    return

    def _hold(self, call: _Call) -> None:
        """Hold now, or as soon as the INVITE session allows it: an agent who answers and
        at once presses Hold ("one moment, please") beats the caller's ACK."""
        try:
            with self._only_codec(call):
                call.setHold(pj.CallOpParam(True))
        except pj.Error as exc:
            if "ESESSIONSTATE" not in exc.reason and "EPENDING" not in exc.reason:
                call.local_hold = False
                raise
            log.debug("hold deferred: %s", exc.reason)
            call.pending_hold = True
            call.retry_at = time.monotonic() + 0.05
            return
        call.pending_hold = False

    def _unhold(self, call: _Call) -> bool:
        prm = pj.CallOpParam(True)
        prm.opt.flag = pj.PJSUA_CALL_UNHOLD
        try:
            with self._only_codec(call):
                call.reinvite(prm)
        except pj.Error as exc:
            log.debug("resume deferred: %s", exc.reason)
            call.retry_at = time.monotonic() + 0.05
            return False
        call.pending_resume = False
        return True

    def set_mute(self, serial: int, muted: bool) -> None:
        def mute(call: _Call) -> None:
            call.muted = muted
            self._connect_audio(call)

        self._attempt((serial,), "Could not mute", mute)
        self._report(serial)

    def send_dtmf(self, serial: int, digits: str, method: DtmfMethod) -> None:
        def send(call: _Call) -> None:
            if method == DtmfMethod.RFC4733:
                call.dialDtmf(digits)
            else:
                prm = pj.CallSendDtmfParam()
                prm.method = pj.PJSUA_DTMF_METHOD_SIP_INFO
                prm.digits = digits
                call.sendDtmf(prm)

        self._attempt((serial,), f"Could not send the tones {digits!r}", send)

    def blind_transfer(self, serial: int, target: str) -> None:
        self._attempt(
            (serial,),
            f"Could not transfer to {target}",
            lambda call: call.xfer(target, pj.CallOpParam(True)),
        )

    def attended_transfer(self, serial: int, consult_serial: int) -> None:
        """REFER with Replaces (RFC 3891): the caller on ``serial`` is joined to whoever is
        on ``consult_serial``."""
        self._attempt(
            (serial, consult_serial),
            "Could not complete the transfer",
            lambda call, consult: call.xferReplaces(consult, pj.CallOpParam(True)),
        )

    def conference(self, serials: list[int]) -> None:
        """Everyone on these calls hears everyone (and the agent): a three-way call on our
        conference bridge, no PBX needed."""
        calls = [self._call(serial) for serial in serials]
        self._conference.update(serials)
        for call in calls:
            self._connect_audio(call)

    def _audio_of(self, call: _Call, held_too: bool = False) -> list[Any]:
        """The call's audio ports: active ones, or with ``held_too`` also those on hold (whose
        bridge connections stay in place and must be cut explicitly)."""
        ci = call.getInfo()
        media = ci.media
        wanted = {pj.PJSUA_CALL_MEDIA_ACTIVE}
        if held_too:
            wanted |= {pj.PJSUA_CALL_MEDIA_LOCAL_HOLD, pj.PJSUA_CALL_MEDIA_REMOTE_HOLD}
        return [
            call.getAudioMedia(index)
            for index in range(len(media))
            if media[index].type == pj.PJMEDIA_TYPE_AUDIO and media[index].status in wanted
        ]

    # -- from pjsua2's callbacks (GUI thread) -----------------------------------------------

    def _incoming(
        self, account: pj.Account, pj_id: int, message: str = "", source: str = ""
    ) -> None:
        call = _Call(self, account, self._next_serial(), CallDirection.INBOUND, pj_id)
        self._calls[call.serial] = call
        self._claim(call)
        if self.screen is not None and self._screened(call, source):
            return
        taken = sip_header(message, TAKEOVER_HEADER)
        if taken is not None and self._taken_over(call, taken):
            return
        call.remote_tag = from_tag(message)
        in_uri = replaces_in_uri(message)
        if in_uri is not None and self._replaces_by_uri(call, in_uri):
            return
        token = sip_header(message, MONITOR_HEADER)
        if token is not None:
            self._legs.add(call.serial)
            self._monitor_offered(call, token)
            return
        call.note = decode_note(sip_header(message, NOTE_HEADER))
        pbx_header = self.recordings.settings.pbx_header
        if pbx_header:
            call.pbx_recording_id = (sip_header(message, pbx_header) or "")[:200]
        try:
            call.offer = read_offer(message, source, offer_policy(self.config))
        except Exception:  # a parser bug must not cost the call: From, as before
            log.exception("softphone: could not read the caller's identity")
        info = call.snapshot()
        if len(self.calls()) > self.config.max_calls:
            self._watch(time.monotonic())  # a ghost must not cost the caller the line
        if len(self.calls()) > self.config.max_calls:
            prm = pj.CallOpParam(True)
            prm.statusCode = 486
            with contextlib.suppress(pj.Error):
                call.answer(prm)
            return
        with contextlib.suppress(pj.Error):  # tell the caller we are ringing
            prm = pj.CallOpParam(True)
            prm.statusCode = 180
            call.answer(prm)
        self.listener.incoming(info)

    def _taken_over(self, call: _Call, token: str) -> bool:
        """The lead's desk: a customer's INVITE sent here by the agent's desk on take over,
        with the grant of one of our live monitor legs. Answered at once in the leg's place
        (it never rings, so nothing pops a 360), then the leg is ended. True when it was."""
        legs = [s for s, t in self._lead_tokens.items() if t == token and s in self._lead_legs]
        if not legs:
            return False  # an unknown grant: an ordinary offer (it rings like any other)
        prm = pj.CallOpParam(True)
        prm.statusCode = 200
        with contextlib.suppress(pj.Error):
            call.answer(prm)
        for leg in legs:
            with contextlib.suppress(PhoneError):
                self.hangup(leg)
        return True

    def _replaces_by_uri(self, call: _Call, wanted: UriReplaces) -> bool:
        """An attended transfer's new INVITE from a transferee that put Replaces in the URI
        (baresip 1.0.0; see softphone.replaces): answered at once in the place of our call
        with that dialog, which then ends, as pjsua does for a Replaces header. Only a live,
        answered call matches, by SIP Call-ID and (an inbound one) its far end's tag. True
        when it did; otherwise the offer rings like any other."""
        tags = {wanted.to_tag, wanted.from_tag}
        old = next(
            (
                other
                for other in self._calls.values()
                if other is not call
                and other.sip_call_id == wanted.call_id
                and other.info.state in (CallState.CONNECTED, CallState.HELD)
                and (not other.remote_tag or other.remote_tag in tags)
            ),
            None,
        )
        if old is None:
            return False
        log.info("call %d replaces call %d (Replaces in the URI)", call.serial, old.serial)
        prm = pj.CallOpParam(True)
        prm.statusCode = 200
        try:
            call.answer(prm)
        except pj.Error as exc:
            log.warning("call %d: could not take over call %d: %s", call.serial, old.serial, exc)
            return False
        call.muted = old.muted
        with contextlib.suppress(PhoneError):
            self.hangup(old.serial)
        return True

    def _screened(self, call: _Call, source: str) -> bool:
        """The engine's guard refuses an offer (an untrusted source: 403; too many: 503 with
        Retry-After) before it rings or any media starts. True when refused."""
        assert self.screen is not None
        code, phrase = self.screen(source)
        if not code:
            return False
        prm = pj.CallOpParam(True)
        prm.statusCode = code
        prm.reason = phrase
        if code == 503:
            header = pj.SipHeader()
            header.hName, header.hValue = "Retry-After", str(self.retry_after_s)
            prm.txOption.headers.append(header)
        call.screened = True
        with contextlib.suppress(pj.Error):
            call.answer(prm)
        return True

    # -- monitoring (the agent's desk: a lead's leg on the conference bridge) ---------------

    def _monitor_offered(self, call: _Call, token: str) -> None:
        """A lead's leg: joined without ringing when its grant is valid and the agent is on a
        call; refused (403) otherwise, and reported. The grant reaches this desk by the
        server's event stream, which may be a moment behind the lead's INVITE: an unknown
        token is asked about again for LEG_GRACE_S before it is refused."""
        if self._try_leg(call, token, final=False):
            return
        with contextlib.suppress(pj.Error):  # the lead's phone hears it is being handled
            prm = pj.CallOpParam(True)
            prm.statusCode = 180
            call.answer(prm)
        self._pending_legs[call.serial] = (token, time.monotonic() + LEG_GRACE_S)

    def _pending_legs_due(self) -> None:
        now = time.monotonic()
        for serial, (token, deadline) in list(self._pending_legs.items()):
            call = self._calls.get(serial)
            if call is None or call.info.state == CallState.ENDED:
                del self._pending_legs[serial]
                continue
            if self._try_leg(call, token, final=now >= deadline):
                del self._pending_legs[serial]

    def _try_leg(self, call: _Call, token: str, final: bool) -> bool:
        """Join the leg if its grant is valid; refuse it when ``final``. True when decided."""
        mode = self.monitor_auth(token) if self.monitor_auth is not None else None
        target = next(
            (
                c
                for c in self._calls.values()
                if c.serial not in self._monitors
                and c.serial != call.serial
                and c.info.state in (CallState.CONNECTED, CallState.HELD)
            ),
            None,
        )
        if mode is None or target is None:
            if not final and mode is None:
                return False
            reason = "no valid grant" if mode is None else "the agent is not on a call"
            prm = pj.CallOpParam(True)
            prm.statusCode = 403
            with contextlib.suppress(pj.Error):
                call.answer(prm)
            self.listener.monitor_refused(reason)
            return True
        info = MonitorInfo(call.serial, target.serial, mode, token)
        self._monitors[call.serial] = info
        prm = pj.CallOpParam(True)
        prm.statusCode = 200  # (0, the default, trips an assertion in pjsip and aborts)
        with contextlib.suppress(pj.Error):
            call.answer(prm)
        self.listener.monitor(info)
        return True

    def set_monitor_mode(self, leg: int, mode: MonitorMode) -> None:
        info = self._monitors.get(leg)
        if info is None:
            raise PhoneError(f"There is no monitor leg {leg}.", "no_call")
        self._monitors[leg] = replace(info, mode=mode)
        customer = self._calls.get(info.call_id)
        if customer is not None:
            self._connect_audio(customer)  # re-routes its legs too
        self.listener.monitor(self._monitors[leg])
        if mode is MonitorMode.TAKEOVER:
            self._hand_over(leg)

    def _hand_over(self, leg: int) -> None:
        """Take over moves the customer to the lead, so this desk can be closed: a REFER to
        the customer whose Refer-To is the lead leg's Contact (the lead's desk itself, not its
        address of record, which a desk without a PBX cannot route) carrying the leg's grant
        in TAKEOVER_HEADER. The customer's phone calls the lead's, which answers it in the
        leg's place and ends the leg (``_taken_over``); the leg's end then ends the
        customer's old call here (``_leg_ended``). Until
        then, and for good if the customer's side cannot be transferred, the bridge carries
        lead and customer as before (the agent already out of their audio)."""
        info = self._monitors.get(leg)
        if info is None or leg in self._handing:
            return
        self._handing.add(leg)

        def refer(customer: _Call, lead: _Call) -> None:
            contact = str(lead.getInfo().remoteContact).strip()
            uri = contact[contact.find("<") + 1 : contact.rfind(">")] if "<" in contact else contact
            target = f"<{uri}?{TAKEOVER_HEADER}={quote(info.token, safe='')}>"
            customer.xfer(target, pj.CallOpParam(True))

        try:
            self._attempt((info.call_id, leg), "Could not move the customer to the lead", refer)
        except PhoneError as exc:
            log.warning("take over stays on this desk's bridge: %s", exc)

    def end_leg(self, leg: int, reason: str) -> None:
        # pjsua2 may report the leg's end from inside hangup(): it must carry our reason.
        self._leg_reasons[leg] = reason
        call = self._calls.get(leg)
        if call is not None and call.info.state != CallState.ENDED:
            with contextlib.suppress(PhoneError):  # (checks the leg still holds its slot)
                self.hangup(leg)
        del call
        self._leg_ended(leg, reason)

    def _leg_ended(self, leg: int, reason: str) -> None:
        self._leg_reasons.pop(leg, None)
        info = self._monitors.pop(leg, None)
        if info is None:
            return
        customer = self._calls.get(info.call_id)
        if customer is not None and customer.info.state != CallState.ENDED:
            if info.mode is MonitorMode.TAKEOVER:
                # The lead had the customer: the conversation ends with the lead, and the
                # customer is never left alone on a line nobody listens to.
                with contextlib.suppress(PhoneError):
                    self.hangup(customer.serial)
            else:
                self._connect_audio(customer)
        self.listener.monitor(replace(info, ended=True, reason=reason))

    def _route_monitor(self, leg: _Call) -> None:
        """Who hears whom, per mode: the customer always reaches the lead; the agent's voice
        in listen, whisper and barge; the lead reaches the agent in whisper and barge, the
        customer in barge and takeover only. Everything is disconnected first, so a mode
        change never leaves an old path open (a lead's stray microphone on the customer)."""
        info = self._monitors[leg.serial]
        customer = self._calls.get(info.call_id)
        connected = self._audio_of(customer, held_too=True) if customer is not None else []
        # The agent holds the customer: lead and agent stay together, the customer hears
        # neither (a held port still sends: a barging lead would reach a held customer).
        held = customer is not None and customer.local_hold
        theirs = [] if held or customer is None else self._audio_of(customer)
        mode = info.mode
        mics, ears = self._agent_audio(customer)
        for lead in self._audio_of(leg):
            for party in connected:
                with contextlib.suppress(pj.Error):
                    party.stopTransmit(lead)
                with contextlib.suppress(pj.Error):
                    lead.stopTransmit(party)
            for mic in mics:
                with contextlib.suppress(pj.Error):
                    mic.stopTransmit(lead)
            for ear in ears:
                with contextlib.suppress(pj.Error):
                    lead.stopTransmit(ear)
            for party in theirs:
                party.startTransmit(lead)
                if mode in (MonitorMode.BARGE, MonitorMode.TAKEOVER):
                    lead.startTransmit(party)
            if mode is not MonitorMode.TAKEOVER and not (customer is not None and customer.muted):
                for mic in mics:
                    mic.startTransmit(lead)
            if mode in (MonitorMode.WHISPER, MonitorMode.BARGE):
                for ear in ears:
                    lead.startTransmit(ear)

    def _agent_audio(self, call: _Call | None) -> tuple[list[Any], list[Any]]:
        """The agent's voice (headset microphone; a test peer's tone or prompt) and ears
        (headset; a test peer's recorder)."""
        assert self._ep is not None
        manager = self._ep.audDevManager()
        del call
        mic = self._port if self._port is not None else manager.getCaptureDevMedia()
        speaker = self._port if self._port is not None else manager.getPlaybackDevMedia()
        mics = [m for m in (mic, self._tone, self._player) if m is not None]
        ears = [e for e in (speaker, self._recorder) if e is not None]
        return mics, ears

    def _transferred(self, prm: Any) -> None:
        assert self._account is not None
        new = _Call(self, self._account, self._next_serial(), CallDirection.OUTBOUND)
        self._calls[new.serial] = new
        target = str(prm.dstUri)
        new.info = replace(new.info, remote_uri=target, remote_number=user_part(target))
        prm.newCall = new
        self.listener.call_changed(new.info)

    def _replaced(self, call: _Call, new_id: int, prm: Any) -> None:
        assert self._account is not None
        new = _Call(self, self._account, self._next_serial(), call.direction, new_id)
        # pjsua answers it by itself: it is never offered, so it must not ring here.
        new.info = replace(new.info, state=CallState.CONNECTED, remote_uri=call.info.remote_uri)
        self._calls[new.serial] = new
        self._claim(new)
        prm.newCall = new

    @staticmethod
    def _snapshot(call: _Call) -> CallInfo:
        try:
            return call.snapshot()
        except pj.Error:  # the call is going away: what we knew last
            return call.info

    def _call_changed(self, call: _Call) -> None:
        if call.info.state == CallState.ENDED:  # buried already (found gone): said once
            if self._slots.get(call.slot) is call:
                del self._slots[call.slot]
            return
        self._claim(call)  # pjsua reports on it: it holds its slot (a REFER'd call learns it)
        info = self._snapshot(call)
        if info.state == CallState.ENDED and self._slots.get(call.slot) is call:
            del self._slots[call.slot]  # pjsua frees the slot when this callback returns
        self._settle(call, info)

    def _settle(self, call: _Call, info: CallInfo) -> None:
        call.info = info
        if info.state == CallState.ENDED:
            self._ended.append(call.serial)
            self._conference.discard(call.serial)
            self._recording_ended(call)
        elif info.state in (CallState.CONNECTED, CallState.HELD):
            self.recordings.held(call.serial, info.state == CallState.HELD)
        if call.screened or call.orphan:  # refused by the guard, or never offered
            return
        if call.serial in self._lead_legs:  # our leg into an agent's desk
            self.listener.lead_leg(info)
            if info.state == CallState.ENDED:
                self._lead_legs.discard(call.serial)
                self._lead_tokens.pop(call.serial, None)
            return
        if call.serial in self._legs:  # a lead's leg: never one of the agent's calls
            joined = self._monitors.get(call.serial)
            taking = joined is not None and joined.mode is MonitorMode.TAKEOVER
            if info.state == CallState.CONNECTED and taking:  # a grant to take over at once
                self._hand_over(call.serial)
            if info.state == CallState.ENDED:
                handed = call.serial in self._handing
                self._handing.discard(call.serial)
                default = "taken over" if handed else "the lead left"
                reason = self._leg_reasons.pop(call.serial, default)
                self._leg_ended(call.serial, reason)
                self._legs.discard(call.serial)
            return
        if info.state == CallState.ENDED:
            for leg, watched in list(self._monitors.items()):
                if watched.call_id == call.serial:  # the lead is never left alone in silence
                    self.end_leg(leg, "the call ended")
        self.listener.call_changed(info)

    def _media_changed(self, call: _Call) -> None:
        if call.info.state == CallState.ENDED:
            return
        if call.serial in self._legs or call.serial in self._lead_legs:  # routed, not listed
            self._connect_audio(call)
            return
        self._note_codec(call)
        if call.pending_resume:
            self._unhold(call)
        info = self._snapshot(call)
        if info.media_active:
            self._record(call, info)
        self._connect_audio(call)
        if info.media_active and not call.announced:
            self._announce(call, info)
        self.listener.media(info)
        self.listener.call_changed(info)

    # -- recording (issue 20; softphone/recordings.py, softphone/recorder.py) -----------------

    def _record(self, call: _Call, info: CallInfo) -> None:
        """The call's media is up: its recording starts (desk: two taps on the bridge, wired
        in ``_route``; pbx: the PBX's id linked), once."""
        if call.serial in self._taps:
            return
        others = [
            other
            for other in self._calls.values()
            if other is not call
            and other.info.state not in (CallState.ENDED,)
            and other.serial not in self._legs
            and other.serial not in self._lead_legs
        ]
        kind = call.direction.value
        if call.direction == CallDirection.OUTBOUND and others:
            kind = "consult"  # dialled while another call was up: the agent asks someone
        recording = self.recordings.started(
            CallStart(
                call.serial,
                call.sip_call_id,
                kind,
                queue=info.queue,
                pbx_recording_id=call.pbx_recording_id,
            )
        )
        if recording is None:
            return
        fmt = pj.MediaFormatAudio()
        fmt.type = pj.PJMEDIA_TYPE_AUDIO
        fmt.clockRate = CLOCK_RATE
        fmt.channelCount = 1
        fmt.bitsPerSample = 16
        fmt.frameTimeUsec = FRAME_MS * 1000
        taps = (_TapPort(recording, LEFT), _TapPort(recording, RIGHT))
        try:
            taps[LEFT].createPort(f"rec{call.serial}a", fmt)
            taps[RIGHT].createPort(f"rec{call.serial}c", fmt)
        except pj.Error as exc:
            log.warning("call %d: recording taps not made: %s", call.serial, exc.reason)
            self.recordings.ended(call.serial)
            return
        self._taps[call.serial] = taps

    def _announce(self, call: _Call, info: CallInfo) -> None:
        """ "This call may be recorded", to the caller only (never to the headset, never on
        the recording's agent channel), once, as the call's audio starts."""
        call.announced = True
        if call.direction != CallDirection.INBOUND or not self.recordings.announces(info.queue):
            return
        player = pj.AudioMediaPlayer()
        try:
            player.createPlayer(self.recordings.settings.announcement_path, pj.PJMEDIA_FILE_NO_LOOP)
            for audio in self._audio_of(call):
                player.startTransmit(audio)
        except pj.Error as exc:
            log.warning("call %d: announcement not played: %s", call.serial, exc.reason)
            return
        call.prompt = player

    def _recording_changed(self, info: RecordingInfo) -> None:
        self.listener.recording(info)

    def _route_taps(self, call: _Call, mics: list[Any], silent: bool) -> None:
        """The recording hears what the agent sends into this call (nothing while muted,
        held or taken over) and what the call brings in."""
        taps = self._taps.get(call.serial)
        if taps is None:
            return
        for mic in mics:
            if silent:
                with contextlib.suppress(pj.Error):
                    mic.stopTransmit(taps[LEFT])
            else:
                mic.startTransmit(taps[LEFT])
        for audio in self._audio_of(call, held_too=True):
            audio.startTransmit(taps[RIGHT])

    def pause_recording(self, serial: int, reason: str, by: str = "") -> None:
        self._call(serial)
        self.recordings.pause(serial, reason, by)

    def resume_recording(self, serial: int) -> None:
        self._call(serial)
        self.recordings.resume(serial)

    def label_recording(self, serial: int, labels: RecordingLabels) -> None:
        self.recordings.label(serial, labels)

    def _recording_ended(self, call: _Call) -> None:
        self.recordings.ended(call.serial)
        taps = self._taps.pop(call.serial, None)
        if taps is not None:
            self._spent_taps.append(taps)
        if call.prompt is not None:
            self._spent_prompts.append(call.prompt)
            call.prompt = None

    def _connect_audio(self, call: _Call) -> None:
        """Route the call's audio to the headset port (or the null device), and back unless
        muted; test and demo peers also get their tone, prompt and recorder."""
        if self._ep is None:
            return
        try:
            self._route(call)
        except pj.Error as exc:  # media went away under us (the call is ending): say, go on
            log.warning("call %d: audio routing failed: %s", call.serial, exc.reason)

    def _route(self, call: _Call) -> None:
        assert self._ep is not None
        if call.serial in self._legs:  # a lead's leg: its own routing, or none once it ends
            if call.serial in self._monitors:
                self._route_monitor(call)
            return
        legs = [leg for leg, info in self._monitors.items() if info.call_id == call.serial]
        # Taken over: the agent is out of the customer's audio, both ways.
        out = any(self._monitors[leg].mode is MonitorMode.TAKEOVER for leg in legs)
        mics, ears = self._agent_audio(call)
        self._route_taps(call, mics, call.muted or out or call.local_hold)
        for audio in self._audio_of(call, held_too=True):
            for ear in ears:
                if out:
                    with contextlib.suppress(pj.Error):
                        audio.stopTransmit(ear)
                else:
                    audio.startTransmit(ear)
            for mic in mics:
                # On hold the port still sends: the held customer must not hear the desk.
                if call.muted or out or call.local_hold:
                    with contextlib.suppress(pj.Error):
                        mic.stopTransmit(audio)
                else:
                    mic.startTransmit(audio)
        for leg in legs:
            leg_call = self._calls.get(leg)
            if leg_call is not None:
                self._route_monitor(leg_call)
        self._route_conference(call)

    def _route_conference(self, call: _Call) -> None:
        if call.serial in self._conference:
            self.recordings.conferenced(call.serial)
            taps = self._taps.get(call.serial)
            for other in self._calls.values():
                if other is call or other.serial not in self._conference:
                    continue
                for mine in self._audio_of(call):
                    for theirs in self._audio_of(other):
                        mine.startTransmit(theirs)
                        theirs.startTransmit(mine)
                        if taps is not None:  # every far party on the far-end channel
                            theirs.startTransmit(taps[RIGHT])

    def _registration(self, code: int, reason: str, expires: int) -> None:
        registrar = self.config.registrar
        if self._unregistering:
            # The answer to our un-registration (a final one: pjsip answers a 401 itself).
            self._unregistering = False
            log.info("un-registered from %s: %d %s", registrar, code, reason)
        if 200 <= code < 300 and expires > 0:
            info = RegistrationInfo(
                RegistrationState.REGISTERED, registrar, f"{code} {reason}", code, expires
            )
        elif 200 <= code < 300:
            info = RegistrationInfo(
                RegistrationState.UNREGISTERED, registrar, f"{code} {reason}", code
            )
        else:
            info = RegistrationInfo(
                RegistrationState.FAILED,
                registrar,
                f"{code} {reason}",
                code,
                retry_at=self.wall_clock() + self.config.retry_interval_s,
            )
        self.listener.registration(info)


def _transport_config(config: PhoneConfig) -> pj.TransportConfig:
    """The SIP listener: its address and port, what Via and Contact say, TLS."""
    tcfg = pj.TransportConfig()
    tcfg.port = config.port
    tcfg.boundAddress = config.bind_address
    if config.bind_address in ANY:  # Via and Contact: the interface to the registrar
        tcfg.publicAddress = advertised_address(config.bind_address, config.registrar)
    if config.transport == Transport.TLS:
        tcfg.tlsConfig.CaListFile = config.tls_ca_file
        tcfg.tlsConfig.verifyServer = config.tls_verify_server
        tcfg.tlsConfig.certFile = config.tls_cert_file
        tcfg.tlsConfig.privKeyFile = config.tls_key_file
        tcfg.tlsConfig.proto = pj.PJ_SSL_SOCK_PROTO_TLS1_2 | pj.PJ_SSL_SOCK_PROTO_TLS1_3
    return tcfg
