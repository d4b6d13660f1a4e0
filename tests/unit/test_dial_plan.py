"""The site's dial plan (softphone/dial_plan.py): what is dialled, what DTMF follows, and what
the CRM is searched by."""

from __future__ import annotations

import pytest

from softphone.dial_plan import Dialling, DialPlan, split_extension

BEIJING = DialPlan(area_code="10")
BEIJING_9 = DialPlan(area_code="10", outside_line="9")


@pytest.mark.parametrize(
    ("text", "number", "extension"),
    [
        ("+861065295114ext.2301", "+861065295114", "2301"),
        ("+86 10 6529 5114 ext. 2301", "+86 10 6529 5114", "2301"),
        ("010-65295114转2301", "010-65295114", "2301"),
        ("010-65295114 分机 2301", "010-65295114", "2301"),
        ("01065295114x2301", "01065295114", "2301"),
        ("01065295114#2301#", "01065295114", "2301"),
        ("01065295114,,2301", "01065295114", "2301"),
        ("010-65295114-2301", "010-65295114", "2301"),
        ("010-6529-5114", "010-6529-5114", ""),  # '-' between groups: no extension
        ("13800138000", "13800138000", ""),
        ("x2301", "x2301", ""),
    ],
)
def test_extensions_are_split_off(text: str, number: str, extension: str) -> None:
    assert split_extension(text) == (number, extension)


@pytest.mark.parametrize(
    ("plan", "text", "expected"),
    [
        (BEIJING, "+861065295114ext.2301", Dialling("65295114", "2301")),
        (BEIJING_9, "+861065295114ext.2301", Dialling("965295114", "2301")),
        (BEIJING, "+862165295114", Dialling("02165295114")),
        (BEIJING, "+8613800138000", Dialling("13800138000")),
        (BEIJING_9, "+8613800138000", Dialling("913800138000")),
        (BEIJING, "+14155550100", Dialling("0014155550100")),
        (BEIJING, "010-65295114-2301", Dialling("01065295114", "2301")),
        (BEIJING, "2301", Dialling("2301")),
        (BEIJING_9, "2301", Dialling("2301")),  # an extension never gets the outside line
        (BEIJING, "sip:5000@127.0.0.1", Dialling("sip:5000@127.0.0.1")),
        (BEIJING, "alice", Dialling("alice")),
        (BEIJING, "  ", Dialling("")),
    ],
)
def test_what_is_dialled(plan: DialPlan, text: str, expected: Dialling) -> None:
    assert plan.dialling(text) == expected


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("1795113800138000", "+8613800138000"),  # IP-dialling prefix stripped
        ("125930106529 5114", "+861065295114"),
        ("65295114", "+861065295114"),  # local: the home area code added
        ("6529-5114", "+861065295114"),
        ("01065295114", "+861065295114"),
        ("008613800138000", "+8613800138000"),
        ("8613800138000", "+8613800138000"),
        ("13800138000", "+8613800138000"),
        ("+861065295114", "+861065295114"),
        ("2301", "2301"),  # a colleague's extension stays one
        ("anonymous", "anonymous"),
        ("", ""),
    ],
)
def test_what_the_crm_is_searched_by(raw: str, key: str) -> None:
    assert BEIJING.lookup_number(raw) == key


def test_a_plan_without_an_area_code_leaves_local_numbers_alone() -> None:
    assert DialPlan().lookup_number("65295114") == "65295114"


def test_dialled_numbers_name_their_queue() -> None:
    plan = DialPlan(queue_numbers=("400-800-1234=VIP hotline", "4008009999 = Complaints"))
    assert plan.queue_of("4008001234") == "VIP hotline"
    assert plan.queue_of("+4008009999") == "Complaints"
    assert plan.queue_of("4008000000") == ""
    assert plan.queue_of("") == ""
