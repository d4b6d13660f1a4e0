"""The email channel's routes (contract 1.8, issue 22) on the real backend over HTTP: who may
reply to which ticket, poison input refused with a 4xx naming the field, a team without a
mailbox told so, the reply queued once however often the outbox retries, and the ticket's
mails read by its team only. No mail server: the reply stays queued (the round's connection
to the closed port fails and is retried, logged)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from server_stub.channels.mail_settings import Endpoint, MailboxSettings
from server_stub.models import AuditRow, MailMessageRow, TicketRow
from tests.fakes.ports import free_port
from tests.fakes.servers import LiveBackend
from tests.integration.test_api_races import sign_in

pytestmark = pytest.mark.slow


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    closed = free_port()  # nothing listens: the reply stays queued
    box = MailboxSettings(
        name="medical",
        team_id=1,
        address="support@example.test",
        imap=Endpoint("127.0.0.1", closed, "none"),
        smtp=Endpoint("127.0.0.1", closed, "none"),
        username="support",
        password="pw",
        poll_s=3600,
    )
    live = LiveBackend(tmp_path / "server.sqlite", mailboxes=(box,))
    yield live
    live.stop()


def _ticket(backend: LiveBackend, team_id: int) -> int:
    with backend.database.session() as session:
        found = session.scalar(
            select(TicketRow.id).where(TicketRow.team_id == team_id).order_by(TicketRow.id)
        )
        assert found is not None
        return int(found)


def _post(
    backend: LiveBackend, user: str, ticket_id: int, body: Any, key: str
) -> requests.Response:
    return requests.post(
        f"{backend.url}/api/v1/tickets/{ticket_id}/email-replies",
        json=body,
        headers={"Authorization": f"Bearer {sign_in(backend, user)}", "Idempotency-Key": key},
        timeout=30,
    )


GOOD = {"subject": "Re: 报修", "body": "您好", "to": "customer@example.test"}


def test_a_reply_is_queued_once_and_read_back_by_the_team(backend: LiveBackend) -> None:
    ticket_id = _ticket(backend, 1)
    first = _post(backend, "wangfang", ticket_id, GOOD, "k1")
    again = _post(backend, "wangfang", ticket_id, GOOD, "k1")  # the outbox's retry
    assert first.status_code == again.status_code == 201, first.text
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "queued"
    with backend.database.session() as session:
        assert session.scalar(select(func.count(MailMessageRow.id))) == 1
        assert (
            session.scalar(select(func.count(AuditRow.id)).where(AuditRow.action == "email.queued"))
            == 1
        )
    token = sign_in(backend, "wangfang")
    mails = requests.get(
        f"{backend.url}/api/v1/tickets/{ticket_id}/emails",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert mails.status_code == 200
    assert [m["direction"] for m in mails.json()] == ["out"]
    other = requests.get(
        f"{backend.url}/api/v1/tickets/{ticket_id}/emails",
        headers={"Authorization": f"Bearer {sign_in(backend, 'lina')}"},
        timeout=30,
    )
    assert other.status_code == 403  # another team's ticket


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**GOOD, "body": "a\x00b"}, "body"),
        ({**GOOD, "subject": ""}, "subject"),
        ({**GOOD, "body": "x" * 20_001}, "body"),
        ({**GOOD, "to": "not an address"}, "to"),
        ({**GOOD, "to": "a@" + "b" * 300 + ".cn"}, "to"),
        ({**GOOD, "cc": "x@y.cn"}, "cc"),
    ],
)
def test_poison_replies_are_refused_naming_the_field(
    backend: LiveBackend, body: dict[str, Any], field: str
) -> None:
    answer = _post(backend, "wangfang", _ticket(backend, 1), body, f"poison-{field}")
    assert answer.status_code == 422, answer.text
    assert field in answer.text


def test_another_teams_ticket_and_a_team_without_mailbox(backend: LiveBackend) -> None:
    other_team = _ticket(backend, 2)
    assert _post(backend, "wangfang", other_team, GOOD, "t1").status_code == 403
    answer = _post(backend, "lina", other_team, GOOD, "t2")  # her team has no mailbox
    assert answer.status_code == 422
    assert "no mailbox" in answer.text
    assert _post(backend, "wangfang", 999_999, GOOD, "t3").status_code == 404
