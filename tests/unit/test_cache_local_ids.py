"""Local ids a desk held on to after the server replaced them: a call's record written after
its ticket was pushed, a form saved after the push. The cache maps them to the server's ids,
so nothing waits forever on a record that no longer exists under that id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.cache import LocalCache, local_refs, open_cache

TICKET = {"customer_id": 7, "category": "fault", "summary": "报警"}


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[LocalCache]:
    opened = open_cache(tmp_path / "c.sqlite", "test|agent")
    yield opened.cache
    opened.cache.close()


def pushed(cache: LocalCache, local_id: int, server_id: int) -> None:
    [entry] = [e for e in cache.outbox() if e.record_id == local_id and e.op == "create"]
    answer = {**TICKET, "id": server_id, "version": 1, "number": "SR-1", "status": "new"}
    cache.push_succeeded(entry, answer).result(timeout=5)


def test_a_record_written_later_with_the_old_local_id_refers_to_the_server_id(
    cache: LocalCache,
) -> None:
    local = cache.create("ticket", TICKET).result(timeout=5)
    pushed(cache, local, 42)
    # The call's record was built in memory while the ticket was still local.
    call = {"customer_id": 7, "kind": "call_in", "started_at": "2026-12-01T08:00:00+00:00",
            "ticket_ids": [local, 42]}  # fmt: skip
    cache.create("interaction", call).result(timeout=5)
    [entry] = [e for e in cache.outbox() if e.entity == "interaction"]
    body = cache.body_for(entry)
    assert body is not None
    assert body["ticket_ids"] == [42]  # the server's id, once
    assert local_refs(body) == []  # so it waits for nothing
    assert not cache.blocked(entry)


def test_an_edit_by_the_old_local_id_goes_to_the_server_record(cache: LocalCache) -> None:
    local = cache.create("ticket", TICKET).result(timeout=5)
    pushed(cache, local, 42)
    cache.update("ticket", local, {"summary": "报警 E-17"}).result(timeout=5)
    record = cache.get("ticket", 42)
    assert record is not None
    assert record.data["summary"] == "报警 E-17"
    [entry] = [e for e in cache.outbox() if e.op == "update"]
    assert (entry.record_id, entry.operation.route().path) == (42, "/tickets/42")


def test_resending_a_record_made_here_does_not_apply_its_edits_twice(cache: LocalCache) -> None:
    task = {"kind": "callback", "customer_id": 7, "due_at": "2026-12-01T09:00:00+00:00"}
    local = cache.create("task", task).result(timeout=5)
    for _ in range(2):
        cache.update("task", local, {"outcome_code": "no_answer", "status": "open"}).result(5)
    record = cache.get("task", local)
    assert record is not None
    assert record.data["attempts"] == 2
    [create] = [e for e in cache.outbox() if e.op == "create"]
    cache.push_failed(create, "no such customer", "customer_id", "bad_field").result(timeout=5)
    cache.resend(create.seq, None).result(timeout=5)  # corrected and sent again
    record = cache.get("task", local)
    assert record is not None
    assert record.data["attempts"] == 2  # not 4: the edits are laid on the create once
    assert record.state == "pending"
