"""A customer's message from any channel becomes work: it joins its ticket or opens one in
the team's queue, it is matched to the customer who sent it, and it is recorded as an
interaction of the channel's kind (the 360's timeline and the ticket's history show it).

The adapter has found the thread it answers, when its medium threads (email's
In-Reply-To); here the ticket numbers the customer quoted are checked, the sender is looked
up among the team's contacts, and an unknown sender gets a customer record of their own so
the ticket has one (the agent may merge it later).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server_stub.api.interaction_writes import insert_interactions
from server_stub.api.routes.tickets import history
from server_stub.channels.base import INTERACTION_OF, InboundMessage
from server_stub.feed import audit, record_change
from server_stub.models import ContactRow, CustomerRow, TeamRow, TicketRow, UserRow
from server_stub.serialize import customer_out, ticket_out
from server_stub.sla import start_clock
from sync.contract.records import Channel, InteractionKind, Priority, Role, TicketStatus
from sync.contract.rules import centre_day, is_open
from sync.contract.sla import SlaPolicies, resolution_due
from sync.contract.wire import InteractionIn

# A new ticket from a channel: its category until the agent sorts it (a desk-settings code).
INTAKE_CATEGORY = "general"
_NOTES_MAX = 20_000


@dataclass(frozen=True, slots=True)
class Intake:
    ticket_id: int
    ticket_number: str
    customer_id: int
    interaction_id: int
    opened: bool  # a new ticket (False: joined an existing one)


def quoted_ticket(session: Session, message: InboundMessage) -> TicketRow | None:
    """The first ticket number the customer quoted that is one of the team's tickets."""
    for number in message.ticket_numbers:
        row = session.scalar(select(TicketRow).where(TicketRow.number == number))
        if row is not None and row.team_id == message.team_id:
            return row
    return None


def match_customer(session: Session, message: InboundMessage) -> tuple[int, int | None] | None:
    """(customer, contact) whose contact has the sender's address, in the message's team: the
    email address for mail, the E.164 number for SMS (and a portal login by phone)."""
    if not message.sender:
        return None
    by_phone = message.channel in (Channel.SMS, Channel.WEB) and message.sender.startswith("+")
    address = (
        ContactRow.phone_e164 == message.sender
        if by_phone
        else func.lower(ContactRow.email) == message.sender.lower()
    )
    found = session.execute(
        select(ContactRow.customer_id, ContactRow.id)
        .join(CustomerRow, CustomerRow.id == ContactRow.customer_id)
        .where(address, CustomerRow.team_id == message.team_id)
        .order_by(ContactRow.id)
        .limit(1)
    ).first()
    return None if found is None else (found[0], found[1])


def _new_customer(session: Session, message: InboundMessage, now: datetime) -> tuple[int, int]:
    name = (message.sender_name or message.sender or "?")[:200]
    row = CustomerRow(
        code=f"pending-{uuid.uuid4().hex[:24]}",  # unique across processes until renamed
        name=name,
        team_id=message.team_id,
        preferred_channel=message.channel.value,
        notes=f"Created from a {message.channel.value} message of {message.sender}."[:2000],
        updated_at=now,
    )
    session.add(row)
    session.flush()
    row.code = f"C{message.channel.value[:2].upper()}{row.id:07d}"
    by_phone = message.sender.startswith("+")
    contact = ContactRow(
        customer_id=row.id,
        name=name,
        phone_e164=message.sender[:20] if by_phone else "",
        email="" if by_phone else message.sender[:200],
    )
    session.add(contact)
    session.flush()
    session.refresh(row)
    record_change(session, "customer", customer_out(row), team_id=row.team_id, now=now)
    return row.id, contact.id


def _owner(session: Session, ticket: TicketRow | None, team_id: int) -> int:
    """Whom the interaction of an incoming message is put on (it needs an agent): the agent
    holding the ticket, else the team's lead, else an admin."""
    if ticket is not None and ticket.handler_id is not None:
        return ticket.handler_id
    team = session.get(TeamRow, team_id)
    if team is not None and team.lead_id is not None:
        return team.lead_id
    admin = session.scalar(
        select(UserRow.id).where(UserRow.role == Role.ADMIN.value).order_by(UserRow.id).limit(1)
    )
    if admin is None:
        raise LookupError("no lead for the team and no admin to hold the message")
    return admin


