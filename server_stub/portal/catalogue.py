"""The portal's texts in English and Simplified Chinese: one typed table, complete in both
(``tests/unit/test_portal_catalogue.py`` checks every key has both and the same placeholders).
Jinja2 escapes what the pages put in; the texts hold no markup."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("zh", "en")


@dataclass(frozen=True, slots=True)
class Text:
    en: str
    zh: str


TEXTS: dict[str, Text] = {
    "title": Text("Customer service", "客户服务"),
    "switch": Text("中文", "English"),
    "sign_in": Text("Sign in", "登录"),
    "sign_out": Text("Sign out", "退出"),
    "phone": Text("Mobile number", "手机号码"),
    "send_code": Text("Send me a code", "获取验证码"),
    "code": Text("Code from the SMS", "短信验证码"),
    "verify": Text("Sign in with the code", "验证并登录"),
    "or_ticket": Text("Or with a ticket number", "或用工单号登录"),
    "ticket_number": Text("Ticket number", "工单号"),
    "code_sent": Text(
        "If this number is registered with us, a code is on its way (valid {minutes} min).",
        "如该号码已在我们这里登记，验证码已发出（{minutes} 分钟内有效）。",
    ),
    "bad_phone": Text("That is not a mobile number we can read.", "无法识别该手机号码。"),
    "bad_code": Text(
        "The code is wrong or has expired. Ask for a new one.", "验证码错误或已过期，请重新获取。"
    ),
    "bad_ticket": Text(
        "No ticket with that number and phone. Check both.", "工单号与手机号码不匹配，请核对。"
    ),
    "too_many": Text(
        "Too many tries. Please wait {minutes} minutes and try again.",
        "尝试次数过多，请 {minutes} 分钟后再试。",
    ),
    "bad_form": Text("The form had expired. Please send it again.", "表单已失效，请重新提交。"),
    "signed_out": Text("Please sign in first.", "请先登录。"),
    "ticket_only": Text(
        "You signed in with a ticket number. To register a new problem, sign in with an SMS code.",
        "您是用工单号登录的。如需登记新问题，请用短信验证码登录。",
    ),
    "my_tickets": Text("My requests", "我的服务请求"),
    "new_ticket": Text("Register a problem", "登记问题"),
    "no_tickets": Text("You have no requests yet.", "您还没有服务请求。"),
    "status": Text("Status", "状态"),
    "opened": Text("Registered", "登记时间"),
    "product": Text("Product", "产品"),
    "other_product": Text("Another product", "其他产品"),
    "serial": Text("Serial number", "序列号"),
    "summary": Text("In a few words", "问题简述"),
    "description": Text("What happened?", "问题描述"),
    "photos": Text(
        "Photos (JPEG, PNG or WebP, up to 3 of 5 MB)",
        "照片（JPEG、PNG 或 WebP，最多 3 张，每张不超过 5 MB）",
    ),
    "submit": Text("Register", "提交"),
    "registered": Text(
        "Registered as {number}. We sent you the number by SMS.",
        "已登记，工单号 {number}，已短信通知您。",
    ),
    "suggested": Text("These answers may help", "以下解答或许能帮到您"),
    "solved": Text("This solved it", "问题已解决"),
    "solved_thanks": Text(
        "Glad it helped. No request was registered.", "很高兴帮到您，本次未登记服务请求。"
    ),
    "history": Text("History", "处理记录"),
    "visit": Text("Engineer's visit", "工程师上门"),
    "visit_window": Text("{engineer}, {start} – {end}", "{engineer}，{start} – {end}"),
    "no_visit": Text("No visit planned", "暂无上门安排"),
    "expected": Text("Expected completion", "预计完成时间"),
    "photos_sent": Text("Photos", "照片"),
    "rate": Text("Rate our service", "服务评价"),
    "score": Text("Score (5 is best)", "评分（5 分最好）"),
    "comment": Text("Comment", "意见"),
    "send": Text("Send", "提交"),
    "rated": Text(
        "Thank you: you rated this {score} of 5.", "感谢您的评价：{score} 分（满分 5 分）。"
    ),
    "complain": Text("Complain about this request", "投诉"),
    "complained": Text(
        "Your complaint is registered; a team lead answers within 24 hours.",
        "您的投诉已登记，班长将在 24 小时内答复。",
    ),
    "faq": Text("Help and FAQ", "常见问题"),
    "search": Text("Search", "搜索"),
    "no_answers": Text(
        "No answer matched. Register a problem and we will help.",
        "没有找到相关解答。请登记问题，我们会帮您处理。",
    ),
    "sms_notices": Text("SMS notices", "短信通知"),
    "sms_on": Text("Send me SMS notices", "接收短信通知"),
    "sms_off": Text("Stop SMS notices", "停止短信通知"),
    "sms_now_off": Text("You will get no more SMS notices.", "已停止短信通知。"),
    "sms_now_on": Text("SMS notices are on.", "已开启短信通知。"),
    "not_found": Text("No such request among yours.", "您的服务请求中没有这一条。"),
    "bad_photo": Text("{name}: {problem}", "{name}：{problem}"),
    "photo_type": Text("not a JPEG, PNG or WebP picture", "不是 JPEG、PNG 或 WebP 图片"),
    "photo_size": Text("larger than 5 MB", "超过 5 MB"),
    "photo_count": Text("at most 3 photos", "最多 3 张照片"),
    "text_missing": Text("Please say what happened.", "请填写问题描述。"),
    "text_long": Text(
        "The text is too long (at most {limit} characters).", "内容过长（最多 {limit} 字）。"
    ),
    "text_bad": Text("The text holds characters we cannot keep.", "内容含有无法保存的字符。"),
    "back": Text("Back", "返回"),
    "new": Text("new", "新建"),
    "in_progress": Text("in progress", "处理中"),
    "waiting_customer": Text("waiting for you", "等待您回复"),
    "escalated": Text("escalated", "已升级"),
    "resolved": Text("resolved", "已解决"),
    "closed": Text("closed", "已关闭"),
    "cancelled": Text("cancelled", "已取消"),
    "created": Text("registered", "已登记"),
    "changed": Text("{field}: {new}", "{field}：{new}"),
    "field_status": Text("status", "状态"),
    "field_complaint": Text("complaint", "投诉"),
    "field_rating": Text("rating", "评价"),
}


def text(language: str, key: str, **values: object) -> str:
    """The text of ``key`` in ``language`` ("zh" or "en"), its placeholders filled; a key not
    in the table (a status newer than these pages) is shown as it is."""
    entry = TEXTS.get(key)
    if entry is None:
        return key
    template = entry.zh if language == "zh" else entry.en
    return template.format(**values) if values else template


def choose_language(cookie: str | None, accept_language: str | None) -> str:
    """The switch's choice (a cookie) wins; else the browser's Accept-Language, in its order
    of preference; Chinese when nothing says (the centres' customers mostly read it)."""
    if cookie in LANGUAGES:
        return cookie
    ranked: list[tuple[float, str]] = []
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality + position * 1e-6, tag.strip().lower()))
    for _rank, tag in sorted(ranked):
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "zh"
