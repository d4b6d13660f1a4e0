"""The email adapter: a team mailbox read over IMAP and written over SMTP.

Each round (``MailRounds``, on the server's event loop, the blocking protocol work in a
thread) reads the mails after the last UID taken, at most ``batch`` of them, each in its own
transaction, then sends the replies waiting in the queue. IMAP is polled (``poll_s``): the
stdlib's imaplib has no IDLE before Python 3.14, and a poll every 30 s is well inside any
email service level. A broken connection is dropped and opened again next round.

Exactly once, across restarts and server processes: a mail is claimed by inserting its row
keyed by (mailbox, UIDVALIDITY, UID) in the transaction that puts it on a ticket; a second
process fails that insert and skips the mail; the read position moves in the same commit.
A new UIDVALIDITY reads the folder again from the start, and Message-IDs already taken are
ignored as duplicates.

What is never taken: automatic mail (``email_parse.automatic_reason``), our own mail coming
back (one of our Message-IDs, or From our own address), a sender over the hourly limit. They
are kept on record with the reason, and nothing answers them: no loop can start.
"""

from __future__ import annotations

import contextlib
import hashlib
import imaplib
import logging
import re
import smtplib
import ssl
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_stub.channels.base import DeliveryError, InboundMessage, OutboundMessage
from server_stub.channels.email_parse import MAX_MAIL_BYTES, ParsedMail, read_mail
from server_stub.channels.intake import take_in
from server_stub.channels.mail_settings import MailboxSettings
from server_stub.core.db import Database
from server_stub.feed import audit
from server_stub.models import (
    MailAttachmentRow,
    MailboxCursorRow,
    MailMessageRow,
    TicketRow,
)
from sync.contract.mail import MailDirection, MailStatus
from sync.contract.records import Channel
from sync.contract.sla import SlaPolicies

log = logging.getLogger(__name__)

# Our Message-IDs: <aw.<uuid>@<the team's domain>>; one coming back in is our own mail.
_OURS = re.compile(r"^<aw\.[0-9a-f]{32}@")
MAX_SEND_ATTEMPTS = 5
# A reply claimed longer ago than this and still "sending": its process died mid-send.
STUCK_SENDING = timedelta(minutes=10)
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")


def our_message_id(settings: MailboxSettings) -> str:
    return f"<aw.{uuid.uuid4().hex}@{settings.domain}>"


def tls_context(settings: MailboxSettings) -> ssl.SSLContext:
    """Certificates and host names verified; a private CA from ``ca_file``."""
    return ssl.create_default_context(cafile=settings.ca_file or None)


class ImapReader:
    """One IMAP connection, opened when needed and dropped on any error."""

    def __init__(self, settings: MailboxSettings) -> None:
        self._settings = settings
        self._imap: imaplib.IMAP4 | None = None

    def _connect(self) -> imaplib.IMAP4:
        s = self._settings
        if s.imap.security == "tls":
            imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                s.imap.host, s.imap.port, ssl_context=tls_context(s), timeout=s.timeout_s
            )
        else:
            imap = imaplib.IMAP4(s.imap.host, s.imap.port, timeout=s.timeout_s)
            if s.imap.security == "starttls":
                imap.starttls(tls_context(s))
        imap.login(s.username, s.password)
        return imap

    def close(self) -> None:
        if self._imap is not None:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                self._imap.logout()
            self._imap = None

    def open_folder(self) -> tuple[imaplib.IMAP4, int]:
        """The connection with the folder selected (read-only: we never change the customer's
        flags), and the folder's UIDVALIDITY."""
        if self._imap is None:
            self._imap = self._connect()
        imap = self._imap
        typ, _ = imap.select(self._settings.folder, readonly=True)
        if typ != "OK":
            raise imaplib.IMAP4.error(f"cannot select {self._settings.folder}")
        _typ, data = imap.status(self._settings.folder, "(UIDVALIDITY)")
        found = _UIDVALIDITY.search(data[0] if data and isinstance(data[0], bytes) else b"")
        if found is None:
            raise imaplib.IMAP4.error("the server gave no UIDVALIDITY")
        return imap, int(found.group(1))

    @staticmethod
    def uids_after(imap: imaplib.IMAP4, last_uid: int, limit: int) -> list[int]:
        _typ, data = imap.uid("SEARCH", f"UID {last_uid + 1}:*")
        uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) > last_uid)
        return uids[:limit]

    @staticmethod
    def fetch(imap: imaplib.IMAP4, uid: int) -> tuple[bytes, int]:
        """The mail (only its headers when it is over the size limit) and its size."""
        _typ, data = imap.uid("FETCH", str(uid), "(RFC822.SIZE)")
        head = data[0] if data and isinstance(data[0], bytes) else b""
        found = _SIZE.search(head)
        size = int(found.group(1)) if found else 0
        part = "BODY.PEEK[HEADER]" if size > MAX_MAIL_BYTES else "BODY.PEEK[]"
        _typ, data = imap.uid("FETCH", str(uid), f"({part})")
        for item in data or []:
            if isinstance(item, tuple) and len(item) == 2:
                return bytes(item[1]), size
        raise imaplib.IMAP4.error(f"UID {uid} gave no body")


