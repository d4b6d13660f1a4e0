"""The intake every channel shares (issue 22), on a real SQLite database with the demo seed:
an SMS (or a portal message by phone) is matched to the customer by the contact's E.164
number, a mail by the contact's address; an unknown sender gets a customer record; a
quoted ticket number of another team is not followed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from server_stub.channels.base import InboundMessage
from server_stub.channels.intake import take_in
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.models import ContactRow, CustomerRow, InteractionRow, TicketRow
from server_stub.seed import seed_demo
from sync.clock import system_clock
from sync.contract.records import Channel
from sync.contract.sla import default_policies


def test_senders_matched_by_their_medium_and_numbers_kept_to_the_team(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'intake.sqlite'}")
    migrate(database.engine)
    now = system_clock().now()
    with database.session() as session:
        seed_demo(session, now=now)
        session.commit()
        contact = session.scalars(
            select(ContactRow)
            .join(CustomerRow, CustomerRow.id == ContactRow.customer_id)
            .where(CustomerRow.team_id == 1, ContactRow.phone_e164 != "")
            .order_by(ContactRow.id)
        ).first()
        assert contact is not None
        other_team = session.scalar(select(TicketRow.number).where(TicketRow.team_id == 2))
        sms = InboundMessage(
            channel=Channel.SMS,
            team_id=1,
            sender=contact.phone_e164,
            sender_name="",
            subject="",
            text=f"设备又坏了 {other_team}",
            ticket_numbers=(str(other_team),),
        )
        taken = take_in(session, sms, thread=None, policies=default_policies(), now=now)
        assert taken.opened  # the other team's number is not followed
        assert taken.customer_id == contact.customer_id
        ticket = session.get(TicketRow, taken.ticket_id)
        assert ticket is not None
        assert (ticket.channel, ticket.team_id) == ("sms", 1)
        interaction = session.get(InteractionRow, taken.interaction_id)
        assert interaction is not None
        assert interaction.kind == "sms"

        stranger = InboundMessage(
            channel=Channel.EMAIL,
            team_id=1,
            sender="new.person@example.test",
            sender_name="新客户",
            subject="咨询",
            text="你好",
        )
        first = take_in(session, stranger, thread=None, policies=default_policies(), now=now)
        again = take_in(session, stranger, thread=None, policies=default_policies(), now=now)
        assert first.customer_id == again.customer_id  # the record made the first time
        customer = session.get(CustomerRow, first.customer_id)
        assert customer is not None
        assert customer.name == "新客户"
        assert customer.code.startswith("CEM")
        session.commit()
    database.dispose()
