"""Call monitoring on a desk, both ends.

The agent's end: the server tells this desk, by the event stream, of each grant a lead was
given to join its call (the token's SHA-256, the mode, who); the softphone asks here whether a
lead's leg may join, and the answer is yes only for a grant told of, not used yet and not
expired. A leg that comes without one is refused and reported (audited on the server). Mode
changes and the end come by events too. The agent sees "monitored by …" when the team shows it.

The lead's end: ask the server for a grant (role and team are checked there), dial the agent's
desk with it, and keep the lead's microphone closed in listen mode — the agent's desk routes
no audio of the lead's in listen anyway; muting here as well means a mistake on one side still
never puts a stray supervisor microphone on the customer. Moving to whisper, barge or take over
is an explicit action. Strategies: ``DesktopBridge`` (the desk's conference bridge, no PBX
feature needed; what is built and tested here) and ``AsteriskChanSpy`` (documented below).

The server is asked on a thread of this service's own (requests in order); the answers come
back through ``TaskRunner.post`` (the one way back onto the GUI thread, ``agent_desktop.tasks``):
every signal here is emitted on the GUI thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from typing import ClassVar, Protocol

from PySide6.QtCore import QObject, Signal

from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from softphone import (
    MONITOR_HEADER,
    CallInfo,
    CallState,
    MonitorInfo,
    MonitorMode,
    Phone,
    PhoneError,
)
from sync.client import ApiClient, ApiError
from sync.clock import system_clock
from sync.contract.events import MonitorEndData, MonitorGrantData, MonitorModeData, payload_of
from sync.contract.records import MonitorMode as WireMode
from sync.contract.wire import (
    EventOut,
    MonitorEnd,
    MonitorGrantOut,
    MonitorModeIn,
    MonitorRefusal,
    MonitorRequest,
    WireModel,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Grant:
    """A grant this (agent's) desk was told of."""

    grant_id: int
    token_sha256: str
    mode: MonitorMode
    lead_name: str
    expires_at: datetime
    indicator: bool
    used: bool = False
    leg_id: int | None = None


@dataclass(frozen=True, slots=True)
class LeadSession:
    """The lead's side of one monitor session."""

    grant_id: int
    agent_id: int
    agent_name: str
    mode: MonitorMode
    leg_id: int | None = None  # the lead's call to the agent's desk
    state: str = "connecting"  # connecting | connected | ended
    reason: str = ""


class MonitorStrategy(Protocol):
    """How a lead's phone joins an agent's call and moves between modes."""

    def join(self, target: str, token: str, mode: MonitorMode) -> int: ...

    def change(self, leg_id: int, mode: MonitorMode) -> None: ...

    def leave(self, leg_id: int) -> None: ...


class DesktopBridge:
    """The agent's desk bridges the lead's leg (softphone/_pj.py routes each mode)."""

    def __init__(self, phone: Phone) -> None:
        self._phone = phone

    def join(self, target: str, token: str, mode: MonitorMode) -> int:
        del mode  # the desk joins every leg in the grant's mode; the lead mutes on connect
        call = self._phone.dial(target, {MONITOR_HEADER: token})
        return call.call_id

    def change(self, leg_id: int, mode: MonitorMode) -> None:
        # The agent's desk re-routes on the server's event; here, only the microphone.
        self._phone.set_mute(leg_id, mode is MonitorMode.LISTEN)

    def leave(self, leg_id: int) -> None:
        self._phone.hangup(leg_id)


class AsteriskChanSpy:
    """The same interface on a PBX that has it (not used by this project's tests): Asterisk's
    ChanSpy application behind feature codes, e.g. in extensions.conf

        exten => _*222.,1,ChanSpy(SIP/${EXTEN:4},qdo)   ; listen; DTMF 4/5/6 switch modes
        exten => _*223.,1,ChanSpy(SIP/${EXTEN:4},qwdo)  ; whisper
        exten => _*224.,1,ChanSpy(SIP/${EXTEN:4},qBdo)  ; barge

    With option ``d``, the lead's keys move between modes on the same call: 4 listen,
    5 whisper, 6 barge (take over is a PBX transfer, not ChanSpy). The grant is then the PBX's
    own authorisation (its dialplan checks the lead's extension); the server's grant and audit
    stay as they are."""

    CODES: ClassVar[dict[MonitorMode, str]] = {
        MonitorMode.LISTEN: "*222",
        MonitorMode.WHISPER: "*223",
        MonitorMode.BARGE: "*224",
    }
    KEYS: ClassVar[dict[MonitorMode, str]] = {
        MonitorMode.LISTEN: "4",
        MonitorMode.WHISPER: "5",
        MonitorMode.BARGE: "6",
    }

    def __init__(self, phone: Phone, agent_extension: Callable[[str], str]) -> None:
        self._phone = phone
        self._extension = agent_extension

    def join(self, target: str, token: str, mode: MonitorMode) -> int:
        del token  # the PBX authorises by the lead's extension
        code = self.CODES.get(mode, self.CODES[MonitorMode.LISTEN])
        return self._phone.dial(f"{code}{self._extension(target)}").call_id

    def change(self, leg_id: int, mode: MonitorMode) -> None:
        key = self.KEYS.get(mode)
        if key is None:
            raise PhoneError("Take over needs a transfer on this PBX.", "unsupported")
        self._phone.send_dtmf(leg_id, key)

    def leave(self, leg_id: int) -> None:
        self._phone.hangup(leg_id)


class MonitorService(QObject):
    # Agent's end.
    indicator_changed = Signal(str)  # "" when not monitored, else who and how
    # Lead's end.
    session_changed = Signal(object)  # LeadSession (state ended at the end)
    failed = Signal(str)  # a request the server refused, in words

    def __init__(
        self,
        phone: Phone,
        sync: SyncService,
        tasks: TaskRunner,
        strategy: MonitorStrategy | None = None,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._phone = phone
        self._sync = sync
        self._tasks = tasks
        self._now = now or system_clock().now
        self.strategy = strategy or DesktopBridge(phone)
        self.grants: dict[str, Grant] = {}  # by token SHA-256
        self.session: LeadSession | None = None
        self._joining = False  # a grant is being asked for: a second click waits
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="monitor")
        phone.set_monitor_authoriser(self.authorise)
        phone.monitor_changed.connect(self._leg_changed)
        phone.monitor_refused.connect(self._refused)
        phone.lead_leg_changed.connect(self._lead_call_changed)
        phone.call_state_changed.connect(self._agent_call_changed)
        sync.event_received.connect(self.on_event)

    def reset(self) -> None:
        """Signed out: nothing of the last user's grants or session stays on this PC."""
        self.leave()
        self.grants.clear()
        self.session = None
        self._joining = False
        self.indicator_changed.emit("")

    def close(self) -> None:
        self._phone.set_monitor_authoriser(None)
        self._worker.shutdown(wait=False, cancel_futures=True)

    # -- the agent's end ----------------------------------------------------------------------

    def authorise(self, token: str) -> MonitorMode | None:
        """Whether a lead's leg with ``token`` may join, and in which mode (one time only)."""
        digest = hashlib.sha256(token.encode()).hexdigest()
        grant = self.grants.get(digest)
        if grant is None or grant.used or grant.expires_at <= self._now():
            return None
        self.grants[digest] = replace(grant, used=True)
        return grant.mode

    def on_event(self, event: EventOut) -> None:
        try:
            payload = payload_of(event)
        except ValueError as exc:
            log.warning("monitor: a %s event we cannot read: %s", event.kind, exc)
            return
        match payload:
            case MonitorGrantData():
                grant = Grant(
                    grant_id=payload.grant_id,
                    token_sha256=payload.token_sha256,
                    mode=MonitorMode(payload.mode.value),  # the phone's own enum
                    lead_name=payload.lead_name,
                    # The grant's life in this desk's clock: what the server gave it from
                    # the event's own time, so a desk whose clock is off still keeps it right.
                    expires_at=self._now() + (payload.expires_at - event.at),
                    indicator=payload.indicator,
                )
                self.grants[grant.token_sha256] = grant
            case MonitorModeData():
                told = self._grant_by_id(payload.grant_id)
                if told is not None:
                    mode = MonitorMode(payload.mode.value)
                    self.grants[told.token_sha256] = replace(told, mode=mode)
                    leg = self._leg_of(told)
                    if leg is not None:
                        self._phone.set_monitor_mode(leg, mode)
            case MonitorEndData():
                self._lead_told_end(payload)
                ended = self._grant_by_id(payload.grant_id)
                if ended is not None:
                    del self.grants[ended.token_sha256]
                    leg = self._leg_of(ended)
                    if leg is not None:
                        self._phone.end_monitor(leg, payload.reason)

    def _agent_call_changed(self, info: CallInfo) -> None:
        """The agent's call is over: a grant not used on it can no longer join the next one
        (the server ends it too, but its event may be a moment behind the next call)."""
        if info.state == CallState.ENDED and not self._phone.calls():
            self.grants = {k: g for k, g in self.grants.items() if g.used}

    def _grant_by_id(self, grant_id: object) -> Grant | None:
        return next((g for g in self.grants.values() if g.grant_id == grant_id), None)

    def _leg_of(self, grant: Grant) -> int | None:
        digest = grant.token_sha256
        return next(
            (
                m.leg_id
                for m in self._phone.monitors()
                if hashlib.sha256(m.token.encode()).hexdigest() == digest
            ),
            None,
        )

    def _leg_changed(self, info: MonitorInfo) -> None:
        digest = hashlib.sha256(info.token.encode()).hexdigest()
        grant = self.grants.get(digest)
        if info.ended:
            self.indicator_changed.emit("")
            if grant is not None:
                self.grants.pop(digest, None)
                self._tell_server("monitor.end", MonitorEnd(reason=info.reason), grant.grant_id)
            return
        if grant is not None and grant.indicator:
            self.indicator_changed.emit(
                self.tr("● Monitored by %1 (%2)")
                .replace("%1", grant.lead_name)
                .replace("%2", self.mode_name(info.mode))
            )

    def _refused(self, reason: str) -> None:
        log.warning("monitor: a leg was refused: %s", reason)
        self._tell_server("monitor.refused", MonitorRefusal(reason=reason))

    def _tell_server(self, op: str, body: WireModel, target_id: int | None = None) -> None:
        if self._sync.cache is not None:  # through the outbox: kept through an outage
            self._sync.call(op, body, target_id)

    def mode_name(self, mode: MonitorMode) -> str:
        return {
            MonitorMode.LISTEN: self.tr("listening"),
            MonitorMode.WHISPER: self.tr("coaching you"),
            MonitorMode.BARGE: self.tr("in the call"),
            MonitorMode.TAKEOVER: self.tr("took the call over"),
        }[mode]

    # -- the lead's end -----------------------------------------------------------------------

    def _ask(
        self,
        ask: Callable[[ApiClient, str], MonitorGrantOut],
        done: Callable[[MonitorGrantOut], None],
    ) -> None:
        factory = self._sync.client_factory
        if factory is None:
            self.failed.emit(self.tr("Monitoring needs the server: you are offline."))
            return

        def run() -> None:
            try:
                with factory() as api:
                    answer = ask(api, f"mon-{time.time_ns()}")
            except ApiError as exc:
                message = str(exc)
                self._tasks.post(self._refused_by_server, message)
                return
            self._tasks.post(done, answer)

        self._worker.submit(run)

    def _refused_by_server(self, message: str) -> None:
        self._joining = False
        self.failed.emit(message)

    def start(self, agent_id: int, agent_name: str) -> None:
        """Listen to an agent's call (always listen first: safe by default)."""
        if self._joining or (self.session is not None and self.session.state != "ended"):
            self.failed.emit(self.tr("Leave the current monitoring first."))
            return
        mode = MonitorMode.LISTEN
        self._joining = True

        def granted(answer: MonitorGrantOut) -> None:
            self._joining = False
            session = LeadSession(answer.id, agent_id, agent_name, mode)
            try:
                leg = self.strategy.join(answer.agent_sip_uri, answer.token, mode)
            except PhoneError as exc:
                self.failed.emit(str(exc))
                return
            self.session = replace(session, leg_id=leg)
            self.session_changed.emit(self.session)

        request = MonitorRequest(agent_id=agent_id, mode=WireMode(mode.value))
        self._ask(lambda api, key: api.start_monitor(request, key), granted)

    def set_mode(self, mode: MonitorMode) -> None:
        """An explicit move (whisper, barge, take over, back to listen)."""
        session = self.session
        if session is None or session.state == "ended" or session.leg_id is None:
            return
        leg_id = session.leg_id

        def moved(_answer: MonitorGrantOut) -> None:
            if self.session is None:
                return
            # On take over the leg may be gone already (the customer came in its place).
            with contextlib.suppress(PhoneError):
                self.strategy.change(leg_id, mode)
            self.session = replace(self.session, mode=mode)
            self.session_changed.emit(self.session)

        grant_id, change = session.grant_id, MonitorModeIn(mode=WireMode(mode.value))
        self._ask(lambda api, key: api.change_monitor(grant_id, change, key), moved)

    def leave(self) -> None:
        session = self.session
        if session is None or session.state == "ended":
            return
        if session.leg_id is not None:
            try:
                self.strategy.leave(session.leg_id)
            except PhoneError as exc:
                log.info("monitor: the leg was already gone: %s", exc)
        grant_id, end = session.grant_id, MonitorEnd(reason="the lead left")
        self._ask(lambda api, key: api.end_monitor(grant_id, end, key), lambda _a: None)
        self._ended(self.tr("you left"))

    def _lead_call_changed(self, info: CallInfo) -> None:
        session = self.session
        if session is None or info.call_id != session.leg_id:
            return
        if info.state == CallState.CONNECTED and session.state == "connecting":
            # The lead's microphone stays closed until an explicit move.
            self._phone.set_mute(info.call_id, session.mode is MonitorMode.LISTEN)
            self.session = replace(session, state="connected")
            self.session_changed.emit(self.session)
        elif info.state == CallState.ENDED and session.state != "ended":
            if session.mode is MonitorMode.TAKEOVER:
                # The customer came to this desk in the leg's place (softphone/_pj.py,
                # _taken_over): the lead goes on with an ordinary call, the session is over.
                self._ended(self.mode_name(MonitorMode.TAKEOVER))
                return
            self._ended(info.reason or self.tr("the call ended"))

    def _lead_told_end(self, end: MonitorEndData) -> None:
        session = self.session
        if session is not None and session.grant_id == end.grant_id:
            if session.leg_id is not None:
                with contextlib.suppress(PhoneError):  # already gone
                    self.strategy.leave(session.leg_id)
            self._ended(end.reason or self.tr("the call ended"))

    def _ended(self, reason: str) -> None:
        # The server's and the agent's desk's reasons are codes in English: worded here.
        words = {
            "the call ended": self.tr("the call ended"),
            "the lead left": self.tr("you left"),
            "left": self.tr("you left"),
            "taken over": self.mode_name(MonitorMode.TAKEOVER),  # the agent's desk's reason
        }.get(reason, reason)
        if self.session is not None:
            self.session = replace(self.session, state="ended", reason=words)
            self.session_changed.emit(self.session)
