"""Data outlives versions: a server database and a desk cache made by the previous release
(8ec4242, run from its own source in a child process), the desk holding unsent writes; this
release upgrades both, and every record and every write survives and reaches the server once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from server_stub.__main__ import main as agent_server
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import SchemaError, check
from sync.cache import open_cache
from sync.client import ApiClient
from sync.engine import SyncEngine
from tests.fakes.ports import free_port
from tests.fakes.releases import unpack_previous_release
from tests.fakes.servers import LiveBackend

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]  # two releases as processes


# Run by the previous release's code: seed its server, pull a desk, then write offline.
PREVIOUS_DESK = """
import json, sys
from pathlib import Path
import requests
from sync.cache import open_cache
from sync.client import ApiClient
from sync.engine import SyncEngine
from tests.fakes.servers import LiveBackend

db, cache_path, port = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
backend = LiveBackend(db, port=port)
login = {"username": "wangfang", "password": "demo1234"}
token = requests.post(f"{backend.url}/api/v1/auth/login", json=login, timeout=30).json()["token"]
opened = open_cache(cache_path, f"{backend.url}|wangfang")
cache = opened.cache
SyncEngine(cache, lambda: ApiClient(backend.url, token=token)).run_once()
team = next(r.data["team_id"] for r in cache.all("customer"))
ticket = next(r for r in cache.all("ticket") if r.data["status"] != "closed")
article = next(r.id for r in cache.all("article"))
# Offline from here: nothing below is sent by this release.
cache.create("customer", {"code": "UPGRADE-1", "name": "升级客户", "team_id": team,
                          "contacts": []}).result()
cache.update("ticket", ticket.id, {"summary": "升级前写的 / written before the upgrade"}).result()
cache.call("PUT", "/presence/me", {"state": "ready", "reason": "", "sip_uri": ""},
           entity="presence").result()
cache.call("POST", f"/kb/articles/{article}/views", {"count": 1}, entity="kb_view").result()
cache.call("POST", f"/kb/articles/{article}/feedback", {"helpful": True},
           entity="kb_feedback").result()
cache.call("POST", "/kb/questions", {"text": "升级后还在吗？", "product_line": ""},
           entity="kb_question").result()
print(json.dumps({"ticket": ticket.id, "article": article, "records": cache.count(),
                  "keys": [e.key for e in cache.outbox()]}))
cache.close()
backend.stop()
"""


@pytest.fixture(scope="module")
def previous_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unpack_previous_release(tmp_path_factory.mktemp("previous"))


def run_previous(source: Path, db: Path, cache_path: Path, port: int) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    made = subprocess.run(
        [sys.executable, "-c", PREVIOUS_DESK, str(db), str(cache_path), str(port)],
        cwd=source,
        env={**env, "PYTHONPATH": str(source)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    return json.loads(made.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def row_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in tables
            if t != "alembic_version"
        }
    finally:
        conn.close()


def filled(added: dict[str, int], calls: int) -> dict[str, int]:
    """The new tables a migration filled, but the reports' marks (one per quarter hour
    holding calls, at most one per call)."""
    marks = added.get("report_dirty_slots", 0)
    assert 0 < marks <= calls
    return {t: n for t, n in added.items() if (n or t == "roles") and t != "report_dirty_slots"}


def test_a_previous_releases_server_and_desk_upgrade_and_every_write_arrives_once(
    previous_release: Path, tmp_path: Path
) -> None:
    db, cache_path, port = tmp_path / "server.sqlite", tmp_path / "cache.sqlite", free_port()
    before = run_previous(previous_release, db, cache_path, port)
    assert len(before["keys"]) == 6
    server_rows = row_counts(db)

    # The new server will not start on it until it is migrated, and says so.
    database = Database(ServerSettings.sqlite_file(db))
    with pytest.raises(SchemaError, match="--migrate"):
        check(database.engine)
    database.dispose()
    assert agent_server(["--database", str(db), "--migrate"]) == 0
    after_migration = row_counts(db)
    # Every record survives; tables added since start empty, but the roles (migration 0007
    # seeds the shipped ones: the users' permissions come from them; 0014 adds "qa") and the
    # reports' marks (0023 marks each quarter hour holding calls, recomputed before the first
    # report reads it).
    assert {t: n for t, n in after_migration.items() if t in server_rows} == server_rows
    added = {t: n for t, n in after_migration.items() if t not in server_rows}
    assert filled(added, server_rows["interactions"]) == {"roles": 6}

    # The owner names the server's address: the same port, as after a server upgrade.
    backend = LiveBackend(db, seed=False, port=port)
    try:
        url = backend.url
        opened = open_cache(cache_path, f"{url}|wangfang")
        cache = opened.cache
        try:
            assert opened.notice is None  # upgraded in place, nothing moved aside
            assert cache.count() == before["records"]
            assert [e.key for e in cache.outbox()] == before["keys"]
            token = requests.post(
                f"{url}/api/v1/auth/login",
                json={"username": "wangfang", "password": "demo1234"},
                timeout=30,
            ).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}

            def get(path: str, **params: Any) -> Any:
                answer = requests.get(f"{url}/api/v1{path}", params=params, headers=headers)
                answer.raise_for_status()
                return answer.json()

            article = before["article"]
            counts_before = get("/kb/counts", ids=article)["articles"][0]
            engine = SyncEngine(cache, lambda: ApiClient(url, token=token))
            engine.run_once()
            engine.run_once()  # a second round sends nothing again
            assert cache.counts() == cache.counts().__class__(0, 0, 0)

            assert [c["code"] for c in get("/customers", q="UPGRADE-1")] == ["UPGRADE-1"]
            ticket = get(f"/tickets/{before['ticket']}")
            assert ticket["summary"] == "升级前写的 / written before the upgrade"
            assert get("/presence/me")["state"] == "ready"
            counts_after = get("/kb/counts", ids=article)["articles"][0]
            assert counts_after["views"] == counts_before["views"] + 1
            assert counts_after["helpful"] == counts_before["helpful"] + 1
            asked = [q for q in get("/kb/questions") if q["text"] == "升级后还在吗？"]
            assert len(asked) == 1
            mine = [r for r in cache.all("customer") if r.data["code"] == "UPGRADE-1"]
            assert [(r.id > 0, r.state) for r in mine] == [(True, "synced")]
        finally:
            cache.close()
    finally:
        backend.stop()