def _open_ticket(
    session: Session,
    message: InboundMessage,
    customer: tuple[int, int | None],
    policies: SlaPolicies,
    now: datetime,
) -> TicketRow:
    row = TicketRow(
        number=f"pending-{uuid.uuid4().hex[:24]}",
        customer_id=customer[0],
        contact_id=customer[1],
        team_id=message.team_id,
        handler_id=None,  # the team's queue
        channel=message.channel.value,
        priority=Priority.P3.value,
        category=INTAKE_CATEGORY,
        source=message.channel.value,
        status=TicketStatus.NEW.value,
        summary=(message.subject.strip() or message.text.strip()[:80] or "(no subject)")[:200],
        content=message.text[:_NOTES_MAX],
        attachments=[{"name": f.name, "size": len(f.data)} for f in message.files][:20],
        resolve_due_at=resolution_due(policies, Priority.P3, INTAKE_CATEGORY, now),
        opened_at=now,
        updated_at=now,
    )
    start_clock(row, policies, now)
    session.add(row)
    session.flush()
    row.number = f"SR-{centre_day(now):%Y%m%d}-{row.id:06d}"
    session.flush()
    history(session, row.id, None, now, [("created", None, row.number)])
    return row


def take_in(
    session: Session,
    message: InboundMessage,
    *,
    thread: TicketRow | None,
    policies: SlaPolicies,
    now: datetime,
) -> Intake:
    """Put the message on its ticket (``thread``: the one its medium says it answers; else a
    quoted number; else a new ticket) and record it. Runs inside the caller's transaction."""
    ticket = thread or quoted_ticket(session, message)
    known = match_customer(session, message)
    opened = ticket is None
    if ticket is None:
        customer = known or _new_customer(session, message, now)
        ticket = _open_ticket(session, message, customer, policies, now)
    else:
        changes: list[tuple[str, str | None, str | None]] = [
            (f"{message.channel.value}_in", None, f"{message.sender}: {message.subject}"[:500])
        ]
        if not is_open(TicketStatus(ticket.status)) or ticket.status == TicketStatus.RESOLVED:
            # The customer wrote again about a ticket we thought done: it is work again.
            changes.append(("status", ticket.status, TicketStatus.IN_PROGRESS.value))
            ticket.status = TicketStatus.IN_PROGRESS.value
            ticket.closed_at = None
        if message.files:
            ticket.attachments = [
                *ticket.attachments,
                *({"name": f.name, "size": len(f.data)} for f in message.files),
            ][:20]
        ticket.updated_at = now
        history(session, ticket.id, None, now, changes)
    for note in message.notes:
        history(session, ticket.id, None, now, [("note", None, note[:2000])])
    session.flush()
    record_change(session, "ticket", ticket_out(ticket), team_id=ticket.team_id, now=now)
    kind = INTERACTION_OF.get(message.channel, InteractionKind.WEB)
    body = InteractionIn(
        customer_id=ticket.customer_id,
        kind=kind,
        started_at=now,
        ended_at=now,
        remote_number=message.sender[:60],
        queue=message.channel.value,
        disposition="received",
        notes=f"{message.subject}\n\n{message.text}"[:_NOTES_MAX],
        ticket_ids=[ticket.id],
    )
    (interaction,), _ = insert_interactions(
        session.connection(), [(body, ticket.team_id)], _owner(session, ticket, ticket.team_id), now
    )
    audit(
        session,
        user_id=None,
        action=f"{message.channel.value}.received",
        target=f"ticket:{ticket.number}",
        allowed=True,
        now=now,
        detail=f"from {message.sender}; {'opened' if opened else 'joined'}",
    )
    return Intake(ticket.id, ticket.number, ticket.customer_id, interaction.id, opened)
