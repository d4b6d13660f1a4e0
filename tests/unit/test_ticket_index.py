"""TicketIndex: which ticket rows a change touches, and the diff the list model applies."""

from __future__ import annotations

from dataclasses import replace

from agent_desktop.services.ticket_index import TicketDiff, TicketIndex
from sync.work_views import TicketLine


def line(ticket_id: int, customer_id: int = 1, **changes: object) -> TicketLine:
    base = TicketLine(
        id=ticket_id,
        number=f"SR-{ticket_id:05d}",
        customer_id=customer_id,
        customer=f"customer {customer_id}",
        summary="pump alarm",
        status="new",
        priority="P3",
        category="fault.alarm",
        complaint=False,
        handler_id=7,
        handler="王芳",
        opened_at=None,
        sla_due_at=None,
        resolve_due_at=None,
        escalation_level=0,
        serial="SN-1",
        model="IP-300",
        state="synced",
        asset_id=100 + customer_id,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_referenced_record_finds_only_the_tickets_that_show_it() -> None:
    index = TicketIndex()
    index.reset([line(1, customer_id=1), line(2, customer_id=1), line(3, customer_id=2)])
    assert index.affected([("customer", 1)]) == {1, 2}
    assert index.affected([("asset", 102)]) == {3}
    assert index.affected([("user", 7)]) == {1, 2, 3}
    assert index.affected([("customer", 99), ("interaction", 1)]) == set()
    assert index.affected([("ticket", 5)]) == {5}  # maybe new: read it to know


def test_the_diff_names_new_changed_and_gone_rows_and_leaves_out_the_unchanged() -> None:
    index = TicketIndex()
    index.reset([line(1), line(2), line(3)])
    renamed = line(2, customer="客户 新名")
    diff = index.diff({1, 2, 3, 4}, [line(1), renamed, line(4)])
    assert diff == TicketDiff(inserted=(line(4),), updated=(renamed,), removed=(3,))
    assert len(diff) == 3
    assert diff
    assert not index.diff({1}, [line(1)])  # the customer's phone changed: nothing shown did
    assert len(index) == 3


def test_a_ticket_moved_to_another_customer_is_found_under_the_new_one_only() -> None:
    index = TicketIndex()
    index.reset([line(1, customer_id=1)])
    index.diff({1}, [line(1, customer_id=2, asset_id=None)])
    assert index.affected([("customer", 1)]) == set()
    assert index.affected([("customer", 2)]) == {1}
    assert index.affected([("asset", 101)]) == set()
    index.diff({1}, [])
    assert index.affected([("customer", 2)]) == set()
