"""Cache rows read as the wire's typed records (sync.shown): a record made on this desk, not
sent yet, lacks what only the server fills in; a newer server's fields and kinds are read
around; neither keeps the agent from the record."""

from __future__ import annotations

from datetime import date

from sync.contract.records import DispatchMethod, TaskStatus, TicketStatus
from sync.contract.wire import CustomerOut, DispatchOut, TaskOut, TicketOut
from sync.entities import WRITABLE
from sync.shown import EPOCH, shown


def test_a_ticket_made_here_reads_with_placeholders_for_what_the_server_fills_in() -> None:
    kind = WRITABLE["ticket"]
    made = {"customer_id": -3, "category": "fault", "summary": "报警", "priority": "P2"}
    data = {**kind.as_stored(kind.as_created(made)), "id": -7, "version": 0}
    ticket = shown(TicketOut, data)
    assert (ticket.id, ticket.customer_id, ticket.version) == (-7, -3, 0)
    assert ticket.status is TicketStatus.NEW
    assert ticket.team_id == 0  # the server's to decide
    assert ticket.updated_at == EPOCH
    assert ticket.resolve_due_at is not None


def test_a_customer_made_here_has_contacts_without_ids_yet() -> None:
    kind = WRITABLE["customer"]
    made = {"code": "C-1", "name": "新客户", "team_id": 2,
            "contacts": [{"name": "王芳", "phone": "138 0013 8000"}]}  # fmt: skip
    customer = shown(CustomerOut, {**kind.as_stored(kind.as_created(made)), "id": -1})
    [contact] = customer.contacts
    assert (contact.id, contact.phone_e164, contact.kind) == (0, "+8613800138000", "mobile")
    assert customer.contacts == shown(CustomerOut, customer.model_dump(mode="json")).contacts


def test_a_task_made_here_is_open() -> None:
    task = shown(TaskOut, {"id": -2, "kind": "callback", "customer_id": 7,
                           "due_at": "2026-12-01T09:00:00+08:00"})  # fmt: skip
    assert (task.status, task.attempts, task.outcome) == (TaskStatus.OPEN, 0, "")


def test_fields_and_kinds_of_a_newer_server_are_read_around() -> None:
    data = {
        "id": 5, "ticket_id": 9, "team_id": 1, "technician": "李工",
        "window_start": "2026-12-01T09:00:00+08:00", "window_end": "2026-12-01T11:00:00+08:00",
        "method": "drone", "status": "planned", "cause": "", "resolution": "", "notes": "",
        "previous_dispatch_id": None, "version": 3, "updated_at": "2026-12-01T08:00:00+00:00",
        "added_later": {"x": 1}, "parts_used": [{"name": "滤芯", "quantity": "many"}],
    }  # fmt: skip
    dispatch = shown(DispatchOut, data)
    assert dispatch.method is DispatchMethod.ON_SITE  # a kind this release does not know
    assert dispatch.technician == "李工"
    assert dispatch.parts_used[0].name == "滤芯"
    assert dispatch.window_start.date() == date(2026, 12, 1)
