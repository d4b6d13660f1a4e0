"""A server without the batch route (before contract 1.2, or one that has not said which it
speaks): the desk's first batch gets the server's own 404, and the same offline work then goes
one request per write — every write once, in order, creates before the writes that name them,
and no batch is tried again on that connection. Against the real backend on loopback, the 404
made by the proxy sending the batch to a path the backend does not serve."""

from __future__ import annotations

import pytest

from tests.fakes.proxy import BATCH
from tests.sync.conftest import Floor

pytestmark = pytest.mark.slow


def test_offline_work_reaches_a_server_without_batches_once_each_in_order(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    desk.sync()
    team = next(iter(desk.records("customer").values()))["team_id"]
    desk.proxy.break_route("POST", BATCH, "missing")
    contact = {"name": "王芳", "phone": "13900130001"}
    new = {"code": "NB-1", "name": "无批量", "team_id": team, "contacts": [contact]}
    cid = desk.cache.create("customer", new).result(timeout=5)
    tid = desk.cache.create(
        "ticket", {"customer_id": cid, "category": "fault", "summary": "监护仪报警"}
    ).result(timeout=5)
    call = {"customer_id": cid, "kind": "call_in", "started_at": "2026-12-01T08:00:00+00:00",
            "ticket_ids": [tid]}  # fmt: skip
    desk.cache.create("interaction", call).result(timeout=5)
    desk.cache.update("customer", cid, {"name": "无批量 改"}).result(timeout=5)
    desk.cache.update("ticket", tid, {"summary": "监护仪报警 已查"}).result(timeout=5)

    desk.sync()

    writes = desk.proxy.writes()
    assert writes[0] == ("POST", BATCH, 404)  # tried once; the server's own 404
    assert [w[:2] for w in writes[1:3]] == [
        ("POST", "/api/v1/customers"),
        ("POST", "/api/v1/tickets"),
    ]
    assert [w[0] for w in writes[1:]] == ["POST", "POST", "POST", "PATCH", "PATCH"]
    assert all(status < 300 for _m, _p, status in writes[1:])
    assert desk.cache.outbox() == []
    assert desk.engine.status.failed == 0

    desk.sync()  # the server's records come back through the feed, with server ids
    [customer] = [c for c in desk.records("customer").values() if c["code"] == "NB-1"]
    assert customer["name"] == "无批量 改"
    on_server = [c["name"] for c in floor.server("/customers", q="NB-1") if c["code"] == "NB-1"]
    assert on_server == ["无批量 改"]  # once, edited
    [ticket] = [t for t in desk.records("ticket").values() if t["customer_id"] == customer["id"]]
    assert ticket["summary"] == "监护仪报警 已查"
    [logged] = [
        i for i in desk.records("interaction").values() if i.get("customer_id") == customer["id"]
    ]
    assert logged["ticket_ids"] == [ticket["id"]]

    # The next write goes singly at once: no batch is tried again on this connection.
    desk.cache.update("ticket", ticket["id"], {"summary": "监护仪报警 已修"}).result(timeout=5)
    desk.sync()
    assert desk.proxy.writes()[len(writes) :][0][:2] == ("PATCH", f"/api/v1/tickets/{ticket['id']}")
    assert ("POST", BATCH, 404) not in desk.proxy.writes()[len(writes) :]
