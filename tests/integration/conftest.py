"""The backend under test: the real app on SQLite and on PostgreSQL, with a manual clock."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from server_stub.clock import ManualClock
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.main import create_app
from server_stub.seed import DEMO_PASSWORD, seed_demo
from sync.contract import version as contract

_names = itertools.count()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return ServerSettings.sqlite_file(tmp_path / "api.sqlite")
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"api_{next(_names)}")  # type: ignore[attr-defined, no-any-return]


@dataclass
class Api:
    """The API as one user or another sees it."""

    client: TestClient
    database: Database
    clock: ManualClock
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, user: str, **extra: str) -> dict[str, str]:
        if user not in self.tokens:
            answer = self.client.post(
                "/api/v1/auth/login", json={"username": user, "password": DEMO_PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            self.tokens[user] = answer.json()["token"]
        # These calls speak this release's contract, as its desks do.
        speaks = {contract.HEADER: str(contract.CONTRACT)}
        return {"Authorization": f"Bearer {self.tokens[user]}", **speaks, **extra}

    def call(
        self,
        method: str,
        path: str,
        user: str,
        json: Any = None,
        key: str | None = None,
        **params: Any,
    ) -> httpx.Response:
        extra = {"Idempotency-Key": key} if key else {}
        return self.client.request(
            method,
            f"/api/v1{path}",
            json=json,
            params=params or None,
            headers=self.headers(user, **extra),
        )

    def get(self, path: str, user: str, **params: Any) -> httpx.Response:
        return self.call("GET", path, user, **params)

    def ok(self, method: str, path: str, user: str, json: Any = None, **kw: Any) -> Any:
        answer = self.call(method, path, user, json, **kw)
        assert answer.status_code < 300, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json() if answer.content else None

    def sweep(self) -> list[int]:
        return self.client.app.state.sla.sweep()  # type: ignore[attr-defined, no-any-return]

    def team_of(self, username: str) -> int:
        me = self.ok("GET", "/me", username)
        return int(me["user"]["team"]["id"])


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    database = Database(database_url)
    migrate(database.engine)
    clock = ManualClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    with database.session() as session:
        seed_demo(session, now=clock.now())
    # Tests move this clock by days (SLA, feed retention): a session outlives them.
    settings = ServerSettings(
        database_url=database_url, event_poll_s=0.05, token_lifetime=timedelta(days=30)
    )
    app = create_app(settings, database, clock, background=False)
    with TestClient(app) as client:
        yield Api(client, database, clock)
    database.dispose()


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at production cost takes ~100 ms a sign-in; the rules under test are the same
    at the lowest cost, and the suite stays fast. (tests/integration/test_server_auth.py keeps
    the production parameters.)"""
    from argon2 import PasswordHasher

    import server_stub.auth

    monkeypatch.setattr(
        server_stub.auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )
