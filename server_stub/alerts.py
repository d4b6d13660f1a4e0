"""A team's wallboard alerts, kept and raised by the server (issue 27): they hold while every
lead's desk is closed, and every lead of the team sees the same ones.

- **Thresholds** per team (``team_alert_thresholds``; no row: the shipped defaults, version 0),
  changed by the team's leads and administrators (``api/routes/alerts.py``).
- **Leads of a team**: its ``lead_id`` and every active supervisor whose ``team_id`` is the
  team (a team may have a lead and deputies; ``api.deps.team_scope`` already gives such a
  supervisor the team's records).
- **Evaluation** (``AlertSweeper``, a ``Periodic`` round on the injected clock): for each team,
  ``sync.contract.wallboard.evaluate_alerts`` on the figures the board shows
  (``server_stub.wallboard_figures.team_live``). A breach is raised once: an ``alerts`` row
  whose unique ``open_key`` is set while it holds, inserted in a savepoint, so of several
  server processes sweeping at once one inserts and the others meet the unique key. It
  clears by a conditional update (``open_key IS NOT NULL``), again once. The next breach of
  the same kind and subject is a new alert.
- Each raise, clear and acknowledgement is an ``alert`` event to each lead of the team (user
  rows, not the team's: agents' desks are not told).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server_stub.clock import Clock, utc
from server_stub.core.db import Database
from server_stub.feed import raise_event
from server_stub.models import AlertRow, TeamAlertThresholdsRow, TeamRow, UserRow
from server_stub.periodic import Periodic
from server_stub.wallboard_figures import TeamDay, team_live
from sync.contract.alerts import AlertOut, TeamThresholdsOut
from sync.contract.events import EventPayload
from sync.contract.records import Role
from sync.contract.wallboard import Alert, AlertKind, AlertThresholds, evaluate_alerts

log = logging.getLogger(__name__)

ALERTS_SHOWN = 200  # the newest alerts a lead's board fetches


class StaleThresholdsError(Exception):
    """The thresholds changed since the lead read them."""

    def __init__(self, current: TeamThresholdsOut) -> None:
        super().__init__(
            f"These thresholds were changed (now version {current.version}) since you read "
            "them; read them again."
        )
        self.current = current


def team_leads(session: Session, team_id: int) -> list[int]:
    """The users who lead ``team_id``: its lead and the active supervisors of the team."""
    team = session.get(TeamRow, team_id)
    leads = set(
        session.scalars(
            select(UserRow.id).where(
                UserRow.team_id == team_id,
                UserRow.role == Role.SUPERVISOR.value,
                UserRow.active,
            )
        )
    )
    if team is not None and team.lead_id is not None:
        leads.add(team.lead_id)
    return sorted(leads)


def thresholds_of(session: Session, team_id: int) -> TeamThresholdsOut:
    row = session.get(TeamAlertThresholdsRow, team_id)
    if row is None:
        return TeamThresholdsOut.of(team_id, AlertThresholds(), 0)
    by = session.get(UserRow, row.updated_by) if row.updated_by is not None else None
    return TeamThresholdsOut.of(
        team_id,
        _thresholds(row.data),
        row.version,
        utc(row.updated_at),
        by.display_name if by else "",
    )


def _thresholds(data: dict[str, object]) -> AlertThresholds:
    return AlertThresholds.from_json(json.dumps(data))


def replace_thresholds(
    session: Session,
    team_id: int,
    thresholds: AlertThresholds,
    *,
    base_version: int,
    user_id: int,
    now: datetime,
) -> tuple[TeamThresholdsOut, TeamThresholdsOut]:
    """Store the team's thresholds if ``base_version`` is the one stored; (before, after).
    Raises ``StaleThresholdsError``. Not committed: the route's write does that."""
    before = thresholds_of(session, team_id)
    if base_version != before.version:
        raise StaleThresholdsError(before)
    data = json.loads(thresholds.to_json())
    row = session.get(TeamAlertThresholdsRow, team_id)
    if row is None:
        # A second writer inserting at once meets the primary key: IntegrityError, a 409.
        session.add(
            TeamAlertThresholdsRow(
                team_id=team_id, data=data, version=1, updated_at=now, updated_by=user_id
            )
        )
    else:
        row.data, row.updated_at, row.updated_by = data, now, user_id
    session.flush()
    after = thresholds_of(session, team_id)
    tell_leads(session, team_id, after, now)
    return before, after


def alert_out(session: Session, row: AlertRow) -> AlertOut:
    by = session.get(UserRow, row.acked_by) if row.acked_by is not None else None
    return AlertOut(
        id=row.id,
        team_id=row.team_id,
        kind=AlertKind(row.kind),
        subject_id=row.subject_id,
        subject=row.subject,
        value=row.value,
        limit=row.limit,
        raised_at=utc(row.raised_at),
        cleared_at=utc(row.cleared_at) if row.cleared_at else None,
        acked_at=utc(row.acked_at) if row.acked_at else None,
        acked_by_id=row.acked_by,
        acked_by_name=by.display_name if by else "",
    )


