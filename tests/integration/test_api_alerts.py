"""A team's alert thresholds and alerts on the server (issue 27), on SQLite and PostgreSQL:
only the team's leads (its lead and its supervisors) and administrators set thresholds, read
and acknowledge alerts; every change is audited; a breach is raised once however many server
processes sweep, cleared once, and each lead of the team is told of each step."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from server_stub.alerts import AlertSweeper
from server_stub.core.db import Database
from server_stub.models import AlertRow, AuditRow, EventRow, QueueRow, UserRow
from server_stub.wallboard_figures import TeamDay
from sync.contract.records import Role
from sync.contract.wallboard import DayStats
from tests.integration.conftest import SEEDED_AT, Api

QUIET: dict[str, Any] = {  # every alert off but "more than 1 call waiting"
    "queue_waiting": 1,
    "longest_wait_s": None,
    "service_level": None,
    "not_ready_s": None,
    "complaint_breach_s": None,
    "answer_within_s": 20,
}


def add_deputy(api: Api, team_id: int) -> str:
    """A second lead of the team: a supervisor whose team it is (the seed has one lead a team)."""
    with api.database.session() as session:
        lead = session.scalars(select(UserRow).where(UserRow.username == "zhangwei")).one()
        session.add(
            UserRow(
                username="deputy",
                display_name="副组长 Deputy",
                password_hash=lead.password_hash,
                role=Role.SUPERVISOR.value,
                team_id=team_id,
                updated_at=api.clock.now(),
            )
        )
        session.commit()
    return "deputy"


def team_queue(api: Api, team_id: int) -> int:
    with api.database.session() as session:
        return int(session.scalars(select(QueueRow.id).where(QueueRow.team_id == team_id)).first())


def set_waiting(api: Api, queue_id: int, waiting: int) -> None:
    api.ok(
        "PUT", f"/queues/{queue_id}/counters", "zhangwei", {"waiting": waiting, "longest_wait_s": 5}
    )


def alert_events(api: Api, username: str) -> list[dict[str, Any]]:
    with api.database.session() as session:
        user = session.scalars(select(UserRow.id).where(UserRow.username == username)).one()
        rows = session.scalars(
            select(EventRow)
            .where(EventRow.kind == "alert", EventRow.user_id == user)
            .order_by(EventRow.id)
        )
        return [row.data for row in rows]


def audits(api: Api, action: str) -> list[AuditRow]:
    with api.database.session() as session:
        return list(session.scalars(select(AuditRow).where(AuditRow.action == action)))


def sweep(api: Api) -> tuple[int, int]:
    return api.client.app.state.alerts.sweep()  # type: ignore[attr-defined, no-any-return]


def test_thresholds_for_the_teams_leads_only_audited(api: Api) -> None:
    team = api.team_of("zhangwei")
    add_deputy(api, team)
    shipped = api.ok("GET", f"/teams/{team}/alert-thresholds", "zhangwei")
    assert shipped["version"] == 0
    assert shipped["queue_waiting"] == 5

    changed = api.ok("PUT", f"/teams/{team}/alert-thresholds", "zhangwei", QUIET | {"version": 0})
    assert changed["version"] == 1
    assert changed["queue_waiting"] == 1
    assert changed["updated_by_name"] == "张伟"
    # The other lead of the team reads the same thresholds, and was told of the change.
    assert api.ok("GET", f"/teams/{team}/alert-thresholds", "deputy")["queue_waiting"] == 1
    with api.database.session() as session:
        told = session.scalars(select(EventRow).where(EventRow.kind == "alert.thresholds"))
        assert {row.user_id for row in told} >= {
            session.scalars(select(UserRow.id).where(UserRow.username == name)).one()
            for name in ("zhangwei", "deputy")
        }
    (record,) = audits(api, "alert.thresholds")
    assert record.allowed
    assert '"queue_waiting": 5' in record.detail.split(" -> ")[0]
    assert '"queue_waiting": 1' in record.detail.split(" -> ")[1]

    # A stale version is a conflict with the current set, and writes nothing.
    stale = api.call("PUT", f"/teams/{team}/alert-thresholds", "deputy", QUIET | {"version": 0})
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 1

    # The lead of another team, and an agent of this one, are refused (audited).
    for user in ("liuyang", "wangfang"):
        assert api.get(f"/teams/{team}/alert-thresholds", user).status_code == 403
        refused = api.call("PUT", f"/teams/{team}/alert-thresholds", user, QUIET | {"version": 1})
        assert refused.status_code == 403
    denied = [a for a in audits(api, "alert.thresholds") if not a.allowed]
    assert len(denied) == 1  # liuyang's PUT (the agent's is refused by role, audited as such)
    assert api.ok("GET", f"/teams/{team}/alert-thresholds", "admin")["version"] == 1
    assert api.ok("GET", f"/teams/{team}/alert-thresholds", "zhangwei")["queue_waiting"] == 1


def test_a_breach_raised_once_seen_and_acknowledged_by_every_lead(api: Api) -> None:
    team = api.team_of("zhangwei")
    add_deputy(api, team)
    api.ok("PUT", f"/teams/{team}/alert-thresholds", "zhangwei", QUIET | {"version": 0})
    queue = team_queue(api, team)
    set_waiting(api, queue, 3)

    raised_before = alert_events(api, "zhangwei")
    sweep(api)
    sweep(api)  # the breach still holds: not raised again
    with api.database.session() as session:
        rows = list(session.scalars(select(AlertRow).where(AlertRow.team_id == team)))
    assert len(rows) == 1
    (alert,) = [a for a in api.ok("GET", "/alerts", "deputy") if a["team_id"] == team]
    assert alert["kind"] == "queue_waiting"
    assert (alert["value"], alert["limit"]) == (3, 1)
    assert alert["raised_at"] is not None
    assert alert["cleared_at"] is None
    for lead in ("zhangwei", "deputy"):
        events = [e for e in alert_events(api, lead) if e["team_id"] == team]
        assert [e["id"] for e in events] == [alert["id"]]
    assert len(alert_events(api, "zhangwei")) == len(raised_before) + 1

    # The other team's lead neither sees nor acknowledges it.
    assert all(a["team_id"] != team for a in api.ok("GET", "/alerts", "liuyang"))
    assert api.get("/alerts", "liuyang", team_id=team).status_code == 403
    assert api.call("POST", f"/alerts/{alert['id']}/ack", "liuyang").status_code == 403
    assert [a.allowed for a in audits(api, "alert.ack")] == [False]

    api.clock.advance(timedelta(seconds=30))
    acked = api.ok("POST", f"/alerts/{alert['id']}/ack", "deputy")
    assert acked["acked_by_name"] == "副组长 Deputy"
    assert acked["acked_at"] is not None
    seen = next(a for a in api.ok("GET", "/alerts", "zhangwei") if a["id"] == alert["id"])
    assert seen["acked_by_name"] == "副组长 Deputy"
    again = api.ok("POST", f"/alerts/{alert['id']}/ack", "zhangwei")  # the first ack stands
    assert again["acked_by_name"] == "副组长 Deputy"
    assert [e["acked_by_name"] for e in alert_events(api, "zhangwei")[-1:]] == ["副组长 Deputy"]
    assert [a.allowed for a in audits(api, "alert.ack")] == [False, True, True]

    # The queue empties: cleared once; the next breach is a new alert.
    set_waiting(api, queue, 0)
    sweep(api)
    sweep(api)
    cleared = next(a for a in api.ok("GET", "/alerts", "zhangwei") if a["id"] == alert["id"])
    assert cleared["cleared_at"] is not None
    set_waiting(api, queue, 4)
    sweep(api)
    mine = [a for a in api.ok("GET", "/alerts", "zhangwei") if a["team_id"] == team]
    assert len(mine) == 2
    assert mine[0]["cleared_at"] is None
    assert mine[0]["value"] == 4


def test_two_server_processes_raise_a_breach_once(api: Api, seeded_database_url: str) -> None:
    team = api.team_of("zhangwei")
    api.ok("PUT", f"/teams/{team}/alert-thresholds", "zhangwei", QUIET | {"version": 0})
    set_waiting(api, team_queue(api, team), 3)
    # Each "process" its own engine and pool, as two instances on one database.
    databases = [Database(seeded_database_url) for _ in range(2)]
    sweepers = [AlertSweeper(database, api.clock, 5.0) for database in databases]
    start = threading.Barrier(len(sweepers))
    failures: list[BaseException] = []

    def run(sweeper: AlertSweeper) -> None:
        try:
            start.wait(timeout=10)
            for _ in range(3):
                sweeper.sweep()
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in sweepers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for database in databases:
        database.dispose()
    assert not failures, failures
    with api.database.session() as session:
        rows = list(
            session.scalars(
                select(AlertRow).where(AlertRow.team_id == team, AlertRow.kind == "queue_waiting")
            )
        )
    assert len(rows) == 1
    assert len([e for e in alert_events(api, "zhangwei") if e["team_id"] == team]) == 1


def test_the_sweepers_day_count_follows_new_calls_as_a_full_count_would(api: Api) -> None:
    """The sweeper keeps each team's count of today's calls between rounds and reads only the
    calls written since (TeamDay); the service level it sees equals a count from scratch."""
    team = api.team_of("lina")
    day = TeamDay(team)
    started = SEEDED_AT - timedelta(minutes=30)

    def a_call(wait_s: int) -> None:
        body = {
            "kind": "call_in",
            "started_at": started.isoformat(),
            "answered_at": (started + timedelta(seconds=wait_s)).isoformat(),
            "ended_at": (started + timedelta(seconds=wait_s + 60)).isoformat(),
            "queue": "打印机热线 Printer hotline",
        }
        api.ok("POST", "/interactions", "lina", body)

    def counted(stats: DayStats) -> tuple[int, int]:
        return stats.total.offered, stats.total.answered_within

    a_call(5)
    with api.database.session() as session:
        first = counted(day.update(session, api.clock.now(), 20))
    a_call(50)  # late
    api.clock.advance(timedelta(seconds=5))
    a_call(10)
    with api.database.session() as session:
        kept = day.update(session, api.clock.now(), 20)
        fresh = TeamDay(team).update(session, api.clock.now(), 20)
    assert first == (1, 1)
    assert counted(kept) == counted(fresh) == (3, 2)


def test_a_deputy_lead_orders_the_teams_agents_too(api: Api) -> None:
    """Every lead of the team (its supervisors, not only its lead_id) may order its agents and
    message the team; a lead of another team still may not."""
    team = api.team_of("zhangwei")
    add_deputy(api, team)
    users = {u["username"]: u["id"] for u in api.ok("GET", "/users", "admin")}
    ready = {"state": "ready"}
    assert (
        api.call("POST", f"/presence/{users['wangfang']}/command", "deputy", ready).status_code
        == 202
    )
    assert (
        api.call("POST", "/team-messages", "deputy", {"text": "会议改到 11 点"}).status_code == 202
    )
    refused = api.call("POST", f"/presence/{users['wangfang']}/command", "liuyang", ready)
    assert refused.status_code == 403
