"""SIGKILL in the middle of a pull and in the middle of a push: on restart the cache is
consistent, the cursor is right, and no write is lost or doubled."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from server_stub.models import CustomerRow
from sync.cache import open_cache
from tests.fakes.servers import LiveBackend
from tests.fakes.sync_child import spawn as child
from tests.fakes.waiting import wait_until
from tests.sync.conftest import login

pytestmark = pytest.mark.slow


@pytest.fixture
def big_backend(tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(tmp_path / "server.sqlite", scale_customers=6000)
    yield server
    server.stop()


def kill_when(process: subprocess.Popen[str], ready: Callable[[], bool], delay_s: float) -> bool:
    """SIGKILL the child ``delay_s`` after ``ready()``; False if it finished first.

    The delays spread the kills over what the child does between two commits: waiting for a
    page, applying it (a page of 400 takes tens of milliseconds), sending a write."""
    try:
        wait_until(
            lambda: process.poll() is not None or ready(),
            60,
            "the child to finish or reach the point to kill it",
            interval_s=0.005,
        )
    except AssertionError:
        process.kill()
        raise
    if process.poll() is not None:
        return False
    # deliberate: the staggered delay is what is tested (where, between two commits, the
    # kill lands), not a wait for anything; bounded by the callers' delays (at most 45 ms).
    time.sleep(delay_s)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    return True


def cache_cursor(path: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'cursor'").fetchone()
            return int(row[0]) if row else 0
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def feed_state(url: str, token: str, upto: int) -> dict[tuple[str, int], int]:
    """What a cache holding everything up to ``upto`` must contain: (entity, id) → version."""
    state: dict[tuple[str, int], int] = {}
    after = 0
    while True:
        page = requests.get(
            f"{url}/api/v1/changes",
            params={"after": after, "limit": 1000},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        for change in page["changes"]:
            if change["seq"] > upto:
                return state
            key = (change["entity"], change["id"])
            if change["op"] == "delete":
                state.pop(key, None)
            else:
                state[key] = change["version"]
        after = page["cursor"]
        if not page["has_more"]:
            return state


def cache_state(path: Path, owner: str) -> tuple[dict[tuple[str, int], int], int, Any]:
    opened = open_cache(path, owner)
    assert opened.notice is None, opened.notice  # consistent: opened as it is
    cache = opened.cache
    try:
        state = {
            (r.entity, r.id): r.version
            for entity in (
                "customer",
                "ticket",
                "asset",
                "article",
                "user",
                "team",
                "interaction",
                "dispatch",
                "task",
                "question",
                "queue",
                "presence",
                "campaign",
            )
            for r in cache.all(entity)
        }
        return state, cache.cursor(), cache.counts()
    finally:
        cache.close()


def test_killed_while_pulling_restarts_consistent_and_finishes(
    big_backend: LiveBackend, tmp_path: Path
) -> None:
    token = login(big_backend.url, "wangfang")
    path = tmp_path / "desk" / "cache.sqlite"
    owner = f"{big_backend.url}|wangfang"
    open_cache(path, owner).cache.close()
    kills = 0
    for attempt in range(4):
        before = cache_cursor(path)
        # Page by page from the feed: a snapshot is one transaction (killed below).
        process = child(path, owner, big_backend.url, token, 400, snapshots=False)
        ready = lambda before=before: cache_cursor(path) > before  # type: ignore[misc]  # noqa: E731
        if kill_when(process, ready, delay_s=0.015 * attempt):
            kills += 1
            state, cursor, _ = cache_state(path, owner)
            assert cursor > before
            assert state == feed_state(big_backend.url, token, cursor), f"after kill {attempt}"
        else:
            assert process.returncode == 0, process.stderr.read()  # type: ignore[union-attr]
            break
    assert kills >= 2
    process = child(path, owner, big_backend.url, token, 400)
    assert process.wait(timeout=120) == 0, process.stderr.read()  # type: ignore[union-attr]
    state, cursor, _ = cache_state(path, owner)
    assert state == feed_state(big_backend.url, token, cursor)
    assert sum(1 for e, _ in state if e == "customer") > 3000  # the team's half of 6,000


def test_killed_while_loading_a_snapshot_restarts_consistent_and_finishes(
    big_backend: LiveBackend, tmp_path: Path
) -> None:
    """The first sync by snapshot is downloaded, checked, then loaded in one transaction: a
    kill at any point leaves the cache empty at cursor 0 or whole at the snapshot's cursor."""
    token = login(big_backend.url, "wangfang")
    path = tmp_path / "desk" / "cache.sqlite"
    owner = f"{big_backend.url}|wangfang"
    open_cache(path, owner).cache.close()
    scratch = path.parent
    kills = 0
    for attempt in range(4):
        process = child(path, owner, big_backend.url, token, 400)
        # Once something besides the cache appears in its folder (the download) or the file
        # grows, the child is inside the snapshot's steps; the delays spread the kills over them.
        size = path.stat().st_size
        started = lambda size=size: (  # type: ignore[misc]  # noqa: E731
            len(list(scratch.iterdir())) > 3 or path.stat().st_size > size
        )
        if not kill_when(process, started, delay_s=0.05 * attempt):
            assert process.returncode == 0, process.stderr.read()  # type: ignore[union-attr]
            break
        kills += 1
        state, cursor, _ = cache_state(path, owner)
        if cursor == 0:
            assert state == {}, f"half a snapshot after kill {attempt}"
        else:
            assert state == feed_state(big_backend.url, token, cursor), f"after kill {attempt}"
    assert kills >= 1
    process = child(path, owner, big_backend.url, token, 400)
    assert process.wait(timeout=120) == 0, process.stderr.read()  # type: ignore[union-attr]
    state, cursor, _ = cache_state(path, owner)
    assert state == feed_state(big_backend.url, token, cursor)
    assert sum(1 for e, _ in state if e == "customer") > 3000


