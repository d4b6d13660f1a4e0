"""The SMS notices a customer gets, in their language, and the opt-out that stops them.

Templates are a small typed table (both languages complete: ``tests/unit/test_sms_notices.py``
checks that every template has both and the same placeholders). Each notice asked for is
logged (``SmsMessageRow``) as sent, failed or opted out; a sign-in code ignores the opt-out
(the customer asked for it that minute) and says nothing about it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server_stub.models import SmsMessageRow, SmsOptOutRow
from server_stub.sms.gateway import SmsGateway, SmsMessage, SmsSendError


class Notice(enum.StrEnum):
    CODE = "code"
    REGISTERED = "registered"
    VISIT = "visit"
    SURVEY = "survey"


TEMPLATES: dict[Notice, dict[str, str]] = {
    Notice.CODE: {
        "zh": "【服务中心】您的登录验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人。",
        "en": "[Service centre] Your sign-in code is {code}; it is valid for {minutes} minutes. "
        "Do not share it.",
    },
    Notice.REGISTERED: {
        "zh": "【服务中心】您的问题已登记，工单号 {number}。可在服务网站查询进度。回复TD退订",
        "en": "[Service centre] Your request is registered as {number}. Follow it on our "
        "service website. Reply STOP to opt out",
    },
    Notice.VISIT: {
        "zh": "【服务中心】工单 {number}：工程师 {engineer} 将于 {window} 上门服务。回复TD退订",
        "en": "[Service centre] Ticket {number}: engineer {engineer} will visit {window}. "
        "Reply STOP to opt out",
    },
    Notice.SURVEY: {
        "zh": "【服务中心】工单 {number} 已处理完毕，请为本次服务评价：{link} 回复TD退订",
        "en": "[Service centre] Ticket {number} is resolved. Please rate our service: {link} "
        "Reply STOP to opt out",
    },
}
# What a customer may text back to stop the notices (the providers' usual keywords).
STOP_WORDS = frozenset({"STOP", "UNSUBSCRIBE", "TD", "T", "退订", "取消"})


def language_of(language: str) -> str:
    return "zh" if language.lower().startswith("zh") else "en"


def render(notice: Notice, language: str, **values: str) -> str:
    return TEMPLATES[notice][language_of(language)].format(**values)


def opted_out(session: Session, phone: str) -> bool:
    return session.get(SmsOptOutRow, phone) is not None


def opt_out(session: Session, phone: str, via: str, now: datetime) -> None:
    if not opted_out(session, phone):
        session.add(SmsOptOutRow(phone_e164=phone, at=now, via=via))


def opt_in(session: Session, phone: str) -> None:
    row = session.get(SmsOptOutRow, phone)
    if row is not None:
        session.delete(row)


def is_stop(text: str) -> bool:
    """Whether an inbound text asks to stop the notices."""
    return text.strip().upper().rstrip(".!。！") in STOP_WORDS


def send_notice(
    session: Session,
    gateway: SmsGateway,
    phone: str,
    notice: Notice,
    language: str,
    now: datetime,
    **values: str,
) -> str:
    """Send ``notice`` to ``phone`` unless it opted out; log it. Returns the status logged:
    "sent", "failed" or "opted_out"."""
    lang = language_of(language)
    text = render(notice, lang, **values)
    status, error = "sent", ""
    if notice is not Notice.CODE and opted_out(session, phone):
        status = "opted_out"
    else:
        try:
            gateway.send(SmsMessage(to=phone, text=text))
        except SmsSendError as exc:
            status, error = "failed", str(exc)
    session.add(
        SmsMessageRow(
            phone_e164=phone,
            template=notice.value,
            language=lang,
            # A code is a secret: the log keeps that one was sent, not the code.
            body=render(notice, lang, **{**values, "code": "******"})
            if notice is Notice.CODE
            else text,
            status=status,
            error=error[:500],
            at=now,
        )
    )
    return status


def queue_notice(
    session: Session, phone: str, notice: Notice, language: str, now: datetime, **values: str
) -> None:
    """Log ``notice`` as queued in the caller's transaction: ``sender.SmsSender`` sends it
    after the commit, so no write waits on the provider (and a rolled-back write sends none)."""
    lang = language_of(language)
    session.add(
        SmsMessageRow(
            phone_e164=phone,
            template=notice.value,
            language=lang,
            body=render(notice, lang, **values),
            status="queued",
            error="",
            at=now,
        )
    )


def send_queued(session: Session, gateway: SmsGateway, limit: int = 50) -> int:
    """Send the queued notices, oldest first (an opt-out made since holds them back);
    returns how many were handled. Each is committed as it goes."""
    rows = session.scalars(
        select(SmsMessageRow)
        .where(SmsMessageRow.status == "queued")
        .order_by(SmsMessageRow.id)
        .limit(limit)
    ).all()
    for row in rows:
        if opted_out(session, row.phone_e164):
            row.status = "opted_out"
        else:
            try:
                gateway.send(SmsMessage(to=row.phone_e164, text=row.body))
                row.status = "sent"
            except SmsSendError as exc:
                row.status, row.error = "failed", str(exc)[:500]
        session.commit()
    return len(rows)


def sent_notices(session: Session, phone: str) -> list[SmsMessageRow]:
    return list(
        session.scalars(
            select(SmsMessageRow)
            .where(SmsMessageRow.phone_e164 == phone)
            .order_by(SmsMessageRow.id)
        )
    )
