"""Workforce planning on the desk (issue 21, contract 1.8): the Workforce window's and My
shifts' face of the server.

- A lead (``wfm.plan``) reads and saves the team's shift patterns; reads a week's plan (the
  forecast with its error beside the naive baseline, the staffing it asks for at the lead's
  target, and the stored roster if any); asks the SERVER to propose a roster (its optimiser
  runs there, for up to its time limit: the request runs on a worker, never on the GUI
  thread, and ``proposing`` says it is under way); adjusts and saves or publishes it.
- Everyone with ``wfm.view_own`` reads their own published shifts (this week and next). A
  ``wfm.roster`` event (a week of their team published) makes the service read them again,
  and the lead's open week too.

Every request runs off the GUI thread (``TaskRunner.run_blocking``); answers come back as
signals on the GUI thread. Changes go straight to the server, not through the outbox: a roster
is the team's, and publishing it offline would tell nobody.

A server before contract 1.8 answers 404 on every route: ``unavailable`` says once that the
server does not plan shifts, and the screens show that sentence instead of empty tables.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from agent_desktop.services.api_errors import describe
from agent_desktop.tasks import TaskRunner
from sync.client import ApiClient, ConflictError, ProtocolError, ServerError
from sync.contract import version as contract
from sync.contract.events import payload_of
from sync.contract.records import Role, SessionGrant
from sync.contract.wfm import (
    PLAN,
    ROSTER_PUBLISHED,
    VIEW_OWN,
    ForecastOut,
    MyShift,
    RosterIn,
    RosterOut,
    RosterProposal,
    RosterPublishedData,
    ShiftPattern,
    ShiftPatternsIn,
    ShiftPatternsOut,
    StaffingOut,
    StaffingTarget,
)
from sync.contract.wire import EventOut, WireModel

log = logging.getLogger(__name__)
T = TypeVar("T")
M = TypeVar("M", bound=WireModel)
MY_SHIFTS_DAYS = 14  # this week and next


class WorkforceUnsupportedError(Exception):
    """The server speaks a contract before 1.8: it has no workforce planning."""


class WorkforceSource(Protocol):
    """The signed-in session (a ``SyncService``)."""

    @property
    def client_factory(self) -> Callable[[], ApiClient] | None: ...

    @property
    def grant(self) -> SessionGrant | None: ...


@dataclass(frozen=True, slots=True)
class WeekPlan:
    """What the lead's Staffing and Roster pages show for one week."""

    team_id: int
    week: date  # its Monday
    forecast: ForecastOut
    staffing: StaffingOut
    roster: RosterOut | None  # None: nothing stored for the week yet
    # The team's agents (id, name) from the directory: the grid has a row for each, so the
    # lead can give a shift to one the proposal left out.
    agents: tuple[tuple[int, str], ...] = ()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def next_week(today: date) -> date:
    """The coming week's Monday (the week a lead plans)."""
    return monday_of(today) + timedelta(days=7)


