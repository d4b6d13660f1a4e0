"""A question kept with its article reaches every team's desks: the customer's phone numbers,
e-mail addresses and ID or card numbers are dropped first; the words of the problem (model
numbers, error codes) stay."""

from __future__ import annotations

import pytest

from server_stub.api.routes.knowledge import scrubbed


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("张先生 13800138000 的打印机卡纸", "张先生 的打印机卡纸"),
        ("客户 +86 138-0013-8000 说 IP-300 报 E-17", "客户 说 IP-300 报 E-17"),
        ("邮箱 zhang.san@example.com 问 50.1 定影器错误", "邮箱 问 50.1 定影器错误"),
        ("身份证 11010519491231002X 的账号锁定", "身份证 的账号锁定"),
        ("card 4111 1111 1111 1111 was charged twice", "card was charged twice"),
        ("LP-3100 保修多久", "LP-3100 保修多久"),
        ("13800138000", ""),
    ],
)
def test_the_customers_numbers_are_not_kept(asked: str, kept: str) -> None:
    assert scrubbed(asked) == kept


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("LP-3100 12 张纸就卡", "LP-3100 12 张纸就卡"),  # a model and a count stay
        ("IP-300 2024 年买的", "IP-300 2024 年买的"),
        ("客户电话 138.0013.8000 回电", "客户电话 回电"),
        ("微信 zhang_san1988 发了照片", "发了照片"),
        ("加 QQ：12345678 联系", "加 联系"),
    ],
)
def test_models_stay_and_more_ways_of_writing_numbers_go(asked: str, kept: str) -> None:
    assert scrubbed(asked) == kept
