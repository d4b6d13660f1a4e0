"""The agent answers an email ticket from the desk (issue 22; pytest-qt, the real backend,
real mail servers on loopback): the customer's mail appears in the team queue as an email
ticket, the form offers "Reply by email…", a template in the customer's language fills the
reply, Send queues it through the outbox, and the mail reaches the customer's mailbox with
the ticket's number, threaded to their mail."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agent_desktop.ui.models.tickets_model import View
from server_stub.models import MailMessageRow, TicketRow
from tests.fakes.mail_servers import Dovecot, SmtpRelay, have_dovecot
from tests.integration.test_email_channel import USERS, customer_mail, mailbox
from tests.ui.conftest import LiveDesk
from tests.ui.test_tickets_live import as_user

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not have_dovecot(), reason="needs Debian's dovecot-imapd (make test)"),
]
TIMEOUT_MS = 30_000


@pytest.fixture
def mail_servers(tmp_path: Path) -> Iterator[tuple[Dovecot, SmtpRelay]]:
    with (
        Dovecot(tmp_path / "dovecot", USERS) as dovecot,
        SmtpRelay(dovecot, "example.test") as relay,
    ):
        yield dovecot, relay


def test_reply_from_an_email_ticket_reaches_the_customer(
    qtbot: QtBot,
    make_live_desk: Callable[..., LiveDesk],
    mail_servers: tuple[Dovecot, SmtpRelay],
) -> None:
    dovecot, relay = mail_servers
    rig, _phone, _agent = make_live_desk(mailboxes=(mailbox(dovecot, relay),))
    dovecot.append("support", customer_mail("扫描仪无法开机", "按电源键没有反应。"))
    database = rig.backend.database

    def taken() -> int | None:
        with database.session() as session:
            return session.scalar(
                select(MailMessageRow.ticket_id).where(MailMessageRow.status == "taken")
            )

    ticket_id: int | None = None

    def arrived() -> bool:
        nonlocal ticket_id
        ticket_id = taken()
        if ticket_id is None:
            return False
        rig.sync.sync_now()
        cache = rig.sync.cache
        return cache is not None and any(r.id == ticket_id for r in cache.all("ticket"))

    qtbot.waitUntil(arrived, timeout=TIMEOUT_MS)
    assert ticket_id is not None
    work_desk = rig.window.work_desk
    assert work_desk is not None
    # The work list's "Email waiting" view: the mail's ticket, nobody holding it yet.
    work_desk.tickets.set_view(View.EMAIL)
    with database.session() as session:
        number = session.scalar(select(TicketRow.number).where(TicketRow.id == ticket_id))
    qtbot.waitUntil(lambda: number in work_desk.tickets.visible_numbers(), timeout=TIMEOUT_MS)
    form = work_desk.tickets.open_ticket(ticket_id)
    qtbot.waitUntil(lambda: form.detail is not None, timeout=TIMEOUT_MS)
    assert form.email_button.isVisible()
    assert form.email_button.isEnabled()
    dialog = form.reply_by_email()
    assert dialog is not None
    dialog.template.setCurrentIndex(dialog.template.findData("received"))
    dialog.language.setCurrentIndex(dialog.language.findData("zh"))
    assert form.number in dialog.body.toPlainText()  # the template names the ticket
    dialog.send_button.click()

    def delivered() -> bool:
        rig.sync.sync_now()
        return bool(dovecot.messages("customer"))

    qtbot.waitUntil(delivered, timeout=TIMEOUT_MS)
    reply = dovecot.messages("customer")[0]
    assert form.number in str(reply["Subject"])
    assert "服务单号为" in reply.get_content()
    with database.session() as session:
        first = session.scalar(
            select(MailMessageRow.message_id).where(MailMessageRow.direction == "in")
        )
    assert reply["In-Reply-To"] == first

    # The mail in and the reply out reach the desk as interactions of kind email on the
    # ticket: what the customer 360's timeline shows.
    def both_on_the_desk() -> bool:
        rig.sync.sync_now()
        cache = rig.sync.cache
        assert cache is not None
        seen = {
            (r.data.get("kind"), r.data.get("disposition"))
            for r in cache.all("interaction")
            if ticket_id in (r.data.get("ticket_ids") or [])
        }
        return {("email", "received"), ("email", "sent")} <= seen

    qtbot.waitUntil(both_on_the_desk, timeout=TIMEOUT_MS)


def test_a_server_before_1_8_gets_no_reply_and_the_form_says_why(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk]
) -> None:
    rig, _phone, _agent = make_live_desk(proxy=True)
    rig.proxy.speaks = "1.7"  # the server says it speaks 1.7: no email channel there
    server = as_user(rig.backend.url, "wangfang")
    customer = server.get(f"{rig.backend.url}/api/v1/customers?limit=1", timeout=10).json()[0]
    made = server.post(
        f"{rig.backend.url}/api/v1/tickets",
        json={
            "customer_id": customer["id"],
            "channel": "email",
            "category": "fault",
            "summary": "邮件报修",
        },
        headers={"Idempotency-Key": "email-ticket"},
        timeout=10,
    )
    assert made.status_code == 201, made.text
    ticket_id = made.json()["id"]

    def arrived() -> bool:
        rig.sync.sync_now()
        cache = rig.sync.cache
        return cache is not None and any(r.id == ticket_id for r in cache.all("ticket"))

    qtbot.waitUntil(arrived, timeout=TIMEOUT_MS)
    work_desk = rig.window.work_desk
    assert work_desk is not None
    form = work_desk.tickets.open_ticket(ticket_id)
    qtbot.waitUntil(lambda: form.detail is not None, timeout=TIMEOUT_MS)
    assert form.email_button.isVisible()
    assert not form.email_button.isEnabled()
    assert "no email channel" in form.email_button.toolTip()
