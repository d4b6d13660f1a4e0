"""The email channel's routes (contract 1.8, issue 22): an agent's reply to a ticket, queued
for the team mailbox's next round (``server_stub.channels.email_channel``), and the
ticket's mails for its history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.api.deps import Caller, DbSession, Now, check_team, require
from server_stub.api.interaction_writes import insert_interactions
from server_stub.api.routes.common import IdPath, bad_field, get_or_404
from server_stub.api.routes.tickets import history
from server_stub.api.writes import write
from server_stub.channels.email_channel import our_message_id
from server_stub.channels.email_parse import clean_text
from server_stub.channels.mail_settings import MailboxSettings
from server_stub.clock import utc
from server_stub.feed import audit
from server_stub.models import ContactRow, MailMessageRow, TicketRow
from sync.contract.mail import EmailOut, EmailReplyIn, MailDirection, MailStatus
from sync.contract.records import InteractionKind
from sync.contract.wire import Attachment, InteractionIn

router = APIRouter(tags=["email"])
_ADDRESS_MAX = 254
_REFERENCES_KEPT = 20


def _mailbox(request: Request, team_id: int) -> MailboxSettings:
    for mailbox in request.app.state.settings.mailboxes:
        if mailbox.team_id == team_id:
            return mailbox  # type: ignore[no-any-return]
    raise bad_field("ticket", "the ticket's team has no mailbox on this server: no email is sent")


def _last_inbound(session: Session, ticket_id: int) -> MailMessageRow | None:
    return session.scalar(
        select(MailMessageRow)
        .where(
            MailMessageRow.ticket_id == ticket_id,
            MailMessageRow.direction == MailDirection.IN.value,
        )
        .order_by(MailMessageRow.id.desc())
        .limit(1)
    )


def _recipient(
    session: Session, body: EmailReplyIn, ticket: TicketRow, last: MailMessageRow | None
) -> str:
    address = body.to or (last.sender if last is not None else "")
    if not address and ticket.contact_id is not None:
        contact = session.get(ContactRow, ticket.contact_id)
        address = contact.email if contact is not None else ""
    address = address.strip()
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or len(address) > _ADDRESS_MAX or " " in address:
        raise bad_field("to", "no email address to send to: give one, or answer a customer's mail")
    return address


def _subject(number: str, subject: str) -> str:
    """The ticket's number in front, once: the customer's answer comes back to this ticket."""
    return subject if number in subject else f"[{number}] {subject}"[:300]


@router.post("/tickets/{ticket_id}/email-replies", status_code=201, response_model=EmailOut)
def reply_by_email(
    ticket_id: IdPath,
    body: EmailReplyIn,
    request: Request,
    caller: Annotated[Caller, Depends(require("interaction.create"))],
    session: DbSession,
    clock: Now,
) -> Response:
    ticket = get_or_404(session, TicketRow, ticket_id, "ticket")
    check_team(session, caller, ticket.team_id, "ticket.update", request.url.path, clock.now())
    mailbox = _mailbox(request, ticket.team_id)
    last = _last_inbound(session, ticket.id)
    recipient = _recipient(session, body, ticket, last)
    text, _ = clean_text(body.body)

    def perform(now):  # type: ignore[no-untyped-def]
        references = []
        if last is not None:
            references = [*last.references.split(), last.message_id][-_REFERENCES_KEPT:]
        subject = _subject(ticket.number, body.subject)
        interaction = InteractionIn(
            customer_id=ticket.customer_id,
            kind=InteractionKind.EMAIL,
            started_at=now,
            ended_at=now,
            answered_at=now,
            remote_number=recipient[:60],
            queue="email",
            disposition="sent",
            notes=f"{subject}\n\n{text}"[:20_000],
            ticket_ids=[ticket.id],
        )
        (recorded,), _ = insert_interactions(
            session.connection(), [(interaction, ticket.team_id)], caller.user.id, now
        )
        row = MailMessageRow(
            mailbox=mailbox.name,
            direction=MailDirection.OUT.value,
            status=MailStatus.QUEUED.value,
            message_id=our_message_id(mailbox),
            in_reply_to=last.message_id if last is not None else "",
            references=" ".join(references),
            team_id=ticket.team_id,
            ticket_id=ticket.id,
            interaction_id=recorded.id,
            user_id=caller.user.id,
            sender=mailbox.address,
            recipient=recipient,
            subject=subject,
            body=text,
            note=f"template {body.template}" if body.template else "",
            attachments=[],
            at=now,
        )
        session.add(row)
        history(
            session,
            ticket.id,
            caller.user.id,
            now,
            [("email_out", None, f"{recipient}: {subject}"[:500])],
        )
        session.flush()
        # Every reply is audited, whoever sends it (write() audits only leads' and admins'):
        # it is the centre speaking to a customer.
        audit(
            session,
            user_id=caller.user.id,
            action="email.queued",
            target=f"ticket:{ticket.number}",
            allowed=True,
            now=now,
            detail=f"mail {row.id} to {recipient}; template {body.template or '-'}",
        )
        return 201, email_out(row)

    return write(request, session, caller, clock, body, perform)


def email_out(row: MailMessageRow) -> EmailOut:
    return EmailOut(
        id=row.id,
        ticket_id=row.ticket_id,
        interaction_id=row.interaction_id,
        direction=MailDirection(row.direction),
        status=MailStatus(row.status),
        sender=row.sender,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body[:20_000],
        message_id=row.message_id,
        at=utc(row.at),
        note=row.note,
        attachments=[Attachment(name=a["name"], size=a["size"]) for a in row.attachments],
    )


@router.get("/tickets/{ticket_id}/emails", response_model=list[EmailOut])
def ticket_emails(
    ticket_id: IdPath,
    request: Request,
    caller: Annotated[Caller, Depends(require("ticket.read"))],
    session: DbSession,
    clock: Now,
) -> list[EmailOut]:
    ticket = get_or_404(session, TicketRow, ticket_id, "ticket")
    check_team(session, caller, ticket.team_id, "ticket.read", request.url.path, clock.now())
    rows = session.scalars(
        select(MailMessageRow)
        .where(MailMessageRow.ticket_id == ticket_id)
        .order_by(MailMessageRow.id)
        .limit(500)
    )
    return [email_out(r) for r in rows]