def tell_leads(session: Session, team_id: int, payload: EventPayload, now: datetime) -> None:
    for lead in team_leads(session, team_id):
        raise_event(session, payload, now=now, team_id=team_id, user_id=lead)


def acknowledge(session: Session, row: AlertRow, user_id: int, now: datetime) -> AlertOut:
    """The first acknowledgement stands (once, however many leads press at once); a later one
    answers the alert as it is. Not committed."""
    claimed = session.execute(
        update(AlertRow)
        .where(AlertRow.id == row.id, AlertRow.acked_at.is_(None))
        .values(acked_at=now, acked_by=user_id)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    out = alert_out(session, row)
    if claimed.rowcount == 1:  # type: ignore[attr-defined]
        tell_leads(session, row.team_id, out, now)
    return out


def _open_key(team_id: int, alert: Alert) -> str:
    return f"{team_id}:{alert.key}"[:300]


def evaluate_team(
    session: Session, team_id: int, now: datetime, day: TeamDay | None = None
) -> tuple[int, int]:
    """Raise the team's new breaches and clear the ended ones; (raised, cleared). Commits.
    ``day``: the team's count of today's calls kept from the last round."""
    thresholds = thresholds_of(session, team_id).thresholds()
    live = team_live(
        session,
        team_id,
        now,
        thresholds.answer_within_s,
        with_day=thresholds.service_level is not None,
        day=day,
    )
    current = {
        _open_key(team_id, alert): alert
        for alert in evaluate_alerts(*live, thresholds, now).values()
    }
    open_rows: dict[str | None, AlertRow] = {
        row.open_key: row
        for row in session.scalars(
            select(AlertRow).where(AlertRow.team_id == team_id, AlertRow.open_key.is_not(None))
        )
    }
    raised = cleared = 0
    for key, alert in current.items():
        if key in open_rows:
            continue
        new = AlertRow(
            team_id=team_id,
            kind=alert.kind.value,
            subject_id=alert.subject_id[:200],
            subject=alert.subject[:200],
            value=float(alert.value),
            limit=float(alert.limit),
            raised_at=now,
            open_key=key,
        )
        try:
            with session.begin_nested():
                session.add(new)
        except IntegrityError:
            continue  # another server process raised this breach first
        tell_leads(session, team_id, alert_out(session, new), now)
        raised += 1
    for held, row in open_rows.items():
        if held in current:
            continue
        done = session.execute(
            update(AlertRow)
            .where(AlertRow.id == row.id, AlertRow.open_key.is_not(None))
            .values(cleared_at=now, open_key=None)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            continue  # cleared by another process
        session.refresh(row)
        tell_leads(session, team_id, alert_out(session, row), now)
        cleared += 1
    session.commit()
    return raised, cleared


def recent_alerts(session: Session, team_ids: list[int], since: datetime) -> list[AlertRow]:
    """The teams' alerts still open or raised since ``since``, newest first."""
    return list(
        session.scalars(
            select(AlertRow)
            .where(
                AlertRow.team_id.in_(team_ids),
                or_(AlertRow.open_key.is_not(None), AlertRow.raised_at >= since),
            )
            .order_by(AlertRow.raised_at.desc(), AlertRow.id.desc())
            .limit(ALERTS_SHOWN)
        )
    )


class AlertSweeper:
    """Evaluates every team's alerts every ``interval_s`` in each server process (a breach is
    raised once however many do)."""

    def __init__(self, database: Database, clock: Clock, interval_s: float) -> None:
        self._database = database
        self._clock = clock
        self._interval_s = interval_s
        self._days: dict[int, TeamDay] = {}  # each team's count of today's calls
        self._rounds = Periodic(
            "alert-sweeper",
            interval_s,
            lambda: run_in_threadpool(self.sweep),
            failed="alert sweep failed",
        )

    def sweep(self) -> tuple[int, int]:
        raised = cleared = 0
        with self._database.session() as session:
            teams = list(session.scalars(select(TeamRow.id).order_by(TeamRow.id)))
            for team_id in teams:
                day = self._days.setdefault(team_id, TeamDay(team_id))
                up, down = evaluate_team(session, team_id, self._clock.now(), day)
                raised, cleared = raised + up, cleared + down
        if raised or cleared:
            log.info("alerts: %d raised, %d cleared", raised, cleared)
        return raised, cleared

    async def start(self) -> None:
        if self._interval_s > 0:  # 0: this process evaluates no alerts
            self._rounds.start()

    async def stop(self) -> None:
        await self._rounds.stop()
