"""``--seed centre``: the demo data plus a centre's worth of agents, for load tests.

Agents ``desk0001``, ``desk0002``, … (password ``DEMO_PASSWORD``) in teams of ``team_size``
(``负载测试 01``, …), each team led by its first agent's supervisor ``lead01``, ….
Idempotent: a second run adds only the agents and teams not there yet, so instances started
together (or a bench re-run) do not trip over each other.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.auth import hash_password
from server_stub.feed import record_change
from server_stub.models import TeamRow, UserRow
from server_stub.seed import DEMO_PASSWORD, one_seeder, seed_demo
from server_stub.serialize import team_out, user_detail_out
from sync.contract.records import Role

TEAM_SIZE = 25  # agents per team lead: a common span of control in a contact centre


def desk_name(index: int) -> str:
    """The user name of the ``index``-th generated agent (from 0)."""
    return f"desk{index + 1:04d}"


def team_name(index: int) -> str:
    return f"负载测试 {index + 1:02d}"


def seed_centre(session: Session, agents: int, *, team_size: int = TEAM_SIZE, now: datetime) -> int:
    """Add the demo data (if the database is empty) and ``agents`` generated agents; returns
    how many agents were added now."""
    seed_demo(session, now=now)
    one_seeder(session)  # seed_demo may have committed: hold the lock again
    existing = set(session.scalars(select(UserRow.username).where(UserRow.username.like("desk%"))))
    password_hash = hash_password(DEMO_PASSWORD)  # one hash: argon2 is slow on purpose
    teams: dict[int, TeamRow] = {}
    added = 0
    for index in range(agents):
        number = index // team_size
        team = teams.get(number)
        if team is None:
            name = team_name(number)
            team = session.scalar(select(TeamRow).where(TeamRow.name == name))
            if team is None:
                team = TeamRow(name=name, updated_at=now)
                session.add(team)
                session.flush()
                lead = _add_user(
                    session, f"lead{number + 1:02d}", f"组长 {number + 1:02d}", Role.SUPERVISOR,
                    team, password_hash, now,
                )  # fmt: skip
                team.lead_id = lead.id
                session.flush()
                record_change(session, "team", team_out(team), team_id=team.id, now=now)
                record_change(session, "user", user_detail_out(lead), team_id=team.id, now=now)
            teams[number] = team
        username = desk_name(index)
        if username in existing:
            continue
        user = _add_user(
            session, username, f"座席 {index + 1:04d}", Role.AGENT, team, password_hash, now
        )
        record_change(session, "user", user_detail_out(user), team_id=team.id, now=now)
        added += 1
    session.commit()
    return added


def _add_user(
    session: Session,
    username: str,
    display_name: str,
    role: Role,
    team: TeamRow,
    password_hash: str,
    now: datetime,
) -> UserRow:
    user = UserRow(
        username=username,
        display_name=display_name,
        password_hash=password_hash,
        role=role.value,
        team_id=team.id,
        updated_at=now,
    )
    session.add(user)
    session.flush()  # its id, for the team's lead and the feed row
    return user