class WorkforceService(QObject):
    patterns_loaded = Signal(object)  # ShiftPatternsOut
    patterns_conflict = Signal(object)  # ShiftPatternsOut: another lead's, saved since
    plan_loaded = Signal(object)  # WeekPlan
    roster_changed = Signal(object)  # RosterOut: proposed, saved or published
    proposing = Signal(bool)  # the server's optimiser is at work
    my_shifts_loaded = Signal(object)  # list[MyShift], in time order
    published = Signal(object)  # RosterPublishedData: a week of this team was published
    done = Signal(str)
    failed = Signal(str)
    unavailable = Signal(str)  # the server is older than contract 1.8

    def __init__(
        self, source: WorkforceSource, tasks: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._tasks = tasks
        self.patterns: ShiftPatternsOut | None = None
        self.plan: WeekPlan | None = None
        self.my_shifts: list[MyShift] = []
        self.is_unavailable = False
        self.is_proposing = False
        self._my_start: date | None = None
        self._asked_week: date | None = None

    # -- who -------------------------------------------------------------------------------------

    def may(self, permission: str) -> bool:
        grant = self._source.grant
        return grant is not None and permission in grant.permissions

    @property
    def plans(self) -> bool:
        return self.may(PLAN)

    @property
    def sees_own(self) -> bool:
        return self.may(VIEW_OWN)

    @property
    def team_id(self) -> int | None:
        grant = self._source.grant
        if grant is None or grant.user.team is None:
            return None
        return grant.user.team.id

    def unavailable_text(self) -> str:
        return QCoreApplication.translate(
            "WorkforceService",
            "This server does not plan shifts (it is older than contract 1.8): no shift "
            "patterns, rosters or adherence here.",
        )

    def on_event(self, event: EventOut) -> None:
        """A week of this user's team was published: their shifts (and the lead's open week)
        are read again."""
        if event.kind != ROSTER_PUBLISHED:
            return
        try:
            notice = payload_of(event)
        except ValueError:
            log.warning("workforce: unreadable %s event", event.kind)
            return
        if not isinstance(notice, RosterPublishedData) or notice.team_id != self.team_id:
            return
        self.published.emit(notice)
        if self.sees_own and self._my_start is not None:
            self.load_my_shifts(self._my_start)
        plan = self.plan
        if self.plans and plan is not None and plan.week == notice.week:
            self._reload_roster(plan)

    # -- shift patterns --------------------------------------------------------------------------

    def load_patterns(self) -> None:
        team = self._team_or_say()
        if team is not None:
            self._run(lambda c: c.wfm_shift_patterns(team), self._patterns)

    def _patterns(self, found: ShiftPatternsOut) -> None:
        self.patterns = found
        self.patterns_loaded.emit(found)

    def save_patterns(self, patterns: list[ShiftPattern]) -> None:
        team = self._team_or_say()
        if team is None:
            return
        version = self.patterns.version if self.patterns is not None else 0
        body = ShiftPatternsIn(patterns=patterns, version=version)
        key = f"wfm-patterns-{uuid.uuid4()}"

        def saved(out: ShiftPatternsOut) -> None:
            self._patterns(out)
            self.done.emit(
                QCoreApplication.translate(
                    "WorkforceService", "Shift patterns saved (%1 patterns)."
                ).replace("%1", str(len(out.patterns)))
            )

        self._run(lambda c: c.wfm_save_shift_patterns(team, body, key), saved)

    # -- a week's plan ---------------------------------------------------------------------------

    def load_plan(self, week: date, target: StaffingTarget) -> None:
        """The forecast, the staffing at ``target`` and the stored roster of ``week``."""
        team = self._team_or_say()
        if team is None:
            return
        monday = monday_of(week)
        self._asked_week = monday  # an answer for a week asked before this one is dropped

        def fetch(client: ApiClient) -> WeekPlan:
            forecast = client.wfm_forecast(team, monday, 7)
            staffing = client.wfm_staffing(team, monday, 7, target)
            roster = _stored_roster(client, team, monday)
            return WeekPlan(team, monday, forecast, staffing, roster, _team_agents(client, team))

        self._run(fetch, self._plan)

    def _plan(self, plan: WeekPlan) -> None:
        if plan.week != self._asked_week:
            return  # the lead moved on to another week meanwhile (answers race on 4 workers)
        self.plan = plan
        self.plan_loaded.emit(plan)

    def _reload_roster(self, plan: WeekPlan) -> None:
        def fetch(client: ApiClient) -> RosterOut | None:
            return _stored_roster(client, plan.team_id, plan.week)

        def loaded(roster: RosterOut | None) -> None:
            if roster is not None:
                self._roster(roster)

        self._run(fetch, loaded)

    def _roster(self, roster: RosterOut) -> None:
        plan = self.plan
        if plan is not None and plan.week == roster.week and plan.team_id == roster.team_id:
            self.plan = replace(plan, roster=roster)
        self.roster_changed.emit(roster)

    def propose(self, week: date, target: StaffingTarget, time_limit_s: int = 20) -> None:
        """The server's optimiser proposes a roster for ``week`` (on a worker: it may take up
        to its time limit). A second click while it works is ignored."""
        team = self._team_or_say()
        if team is None or self.is_proposing:
            return
        proposal = RosterProposal(week=monday_of(week), target=target, time_limit_s=time_limit_s)
        key = f"wfm-propose-{uuid.uuid4()}"
        self.is_proposing = True
        self.proposing.emit(True)

        def proposed(roster: RosterOut) -> None:
            self._stop_proposing()
            self._roster(roster)
            self.done.emit(self.proposal_text(roster))

        def failed(error: BaseException) -> None:
            self._stop_proposing()
            self._failed(error)

        self._run(lambda c: c.wfm_propose(team, proposal, key), proposed, failed)

    def _stop_proposing(self) -> None:
        self.is_proposing = False
        self.proposing.emit(False)

    @staticmethod
    def proposal_text(roster: RosterOut) -> str:
        said = {
            "optimal": QCoreApplication.translate(
                "WorkforceService",
                "Roster proposed in %1 s (the best possible): %2 intervals under-staffed, "
                "%3 over-staffed.",
            ),
            "feasible": QCoreApplication.translate(
                "WorkforceService",
                "Roster proposed in %1 s (the best found within the time limit, not proven the "
                "best): %2 intervals under-staffed, %3 over-staffed.",
            ),
            "no_solution": QCoreApplication.translate(
                "WorkforceService",
                "The server found no roster within its time limit (%1 s): try fewer rules or "
                "more shift patterns. %2 under-staffed, %3 over-staffed.",
            ),
            "infeasible": QCoreApplication.translate(
                "WorkforceService",
                "No roster keeps the rules for this week (%1 s): check the shift patterns' "
                "days and the agents' limits. %2 under-staffed, %3 over-staffed.",
            ),
        }.get(
            roster.solve_status.value,
            QCoreApplication.translate(
                "WorkforceService", "Roster: %2 intervals under-staffed, %3 over-staffed."
            ),
        )
        return (
            said.replace("%1", f"{roster.solve_seconds:.1f}")
            .replace("%2", str(roster.under_intervals))
            .replace("%3", str(roster.over_intervals))
        )

    def save_roster(self, week: date, roster: RosterIn) -> None:
        """The lead's adjusted roster (``roster.publish``: the team's agents see it)."""
        team = self._team_or_say()
        if team is None:
            return
        key = f"wfm-roster-{uuid.uuid4()}"

        def saved(out: RosterOut) -> None:
            self._roster(out)
            if out.status.value == "published":
                said = QCoreApplication.translate(
                    "WorkforceService", "Roster published: the agents see their shifts."
                )
            else:
                said = QCoreApplication.translate(
                    "WorkforceService", "Roster saved (not published yet)."
                )
            self.done.emit(said)

        self._run(lambda c: c.wfm_save_roster(team, monday_of(week), roster, key), saved)

    # -- my shifts -------------------------------------------------------------------------------

    def load_my_shifts(self, start: date) -> None:
        """This user's published shifts from ``start``'s Monday, this week and next."""
        monday = monday_of(start)
        self._my_start = monday

        def loaded(found: list[MyShift]) -> None:
            self.my_shifts = found
            self.my_shifts_loaded.emit(found)

        def fetch(client: ApiClient) -> list[MyShift]:
            return sorted(client.wfm_my_shifts(monday, MY_SHIFTS_DAYS).shifts, key=_start)

        self._run(fetch, loaded)

    # -- plumbing --------------------------------------------------------------------------------

    def _team_or_say(self) -> int | None:
        team = self.team_id
        if team is None:
            self.failed.emit(
                QCoreApplication.translate(
                    "WorkforceService", "You belong to no team: there is no roster to plan."
                )
            )
        return team

    def _run(
        self,
        op: Callable[[ApiClient], T],
        success: Callable[[T], object],
        failure: Callable[[BaseException], object] | None = None,
    ) -> None:
        factory = self._source.client_factory
        if factory is None:
            self.failed.emit(
                QCoreApplication.translate("WorkforceService", "Not signed in to the server.")
            )
            return

        def call() -> T:
            with factory() as client:
                try:
                    return op(client)
                except (ProtocolError, ServerError) as exc:
                    if getattr(exc, "status", None) == 404 and _before_wfm(client):
                        raise WorkforceUnsupportedError(str(exc)) from None
                    raise

        self._tasks.run_blocking(call, success, failure or self._failed)

    def _conflict(self, error: ConflictError) -> None:
        """Another lead saved first (patterns, the week's roster), or the week is published
        (a proposal refused): what the server has now is shown, and said."""
        patterns = _read(ShiftPatternsOut, error.current)
        roster = _read(RosterOut, error.current) if patterns is None else None
        if patterns is not None:
            self._patterns(patterns)
            self.patterns_conflict.emit(patterns)
            said = QCoreApplication.translate(
                "WorkforceService", "Another lead saved the shift patterns first; theirs are shown."
            )
        elif roster is not None:
            self._roster(roster)
            said = QCoreApplication.translate(
                "WorkforceService",
                "This week's roster was changed or published meanwhile (version %1); it is "
                "shown now: adjust it and save again.",
            ).replace("%1", str(roster.version))
        else:
            said = describe(error)
        self.failed.emit(said)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, WorkforceUnsupportedError):
            if not self.is_unavailable:
                self.is_unavailable = True
                self.unavailable.emit(self.unavailable_text())
            return
        if isinstance(error, ConflictError):
            self._conflict(error)
            return
        self.failed.emit(describe(error))


def _read(model: type[M], data: dict[str, object]) -> M | None:
    try:
        return model.read(data)
    except ValueError:
        return None


def _before_wfm(client: ApiClient) -> bool:
    """A 404 from a server before contract 1.8 is a route it lacks, not a record missing."""
    server = client.server_contract
    return server is None or server < contract.WFM_SINCE


def _stored_roster(client: ApiClient, team: int, week: date) -> RosterOut | None:
    try:
        return client.wfm_roster(team, week)
    except ServerError as exc:
        if exc.status == 404 and not _before_wfm(client):
            return None  # our own 404: nothing stored for the week yet
        raise


def _team_agents(client: ApiClient, team: int) -> tuple[tuple[int, str], ...]:
    """The team's agents by name, from the directory (a server before 1.3 has none: the grid
    then lists the roster's agents only)."""
    try:
        colleagues = client.directory().colleagues
    except (ServerError, ProtocolError):
        return ()
    return tuple(
        (c.user_id, c.display_name)
        for c in colleagues
        if c.team_id == team and c.role is Role.AGENT
    )


def _start(shift: MyShift) -> datetime:
    return shift.start
