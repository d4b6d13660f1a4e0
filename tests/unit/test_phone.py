from __future__ import annotations

import pytest

from sync.contract.phone import PhoneNumber, PhoneNumberError, lookup_key, normalise_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+86 138 0013 8000", PhoneNumber("+8613800138000")),
        ("008613800138000", PhoneNumber("+8613800138000")),
        ("8613800138000", PhoneNumber("+8613800138000")),
        ("13800138000", PhoneNumber("+8613800138000")),
        ("010-6552 1234", PhoneNumber("+861065521234")),
        ("(010) 6552-1234", PhoneNumber("+861065521234")),
        ("010-6552 1234 ext. 2301", PhoneNumber("+861065521234", "2301")),
        ("021 6437 0045 转 8", PhoneNumber("+862164370045", "8")),
        ("021-64370045分机123", PhoneNumber("+862164370045", "123")),
        ("+852 2834 5678", PhoneNumber("+85228345678")),
        ("sip:+8613800138000@10.0.0.1;user=phone", PhoneNumber("+8613800138000")),
        ("<tel:13800138000>", PhoneNumber("+8613800138000")),
    ],
)
def test_what_agents_and_trunks_send(raw: str, expected: PhoneNumber) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "138", "anonymous", "1" * 30, "+86 000"])
def test_not_a_number(raw: str) -> None:
    with pytest.raises(PhoneNumberError):
        normalise_phone(raw)
    assert lookup_key(raw) is None
