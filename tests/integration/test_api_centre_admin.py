"""The centre's administration on the server (issue 27, contract 1.6): queues' wrap-up time,
service-level target and announcement; teams' callback policy; the skill catalogue and the
PBX's read of skills; skills routing a "not found" knowledge question. Each admin route
refuses non-admins (a team policy: leads of another team), audits every change with what it
was and what it became, and tells every desk. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from server_stub.models import AuditRow, EventRow, TeamRow
from sync.contract.errors import ErrorCode
from tests.integration.conftest import Api
from tests.integration.test_api_service import ticket as service_ticket
from tests.integration.test_api_wallboard import T0
from tests.integration.test_api_wallboard import call as wallboard_call

MEDICAL = "医疗设备热线 Medical hotline"


def queue(api: Api, name: str = MEDICAL) -> dict[str, Any]:
    return next(q for q in api.ok("GET", "/queues", "admin") if q["name"] == name)


def audited(api: Api, action: str) -> list[AuditRow]:
    with api.database.session() as session:
        rows = session.scalars(select(AuditRow).where(AuditRow.action == action))
        return list(rows)


def events(api: Api, kind: str) -> list[EventRow]:
    with api.database.session() as session:
        return list(session.scalars(select(EventRow).where(EventRow.kind == kind)))


def test_an_admin_sets_a_queue_and_every_desk_reads_it(api: Api) -> None:
    medical = queue(api)
    assert (medical["wrap_up_s"], medical["announcement"]) == (None, "")
    before = len(events(api, "desk_settings.changed"))
    change = {
        "wrap_up_s": 45,
        "service_level_s": 30,
        "service_level_pct": 90,
        "announcement": "prompt-medical-01",
        "version": medical["version"],
    }
    stored = api.ok("PUT", f"/queues/{medical['id']}/settings", "admin", change)
    assert stored["wrap_up_s"] == 45
    assert stored["service_level_s"] == 30
    assert stored["service_level_pct"] == 90
    assert stored["announcement"] == "prompt-medical-01"
    assert stored["version"] == medical["version"] + 1
    # Every desk hears of it and reads the queue's settings with its desk settings.
    assert len(events(api, "desk_settings.changed")) == before + 1
    settings = api.ok("GET", "/desk-settings", "wangfang")
    assert settings["queues"][MEDICAL]["wrap_up_s"] == 45
    assert settings["queues"][MEDICAL]["announcement"] == "prompt-medical-01"
    # In the change feed (desks' caches) and audited with before -> after.
    (row,) = audited(api, "queue.settings")
    assert row.allowed
    assert "wrap_up_s: None -> 45" in row.detail
    assert "announcement: '' -> 'prompt-medical-01'" in row.detail
    # A stale version is refused with the queue as it is; back to the default works.
    stale = api.call("PUT", f"/queues/{medical['id']}/settings", "admin", change)
    assert stale.status_code == 409
    assert stale.json()["current"]["wrap_up_s"] == 45
    reset = {**change, "wrap_up_s": None, "version": stored["version"]}
    assert api.ok("PUT", f"/queues/{medical['id']}/settings", "admin", reset)["wrap_up_s"] is None
    assert api.ok("GET", "/desk-settings", "alice")["queues"][MEDICAL]["wrap_up_s"] is None


@pytest.mark.parametrize("user", ["wangfang", "zhangwei"])
def test_agents_and_leads_may_not_set_queues(api: Api, user: str) -> None:
    medical = queue(api)
    answer = api.call(
        "PUT",
        f"/queues/{medical['id']}/settings",
        user,
        {"wrap_up_s": 5, "version": medical["version"]},
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == ErrorCode.FORBIDDEN
    assert queue(api)["wrap_up_s"] is None
    assert [r.allowed for r in audited(api, "settings.manage")] == [False]


def test_out_of_range_queue_settings_are_refused(api: Api) -> None:
    medical = queue(api)
    for bad in ({"wrap_up_s": -1}, {"service_level_pct": 101}, {"service_level_s": 0}):
        answer = api.call(
            "PUT", f"/queues/{medical['id']}/settings", "admin", {**bad, "version": 1}
        )
        assert answer.status_code == 422, bad


def test_the_team_lead_and_admins_set_the_callback_policy_other_leads_may_not(api: Api) -> None:
    medical_team = api.team_of("wangfang")
    team = next(t for t in api.ok("GET", "/teams", "admin") if t["id"] == medical_team)
    policy = {"callback_after": "complaints", "callback_delay_hours": 48}
    # The other team's lead and an agent are refused, and the refusal is audited.
    for user in ("liuyang", "wangfang"):
        answer = api.call(
            "PUT", f"/teams/{medical_team}/policy", user, {**policy, "version": team["version"]}
        )
        assert answer.status_code == 403, user
    assert [r.allowed for r in audited(api, "team.policy")] == [False, False]
    # The team's own lead may.
    stored = api.ok(
        "PUT",
        f"/teams/{medical_team}/policy",
        "zhangwei",
        {**policy, "version": team["version"]},
    )
    assert (stored["callback_after"], stored["callback_delay_hours"]) == ("complaints", 48)
    allowed = [r for r in audited(api, "team.policy") if r.allowed]
    assert len(allowed) == 1
    assert "callback_after: 'all' -> 'complaints'" in allowed[0].detail
    assert "callback_delay_hours: 24 -> 48" in allowed[0].detail
    # An admin too; and the desk settings carry it to the team's desks.
    api.ok(
        "PUT",
        f"/teams/{medical_team}/policy",
        "admin",
        {"callback_after": "none", "callback_delay_hours": 12, "version": stored["version"]},
    )
    policies = api.ok("GET", "/desk-settings", "wangfang")["team_policies"]
    assert policies[str(medical_team)] == {"callback_after": "none", "callback_delay_hours": 12}
    with api.database.session() as session:
        row = session.get(TeamRow, medical_team)
        assert row is not None
        assert (row.callback_after, row.callback_delay_hours) == ("none", 12)


def test_the_skill_catalogue_and_the_pbx_read_of_skills(api: Api) -> None:
    names = {s["skill"]: s for s in api.ok("GET", "/skills", "wangfang")}
    assert names["second_line"]["holders"] == 2  # seeded: chenjie and zhaolei
    assert (
        api.call("PUT", "/skills/Ventilators", "zhangwei", {"description": "x"}).status_code == 403
    )
    entry = api.ok("PUT", "/skills/Ventilators", "admin", {"description": "ICU ventilators"})
    assert entry == {"skill": "Ventilators", "description": "ICU ventilators", "holders": 0}
    (row,) = audited(api, "skill.catalogue")
    assert row.detail == "description: None -> 'ICU ventilators'"
    # The PBX (any account that reads the board) sees who holds what, best level first.
    assert api.call("GET", "/skills/agents", "wangfang").status_code == 403
    agents = {a["username"]: a for a in api.ok("GET", "/skills/agents", "admin")}
    assert agents["chenjie"]["extension"] == "8101"
    assert agents["chenjie"]["skills"][0]["level"] == 5
    assert [s["level"] for s in agents["zhanggong"]["skills"]] == [5, 4, 3]
    # A lead sees their own teams' people only.
    mine = {a["username"] for a in api.ok("GET", "/skills/agents", "zhangwei")}
    assert "chenjie" in mine
    assert "zhaolei" not in mine


def _skills(api: Api, username: str, skills: list[tuple[str, int]]) -> None:
    user = next(u for u in api.ok("GET", "/users", "admin") if u["username"] == username)
    body = {"skills": [{"skill": s, "level": lv} for s, lv in skills]}
    api.ok("PUT", f"/users/{user['id']}/skills", "admin", body)


def _user_id(api: Api, username: str) -> int:
    return int(next(u["id"] for u in api.ok("GET", "/users", "admin") if u["username"] == username))


def test_skills_route_a_knowledge_question(api: Api) -> None:
    """A "not found" question about infusion pumps goes first to the people holding that
    skill, by level, then to the second-line experts; field engineers and the asker never."""
    ask = {"text": "泵管报警怎么处理？", "product_line": "输液泵"}
    before = api.ok("POST", "/kb/questions", "wangfang", ask)
    assert before["experts"] == [_user_id(api, "chenjie")]  # second line only, so far
    _skills(api, "alice", [("Infusion Pumps", 6)])
    routed = api.ok("POST", "/kb/questions", "wangfang", ask)["experts"]
    assert routed == [_user_id(api, "alice"), _user_id(api, "chenjie")]
    _skills(api, "chenjie", [("second_line", 5), ("infusion pumps", 8), ("on_duty", 1)])
    routed = api.ok("POST", "/kb/questions", "wangfang", ask)["experts"]
    assert routed == [_user_id(api, "chenjie"), _user_id(api, "alice")]
    # The routing is stored with the question (the feed carries it to desks).
    (listed,) = [q for q in api.ok("GET", "/kb/questions", "zhangwei") if q["id"] == before["id"]]
    assert listed["experts"] == [_user_id(api, "chenjie")]


def test_the_board_counts_a_queue_against_its_own_service_level_target(api: Api) -> None:
    printers = queue(api, "打印机热线 Printer hotline")
    wallboard_call(api, "lina", T0 + timedelta(minutes=1), 15, 100)  # in time for 20 s
    day = api.ok("GET", "/wallboard/today", "liuyang", zone="UTC")
    assert day["queues"][0]["service_level"] == 1.0
    change = {"service_level_s": 10, "service_level_pct": 80, "version": printers["version"]}
    api.ok("PUT", f"/queues/{printers['id']}/settings", "admin", change)
    day = api.ok("GET", "/wallboard/today", "liuyang", zone="UTC")
    assert day["queues"][0]["service_level"] == 0.0  # 15 s is late for the queue's 10 s
    assert day["total"]["service_level"] == 0.0


def _resolve(api: Api) -> list[dict[str, Any]]:
    made = service_ticket(api)
    moved = api.ok(
        "PATCH",
        f"/tickets/{made['id']}",
        "wangfang",
        {"version": made["version"], "status": "in_progress"},
    )
    api.ok(
        "PATCH",
        f"/tickets/{made['id']}",
        "wangfang",
        {"version": moved["version"], "status": "resolved"},
    )
    return [t for t in api.ok("GET", "/tasks", "wangfang") if t["ticket_id"] == made["id"]]


def test_the_server_plans_surveys_by_the_policy_the_lead_set(api: Api) -> None:
    team_id = api.team_of("wangfang")
    team = next(t for t in api.ok("GET", "/teams", "zhangwei") if t["id"] == team_id)
    policy = {"callback_after": "all", "callback_delay_hours": 2, "version": team["version"]}
    stored = api.ok("PUT", f"/teams/{team_id}/policy", "zhangwei", policy)
    (task,) = _resolve(api)
    assert task["kind"] == "survey"
    assert datetime.fromisoformat(task["due_at"]) - api.clock.now() == timedelta(hours=2)
    policy = {"callback_after": "none", "callback_delay_hours": 2, "version": stored["version"]}
    api.ok("PUT", f"/teams/{team_id}/policy", "zhangwei", policy)
    assert _resolve(api) == []  # no survey under "none"
