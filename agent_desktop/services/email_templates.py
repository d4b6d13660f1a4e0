"""The reply templates an agent starts an email answer from, in the customer's language
(Chinese or English, whatever the desk's own language): customer-facing text, so it is
chosen by the customer's language rather than translated with the desk's. ``{number}`` is
the ticket's number, ``{summary}`` its summary."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EmailTemplate:
    key: str
    subject: str
    body: str

    def filled(self, number: str, summary: str) -> tuple[str, str]:
        values = {"number": number, "summary": summary}
        return self.subject.format(**values), self.body.format(**values)


TEMPLATE_KEYS = ("received", "need_info", "resolved", "free")

TEMPLATES: dict[str, dict[str, EmailTemplate]] = {
    "zh": {
        "received": EmailTemplate(
            "received",
            "Re: {summary}",
            "您好！\n\n您的来信已收到，服务单号为 {number}。我们的工程师会尽快处理，"
            "如有进展将第一时间通知您。\n\n如需补充信息，直接回复本邮件即可（请保留主题中的单号）。\n\n"
            "此致\n客户服务中心",
        ),
        "need_info": EmailTemplate(
            "need_info",
            "Re: {summary}",
            "您好！\n\n为尽快处理服务单 {number}，请您补充以下信息：\n"
            "1. 产品型号和序列号\n2. 故障出现的时间和现象（如有照片请附上）\n3. 方便联系的电话\n\n"
            "直接回复本邮件即可。\n\n此致\n客户服务中心",
        ),
        "resolved": EmailTemplate(
            "resolved",
            "Re: {summary}",
            "您好！\n\n服务单 {number} 反映的问题已处理完毕。如问题仍未解决，"
            "请直接回复本邮件，我们会继续跟进。\n\n感谢您的支持！\n客户服务中心",
        ),
        "free": EmailTemplate("free", "Re: {summary}", "您好！\n\n\n\n此致\n客户服务中心"),
    },
    "en": {
        "received": EmailTemplate(
            "received",
            "Re: {summary}",
            "Hello,\n\nThank you for your message. Your service request number is {number}; "
            "an engineer will look into it shortly and we will keep you informed.\n\n"
            "To add anything, simply reply to this email (please keep the number in the "
            "subject).\n\nKind regards,\nCustomer Service",
        ),
        "need_info": EmailTemplate(
            "need_info",
            "Re: {summary}",
            "Hello,\n\nTo resolve service request {number} quickly, could you please send us:\n"
            "1. the product's model and serial number\n2. when the fault appears and what "
            "happens (photos welcome)\n3. a phone number we can reach you on\n\n"
            "Simply reply to this email.\n\nKind regards,\nCustomer Service",
        ),
        "resolved": EmailTemplate(
            "resolved",
            "Re: {summary}",
            "Hello,\n\nThe problem reported in service request {number} has been resolved. "
            "If it is not, simply reply to this email and we will follow it up.\n\n"
            "Thank you,\nCustomer Service",
        ),
        "free": EmailTemplate(
            "free", "Re: {summary}", "Hello,\n\n\n\nKind regards,\nCustomer Service"
        ),
    },
}
