"""SLA policies and escalation chains (issue 27), on SQLite and PostgreSQL with the server's
manual clock: the admin routes (refused to non-admins, audited, versioned), new tickets' due
times from the policy, running clocks left alone, a three-level chain firing each level once
and on time, and the survey and repeat-complaint triggers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.integration.conftest import Api
from tests.integration.test_api_feed import read_events
from tests.integration.test_api_writes import new_customer

PUT_BODY_FIELDS = (
    "resolution_hours",
    "category_resolution_hours",
    "chains",
    "survey_escalates_at",
    "repeat_complaint_days",
    "version",
)


def user_id(api: Api, username: str) -> int:
    return int(api.ok("GET", "/me", username)["user"]["id"])


def three_levels(director_id: int) -> list[dict[str, Any]]:
    return [
        {"after_hours": 24, "target": "team_lead"},
        {
            "after_hours": 48,
            "target": "team_manager",
            "label_en": "service manager",
            "label_zh": "服务经理",
        },
        {
            "after_hours": 72,
            "target": "user",
            "user_id": director_id,
            "label_en": "director",
            "label_zh": "总监",
        },
    ]


def put_policies(api: Api, **changes: Any) -> dict[str, Any]:
    policies = api.ok("GET", "/sla-policies", "admin")
    body = {k: v for k, v in {**policies, **changes}.items() if k in PUT_BODY_FIELDS}
    return api.ok("PUT", "/sla-policies", "admin", body)  # type: ignore[no-any-return]


def complaint(api: Api, customer_id: int, category: str = "complaint.service") -> dict[str, Any]:
    return api.ok(  # type: ignore[no-any-return]
        "POST",
        "/tickets",
        "wangfang",
        {
            "customer_id": customer_id,
            "category": category,
            "summary": "工程师爽约投诉",
            "complaint": True,
        },
    )


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_non_admins_are_refused_and_each_refusal_is_audited(api: Api) -> None:
    policies = api.ok("GET", "/sla-policies", "admin")
    team = api.team_of("wangfang")
    for user in ("wangfang", "zhangwei"):  # an agent, a team lead
        assert api.call("GET", "/sla-policies", user).status_code == 403
        assert api.call("PUT", "/sla-policies", user, policies).status_code == 403
        refused = api.call("PUT", f"/teams/{team}/manager", user, {"manager_id": None})
        assert refused.status_code == 403
    audit = api.ok("GET", "/audit", "admin")
    denied = [a for a in audit if not a["allowed"] and a["action"] == "sla.manage"]
    assert len(denied) == 6
    assert api.ok("GET", "/sla-policies", "admin")["version"] == policies["version"]


def test_admin_change_is_versioned_audited_and_announced(api: Api) -> None:
    before = api.ok("GET", "/sla-policies", "admin")
    assert before["version"] == 1
    assert [c["category"] for c in before["chains"]] == [""]  # the server's default chain
    stored = put_policies(api, repeat_complaint_days=14)
    assert (stored["version"], stored["repeat_complaint_days"]) == (2, 14)
    # A second admin who read version 1 does not overwrite it: 409 with what is stored.
    stale = {k: v for k, v in before.items() if k in PUT_BODY_FIELDS}
    conflict = api.call("PUT", "/sla-policies", "admin", {**stale, "survey_escalates_at": 1})
    assert conflict.status_code == 409
    assert conflict.json()["current"]["repeat_complaint_days"] == 14
    assert api.ok("GET", "/sla-policies", "admin")["survey_escalates_at"] is None
    changes = [a for a in api.ok("GET", "/audit", "admin") if a["action"] == "sla.policies.change"]
    assert len(changes) == 1
    assert changes[0]["user_id"] == user_id(api, "admin")
    assert "version 1 -> 2" in changes[0]["detail"]
    assert "repeat_complaint_days: null -> 14" in changes[0]["detail"]
    events = [
        e for e in read_events(api, "wangfang", after=0) if e["kind"] == "sla_policies.changed"
    ]
    assert [e["data"]["version"] for e in events] == [2]
    # A chain whose levels do not climb in time is refused, naming the field.
    body = {k: v for k, v in stored.items() if k in PUT_BODY_FIELDS}
    body["chains"] = [
        {
            "category": "",
            "levels": [
                {"after_hours": 48, "target": "team_lead"},
                {"after_hours": 24, "target": "team_lead"},
            ],
        }
    ]
    refused = api.call("PUT", "/sla-policies", "admin", body)
    assert refused.status_code == 422
    assert refused.json()["field"] == "chains.0.levels"


def test_team_manager_is_set_by_admins_only_and_audited(api: Api) -> None:
    team = api.team_of("wangfang")
    lead = user_id(api, "liuyang")
    set_ = api.ok("PUT", f"/teams/{team}/manager", "admin", {"manager_id": lead})
    assert set_["manager_id"] == lead
    agent = user_id(api, "alice")
    not_a_manager = api.call("PUT", f"/teams/{team}/manager", "admin", {"manager_id": agent})
    assert not_a_manager.status_code == 422
    audit = [a for a in api.ok("GET", "/audit", "admin") if a["action"] == "team.manager.change"]
    assert [a["detail"] for a in audit] == [f"manager None -> {lead}"]


def test_new_tickets_take_due_times_from_the_policy_and_running_clocks_keep_theirs(
    api: Api,
) -> None:
    customer = new_customer(api)
    running = complaint(api, customer["id"])
    assert at(running["sla_due_at"]) - at(running["opened_at"]) == timedelta(hours=24)
    put_policies(
        api,
        resolution_hours={"P1": 2, "P2": 8, "P3": 30, "P4": 100},
        category_resolution_hours={"fault": 12},
        chains=[
            {"category": "", "levels": [{"after_hours": 6, "target": "team_lead"}]},
            {"category": "complaint", "levels": three_levels(user_id(api, "admin"))},
        ],
    )
    # The category tree: fault.power takes fault's target; another category its priority's.
    fault = api.ok(
        "POST",
        "/tickets",
        "wangfang",
        {"customer_id": customer["id"], "category": "fault.power", "summary": "无法开机"},
    )
    assert at(fault["resolve_due_at"]) - at(fault["opened_at"]) == timedelta(hours=12)
    other = api.ok(
        "POST",
        "/tickets",
        "wangfang",
        {"customer_id": customer["id"], "category": "consultation", "summary": "使用方法"},
    )
    assert at(other["resolve_due_at"]) - at(other["opened_at"]) == timedelta(hours=30)
    newer = complaint(api, customer["id"], "complaint.quality")  # complaint's chain: 24 h first
    assert at(newer["sla_due_at"]) - at(newer["opened_at"]) == timedelta(hours=24)
    plain = complaint(api, customer["id"], "consultation")  # the default chain: 6 h
    assert at(plain["sla_due_at"]) - at(plain["opened_at"]) == timedelta(hours=6)
    # The running complaint keeps its deadline and, at its level 2, its own chain's target:
    # the default chain it started with sends level 2 to the administrators.
    now = api.ok("GET", f"/tickets/{running['id']}", "wangfang")
    assert now["sla_due_at"] == running["sla_due_at"]
    api.clock.advance(timedelta(hours=24, seconds=1))
    assert running["id"] in api.sweep()
    api.clock.advance(timedelta(hours=24))
    assert running["id"] in api.sweep()
    top = api.ok("GET", f"/tickets/{running['id']}", "wangfang")
    assert (top["escalation_level"], top["escalation_target"]) == (2, "role")
    assert top["sla_due_at"] is None  # the end of the chain it started with


def test_a_three_level_chain_fires_each_level_once_and_on_time(api: Api) -> None:
    director = user_id(api, "admin")
    manager = user_id(api, "liuyang")
    api.ok("PUT", f"/teams/{api.team_of('wangfang')}/manager", "admin", {"manager_id": manager})
    put_policies(
        api,
        chains=[{"category": "", "levels": three_levels(director)}],
    )
    customer = new_customer(api)
    ticket = complaint(api, customer["id"])
    opened = at(ticket["opened_at"])
    names = {u["username"]: u["display_name"] for u in api.ok("GET", "/users", "admin")}
    expected = [
        (1, "team_lead", names["zhangwei"], ""),
        (2, "team_manager", names["liuyang"], "service manager"),
        (3, "user", names["admin"], "director"),
    ]
    for hours, (level, target, name, label) in zip((24, 48, 72), expected, strict=True):
        due = opened + timedelta(hours=hours)
        api.clock.advance(due - api.clock.now() - timedelta(seconds=1))
        assert ticket["id"] not in api.sweep()  # a second early: not yet
        api.clock.advance(timedelta(seconds=1))
        assert ticket["id"] in api.sweep()  # on the second it is due
        assert ticket["id"] not in api.sweep()  # once
        now = api.ok("GET", f"/tickets/{ticket['id']}", "wangfang")
        assert (now["escalation_level"], now["escalation_target"]) == (level, target)
        assert (now["escalated_to"], now["escalation_label_en"]) == (name, label)
        next_due = opened + timedelta(hours=hours + 24) if level < 3 else None
        assert (at(now["sla_due_at"]) if now["sla_due_at"] else None) == next_due
    api.clock.advance(timedelta(days=20))
    assert ticket["id"] not in api.sweep()  # no level above the director
    history = api.ok("GET", f"/tickets/{ticket['id']}/history", "wangfang")
    fired = [h for h in history if h["field"] == "escalation_level"]
    assert [(h["old"], h["new"]) for h in fired] == [("0", "1"), ("1", "2"), ("2", "3")]
    assert [at(h["at"]) - opened for h in fired] == [timedelta(hours=h) for h in (24, 48, 72)]
    assert [h["new"] for h in history if h["field"] == "escalated_to"] == [
        n for *_, n, _ in expected
    ]
    audit = [a for a in api.ok("GET", "/audit", "admin") if a["action"] == "sla.escalate"]
    assert sum(a["target"] == ticket["number"] for a in audit) == 3
    events = [e for e in read_events(api, "admin", after=0) if e["kind"] == "escalation"]
    mine = [e["data"] for e in events if e["data"]["ticket_id"] == ticket["id"]]
    assert [(d["level"], d["notify_user_ids"]) for d in mine] == [
        (1, [user_id(api, "zhangwei")]),
        (2, [manager]),
        (3, [director]),
    ]
    # The manager leads another team: told on their own.
    theirs = [e["data"] for e in read_events(api, "liuyang", after=0) if e["kind"] == "escalation"]
    assert 2 in [d["level"] for d in theirs if d["ticket_id"] == ticket["id"]]


def test_an_unsatisfactory_survey_answer_escalates_its_ticket(api: Api) -> None:
    put_policies(api, survey_escalates_at=2)
    customer = new_customer(api)
    made = api.ok(
        "POST",
        "/tickets",
        "wangfang",
        {"customer_id": customer["id"], "category": "fault.power", "summary": "无法开机"},
    )
    done = api.ok(
        "PATCH",
        f"/tickets/{made['id']}",
        "wangfang",
        {"version": made["version"], "status": "resolved"},
    )
    assert done["status"] == "resolved"
    survey = next(t for t in api.ok("GET", "/tasks", "wangfang") if t["ticket_id"] == made["id"])
    answered = api.ok(
        "PATCH",
        f"/tasks/{survey['id']}",
        "wangfang",
        {"version": survey["version"], "status": "done", "outcome": "不满意", "satisfaction": 1},
    )
    assert answered["satisfaction"] == 1
    now = api.ok("GET", f"/tickets/{made['id']}", "wangfang")
    assert (now["status"], now["escalation_level"]) == ("escalated", 1)
    assert now["closed_at"] is None  # reopened
    history = api.ok("GET", f"/tickets/{made['id']}/history", "wangfang")
    assert ("escalation_reason", "survey") in [(h["field"], h["new"]) for h in history]
    events = [e for e in read_events(api, "zhangwei", after=0) if e["kind"] == "escalation"]
    assert [(e["data"]["ticket_id"], e["data"]["reason"]) for e in events] == [
        (made["id"], "survey")
    ]
    # Edited again, still unsatisfied: not a second climb.
    api.ok(
        "PATCH",
        f"/tasks/{survey['id']}",
        "wangfang",
        {"version": answered["version"], "satisfaction": 2},
    )
    assert api.ok("GET", f"/tickets/{made['id']}", "wangfang")["escalation_level"] == 1


def test_a_satisfied_survey_or_no_policy_does_not_escalate(api: Api) -> None:
    customer = new_customer(api)
    made = api.ok(
        "POST",
        "/tickets",
        "wangfang",
        {"customer_id": customer["id"], "category": "fault.power", "summary": "无法开机"},
    )
    api.ok(
        "PATCH",
        f"/tickets/{made['id']}",
        "wangfang",
        {"version": made["version"], "status": "resolved"},
    )
    survey = next(t for t in api.ok("GET", "/tasks", "wangfang") if t["ticket_id"] == made["id"])
    api.ok(
        "PATCH",
        f"/tasks/{survey['id']}",
        "wangfang",
        {"version": survey["version"], "status": "done", "outcome": "不满意", "satisfaction": 1},
    )
    now = api.ok("GET", f"/tickets/{made['id']}", "wangfang")
    assert (now["status"], now["escalation_level"]) == ("resolved", 0)  # the default: off


def test_a_repeated_complaint_escalates_at_once(api: Api) -> None:
    put_policies(api, repeat_complaint_days=30)
    customer = new_customer(api)
    first = complaint(api, customer["id"])
    assert first["escalation_level"] == 0
    api.clock.advance(timedelta(days=29))
    again = complaint(api, customer["id"])
    assert (again["escalation_level"], again["status"]) == (1, "escalated")
    assert at(again["sla_due_at"]) - at(again["opened_at"]) == timedelta(hours=24)
    history = api.ok("GET", f"/tickets/{again['id']}/history", "wangfang")
    assert ("escalation_reason", "repeat") in [(h["field"], h["new"]) for h in history]
    api.clock.advance(timedelta(days=31))
    api.tokens.clear()  # sessions last 30 days: sign in again
    later = complaint(api, customer["id"])
    assert later["escalation_level"] == 0  # the last complaint is more than 30 days ago
