"""Numbers inside text made dialable (agent_desktop/ui/phone_text.py)."""

from __future__ import annotations

from agent_desktop.ui.phone_text import find_numbers, link_numbers, number_of_link


def test_numbers_in_text_are_found_with_their_extension() -> None:
    text = (
        "请拨打售后热线 400-800-1234 或 010-6529 5114 转 2301；"
        "海外 +852 2834 5678 ext. 12. 序列号 SN20261205001，日期 2026-12-05，时间 10:42:03，"
        "代码 8101。"
    )
    assert find_numbers(text) == [
        "400-800-1234",
        "010-6529 5114 转 2301",
        "+852 2834 5678 ext. 12",
    ]


def test_links_wrap_numbers_in_text_only() -> None:
    html = (
        '<p>Call <b>13800138000</b> or <a href="https://x/13900000000">13900000000</a>.</p>'
        '<img alt="13700000000" src="data:,">'
    )
    linked = link_numbers(html)
    assert '<b><a href="tel:13800138000">13800138000</a></b>' in linked
    assert '<a href="https://x/13900000000">13900000000</a>' in linked  # an existing link
    assert 'alt="13700000000"' in linked  # inside a tag: untouched
    assert linked.count("tel:") == 1


def test_a_link_gives_back_the_number_as_written() -> None:
    linked = link_numbers("<p>010-6529 5114 转 2301</p>")
    href = linked.split('href="', 1)[1].split('"', 1)[0]
    assert number_of_link(href) == "010-6529 5114 转 2301"
    assert number_of_link("https://example.com") == ""
