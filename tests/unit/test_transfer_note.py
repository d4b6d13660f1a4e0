"""The warm-transfer note's header: what goes out is short and clean; what comes in is read
defensively (any caller can send the header)."""

from __future__ import annotations

import base64

import pytest

from softphone._pj import sip_header
from softphone.transfer_note import (
    NOTE_HEADER,
    NOTE_MAX_BYTES,
    clean_note,
    decode_note,
    encode_note,
    with_note,
)


def raw(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


@pytest.mark.parametrize(
    "note",
    [
        "Printer jams after restart; needs a visit",
        "客户王先生：打印机卡纸，已重启",
        "a",
        "é ü ß 😀",
    ],
)
def test_a_note_goes_there_and_back(note: str) -> None:
    value = encode_note(note)
    assert value.isascii()
    assert "=" not in value
    assert "\n" not in value
    assert decode_note(value) == note


def test_control_and_format_characters_never_travel_or_show() -> None:
    note = "line one\r\nline\ttwo\x00\x1b[31m red\u202eevil\u200b end"
    assert clean_note(note) == "line one line two[31m redevil end"
    assert decode_note(raw(note.encode())) == "line one line two[31m redevil end"


def test_a_long_note_is_cut_at_a_character_within_the_cap() -> None:
    note = "转" * 200  # 600 bytes of UTF-8
    cut = clean_note(note)
    assert cut == "转" * (NOTE_MAX_BYTES // 3)
    assert decode_note(encode_note(note)) == cut
    assert len(encode_note("x" * 10_000)) <= (NOTE_MAX_BYTES * 4 + 2) // 3


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "not base64 at all!",  # characters outside the alphabet
        "YWJj=ZGVm",  # padding in the middle
        "A",  # not a whole byte
        raw(b"\xff\xfe\xfa bad utf-8"),
        raw(b"\xc4\xe3\xba\xc3"),  # GBK bytes: not ours, not guessed at
        raw(b"x" * 2000),  # far over the cap: not even decoded
        "QQ" * 100_000,
    ],
)
def test_anything_else_is_no_note(value: str | None) -> None:
    assert decode_note(value) == ""


def test_only_nul_bytes_is_no_note() -> None:
    assert decode_note(raw(b"\x00" * 50)) == ""


def test_a_blind_transfer_carries_the_note_as_a_uri_header() -> None:
    uri = with_note("sip:8101@pbx.example.com;transport=tcp", "回电 call back")
    assert uri.startswith("sip:8101@pbx.example.com;transport=tcp?X-AW-Note=")
    assert decode_note(uri.split("X-AW-Note=", 1)[1]) == "回电 call back"
    assert with_note("sip:8101@pbx", "  \x00 ") == "sip:8101@pbx"


def test_the_header_is_read_from_the_invite_head_only() -> None:
    value = encode_note("hi")
    message = (
        f"INVITE sip:a@b SIP/2.0\r\n{NOTE_HEADER}: {value}\r\nContent-Length: 5\r\n\r\n"
        f"{NOTE_HEADER}: {encode_note('body')}\r\n"
    )
    assert decode_note(sip_header(message, NOTE_HEADER)) == "hi"
