"""A desk's offline work pushed in batches against the real backend on loopback: creates and
the writes that name them (a customer, its ticket, a call naming both, an edit of the
customer). Each batch's created records are recorded together; every dependent write waits for
its record's create and is sent with the server's id; nothing leaves the desk with a local id."""

from __future__ import annotations

from typing import Any

import pytest

from sync.cache import local_refs
from sync.client import ApiClient, BatchItem, Outcome
from tests.sync.conftest import Floor

pytestmark = pytest.mark.slow


def test_creates_and_their_dependents_reach_the_server_with_server_ids(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    desk.sync()
    team = next(iter(desk.records("customer").values()))["team_id"]
    made = []
    for n in range(4):
        contact = {"name": f"离线 {n}", "phone": f"1390013{n:04d}"}
        new = {"code": f"BR-{n}", "name": f"离线 {n}", "team_id": team, "contacts": [contact]}
        cid = desk.cache.create("customer", new).result(timeout=5)
        ticket = {"customer_id": cid, "category": "fault", "summary": f"报警 {n}"}
        tid = desk.cache.create("ticket", ticket).result(timeout=5)
        call = {
            "customer_id": cid,
            "kind": "call_in",
            "started_at": "2026-12-01T08:00:00+00:00",
            "ticket_ids": [tid],
        }
        iid = desk.cache.create("interaction", call).result(timeout=5)
        desk.cache.update("customer", cid, {"name": f"离线 {n} 改"}).result(timeout=5)
        made.append((cid, tid, iid))

    client = ApiClient(desk.proxy.url, token=desk.token, timeout_s=10)
    client.health()
    batches: list[list[BatchItem]] = []
    send = client.perform_batch

    def seen(items: list[BatchItem]) -> list[Outcome]:
        batches.append(items)
        return send(items)

    client.perform_batch = seen  # type: ignore[method-assign]
    assert desk.engine.push(client) == 16
    client.close()

    sent = [item for batch in batches for item in batch]
    assert len(sent) == 16
    for item in sent:  # nothing left the desk with a local id
        assert local_refs(item.body) == []
        if item.operation.op != "create":  # a create's route names no id
            assert (item.operation.record_id or 0) > 0
        assert "/-" not in item.operation.route().path
    # Each dependent goes in a later batch than the create it names (a batch ends before it),
    # and independent writes share batches.
    assert len(batches) < len(sent)
    where = {id(item): n for n, batch in enumerate(batches) for item in batch}
    first = {(i.operation.entity, (i.body or {}).get("code") or (i.body or {}).get("summary")): i
             for i in sent if i.operation.op == "create"}  # fmt: skip
    for n in range(4):
        customer, ticket = first[("customer", f"BR-{n}")], first[("ticket", f"报警 {n}")]
        assert where[id(customer)] < where[id(ticket)]

    desk.sync()  # the server's records come back through the feed
    assert desk.cache.outbox() == []
    customers, tickets = desk.records("customer"), desk.records("ticket")
    calls = desk.records("interaction")
    assert all(
        i > 0 for entity in ("customer", "ticket", "interaction") for i in desk.records(entity)
    )
    for n in range(4):
        [customer] = [c for c in customers.values() if c["code"] == f"BR-{n}"]
        assert customer["name"] == f"离线 {n} 改"
        [ticket] = [t for t in tickets.values() if t["summary"] == f"报警 {n}"]
        assert ticket["customer_id"] == customer["id"]
        [call] = [c for c in calls.values() if c.get("ticket_ids") == [ticket["id"]]]
        assert call["customer_id"] == customer["id"]
    for record in desk.cache.all("customer"):
        assert record.state == "synced"
    server: Any = floor.server("/customers", "wangfang", limit=500)
    codes = [c["code"] for c in server if str(c["code"]).startswith("BR-")]
    assert sorted(codes) == [f"BR-{n}" for n in range(4)]  # each created once
