"""The backend's sign-in rules, over HTTP (FastAPI's TestClient on the real app and SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

import server_stub.auth
from server_stub.clock import system_clock
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.main import create_app
from server_stub.models import AccessTokenRow
from server_stub.seed import DEMO_PASSWORD, seed_demo
from sync.contract.records import Role
from sync.contract.rules import permissions_for


@pytest.fixture(scope="module")
def production_password_hashing() -> Iterator[None]:
    """The production parameters again (the suite hashes cheaply: tests/conftest.py), for
    this module, which checks them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(server_stub.auth, "_hasher", PasswordHasher())
        yield


@pytest.fixture(scope="module")
def api(
    tmp_path_factory: pytest.TempPathFactory, production_password_hashing: None
) -> Iterator[TestClient]:
    url = ServerSettings.sqlite_file(tmp_path_factory.mktemp("api") / "api.sqlite")
    database = Database(url)
    migrate(database.engine)
    with database.session() as session:
        seed_demo(session, now=system_clock().now())
    app = create_app(ServerSettings(database_url=url, token_lifetime=timedelta(hours=1)), database)
    with TestClient(app) as client:
        yield client
    database.dispose()


def login(api: TestClient, username: str = "wangfang", password: str = DEMO_PASSWORD) -> dict:
    response = api.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def test_login_returns_token_user_and_permissions(api: TestClient) -> None:
    body = login(api)
    assert len(body["token"]) >= 32
    assert body["user"]["display_name"] == "王芳"
    assert body["user"]["team"]["name"].startswith("医疗设备")
    assert set(body["permissions"]) == permissions_for(Role.AGENT)
    assert "monitor.barge" not in body["permissions"]


def test_supervisor_gets_supervisor_permissions(api: TestClient) -> None:
    body = login(api, "zhangwei")
    assert body["user"]["role"] == "supervisor"
    assert {"monitor.barge", "ticket.reassign", "kb.publish"} <= set(body["permissions"])


def test_user_names_are_case_insensitive(api: TestClient) -> None:
    assert login(api, "WangFang")["user"]["username"] == "wangfang"


@pytest.mark.parametrize("username", ["wangfang", "nobody"])
def test_wrong_credentials_get_the_same_answer(api: TestClient, username: str) -> None:
    response = api.post("/api/v1/auth/login", json={"username": username, "password": "nope"})
    assert response.status_code == 401
    # The same code and message for a wrong password and an unknown user: no enumeration.
    assert response.json() == {
        "code": "bad_credentials",
        "message": "Wrong user name or password.",
        "field": None,
    }


def test_me_needs_a_valid_token(api: TestClient) -> None:
    assert api.get("/api/v1/me").json()["code"] == "not_authenticated"
    bad = api.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401
    assert bad.json()["code"] == "token_invalid"
    token = login(api)["token"]
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["user"]["username"] == "wangfang"


def test_logout_revokes_the_token(api: TestClient) -> None:
    headers = {"Authorization": f"Bearer {login(api)['token']}"}
    assert api.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert api.get("/api/v1/me", headers=headers).status_code == 401


def test_expired_token_is_refused(api: TestClient) -> None:
    token = login(api)["token"]
    database: Database = api.app.state.database  # type: ignore[attr-defined]
    with database.session() as session:
        for row in session.query(AccessTokenRow).all():
            row.expires_at = row.issued_at - timedelta(seconds=1)
        session.commit()
    response = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_passwords_are_hashed_with_argon2id(api: TestClient) -> None:
    database: Database = api.app.state.database  # type: ignore[attr-defined]
    from server_stub.models import UserRow

    with database.session() as session:
        hashes = [u.password_hash for u in session.query(UserRow)]
    assert all(h.startswith("$argon2id$") for h in hashes)
    # At the production cost (the suite's cheap hashing stays out of this module).
    assert not any(PasswordHasher().check_needs_rehash(h) for h in hashes)
    assert DEMO_PASSWORD not in "".join(hashes)


def test_tokens_are_stored_hashed(api: TestClient) -> None:
    token = login(api)["token"]
    database: Database = api.app.state.database  # type: ignore[attr-defined]
    with database.session() as session:
        stored = [row.token_sha256 for row in session.query(AccessTokenRow).all()]
    assert token not in stored


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "wangfang"}, "password"),
        ({"username": "", "password": "x"}, "username"),
        ({"username": "wangfang", "password": "x", "role": "admin"}, "role"),
        ({"username": 42, "password": "x"}, "username"),
    ],
)
def test_bad_input_names_the_field(api: TestClient, body: dict, field: str) -> None:
    response = api.post("/api/v1/auth/login", json=body)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert field in response.json()["message"]


def test_malformed_json_is_a_4xx_not_a_500(api: TestClient) -> None:
    response = api.post(
        "/api/v1/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "malformed_json"
    assert response.json()["field"] == "body"


def test_oversized_body_is_refused_before_parsing(api: TestClient) -> None:
    response = api.post("/api/v1/auth/login", content=b"x" * 2_000_000)
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_openapi_is_published(api: TestClient) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/api/v1/auth/login", "/api/v1/me", "/api/v1/health"} <= set(paths)


def test_seed_is_bilingual_and_idempotent(tmp_path: Path) -> None:
    database = Database(ServerSettings.sqlite_file(tmp_path / "s.sqlite"))
    migrate(database.engine)
    with database.session() as session:
        assert seed_demo(session, now=system_clock().now()) is True
        now = system_clock().now()
        assert seed_demo(session, now=now) is False  # a second run writes nothing twice
        from server_stub.models import ArticleRow, CustomerRow, TeamRow, UserRow

        names = [c.name for c in session.query(CustomerRow)]
        assert any("医院" in n for n in names)
        assert any("Clinic" in n for n in names)
        assert session.query(TeamRow).count() == 2
        roles = {u.role for u in session.query(UserRow)}
        assert roles == {"agent", "supervisor", "admin", "technician"}
        assert {a.language for a in session.query(ArticleRow)} == {"zh", "en"}
    database.dispose()
