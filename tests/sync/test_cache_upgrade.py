"""The cache file upgrades in place (outbox kept); a damaged one's readable writes are exported
beside it and sent once; every write the desk sends has a route on the server."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from server_stub.core.config import ServerSettings
from server_stub.main import create_app
from sync import cache_steps
from sync.cache import open_cache
from sync.cache_schema import (
    CUSTOMER_OF,
    NUMBER_OF,
    SCHEMA_VERSION,
    TICKET_OF,
    UNSYNCED,
    metadata,
)
from sync.client import ApiClient
from sync.contract.wire import API_PREFIX
from sync.entities import WRITABLE
from sync.routes import CALLS, COLLECTIONS, Operation
from tests.sync.conftest import Floor
from tests.sync.test_faults import customer, team_of

OWNER = "http://server.example|wangfang"


def shape(path: Path) -> dict[str, Any]:
    """Tables, columns and indexes (with their expressions) of our tables in a file."""
    conn = sqlite3.connect(path)
    try:
        found: dict[str, Any] = {}
        for table in ("records", "phones", "outbox", "meta"):
            columns = conn.execute(f"PRAGMA table_info({table})").fetchall()
            indexes = {}
            for _seq, name, unique, _origin, partial in conn.execute(f"PRAGMA index_list({table})"):
                sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,))
                text = (sql.fetchone() or [None])[0]
                indexes[name] = ((unique, partial), " ".join(text.split()) if text else None)
            found[table] = ([c[1:] for c in columns], indexes)
        return found
    finally:
        conn.close()


def test_the_steps_build_the_tables_of_cache_schema(tmp_path: Path) -> None:
    opened = open_cache(tmp_path / "steps.sqlite", OWNER)
    opened.cache.close()
    engine = create_engine(f"sqlite:///{tmp_path / 'metadata.sqlite'}")
    metadata.create_all(engine)
    engine.dispose()
    built, declared = shape(tmp_path / "steps.sqlite"), shape(tmp_path / "metadata.sqlite")
    assert [t[0] for t in built.values()] == [t[0] for t in declared.values()]
    for table in built:  # index names, unique and partial flags; spelled by each side
        assert {n: u for n, (u, _s) in built[table][1].items()} == {
            n: u for n, (u, _s) in declared[table][1].items()
        }
    conn = sqlite3.connect(tmp_path / "steps.sqlite")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (f"SELECT id FROM records WHERE entity = ? AND {CUSTOMER_OF} = ?", "records_customer"),
        (f"SELECT id FROM records WHERE entity = 'task' AND {TICKET_OF} = ?", "records_ticket"),
        (f"SELECT id FROM records WHERE entity = 'ticket' AND {NUMBER_OF} = ?", "records_number"),
        (
            f"SELECT {NUMBER_OF} FROM records WHERE entity = ? "
            f"AND {NUMBER_OF} >= ? AND {NUMBER_OF} < ?",
            "records_number",
        ),
        (f"SELECT id FROM records WHERE state = 'conflict' AND {UNSYNCED}", "records_state"),
    ],
)
def test_the_partial_json_indexes_serve_the_queries(tmp_path: Path, query: str, index: str) -> None:
    """The indexes hold only records with the field, or not synced (schema 5); a comparison
    implies the first, the queries repeat the second: SQLite still searches them."""
    opened = open_cache(tmp_path / "plans.sqlite", OWNER)
    opened.cache.close()
    conn = sqlite3.connect(tmp_path / "plans.sqlite")
    try:
        params = (None,) * query.count("?")
        plan = " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {query}", params))
    finally:
        conn.close()
    assert f"SEARCH records USING INDEX {index}" in plan


LEGACY_OUTBOX = [  # (entity, record_id, op, method, path, payload) as release 8ec4242 queued them
    ("customer", -1, "create", "POST", "/customers", {"code": "C-NEW", "name": "新客户"}),
    ("ticket", 12, "update", "PATCH", "/tickets/12", {"summary": "报警 E-17"}),
    ("presence", None, "call", "PUT", "/presence/me", {"state": "ready"}),
    ("kb_view", None, "call", "POST", "/kb/articles/101/views", {"count": 1}),
    ("kb_feedback", None, "call", "POST", "/kb/articles/101/feedback", {"helpful": True}),
    ("kb_question", None, "call", "POST", "/kb/questions", {"text": "E-17?"}),
    ("kb_question", None, "call", "POST", "/kb/questions/5/answer", {"answer": "…"}),
    ("monitor", None, "call", "POST", "/monitor/3/end", {"reason": "ended"}),
    ("monitor", None, "call", "POST", "/monitor/refused", {"reason": "no grant"}),
    ("call", None, "call", "POST", "/somewhere/else", {}),
]


def version_3_cache(path: Path) -> None:
    """A file as releases 1335a9b … 8ec4242 wrote it: version in meta, outbox of URLs."""
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    for number in (1, 2, 3):
        cache_steps.STEPS[number](conn)
    conn.execute("PRAGMA user_version = 0")
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("schema_version", "3"), ("owner", OWNER), ("cursor", "77"), ("next_local_id", "-2")],
    )
    conn.execute(
        "INSERT INTO records VALUES ('ticket', 12, 3, ?, 'pending', 3, '{}', 0, '')",
        (json.dumps({"id": 12, "summary": "报警 E-17"}),),
    )
    for n, (entity, record_id, op, method, path_, payload) in enumerate(LEGACY_OUTBOX):
        conn.execute(
            "INSERT INTO outbox (entity, record_id, op, method, path, key, base_version, "
            "payload, state, error, error_code, attempts, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, NULL, ?, 'queued', '', '', 0, '2026-12-01T09:00:00')",
            (entity, record_id, op, method, path_, f"key-{n}", json.dumps(payload)),
        )
    conn.close()


def test_a_version_3_cache_is_upgraded_in_place_with_its_outbox(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    version_3_cache(path)
    opened = open_cache(path, OWNER)
    try:
        assert opened.notice is None
        assert opened.moved_to is None
        assert opened.cache.cursor() == 77  # records, cursor and local ids stay
        assert opened.cache.get("ticket", 12) is not None
        entries = opened.cache.outbox()
        assert [e.key for e in entries] == [f"key-{n}" for n in range(len(LEGACY_OUTBOX))]
        routes = [
            (e.operation.route().method, e.operation.route().path)
            for e in entries
            if e.state == "queued"
        ]
        # Each converted write goes exactly where the old release meant it to.
        assert routes == [(m, p) for _e, _r, _o, m, p, _b in LEGACY_OUTBOX[:-1]]
        assert [(e.op, e.target_id) for e in entries[2:9]] == [
            ("presence.set", None),
            ("kb.view", 101),
            ("kb.feedback", 101),
            ("kb.ask", None),
            ("kb.answer", 5),
            ("monitor.end", 3),
            ("monitor.refused", None),
        ]
        assert [e.payload for e in entries] == [b for *_x, b in LEGACY_OUTBOX]
        unknown = entries[-1]  # kept, not dropped: the agent sees it and decides
        assert (unknown.state, unknown.error_code) == ("failed", "unknown_operation")
        assert "/somewhere/else" in unknown.error
        assert opened.cache.meta_value("schema_version") is None
    finally:
        opened.cache.close()
    again = open_cache(path, OWNER)  # already current: nothing to do
    again.cache.close()
    assert again.notice is None


def damage_records(path: Path) -> None:
    """Overwrite pages of the records table and its indexes; the outbox stays readable."""
    conn = sqlite3.connect(path)
    pages = [
        n
        for (n,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name LIKE 'records%' AND pagetype = 'leaf'"
        )
    ]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert len(pages) > 4
    with path.open("r+b") as file:
        for page in pages[1:-1]:
            file.seek((page - 1) * size)
            file.write(b"\xde\xad" * (size // 2))


def test_a_damaged_caches_readable_writes_are_exported_and_sent_once(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    desk.sync()
    team = team_of(desk)
    desk.cache.create("customer", customer("RESCUE-1", team)).result()
    desk.cache.create("customer", customer("RESCUE-2", team)).result()
    first = desk.cache.outbox("queued")[0]
    with ApiClient(desk.proxy.url, token=desk.token) as client:
        # Sent, but the answer never came back: the server has it, the outbox still does too.
        client.perform(first.operation, desk.cache.body_for(first), first.key)
    desk.cache.call("presence.set", {"state": "ready", "reason": "", "sip_uri": ""}).result()
    desk.close()
    conn = sqlite3.connect(desk.path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    damage_records(desk.path)

    desk.open()
    opened = desk.opened
    assert opened.moved_to is not None
    assert opened.notice is not None
    assert ".damaged-" in opened.moved_to.name
    exported = opened.moved_to.with_name(opened.moved_to.name + ".outbox.json")
    assert str(exported) in opened.notice
    rows = json.loads(exported.read_text(encoding="utf-8"))["outbox"]
    assert [r["op"] for r in rows] == ["create", "create", "presence.set"]
    assert opened.replayed_writes == 3
    assert [e.key for e in desk.cache.outbox()] == [r["key"] for r in rows]  # the same keys
    desk.sync()
    assert desk.cache.counts().waiting == 0
    for code in ("RESCUE-1", "RESCUE-2"):
        on_server = floor.server("/customers", "wangfang", q=code)
        assert [c["code"] for c in on_server] == [code]  # exactly once
        shown = [r for r in desk.cache.all("customer") if r.data["code"] == code]
        assert [(r.id > 0, r.state) for r in shown] == [(True, "synced")]


def test_every_write_the_desk_sends_has_a_route_on_the_server(tmp_path: Path) -> None:
    app = create_app(ServerSettings(ServerSettings.sqlite_file(tmp_path / "s.sqlite")))
    served = {
        (method.upper(), path.removeprefix(API_PREFIX))
        for path, methods in app.openapi()["paths"].items()
        for method in methods
    }

    def template(operation: Operation) -> tuple[str, str]:
        route = operation.route()
        return route.method, route.path.replace("/7", "/{id}")

    sent = {template(Operation(e, "create")) for e in COLLECTIONS}
    sent |= {template(Operation(e, "update", 7)) for e in COLLECTIONS}
    sent |= {template(Operation(e, "delete", 7)) for e in COLLECTIONS if WRITABLE[e].deletable}
    sent |= {template(Operation(c.entity, op, None, 7)) for op, c in CALLS.items()}
    normalised = {
        (m, "/".join("{id}" if part.startswith("{") else part for part in p.split("/")))
        for m, p in served
    }
    assert sent - normalised == set()
    assert set(COLLECTIONS) == set(WRITABLE)


def outbox_columns(conn: sqlite3.Connection) -> list[tuple[str, str, int, int]]:
    return [(r[1], r[2], r[3], r[5]) for r in conn.execute("PRAGMA table_info(outbox)")]


def test_the_outbox_of_version_1_and_of_version_4_differ_only_in_their_routing(
    tmp_path: Path,
) -> None:
    conn = sqlite3.connect(tmp_path / "steps.sqlite")
    conn.isolation_level = None
    cache_steps.STEPS[1](conn)
    first = outbox_columns(conn)
    assert [name for name, *_ in first] == [
        "seq", "entity", "record_id", "op", "method", "path", "key", "base_version", "payload",
        "state", "error", "error_field", "error_code", "attempts", "created_at",
    ]  # fmt: skip
    assert ("path", "VARCHAR(200)", 1, 0) in first
    for number in (2, 3, 4):
        cache_steps.STEPS[number](conn)
    fourth = outbox_columns(conn)
    assert tuple(name for name, *_ in fourth) == cache_steps.OUTBOX_V4_COLUMNS
    routing = {"op", "method", "path", "target_id"}
    assert [c for c in first if c[0] not in routing] == [c for c in fourth if c[0] not in routing]
    assert ("op", "VARCHAR(24)", 1, 0) in fourth
    conn.close()
