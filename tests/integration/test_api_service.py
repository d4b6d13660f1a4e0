"""The service request's whole life on the backend: desk-numbered tickets, resolution targets,
handover to experts, the recurring-issue watch, dispatch to field engineers and their reports,
callbacks after resolution and campaign calls. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.integration.conftest import Api
from tests.integration.test_api_feed import read_events
from tests.integration.test_api_writes import new_customer


def user_id(api: Api, username: str) -> int:
    users = api.ok("GET", "/users", "zhangwei")
    return int(next(u["id"] for u in users if u["username"] == username))


def seeded(api: Api, code: str) -> dict[str, Any]:
    customers = api.ok("GET", "/customers", "wangfang", q=code)
    return next(c for c in customers if c["code"] == code)  # type: ignore[no-any-return]


def asset_of(api: Api, customer_id: int, model: str) -> dict[str, Any]:
    assets = api.ok("GET", f"/customers/{customer_id}/assets", "wangfang")
    return next(a for a in assets if a["model"] == model)  # type: ignore[no-any-return]


def ticket(api: Api, user: str = "wangfang", **fields: Any) -> dict[str, Any]:
    customer_id = fields.pop("customer_id", None) or seeded(api, "C-100001")["id"]
    body = {"customer_id": customer_id, "category": "fault", "summary": "监护仪报警", **fields}
    return api.ok("POST", "/tickets", user, body)  # type: ignore[no-any-return]


def test_the_desk_numbers_its_tickets_and_the_server_keeps_the_number(api: Api) -> None:
    me = user_id(api, "wangfang")
    number = f"SR-20261102-{me}-001"
    body = {"customer_id": seeded(api, "C-100001")["id"], "category": "fault",
            "summary": "监护仪报警", "number": number, "priority": "P1"}  # fmt: skip
    made = api.ok("POST", "/tickets", "wangfang", body, key="desk-create-1")
    assert made["number"] == number
    assert made["resolve_due_at"].startswith("2026-11-02T13:00")  # P1: four hours
    # The answer was lost and the outbox sends it again: the same ticket, not a refusal.
    replay = api.call("POST", "/tickets", "wangfang", body, key="desk-create-1")
    assert replay.status_code == 201
    assert replay.json()["id"] == made["id"]
    assert replay.headers.get("Idempotent-Replayed")
    # The same number from this agent's other PC: the next free count, never a refusal.
    twin = api.ok("POST", "/tickets", "wangfang", body, key="other-pc-1")
    assert twin["number"] == f"SR-20261102-{me}-002"
    # Another agent's part of the number is not this desk's to use.
    squat = api.call("POST", "/tickets", "alice", {**body, "number": f"SR-20261102-{me}-009"})
    assert squat.status_code == 422
    assert squat.json()["field"] == "number"
    odd = api.call(
        "POST",
        "/tickets",
        "wangfang",
        {"customer_id": made["customer_id"], "category": "fault", "summary": "x", "number": "1"},
    )
    assert odd.status_code == 422
    assert odd.json()["field"] == "number"
    unnumbered = ticket(api)
    assert unnumbered["number"].startswith("SR-20261102-")
    # A later priority moves the resolution target from the opening time.
    later = api.ok(
        "PATCH",
        f"/tickets/{made['id']}",
        "wangfang",
        {"version": made["version"], "priority": "P3"},
    )
    assert later["resolve_due_at"].startswith("2026-11-05T09:00")


def test_contact_product_and_attachments_belong_to_the_ticket(api: Api) -> None:
    customer = seeded(api, "C-100001")
    monitor = asset_of(api, customer["id"], "PM-8000")
    made = ticket(
        api,
        contact_id=customer["contacts"][1]["id"],
        asset_id=monitor["id"],
        attachments=[{"name": "报警截图.png", "size": 183_204}],
    )
    assert made["asset_id"] == monitor["id"]
    assert made["attachments"] == [{"name": "报警截图.png", "size": 183_204}]
    other = new_customer(api)
    wrong = api.call(
        "POST",
        "/tickets",
        "wangfang",
        {
            "customer_id": other["id"],
            "category": "fault",
            "summary": "x",
            "asset_id": monitor["id"],
        },
    )
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "asset_id"
    wrong = api.call(
        "POST",
        "/tickets",
        "wangfang",
        {
            "customer_id": other["id"],
            "category": "fault",
            "summary": "x",
            "contact_id": customer["contacts"][0]["id"],
        },
    )
    assert wrong.json()["field"] == "contact_id"


def test_a_complaint_keeps_its_handler(api: Api) -> None:
    made = ticket(api, complaint=True, category="complaint")
    assert made["sla_due_at"] is not None  # the response deadline
    dropped = api.call(
        "PATCH",
        f"/tickets/{made['id']}",
        "zhangwei",
        {"version": made["version"], "handler_id": None},
    )
    assert dropped.status_code == 422
    assert dropped.json()["field"] == "handler_id"


def test_an_agent_hands_over_to_an_expert_with_a_note(api: Api) -> None:
    made = ticket(api)
    expert = user_id(api, "chenjie")
    silent = api.call(
        "PATCH",
        f"/tickets/{made['id']}",
        "wangfang",
        {"version": made["version"], "handler_id": expert},
    )
    assert silent.status_code == 403  # without a note it is a reassignment: the lead's
    to_agent = api.call(
        "PATCH",
        f"/tickets/{made['id']}",
        "wangfang",
        {"version": made["version"], "handler_id": user_id(api, "alice"), "handover_note": "x"},
    )
    assert to_agent.status_code == 422
    assert to_agent.json()["field"] == "handler_id"
    handed = api.ok(
        "PATCH",
        f"/tickets/{made['id']}",
        "wangfang",
        {
            "version": made["version"],
            "handler_id": expert,
            "handover_note": "探头已换，仍丢失读数；怀疑主板，请二线判断。",
        },
    )
    assert handed["handler_id"] == expert
    history = api.ok("GET", f"/tickets/{made['id']}/history", "wangfang")
    fields = [(h["field"], h["old"], h["new"]) for h in history]
    assert ("handover", "王芳", "陈杰 (二线专家)") in fields
    assert ("handover_note", None, "探头已换，仍丢失读数；怀疑主板，请二线判断。") in fields


def test_five_open_tickets_on_one_model_in_a_week_are_flagged_to_the_lead(api: Api) -> None:
    customer = seeded(api, "C-100001")
    pump = asset_of(api, customer["id"], "IP-300")
    for _n in range(4):
        ticket(api, asset_id=pump["id"], category="fault")
        api.clock.advance(timedelta(hours=20))
    assert api.ok("GET", "/tickets/recurring", "zhangwei") == []
    ticket(api, asset_id=pump["id"], category="maintenance")  # another category: not counted
    fifth = ticket(api, asset_id=pump["id"], category="fault")
    [flag] = api.ok("GET", "/tickets/recurring", "zhangwei")
    assert (flag["category"], flag["model"], flag["count"]) == ("fault", "IP-300", 5)
    assert fifth["id"] in flag["ticket_ids"]
    events = [e for e in read_events(api, "zhangwei", after=0) if e["kind"] == "ticket.recurring"]
    assert [e["data"]["model"] for e in events] == ["IP-300"]
    assert not [e for e in read_events(api, "wangfang", after=0) if e["kind"] == "ticket.recurring"]
    ticket(api, asset_id=pump["id"], category="fault")  # a sixth: the same flag, not a new one
    assert len(api.ok("GET", "/tickets/recurring", "zhangwei")) == 1
    assert api.get("/tickets/recurring", "wangfang").status_code == 403


def test_a_resolved_ticket_gets_its_callback_under_the_team_policy(api: Api) -> None:
    made = ticket(api)
    moved = api.ok(
        "PATCH",
        f"/tickets/{made['id']}",
        "wangfang",
        {"version": made["version"], "status": "in_progress"},
    )
    done = api.ok(
        "PATCH",
        f"/tickets/{made['id']}",
        "wangfang",
        {"version": moved["version"], "status": "resolved"},
    )
    tasks = [t for t in api.ok("GET", "/tasks", "wangfang") if t["ticket_id"] == made["id"]]
    assert [(t["kind"], t["status"]) for t in tasks] == [("survey", "open")]
    due = datetime.fromisoformat(tasks[0]["due_at"])
    assert due - api.clock.now() == timedelta(hours=24)
    # Reopened and resolved again: still one callback, not two.
    back = api.ok(
        "PATCH",
        f"/tickets/{made['id']}",
        "wangfang",
        {"version": done["version"], "status": "in_progress"},
    )
    api.ok(
        "PATCH",
        f"/tickets/{made['id']}",
        "wangfang",
        {"version": back["version"], "status": "resolved"},
    )
    tasks = [t for t in api.ok("GET", "/tasks", "wangfang") if t["ticket_id"] == made["id"]]
    assert len(tasks) == 1


def dispatch(api: Api, ticket_id: int, engineer: str, **extra: Any) -> dict[str, Any]:
    start = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
    body = {
        "ticket_id": ticket_id,
        "technician_id": user_id(api, engineer),
        "window_start": start.isoformat(),
        "window_end": (start + timedelta(hours=3)).isoformat(),
        "address": "北京市东城区帅府园1号",
        "contact_name": "赵敏",
        "contact_phone": "+8613800138000",
        **extra,
    }
    return api.ok("POST", "/dispatches", "wangfang", body)  # type: ignore[no-any-return]


def test_a_field_engineer_reports_on_their_own_visit_and_sees_nothing_else(api: Api) -> None:
    made = ticket(api)
    first = dispatch(api, made["id"], "zhanggong")
    assert first["technician"] == "张工"
    not_engineer = api.call(
        "POST",
        "/dispatches",
        "wangfang",
        {**{k: first[k] for k in ("ticket_id", "window_start", "window_end")},
         "technician_id": user_id(api, "alice")},
    )  # fmt: skip
    assert not_engineer.status_code == 422
    assert not_engineer.json()["field"] == "technician_id"
    mine = api.ok("GET", "/dispatches/mine", "zhanggong")
    assert first["id"] in [d["id"] for d in mine]  # with the seeded visit of the demo
    assert {d["technician_id"] for d in mine} == {user_id(api, "zhanggong")}
    assert api.ok("GET", "/dispatches/mine", "zhougong") == []
    # The engineer reads no customer list, ticket queue or change feed.
    for path in ("/customers", "/tickets", "/changes", f"/tickets/{made['id']}", "/users",
                 "/teams", "/queues"):  # fmt: skip
        assert api.get(path, "zhanggong").status_code == 403, path
    other = api.call(
        "PUT",
        f"/dispatches/{first['id']}/feedback",
        "zhougong",
        {"version": first["version"], "result": "resolved", "resolution": "x"},
    )
    assert other.status_code == 403
    no_cause = api.call(
        "PUT",
        f"/dispatches/{first['id']}/feedback",
        "zhanggong",
        {"version": first["version"], "result": "not_resolved"},
    )
    assert no_cause.json()["field"] == "cause"
    failed = api.ok(
        "PUT",
        f"/dispatches/{first['id']}/feedback",
        "zhanggong",
        {
            "version": first["version"],
            "result": "not_resolved",
            "cause": "主板电源模块损坏，需返厂配件",
            "parts_used": [{"name": "SpO2 探头", "quantity": 1}],
        },
    )
    assert (failed["status"], failed["result"]) == ("failed", "not_resolved")
    assert failed["parts_used"] == [{"name": "SpO2 探头", "quantity": 1}]
    again = api.call(
        "PUT",
        f"/dispatches/{first['id']}/feedback",
        "zhanggong",
        {"version": failed["version"], "result": "resolved", "resolution": "x"},
    )
    assert again.json()["field"] == "result"  # final: the next visit is a re-dispatch
    second = dispatch(api, made["id"], "zhougong", previous_dispatch_id=first["id"])
    assert second["previous_dispatch_id"] == first["id"]
    done = api.ok(
        "PUT",
        f"/dispatches/{second['id']}/feedback",
        "zhougong",
        {
            "version": second["version"],
            "result": "resolved",
            "cause": "电源模块",
            "resolution": "更换电源模块，测试 2 小时读数稳定",
        },
    )
    assert done["status"] == "done"
    audit = api.ok("GET", "/audit", "admin")
    assert any(a["action"] == "dispatch.feedback" and not a["allowed"] for a in audit)


def test_callback_outcomes_follow_the_shared_rule(api: Api) -> None:
    made = ticket(api)
    due = (api.clock.now() + timedelta(hours=1)).isoformat()
    task = api.ok(
        "POST",
        "/tasks",
        "wangfang",
        {"kind": "callback", "customer_id": made["customer_id"], "ticket_id": made["id"],
         "due_at": due},
    )  # fmt: skip
    for attempt in (1, 2):
        task = api.ok(
            "PATCH",
            f"/tasks/{task['id']}",
            "wangfang",
            {"version": task["version"], "outcome_code": "no_answer", "status": "open"},
        )
        assert (task["status"], task["attempts"]) == ("open", attempt)
    wrong = api.call(
        "PATCH",
        f"/tasks/{task['id']}",
        "wangfang",
        {"version": task["version"], "outcome_code": "no_answer", "status": "open"},
    )
    assert wrong.json()["field"] == "status"  # the third no-answer makes it unreachable
    later = api.call(
        "PATCH",
        f"/tasks/{task['id']}",
        "wangfang",
        {"version": task["version"], "outcome_code": "call_back_later"},
    )
    assert later.json()["field"] == "due_at"
    when = api.clock.now() + timedelta(days=1, hours=3)
    task = api.ok(
        "PATCH",
        f"/tasks/{task['id']}",
        "wangfang",
        {"version": task["version"], "outcome_code": "call_back_later", "due_at": when.isoformat()},
    )
    assert datetime.fromisoformat(task["due_at"]) == when
    task = api.ok(
        "PATCH",
        f"/tasks/{task['id']}",
        "wangfang",
        {"version": task["version"], "outcome_code": "reached", "status": "done",
         "satisfaction": 4, "outcome": "客户满意，读数已稳定"},
    )  # fmt: skip
    assert (task["status"], task["satisfaction"], task["attempts"]) == ("done", 4, 4)


def test_campaign_calls_take_the_campaigns_outcome_codes(api: Api) -> None:
    [campaign] = api.ok("GET", "/campaigns", "wangfang")
    assert "输液泵" in campaign["name"]
    assert {c["code"] for c in campaign["outcome_codes"]} >= {"no_issue", "needs_training"}
    assert api.ok("GET", "/campaigns", "lina") == []  # the other team's desk: none
    tasks = [t for t in api.ok("GET", "/tasks", "wangfang") if t["campaign_id"] == campaign["id"]]
    assert len(tasks) == 4
    task = tasks[0]
    bad = api.call(
        "PATCH",
        f"/tasks/{task['id']}",
        "wangfang",
        {"version": task["version"], "outcome_code": "reached", "status": "done",
         "campaign_outcome": "sold_a_car"},
    )  # fmt: skip
    assert bad.json()["field"] == "campaign_outcome"
    done = api.ok(
        "PATCH",
        f"/tasks/{task['id']}",
        "wangfang",
        {"version": task["version"], "outcome_code": "reached", "status": "done",
         "campaign_outcome": "needs_training", "outcome": "护士站希望下周培训"},
    )  # fmt: skip
    assert done["campaign_outcome"] == "needs_training"
