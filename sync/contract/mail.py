"""The email channel (contract 1.8, issue 22): what a desk sends to answer a ticket by email,
and what it reads of a ticket's mails.

A team's mailbox is read and written by the server (``server_stub.channels``); a desk never
speaks IMAP or SMTP. The agent's reply travels through the desk's outbox as a call
(``sync.routes.CALLS["email.reply"]``) to ``EMAIL_REPLIES``: the server adds the ticket
number to the subject, threads it (In-Reply-To / References of the customer's last mail),
gives it our Message-ID and sends it from the team's mailbox. A server before 1.8 has no
such route: the desk does not offer the reply there (it says why).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from sync.contract.wire import Attachment, LongText, Plain, WireModel

EMAIL_REPLIES = "/tickets/{id}/email-replies"  # POST: the agent's reply (EmailReplyIn)
TICKET_EMAILS = "/tickets/{id}/emails"  # GET: the ticket's mails, oldest first

# A reply's subject; the server puts "[<ticket number>]" in front when it is not there.
Subject = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Plain
]
# A reply's text: a long answer fits, a pasted log file does not.
ReplyBody = Annotated[str, StringConstraints(min_length=1, max_length=20_000), Plain]


class MailDirection(StrEnum):
    IN = "in"  # from the customer
    OUT = "out"  # our reply


class MailStatus(StrEnum):
    """Where a mail stands. Incoming: taken (on a ticket), ignored (an auto-reply, a loop, a
    sender over the rate limit, a duplicate: kept for the record, no ticket touched) or
    refused (unreadable: the ticket or the log says why). Outgoing: queued until the
    server's mail round sends it, sent, or failed (tried again a few times, then left with
    the reason)."""

    TAKEN = "taken"
    IGNORED = "ignored"
    REFUSED = "refused"
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class EmailReplyIn(WireModel):
    """The agent's answer to an email ticket. ``to`` empty: the address of the customer's
    last mail on the ticket (the usual case)."""

    subject: Subject
    body: ReplyBody
    to: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254), Plain] = ""
    # The desk's template, for the record ("" = typed freely).
    template: Annotated[str, StringConstraints(max_length=40), Plain] = ""


class EmailOut(WireModel):
    """One mail of a ticket, as the desk shows it in the ticket's history."""

    id: int
    ticket_id: int | None
    interaction_id: int | None = None
    direction: MailDirection
    status: MailStatus
    sender: str
    recipient: str = ""
    subject: str
    body: LongText = ""
    message_id: str
    at: datetime
    # Why a mail was ignored, refused or failed; what was done about odd encodings.
    note: str = ""
    attachments: list[Attachment] = Field(default_factory=list)
