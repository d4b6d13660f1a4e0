"""Texts customers send back (the provider's inbound webhook): STOP / TD / 退订 opts the phone
out of notices; anything else is logged and left. The provider proves itself with the shared
token the centre configured (``--sms-inbound-token``); without one the route is closed."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from server_stub.api.deps import DbSession, Now
from server_stub.feed import audit
from server_stub.portal.access import phone_key
from server_stub.sms.notices import is_stop, opt_out

router = APIRouter(include_in_schema=False)


class InboundText(BaseModel):
    sender: str = Field(alias="from", min_length=1, max_length=40)
    text: str = Field(max_length=1000)


@router.post("/sms/inbound")
def inbound(
    body: InboundText, request: Request, session: DbSession, clock: Now
) -> PlainTextResponse:
    expected: str = request.app.state.settings.sms_inbound_token
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(expected, sent):
        return PlainTextResponse("This SMS provider is not known here.", status_code=401)
    phone = phone_key(body.sender)
    if phone is None:
        return PlainTextResponse("from: not a phone number", status_code=422)
    now = clock.now()
    stop = is_stop(body.text)
    if stop:
        opt_out(session, phone, "sms", now)
    audit(
        session,
        user_id=None,
        action="sms.inbound",
        target=phone,
        allowed=True,
        now=now,
        detail="STOP" if stop else body.text[:200],
    )
    session.commit()
    return PlainTextResponse("opted out" if stop else "noted")
