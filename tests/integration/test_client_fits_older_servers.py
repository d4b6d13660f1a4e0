"""A desk of contract 1.6 against a server before it (issue 27): the request fields 1.6 added
(the identity checks on an interaction and an address change) are left out of what is sent,
since an older server refuses a field it does not know and the write would be refused for
good. Against the real backend on loopback, with the server's contract as its header said."""

from __future__ import annotations

from datetime import UTC, datetime

from sync.client import ApiClient, fit_body
from sync.contract.version import CONTRACT, ContractVersion
from sync.routes import Operation
from tests.fakes.servers import LiveBackend

V1_5 = ContractVersion(1, 5)
CREATE = Operation("interaction", "create")


def a_call(customer_id: int) -> dict[str, object]:
    at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC).isoformat()
    return {
        "customer_id": customer_id,
        "kind": "call_in",
        "started_at": at,
        "ended_at": at,
        "checks": ["name", "address"],
    }


def test_the_fields_a_server_does_not_read_are_left_out() -> None:
    body = a_call(1)
    assert "checks" not in (fit_body(CREATE, body, V1_5) or {})
    assert fit_body(CREATE, body, CONTRACT) == body
    assert fit_body(Operation("customer", "update", 5), {"version": 1}, V1_5) == {"version": 1}
    patch = {"version": 1, "address": "x", "checks": ["address"]}
    assert fit_body(Operation("customer", "update", 5), patch, V1_5) == {
        "version": 1,
        "address": "x",
    }
    assert fit_body(Operation("ticket", "create"), {"checks": 1}, V1_5) == {"checks": 1}


def test_a_write_sent_to_an_older_server_leaves_the_checks_out(live_backend: LiveBackend) -> None:
    with ApiClient(live_backend.url) as client:
        client.login("wangfang", "demo1234")
        customer = client.lookup_customers("13800138000")[0]
        # This server reads them: sent.
        answer = client.perform(CREATE, a_call(customer.id), "fit-1")
        assert answer is not None
        assert answer["checks"] == ["name", "address"]
        # A 1.5 server's header: left out (this server would have stored them).
        client.server_contract = V1_5
        answer = client.perform(CREATE, a_call(customer.id), "fit-2")
        assert answer is not None
        assert answer["checks"] == []
    # A new client that has not heard the server yet asks once before it sends such a write.
    with ApiClient(live_backend.url) as fresh:
        fresh.login("wangfang", "demo1234")
        fresh.server_contract = None
        answer = fresh.perform(CREATE, a_call(customer.id), "fit-3")
        assert answer is not None
        assert answer["checks"] == ["name", "address"]
        assert fresh.server_contract == CONTRACT
