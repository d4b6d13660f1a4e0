"""The notices a ticket's customer gets by SMS: the engineer's visit window when a visit is
planned, the survey link when the ticket is resolved. Sent to the ticket's contact's phone
(else the customer's first mobile contact), in the customer's language; queued in the write's
transaction (``notices.queue_notice``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.models import ContactRow, CustomerRow, DispatchRow, TicketRow
from server_stub.sms.notices import Notice, queue_notice
from sync.contract.rules import CENTRE_ZONE


def _recipient(session: Session, ticket: TicketRow) -> tuple[str, str] | None:
    """(phone, language) of whom a ticket's notices go to, or None (no mobile on file)."""
    customer = session.get(CustomerRow, ticket.customer_id)
    if customer is None:
        return None
    contact = session.get(ContactRow, ticket.contact_id) if ticket.contact_id else None
    if contact is None or contact.kind != "mobile":
        contact = session.scalar(
            select(ContactRow)
            .where(ContactRow.customer_id == customer.id, ContactRow.kind == "mobile")
            .order_by(ContactRow.id)
        )
    if contact is None or not contact.phone_e164:
        return None
    return contact.phone_e164, customer.language or "zh"


def _local(moment: datetime, form: str) -> str:
    return moment.astimezone(ZoneInfo(CENTRE_ZONE)).strftime(form)


def visit_planned(session: Session, ticket: TicketRow, visit: DispatchRow, now: datetime) -> None:
    to = _recipient(session, ticket)
    if to is None:
        return
    window = f"{_local(visit.window_start, '%Y-%m-%d %H:%M')}-{_local(visit.window_end, '%H:%M')}"
    queue_notice(
        session,
        to[0],
        Notice.VISIT,
        to[1],
        now,
        number=ticket.number,
        engineer=visit.technician,
        window=window,
    )


def resolved(session: Session, ticket: TicketRow, portal_url: str, now: datetime) -> None:
    to = _recipient(session, ticket)
    if to is None:
        return
    link = f"{portal_url.rstrip('/')}/portal/tickets/{ticket.number}"
    queue_notice(session, to[0], Notice.SURVEY, to[1], now, number=ticket.number, link=link)
