"""The portal's pages: sign-in by SMS code or ticket number, a customer's tickets, a new
problem with photos, rating and complaint, the FAQ with articles pushed while typing.

Every page: Jinja2 with autoescape (all text escaped), a strict Content-Security-Policy (no
inline script or style; the one small script is ours), no framing, no caching; every form has
a CSRF token; the session cookie is HttpOnly, SameSite=Lax and Secure over TLS. A customer
sees only their own tickets: another's number answers the same "not among yours" page as a
number that does not exist. Every change a customer makes is audited (user None, the phone in
the detail) and goes into the change feed, so desks see it like any other write."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.api.deps import DbSession, Now
from server_stub.api.routes.sla_policies import policies_of
from server_stub.api.routes.tickets import history
from server_stub.feed import audit, raise_event, record_change
from server_stub.models import (
    AssetRow,
    ContactRow,
    CustomerRow,
    DispatchRow,
    PortalFeedbackRow,
    PortalFileRow,
    SelfServiceRow,
    TeamRow,
    TicketHistoryRow,
    TicketRow,
)
from server_stub.portal import access, limits
from server_stub.portal.catalogue import choose_language, text
from server_stub.portal.faq import PortalFaq
from server_stub.portal.photos import Photo, PhotoRefusedError, checked
from server_stub.serialize import ticket_out
from server_stub.sla import start_clock
from server_stub.sms import notices
from server_stub.sms.gateway import SmsGateway
from sync.contract.events import ComplaintData
from sync.contract.records import Channel, TicketStatus
from sync.contract.rules import CENTRE_ZONE, centre_day
from sync.contract.sla import resolution_due
from sync.kb.content import safe_html

router = APIRouter(prefix=limits.PORTAL_PREFIX, include_in_schema=False)
_HERE = Path(__file__).parent
_ENV = Environment(
    loader=FileSystemLoader(_HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _centre_time(moment: datetime | None, form: str = "%Y-%m-%d %H:%M") -> str:
    """An instant as the centre's clock shows it (customers and agents share that clock)."""
    if moment is None:
        return "—"
    return moment.astimezone(ZoneInfo(CENTRE_ZONE)).strftime(form)


_ENV.filters["centre_time"] = _centre_time
_STATIC = {
    "portal.css": "text/css; charset=utf-8",
    "portal.js": "text/javascript; charset=utf-8",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_RESOLVED = (TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value)
Text = Annotated[str, Form()]
_R = TypeVar("_R", bound=Response)


def _faq(request: Request) -> PortalFaq:
    faq: PortalFaq = request.app.state.portal_faq
    return faq


def _gateway(request: Request) -> SmsGateway:
    gateway: SmsGateway = request.app.state.sms_gateway
    return gateway


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


class Page:
    """What one request renders with: the language, the visitor, the form token."""

    def __init__(self, request: Request, session: Session, now: datetime) -> None:
        self.request = request
        self.language = choose_language(
            request.cookies.get(access.LANGUAGE_COOKIE), request.headers.get("accept-language")
        )
        self.visitor = access.visitor_of(session, request.cookies.get(access.SESSION_COOKIE), now)
        self.form_token = request.cookies.get(access.CSRF_COOKIE) or secrets.token_urlsafe(24)

    def t(self, key: str, **values: object) -> str:
        return text(self.language, key, **values)

    def form_ok(self, sent: str) -> bool:
        return access.form_token_ok(self.request.cookies.get(access.CSRF_COOKIE), sent)

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        here = self.request.url.path
        if self.request.url.query:
            here += "?" + self.request.url.query
        html = _ENV.get_template(template).render(
            t=self.t,
            lang=self.language,
            visitor=self.visitor,
            form_token=self.form_token,
            here=quote(here, safe=""),
            **context,
        )
        return self.finish(HTMLResponse(html, status_code=status))

    def finish(self, response: _R) -> _R:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        if self.request.cookies.get(access.CSRF_COOKIE) != self.form_token:
            response.set_cookie(
                access.CSRF_COOKIE,
                self.form_token,
                httponly=True,
                samesite="strict",
                secure=_secure(self.request),
                path=limits.PORTAL_PREFIX,
            )
        return response

    def redirect(self, to: str) -> Response:
        return self.finish(RedirectResponse(to, status_code=303))

    def refused(
        self, key: str, status: int, template: str = "message.html", **values: object
    ) -> HTMLResponse:
        return self.render(template, status, message=self.t(key, **values))


def _signed_in(page: Page) -> access.Visitor | None:
    return page.visitor


def _plain(value: str, limit: int) -> str | None:
    """The text, or None when it holds a NUL or another control character (newlines and tabs
    are text) — a clear refusal instead of a database error."""
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value) or "\x7f" in value:
        return None
    del limit  # the caller says "too long" itself, with the limit
    return value.strip()


