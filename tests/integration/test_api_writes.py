"""Writes: idempotency keys, versions and 409s, phone numbers, bad input, ticket workflow."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api


def new_customer(api: Api, user: str = "wangfang", **extra: Any) -> dict[str, Any]:
    body = {
        "code": extra.pop("code", "C-T-0001"),
        "name": "深圳市南山医院",
        "team_id": api.team_of(user),
        "contacts": [
            {"name": "林医生", "phone": "0755-2655 3111 转 8001"},
            {"name": "Dr. Lin", "phone": "+86 139 2345 6789"},
        ],
        **extra,
    }
    return api.ok("POST", "/customers", user, body)  # type: ignore[no-any-return]


def test_phone_numbers_stored_in_e164_and_found_as_sent(api: Api) -> None:
    customer = new_customer(api)
    phones = [(c["phone_e164"], c["extension"]) for c in customer["contacts"]]
    assert phones == [("+8675526553111", "8001"), ("+8613923456789", "")]
    for sent in ("13923456789", "008613923456789", "+86 139 2345 6789", "0755 26553111"):
        found = api.ok("GET", "/customers/lookup", "wangfang", phone=sent)
        assert [c["id"] for c in found] == [customer["id"]], sent
    assert api.ok("GET", "/customers/lookup", "wangfang", phone="anonymous") == []
    # The other team does not find this customer by number.
    assert api.ok("GET", "/customers/lookup", "lina", phone="13923456789") == []


def test_seeded_numbers_found_in_trunk_formats(api: Api) -> None:
    for sent in ("+86 138 0013 8000", "008613800138000", "13800138000"):
        assert api.ok("GET", "/customers/lookup", "wangfang", phone=sent), sent
    assert api.ok("GET", "/customers/lookup", "wangfang", phone="010-6529 5114")


def test_retried_write_with_same_key_creates_nothing_twice(api: Api) -> None:
    customer = new_customer(api)
    body = {"customer_id": customer["id"], "category": "fault", "summary": "无法开机"}
    first = api.call("POST", "/tickets", "wangfang", body, key="desk-42-ticket-1")
    again = api.call("POST", "/tickets", "wangfang", body, key="desk-42-ticket-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    tickets = api.ok("GET", "/tickets", "wangfang", customer_id=customer["id"])
    assert len(tickets) == 1
    reused = api.call(
        "POST", "/tickets", "wangfang", {**body, "summary": "other"}, key="desk-42-ticket-1"
    )
    assert reused.status_code == 422
    assert reused.json()["field"] == "Idempotency-Key"
    # Keys are per user: another agent's identical key is a different write.
    assert api.call("POST", "/tickets", "alice", body, key="desk-42-ticket-1").status_code == 201


def test_stale_version_gets_409_with_the_current_record(api: Api) -> None:
    customer = new_customer(api)
    first = api.ok(
        "PATCH",
        f"/customers/{customer['id']}",
        "wangfang",
        {"version": customer["version"], "vip": True},
    )
    assert first["version"] == customer["version"] + 1
    stale = api.call(
        "PATCH",
        f"/customers/{customer['id']}",
        "alice",
        {"version": customer["version"], "notes": "写在旧版本上"},
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "version_conflict"
    assert body["current"]["vip"] is True
    assert body["current"]["version"] == first["version"]
    assert api.ok("GET", f"/customers/{customer['id']}", "wangfang")["notes"] == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"code": "X1", "name": "A", "team_id": 1, "contacts": [{"name": "a", "phone": "12"}]},
            "contacts.0.phone",
        ),
        ({"code": "X1", "name": "", "team_id": 1}, "name"),
        ({"code": "X1", "name": "A", "team_id": "one"}, "team_id"),
        ({"code": "X1", "name": "A", "team_id": 1, "colour": "red"}, "colour"),
        (
            {"code": "X1", "name": "A", "team_id": 1, "preferred_channel": "pigeon"},
            "preferred_channel",
        ),
        ({"code": "X1", "name": "A", "team_id": 999}, "team_id"),
    ],
)
def test_bad_customer_input_names_the_field_and_writes_nothing(
    api: Api, body: dict[str, Any], field: str
) -> None:
    if body.get("team_id") == 1:
        body["team_id"] = api.team_of("zhangwei")
    before = len(api.ok("GET", "/customers", "admin"))
    answer = api.call("POST", "/customers", "admin", body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert len(api.ok("GET", "/customers", "admin")) == before


def test_text_with_html_and_sql_is_stored_verbatim(api: Api) -> None:
    nasty = "<script>alert(1)</script>'; DROP TABLE customers; --"
    customer = new_customer(api, notes=nasty)
    assert api.ok("GET", f"/customers/{customer['id']}", "wangfang")["notes"] == nasty
    assert len(api.ok("GET", "/customers", "admin")) > 1


def test_duplicate_code_is_a_409_naming_the_field(api: Api) -> None:
    new_customer(api)
    again = api.call(
        "POST",
        "/customers",
        "wangfang",
        {"code": "C-T-0001", "name": "x", "team_id": api.team_of("wangfang")},
    )
    assert again.status_code == 409
    assert again.json()["field"] == "code"


def test_ticket_workflow_history_and_reassignment(api: Api) -> None:
    customer = new_customer(api)
    ticket = api.ok(
        "POST",
        "/tickets",
        "wangfang",
        {"customer_id": customer["id"], "category": "fault", "summary": "报警"},
    )
    assert ticket["number"].startswith("SR-20261102-")
    assert ticket["status"] == "new"
    ticket = api.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "wangfang",
        {"version": ticket["version"], "status": "in_progress"},
    )
    bad = api.call(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "wangfang",
        {"version": ticket["version"], "status": "closed"},
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "status"
    alice = api.ok("GET", "/me", "alice")["user"]["id"]
    refused = api.call(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "wangfang",
        {"version": ticket["version"], "handler_id": alice},
    )
    assert refused.status_code == 403
    ticket = api.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "zhangwei",
        {"version": ticket["version"], "handler_id": alice},
    )
    ticket = api.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "alice",
        {"version": ticket["version"], "status": "resolved"},
    )
    assert ticket["closed_at"] is not None
    history = api.ok("GET", f"/tickets/{ticket['id']}/history", "alice")
    fields = [(h["field"], h["old"], h["new"]) for h in history]
    assert fields[0][0] == "created"
    assert ("status", "new", "in_progress") in fields
    assert ("handler_id", str(api.ok("GET", "/me", "wangfang")["user"]["id"]), str(alice)) in fields
    assert ("status", "in_progress", "resolved") in fields


def test_dispatch_chain_and_survey(api: Api) -> None:
    customer = new_customer(api)
    ticket = api.ok(
        "POST",
        "/tickets",
        "wangfang",
        {"customer_id": customer["id"], "category": "fault", "summary": "上门"},
    )
    window = {"window_start": "2026-11-03T09:00:00Z", "window_end": "2026-11-03T12:00:00Z"}
    first = api.ok(
        "POST",
        "/dispatches",
        "wangfang",
        {"ticket_id": ticket["id"], "technician": "周工", **window},
    )
    early = api.call(
        "POST",
        "/dispatches",
        "wangfang",
        {
            "ticket_id": ticket["id"],
            "technician": "李工",
            **window,
            "previous_dispatch_id": first["id"],
        },
    )
    assert early.status_code == 422  # the first visit is still open
    no_result = api.call(
        "PATCH",
        f"/dispatches/{first['id']}",
        "wangfang",
        {"version": first["version"], "status": "done"},
    )
    assert no_result.json()["field"] == "resolution"
    first = api.ok(
        "PATCH",
        f"/dispatches/{first['id']}",
        "wangfang",
        {"version": first["version"], "status": "failed", "cause": "缺配件"},
    )
    second = api.ok(
        "POST",
        "/dispatches",
        "wangfang",
        {
            "ticket_id": ticket["id"],
            "technician": "李工",
            **window,
            "previous_dispatch_id": first["id"],
        },
    )
    assert second["previous_dispatch_id"] == first["id"]
    survey = api.ok(
        "POST",
        "/tasks",
        "wangfang",
        {
            "kind": "survey",
            "customer_id": customer["id"],
            "ticket_id": ticket["id"],
            "due_at": "2026-11-05T10:00:00Z",
        },
    )
    done = api.ok(
        "PATCH",
        f"/tasks/{survey['id']}",
        "wangfang",
        {"version": survey["version"], "status": "done", "outcome": "满意", "satisfaction": 5},
    )
    assert done["satisfaction"] == 5
    too_high = api.call(
        "PATCH",
        f"/tasks/{survey['id']}",
        "wangfang",
        {"version": done["version"], "satisfaction": 6},
    )
    assert too_high.json()["field"] == "satisfaction"


def test_malformed_and_oversized_requests_are_4xx(api: Api) -> None:
    headers = api.headers("wangfang", **{"Content-Type": "application/json"})
    broken = api.client.post("/api/v1/customers", content=b'{"code": ', headers=headers)
    assert broken.status_code == 422
    huge = api.client.post("/api/v1/customers", content=b"[" * 2_000_000, headers=headers)
    assert huge.status_code == 413
    # A chunked body would dodge the size check, so the server asks for a length instead.
    chunked = api.client.post(
        "/api/v1/customers", content=iter([b"[" * 1000] * 2000), headers=headers
    )
    assert chunked.status_code == 411
    assert "Content-Length" in chunked.json()["message"]
    assert api.get("/tickets", "wangfang", status="nonsense").status_code == 422


def test_preferences_follow_the_agent_to_any_seat(api: Api) -> None:
    assert api.ok("GET", "/me/preferences", "lina")["language"] == "auto"
    prefs = {
        "language": "zh_CN",
        "playback_device": "Jabra Evolve2 65",
        "auto_answer": True,
        "shortcuts": {"answer": "Ctrl+Shift+A"},
    }
    api.ok("PUT", "/me/preferences", "lina", prefs)
    again = api.ok("GET", "/me/preferences", "lina")
    assert again["playback_device"] == "Jabra Evolve2 65"
    assert again["shortcuts"] == {"answer": "Ctrl+Shift+A"}
    assert api.ok("GET", "/me/preferences", "tom")["auto_answer"] is False


def test_unanswered_question_becomes_an_article(api: Api) -> None:
    question = api.ok(
        "POST",
        "/kb/questions",
        "wangfang",
        {"text": "PM-8000 屏幕闪烁怎么办？", "product_line": "Patient Monitors"},
    )
    assert (
        api.call(
            "POST",
            f"/kb/questions/{question['id']}/answer",
            "wangfang",
            {"version": 1, "answer": "x"},
        ).status_code
        == 403
    )
    answered = api.ok(
        "POST",
        f"/kb/questions/{question['id']}/answer",
        "zhangwei",
        {
            "version": question["version"],
            "answer": "检查屏幕排线，重新插拔。",
            "title": "PM-8000 屏幕闪烁",
        },
    )
    assert answered["status"] == "answered"
    article = api.ok("GET", f"/kb/articles/{answered['article_id']}", "wangfang")
    assert article["title"] == "PM-8000 屏幕闪烁"
    assert article["views"] == 1
    api.ok("POST", f"/kb/articles/{article['id']}/feedback", "alice", {"helpful": True})
    assert api.ok("GET", f"/kb/articles/{article['id']}", "alice")["helpful"] == 1


def test_a_customer_with_history_is_not_deleted(api: Api) -> None:
    customer = api.ok("GET", "/customers", "wangfang", limit=1)
    customer = customer["items"][0] if isinstance(customer, dict) else customer[0]
    tickets = api.ok("GET", "/tickets", "wangfang", customer_id=customer["id"])
    answer = api.call(
        "DELETE", f"/customers/{customer['id']}", "zhangwei", {"version": customer["version"]}
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == "in_use"
    assert "history is kept" in answer.json()["message"]
    assert api.ok("GET", f"/customers/{customer['id']}", "wangfang")["id"] == customer["id"]
    assert api.ok("GET", "/tickets", "wangfang", customer_id=customer["id"]) == tickets
