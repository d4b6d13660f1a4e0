"""The portal's catalogue and the SMS templates are complete in both languages with the same
placeholders; the language is chosen by the switch, then Accept-Language; STOP words."""

from __future__ import annotations

import string

import pytest

from server_stub.portal.catalogue import TEXTS, choose_language, text
from server_stub.sms.notices import TEMPLATES, Notice, is_stop, render


def _fields(template: str) -> set[str]:
    return {name for _t, name, _f, _c in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_portal_text_in_both_languages(key: str) -> None:
    entry = TEXTS[key]
    assert entry.en.strip()
    assert entry.zh.strip()
    assert _fields(entry.en) == _fields(entry.zh)


@pytest.mark.parametrize("notice", list(Notice))
def test_every_notice_in_both_languages(notice: Notice) -> None:
    assert set(TEMPLATES[notice]) == {"zh", "en"}
    assert _fields(TEMPLATES[notice]["zh"]) == _fields(TEMPLATES[notice]["en"])


def test_notices_render_in_the_customers_language() -> None:
    assert "SR-1" in render(Notice.REGISTERED, "zh_CN", number="SR-1")
    assert "退订" in render(Notice.REGISTERED, "zh", number="SR-1")
    assert "STOP" in render(Notice.REGISTERED, "en", number="SR-1")


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        (None, "en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        (None, "fr-FR, en;q=0.5, zh;q=0.7", "zh"),  # by quality, not order
        (None, "", "zh"),
        (None, "garbage;q=x,,;;", "zh"),
        ("en", "zh-CN", "en"),  # the switch wins
        ("xx", "en", "en"),  # a cookie of no language is ignored
    ],
)
def test_the_language_chosen(cookie: str | None, header: str, expected: str) -> None:
    assert choose_language(cookie, header) == expected


def test_texts_fill_their_placeholders() -> None:
    assert text("zh", "registered", number="SR-9") == "已登记，工单号 SR-9，已短信通知您。"


@pytest.mark.parametrize(
    ("sent", "stop"),
    [("STOP", True), ("stop.", True), ("退订", True), ("TD", True), ("thanks", False), ("", False)],
)
def test_stop_words(sent: str, stop: bool) -> None:
    assert is_stop(sent) is stop
