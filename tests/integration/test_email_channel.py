"""The email channel end to end (issue 22), against real mail servers on loopback: Dovecot
serves the team's mailbox and the customer's over IMAP (the server reads its team's over
TLS, checking the test's self-signed certificate), aiosmtpd takes the replies over SMTP and
delivers them into the customer's Dovecot mailbox. The server is the real backend over HTTP.

Done when (the issue): a mail becomes a ticket, the reply reaches the customer's mailbox with
the ticket number, the customer's answer threads back onto the same ticket, and an
auto-reply does not loop. Also: exactly once with two readers of one mailbox, and poison
mails (odd charsets, broken MIME, NUL bytes, huge, hostile file names) never crash a round.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from server_stub.channels import email_channel
from server_stub.channels.email_channel import EmailChannel
from server_stub.channels.mail_settings import Endpoint, MailboxSettings
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.models import (
    AuditRow,
    ContactRow,
    CustomerRow,
    InteractionRow,
    MailMessageRow,
    TicketHistoryRow,
    TicketRow,
)
from server_stub.seed import seed_demo
from server_stub.sla_policies import current as stored_policies
from sync.clock import system_clock
from sync.contract.sla import default_policies
from tests.fakes.mail_servers import Dovecot, SmtpRelay, have_dovecot
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until
from tests.integration.test_api_races import sign_in

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not have_dovecot(), reason="needs Debian's dovecot-imapd (make test)"),
]

DOMAIN = "example.test"
TEAM = f"support@{DOMAIN}"
CUSTOMER = f"customer@{DOMAIN}"
USERS = {"support": "team-secret", "customer": "cust-secret"}
TEAM_ID = 1  # the seed's medical devices team (wangfang's)


def mailbox(dovecot: Dovecot, relay: SmtpRelay, name: str = "medical") -> MailboxSettings:
    return MailboxSettings(
        name=name,
        team_id=TEAM_ID,
        address=TEAM,
        # The team's mailbox over IMAPS, the certificate checked against the test's own CA.
        imap=Endpoint("127.0.0.1", dovecot.tls_port, "tls"),
        smtp=Endpoint("127.0.0.1", relay.port, "none"),
        username="support",
        password=USERS["support"],
        ca_file=str(dovecot.cert),
        poll_s=0.2,
    )


def customer_mail(
    subject: str, body: str, *, charset: str = "utf-8", sender: str = CUSTOMER, **headers: str
) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"赵敏 <{sender}>"
    mail["To"] = TEAM
    mail["Subject"] = subject
    mail["Message-ID"] = headers.pop("Message_ID", "") or make_msgid(domain="customer.example")
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(body, charset=charset)
    return bytes(mail)


@pytest.fixture
def mail_servers(tmp_path: Path) -> Iterator[tuple[Dovecot, SmtpRelay]]:
    with Dovecot(tmp_path / "dovecot", USERS) as dovecot, SmtpRelay(dovecot, DOMAIN) as relay:
        yield dovecot, relay


def _known_customer(database: Database) -> int:
    """The seed's first customer of the team gets the customer's address on a contact."""
    with database.session() as session:
        contact = session.scalars(
            select(ContactRow)
            .join(CustomerRow, CustomerRow.id == ContactRow.customer_id)
            .where(CustomerRow.team_id == TEAM_ID)
            .order_by(ContactRow.id)
        ).first()
        assert contact is not None
        contact.email = CUSTOMER
        session.commit()
        return contact.customer_id


def _mails(database: Database, **where: object) -> list[MailMessageRow]:
    with database.session() as session:
        query = select(MailMessageRow).order_by(MailMessageRow.id)
        for name, value in where.items():
            query = query.where(getattr(MailMessageRow, name) == value)
        rows = list(session.scalars(query))
        session.expunge_all()
        return rows


def test_mail_ticket_reply_answer_and_no_loop(
    tmp_path: Path, mail_servers: tuple[Dovecot, SmtpRelay]
) -> None:
    dovecot, relay = mail_servers
    backend = LiveBackend(tmp_path / "server.sqlite", mailboxes=(mailbox(dovecot, relay),))
    try:
        customer_id = _known_customer(backend.database)
        # 1. The customer writes (GBK text labelled GB2312, as many Chinese mailers do).
        dovecot.append(
            "support",
            customer_mail(
                "打印机卡纸 paper jam", "您好，打印机一直卡纸，怎么办？", charset="gb2312"
            ),
        )
        first = wait_until(
            lambda: _mails(backend.database, direction="in", status="taken"),
            30,
            "the customer's mail taken onto a ticket",
        )[0]
        with backend.database.session() as session:
            ticket = session.get(TicketRow, first.ticket_id)
            assert ticket is not None
            assert (ticket.channel, ticket.customer_id, ticket.handler_id) == (
                "email",
                customer_id,
                None,  # the team's queue
            )
            assert "卡纸" in ticket.summary
            assert "一直卡纸" in ticket.content
            number, ticket_id = ticket.number, ticket.id
            kinds = session.scalars(
                select(InteractionRow.kind).where(InteractionRow.customer_id == customer_id)
            ).all()
            assert "email" in kinds

        # 2. The agent replies from the ticket, over the API the desk's outbox uses.
        token = sign_in(backend, "wangfang")
        answer = requests.post(
            f"{backend.url}/api/v1/tickets/{ticket_id}/email-replies",
            json={"subject": "Re: 打印机卡纸 paper jam", "body": "请打开后盖取出纸张。"},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "reply-1"},
            timeout=30,
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["subject"].startswith(f"[{number}]")

        # 3. It reaches the customer's mailbox: the number in the subject, threaded, our id.
        delivered = wait_until(
            lambda: dovecot.messages("customer"), 30, "the reply in the customer's mailbox"
        )
        reply = delivered[0]
        assert number in str(reply["Subject"])
        assert reply["In-Reply-To"] == first.message_id
        assert first.message_id in str(reply["References"])
        assert str(reply["Message-ID"]).startswith("<aw.")
        assert "取出纸张" in reply.get_content()

        # 4. The customer's answer (their mailer keeps the thread) joins the same ticket.
        dovecot.append(
            "support",
            customer_mail(
                f"Re: [{number}] 打印机卡纸",
                "好了，谢谢！",
                In_Reply_To=str(reply["Message-ID"]),
                References=f"{first.message_id} {reply['Message-ID']}",
            ),
        )
        taken = wait_until(
            lambda: (
                len(_mails(backend.database, direction="in", status="taken")) == 2
                and _mails(backend.database, direction="in", status="taken")
            ),
            30,
            "the customer's answer taken",
        )
        assert taken[1].ticket_id == ticket_id

        # 5. An out-of-office answer to our reply: kept on record, no ticket touched, no reply.
        dovecot.append(
            "support",
            customer_mail(
                "Automatic reply: 打印机卡纸",
                "I am out of the office.",
                Auto_Submitted="auto-replied",
                In_Reply_To=str(reply["Message-ID"]),
            ),
        )
        ignored = wait_until(
            lambda: _mails(backend.database, direction="in", status="ignored"),
            30,
            "the auto-reply ignored",
        )
        assert "Auto-Submitted" in ignored[0].note
        assert ignored[0].ticket_id is None
        # A whole round later nothing more was sent: one reply, no loop.
        sent_rounds = len(relay.handler.received)
        dovecot.append("support", customer_mail("Re: again", "hello again"))
        wait_until(
            lambda: len(_mails(backend.database, direction="in", status="taken")) == 3,
            30,
            "a later mail taken (a round after the auto-reply)",
        )
        assert sent_rounds == len(relay.handler.received) == 1
        with backend.database.session() as session:
            fields = session.scalars(
                select(TicketHistoryRow.field).where(TicketHistoryRow.ticket_id == ticket_id)
            ).all()
            assert fields.count("email_in") == 1
            assert "email_out" in fields
            assert session.scalar(
                select(func.count(AuditRow.id)).where(AuditRow.action == "email.sent")
            )
            # The password never reached the audit trail or the mail records.
            details = " ".join(session.scalars(select(AuditRow.detail)).all())
            assert USERS["support"] not in details
    finally:
        backend.stop()


def _database(tmp_path: Path, url: str | None = None) -> Database:
    database = Database(url or f"sqlite:///{tmp_path / 'mail.sqlite'}")
    migrate(database.engine)
    with database.session() as session:
        seed_demo(session, now=system_clock().now())
    return database


def _channel(database: Database, settings: MailboxSettings) -> EmailChannel:
    defaults = default_policies()
    return EmailChannel(
        settings, database, system_clock().now, lambda session: stored_policies(session, defaults)
    )


def test_two_readers_take_each_mail_once(
    tmp_path: Path, mail_servers: tuple[Dovecot, SmtpRelay], database_url: str
) -> None:
    """Two server processes' readers of one mailbox, racing: every mail on exactly one ticket
    (on SQLite and on PostgreSQL, where the two transactions really run at once)."""
    dovecot, relay = mail_servers
    database = _database(tmp_path, database_url)
    for n in range(12):
        dovecot.append("support", customer_mail(f"问题 {n}", f"第 {n} 封"))
    settings = mailbox(dovecot, relay)
    readers = [_channel(database, settings), _channel(database, replace(settings))]
    errors: list[BaseException] = []

    def read(channel: EmailChannel) -> None:
        try:
            channel.receive_round()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(r,)) for r in readers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    rows = _mails(database, direction="in")
    assert len(rows) == 12
    assert len({r.ticket_id for r in rows}) == 12
    # A restart reads on from the stored position: nothing taken twice.
    again = _channel(database, settings)
    assert again.receive_round() == 0
    for reader in [*readers, again]:
        reader.close()
    database.dispose()


POISON = {
    "gbk-as-gb2312": b"From: a@poison.cn\r\nSubject: =?gb2312?B?"
    + __import__("base64").b64encode("卡纸".encode("gbk"))
    + b"?=\r\nContent-Type: text/plain; charset=gb2312\r\n\r\n"
    + "镕字卡纸".encode("gbk"),
    "big5": b"From: b@poison.tw\r\nSubject: big5\r\nContent-Type: text/plain; charset=big5\r\n\r\n"
    + "印表機".encode("big5"),
    "broken-mime": b"From: c@poison.cn\r\nSubject: broken\r\n"
    b'Content-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\nContent-Type: text/plain\r\n',
    "no-sender": b"Subject: who?\r\n\r\nnobody wrote this",
    "control-chars": b"From: d@poison.cn\r\nSubject: bell\r\n\r\nring\x07ring\x1b",
    "unknown-charset": b"From: e@poison.cn\r\nSubject: x\r\n"
    b"Content-Type: text/plain; charset=klingon-8\r\n\r\n\xe4\xbd\xa0\xe5\xa5\xbd",
}


def test_poison_mails_never_end_a_round(
    tmp_path: Path, mail_servers: tuple[Dovecot, SmtpRelay]
) -> None:
    """Each is taken (decoded, the repair said on its ticket) or kept on record with the
    reason; the round reads them all and the mailbox reads on."""
    dovecot, relay = mail_servers
    database = _database(tmp_path)
    for raw in POISON.values():
        dovecot.append("support", raw)
    channel = _channel(database, mailbox(dovecot, relay))
    channel.receive_round()
    rows = {r.sender: r for r in _mails(database, direction="in")}
    assert len(rows) == len(POISON)
    assert rows["(none)"].status == "ignored"
    assert "no sender" in rows["(none)"].note
    with database.session() as session:

        def ticket_of(sender: str) -> TicketRow:
            ticket = session.get(TicketRow, rows[sender].ticket_id)
            assert ticket is not None, rows[sender].note
            return ticket

        assert "镕字" in ticket_of("a@poison.cn").content
        assert "印表機" in ticket_of("b@poison.tw").content
        assert ticket_of("c@poison.cn").summary == "broken"
        assert ticket_of("d@poison.cn").content == "ringring"
        notes = session.scalars(
            select(TicketHistoryRow.new).where(
                TicketHistoryRow.ticket_id == rows["d@poison.cn"].ticket_id,
                TicketHistoryRow.field == "note",
            )
        ).all()
        assert any("control characters" in (n or "") for n in notes)
        assert "你好" in ticket_of("e@poison.cn").content
        assert "did not fit" in rows["e@poison.cn"].note
    channel.close()
    database.dispose()


def test_flood_copies_and_a_reply_stuck_in_sending(
    tmp_path: Path, mail_servers: tuple[Dovecot, SmtpRelay]
) -> None:
    """A sender over the hourly limit is ignored; the same mail under a new UIDVALIDITY (the
    folder rebuilt) is a copy, not a second ticket; a reply whose sender process died while
    sending is queued again and delivered."""
    dovecot, relay = mail_servers
    database = _database(tmp_path)
    settings = replace(mailbox(dovecot, relay), per_sender_per_hour=2)
    for n in range(3):
        dovecot.append("support", customer_mail(f"flood {n}", "again"))
    channel = _channel(database, settings)
    channel.receive_round()
    statuses = [r.status for r in _mails(database, direction="in")]
    assert statuses == ["taken", "taken", "ignored"]
    assert "an hour" in _mails(database, status="ignored")[0].note

    raw = customer_mail(
        "copy", "the same mail", sender="other@example.test", Message_ID="<same.1@x.example>"
    )
    assert channel.take(1, 900, raw)
    assert not channel.take(2, 900, raw)  # a new UIDVALIDITY: read again, known by its id
    copy = _mails(database, uid=900, uidvalidity=2)[0]
    assert copy.status == "ignored"
    assert "copy" in copy.note

    with database.session() as session:
        ticket = session.scalar(select(TicketRow).order_by(TicketRow.id.desc()))
        assert ticket is not None
        session.add(
            MailMessageRow(
                mailbox=settings.name,
                direction="out",
                status="sending",  # claimed by a process that then died
                claimed_at=system_clock().now() - timedelta(hours=1),
                message_id="<aw.0123456789abcdef0123456789abcdef@example.test>",
                team_id=TEAM_ID,
                ticket_id=ticket.id,
                sender=TEAM,
                recipient=CUSTOMER,
                subject=f"[{ticket.number}] stuck",
                body="sent at last",
                at=system_clock().now(),
            )
        )
        session.commit()
    assert channel.send_round() == 1
    assert [str(m["Subject"]) for m in dovecot.messages("customer")] == [f"[{ticket.number}] stuck"]
    channel.close()
    database.dispose()


def test_a_mail_the_intake_fails_on_is_set_aside_and_reading_goes_on(
    tmp_path: Path, mail_servers: tuple[Dovecot, SmtpRelay], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug on one mail (here: the intake made to fail on one subject) must not hold the
    mailbox at that UID: the mail is kept as refused with the error, the next one is taken."""
    dovecot, relay = mail_servers
    database = _database(tmp_path)
    dovecot.append("support", customer_mail("boom", "this one fails"))
    dovecot.append("support", customer_mail("fine", "this one is taken"))
    real = email_channel.take_in

    def failing(session: Any, message: Any, **kw: Any) -> Any:
        if message.subject == "boom":
            raise RuntimeError("intake bug")
        return real(session, message, **kw)

    monkeypatch.setattr(email_channel, "take_in", failing)
    channel = _channel(database, mailbox(dovecot, relay))
    channel.receive_round()
    rows = _mails(database, direction="in")
    assert [(r.subject, r.status) for r in rows] == [("boom", "refused"), ("fine", "taken")]
    assert "intake bug" in rows[0].note
    assert channel.receive_round() == 0  # the position moved past both
    channel.close()
    database.dispose()
