"""Revocation reaches every server process on PostgreSQL, even for a token another process keeps
in its auth cache because it is in steady use (server_stub.auth_cache: kept on use).

Two ``RevocationListener``s on one database stand for two worker processes (each has its own
cache and its own LISTEN connection, as a worker does); a sign-out and a disabled user made
through one are forgotten by the other."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from server_stub import roles
from server_stub.auth import disable_user, issue_token, revoke_token, token_digest
from server_stub.auth_cache import AuthCache, Principal, RevocationListener
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.models import RoleRow, UserRow
from server_stub.seed import seed_demo
from sync.contract.wire import RoleIn

pytestmark = pytest.mark.slow

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


async def _gone(cache: AuthCache, digest: str, timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if cache.get(digest) is None:
            return True
        await asyncio.sleep(0.02)
    return False


def test_a_revoked_token_in_use_is_forgotten_by_every_process(postgres_server: object) -> None:
    url = postgres_server.create_database("auth_revocation")  # type: ignore[attr-defined]
    database = Database(url)
    migrate(database.engine)
    with database.session() as session:
        seed_demo(session, now=NOW)
        user = session.query(UserRow).filter(UserRow.username == "wangfang").one()
        principal = Principal(user.id, user.username, user.display_name, user.role, user.team_id)
        token, expires = issue_token(session, user, timedelta(days=1), NOW)
        second, _ = issue_token(session, user, timedelta(days=1), NOW)

    async def scenario() -> None:
        here, there = AuthCache(), AuthCache()
        processes = [RevocationListener(database, here), RevocationListener(database, there)]
        for process in processes:
            await process.start()
        try:
            deadline = time.monotonic() + 10
            while not all(p.listening.is_set() for p in processes):
                assert time.monotonic() < deadline, "LISTEN not in place"
                await asyncio.sleep(0.02)
            for cache in (here, there):
                for t in (token, second):
                    cache.put(token_digest(t), principal, expires, None)
            assert there.get(token_digest(token)) is not None  # in use there
            with database.session() as session:
                revoke_token(session, token, here)
            assert here.get(token_digest(token)) is None
            assert await _gone(there, token_digest(token))
            assert there.get(token_digest(second)) is not None  # only that token
            with database.session() as session:
                disable_user(session, principal.id, here)
            assert await _gone(there, token_digest(second))
        finally:
            for process in processes:
                await process.stop()

    try:
        asyncio.run(scenario())
    finally:
        database.dispose()


def test_a_role_changed_through_one_process_is_read_again_by_every_process(
    postgres_server: object,
) -> None:
    """Issue 27: a permission taken from a role is refused on the next request of a user of
    that role, whichever process serves it: the change clears every process's cache."""
    url = postgres_server.create_database("auth_role_change")  # type: ignore[attr-defined]
    database = Database(url)
    migrate(database.engine)
    with database.session() as session:
        seed_demo(session, now=NOW)
        user = session.query(UserRow).filter(UserRow.username == "wangfang").one()
        principal = Principal(user.id, user.username, user.display_name, user.role, user.team_id)
        admin_id = session.query(UserRow.id).filter(UserRow.username == "admin").scalar()
        token, expires = issue_token(session, user, timedelta(days=1), NOW)
        agent = session.get(RoleRow, "agent")
        assert agent is not None
        permissions = frozenset(agent.permissions)

    async def scenario() -> None:
        here, there = AuthCache(), AuthCache()
        processes = [RevocationListener(database, here), RevocationListener(database, there)]
        for process in processes:
            await process.start()
        try:
            deadline = time.monotonic() + 10
            while not all(p.listening.is_set() for p in processes):
                assert time.monotonic() < deadline, "LISTEN not in place"
                await asyncio.sleep(0.02)
            for cache in (here, there):
                cache.put(token_digest(token), principal, expires, None, permissions)
            without = RoleIn(name="agent", permissions=sorted(permissions - {"kb.read"}))
            with database.session() as session:
                roles.update(session, "agent", without, user_id=admin_id, now=NOW, cache=here)
            assert here.get(token_digest(token)) is None
            assert await _gone(there, token_digest(token))
            with database.session() as session:
                read = roles.access_of(session, "agent", "agent")
            assert "kb.read" not in read.permissions
        finally:
            for process in processes:
                await process.stop()

    try:
        asyncio.run(scenario())
    finally:
        database.dispose()
