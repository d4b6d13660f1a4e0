"""The centre's administration on the server (issue 27): roles as stored, editable permission
sets; users and teams; the CSV import. Each route refuses non-admins (and leads outside their
part), every change is audited with before → after, and a permission taken from a role is
refused on the next request of a user of that role who is signed in. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from server_stub.models import AuditRow, ChangeRow, EventRow
from sync.contract import version as contract
from sync.contract.errors import ErrorCode
from sync.contract.rules import (
    AGENT_PERMISSIONS,
    EXPERT_PERMISSIONS,
    QA_PERMISSIONS,
    SUPERVISOR_PERMISSIONS,
)
from tests.integration.conftest import Api

SPEAKS_1_6 = {contract.HEADER: "1.6"}


def role(api: Api, name: str) -> dict[str, Any]:
    (found,) = [r for r in api.ok("GET", "/admin/roles", "admin") if r["name"] == name]
    return found  # type: ignore[no-any-return]


def user_id(api: Api, username: str) -> int:
    (found,) = [u for u in api.ok("GET", "/admin/users", "admin") if u["username"] == username]
    return int(found["id"])


def audited(api: Api, action: str) -> list[AuditRow]:
    with api.database.session() as session:
        rows = session.scalars(select(AuditRow).where(AuditRow.action == action)).all()
        session.expunge_all()
        return list(rows)


def test_the_shipped_roles_are_stored_with_their_permissions(api: Api) -> None:
    stored = {r["name"]: r for r in api.ok("GET", "/admin/roles", "admin")}
    assert set(stored) == {"agent", "supervisor", "admin", "technician", "expert", "qa"}
    assert set(stored["qa"]["permissions"]) == QA_PERMISSIONS  # 0014_quality
    assert set(stored["agent"]["permissions"]) == AGENT_PERMISSIONS
    assert set(stored["expert"]["permissions"]) == EXPERT_PERMISSIONS
    assert set(stored["supervisor"]["permissions"]) >= SUPERVISOR_PERMISSIONS
    assert stored["admin"]["scope"] == "all"
    assert set(api.ok("GET", "/me", "wangfang")["permissions"]) == AGENT_PERMISSIONS


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/admin/roles", None),
        ("POST", "/admin/roles", {"name": "night", "permissions": ["kb.read"]}),
        ("PUT", "/admin/roles/agent", {"name": "agent", "permissions": ["kb.read"]}),
        ("DELETE", "/admin/roles/technician", None),
        ("GET", "/admin/users", None),
        ("POST", "/admin/users", {"username": "x1", "display_name": "X", "role_name": "agent"}),
        ("PATCH", "/admin/users/1", {"active": False}),
        ("POST", "/admin/users/1/password", None),
        ("POST", "/admin/users/1/sign-out", None),
        ("POST", "/admin/teams", {"name": "Night shift"}),
        ("POST", "/admin/import/preview", {"content": "username,display_name,role,team\n"}),
        ("POST", "/admin/import/apply", {"content": "username,display_name,role,team\n"}),
    ],
)
def test_agents_may_use_no_admin_route(api: Api, method: str, path: str, body: Any) -> None:
    answer = api.call(method, path, "wangfang", body)
    assert answer.status_code == 403, answer.text
    assert answer.json()["code"] == ErrorCode.FORBIDDEN
    with api.database.session() as session:
        refused = session.scalars(select(AuditRow).where(AuditRow.allowed.is_(False))).all()
        assert len(refused) == 1


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/admin/roles", None),
        ("POST", "/admin/roles", {"name": "night", "permissions": ["kb.read"]}),
        ("POST", "/admin/users", {"username": "x1", "display_name": "X", "role_name": "agent"}),
        ("POST", "/admin/teams", {"name": "Night shift"}),
        ("POST", "/admin/import/apply", {"content": "username,display_name,role,team\n"}),
    ],
)
def test_leads_may_not_do_the_admins_part(api: Api, method: str, path: str, body: Any) -> None:
    assert api.call(method, path, "zhangwei", body).status_code == 403


def test_a_lead_manages_the_agents_of_their_own_team_only(api: Api) -> None:
    own = api.team_of("wangfang")
    other = api.team_of("lina")
    listed = api.ok("GET", "/admin/users", "zhangwei")
    assert {u["team"]["id"] for u in listed} == {own}
    wangfang, lina, liuyang = (user_id(api, n) for n in ("wangfang", "lina", "liuyang"))
    # Inside: sign out, reset, disable and enable again.
    # team_of signed wangfang in: that one session ends.
    assert api.ok("POST", f"/admin/users/{wangfang}/sign-out", "zhangwei") == {"revoked": 1}
    assert (
        api.ok("PATCH", f"/admin/users/{wangfang}", "zhangwei", {"active": False})["active"]
        is False
    )
    api.ok("PATCH", f"/admin/users/{wangfang}", "zhangwei", {"active": True})
    # Outside: another team's agent, another lead, a move out, a role.
    for path, body in [
        (f"/admin/users/{lina}", {"active": False}),
        (f"/admin/users/{liuyang}", {"active": False}),
        (f"/admin/users/{wangfang}", {"team_id": other}),
        (f"/admin/users/{wangfang}", {"role_name": "expert"}),
    ]:
        answer = api.call("PATCH", path, "zhangwei", body)
        assert answer.status_code == 403, (path, body, answer.text)
    assert api.call("POST", f"/admin/users/{lina}/password", "zhangwei").status_code == 403
    assert len([r for r in audited(api, "user.manage") if not r.allowed]) == 5


def test_a_permission_taken_from_a_role_is_refused_on_the_next_request(api: Api) -> None:
    # Signed in, and the token is in the server's cache.
    assert api.call("GET", "/kb/articles", "wangfang").status_code == 200
    agent = role(api, "agent")
    without = [p for p in agent["permissions"] if p != "kb.read"]
    changed = api.ok(
        "PUT",
        "/admin/roles/agent",
        "admin",
        {
            **{k: agent[k] for k in ("name", "kind", "scope", "teams")},
            "permissions": without,
            "version": agent["version"],
        },
    )
    assert changed["version"] == agent["version"] + 1
    answer = api.call("GET", "/kb/articles", "wangfang")
    assert answer.status_code == 403
    assert "kb.read" not in api.ok("GET", "/me", "wangfang")["permissions"]
    (row,) = audited(api, "role.update")
    assert row.target == "role:agent"
    before, after = row.detail.split(" -> ")
    assert '"kb.read"' in before
    assert '"kb.read"' not in after
    with api.database.session() as session:
        kinds = session.scalars(select(EventRow.kind).where(EventRow.kind == "access.changed"))
        assert list(kinds) == ["access.changed"]
    # A stale version: refused, nothing written.
    stale = api.call(
        "PUT",
        "/admin/roles/agent",
        "admin",
        {"name": "agent", "permissions": agent["permissions"], "version": agent["version"]},
    )
    assert stale.status_code == 409


def test_the_last_user_manager_is_kept(api: Api) -> None:
    admin = role(api, "admin")
    answer = api.call(
        "PUT",
        "/admin/roles/admin",
        "admin",
        {
            "name": "admin",
            "kind": "admin",
            "scope": "all",
            "permissions": [p for p in admin["permissions"] if p != "user.manage"],
        },
    )
    assert answer.status_code == 409
    assert "manage users" in answer.json()["message"]
    assert "user.manage" in role(api, "admin")["permissions"]
    me = user_id(api, "admin")
    assert api.call("PATCH", f"/admin/users/{me}", "admin", {"active": False}).status_code == 409


def test_roles_are_created_given_and_deleted_only_when_unused(api: Api) -> None:
    created = api.ok(
        "POST",
        "/admin/roles",
        "admin",
        {
            "name": "night",
            "kind": "agent",
            "permissions": ["kb.read", "kb.ask"],
            "scope": "listed",
            "teams": [api.team_of("lina")],
        },
    )
    assert created["users"] == 0
    shipped = role(api, "agent")
    rekinded = api.call(
        "PUT",
        "/admin/roles/agent",
        "admin",
        {**{k: shipped[k] for k in ("name", "permissions")}, "kind": "supervisor"},
    )
    assert rekinded.status_code == 422
    assert rekinded.json()["field"] == "kind"
    bad = api.call("POST", "/admin/roles", "admin", {"name": "odd", "permissions": ["kb.fly"]})
    assert bad.status_code == 422
    assert bad.json()["field"] == "permissions"
    tom = user_id(api, "tom")
    api.ok("PATCH", f"/admin/users/{tom}", "admin", {"role_name": "night"})
    assert set(api.ok("GET", "/me", "tom")["permissions"]) == {"kb.read", "kb.ask"}
    held = api.call("DELETE", "/admin/roles/night", "admin")
    assert held.status_code == 409
    api.ok("PATCH", f"/admin/users/{tom}", "admin", {"role_name": "agent"})
    assert api.call("DELETE", "/admin/roles/night", "admin").status_code == 204
    assert [r.action for r in audited(api, "role.delete")] == ["role.delete"]
    assert len(audited(api, "role.create")) == 1


def test_users_are_created_disabled_moved_reset_and_signed_out(api: Api) -> None:
    team = api.ok("POST", "/admin/teams", "admin", {"name": "夜班 Night"})
    listed = {t["name"]: t for t in api.ok("GET", "/admin/teams", "admin")}
    assert listed["夜班 Night"]["members"] == 0
    assert [t["name"] for t in api.ok("GET", "/admin/teams", "zhangwei")] == [
        t["name"] for t in listed.values() if t["id"] == api.team_of("zhangwei")
    ]
    made = api.ok(
        "POST",
        "/admin/users",
        "admin",
        {
            "username": "xiaoming",
            "display_name": "小明",
            "role_name": "agent",
            "team_id": team["id"],
        },
    )
    password = made["password"]
    assert made["user"]["must_change_password"] is True
    login = api.client.post(
        "/api/v1/auth/login",
        json={"username": "xiaoming", "password": password},
        headers=SPEAKS_1_6,
    )
    assert login.status_code == 200
    assert login.json()["must_change_password"] is True
    token = login.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/v1/me", headers=headers).status_code == 200
    # Disabled: the token is refused at once.
    uid = made["user"]["id"]
    api.ok("PATCH", f"/admin/users/{uid}", "admin", {"active": False})
    assert api.client.get("/api/v1/me", headers=headers).status_code == 401
    api.ok(
        "PATCH", f"/admin/users/{uid}", "admin", {"active": True, "team_id": api.team_of("lina")}
    )
    reset = api.ok("POST", f"/admin/users/{uid}/password", "admin")
    assert reset["password"] != password
    assert (
        api.client.post(
            "/api/v1/auth/login", json={"username": "xiaoming", "password": password}
        ).status_code
        == 401
    )
    again = api.client.post(
        "/api/v1/auth/login", json={"username": "xiaoming", "password": reset["password"]}
    ).json()["token"]
    changed = api.client.post(
        "/api/v1/auth/password",
        json={"current": reset["password"], "new": "a-new-secret-1"},
        headers={"Authorization": f"Bearer {again}"},
    )
    assert changed.status_code == 204
    assert api.ok("POST", f"/admin/users/{uid}/sign-out", "admin") == {"revoked": 1}
    assert (
        api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {again}"}).status_code
        == 401
    )
    # On the change feed: the new user for the new team's desks; moved: gone from the first
    # team's feed (a tombstone), there in the second's.
    with api.database.session() as session:
        changes = session.scalars(
            select(ChangeRow).where(ChangeRow.entity == "user", ChangeRow.entity_id == uid)
        ).all()
        seen = [(c.op, c.team_id) for c in changes]
    assert ("upsert", team["id"]) in seen
    assert ("delete", team["id"]) in seen
    assert ("upsert", api.team_of("lina")) in seen
    actions = [r.action for r in audited(api, "user.update")]
    assert len(actions) == 2
    for action in ("user.create", "team.create", "user.password_reset", "user.sign_out"):
        (row,) = audited(api, action)
        assert row.allowed
        assert password not in row.detail
        assert reset["password"] not in row.detail


def test_a_desk_before_1_6_gets_no_field_it_cannot_read(api: Api) -> None:
    """Desks of contract 1.0 read answers strictly: no must_change_password for them."""
    old = api.client.post("/api/v1/auth/login", json={"username": "tom", "password": "demo1234"})
    assert "must_change_password" not in old.json()
    me = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {old.json()['token']}"})
    assert "must_change_password" not in me.json()


CSV_OK = (
    "username,display_name,role,team\n"
    "zhou01,周一,agent,上海二组\n"
    "zhou02,周二,expert,上海二组\n"
    "zhou03,周三,supervisor,\n"
)


def test_an_import_is_previewed_then_applied_all_or_nothing(api: Api) -> None:
    preview = api.ok("POST", "/admin/import/preview", "admin", {"content": CSV_OK})
    assert preview["problems"] == []
    assert preview["new_teams"] == ["上海二组"]
    assert [r["username"] for r in preview["rows"]] == ["zhou01", "zhou02", "zhou03"]
    bad = CSV_OK + "wangfang,重名,agent,\nzhou05,,agent,\nzhou06,六,pilot,\n"
    refused = api.call("POST", "/admin/import/apply", "admin", {"content": bad})
    assert refused.status_code == 409
    problems = {(p["row"], p["field"]) for p in refused.json()["problems"]}
    assert problems == {(5, "username"), (6, "display_name"), (7, "role")}
    assert "zhou01" not in {u["username"] for u in api.ok("GET", "/admin/users", "admin")}
    applied = api.call("POST", "/admin/import/apply", "admin", {"content": CSV_OK})
    assert applied.status_code == 201
    body = applied.json()
    assert [t["name"] for t in body["new_teams"]] == ["上海二组"]
    assert {u["user"]["role_name"] for u in body["users"]} == {"agent", "expert", "supervisor"}
    (row,) = audited(api, "users.import")
    assert "zhou02" in row.detail
