"""Workforce planning over the real app on SQLite and PostgreSQL (contract 1.8): shift
patterns, the forecast from the seeded calls, staffing, a proposed and published roster, an
agent's own shifts, live adherence from the agent_states spans; role and team scope, audit,
poison input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from server_stub.models import AuditRow, EventRow, InteractionRow
from sync.contract.wfm import INTERVALS_PER_DAY, ROSTER_PUBLISHED, WEEK_DAYS
from tests.integration.conftest import Api

WEEK = date(2026, 11, 9)  # a Monday after the seed (SEEDED_AT is 2026-11-02 09:00 UTC)
DAY_SHIFT = {
    "key": "day",
    "name": "Day 08:00-17:00",
    "kind": "day",
    "start_min": 8 * 60,
    "length_min": 9 * 60,
    "breaks": [{"length_min": 15, "earliest_min": 90, "latest_min": 150}],
    "lunch": {"length_min": 60, "earliest_min": 210, "latest_min": 300},
    "days": [0, 1, 2, 3, 4, 5, 6],
}
LATE_SHIFT = {**DAY_SHIFT, "key": "late", "name": "Late 11:00-20:00", "start_min": 11 * 60}


def _patterns(api: Api, team: int) -> dict[str, Any]:
    return api.ok(  # type: ignore[no-any-return]
        "PUT",
        f"/teams/{team}/shift-patterns",
        "zhangwei",
        {"patterns": [DAY_SHIFT, LATE_SHIFT], "version": 0},
    )


def _requirement(agents: int) -> list[list[int]]:
    """``agents`` from 09:00 to 17:00 every day."""
    day = [agents if 36 <= i < 68 else 0 for i in range(INTERVALS_PER_DAY)]
    return [list(day) for _ in range(WEEK_DAYS)]


def test_shift_patterns_are_the_team_leads_to_keep(api: Api) -> None:
    team = api.team_of("zhangwei")
    assert api.ok("GET", f"/teams/{team}/shift-patterns", "zhangwei")["version"] == 0
    saved = _patterns(api, team)
    assert saved["version"] == 1
    assert [p["key"] for p in saved["patterns"]] == ["day", "late"]
    # An agent plans nothing; another team's lead does not plan this one: 403, audited.
    assert api.get(f"/teams/{team}/shift-patterns", "wangfang").status_code == 403
    other = api.call("PUT", f"/teams/{team}/shift-patterns", "liuyang", {"patterns": []})
    assert other.status_code == 403
    stale = api.call("PUT", f"/teams/{team}/shift-patterns", "zhangwei", {"patterns": []})
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 1
    with api.database.session() as session:
        actions = {(a.action, a.allowed) for a in session.scalars(select(AuditRow))}
    assert ("wfm.patterns", True) in actions
    assert ("wfm.plan", False) in actions  # the agent's refusal


def test_poison_patterns_are_refused_naming_the_problem(api: Api) -> None:
    team = api.team_of("zhangwei")
    path = f"/teams/{team}/shift-patterns"
    nul = api.call("PUT", path, "zhangwei", {"patterns": [{**DAY_SHIFT, "name": "Day\x00"}]})
    assert nul.status_code == 422
    late_lunch = {**DAY_SHIFT, "lunch": {"length_min": 60, "earliest_min": 0, "latest_min": 600}}
    too_late = api.call("PUT", path, "zhangwei", {"patterns": [late_lunch]})
    assert too_late.status_code == 422
    assert "ends after the shift" in too_late.text
    odd_start = api.call("PUT", path, "zhangwei", {"patterns": [{**DAY_SHIFT, "start_min": 7}]})
    assert odd_start.status_code == 422
    twice = api.call("PUT", path, "zhangwei", {"patterns": [DAY_SHIFT, DAY_SHIFT]})
    assert twice.status_code == 422
    assert "used twice: day" in twice.text
    many = [{**DAY_SHIFT, "key": f"p{n}"} for n in range(41)]
    huge = api.call("PUT", path, "zhangwei", {"patterns": many})
    assert huge.status_code == 422
    assert "40" in huge.text
    week = {"week": WEEK.isoformat(), "required": [[1] * INTERVALS_PER_DAY] * 6}
    short = api.call("POST", f"/teams/{team}/rosters/propose", "zhangwei", week)
    assert short.status_code == 422
    assert "7 days of 96 intervals" in short.text
    far = api.get(f"/teams/{team}/forecast", "zhangwei", start="9999-01-01")
    assert far.status_code == 422
    assert api.get(f"/teams/{team}/forecast", "zhangwei", days=10_000).status_code == 422
    not_monday = api.get(f"/teams/{team}/rosters/2026-11-10", "zhangwei")
    assert not_monday.status_code == 422
    assert "Monday" in not_monday.text


def test_forecast_and_staffing_from_the_seeded_calls(api: Api) -> None:
    team = api.team_of("zhangwei")
    forecast = api.ok("GET", f"/teams/{team}/forecast", "zhangwei", start="2026-11-09", days=7)
    assert len(forecast["days"]) == 7
    assert all(len(d["intervals"]) == INTERVALS_PER_DAY for d in forecast["days"])
    assert forecast["history_days"] >= 28
    assert forecast["accuracy"] is not None
    assert forecast["accuracy"]["naive"]["interval_wape_pct"] > 0
    assert forecast["holidays_unknown_from"] is None
    busiest = max(forecast["days"], key=lambda d: d["calls"])
    assert busiest["calls"] > 0
    staffing = api.ok(
        "GET", f"/teams/{team}/staffing", "zhangwei", start="2026-11-09", days=2, aht_s=240
    )
    assert staffing["target"]["aht_s"] == 240
    day = staffing["days"][0]
    assert max(day["agents_required"]) >= max(day["agents_on_phones"]) > 0
    beyond = api.ok("GET", f"/teams/{team}/forecast", "zhangwei", start="2026-12-28", days=7)
    assert beyond["holidays_unknown_from"] == "2027-01-01"
    assert beyond["days"][4]["kind"] == "unknown"


def test_a_roster_is_proposed_published_and_seen_by_its_agents(api: Api) -> None:
    team = api.team_of("zhangwei")
    _patterns(api, team)
    proposal = {"week": WEEK.isoformat(), "required": _requirement(1), "time_limit_s": 20}
    roster = api.ok("POST", f"/teams/{team}/rosters/propose", "zhangwei", proposal)
    assert roster["status"] == "proposed"
    assert roster["version"] == 1
    assert roster["solve_status"] in {"optimal", "feasible"}
    assert roster["assignments"]
    assert len(roster["coverage"]) == WEEK_DAYS
    assert api.ok("GET", f"/teams/{team}/rosters/{WEEK}", "zhangwei")["version"] == 1
    # The lead moves one shift to the late pattern and publishes.
    changed = [
        {"agent_id": a["agent_id"], "day": a["day"], "pattern_key": a["pattern_key"]}
        for a in roster["assignments"]
    ]
    changed[0]["pattern_key"] = "late"
    published = api.ok(
        "PUT",
        f"/teams/{team}/rosters/{WEEK}",
        "zhangwei",
        {"assignments": changed, "publish": True, "version": 1},
    )
    assert published["status"] == "published"
    assert published["version"] == 2
    assert published["published_at"] is not None
    with api.database.session() as session:
        kinds = [e.kind for e in session.scalars(select(EventRow))]
    assert ROSTER_PUBLISHED in kinds
    # Each agent sees their own shifts; an agent of another team none of these.
    mine = {a["agent_id"] for a in published["assignments"]}
    wangfang = api.ok("GET", "/me", "wangfang")["user"]["id"]
    shifts = api.ok("GET", "/me/shifts", "wangfang", start=WEEK.isoformat(), days=7)["shifts"]
    assert bool(shifts) == (wangfang in mine)
    assert all(s["team_id"] == team for s in shifts)
    assert api.ok("GET", "/me/shifts", "lina", start=WEEK.isoformat(), days=7)["shifts"] == []
    # A published week is changed by PUT, not proposed over.
    again = api.call("POST", f"/teams/{team}/rosters/propose", "zhangwei", proposal)
    assert again.status_code == 409
    # The lead's roster is checked: a shift on another team's agent is refused.
    lina = api.ok("GET", "/me", "lina")["user"]["id"]
    stranger = [{"agent_id": lina, "day": WEEK.isoformat(), "pattern_key": "day"}]
    refused = api.call(
        "PUT",
        f"/teams/{team}/rosters/{WEEK}",
        "zhangwei",
        {"assignments": stranger, "version": 2},
    )
    assert refused.status_code == 422
    assert "not an active agent" in refused.text
    assert api.get(f"/teams/{team}/rosters/{WEEK}", "liuyang").status_code == 403


def test_adherence_compares_the_published_roster_with_the_agents_states(api: Api) -> None:
    team = api.team_of("zhangwei")
    _patterns(api, team)
    wangfang = api.ok("GET", "/me", "wangfang")["user"]["id"]
    alice = api.ok("GET", "/me", "alice")["user"]["id"]
    shifts = [
        {
            "agent_id": agent,
            "day": WEEK.isoformat(),
            "pattern_key": "day",
            "break_starts_min": [120],
            "lunch_start_min": 240,
        }
        for agent in (wangfang, alice)
    ]
    api.ok(
        "PUT",
        f"/teams/{team}/rosters/{WEEK}",
        "zhangwei",
        {"assignments": shifts, "publish": True, "version": 0},
    )
    # Monday 08:30 in Shanghai (00:30 UTC): wangfang is ready, alice has not signed in.
    api.clock.set(datetime(2026, 11, 9, 0, 30, tzinfo=UTC))
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})
    api.clock.set(datetime(2026, 11, 9, 1, 30, tzinfo=UTC))  # 09:30
    board = api.ok("GET", f"/teams/{team}/adherence", "zhangwei")
    assert board["roster_published"] is True
    by_agent = {a["agent_id"]: a for a in board["agents"]}
    assert by_agent[wangfang]["scheduled"] == "work"
    assert by_agent[wangfang]["in_adherence"] is True
    assert by_agent[wangfang]["actual"] == "ready"
    # Rostered from 08:00, ready from 08:30: 60 of 90 minutes.
    assert by_agent[wangfang]["adherence_pct_today"] == 66.7
    assert by_agent[alice]["in_adherence"] is False
    assert by_agent[alice]["since"].startswith("2026-11-09T00:00:00")  # 08:00 local
    # 10:05: wangfang's break (10:00-10:15) while still ready: out of adherence since 10:00.
    api.clock.set(datetime(2026, 11, 9, 2, 5, tzinfo=UTC))
    board = api.ok("GET", f"/teams/{team}/adherence", "zhangwei")
    mine = next(a for a in board["agents"] if a["agent_id"] == wangfang)
    assert mine["scheduled"] == "break"
    assert mine["in_adherence"] is False
    assert mine["since"].startswith("2026-11-09T02:00:00")
    assert api.get(f"/teams/{team}/adherence", "wangfang").status_code == 403
    assert api.get(f"/teams/{team}/adherence", "liuyang").status_code == 403
    assert api.get(f"/teams/{team}/adherence", "admin").status_code == 200


def test_a_week_without_roster_is_404_and_a_stale_put_409(api: Api) -> None:
    team = api.team_of("zhangwei")
    _patterns(api, team)
    assert api.get(f"/teams/{team}/rosters/{WEEK}", "zhangwei").status_code == 404
    first = {"assignments": [], "version": 0}
    assert api.ok("PUT", f"/teams/{team}/rosters/{WEEK}", "zhangwei", first)["version"] == 1
    stale = api.call("PUT", f"/teams/{team}/rosters/{WEEK}", "zhangwei", first)
    assert stale.status_code == 409


def test_more_calls_in_the_history_change_the_proposed_roster(api: Api) -> None:
    """The whole path on the database: calls added to the past Wednesdays raise Wednesday's
    forecast, its staffing, and so the agents the optimiser puts on Wednesday."""
    team = api.team_of("zhangwei")
    _patterns(api, team)
    proposal = {
        "week": WEEK.isoformat(),
        "target": {"aht_s": 60, "shrinkage_pct": 0},
        "rules": {"max_days": 2},  # three agents, six shifts: the days compete for them
        "time_limit_s": 30,
    }
    wednesday = (WEEK + timedelta(days=2)).isoformat()

    def on_wednesday() -> int:
        roster = api.ok("POST", f"/teams/{team}/rosters/propose", "zhangwei", proposal)
        return sum(1 for a in roster["assignments"] if a["day"] == wednesday)

    before = on_wednesday()
    agent = api.ok("GET", "/me", "wangfang")["user"]["id"]
    with api.database.session() as session:
        for weeks_back in range(1, 6):  # 120 more calls an hour, 09:00-17:00 local
            day = WEEK + timedelta(days=2) - timedelta(weeks=weeks_back)
            start = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)  # 09:00 Shanghai
            session.add_all(
                InteractionRow(
                    team_id=team,
                    agent_id=agent,
                    kind="call_in",
                    started_at=start + timedelta(seconds=30 * n),
                    ended_at=start + timedelta(seconds=30 * n + 60),
                    queue="wfm-test",
                    updated_at=start,
                )
                for n in range(8 * 120)
            )
        session.commit()
    after = on_wednesday()
    assert after == 3
    assert after > before