def test_killed_while_pushing_loses_and_doubles_nothing(
    big_backend: LiveBackend, tmp_path: Path
) -> None:
    token = login(big_backend.url, "wangfang")
    path = tmp_path / "desk" / "cache.sqlite"
    owner = f"{big_backend.url}|wangfang"
    cache = open_cache(path, owner).cache
    team = int(
        requests.get(
            f"{big_backend.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
        ).json()["user"]["team"]["id"]
    )
    codes = [f"KILL-{n:03d}" for n in range(150)]
    for code in codes:
        cache.create("customer", {"code": code, "name": f"客户 {code}", "team_id": team})
    cache.update("customer", -1, {"notes": "edited before the first push"}).result()
    cache.close()

    def on_server() -> int:
        with big_backend.database.session() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(CustomerRow)
                    .where(CustomerRow.code.like("KILL-%"))
                )
                or 0
            )

    kills = 0
    for n, target in enumerate((20, 60, 110)):
        process = child(path, owner, big_backend.url, token, 500)
        ready = lambda target=target: on_server() >= target  # type: ignore[misc]  # noqa: E731
        if kill_when(process, ready, delay_s=0.003 * n):
            kills += 1
    assert kills >= 2
    process = child(path, owner, big_backend.url, token, 500)
    assert process.wait(timeout=120) == 0, process.stderr.read()  # type: ignore[union-attr]
    with big_backend.database.session() as session:
        rows = session.execute(
            select(CustomerRow.code, CustomerRow.notes).where(CustomerRow.code.like("KILL-%"))
        ).all()
    assert sorted(code for code, _ in rows) == codes  # each exactly once
    assert dict(rows)["KILL-000"] == "edited before the first push"
    state, _cursor, counts = cache_state(path, owner)
    assert counts.waiting == counts.failed == counts.conflicts == 0
    assert not [key for key in state if key[1] < 0]  # every local id got the server's
