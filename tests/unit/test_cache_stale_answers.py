"""A push's answer older than the server's copy already in the cache (an idempotent replay of
an earlier write, or an answer that arrives after the feed brought a later edit) must not
overwrite it: the cache keeps the newer version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sync.cache import LocalCache, open_cache
from sync.contract.wire import ChangeOut

TICKET = {"customer_id": 7, "category": "fault", "summary": "报警", "number": "SR-20261201-7-0001"}


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[LocalCache]:
    opened = open_cache(tmp_path / "c.sqlite", "test|agent")
    yield opened.cache
    opened.cache.close()


def server_ticket(version: int, **fields: Any) -> dict[str, Any]:
    return {**TICKET, "id": 42, "version": version, "status": "new", **fields}


def pull(cache: LocalCache, seq: int, data: dict[str, Any]) -> None:
    change = ChangeOut(
        seq=seq, entity="ticket", id=data["id"], op="upsert", version=data["version"], data=data
    )
    cache.apply_changes([change], seq).result(timeout=5)


def test_an_edit_answered_after_the_feed_brought_a_later_one_keeps_the_later(
    cache: LocalCache,
) -> None:
    pull(cache, 1, server_ticket(1))
    cache.update("ticket", 42, {"summary": "报警 E-17"}).result(timeout=5)
    [entry] = cache.outbox()
    # Our edit became version 2; a lead's edit made version 3, and the feed brought it first.
    pull(cache, 2, server_ticket(3, summary="报警 E-17", status="in_progress"))
    cache.push_succeeded(entry, server_ticket(2, summary="报警 E-17")).result(timeout=5)
    record = cache.get("ticket", 42)
    assert record is not None
    assert (record.version, record.state) == (3, "synced")
    assert record.data["status"] == "in_progress"
    assert cache.outbox() == []


def test_a_replayed_answer_of_an_older_write_does_not_undo_a_newer_copy(
    cache: LocalCache,
) -> None:
    pull(cache, 1, server_ticket(1))
    cache.update("ticket", 42, {"summary": "第一次"}).result(timeout=5)
    first = cache.outbox()[0]
    # The server took it as version 2, a later edit as version 4; the feed has brought that.
    pull(cache, 2, server_ticket(4, summary="第一次", status="resolved"))
    # The first write's retry gets the stored answer of its key: version 2.
    cache.push_succeeded(first, server_ticket(2, summary="第一次")).result(timeout=5)
    record = cache.get("ticket", 42)
    assert record is not None
    assert (record.version, record.data["status"]) == (4, "resolved")


def test_waiting_edits_stay_on_top_of_the_newer_copy(cache: LocalCache) -> None:
    pull(cache, 1, server_ticket(1))
    cache.update("ticket", 42, {"summary": "一"}).result(timeout=5)
    cache.update("ticket", 42, {"content": "二"}).result(timeout=5)
    first = cache.outbox()[0]
    pull(cache, 2, server_ticket(3, summary="一", status="in_progress"))
    cache.push_succeeded(first, server_ticket(2, summary="一")).result(timeout=5)
    record = cache.get("ticket", 42)
    assert record is not None
    assert record.version == 3  # the base the second edit is sent on
    assert record.state == "pending"
    assert (record.data["status"], record.data["content"]) == ("in_progress", "二")


def test_a_create_answered_after_the_feed_brought_a_later_edit_keeps_the_edit(
    cache: LocalCache,
) -> None:
    local = cache.create("ticket", TICKET).result(timeout=5)
    [entry] = cache.outbox()
    pull(cache, 1, server_ticket(2, status="in_progress"))  # created as 1, edited as 2
    cache.push_succeeded(entry, server_ticket(1)).result(timeout=5)
    assert cache.get("ticket", local) is None
    record = cache.get("ticket", 42)
    assert record is not None
    assert (record.version, record.data["status"]) == (2, "in_progress")


def test_a_newer_answer_still_wins(cache: LocalCache) -> None:
    pull(cache, 1, server_ticket(1))
    cache.update("ticket", 42, {"summary": "新"}).result(timeout=5)
    [entry] = cache.outbox()
    cache.push_succeeded(entry, server_ticket(2, summary="新")).result(timeout=5)
    record = cache.get("ticket", 42)
    assert record is not None
    assert (record.version, record.data["summary"], record.state) == (2, "新", "synced")
