"""One deadline and one threshold for "SLA due" (issue 19): a P1 ticket with 59 min left is
flagged in the 360, as the Tickets list colours it, whether or not it is a complaint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sync.contract.records import Priority
from sync.contract.rules import (
    SLA_DUE_WITHIN,
    resolution_deadline,
    sla_due_soon,
    ticket_deadline,
)
from sync.contract.wire import CustomerOut, TicketOut
from sync.customer_view import FlagKind, _flags
from tests.fakes.customers import customer

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def p1_ticket(left: timedelta, complaint: bool = False, status: str = "in_progress") -> TicketOut:
    opened = NOW + left - (resolution_deadline(Priority.P1, NOW) - NOW)
    return TicketOut.model_validate(
        {
            "id": 7, "number": "SR-20261123-3-7", "customer_id": 1, "team_id": 1,
            "handler_id": 3, "channel": "phone", "urgency": "high", "priority": "P1",
            "category": "device/fault", "source": "phone", "status": status,
            "summary": "监护仪黑屏", "content": "", "complaint": complaint, "article_ids": [],
            "opened_at": opened.isoformat(), "closed_at": None, "escalation_level": 0,
            "sla_due_at": None, "version": 1, "updated_at": NOW.isoformat(),
            "resolve_due_at": (NOW + left).isoformat(),
        }
    )  # fmt: skip


def flags_for(ticket: TicketOut) -> list[FlagKind]:
    person = CustomerOut.model_validate(customer(1, "王先生", [("王先生", "+8613800000000", "")]))
    return [f.kind for f in _flags(person, [], [ticket], [], {}, NOW)]


def test_a_p1_with_59_minutes_left_is_flagged_sla_due_in_the_360() -> None:
    assert flags_for(p1_ticket(timedelta(minutes=59))) == [FlagKind.SLA_BREACHING]


def test_the_flag_follows_the_one_threshold_and_turns_breached_past_the_deadline() -> None:
    assert flags_for(p1_ticket(SLA_DUE_WITHIN + timedelta(minutes=1))) == []
    assert flags_for(p1_ticket(SLA_DUE_WITHIN)) == [FlagKind.SLA_BREACHING]
    assert flags_for(p1_ticket(timedelta(0))) == [FlagKind.SLA_BREACHED]
    assert flags_for(p1_ticket(-timedelta(hours=8))) == [FlagKind.SLA_BREACHED]
    assert flags_for(p1_ticket(timedelta(minutes=59), status="resolved")) == []


def test_the_deadline_is_the_earlier_clock_and_the_response_clock_stops_for_the_customer() -> None:
    response, resolve = NOW + timedelta(hours=1), NOW + timedelta(hours=3)
    assert ticket_deadline("in_progress", response, resolve) == response
    assert ticket_deadline("waiting_customer", response, resolve) == resolve
    assert ticket_deadline("new", None, None) is None
    assert sla_due_soon(NOW + timedelta(minutes=59), NOW)
    assert not sla_due_soon(NOW - timedelta(minutes=1), NOW)
