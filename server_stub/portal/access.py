"""Who a portal visitor is: one-time codes, sessions, rate limits, form tokens (CSRF) and
the only tickets a customer may see (those of the customers whose contact has the phone they
proved; a ticket-number sign-in sees that ticket alone)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server_stub.models import (
    ContactRow,
    CustomerRow,
    PortalAttemptRow,
    PortalCodeRow,
    PortalSessionRow,
    TicketRow,
)
from server_stub.portal import limits
from sync.contract.phone import lookup_key

SESSION_COOKIE = "aw_portal"
CSRF_COOKIE = "aw_portal_form"
LANGUAGE_COOKIE = "aw_portal_lang"


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def phone_key(raw: str) -> str | None:
    """The phone in E.164 (the contacts' key), or None when it is no phone number."""
    if not raw or len(raw) > 40:
        return None
    try:
        return lookup_key(raw)
    except ValueError:
        return None


def customers_of(session: Session, phone: str) -> list[CustomerRow]:
    ids = session.scalars(
        select(ContactRow.customer_id).where(ContactRow.phone_e164 == phone).distinct()
    ).all()
    return [c for c in (session.get(CustomerRow, i) for i in ids) if c is not None]


def over_limit(session: Session, kind: str, key: str, limit: int, now: datetime) -> bool:
    """Whether ``key`` did ``kind`` ``limit`` times in the window; if not, this try is noted."""
    since = now - limits.RATE_WINDOW
    count = session.scalar(
        select(func.count())
        .select_from(PortalAttemptRow)
        .where(
            PortalAttemptRow.kind == kind,
            PortalAttemptRow.key == key,
            PortalAttemptRow.at > since,
        )
    )
    if (count or 0) >= limit:
        return True
    session.add(PortalAttemptRow(kind=kind, key=key[:64], at=now))
    return False


def new_code(session: Session, phone: str, now: datetime) -> str:
    """A fresh code for ``phone`` (older ones spent); only its digest is stored."""
    session.execute(delete(PortalCodeRow).where(PortalCodeRow.phone_e164 == phone))
    code = "".join(secrets.choice("0123456789") for _ in range(limits.CODE_DIGITS))
    session.add(
        PortalCodeRow(
            phone_e164=phone,
            code_hash=digest(phone, code),
            created_at=now,
            expires_at=now + limits.CODE_LIFETIME,
            attempts=0,
            used=False,
        )
    )
    return code


def check_code(session: Session, phone: str, code: str, now: datetime) -> bool:
    """Whether ``code`` is the live code of ``phone``; each wrong try counts, the fifth (or a
    right one) spends it."""
    row = session.scalar(
        select(PortalCodeRow)
        .where(PortalCodeRow.phone_e164 == phone, PortalCodeRow.used.is_(False))
        .order_by(PortalCodeRow.id.desc())
    )
    if row is None or row.expires_at <= now:
        return False
    if hmac.compare_digest(row.code_hash, digest(phone, code.strip())):
        row.used = True
        return True
    row.attempts += 1
    if row.attempts >= limits.CODE_TRIES:
        row.used = True
    return False


@dataclass(frozen=True, slots=True)
class Visitor:
    """A signed-in customer as the pages see them."""

    session_id: int
    phone: str
    customer_ids: tuple[int, ...]
    ticket_id: int | None  # signed in by ticket number: only this one

    def may_see(self, ticket: TicketRow) -> bool:
        if self.ticket_id is not None:
            return ticket.id == self.ticket_id
        return ticket.customer_id in self.customer_ids


def open_session(
    session: Session, phone: str, ticket_id: int | None, now: datetime
) -> tuple[str, str]:
    """A new session; returns (cookie token, form token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session.add(
        PortalSessionRow(
            token_hash=digest(token),
            phone_e164=phone,
            ticket_id=ticket_id,
            csrf=csrf,
            created_at=now,
            expires_at=now + limits.SESSION_LIFETIME,
        )
    )
    return token, csrf


def visitor_of(session: Session, token: str | None, now: datetime) -> Visitor | None:
    if not token or len(token) > 100:
        return None
    row = session.scalar(
        select(PortalSessionRow).where(PortalSessionRow.token_hash == digest(token))
    )
    if row is None or row.expires_at <= now:
        return None
    customers = tuple(c.id for c in customers_of(session, row.phone_e164))
    return Visitor(row.id, row.phone_e164, customers, row.ticket_id)


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(
            delete(PortalSessionRow).where(PortalSessionRow.token_hash == digest(token))
        )


def form_token_ok(cookie: str | None, sent: str | None) -> bool:
    """Double-submit: the form's hidden token must equal the cookie's (another site can make
    the browser post, but cannot read our cookie to put it in the form)."""
    return bool(cookie) and bool(sent) and hmac.compare_digest(str(cookie), str(sent))


def ticket_by_number(session: Session, number: str) -> TicketRow | None:
    if not number or len(number) > 32:
        return None
    return session.scalar(select(TicketRow).where(TicketRow.number == number.strip()))
