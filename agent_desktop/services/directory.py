"""The colleague directory: the team's colleagues with live presence and the queues a call can
be sent to, searched by name, extension or skill; consult or blind transfer of the current call
with a warm-transfer note that travels with it (``softphone.transfer_note``).

Fetched once at sign-in (``GET /directory``, in the background), then kept live by the presence
events of the event stream (the server sends a desk its own team's only); a colleague who signs
in, a skill or a queue changed in the feed, and a five-minute safety net fetch it again. Facing
a server before contract 1.3 (404) the lists come from the desk's cache: the users and presence
records of its team's feed.

Extensions outside the product (``outside_lines.OutsideLine``, configured per site) are listed
beside the colleagues with their line as the PBX reports it to the phone engine by SIP dialog
events (idle, ringing, on a call); when the PBX does not offer them the directory says so
rather than guessing. They are the PBX's, not the server's: shown signed in or not.

Transfers use the phone's own operations: consult = hold the caller, dial the colleague with
the note in ``X-AW-Note``, then ``attended_transfer`` (REFER/Replaces) once they have heard
the case; blind = ``blind_transfer`` with the note in the Refer-To URI.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from agent_desktop.services.api_errors import describe
from agent_desktop.services.outside_lines import OutsideLine
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from softphone import (
    NOTE_HEADER,
    CallInfo,
    CallState,
    LineInfo,
    LineState,
    Phone,
    PhoneError,
    encode_note,
)
from sync.client import ApiClient, ServerError
from sync.contract.directory import (
    DIRECTORY_PERMISSION,
    ColleagueOut,
    DirectoryOut,
    TransferQueueOut,
    matches,
    skill_level_for,
)
from sync.contract.events import payload_of
from sync.contract.records import AgentState, SessionGrant
from sync.contract.wire import PresenceOut
from sync.directory_view import directory_from_cache

log = logging.getLogger(__name__)

REFRESH_S = 300.0  # the safety-net fetch
REFETCH_DELAY_MS = 500  # a burst of sign-ins or feed changes is fetched once


class DirectorySource(Protocol):
    """Where the directory comes from (the backend; a fake in tests). On worker threads."""

    def fetch(self) -> DirectoryOut: ...


class ApiDirectorySource:
    def __init__(self, client: Callable[[], ApiClient]) -> None:
        self._client = client

    def fetch(self) -> DirectoryOut:
        with self._client() as api:
            return api.directory()


@dataclass(frozen=True, slots=True)
class Consult:
    """A consultation under way: the caller on hold, the colleague rung with the note."""

    held_call_id: int
    consult_call_id: int
    name: str


class DirectoryService(QObject):
    changed = Signal()  # the colleagues, their presence or the queues changed
    active_changed = Signal(bool)  # the directory is available (signed in with the permission)
    done = Signal(str)  # what a transfer did, for the agent
    failed = Signal(str)  # why it could not
    consult_changed = Signal(object)  # Consult, or None when it ended
    calls_changed = Signal()  # a call came, went or changed: what can be transferred

    def __init__(
        self,
        sync: SyncService,
        tasks: TaskRunner,
        phone: Phone,
        source: DirectorySource | None = None,
        refresh_s: float = REFRESH_S,
        parent: QObject | None = None,
        outside: Sequence[OutsideLine] = (),
    ) -> None:
        super().__init__(parent)
        self._sync = sync
        self._tasks = tasks
        self._phone = phone
        self._source = source
        self.active = False
        self.loaded = False
        self.from_cache = False  # an older server: the lists come from the cache
        self._generation = 0  # a sign-out makes answers on their way stale
        self._colleagues: dict[int, ColleagueOut] = {}
        self._queues: list[TransferQueueOut] = []
        self.consulting: Consult | None = None
        self._outside = {line.extension: line for line in outside}
        self._refresh = QTimer(self)
        self._refresh.setInterval(int(refresh_s * 1000))
        self._refresh.timeout.connect(self.refresh)
        self._refetch = QTimer(self)
        self._refetch.setSingleShot(True)
        self._refetch.setInterval(REFETCH_DELAY_MS)
        self._refetch.timeout.connect(self.refresh)
        sync.event_received.connect(self.event_received)
        sync.records_changed.connect(self.records_changed)
        phone.call_state_changed.connect(self._call_changed)
        phone.line_state_changed.connect(self._line_changed)
        for line in phone.lines():  # the engine may have reported them already
            self._line_changed(line)

    # -- life ---------------------------------------------------------------------------------

    @staticmethod
    def allowed(grant: SessionGrant | None) -> bool:
        return grant is not None and DIRECTORY_PERMISSION in grant.permissions

    def start(self) -> None:
        if not self.allowed(self._sync.grant):
            return
        self._generation += 1
        self.active = True
        self.active_changed.emit(True)
        self.refresh()
        self._refresh.start()

    def stop(self) -> None:
        self._generation += 1
        was = self.active
        self.active = self.loaded = self.from_cache = False
        self._refresh.stop()
        self._refetch.stop()
        self._colleagues, self._queues = {}, []
        self.consulting = None
        if was:
            self.active_changed.emit(False)
            self.changed.emit()

    def _source_now(self) -> DirectorySource | None:
        if self._source is not None:
            return self._source
        factory = self._sync.client_factory
        return ApiDirectorySource(factory) if factory is not None else None

    def refresh(self) -> None:
        source = self._source_now()
        if not self.active or source is None:
            return
        generation = self._generation
        cache = self._sync.cache
        grant = self._sync.grant
        me = grant.user.id if grant is not None else 0

        def fetch() -> tuple[DirectoryOut, bool]:
            try:
                return source.fetch(), False
            except ServerError as exc:
                if exc.status != 404 or cache is None:
                    raise
            # A server before contract 1.3: what this desk's team feed brought.
            return directory_from_cache(cache.path, me), True

        self._tasks.run_blocking(
            fetch,
            lambda found: self._fetched(generation, *found),
            lambda error: self._fetch_failed(generation, error),
        )

    def _fetched(self, generation: int, found: DirectoryOut, from_cache: bool) -> None:
        if generation != self._generation:
            return
        known = self._colleagues
        fresh = {}
        for answered in found.colleagues:
            colleague, mine = answered, known.get(answered.user_id)
            # An event newer than the answer (it crossed on the way) keeps its state.
            if mine is not None and mine.presence_version > answered.presence_version:
                colleague = answered.model_copy(
                    update={
                        "state": mine.state,
                        "reason": mine.reason,
                        "since": mine.since,
                        "presence_version": mine.presence_version,
                    }
                )
            fresh[colleague.user_id] = colleague
        self._colleagues = fresh
        self._queues = list(found.queues)
        self.loaded = True
        self.from_cache = from_cache
        self.changed.emit()

    def _fetch_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        log.warning("directory: not fetched: %s", error)
        self.failed.emit(
            self.tr("The colleague directory could not be loaded: %1").replace(
                "%1", describe(error)
            )
        )

    # -- live ---------------------------------------------------------------------------------

    def event_received(self, event: Any) -> None:
        if not self.active:
            return
        try:
            payload = payload_of(event)
        except ValueError:
            return
        if isinstance(payload, PresenceOut):
            self._presence(payload)

    def _presence(self, presence: PresenceOut) -> None:
        known = self._colleagues.get(presence.user_id)
        if known is None:
            grant = self._sync.grant
            if grant is None or presence.user_id != grant.user.id:
                self._refetch.start()  # someone new on the team: who are they?
            return
        if presence.version < known.presence_version:
            return  # older than what we have
        signed_in = known.state is AgentState.LOGGED_OUT and presence.state is not (
            AgentState.LOGGED_OUT
        )
        self._colleagues[presence.user_id] = known.model_copy(
            update={
                "state": presence.state,
                "reason": presence.reason,
                "since": presence.since,
                "presence_version": presence.version,
                "sip_uri": "" if presence.state is AgentState.LOGGED_OUT else known.sip_uri,
            }
        )
        if signed_in and not known.extension:
            self._refetch.start()  # where their desk answers now comes with the directory
        self.changed.emit()

    def records_changed(self, touched: list[tuple[str, int]]) -> None:
        if self.active and any(entity in ("user", "queue") for entity, _ in touched):
            self._refetch.start()

    # -- what the directory shows -------------------------------------------------------------

    def colleagues(self, query: str = "") -> list[ColleagueOut]:
        """Those matching the query: who can take a call now first, then (a search by skill)
        the highest level in it, then by name."""
        order = {
            AgentState.READY: 0,
            AgentState.WRAP_UP: 1,
            AgentState.NOT_READY: 2,
            AgentState.ON_CALL: 3,
            AgentState.LOGGED_OUT: 4,
        }
        found = [c for c in self._colleagues.values() if matches(c, query)]
        return sorted(
            found,
            key=lambda c: (
                order[c.state],
                -skill_level_for(c, query),
                c.display_name.casefold(),
            ),
        )

    def queues(self, query: str = "") -> list[TransferQueueOut]:
        words = query.casefold().split()
        return [
            q
            for q in self._queues
            if all(w in q.name.casefold() or w in q.extension for w in words)
        ]

    def colleague(self, user_id: int) -> ColleagueOut | None:
        return self._colleagues.get(user_id)

    def outside_lines(self, query: str = "") -> list[OutsideLine]:
        """The outside extensions matching the query, in the site's order."""
        return [line for line in self._outside.values() if line.matches(query)]

    def outside_line(self, extension: str) -> OutsideLine | None:
        return self._outside.get(extension)

    def _line_changed(self, info: LineInfo) -> None:
        known = self._outside.get(info.extension)
        if known is None:
            return
        code = info.status_code if info.state is LineState.NOT_OFFERED else 0
        self._outside[info.extension] = replace(known, state=info.state, status_code=code)
        self.changed.emit()

    # -- transfers ----------------------------------------------------------------------------

    def call_to_transfer(self) -> CallInfo | None:
        """The caller a transfer would move: the call being talked on, else one on hold."""
        live = [c for c in self._phone.calls() if c.state != CallState.ENDED]
        talking = [c for c in live if c.state == CallState.CONNECTED]
        held = [c for c in live if c.state == CallState.HELD]
        consult = self.consulting.consult_call_id if self.consulting else None
        for call in [*talking, *held]:
            if call.call_id != consult:
                return call
        return None

    def consult(self, target: str, name: str, note: str) -> bool:
        """Hold the caller and ring the colleague (or queue) with the note."""
        call = self.call_to_transfer()
        if call is None:
            self.failed.emit(self.tr("There is no call to transfer."))
            return False
        if not target:
            self.failed.emit(self.tr("%1 cannot be called: no extension and not signed in.")
                             .replace("%1", name))  # fmt: skip
            return False
        headers = {NOTE_HEADER: value} if (value := encode_note(note)) else None
        try:
            if call.state == CallState.CONNECTED:
                self._phone.hold(call.call_id)
            consult = self._phone.dial(target, headers)
        except PhoneError as exc:
            self.failed.emit(
                self.tr("The consultation could not start: %1").replace("%1", str(exc))
            )
            return False
        self.consulting = Consult(call.call_id, consult.call_id, name)
        self.consult_changed.emit(self.consulting)
        self.done.emit(
            self.tr("Consulting %1: the caller is on hold. Complete the transfer once they agree.")
            .replace("%1", name)
        )  # fmt: skip
        return True

    def complete_consult(self) -> bool:
        """The held caller meets the consulted colleague (REFER/Replaces); the agent leaves."""
        consult = self.consulting
        if consult is None:
            self.failed.emit(self.tr("No consultation is under way."))
            return False
        try:
            self._phone.attended_transfer(consult.held_call_id, consult.consult_call_id)
        except PhoneError as exc:
            self.failed.emit(self.tr("The transfer failed: %1").replace("%1", str(exc)))
            return False
        self.done.emit(self.tr("Transferring the caller to %1.").replace("%1", consult.name))
        return True

    def blind_transfer(self, target: str, name: str, note: str) -> bool:
        call = self.call_to_transfer()
        if call is None:
            self.failed.emit(self.tr("There is no call to transfer."))
            return False
        if not target:
            self.failed.emit(self.tr("%1 cannot be called: no extension and not signed in.")
                             .replace("%1", name))  # fmt: skip
            return False
        try:
            self._phone.blind_transfer(call.call_id, target, note)
        except PhoneError as exc:
            self.failed.emit(self.tr("The transfer failed: %1").replace("%1", str(exc)))
            return False
        self.done.emit(self.tr("Transferring the caller to %1.").replace("%1", name))
        return True

    def _call_changed(self, info: CallInfo) -> None:
        self.calls_changed.emit()
        consult = self.consulting
        if (
            consult is not None
            and info.state == CallState.ENDED
            and info.call_id
            in (
                consult.held_call_id,
                consult.consult_call_id,
            )
        ):
            self.consulting = None
            self.consult_changed.emit(None)
