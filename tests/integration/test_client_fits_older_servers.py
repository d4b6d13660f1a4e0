"""A desk of contract 1.6 against a server before it (issue 27): the request fields 1.6 added
(the identity checks on an interaction and an address change) are left out of what is sent,
since an older server refuses a field it does not know and the write would be refused for
good. Against the real backend on loopback, with the server's contract as its header said."""

from __future__ import annotations

from datetime import UTC, datetime

from sync.client import ApiClient, fit_body
from sync.contract.version import CONTRACT, ContractVersion
from sync.contract.wire import InteractionOut
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


def test_an_interaction_names_its_recording_to_a_1_7_server_only(
    live_backend: LiveBackend,
) -> None:
    """Contract 1.7: the call's recording id goes with its interaction, stored and read back;
    a 1.6 server is not sent it (it would refuse the whole write)."""
    recording = "0123456789abcdef0123456789abcdef"
    body = {**a_call(1), "recording_id": recording}
    assert "recording_id" not in (fit_body(CREATE, body, ContractVersion(1, 6)) or {})
    with ApiClient(live_backend.url) as client:
        client.login("wangfang", "demo1234")
        customer = client.lookup_customers("13800138000")[0]
        answer = client.perform(CREATE, {**body, "customer_id": customer.id}, "rec-1")
        assert answer is not None
        assert answer["recording_id"] == recording
        path = f"/customers/{customer.id}/interactions"
        stored = [i for i in client.read_list(path, InteractionOut) if i.id == answer["id"]]
        assert [i.recording_id for i in stored] == [recording]
        client.server_contract = ContractVersion(1, 6)
        answer = client.perform(CREATE, {**body, "customer_id": customer.id}, "rec-2")
        assert answer is not None
        assert answer["recording_id"] is None


def test_an_interaction_carries_its_report_fields_to_a_1_8_server_only(
    live_backend: LiveBackend,
) -> None:
    """Contract 1.8 (reports): wrap-up seconds, transfers and the product line go with the
    call to a 1.8 server, stored and read back; a 1.7 server is not sent them."""
    extra = {"wrap_up_s": 42, "transfers": 1, "product_line": "Printers"}
    body = {**a_call(1), **extra}
    assert fit_body(CREATE, body, ContractVersion(1, 7)) == a_call(1)
    with ApiClient(live_backend.url) as client:
        client.login("wangfang", "demo1234")
        customer = client.lookup_customers("13800138000")[0]
        answer = client.perform(CREATE, {**body, "customer_id": customer.id}, "rpt-1")
        assert answer is not None
        assert {k: answer[k] for k in extra} == extra
        client.server_contract = ContractVersion(1, 7)
        answer = client.perform(CREATE, {**body, "customer_id": customer.id}, "rpt-2")
        assert answer is not None
        assert {k: answer[k] for k in extra} == {"wrap_up_s": 0, "transfers": 0, "product_line": ""}
