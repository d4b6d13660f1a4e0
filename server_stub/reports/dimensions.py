"""What a caller may filter reports by: their teams, those teams' queues, agents and product
lines, and the days that hold calls."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select

from server_stub.models import AssetRow, InteractionRow, QueueRow, TeamRow, UserRow
from sync.contract.records import Channel
from sync.contract.reports import AgentRef, NamedId, ReportDimensions


def dimensions(
    connection: Connection,
    *,
    teams: frozenset[int] | None,
    own_agent: int | None,
    zone: ZoneInfo,
) -> ReportDimensions:
    """``teams`` None: every team; ``own_agent``: an agent who sees only their own figures."""
    team_rows = select(TeamRow.id, TeamRow.name).order_by(TeamRow.name)
    queue_rows = select(QueueRow.name).order_by(QueueRow.name)
    agent_rows = (
        select(UserRow.id, UserRow.display_name, UserRow.team_id)
        .where(UserRow.active.is_(True), UserRow.role.in_(("agent", "supervisor")))
        .order_by(UserRow.display_name)
    )
    lines = select(AssetRow.product_line).distinct().order_by(AssetRow.product_line)
    calls = select(func.min(InteractionRow.started_at), func.max(InteractionRow.started_at))
    if teams is not None:
        ordered = sorted(teams)
        team_rows = team_rows.where(TeamRow.id.in_(ordered))
        queue_rows = queue_rows.where(QueueRow.team_id.in_(ordered))
        agent_rows = agent_rows.where(UserRow.team_id.in_(ordered))
        lines = lines.where(AssetRow.team_id.in_(ordered))
        calls = calls.where(InteractionRow.team_id.in_(ordered))
    if own_agent is not None:
        agent_rows = agent_rows.where(UserRow.id == own_agent)
        calls = calls.where(InteractionRow.agent_id == own_agent)
    first, last = connection.execute(calls).one()
    return ReportDimensions(
        teams=[NamedId(id=row.id, name=row.name) for row in connection.execute(team_rows)],
        queues=[name for (name,) in connection.execute(queue_rows) if name],
        agents=[
            AgentRef(id=row.id, name=row.display_name, team_id=row.team_id)
            for row in connection.execute(agent_rows)
        ],
        product_lines=[line for (line,) in connection.execute(lines) if line],
        channels=list(Channel),
        own_only=own_agent is not None,
        first_day=_local_day(first, zone),
        last_day=_local_day(last, zone),
    )


def _local_day(moment: object, zone: ZoneInfo) -> date | None:
    if moment is None:
        return None
    if not isinstance(moment, datetime):  # SQLite's MIN() of a stamp: its text
        moment = datetime.fromisoformat(str(moment))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()