@router.get("", response_class=HTMLResponse)
def home(request: Request, session: DbSession, clock: Now) -> Response:
    page = Page(request, session, clock.now())
    return page.redirect(
        f"{limits.PORTAL_PREFIX}/tickets" if page.visitor else f"{limits.PORTAL_PREFIX}/sign-in"
    )


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in _STATIC:
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(
        (_HERE / "static" / name).read_bytes(),
        media_type=_STATIC[name],
        headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


@router.get("/lang/{language}")
def switch_language(
    language: str, request: Request, session: DbSession, clock: Now, next: str = ""
) -> Response:
    page = Page(request, session, clock.now())
    # Only back into the portal: ``next`` is never an open redirect.
    target = (
        next
        if next.startswith(limits.PORTAL_PREFIX + "/") and "//" not in next and "\\" not in next
        else f"{limits.PORTAL_PREFIX}/sign-in"
    )
    response = page.redirect(target)
    if language in ("zh", "en"):
        response.set_cookie(
            access.LANGUAGE_COOKIE,
            language,
            max_age=365 * 86400,
            samesite="lax",
            secure=_secure(request),
            path=limits.PORTAL_PREFIX,
        )
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, session: DbSession, clock: Now) -> Response:
    return Page(request, session, clock.now()).render("sign_in.html")


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/code", response_class=HTMLResponse)
def send_code(
    request: Request, session: DbSession, clock: Now, phone: Text = "", form_token: Text = ""
) -> Response:
    now = clock.now()
    page = Page(request, session, now)
    if not page.form_ok(form_token):
        return page.refused("bad_form", 403, "sign_in.html")
    key = access.phone_key(phone)
    if key is None:
        return page.render("sign_in.html", 422, error=page.t("bad_phone"))
    minutes = int(limits.RATE_WINDOW.total_seconds() // 60)
    if access.over_limit(
        session, "code_ip", _address(request), limits.CODES_PER_ADDRESS, now
    ) or access.over_limit(session, "code_phone", key, limits.CODES_PER_PHONE, now):
        session.commit()
        return page.render("sign_in.html", 429, error=page.t("too_many", minutes=minutes))
    customers = access.customers_of(session, key)
    if customers:
        # Only a number on file gets a code; the answer is the same either way (no probing
        # which numbers are customers').
        code = access.new_code(session, key, now)
        # Committed before the provider is asked: no database lock waits on it. The customer
        # waits for this code, so it goes now, not through the queue.
        session.commit()
        lang = page.language
        notices.send_notice(
            session,
            _gateway(request),
            key,
            notices.Notice.CODE,
            lang,
            now,
            code=code,
            minutes=str(int(limits.CODE_LIFETIME.total_seconds() // 60)),
        )
    session.commit()
    return page.render(
        "verify.html",
        phone=phone,
        notice=page.t("code_sent", minutes=int(limits.CODE_LIFETIME.total_seconds() // 60)),
    )


def _start_session(
    page: Page, session: Session, phone: str, ticket_id: int | None, now: datetime, how: str
) -> Response:
    token, _csrf = access.open_session(session, phone, ticket_id, now)
    audit(
        session,
        user_id=None,
        action="portal.sign_in",
        target=phone,
        allowed=True,
        now=now,
        detail=how,
    )
    session.commit()
    response = page.redirect(f"{limits.PORTAL_PREFIX}/tickets")
    response.set_cookie(
        access.SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=_secure(page.request),
        path=limits.PORTAL_PREFIX,
        max_age=int(limits.SESSION_LIFETIME.total_seconds()),
    )
    return response


@router.post("/verify", response_class=HTMLResponse)
def verify_code(
    request: Request,
    session: DbSession,
    clock: Now,
    phone: Text = "",
    code: Text = "",
    form_token: Text = "",
) -> Response:
    now = clock.now()
    page = Page(request, session, now)
    if not page.form_ok(form_token):
        return page.refused("bad_form", 403, "sign_in.html")
    key = access.phone_key(phone)
    minutes = int(limits.RATE_WINDOW.total_seconds() // 60)
    if access.over_limit(
        session, "sign_in_ip", _address(request), limits.SIGN_INS_PER_ADDRESS, now
    ):
        session.commit()
        return page.render(
            "verify.html", 429, phone=phone, error=page.t("too_many", minutes=minutes)
        )
    if key is None or len(code) > 12 or not access.check_code(session, key, code, now):
        audit(
            session,
            user_id=None,
            action="portal.sign_in",
            target=key or "?",
            allowed=False,
            now=now,
            detail="code",
        )
        session.commit()
        return page.render("verify.html", 401, phone=phone, error=page.t("bad_code"))
    return _start_session(page, session, key, None, now, "code")


@router.post("/ticket-sign-in", response_class=HTMLResponse)
def ticket_sign_in(
    request: Request,
    session: DbSession,
    clock: Now,
    number: Text = "",
    phone: Text = "",
    form_token: Text = "",
) -> Response:
    now = clock.now()
    page = Page(request, session, now)
    if not page.form_ok(form_token):
        return page.refused("bad_form", 403, "sign_in.html")
    minutes = int(limits.RATE_WINDOW.total_seconds() // 60)
    if access.over_limit(
        session, "sign_in_ip", _address(request), limits.SIGN_INS_PER_ADDRESS, now
    ):
        session.commit()
        return page.render("sign_in.html", 429, error=page.t("too_many", minutes=minutes))
    key = access.phone_key(phone)
    ticket = access.ticket_by_number(session, number) if key else None
    if (
        key is None
        or ticket is None
        or ticket.customer_id not in {c.id for c in access.customers_of(session, key)}
    ):
        audit(
            session,
            user_id=None,
            action="portal.sign_in",
            target=key or "?",
            allowed=False,
            now=now,
            detail="ticket",
        )
        session.commit()
        return page.render("sign_in.html", 401, error=page.t("bad_ticket"))
    return _start_session(page, session, key, ticket.id, now, f"ticket {ticket.number}")


@router.post("/sign-out")
def sign_out(request: Request, session: DbSession, clock: Now, form_token: Text = "") -> Response:
    page = Page(request, session, clock.now())
    if page.form_ok(form_token):
        access.close_session(session, request.cookies.get(access.SESSION_COOKIE))
        session.commit()
    response = page.redirect(f"{limits.PORTAL_PREFIX}/sign-in")
    response.delete_cookie(access.SESSION_COOKIE, path=limits.PORTAL_PREFIX)
    return response


def _visible_tickets(session: Session, visitor: access.Visitor) -> list[TicketRow]:
    if visitor.ticket_id is not None:
        row = session.get(TicketRow, visitor.ticket_id)
        return [row] if row is not None else []
    if not visitor.customer_ids:
        return []
    return list(
        session.scalars(
            select(TicketRow)
            .where(TicketRow.customer_id.in_(visitor.customer_ids))
            .order_by(TicketRow.opened_at.desc())
            .limit(100)
        )
    )


@router.get("/tickets", response_class=HTMLResponse)
def my_tickets(request: Request, session: DbSession, clock: Now) -> Response:
    page = Page(request, session, clock.now())
    if page.visitor is None:
        return page.redirect(f"{limits.PORTAL_PREFIX}/sign-in")
    return page.render(
        "tickets.html",
        tickets=_visible_tickets(session, page.visitor),
        opted_out=notices.opted_out(session, page.visitor.phone),
        registered=request.query_params.get("registered", "")[:32],
    )


def _assets(session: Session, visitor: access.Visitor) -> list[AssetRow]:
    if visitor.ticket_id is not None or not visitor.customer_ids:
        return []
    return list(
        session.scalars(
            select(AssetRow)
            .where(AssetRow.customer_id.in_(visitor.customer_ids))
            .order_by(AssetRow.id)
        )
    )


@router.get("/new", response_class=HTMLResponse)
def new_ticket_page(request: Request, session: DbSession, clock: Now) -> Response:
    page = Page(request, session, clock.now())
    if page.visitor is None:
        return page.redirect(f"{limits.PORTAL_PREFIX}/sign-in")
    if page.visitor.ticket_id is not None:
        return page.refused("ticket_only", 403)
    return page.render("new.html", assets=_assets(session, page.visitor), values={})


def _read_photos(photos: list[UploadFile]) -> list[Photo]:
    chosen = [p for p in photos if p.filename]
    if len(chosen) > limits.MAX_PHOTOS:
        raise PhotoRefusedError("", "photo_count")
    return [checked(p.filename or "photo", p.file.read(limits.MAX_PHOTO_BYTES + 1)) for p in chosen]


@router.post("/new", response_class=HTMLResponse)
def register_problem(
    request: Request,
    session: DbSession,
    clock: Now,
    form_token: Text = "",
    asset_id: Text = "",
    serial: Text = "",
    summary: Text = "",
    description: Text = "",
    photos: Annotated[list[UploadFile], File()] = [],  # noqa: B006 (FastAPI copies defaults)
) -> Response:
    now = clock.now()
    page = Page(request, session, now)
    visitor = page.visitor
    if visitor is None:
        return page.refused("signed_out", 401)
    values = {"serial": serial, "summary": summary, "description": description}
    assets = _assets(session, visitor)

    def again(key: str, **more: object) -> Response:
        return page.render("new.html", 422, assets=assets, values=values, error=page.t(key, **more))

    if not page.form_ok(form_token):
        return again("bad_form")
    if not visitor.customer_ids or visitor.ticket_id is not None:
        return page.refused("ticket_only", 403)
    texts = [
        _plain(v, n)
        for v, n in ((serial, 64), (summary, 200), (description, limits.MAX_DESCRIPTION))
    ]
    if any(v is None for v in texts):
        return again("text_bad")
    serial_t, summary_t, description_t = (v or "" for v in texts)
    if len(description) > limits.MAX_DESCRIPTION or len(summary) > 200 or len(serial) > 64:
        return again("text_long", limit=limits.MAX_DESCRIPTION)
    if not description_t.strip():
        return again("text_missing")
    try:
        pictures = _read_photos(photos)
    except PhotoRefusedError as problem:
        if problem.key == "photo_count":
            return again("photo_count")
        return again("bad_photo", name=problem.name, problem=page.t(problem.key))
    asset = next((a for a in assets if asset_id.isdigit() and a.id == int(asset_id)), None)
    if asset is None and serial_t:
        asset = next((a for a in assets if a.serial_number == serial_t), None)
    customer = session.get(CustomerRow, asset.customer_id if asset else visitor.customer_ids[0])
    assert customer is not None  # a visitor's customers exist (access.customers_of)
    team_id = asset.team_id if asset else customer.team_id  # the product's team handles it
    contact = session.scalar(
        select(ContactRow).where(
            ContactRow.customer_id == customer.id, ContactRow.phone_e164 == visitor.phone
        )
    )
    row = _new_ticket(
        request,
        session,
        customer,
        team_id,
        contact,
        asset,
        serial_t,
        summary_t or description_t,
        description_t,
        pictures,
        now,
    )
    # Queued in this transaction, sent after the commit (server_stub.sms.sender).
    notices.queue_notice(
        session,
        visitor.phone,
        notices.Notice.REGISTERED,
        customer.language or page.language,
        now,
        number=row.number,
    )
    session.commit()
    return page.redirect(f"{limits.PORTAL_PREFIX}/tickets?registered={quote(row.number)}")


def _new_ticket(
    request: Request,
    session: Session,
    customer: CustomerRow,
    team_id: int,
    contact: ContactRow | None,
    asset: AssetRow | None,
    serial: str,
    summary: str,
    description: str,
    pictures: list[Photo],
    now: datetime,
) -> TicketRow:
    from sync.contract.records import Priority  # noqa: PLC0415 (beside its one use)

    policies = policies_of(request, session)
    content = description if not serial or asset is not None else f"{description}\n\nS/N: {serial}"
    row = TicketRow(
        number=f"pending-{secrets.token_hex(8)}",
        customer_id=customer.id,
        team_id=team_id,
        handler_id=None,  # the team's queue: the lead or an agent takes it
        contact_id=contact.id if contact else None,
        asset_id=asset.id if asset else None,
        attachments=[{"name": p.name, "size": len(p.data)} for p in pictures],
        channel=Channel.PORTAL.value,
        urgency="medium",
        priority=Priority.P3.value,
        category="fault",
        source="portal",
        status=TicketStatus.NEW.value,
        complaint=False,
        summary=" ".join(summary.split())[:200],
        content=description,
        article_ids=[],
        opened_at=now,
        updated_at=now,
        resolve_due_at=resolution_due(policies, Priority.P3, "fault", now),
    )
    row.content = content
    start_clock(row, policies, now)
    session.add(row)
    session.flush()
    row.number = f"SR-{centre_day(now):%Y%m%d}-{row.id:06d}"
    for photo in pictures:
        session.add(
            PortalFileRow(
                ticket_id=row.id,
                name=photo.name,
                content_type=photo.content_type,
                size=len(photo.data),
                sha256=photo.sha256,
                data=photo.data,
                created_at=now,
            )
        )
    session.flush()
    history(
        session, row.id, None, now, [("created", None, row.number), ("channel", None, "portal")]
    )
    audit(
        session,
        user_id=None,
        action="portal.ticket.create",
        target=row.number,
        allowed=True,
        now=now,
        detail=contact.phone_e164 if contact else "",
    )
    record_change(session, "ticket", ticket_out(row), team_id=row.team_id, now=now)
    return row


def _own_ticket(page: Page, session: Session, number: str) -> TicketRow | None:
    if page.visitor is None:
        return None
    row = access.ticket_by_number(session, number)
    return row if row is not None and page.visitor.may_see(row) else None


@router.get("/tickets/{number}", response_class=HTMLResponse)
def ticket_page(number: str, request: Request, session: DbSession, clock: Now) -> Response:
    page = Page(request, session, clock.now())
    if page.visitor is None:
        return page.redirect(f"{limits.PORTAL_PREFIX}/sign-in")
    row = _own_ticket(page, session, number)
    if row is None:
        return page.refused("not_found", 404)
    return _ticket_view(page, session, row)


def _ticket_view(
    page: Page, session: Session, row: TicketRow, status: int = 200, **extra: Any
) -> HTMLResponse:
    visit = session.scalar(
        select(DispatchRow)
        .where(DispatchRow.ticket_id == row.id)
        .order_by(DispatchRow.window_start.desc())
    )
    shown = ("created", "status", "complaint", "rating")
    changes = session.scalars(
        select(TicketHistoryRow)
        .where(TicketHistoryRow.ticket_id == row.id, TicketHistoryRow.field.in_(shown))
        .order_by(TicketHistoryRow.at, TicketHistoryRow.id)
    ).all()
    feedback = session.scalars(
        select(PortalFeedbackRow).where(PortalFeedbackRow.ticket_id == row.id)
    ).all()
    files = session.scalars(
        select(
            PortalFileRow.id,
        ).where(PortalFileRow.ticket_id == row.id)
    ).all()
    team = session.get(TeamRow, row.team_id)
    return page.render(
        "ticket.html",
        status,
        ticket=row,
        visit=visit,
        changes=changes,
        rated=next((f for f in feedback if f.kind == "rating"), None),
        complained=row.complaint,
        photo_ids=list(files),
        team=team,
        can_rate=row.status in _RESOLVED,
        **extra,
    )


@router.get("/tickets/{number}/photos/{photo_id}")
def ticket_photo(
    number: str, photo_id: int, request: Request, session: DbSession, clock: Now
) -> Response:
    page = Page(request, session, clock.now())
    row = _own_ticket(page, session, number)
    photo = session.get(PortalFileRow, photo_id) if row is not None else None
    if row is None or photo is None or photo.ticket_id != row.id:
        return page.refused("not_found", 404)
    return page.finish(Response(photo.data, media_type=photo.content_type))


@router.post("/tickets/{number}/rate", response_class=HTMLResponse)
def rate_ticket(
    number: str,
    request: Request,
    session: DbSession,
    clock: Now,
    score: Text = "",
    comment: Text = "",
    form_token: Text = "",
) -> Response:
    now = clock.now()
    page = Page(request, session, now)
    checked = _feedback(page, session, number, form_token, comment)
    if isinstance(checked, Response):
        return checked
    row, text_ = checked
    if not score.isdigit() or not 1 <= int(score) <= 5 or row.status not in _RESOLVED:
        return _ticket_view(page, session, row, 422, error=page.t("score"))
    already = session.scalar(
        select(PortalFeedbackRow).where(
            PortalFeedbackRow.ticket_id == row.id, PortalFeedbackRow.kind == "rating"
        )
    )
    if already is None:
        session.add(
            PortalFeedbackRow(
                ticket_id=row.id, kind="rating", score=int(score), comment=text_, at=now
            )
        )
        history(session, row.id, None, now, [("rating", None, score)])
        audit(
            session,
            user_id=None,
            action="portal.ticket.rate",
            target=row.number,
            allowed=True,
            now=now,
            detail=score,
        )
        session.commit()
    return page.redirect(f"{limits.PORTAL_PREFIX}/tickets/{quote(row.number)}")


def _feedback(
    page: Page, session: DbSession, number: str, form_token: str, comment: str
) -> tuple[TicketRow, str] | Response:
    """What a rating and a complaint check first: the customer's own ticket, the form's
    token, the comment (plain text within its limit). The ticket and the comment, or the
    page that refuses."""
    row = _own_ticket(page, session, number)
    if row is None:
        return page.refused("not_found", 404)
    if not page.form_ok(form_token):
        return _ticket_view(page, session, row, 403, error=page.t("bad_form"))
    text_ = _plain(comment, limits.MAX_COMMENT)
    if text_ is None:
        return _ticket_view(page, session, row, 422, error=page.t("text_bad"))
    if len(comment) > limits.MAX_COMMENT:
        error = page.t("text_long", limit=limits.MAX_COMMENT)
        return _ticket_view(page, session, row, 422, error=error)
    return row, text_


@router.post("/tickets/{number}/complain", response_class=HTMLResponse)
def complain(
    number: str,
    request: Request,
    session: DbSession,
    clock: Now,
    comment: Text = "",
    form_token: Text = "",
) -> Response:
    """A complaint from the portal starts the same clock as a phoned one: the ticket becomes
    a complaint, ``start_clock`` sets its response deadline from the centre's policy (24 h by
    default) and the SLA sweeper climbs the escalation chain when it runs out; the lead's
    board hears of it at once (the ``complaint`` event)."""
    now = clock.now()
    page = Page(request, session, now)
    checked = _feedback(page, session, number, form_token, comment)
    if isinstance(checked, Response):
        return checked
    row, text_ = checked
    if not row.complaint:
        row.complaint = True
        if row.handler_id is None:
            # A complaint keeps a handler (sync.contract.rules): the team's lead until one takes it.
            team = session.get(TeamRow, row.team_id)
            row.handler_id = team.lead_id if team else None
        if row.status in (*_RESOLVED, TicketStatus.CANCELLED.value):
            row.status = TicketStatus.IN_PROGRESS.value
            row.closed_at = None
        start_clock(row, policies_of(request, session), now)
        row.updated_at = now
        session.add(
            PortalFeedbackRow(ticket_id=row.id, kind="complaint", score=None, comment=text_, at=now)
        )
        session.flush()
        history(
            session,
            row.id,
            None,
            now,
            [("complaint", False, True), ("complaint_note", None, text_)],
        )
        audit(
            session,
            user_id=None,
            action="portal.ticket.complain",
            target=row.number,
            allowed=True,
            now=now,
        )
        record_change(session, "ticket", ticket_out(row), team_id=row.team_id, now=now)
        raise_event(
            session,
            ComplaintData(ticket_id=row.id, number=row.number),
            now=now,
            team_id=row.team_id,
        )
        session.commit()
    return page.redirect(f"{limits.PORTAL_PREFIX}/tickets/{quote(row.number)}")


@router.get("/faq", response_class=HTMLResponse)
def faq_page(request: Request, session: DbSession, clock: Now, q: str = "") -> Response:
    page = Page(request, session, clock.now())
    query = q[:200]
    hits = _faq(request).search(session, query, page.language) if query.strip() else []
    return page.render("faq.html", query=query, hits=hits)


@router.get("/faq/{article_id}", response_class=HTMLResponse)
def faq_article(article_id: int, request: Request, session: DbSession, clock: Now) -> Response:
    page = Page(request, session, clock.now())
    article = _faq(request).article(session, article_id) if 0 < article_id < 2**31 else None
    if article is None:
        return page.refused("not_found", 404)
    # The sanitiser's output (no script, nothing loaded from outside): the only markup let in.
    return page.render("article.html", article=article, body=Markup(safe_html(article.body)))


@router.get("/suggest", response_class=HTMLResponse)
def suggest(request: Request, session: DbSession, clock: Now, q: str = "") -> Response:
    """The articles pushed while a customer types their description: an HTML fragment the
    page's script puts under the text box (without script, the FAQ link does the same)."""
    page = Page(request, session, clock.now())
    hits = _faq(request).suggest(session, q[:500], page.language)
    return page.render("suggest.html", hits=hits)


@router.post("/faq/{article_id}/solved", response_class=HTMLResponse)
def solved(
    article_id: int, request: Request, session: DbSession, clock: Now, form_token: Text = ""
) -> Response:
    """ "This solved it": counted as self-service (a problem that needed no ticket)."""
    now = clock.now()
    page = Page(request, session, now)
    article = _faq(request).article(session, article_id) if 0 < article_id < 2**31 else None
    if article is None:
        return page.refused("not_found", 404)
    if not page.form_ok(form_token):
        return page.refused("bad_form", 403)
    session.add(
        SelfServiceRow(
            article_id=article.id, phone_e164=page.visitor.phone if page.visitor else None, at=now
        )
    )
    audit(
        session,
        user_id=None,
        action="portal.self_service",
        target=f"article {article.id}",
        allowed=True,
        now=now,
    )
    session.commit()
    return page.render("message.html", message=page.t("solved_thanks"))


@router.post("/sms", response_class=HTMLResponse)
def sms_switch(
    request: Request, session: DbSession, clock: Now, notices_on: Text = "", form_token: Text = ""
) -> Response:
    now = clock.now()
    page = Page(request, session, now)
    if page.visitor is None:
        return page.refused("signed_out", 401)
    if not page.form_ok(form_token):
        return page.refused("bad_form", 403)
    if notices_on == "1":
        notices.opt_in(session, page.visitor.phone)
    else:
        notices.opt_out(session, page.visitor.phone, "portal", now)
    audit(
        session,
        user_id=None,
        action="portal.sms",
        target=page.visitor.phone,
        allowed=True,
        now=now,
        detail="on" if notices_on == "1" else "off",
    )
    session.commit()
    return page.redirect(f"{limits.PORTAL_PREFIX}/tickets")
