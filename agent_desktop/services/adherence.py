"""Adherence on the lead's board (issue 21, contract 1.8): per agent, what the published roster
says they should be doing now beside the state they are in, in or out of adherence since when,
and the share of today's scheduled time they adhered.

The server computes it (``GET /teams/{id}/adherence``) from the published roster and the
agents' state spans. The desk asks:

- when supervisor mode starts;
- after each presence event of the team (a state changed: adherence may have), at most once
  per ``settle_ms`` for a burst of them;
- every ``period_s`` (the schedule moves on by itself: a break begins, a shift ends).

Every request runs on a worker (``TaskRunner``), one at a time: an event that arrives while
one is under way asks again when it returns. The GUI thread never waits on the network.

A server before contract 1.8 answers 404: ``supported`` becomes False and ``changed`` carries
nothing; the board says the server does not plan shifts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from agent_desktop.tasks import TaskRunner
from sync.client import ApiClient, ProtocolError, ServerError
from sync.contract import version as contract
from sync.contract.records import SessionGrant
from sync.contract.wfm import PLAN, ROSTER_PUBLISHED, AdherenceOut, AgentAdherence
from sync.contract.wire import EventOut

log = logging.getLogger(__name__)

PRESENCE_EVENT = "presence"
PERIOD_S = 60.0
SETTLE_MS = 500


@dataclass(frozen=True, slots=True)
class Adherence:
    """What the board shows: by agent id, with the roster's state."""

    roster_published: bool
    agents: dict[int, AgentAdherence]


class AdherenceService(QObject):
    changed = Signal(object)  # Adherence
    supported_changed = Signal(bool)  # False: a server before contract 1.8

    def __init__(
        self,
        grant: Callable[[], SessionGrant | None],
        client_factory: Callable[[], Callable[[], ApiClient] | None],
        tasks: TaskRunner,
        parent: QObject | None = None,
        *,
        fetch: Callable[[int], AdherenceOut] | None = None,
        period_s: float = PERIOD_S,
        settle_ms: int = SETTLE_MS,
    ) -> None:
        super().__init__(parent)
        self._grant = grant
        self._client_factory = client_factory
        self._tasks = tasks
        self._fetch = fetch
        self.current: Adherence | None = None
        self.supported: bool | None = None  # None: not asked yet
        self.active = False
        self.fetches = 0  # requests sent (tests count them)
        self._team: int | None = None
        self._in_flight = False
        self._again = False
        self._generation = 0
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(settle_ms)
        self._settle.timeout.connect(self.refresh)
        self._period = QTimer(self)
        self._period.setInterval(int(period_s * 1000))
        self._period.timeout.connect(self.refresh)

    def start(self) -> None:
        """Supervisor mode: a lead who plans (``wfm.plan``) sees the team's adherence."""
        grant = self._grant()
        if grant is None or PLAN not in grant.permissions or grant.user.team is None:
            return
        self._team = grant.user.team.id
        self.active = True
        self._generation += 1
        self._period.start()
        self.refresh()

    def stop(self) -> None:
        self.active = False
        self._generation += 1
        self._period.stop()
        self._settle.stop()
        self._in_flight = self._again = False
        self.current = None
        self.changed.emit(Adherence(False, {}))

    def on_event(self, event: EventOut) -> None:
        """A presence change (any agent's state) or a roster published: ask again once the
        burst settles."""
        kinds = (PRESENCE_EVENT, ROSTER_PUBLISHED)
        if self.active and self.supported is not False and event.kind in kinds:
            self._settle.start()

    def refresh(self) -> None:
        if not self.active or self.supported is False or self._team is None:
            return
        if self._in_flight:
            self._again = True
            return
        team, generation = self._team, self._generation
        fetch = self._fetch or self._from_server
        self._in_flight = True
        self.fetches += 1
        self._tasks.run_blocking(
            lambda: fetch(team),
            lambda out: self._loaded(generation, out),
            lambda error: self._failed(generation, error),
        )

    def _from_server(self, team: int) -> AdherenceOut:
        factory = self._client_factory()
        if factory is None:
            raise ConnectionError("not signed in")
        with factory() as client:
            try:
                return client.wfm_adherence(team)
            except (ProtocolError, ServerError) as exc:
                older = client.server_contract is None or (
                    client.server_contract < contract.WFM_SINCE
                )
                if getattr(exc, "status", None) == 404 and older:
                    raise _UnsupportedError from None
                raise

    def _loaded(self, generation: int, out: AdherenceOut) -> None:
        if generation != self._generation:
            return
        self._in_flight = False
        if self.supported is not True:
            self.supported = True
            self.supported_changed.emit(True)
        self.current = Adherence(out.roster_published, {a.agent_id: a for a in out.agents})
        self.changed.emit(self.current)
        self._ask_again()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._in_flight = False
        if isinstance(error, _UnsupportedError):
            self.supported = False
            self._period.stop()
            self.supported_changed.emit(False)
            log.info("adherence: the server does not plan shifts (before contract 1.8)")
            return
        log.warning("adherence: not read: %s", error)
        self._ask_again()

    def _ask_again(self) -> None:
        if self._again:
            self._again = False
            self.refresh()


class _UnsupportedError(Exception):
    """The server has no adherence route (before contract 1.8)."""
