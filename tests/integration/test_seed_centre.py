"""The load test's centre: generated agents in teams of ``team_size``, each team led by its
own supervisor, every one in the change feed; seeding again adds only who is missing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.models import ChangeRow, TeamRow, UserRow
from server_stub.seed_centre import desk_name, seed_centre, team_name
from sync.contract.records import Role

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def test_agents_are_seeded_in_led_teams_once(tmp_path: Path) -> None:
    database = Database(ServerSettings.sqlite_file(tmp_path / "centre.sqlite"))
    migrate(database.engine)
    try:
        with database.session() as session:
            assert seed_centre(session, 7, team_size=3, now=NOW) == 7
        with database.session() as session:
            teams = {t.name: t for t in session.scalars(select(TeamRow))}
            desks = {u.username: u for u in session.scalars(select(UserRow))}
            for number in range(3):  # 7 agents in teams of 3: three teams
                team = teams[team_name(number)]
                lead = session.get(UserRow, team.lead_id)
                assert lead is not None
                assert (lead.username, lead.role, lead.team_id) == (
                    f"lead{number + 1:02d}",
                    Role.SUPERVISOR.value,
                    team.id,
                )
            for index in range(7):
                desk = desks[desk_name(index)]
                assert desk.role == Role.AGENT.value
                assert desk.team_id == teams[team_name(index // 3)].id
            feed_users = session.scalar(
                select(func.count()).select_from(ChangeRow).where(ChangeRow.entity == "user")
            )
        with database.session() as session:
            assert seed_centre(session, 8, team_size=3, now=NOW) == 1  # only desk0008
            added = session.scalar(
                select(func.count()).select_from(ChangeRow).where(ChangeRow.entity == "user")
            )
            assert added == (feed_users or 0) + 1
            assert session.scalar(select(func.count()).select_from(TeamRow)) == len(teams)
    finally:
        database.engine.dispose()
