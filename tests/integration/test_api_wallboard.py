"""Supervisor routes on SQLite and PostgreSQL: a team's day, the forecast, lead commands."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from server_stub.models import AuditRow, EventRow
from sync.contract.wallboard import INTERVALS_PER_DAY
from tests.integration.conftest import Api

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # the fixture's clock is 09:00 that Monday


def user_id(api: Api, username: str, as_user: str = "admin") -> int:
    users = api.ok("GET", "/users", as_user)
    return int(next(u["id"] for u in users if u["username"] == username))


def call(
    api: Api,
    agent: str,
    started: datetime,
    wait_s: float | None,
    talk_s: int,
    kind: str = "call_in",
) -> dict[str, Any]:
    answered = started + timedelta(seconds=wait_s) if wait_s is not None else None
    ended = (answered or started) + timedelta(seconds=talk_s if answered else 12)
    body = {
        "kind": kind,
        "started_at": started.isoformat(),
        "answered_at": answered.isoformat() if answered else None,
        "ended_at": ended.isoformat(),
        "talk_s": talk_s if answered else 0,
        "hold_s": 10 if answered else 0,
        "queue": "打印机热线 Printer hotline",
    }
    return api.ok("POST", "/interactions", agent, body)  # type: ignore[no-any-return]


def test_a_leads_day_per_agent_queue_and_interval(api: Api) -> None:
    call(api, "lina", T0 + timedelta(minutes=1), 5, 200)  # answered within 20 s
    call(api, "lina", T0 + timedelta(minutes=20), 30, 100)  # answered late
    call(api, "tom", T0 + timedelta(minutes=21), None, 0)  # abandoned
    call(api, "lina", T0 + timedelta(minutes=40), 0, 60, kind="call_out")
    day = api.ok("GET", "/wallboard/today", "liuyang", zone="UTC")

    assert day["day"] == "2026-11-02"
    agents = {a["username"]: a for a in day["agents"]}
    assert set(agents) == {"lina", "tom", "zhaolei"}  # the lead's own team, agents only
    assert agents["lina"]["handled"] == 3  # two inbound answered, one outbound
    assert agents["lina"]["handle_s"] == 200 + 100 + 60 + 3 * 10  # talk + hold
    assert agents["lina"]["aht_s"] == (390) / 3
    assert agents["tom"]["handled"] == 0
    assert agents["tom"]["aht_s"] is None
    (queue,) = day["queues"]
    assert queue["offered"] == 3
    assert queue["answered"] == 2
    assert queue["abandoned"] == 1
    assert queue["service_level"] == 1 / 3  # the abandoned call counts against it
    assert queue["answer_rate"] == 2 / 3
    offered = day["offered_by_interval"]
    assert len(offered) == INTERVALS_PER_DAY
    assert offered[32] == 1
    assert offered[33] == 2
    assert sum(offered) == 3
    series = day["service_level_by_interval"]
    assert series[31] is None
    assert series[32] == 1.0
    assert series[33] == 1 / 3
    assert series[36] == 1 / 3
    assert series[37] is None
    assert len(day["calls"]) == 4
    assert [q["name"] for q in day["queue_counters"]] == ["打印机热线 Printer hotline"]

    # The same day in the centre's zone (UTC+8) is another day: none of these calls.
    shanghai = api.ok("GET", "/wallboard/today", "liuyang", answer_within_s=40)
    assert shanghai["zone"] == "Asia/Shanghai"
    assert shanghai["queues"][0]["service_level"] == 2 / 3  # within 40 s
    assert shanghai["offered_by_interval"][64] == 1  # 08:01 UTC is 16:01 there


def test_answer_threshold_and_bad_questions(api: Api) -> None:
    call(api, "lina", T0, 30, 100)
    loose = api.ok("GET", "/wallboard/today", "liuyang", zone="UTC", answer_within_s=30)
    assert loose["queues"][0]["service_level"] == 1.0
    for params in ({"zone": "Mars/Olympus"}, {"zone": "../etc"}, {"day": "1900-01-01"}):
        answer = api.get("/wallboard/today", "liuyang", **params)
        assert answer.status_code == 422, (params, answer.text)
    answer = api.get("/wallboard/today", "liuyang", team_id=api.team_of("wangfang"))
    assert answer.status_code == 422  # not a team of theirs


def test_forecast_is_the_mean_of_the_same_weekday(api: Api) -> None:
    monday = T0 + timedelta(days=7)  # next Monday, forecast from the weeks before
    for weeks_back, calls in ((1, 2), (2, 4), (3, 0), (4, 6)):
        for n in range(calls):
            call(api, "lina", monday - timedelta(weeks=weeks_back, minutes=-n), 3, 60)
    forecast = api.ok("GET", "/wallboard/forecast", "liuyang", zone="UTC", day="2026-11-09")
    assert forecast["available"]
    assert forecast["based_on"] == ["2026-11-02", "2026-10-26", "2026-10-12"]  # 3rd week empty
    assert forecast["intervals"][32] == (2 + 4 + 6) / 3
    assert "same weekday" in forecast["method"]
    # Nothing to go on for a day in a quiet stretch: said so, not a forecast of zeros.
    none = api.ok("GET", "/wallboard/forecast", "liuyang", zone="UTC", day="2026-08-04")
    assert not none["available"]
    assert none["intervals"] == []
    assert none["past"] == []


def test_seeded_history_forecasts_with_a_measured_error(api: Api) -> None:
    """The demo's five weeks of the medical team: tomorrow's forecast and its error."""
    tomorrow = api.ok("GET", "/wallboard/forecast", "zhangwei")
    assert tomorrow["available"]
    assert len(tomorrow["based_on"]) == 4
    assert len(tomorrow["past"]) == 7  # every one of the last seven days could be measured
    # A quarter hour holds 0-6 calls: chance alone (Poisson) puts the interval error near
    # 50 %. A day's total is a Poisson count (variance = its mean) against the mean of four
    # such counts (variance a quarter of it): each day within three standard deviations of
    # that, and the week's total within a few per cent.
    assert 0.3 < tomorrow["mape"] < 0.8, tomorrow["mape"]
    assert 0.3 < tomorrow["wape"] < 0.8, tomorrow["wape"]
    for day in tomorrow["past"]:
        actual, forecast = day["actual_total"], day["forecast_total"]
        assert abs(forecast - actual) < 3 * math.sqrt(actual + forecast / 4), day
    week_actual = sum(day["actual_total"] for day in tomorrow["past"])
    week_forecast = sum(day["forecast_total"] for day in tomorrow["past"])
    assert abs(week_forecast - week_actual) < 0.05 * week_actual
    today = api.ok("GET", "/wallboard/today", "zhangwei")
    assert today["total"]["offered"] > 0  # today's calls up to the fixture's 17:00 Shanghai
    assert 0.7 < today["total"]["service_level"] < 0.95


def test_agents_never_see_the_board_and_refusals_are_audited(api: Api) -> None:
    wangfang = user_id(api, "wangfang")
    for method, path, body in (
        ("GET", "/wallboard/today", None),
        ("GET", "/wallboard/forecast", None),
        ("POST", f"/presence/{wangfang}/command", {"state": "ready"}),
        ("POST", "/team-messages", {"text": "hello"}),
    ):
        answer = api.call(method, path, "alice", body)
        assert answer.status_code == 403, (path, answer.text)
    # A lead of another team may not order team 1's agents about.
    answer = api.call("POST", f"/presence/{wangfang}/command", "liuyang", {"state": "ready"})
    assert answer.status_code == 403
    answer = api.call("POST", "/team-messages", "liuyang", {"text": "hi", "team_id": 1})
    assert answer.status_code == 403
    with api.database.session() as session:
        refused = list(session.scalars(select(AuditRow).where(AuditRow.allowed.is_(False))))
    actions = [r.action for r in refused]
    assert actions.count("presence.command") == 1
    assert actions.count("team.message") == 1
    assert actions.count("wallboard.view") == 4


def test_a_command_goes_to_the_agent_and_a_message_to_the_team(api: Api) -> None:
    wangfang = user_id(api, "wangfang")
    order = {"state": "not_ready", "reason": "meeting"}
    sent = api.ok("POST", f"/presence/{wangfang}/command", "zhangwei", order, key="cmd-1")
    assert sent["user_id"] == wangfang
    assert sent["by_name"] == "张伟"
    again = api.call("POST", f"/presence/{wangfang}/command", "zhangwei", order, key="cmd-1")
    assert again.headers.get("Idempotent-Replayed") == "true"
    message = api.ok("POST", "/team-messages", "zhangwei", {"text": "  10 点开会 / meeting  "})
    assert message["text"] == "10 点开会 / meeting"
    assert message["team_id"] == 1
    with api.database.session() as session:
        events = list(session.scalars(select(EventRow).order_by(EventRow.id)))
    command = [e for e in events if e.kind == "presence.command"]
    assert len(command) == 1  # the replay sent nothing twice
    assert command[0].user_id == wangfang
    assert command[0].data["state"] == "not_ready"
    (broadcast,) = [e for e in events if e.kind == "team.message"]
    assert broadcast.team_id == 1
    assert broadcast.user_id is None
    for bad in (
        {"state": "on_call"},  # the phone's to decide
        {"state": "not_ready"},  # needs a reason
    ):
        answer = api.call("POST", f"/presence/{wangfang}/command", "zhangwei", bad)
        assert answer.status_code == 422, bad
    assert api.call("POST", "/team-messages", "zhangwei", {"text": "   "}).status_code == 422