class EmailChannel:
    """A team mailbox: ``receive_round`` takes new mail onto tickets, ``send_round`` sends
    the agents' replies. Both block (network): run them off the event loop."""

    channel = Channel.EMAIL

    def __init__(
        self,
        settings: MailboxSettings,
        database: Database,
        now: Callable[[], datetime],
        policies: Callable[[Session], SlaPolicies],
    ) -> None:
        self.settings = settings
        self._database = database
        self._now = now
        self._policies = policies
        self._reader = ImapReader(settings)

    # -- in ---------------------------------------------------------------------------------
    def receive_round(self) -> int:
        try:
            imap, validity = self._reader.open_folder()
            last = self._position(validity)
            taken = 0
            for uid in self._reader.uids_after(imap, last, self.settings.batch):
                raw, size = self._reader.fetch(imap, uid)
                taken += self.take(validity, uid, raw, size=size)
            return taken
        except (imaplib.IMAP4.error, OSError):
            self._reader.close()  # next round connects again
            raise

    def close(self) -> None:
        self._reader.close()

    def _position(self, validity: int) -> int:
        """The last UID taken under ``validity``; a new UIDVALIDITY starts again at 0."""
        with self._database.session() as session:
            row = session.get(MailboxCursorRow, self.settings.name)
            if row is not None and row.uidvalidity == validity:
                return row.last_uid
            if row is not None:
                log.warning(
                    "mailbox %s: UIDVALIDITY changed (%d -> %d): reading it again; mails "
                    "taken before are known by their Message-ID",
                    self.settings.name,
                    row.uidvalidity,
                    validity,
                )
                row.uidvalidity, row.last_uid, row.updated_at = validity, 0, self._now()
            else:
                session.add(
                    MailboxCursorRow(
                        mailbox=self.settings.name,
                        uidvalidity=validity,
                        last_uid=0,
                        updated_at=self._now(),
                    )
                )
            try:
                session.commit()
            except IntegrityError:  # another process wrote it first
                session.rollback()
            return 0

    def take(self, validity: int, uid: int, raw: bytes, *, size: int | None = None) -> bool:
        """Take one mail, once: False when another process (or an earlier run) has it."""
        mail = read_mail(raw, size=size)
        now = self._now()
        try:
            row = self._take(mail, validity, uid, now)
        except IntegrityError as exc:
            if self._claimed(validity, uid):
                return False  # another process took this UID first: its row won
            log.exception("mailbox %s: UID %d could not be filed", self.settings.name, uid)
            return self._set_aside(mail, validity, uid, now, f"a conflict while filing: {exc}")
        except Exception as exc:
            # A bug on one mail must not stop the mailbox at that UID for ever: it is kept on
            # record as refused, with the error, and the reading goes on.
            log.exception("mailbox %s: UID %d could not be taken", self.settings.name, uid)
            return self._set_aside(mail, validity, uid, now, f"{type(exc).__name__}: {exc}")
        if row is None:
            return False
        log.info(
            "mailbox %s: UID %d %s%s",
            self.settings.name,
            uid,
            row.status,
            f" ({row.note})" if row.note else "",
        )
        return row.status in {MailStatus.TAKEN.value, MailStatus.REFUSED.value}

    def _take(
        self, mail: ParsedMail, validity: int, uid: int, now: datetime
    ) -> MailMessageRow | None:
        """The mail's row, committed with its ticket and the read position (None: taken
        already). Raises IntegrityError when another process commits the UID first."""
        with self._database.session() as session:
            if session.scalar(
                select(MailMessageRow.id).where(
                    MailMessageRow.mailbox == self.settings.name,
                    MailMessageRow.uidvalidity == validity,
                    MailMessageRow.uid == uid,
                )
            ):
                return None
            row = MailMessageRow(
                mailbox=self.settings.name,
                direction=MailDirection.IN.value,
                uidvalidity=validity,
                uid=uid,
                message_id=mail.message_id[:250],
                in_reply_to=" ".join(mail.in_reply_to)[:2000],
                references=" ".join(mail.references)[:4000],
                team_id=self.settings.team_id,
                sender=mail.sender or "(none)",
                recipient=self.settings.address,
                subject=mail.subject,
                body=mail.text,
                at=now,
                attachments=[{"name": f.name, "size": len(f.data)} for f in mail.files],
            )
            why_not = self._why_not(session, mail, now)
            if why_not:
                row.status, row.note = MailStatus.IGNORED.value, why_not
            else:
                self._on_ticket(session, row, mail, now)
            session.add(row)
            session.flush()
            for file in mail.files if row.status == MailStatus.TAKEN.value else ():
                session.add(
                    MailAttachmentRow(
                        mail_id=row.id,
                        name=file.name,
                        media_type=file.media_type,
                        size=len(file.data),
                        sha256=hashlib.sha256(file.data).hexdigest(),
                        data=file.data,
                    )
                )
            session.execute(
                update(MailboxCursorRow)
                .where(
                    MailboxCursorRow.mailbox == self.settings.name,
                    MailboxCursorRow.uidvalidity == validity,
                    MailboxCursorRow.last_uid < uid,
                )
                .values(last_uid=uid, updated_at=now)
            )
            session.commit()
            session.refresh(row)
            session.expunge(row)
            return row

    def _claimed(self, validity: int, uid: int) -> bool:
        with self._database.session() as session:
            return (
                session.scalar(
                    select(MailMessageRow.id).where(
                        MailMessageRow.mailbox == self.settings.name,
                        MailMessageRow.uidvalidity == validity,
                        MailMessageRow.uid == uid,
                    )
                )
                is not None
            )

    def _set_aside(
        self, mail: ParsedMail, validity: int, uid: int, now: datetime, reason: str
    ) -> bool:
        with self._database.session() as session:
            session.add(
                MailMessageRow(
                    mailbox=self.settings.name,
                    direction=MailDirection.IN.value,
                    status=MailStatus.REFUSED.value,
                    uidvalidity=validity,
                    uid=uid,
                    message_id=mail.message_id[:250],
                    team_id=self.settings.team_id,
                    sender=mail.sender or "(none)",
                    recipient=self.settings.address,
                    subject=mail.subject,
                    note=f"not taken: {reason}"[:4000],
                    at=now,
                    attachments=[],
                )
            )
            session.execute(
                update(MailboxCursorRow)
                .where(
                    MailboxCursorRow.mailbox == self.settings.name,
                    MailboxCursorRow.uidvalidity == validity,
                    MailboxCursorRow.last_uid < uid,
                )
                .values(last_uid=uid, updated_at=now)
            )
            try:
                session.commit()
            except IntegrityError:
                return False
        return False

    def _why_not(self, session: Session, mail: ParsedMail, now: datetime) -> str:
        """Why the mail must touch no ticket ('' when it may)."""
        if _OURS.match(mail.message_id) or session.scalar(
            select(MailMessageRow.id).where(
                MailMessageRow.message_id == mail.message_id,
                MailMessageRow.direction == MailDirection.OUT.value,
            )
        ):
            return "our own mail came back (a loop)"
        if mail.sender and mail.sender == self.settings.address:
            return "sent from our own address (a loop)"
        if mail.automatic:
            return f"automatic mail, not answered: {mail.automatic}"
        if session.scalar(
            select(MailMessageRow.id).where(
                MailMessageRow.message_id == mail.message_id,
                MailMessageRow.mailbox == self.settings.name,
                MailMessageRow.status.in_([MailStatus.TAKEN.value, MailStatus.REFUSED.value]),
            )
        ):
            return "a copy of a mail already taken (same Message-ID)"
        if mail.sender:
            recent = session.scalar(
                select(func.count(MailMessageRow.id)).where(
                    MailMessageRow.sender == mail.sender,
                    MailMessageRow.direction == MailDirection.IN.value,
                    MailMessageRow.at > now - timedelta(hours=1),
                )
            )
            if (recent or 0) >= self.settings.per_sender_per_hour:
                return (
                    f"more than {self.settings.per_sender_per_hour} mails from this sender in "
                    "an hour (a loop or a flood)"
                )
        if mail.refused and not mail.sender:
            return f"unreadable: {mail.refused}"
        return ""

    def _thread(self, session: Session, mail: ParsedMail) -> TicketRow | None:
        """The ticket of the nearest earlier mail this one answers (ours or theirs)."""
        for message_id in mail.answers:
            ticket_id = session.scalar(
                select(MailMessageRow.ticket_id)
                .where(
                    MailMessageRow.message_id == message_id,
                    MailMessageRow.team_id == self.settings.team_id,
                    MailMessageRow.ticket_id.is_not(None),
                )
                .limit(1)
            )
            if ticket_id is not None:
                return session.get(TicketRow, ticket_id)
        return None

    def _on_ticket(
        self, session: Session, row: MailMessageRow, mail: ParsedMail, now: datetime
    ) -> None:
        notes = list(mail.notes)
        if mail.refused:
            notes.append(f"The mail was refused: {mail.refused}. Ask the customer to resend.")
        message = InboundMessage(
            channel=Channel.EMAIL,
            team_id=self.settings.team_id,
            sender=mail.sender,
            sender_name=mail.sender_name,
            subject=mail.subject,
            text=mail.text,
            ticket_numbers=mail.ticket_numbers,
            notes=tuple(f"Email {mail.message_id}: {n}" for n in notes),
            files=() if mail.refused else mail.files,
        )
        intake = take_in(
            session,
            message,
            thread=self._thread(session, mail),
            policies=self._policies(session),
            now=now,
        )
        row.ticket_id, row.interaction_id = intake.ticket_id, intake.interaction_id
        row.status = (MailStatus.REFUSED if mail.refused else MailStatus.TAKEN).value
        row.note = "; ".join(notes)[:4000]

    # -- out --------------------------------------------------------------------------------
    def deliver(self, message: OutboundMessage) -> None:
        s = self._settings_or_raise()
        mail = EmailMessage()
        mail["From"] = formataddr(("", s.address))
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Message-ID"] = message.thread_id
        mail["Date"] = format_datetime(self._now())
        # RFC 3834: our mail is a person's answer, but an auto-responder must not answer it.
        mail["X-Auto-Response-Suppress"] = "All"
        if message.in_reply_to:
            mail["In-Reply-To"] = message.in_reply_to
        if message.references:
            mail["References"] = " ".join(message.references)
        mail.set_content(message.text)
        try:
            if s.smtp.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.smtp.host, s.smtp.port, timeout=s.timeout_s, context=tls_context(s)
                )
            else:
                client = smtplib.SMTP(s.smtp.host, s.smtp.port, timeout=s.timeout_s)
            with client:
                if s.smtp.security == "starttls":
                    client.starttls(context=tls_context(s))
                if s.username and client.has_extn("auth"):
                    client.login(s.username, s.password)
                client.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(
                f"the recipient was refused: {exc.recipients}", permanent=True
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}"[:300]) from exc

    def _settings_or_raise(self) -> MailboxSettings:
        return self.settings

    def send_round(self) -> int:
        """Send the replies queued for this mailbox's team; each claimed first, so two
        processes never send one twice."""
        self._requeue_stuck()
        with self._database.session() as session:
            ids = list(
                session.scalars(
                    select(MailMessageRow.id)
                    .where(
                        MailMessageRow.mailbox == self.settings.name,
                        MailMessageRow.direction == MailDirection.OUT.value,
                        MailMessageRow.status == MailStatus.QUEUED.value,
                    )
                    .order_by(MailMessageRow.id)
                    .limit(self.settings.batch)
                )
            )
        sent = 0
        for mail_id in ids:
            sent += self._send_one(mail_id)
        return sent

    def _requeue_stuck(self) -> None:
        """Replies a process claimed and never finished (killed mid-send): queued again. The
        SMTP server may have taken the first try, so the customer may get it twice; never
        none."""
        with self._database.session() as session:
            stuck = session.execute(
                update(MailMessageRow)
                .where(
                    MailMessageRow.mailbox == self.settings.name,
                    MailMessageRow.status == MailStatus.SENDING.value,
                    MailMessageRow.claimed_at < self._now() - STUCK_SENDING,
                )
                .values(status=MailStatus.QUEUED.value, note="queued again: its sender stopped")
            ).rowcount  # type: ignore[attr-defined]
            session.commit()
        if stuck:
            log.warning(
                "mailbox %s: %d replies stuck in sending queued again", self.settings.name, stuck
            )

    def _send_one(self, mail_id: int) -> bool:
        with self._database.session() as session:
            claimed = session.execute(
                update(MailMessageRow)
                .where(
                    MailMessageRow.id == mail_id,
                    MailMessageRow.status == MailStatus.QUEUED.value,
                )
                .values(status=MailStatus.SENDING.value, claimed_at=self._now())
            ).rowcount  # type: ignore[attr-defined]
            session.commit()
            if not claimed:
                return False
            row = session.get(MailMessageRow, mail_id)
            assert row is not None
            message = OutboundMessage(
                channel=Channel.EMAIL,
                recipient=row.recipient,
                subject=row.subject,
                text=row.body,
                thread_id=row.message_id,
                in_reply_to=row.in_reply_to,
                references=tuple(row.references.split()),
            )
        now = self._now()
        try:
            self.deliver(message)
            status, note, permanent = MailStatus.SENT, "", False
        except DeliveryError as exc:
            status, note, permanent = MailStatus.QUEUED, str(exc), exc.permanent
        with self._database.session() as session:
            row = session.get(MailMessageRow, mail_id)
            assert row is not None
            row.attempts += 1
            if status is MailStatus.QUEUED and (permanent or row.attempts >= MAX_SEND_ATTEMPTS):
                status = MailStatus.FAILED
            row.status, row.note = status.value, note[:4000]
            row.sent_at = now if status is MailStatus.SENT else None
            audit(
                session,
                user_id=row.user_id,
                action=f"email.{status.value}",
                target=f"mail:{row.id}",
                allowed=status is MailStatus.SENT,
                now=now,
                detail=f"to {row.recipient}{'; ' + note if note else ''}",
            )
            session.commit()
        if status is not MailStatus.SENT:
            log.warning("mailbox %s: reply %d %s: %s", self.settings.name, mail_id, status, note)
        return status is MailStatus.SENT
