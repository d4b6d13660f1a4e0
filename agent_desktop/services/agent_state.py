"""The agent's state and each call's life, as the contact centre counts them.

Ready / Not Ready (with a reason code) / On call / Wrap-up / Logged out, reported to the server
(queued in the outbox like any write). The rules agents complain about when other desktops get
them wrong:

- A state chosen during a call (or its wrap-up) is held as *pending* and applied when the call
  and its wrap-up end; choosing again replaces it.
- An offered call the agent lets ring out (``ring_no_answer_s``) is declined so the queue can
  route it elsewhere, and the agent goes Not Ready with the reason ``missed_call``.
- Wrap-up (after-call work with a countdown, per queue) follows every call the agent talked on
  or placed, answered or not (a failed outbound call needs a disposition too). At its end the
  interaction is written: start, answer, end, talk and hold time, disposition, notes, tickets.
- An inbound call the caller gave up on before it was answered is written at once, without a
  wrap-up ("abandoned"): the history shows the customer tried.
- The team lead may force a state (the event ``presence.command``): it takes the same path as
  the agent's own choice, so during a call it waits as *pending*. The lead's log-out is a
  sign-out (``logged_out_by_lead``): the desk signs out at once, as below.
- Leaving the desk (quit, sign-out, the lead's log-out) during a ring, a call or a wrap-up
  (``close_out``): the ringing call is declined (the queue routes it on), a live call hung up
  (BYE), and every call's interaction written at once with what is known — the wrap-up's
  disposition and notes so far, else ``ENDED_BY_SIGN_OUT`` — then Logged out is reported.
  All of it is queued in the outbox before the desk goes: nothing is lost offline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from agent_desktop.services.sync_service import SyncService
from softphone import CallDirection, CallInfo, CallState, Phone, PhoneError
from softphone.dial_plan import DialPlan
from sync.contract.desk import (
    AUTOMATIC_REASONS,
    DEFAULT_DESK_SETTINGS,
    ENDED_BY_SIGN_OUT,
    MISSED_CALL,
    SIGNED_IN,
    WRAP_UP_TIMED_OUT,
    wrap_up_for,
)
from sync.contract.events import payload_of
from sync.contract.records import AgentState
from sync.contract.wallboard import COMMAND_STATES, LEAD_REASON, AgentCommandOut
from sync.contract.wire import DeskSettings, EventOut, InteractionIn
from sync.entities import request_of

log = logging.getLogger(__name__)

_NOTES_MAX = 20_000  # sync.contract.wire.LongText: more would be refused by the cache
_ON_A_CALL = (CallState.CONNECTED, CallState.HELD, CallState.DIALING, CallState.RINGING)


@dataclass(frozen=True, slots=True)
class AgentStatus:
    state: AgentState
    reason: str = ""  # the Not Ready reason code
    since: float = 0.0  # unix time
    pending: tuple[AgentState, str] | None = None  # chosen during a call, applied after it
    wrap_up_left_s: int = 0


@dataclass(slots=True)
class CallRecord:
    """One call as the interaction record will say it."""

    call_id: int
    direction: CallDirection
    remote_number: str
    started_at: float
    answered_at: float | None = None
    ended_at: float | None = None
    hold_s: float = 0.0
    held_since: float | None = None
    customer_id: int | None = None
    queue: str = ""
    end_reason: str = ""
    ticket_ids: list[int] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)  # verify-on-file: ticked on this call

    @property
    def talk_s(self) -> int:
        if self.answered_at is None or self.ended_at is None:
            return 0
        return max(0, round(self.ended_at - self.answered_at - self.hold_s))


def _iso(stamp: float | None) -> str | None:
    return None if stamp is None else datetime.fromtimestamp(stamp, UTC).isoformat()


class AgentStateService(QObject):
    changed = Signal(object)  # AgentStatus
    wrap_up_started = Signal(object)  # CallRecord
    wrap_up_ended = Signal(object)  # CallRecord, its interaction queued for the server
    missed = Signal(object)  # CallInfo: rang out at this desk
    commanded = Signal(object)  # AgentCommandOut: the lead's order, applied or pending
    logged_out_by_lead = Signal(object)  # AgentCommandOut: the desk signs out

    def __init__(
        self,
        phone: Phone,
        sync: SyncService,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] | None = None,
        dial_plan: DialPlan | None = None,
    ) -> None:
        super().__init__(parent)
        self.dial_plan = dial_plan or DialPlan()  # which queue a dialled number is
        # The call's recording id, for its interaction (the composition root gives the
        # recorder's: RecordingService.recording_id); None where nothing records.
        self.recording_of: Callable[[int], str | None] = lambda _call_id: None
        # Unix time: the call and state stamps that the server and the wallboard read. The
        # phone stamps its calls (offered, connected) on its clock; the end, the wrap-up and
        # the states must be on the same one, or a call could end before it began.
        self._clock = clock or phone.wall_clock
        self._phone = phone
        self._sync = sync
        self.settings = sync.desk_settings or DEFAULT_DESK_SETTINGS
        self.status = AgentStatus(AgentState.LOGGED_OUT, since=self._clock())
        self._records: dict[int, CallRecord] = {}
        self._to_wrap: list[CallRecord] = []
        self.wrapping: CallRecord | None = None
        # What the wrap-up panel shows now (disposition, notes): saved if the time runs out.
        self._draft: tuple[str, str] = ("", "")
        # Ring-no-answer: one timer for every offered call, set for the earliest deadline
        # (milliseconds on ``_uptime``). A QTimer per call, parented to this long-lived service,
        # stayed for the whole shift with its closure and the call's CallInfo (issue 26).
        self._ring_deadlines: dict[int, int] = {}
        self._uptime = QElapsedTimer()
        self._uptime.start()
        self._ring_timer = QTimer(self)
        self._ring_timer.setSingleShot(True)
        self._ring_timer.timeout.connect(self._rings_due)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)
        phone.incoming_call.connect(self._on_incoming)
        phone.call_state_changed.connect(self._on_call)
        sync.desk_settings_changed.connect(self._use_settings)
        sync.event_received.connect(self._on_event)

    # -- the agent's choices ----------------------------------------------------------------

    def sign_in(self) -> None:
        self._set(AgentState.NOT_READY, SIGNED_IN)

    def sign_out(self) -> list[Future[Any]]:
        """The agent leaves the desk (sign-out, quit): see ``close_out``."""
        return self.close_out()

    def close_out(self) -> list[Future[Any]]:
        """End what the agent leaves behind, write it down, and report Logged out.

        A ringing call is declined (the queue offers it to the next agent), a live one hung up
        (BYE); every call's interaction is written now, not when the phone reports its end (at
        quit it may never): the call in wrap-up with the disposition and notes the form holds,
        the calls queued for wrap-up and the live ones with ``ENDED_BY_SIGN_OUT``. Returns the
        cache's futures of those writes and of the presence, for a caller that pushes them
        before the desk goes. Twice (quit after a sign-out) writes nothing again.
        """
        now = self._clock()
        written: list[Future[Any]] = []
        for call in self._live_calls():
            record = self._records.pop(call.call_id, None)  # first: its ENDED writes nothing
            self._stop_ring_timer(call.call_id)
            try:
                if call.state == CallState.INCOMING:
                    self._phone.reject(call.call_id)
                else:
                    self._phone.hangup(call.call_id)
            except PhoneError as exc:  # gone meanwhile, or the engine is: nothing to end
                log.info("call %d at sign-out: %s", call.call_id, exc)
            if record is None:
                continue
            self._close_record(record, now)
            written += self._written(record, ENDED_BY_SIGN_OUT, "")
        self._records.clear()  # calls the phone no longer lists: nothing left to end
        if self.wrapping is not None:
            record, self.wrapping = self.wrapping, None
            disposition, notes = self._draft
            self._draft = ("", "")
            written += self._written(record, disposition or ENDED_BY_SIGN_OUT, notes[:_NOTES_MAX])
            self.wrap_up_ended.emit(record)
        for record in self._to_wrap:
            written += self._written(record, ENDED_BY_SIGN_OUT, "")
        self._to_wrap.clear()
        self._tick.stop()
        if written or self.status.state != AgentState.LOGGED_OUT:
            log.info("signed out: %d interaction(s) written", len(written))
            written += self._set(AgentState.LOGGED_OUT, "")
        return written

    def _close_record(self, record: CallRecord, now: float) -> None:
        record.ended_at = now
        if record.held_since is not None:
            record.hold_s += now - record.held_since
            record.held_since = None
        record.end_reason = "signed_out"

    @property
    def busy(self) -> bool:
        """On a call or in its wrap-up: a chosen state waits."""
        return bool(self._live_calls()) or self.wrapping is not None

    def request(self, state: AgentState, reason: str = "") -> None:
        """What the agent picked. Not Ready needs a reason code."""
        if state == AgentState.NOT_READY and not reason:
            raise ValueError("Not Ready needs a reason")
        if self.busy:
            self.status = replace(self.status, pending=(state, reason))
            self.changed.emit(self.status)
            return
        self._set(state, reason)

    def set_customer(self, call_id: int, customer_id: int | None) -> None:
        """The screen pop (or the agent) says who this call is with."""
        record = self._records.get(call_id)
        if record is not None:
            record.customer_id = customer_id
        if self.wrapping is not None and self.wrapping.call_id == call_id:
            self.wrapping.customer_id = customer_id

    def note_checks(self, call_id: int, checks: list[str]) -> None:
        """The identity checks the agent has ticked on this call (the 360's ticks): written
        with its interaction."""
        for record in (self._records.get(call_id), self.wrapping):
            if record is not None and record.call_id == call_id:
                record.checks = list(checks)

    def link_ticket(self, call_id: int, ticket_id: int) -> None:
        for record in (self._records.get(call_id), self.wrapping):
            if (
                record is not None
                and record.call_id == call_id
                and ticket_id not in record.ticket_ids
            ):
                record.ticket_ids.append(ticket_id)

    def extend_wrap_up(self, seconds: int = 30) -> None:
        if self.wrapping is not None:
            self._set_left(self.status.wrap_up_left_s + seconds)

    def keep_wrap_up_draft(self, disposition: str, notes: str) -> None:
        """The wrap-up form as the agent has it now (each change): what the countdown saves
        when it runs out before the agent clicks Done."""
        if self.wrapping is not None:
            self._draft = (disposition, notes)

    def finish_wrap_up(self, disposition: str, notes: str = "") -> None:
        """The agent is done with the call: write the interaction, move to the next state."""
        record = self.wrapping
        if record is None:
            return
        self._write(record, disposition, notes)
        self.wrapping = None
        self.wrap_up_ended.emit(record)
        if self._to_wrap:
            self._start_wrap_up(self._to_wrap.pop(0))
            return
        self._tick.stop()
        self._after_call()

    # -- the phone ----------------------------------------------------------------------------

    def _live_calls(self) -> list[CallInfo]:
        return [c for c in self._phone.calls() if c.state != CallState.ENDED]

    def queue_of(self, call: CallInfo) -> str:
        """The queue a call came in on: the PBX's queue header, else the queue the site's plan
        names for the dialled number, else the dialled number itself (a hotline the plan does
        not list still gets its own line on the board)."""
        if call.direction != CallDirection.INBOUND:
            return ""
        return call.queue or self.dial_plan.queue_of(call.dialled_number) or call.dialled_number

    def _record(self, call: CallInfo) -> CallRecord:
        # A withheld caller's number may have found the customer, but it is not written down
        # where every agent who opens the history would read it.
        number = "withheld" if call.caller_withheld else call.remote_number
        return CallRecord(
            call.call_id,
            call.direction,
            number,
            call.started_at or self._clock(),
            queue=self.queue_of(call)[:200],  # the server's column
        )

    def _on_incoming(self, call: CallInfo) -> None:
        self._records[call.call_id] = self._record(call)
        ring_ms = int(self.settings.ring_no_answer_s * 1000)
        self._ring_deadlines[call.call_id] = self._uptime.elapsed() + ring_ms
        self._arm_ring_timer()

    def _arm_ring_timer(self) -> None:
        if not self._ring_deadlines:
            self._ring_timer.stop()
            return
        left = min(self._ring_deadlines.values()) - self._uptime.elapsed()
        self._ring_timer.start(max(0, left))

    def _rings_due(self) -> None:
        now = self._uptime.elapsed()
        for call_id in [c for c, due in self._ring_deadlines.items() if due <= now]:
            self._rang_out(call_id)
        self._arm_ring_timer()

    def _rang_out(self, call_id: int) -> None:
        self._ring_deadlines.pop(call_id, None)
        call = self._phone.call(call_id)
        if call is None or call.state != CallState.INCOMING:
            return
        record = self._records.pop(call_id, None)  # first: its ENDED is not "abandoned"
        try:
            self._phone.reject(call_id)  # the queue offers it to the next agent
        except PhoneError as exc:
            log.info("missed call %d: %s", call_id, exc)
        if record is not None:
            record.ended_at = self._clock()
            record.end_reason = "missed"
            self._write(record, "missed", "")
        self.missed.emit(call)
        # A missed call means nobody is at this desk: stop offering calls to it. The call just
        # declined is not "busy": the real phone lists it until its end comes back, and the
        # state then waited as pending for a call that never came (the desk stayed Ready).
        others = [c for c in self._live_calls() if c.call_id != call_id]
        if others or self.wrapping is not None:
            self.status = replace(self.status, pending=(AgentState.NOT_READY, MISSED_CALL))
            self.changed.emit(self.status)
        else:
            self._set(AgentState.NOT_READY, MISSED_CALL)

    def _on_call(self, call: CallInfo) -> None:
        record = self._records.get(call.call_id)
        if record is None:
            if call.state == CallState.ENDED:
                return
            record = self._records[call.call_id] = self._record(call)
        now = self._clock()
        if call.state in (CallState.CONNECTED, CallState.HELD) and record.answered_at is None:
            record.answered_at = call.connected_at or now
            self._stop_ring_timer(call.call_id)
        if call.state == CallState.HELD and record.held_since is None:
            record.held_since = now
        if call.state != CallState.HELD and record.held_since is not None:
            record.hold_s += now - record.held_since
            record.held_since = None
        if call.state in _ON_A_CALL and self.status.state != AgentState.ON_CALL:
            self._enter_call()
        if call.state == CallState.ENDED:
            self._ended(record, call)

    def _stop_ring_timer(self, call_id: int) -> None:
        if self._ring_deadlines.pop(call_id, None) is not None:
            self._arm_ring_timer()

    def _enter_call(self) -> None:
        previous = self.status
        pending = previous.pending
        if pending is None and previous.state not in (AgentState.ON_CALL, AgentState.WRAP_UP):
            pending = (previous.state, previous.reason)  # where to go back after the call
        if pending is not None and pending[1] in AUTOMATIC_REASONS and previous.pending is None:
            # "Just signed in" or "Missed call" was the desk's guess that nobody was at it; an
            # agent who takes or places a call is there. Going back to it after the call told
            # the lead a stale story (issue 19): the agent goes Ready, as after any call. A
            # missed call *during* a call is a fresh guess, kept as pending (see _rang_out).
            pending = None
        self.status = AgentStatus(AgentState.ON_CALL, "", self._clock(), pending)
        self._report()

    def _ended(self, record: CallRecord, call: CallInfo) -> None:
        self._stop_ring_timer(call.call_id)
        self._records.pop(call.call_id, None)
        record.ended_at = self._clock()
        if record.held_since is not None:
            record.hold_s += record.ended_at - record.held_since
            record.held_since = None
        record.end_reason = call.reason
        if call.direction == CallDirection.INBOUND and record.answered_at is None:
            # Rang here and ended unanswered: the caller gave up, or the agent declined.
            if record.end_reason != "missed":
                self._write(record, "abandoned", "")
            if not self.busy and self.status.state == AgentState.ON_CALL:
                self._after_call()
            return
        self._to_wrap.append(record)
        if self.wrapping is None and not self._live_calls():
            self._start_wrap_up(self._to_wrap.pop(0))

    def _start_wrap_up(self, record: CallRecord) -> None:
        self.wrapping = record
        self._draft = ("", "")
        seconds = wrap_up_for(self.settings, record.queue)
        self.status = AgentStatus(
            AgentState.WRAP_UP, "", self._clock(), self.status.pending, int(seconds)
        )
        self.wrap_up_started.emit(record)  # first: the panel opens, then shows the clock
        self._report()
        self._tick.start()

    def _count_down(self) -> None:
        left = self.status.wrap_up_left_s - 1
        if left > 0:
            self._set_left(left)
            return
        # Time is up: saved as the agent left it (the next call may come). Nothing the agent
        # chose or typed is thrown away; without a disposition the call is marked timed out.
        disposition, notes = self._draft
        log.info("wrap-up of call %s timed out", self.wrapping.call_id if self.wrapping else "")
        self.finish_wrap_up(disposition or WRAP_UP_TIMED_OUT, notes[:_NOTES_MAX])

    def _set_left(self, left: int) -> None:
        self.status = replace(self.status, wrap_up_left_s=left)
        self.changed.emit(self.status)

    def _after_call(self) -> None:
        state, reason = self.status.pending or (AgentState.READY, "")
        if state in (AgentState.ON_CALL, AgentState.WRAP_UP):
            state, reason = AgentState.READY, ""
        self._set(state, reason)

    # -- out ----------------------------------------------------------------------------------

    def _set(self, state: AgentState, reason: str) -> list[Future[Any]]:
        self.status = AgentStatus(state, reason, self._clock())
        return self._report()

    def _report(self) -> list[Future[Any]]:
        self.changed.emit(self.status)
        future = self._sync.report_presence(
            self.status.state.value, self.status.reason, self._phone.contact_uri
        )
        return [] if future is None else [future]

    def _written(self, record: CallRecord, disposition: str, notes: str) -> list[Future[Any]]:
        future = self._write(record, disposition, notes)
        return [] if future is None else [future]

    def _write(self, record: CallRecord, disposition: str, notes: str) -> Future[Any] | None:
        inbound = record.direction == CallDirection.INBOUND
        data = {
            "customer_id": record.customer_id,
            "kind": "call_in" if inbound else "call_out",
            "started_at": _iso(record.started_at),
            "ended_at": _iso(record.ended_at),
            "answered_at": _iso(record.answered_at),
            "talk_s": record.talk_s,
            "hold_s": round(record.hold_s),
            "queue": record.queue,
            "remote_number": record.remote_number[:60],
            "disposition": disposition,
            "notes": notes,
            "ticket_ids": list(record.ticket_ids),
            "checks": list(record.checks),
            "recording_id": self.recording_of(record.call_id),
        }
        if self._sync.cache is None:
            log.warning("call %d ended while signed out: no interaction written", record.call_id)
            return None
        # Its customer and tickets may be records made on this desk (local ids) meanwhile.
        return self._sync.create_record(request_of(InteractionIn, data))

    def _use_settings(self, settings: DeskSettings) -> None:
        # Read when a call is offered (ring-no-answer) and when a wrap-up starts (its time):
        # an admin's change applies from the next one; the one running keeps its count.
        self.settings = settings

    def _on_event(self, event: EventOut) -> None:
        """The lead's order for this desk: applied like the agent's own choice."""
        grant = self._sync.grant
        try:
            command = payload_of(event)
        except ValueError:
            log.warning("unreadable %s event: %r", event.kind, event.data)
            return
        if not isinstance(command, AgentCommandOut) or grant is None:
            return
        if command.user_id != grant.user.id or command.state not in COMMAND_STATES:
            return
        if self.status.state is AgentState.LOGGED_OUT and command.state is not AgentState.READY:
            return  # signed out already: nothing to stop
        reason = command.reason or (LEAD_REASON if command.state is AgentState.NOT_READY else "")
        log.info("the lead %s sets this desk %s", command.by_user_id, command.state.value)
        if command.state is AgentState.LOGGED_OUT:
            # Not pending until the call ends: the lead logs out a desk nobody answers at (or
            # an agent who left it), so it signs out now, the way a quit does.
            self.logged_out_by_lead.emit(command)
            self.commanded.emit(command)  # after: the desk is no longer busy
            return
        self.request(command.state, reason)
        self.commanded.emit(command)
