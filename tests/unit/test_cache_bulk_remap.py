"""A batch's accepted creates are recorded together (``LocalCache.push_succeeded_many``): the
file ends exactly as when each answer is recorded on its own, in order; every queued write
and every unsynced record that named one of their local ids names the server's instead."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sync.cache import LocalCache, OutboxEntry, local_refs, open_cache
from sync.clock import ManualClock

PHONE = "13800138000"


def customer(n: int) -> dict[str, Any]:
    contact = {"name": f"客户 {n}", "phone": f"1380013{n:04d}"}
    return {"code": f"C-{n:03d}", "name": f"客户 {n}", "team_id": 1, "contacts": [contact]}


def queue_desk(cache: LocalCache, customers: int) -> dict[str, list[int]]:
    """Offline work: customers, a ticket for each, a call naming both, an edit of each
    customer and a ticket that names a customer already on the server (id 7)."""
    made: dict[str, list[int]] = {"customer": [], "ticket": [], "interaction": []}
    for n in range(customers):
        cid = cache.create("customer", customer(n)).result(timeout=5)
        tid = cache.create(
            "ticket", {"customer_id": cid, "category": "fault", "summary": "报警"}
        ).result(timeout=5)
        call = {
            "customer_id": cid,
            "kind": "call_in",
            "started_at": "2026-12-01T08:00:00+00:00",
            "ticket_ids": [tid],
        }
        iid = cache.create("interaction", call).result(timeout=5)
        cache.update("customer", cid, {"name": f"客户 {n} 改"}).result(timeout=5)
        made["customer"].append(cid)
        made["ticket"].append(tid)
        made["interaction"].append(iid)
    cache.create("ticket", {"customer_id": 7, "category": "billing", "summary": "账单"}).result(
        timeout=5
    )
    return made


def answer(entry: OutboxEntry, server_id: int) -> dict[str, Any]:
    return {**(entry.payload or {}), "id": server_id, "version": 1}


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything the file holds, but the outbox's random keys and instants."""
    db = sqlite3.connect(path)
    try:
        return {
            "records": db.execute("SELECT * FROM records ORDER BY entity, id").fetchall(),
            "outbox": db.execute(
                "SELECT seq, entity, record_id, op, target_id, base_version, payload, state "
                "FROM outbox ORDER BY seq"
            ).fetchall(),
            "phones": db.execute("SELECT * FROM phones ORDER BY e164, customer_id").fetchall(),
            "meta": db.execute("SELECT * FROM meta ORDER BY key").fetchall(),
        }
    finally:
        db.close()


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[LocalCache, LocalCache]]:
    # One instant for both files: a new ticket's clocks are stamped with it.
    clock = ManualClock(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    monkeypatch.setattr("sync.entities.system_clock", lambda: clock)
    monkeypatch.setattr("sync.cache.system_clock", lambda: clock)
    one = open_cache(tmp_path / "one.sqlite", "test|agent").cache
    other = open_cache(tmp_path / "other.sqlite", "test|agent").cache
    yield one, other
    one.close()
    other.close()


def test_a_batch_of_creates_recorded_together_ends_as_one_by_one(
    two: tuple[LocalCache, LocalCache],
) -> None:
    together, alone = two
    heard: dict[str, list[list[tuple[str, int]]]] = {"together": [], "alone": []}
    together.on_records_changed(heard["together"].append)
    alone.on_records_changed(heard["alone"].append)
    for cache in two:
        queue_desk(cache, 6)
    for calls in heard.values():
        calls.clear()  # the answers' notices only
    # The batch the engine would send first: every create that names no local record.
    batch = [e for e in together.outbox("queued") if e.op == "create" and not local_refs(e.payload)]
    assert [e.entity for e in batch] == ["customer"] * 6 + ["ticket"]
    ids = {e.seq: 100 + n for n, e in enumerate(batch)}
    together.push_succeeded_many([(e, answer(e, ids[e.seq])) for e in batch]).result(timeout=5)
    for entry in [e for e in alone.outbox("queued") if e.seq in ids]:
        alone.push_succeeded(entry, answer(entry, ids[entry.seq])).result(timeout=5)

    assert dump(together.path) == dump(alone.path)
    assert [item for call in heard["together"] for item in call] == [
        item for call in heard["alone"] for item in call
    ]
    assert len(heard["together"]) == 1  # one change notice for the batch


def test_dependents_queued_behind_a_batch_name_the_server_ids(tmp_path: Path) -> None:
    cache = open_cache(tmp_path / "c.sqlite", "test|agent").cache
    try:
        made = queue_desk(cache, 5)
        first = [e for e in cache.outbox("queued") if e.op == "create" and e.entity == "customer"]
        server = {local: 500 + n for n, local in enumerate(made["customer"])}
        answered: list[tuple[OutboxEntry, dict[str, Any] | None]] = [
            (e, answer(e, server[e.record_id or 0])) for e in first
        ]
        cache.push_succeeded_many(answered).result(timeout=5)

        tickets = [e for e in cache.outbox("queued") if e.entity == "ticket" and e.op == "create"]
        assert [(e.payload or {})["customer_id"] for e in tickets] == [*server.values(), 7]
        assert all(not cache.blocked(e) for e in tickets)  # sendable now
        calls = [e for e in cache.outbox("queued") if e.entity == "interaction"]
        for call, cid, tid in zip(calls, server.values(), made["ticket"], strict=True):
            assert (call.payload or {})["customer_id"] == cid
            assert (call.payload or {})["ticket_ids"] == [tid]  # its ticket is still local
            assert cache.blocked(call)  # and waits for it
        edits = [e for e in cache.outbox("queued") if e.op == "update"]
        assert [e.record_id for e in edits] == list(server.values())
        for local, cid in server.items():
            assert cache.get("customer", local) is None
            record = cache.get("customer", cid)
            assert record is not None
            assert record.state == "pending"
            assert record.data["name"].endswith("改")  # laid over the server's answer
        shown = cache.get("ticket", made["ticket"][0])
        assert shown is not None
        assert shown.data["customer_id"] == 500

        # The tickets' turn: the calls then name only server ids, and nothing local is left.
        server_tickets = {e.record_id: 900 + n for n, e in enumerate(tickets)}
        cache.push_succeeded_many(
            [(e, answer(e, server_tickets[e.record_id])) for e in tickets]
        ).result(timeout=5)
        calls = [e for e in cache.outbox("queued") if e.entity == "interaction"]
        assert [(e.payload or {})["ticket_ids"] for e in calls] == [[900 + n] for n in range(5)]
        assert all(local_refs(e.payload) == [] and not cache.blocked(e) for e in calls)
        db = sqlite3.connect(cache.path)
        try:
            phones = db.execute("SELECT customer_id FROM phones ORDER BY customer_id").fetchall()
        finally:
            db.close()
        assert [p for (p,) in phones] == list(server.values())  # the screen pop follows
    finally:
        cache.close()
