"""First sync from the server's snapshot, against the real backend on loopback (SQLite, and
PostgreSQL in the slow suite): the same records the feed gives, the changes after it by the
feed, and the feed whenever the snapshot cannot be used."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import text

from server_stub.core.config import ServerSettings
from server_stub.snapshots import _KEEPER_LOCK_ID, SnapshotKeeper, SnapshotStore
from sync.cache import open_cache
from sync.client import ApiClient
from sync.contract import snapshot as contract
from sync.engine import SyncEngine
from sync.snapshot import SnapshotUnavailable, first_sync
from sync.snapshot_load import SnapshotRefused
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until
from tests.sync.conftest import Desk, Floor, login

SNAPSHOT = f"/api/v1{contract.SNAPSHOT_ROUTE}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveBackend]:
    """Overrides the SQLite-only backend of tests/sync/conftest.py."""
    if request.param == "sqlite":
        url = ServerSettings.sqlite_file(tmp_path / "server.sqlite")
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.create_database(f"snap_{tmp_path.name[-20:]}".replace("-", "_"))
    # Its own folder: the default is named by the database's URL, which a later run's
    # temporary path repeats, and that run found this one's files (CI: a sidecar already
    # rewritten to the older format).
    live = LiveBackend(database_url=url, snapshot_dir=tmp_path / "snapshots")
    yield live
    live.stop()


def store(floor: Floor) -> SnapshotStore:
    return floor.backend.app.state.snapshots  # type: ignore[no-any-return]


def write(floor: Floor, method: str, path: str, user: str, body: dict[str, Any]) -> Any:
    answer = requests.request(
        method,
        f"{floor.backend.url}/api/v1{path}",
        json=body,
        headers={"Authorization": f"Bearer {login(floor.backend.url, user)}"},
        timeout=10,
    )
    assert answer.status_code < 300, answer.text
    return answer.json() if answer.content else None


def team_of(floor: Floor, user: str) -> int:
    return int(floor.server("/me", user)["user"]["team"]["id"])


def customer(floor: Floor, user: str, code: str) -> dict[str, Any]:
    body = {
        "code": code,
        "name": "深圳市南山医院",
        "team_id": team_of(floor, user),
        "contacts": [
            {"name": "林医生", "phone": "0755-2655 3111 转 8001"},
            {"name": "Dr. Lin", "phone": "+86 139 2345 6789"},
        ],
    }
    return write(floor, "POST", "/customers", user, body)  # type: ignore[no-any-return]


def history(floor: Floor) -> dict[str, Any]:
    """Changes of every kind before any desk syncs: new, edited, deleted, moved away."""
    mine = customer(floor, "wangfang", "C-S-0001")
    edited = write(
        floor,
        "PATCH",
        f"/customers/{mine['id']}",
        "wangfang",
        {"version": mine["version"], "notes": "edited"},
    )
    doomed = customer(floor, "wangfang", "C-S-0002")
    write(floor, "DELETE", f"/customers/{doomed['id']}", "zhangwei", {"version": doomed["version"]})
    moved = customer(floor, "wangfang", "C-S-0003")
    write(
        floor,
        "PATCH",
        f"/customers/{moved['id']}",
        "admin",
        {"version": moved["version"], "team_id": team_of(floor, "lina")},
    )
    theirs = customer(floor, "lina", "C-S-0004")
    return {"edited": edited, "doomed": doomed, "moved": moved, "theirs": theirs}


def contents(desk: Desk) -> dict[str, Any]:
    """Everything a sync leaves in a cache but the outbox, comparable across files."""
    db = sqlite3.connect(desk.path)
    try:
        records = {
            (entity, record_id): (version, state, json_load(data))
            for entity, record_id, version, state, data in db.execute(
                "SELECT entity, id, version, state, data FROM records"
            )
        }
        phones = sorted(db.execute("SELECT e164, customer_id FROM phones"))
        indexes = sorted(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
        cursor = db.execute("SELECT value FROM meta WHERE key = 'cursor'").fetchone()
    finally:
        db.close()
    return {"records": records, "phones": phones, "indexes": indexes, "cursor": cursor}


def json_load(text: str) -> Any:
    return json.loads(text)


def feed_only(floor: Floor, user: str) -> Desk:
    desk = floor.desk(user)
    desk.engine = SyncEngine(
        desk.cache, lambda: ApiClient(desk.proxy.url, token=desk.token), snapshots=False
    )
    return desk


def test_a_new_desk_gets_exactly_what_the_feed_gives(floor: Floor) -> None:
    made = history(floor)
    by_feed = feed_only(floor, "wangfang")
    by_feed.sync()
    desk = floor.desk("wangfang")
    touched: list[tuple[str, int]] = []
    desk.cache.on_records_changed(touched.extend)
    desk.sync()

    assert desk.engine.snapshot is not None  # it did come by snapshot
    assert desk.engine.snapshot.records == desk.cache.count()
    assert contents(desk) == contents(by_feed)
    customers = desk.records("customer")
    assert customers[made["edited"]["id"]]["notes"] == "edited"
    assert made["doomed"]["id"] not in customers
    assert made["moved"]["id"] not in customers  # moved to another team: not this desk's
    assert made["theirs"]["id"] not in customers  # another team's
    assert {c["team_id"] for c in customers.values()} == {team_of(floor, "wangfang")}
    # Every record loaded is announced (the knowledge base indexes its articles from that).
    assert sorted(touched) == sorted(contents(desk)["records"])
    assert any(entity == "article" for entity, _ in touched)
    # The download was reported in bytes, for the first-sync progress bar.
    sizes = [s for s in desk.statuses if s.unit == "bytes"]
    assert sizes
    assert sizes[-1].done == sizes[-1].total == desk.engine.snapshot.size
    # Another team's desk has its own scope: their customer, not ours.
    lina = floor.desk("lina")
    lina.sync()
    assert lina.engine.snapshot is not None
    assert made["theirs"]["id"] in lina.records("customer")
    assert made["moved"]["id"] in lina.records("customer")
    assert made["edited"]["id"] not in lina.records("customer")
    by_feed_lina = feed_only(floor, "lina")
    by_feed_lina.sync()
    assert contents(lina) == contents(by_feed_lina)


def test_the_loaded_wal_is_checkpointed_aside(floor: Floor) -> None:
    history(floor)
    desk = floor.desk("wangfang")
    desk.sync()
    assert desk.engine.snapshot is not None
    # The load's commit left its pages in the WAL (no checkpoint on the desk's path); a thread
    # of the cache copies them into the file, and the records read the same meanwhile.
    wait_until(lambda: not any(t.is_alive() for t in desk.cache._checkpoints), 30, "the checkpoint")
    assert desk.cache._checkpoints
    db = sqlite3.connect(desk.path)
    try:
        _busy, frames, copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert frames == copied
    finally:
        db.close()
    assert len(contents(desk)["records"]) == desk.engine.snapshot.records


def test_changes_after_the_snapshot_arrive_by_the_feed(floor: Floor) -> None:
    first = floor.desk("wangfang")
    first.sync()
    built = first.engine.snapshot
    assert built is not None
    made = customer(floor, "wangfang", "C-S-0101")
    edited = write(
        floor,
        "PATCH",
        f"/customers/{made['id']}",
        "zhangwei",
        {"version": made["version"], "notes": "after the snapshot"},
    )
    later = floor.desk("zhangwei")  # same team: the same snapshot, older than the change
    later.sync()
    assert later.engine.snapshot is not None
    assert later.engine.snapshot.cursor == built.cursor
    assert store(floor).builds == 1
    assert later.records("customer")[made["id"]]["notes"] == "after the snapshot"
    assert later.cache.get("customer", made["id"]).version == edited["version"]  # type: ignore[union-attr]
    by_feed = feed_only(floor, "zhangwei")
    by_feed.sync()
    assert contents(later) == contents(by_feed)


def test_local_writes_survive_a_first_sync_by_snapshot(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    local = desk.cache.create(
        "customer", {"code": "C-S-LOCAL", "name": "本地", "team_id": team_of(floor, "wangfang")}
    ).result()
    with ApiClient(desk.proxy.url, token=desk.token) as client:
        desk.engine.pull(client)  # the pull alone: the outbox stays queued
    assert desk.engine.snapshot is not None
    assert [e.record_id for e in desk.cache.outbox("queued")] == [local]
    assert desk.cache.get("customer", local) is not None
    desk.sync()  # and then it is sent
    assert desk.cache.counts().waiting == 0


@pytest.mark.parametrize("fault", ["truncated", "cut", "corrupt", "http502"])
def test_a_broken_download_falls_back_to_the_feed(floor: Floor, fault: str) -> None:
    history(floor)
    desk = floor.desk("wangfang")
    desk.proxy.fail_next(fault)  # the first request of the sync is the snapshot's
    desk.sync()
    assert desk.engine.snapshot is None
    by_feed = feed_only(floor, "wangfang")
    by_feed.sync()
    assert contents(desk) == contents(by_feed)
    assert not list(desk.path.parent.glob("*.snapshot"))  # the unpacked file is gone


def test_an_older_server_without_the_route_falls_back_to_the_feed(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    desk.proxy.break_route("GET", SNAPSHOT, "missing")  # as a server of contract 1.1: 404
    desk.sync()
    assert desk.engine.snapshot is None
    assert desk.proxy.forwarded[0][1:] == (SNAPSHOT, 404)
    by_feed = feed_only(floor, "wangfang")
    by_feed.sync()
    assert contents(desk) == contents(by_feed)


def test_concurrent_requests_build_once_per_scope(floor: Floor) -> None:
    url = floor.backend.url
    tokens = [login(url, "wangfang") for _ in range(3)] + [login(url, "zhangwei")]
    answers: list[requests.Response] = []
    lock = threading.Lock()

    def fetch(token: str) -> None:
        answer = requests.get(
            f"{url}{SNAPSHOT}", headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=fetch, args=(tokens[n % 4],)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 16
    assert {a.status_code for a in answers} == {200}
    assert len({a.headers[contract.SHA256_HEADER] for a in answers}) == 1
    assert store(floor).builds == 1  # one team, one build, however many asked at once
    requests.get(
        f"{url}{SNAPSHOT}", headers={"Authorization": f"Bearer {login(url, 'lina')}"}, timeout=60
    ).raise_for_status()
    assert store(floor).builds == 2  # another team: another scope
    # Ranges are served (a resumable download), and the ETag is the sha256.
    part = requests.get(
        f"{url}{SNAPSHOT}",
        headers={"Authorization": f"Bearer {tokens[0]}", "Range": "bytes=0-99"},
        timeout=60,
    )
    assert part.status_code == 206
    assert part.content == answers[0].content[:100]
    assert answers[0].headers["ETag"] == f'"{answers[0].headers[contract.SHA256_HEADER]}"'


def test_a_stale_snapshot_is_rebuilt(floor: Floor) -> None:
    snapshots = store(floor)
    desk = floor.desk("wangfang")
    desk.sync()
    built = desk.engine.snapshot
    assert built is not None
    snapshots._max_changes = 0  # every change makes it stale
    customer(floor, "wangfang", "C-S-0201")
    later = floor.desk("zhangwei")
    later.sync()
    assert later.engine.snapshot is not None
    assert later.engine.snapshot.cursor > built.cursor
    assert snapshots.builds == 2


def test_a_file_of_an_older_format_left_on_disk_is_rebuilt_not_served(floor: Floor) -> None:
    snapshots = store(floor)
    first = floor.desk("wangfang")
    first.sync()
    assert first.engine.snapshot is not None
    assert snapshots.builds == 1
    # As a server before format 2 left it (its sidecar has no format), found after a restart.
    for sidecar in snapshots.directory.glob("*.json"):
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        del data["format"]
        sidecar.write_text(json.dumps(data), encoding="utf-8")
    snapshots._latest.clear()
    later = floor.desk("zhangwei")
    later.sync()
    assert later.engine.snapshot is not None  # by snapshot still: a new one, of this format
    assert snapshots.builds == 2
    assert contents(later)["phones"] == contents(first)["phones"]


def test_a_desk_stopped_mid_load_keeps_a_usable_cache_and_tries_again(
    floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sync.snapshot_load as loader

    real = loader._load

    def dies_before_the_commit(db: sqlite3.Connection, cursor: int, records: int) -> None:
        real(db, cursor, records)
        # Everything is written, nothing committed: a kill here loses all of it, as this does.
        assert db.execute("SELECT count(*) FROM records").fetchone()[0] > records
        raise SnapshotRefused("the desk died before the commit")

    desk = floor.desk("wangfang")
    local = desk.cache.create(
        "customer", {"code": "C-S-KEEP", "name": "保留", "team_id": team_of(floor, "wangfang")}
    ).result()
    before = contents(desk)
    monkeypatch.setattr(loader, "_load", dies_before_the_commit)
    with (
        ApiClient(desk.proxy.url, token=desk.token) as client,
        pytest.raises(SnapshotUnavailable, match="died before the commit"),
    ):
        first_sync(client, desk.cache)
    assert contents(desk) == before  # the cache as it was: empty, cursor 0, indexes there
    assert [e.record_id for e in desk.cache.outbox("queued")] == [local]
    monkeypatch.undo()
    desk.sync()  # the next try loads it, and the local write goes out after it
    assert desk.engine.snapshot is not None
    assert desk.cache.counts().waiting == 0
    assert "C-S-KEEP" in {c["code"] for c in desk.records("customer").values()}


def test_a_cache_that_pulled_before_takes_no_snapshot(floor: Floor, tmp_path: Path) -> None:
    desk = feed_only(floor, "wangfang")
    desk.sync()
    cursor = desk.cache.cursor()
    desk.close()
    floor.desks.remove(desk)
    reopened = open_cache(desk.path, f"{desk.proxy.url}|wangfang").cache
    try:
        engine = SyncEngine(reopened, lambda: ApiClient(desk.proxy.url, token=desk.token))
        with ApiClient(desk.proxy.url, token=desk.token) as client:
            engine.pull(client)
        assert engine.snapshot is None
        assert reopened.cursor() == cursor
        assert not [p for p in desk.proxy.forwarded if p[1] == SNAPSHOT]
    finally:
        reopened.close()


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def test_each_teams_snapshot_is_ready_before_its_first_desk_asks(
    request: pytest.FixtureRequest, tmp_path: Path, database: str
) -> None:
    """The keeper builds every scope's snapshot at start (each team's, a lead's, the admin's),
    so a scope's first new desk downloads at once instead of waiting for a build; on
    PostgreSQL a second server process on the same database skips the pass the first one
    holds."""
    if database == "sqlite":
        url = ServerSettings.sqlite_file(tmp_path / "server.sqlite")
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.create_database(f"keep_{tmp_path.name[-20:]}".replace("-", "_"))
    live = LiveBackend(database_url=url, snapshot_keep_ready_s=3600)
    try:
        keeper = live.app.state.snapshot_keeper
        snapshots: SnapshotStore = live.app.state.snapshots
        wait_until(lambda: keeper.passes >= 1, 60, "the keeper's first pass")
        scopes = snapshots.builds
        # The demo's two teams (their leads sit in the team they lead) and the admin's.
        assert [s.team_ids for s in keeper.scopes()] == [
            frozenset({1}),
            frozenset({2}),
            None,
        ]
        assert scopes == 3
        # Two teams' agents, a lead, the admin: no build on request.
        for user in ("wangfang", "lina", "zhangwei", "admin"):
            answer = requests.get(
                f"{live.url}{SNAPSHOT}",
                headers={"Authorization": f"Bearer {login(live.url, user)}"},
                timeout=60,
            )
            assert answer.status_code == 200
        assert snapshots.builds == scopes
        if database == "postgresql":
            with live.database.engine.connect() as holder:  # another process mid-pass
                holder.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _KEEPER_LOCK_ID})
                other = SnapshotKeeper(snapshots, live.database, 3600)
                assert asyncio.run(other.keep_ready()) is False
                holder.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _KEEPER_LOCK_ID})
    finally:
        live.stop()
