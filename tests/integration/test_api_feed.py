"""Change feed (paging, scope, tombstones), event stream (resume by id), SLA escalation."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from tests.integration.conftest import Api
from tests.integration.test_api_writes import new_customer


def pull(api: Api, user: str, after: int = 0, limit: int = 7) -> tuple[list[dict[str, Any]], int]:
    """Page through the feed like a desktop catching up; returns the changes and the cursor."""
    changes: list[dict[str, Any]] = []
    pages = 0
    while True:
        page = api.ok("GET", "/changes", user, after=after, limit=limit)
        changes += page["changes"]
        assert page["cursor"] >= after
        after = page["cursor"]
        pages += 1
        assert pages < 200, "the feed never ended"
        if not page["has_more"]:
            return changes, after


def latest(changes: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    state: dict[tuple[str, int], dict[str, Any]] = {}
    for change in changes:
        state[(change["entity"], change["id"])] = change
    return state


def test_first_pull_pages_through_everything_the_agent_may_see(api: Api) -> None:
    changes, cursor = pull(api, "wangfang")
    seqs = [c["seq"] for c in changes]
    assert seqs == sorted(seqs)
    assert len(seqs) == len(set(seqs))
    entities = {c["entity"] for c in changes}
    assert {"customer", "asset", "ticket", "article", "team", "user", "queue"} <= entities
    team = api.team_of("wangfang")
    scoped = [c for c in changes if c["entity"] in ("customer", "ticket", "asset")]
    assert {c["data"]["team_id"] for c in scoped} == {team}
    customers = {c["id"] for c in changes if c["entity"] == "customer"}
    assert customers == {c["id"] for c in api.ok("GET", "/customers", "wangfang")}
    # Caught up: the next pull from the cursor is empty.
    assert pull(api, "wangfang", cursor) == ([], cursor)


def test_tombstones_and_team_moves(api: Api) -> None:
    _, cursor = pull(api, "wangfang")
    _, other_cursor = pull(api, "lina")
    customer = new_customer(api, code="C-T-0099")
    doomed = new_customer(api, code="C-T-0100")
    api.ok("DELETE", f"/customers/{doomed['id']}", "zhangwei", {"version": doomed["version"]})
    moved = api.ok(
        "PATCH",
        f"/customers/{customer['id']}",
        "admin",
        {"version": customer["version"], "team_id": api.team_of("lina")},
    )
    changes, cursor = pull(api, "wangfang", cursor, limit=2)
    state = latest(changes)
    assert state[("customer", doomed["id"])]["op"] == "delete"
    assert state[("customer", doomed["id"])]["data"] is None
    assert state[("customer", customer["id"])]["op"] == "delete"  # moved away: drop it
    theirs = latest(pull(api, "lina", other_cursor)[0])
    assert theirs[("customer", customer["id"])]["op"] == "upsert"
    assert theirs[("customer", customer["id"])]["version"] == moved["version"]
    assert ("customer", doomed["id"]) not in theirs


def test_feed_survives_many_changes_in_small_pages(api: Api) -> None:
    _, cursor = pull(api, "alice")
    customer = new_customer(api, user="alice")
    version = customer["version"]
    for n in range(25):
        version = api.ok(
            "PATCH",
            f"/customers/{customer['id']}",
            "alice",
            {"version": version, "notes": f"call {n}"},
        )["version"]
    changes, _ = pull(api, "alice", cursor, limit=4)
    assert len([c for c in changes if c["id"] == customer["id"]]) == 26
    assert latest(changes)[("customer", customer["id"])]["data"]["notes"] == "call 24"


def read_events(api: Api, user: str, **params: Any) -> list[dict[str, Any]]:
    headers = api.headers(user)
    if "last_event_id" in params:
        headers["Last-Event-ID"] = str(params.pop("last_event_id"))
    answer = api.client.get("/api/v1/events", params={"timeout_s": 0.3, **params}, headers=headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/event-stream")
    events = []
    for block in answer.text.split("\n\n"):
        fields = dict(
            line.split(": ", 1)
            for line in block.splitlines()
            if ": " in line and not line.startswith(":")
        )
        if "id" in fields:
            events.append(
                {"id": int(fields["id"]), "kind": fields["event"], **json.loads(fields["data"])}
            )
    return events


def test_events_resume_by_last_event_id_and_respect_teams(api: Api) -> None:
    api.ok("PUT", "/presence/me", "alice", {"state": "ready"})
    api.ok("PUT", "/presence/me", "lina", {"state": "not_ready", "reason": "午餐 lunch"})
    api.ok("PUT", "/presence/me", "wangfang", {"state": "on_call"})
    seen = read_events(api, "zhangwei", after=0)
    kinds = [(e["kind"], e["data"]["user_id"]) for e in seen if e["kind"] == "presence"]
    ids = {u: api.ok("GET", "/me", u)["user"]["id"] for u in ("alice", "lina", "wangfang")}
    assert kinds == [("presence", ids["alice"]), ("presence", ids["wangfang"])]  # not lina's
    first = seen[0]["id"]
    resumed = read_events(api, "zhangwei", last_event_id=first)
    assert [e["id"] for e in resumed] == [e["id"] for e in seen[1:]]
    # Without a position, a stream starts with what happens from now on.
    assert read_events(api, "zhangwei") == []


def test_complaint_escalates_to_lead_then_next_level_exactly_once(api: Api) -> None:
    customer = new_customer(api)
    ticket = api.ok(
        "POST",
        "/tickets",
        "wangfang",
        {
            "customer_id": customer["id"],
            "category": "complaint",
            "summary": "工程师爽约投诉",
            "complaint": True,
        },
    )
    assert ticket["sla_due_at"].startswith("2026-11-03T09:00")  # 24 h by default
    api.clock.advance(timedelta(hours=23, minutes=59))
    assert ticket["id"] not in api.sweep()
    api.clock.advance(timedelta(minutes=2))
    assert ticket["id"] in api.sweep()
    assert ticket["id"] not in api.sweep()  # once
    now = api.ok("GET", f"/tickets/{ticket['id']}", "wangfang")
    assert (now["escalation_level"], now["status"]) == (1, "escalated")
    lead = api.ok("GET", "/me", "zhangwei")["user"]["id"]
    escalations = [e for e in read_events(api, "zhangwei", after=0) if e["kind"] == "escalation"]
    assert escalations[-1]["data"]["notify_user_ids"] == [lead]
    assert escalations[-1]["data"]["level"] == 1

    api.clock.advance(timedelta(hours=24, minutes=1))
    assert ticket["id"] in api.sweep()
    admin = api.ok("GET", "/me", "admin")["user"]["id"]
    top = [e for e in read_events(api, "admin", after=0) if e["kind"] == "escalation"][-1]
    assert (top["data"]["level"], top["data"]["notify_user_ids"]) == (2, [admin])
    api.clock.advance(timedelta(days=3))
    assert ticket["id"] not in api.sweep()  # no level above the administrators
    history = [h["field"] for h in api.ok("GET", f"/tickets/{ticket['id']}/history", "wangfang")]
    assert history.count("escalation_level") == 2
    audit = api.ok("GET", "/audit", "admin")
    assert (
        sum(a["action"] == "sla.escalate" and a["target"] == ticket["number"] for a in audit) == 2
    )


def test_answered_complaint_stops_its_clock(api: Api) -> None:
    customer = new_customer(api)
    ticket = api.ok(
        "POST",
        "/tickets",
        "wangfang",
        {
            "customer_id": customer["id"],
            "category": "complaint",
            "summary": "投诉",
            "complaint": True,
        },
    )
    answered = api.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "wangfang",
        {"version": ticket["version"], "status": "waiting_customer"},
    )
    assert answered["sla_due_at"] is None
    api.clock.advance(timedelta(days=2))
    assert ticket["id"] not in api.sweep()
