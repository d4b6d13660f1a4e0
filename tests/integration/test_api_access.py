"""Roles, team scope and the audit log, on every route that holds data."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Api


def test_agents_see_only_their_team(api: Api) -> None:
    mine = api.ok("GET", "/customers", "wangfang")
    assert mine
    assert {c["team_id"] for c in mine} == {api.team_of("wangfang")}
    theirs = api.ok("GET", "/customers", "lina")
    assert not {c["id"] for c in mine} & {c["id"] for c in theirs}
    other = theirs[0]["id"]
    refused = api.get(f"/customers/{other}", "wangfang")
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    # ... on writes too, and on the lists of tickets, tasks, dispatches and queues.
    assert (
        api.call(
            "PATCH", f"/customers/{other}", "wangfang", {"version": 1, "vip": True}
        ).status_code
        == 403
    )
    for path in ("/tickets", "/tasks", "/dispatches", "/queues", "/users", "/teams"):
        rows = api.ok("GET", path, "wangfang")
        teams = (
            {r.get("team_id", r.get("id")) for r in rows}
            if path == "/teams"
            else {r["team_id"] for r in rows}
        )
        assert teams <= {api.team_of("wangfang")}, path


def test_admin_sees_every_team(api: Api) -> None:
    teams = {c["team_id"] for c in api.ok("GET", "/customers", "admin")}
    assert len(teams) == 2


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/wallboard"),
        ("GET", "/presence"),
        ("GET", "/audit"),
        ("POST", "/kb/articles"),
        ("PUT", "/queues/1/counters"),
        ("PUT", "/users/1/skills"),
    ],
)
def test_supervisor_routes_refuse_agents_and_audit_it(api: Api, method: str, path: str) -> None:
    body = {"waiting": 1, "longest_wait_s": 1} if "counters" in path else {}
    answer = api.call(method, path, "alice", body)
    assert answer.status_code == 403, answer.text
    log = api.ok("GET", "/audit", "admin", allowed=False)
    assert any(a["target"].endswith(path) and not a["allowed"] for a in log)


def test_supervisor_actions_are_audited(api: Api) -> None:
    tickets = api.ok("GET", "/tickets", "zhangwei")
    ticket = tickets[0]
    api.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "zhangwei",
        {"version": ticket["version"], "handler_id": api.ok("GET", "/me", "alice")["user"]["id"]},
    )
    log = api.ok("GET", "/audit", "zhangwei", allowed=True)
    assert any(a["action"] == f"PATCH /api/v1/tickets/{ticket['id']}" for a in log)


def test_permissions_returned_at_login_match_what_routes_allow(api: Api) -> None:
    agent = set(api.ok("GET", "/me", "wangfang")["permissions"])
    lead = set(api.ok("GET", "/me", "zhangwei")["permissions"])
    assert "wallboard.view" not in agent
    assert "wallboard.view" in lead
    assert api.get("/wallboard", "zhangwei").status_code == 200


def test_lead_sees_own_team_only(api: Api) -> None:
    assert {q["team_id"] for q in api.ok("GET", "/queues", "zhangwei")} == {api.team_of("zhangwei")}
    board = api.ok("GET", "/wallboard", "zhangwei")
    assert len(board["queues"]) == 1
    assert set(board["counts"]) >= {"ready", "not_ready", "on_call"}
