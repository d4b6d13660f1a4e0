"""Caller identity from raw INVITEs (softphone/identity.py): PAI, RPID, From, Privacy, RFC 3966
numbers, display names (quoted with ``<``, escaped quotes, GBK bytes) and poison input."""

from __future__ import annotations

import pytest

from softphone._pj import offer_policy
from softphone.events import PhoneConfig
from softphone.identity import (
    IdentitySource,
    OfferPolicy,
    decode_name,
    is_trusted,
    parse_name_addr,
    read_offer,
    split_message,
    uri_number,
)

PBX = "127.0.0.1:5060"
STRANGER = "127.0.0.9:5060"
POLICY = OfferPolicy(trusted=("127.0.0.1",), own_users=("agent",), data_headers=("Diversion",))


def invite(*headers: str, ruri: str = "sip:agent@127.0.0.2:5062") -> str:
    lines = [
        f"INVITE {ruri} SIP/2.0",
        "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1",
        "Call-ID: 1@x",
        "CSeq: 1 INVITE",
        *headers,
        "Content-Length: 0",
    ]
    return "\r\n".join(lines) + "\r\n\r\nv=0\r\n"


def surrogated(raw: bytes) -> str:
    """What pjsua2's SWIG layer hands Python for these bytes (surrogateescape)."""
    return raw.decode("utf-8", "surrogateescape")


def test_pai_wins_over_a_pilot_number_in_from_when_the_source_is_trusted() -> None:
    message = invite(
        'From: "Hotline" <sip:4008001234@pbx>;tag=1',
        "To: <sip:4008001234@pbx>",
        'P-Asserted-Identity: "王先生" <sip:+8613800138000@pbx;user=phone>',
    )
    offer = read_offer(message, PBX, POLICY)
    assert offer.caller.source == IdentitySource.PAI
    assert offer.caller.number == "+8613800138000"
    assert offer.caller.display_name == "王先生"
    assert not offer.caller.withheld
    assert offer.dialled == "4008001234"  # the Request-URI is ours: the To names the hotline


def test_an_untrusted_source_cannot_assert_an_identity() -> None:
    message = invite(
        "From: <sip:13900000001@evil>;tag=1",
        "P-Asserted-Identity: <sip:+8613800138000@evil>",
        'Remote-Party-ID: "Boss" <sip:+861065295114@evil>;party=calling',
    )
    offer = read_offer(message, STRANGER, POLICY)
    assert offer.caller.source == IdentitySource.FROM
    assert offer.caller.number == "13900000001"
    assert not offer.trusted
    assert read_offer(message, PBX, OfferPolicy()).caller.source == IdentitySource.FROM


def test_pai_with_a_sip_and_a_tel_identity_prefers_the_number() -> None:
    message = invite(
        "From: <sip:anonymous@anonymous.invalid>;tag=1",
        'P-Asserted-Identity: "Li" <sip:li@pbx.example>, <tel:+86-10-6529-5114>',
    )
    caller = read_offer(message, PBX, POLICY).caller
    assert caller.number == "+861065295114"
    assert caller.display_name == "Li"


def test_rpid_when_there_is_no_pai_and_its_privacy_parameter() -> None:
    open_ = invite(
        "From: <sip:4008001234@pbx>;tag=1",
        'Remote-Party-ID: "Zhao" <sip:13700000002@pbx>;party=calling;screen=yes;privacy=off',
    )
    caller = read_offer(open_, PBX, POLICY).caller
    assert (caller.source, caller.number, caller.display_name) == (
        IdentitySource.RPID,
        "13700000002",
        "Zhao",
    )
    hidden = invite(
        "From: <sip:4008001234@pbx>;tag=1",
        'Remote-Party-ID: "Zhao" <sip:13700000002@pbx>;party=calling;privacy=full',
    )
    caller = read_offer(hidden, PBX, POLICY).caller
    assert caller.withheld
    assert caller.display_name == ""
    assert caller.number == "13700000002"  # kept for the lookup: asserted inside the trust


def test_privacy_id_is_withheld_but_the_number_kept_only_where_policy_allows() -> None:
    message = invite(
        'From: "Anonymous" <sip:anonymous@anonymous.invalid>;tag=1',
        'P-Asserted-Identity: "Wang" <sip:+8613800138000@pbx>',
        "Privacy: id",
    )
    caller = read_offer(message, PBX, POLICY).caller
    assert caller.withheld
    assert caller.display_name == ""
    assert caller.number == "+8613800138000"
    strict = OfferPolicy(trusted=("127.0.0.0/8",), keep_withheld_number=False)
    assert read_offer(message, PBX, strict).caller.number == ""
    # From outside the trust domain, an anonymous From is all there is.
    caller = read_offer(message, STRANGER, POLICY).caller
    assert caller.withheld
    assert caller.number == ""


def test_an_anonymous_from_is_withheld() -> None:
    caller = read_offer(
        invite('From: "Anonymous" <sip:anonymous@anonymous.invalid>;tag=1'), STRANGER, POLICY
    ).caller
    assert caller.withheld
    assert caller.number == ""
    assert caller.display_name == ""


@pytest.mark.parametrize(
    ("uri", "number"),
    [
        ("sip:65295114;phone-context=+86-10@pbx;user=phone", "+861065295114"),
        ("tel:65295114;phone-context=+86-10", "+861065295114"),
        ("tel:6529-5114;phone-context=example.com", "65295114"),
        ("tel:+86-10-6529-5114", "+861065295114"),
        ("sip:+86%2010%206529%205114@pbx;user=phone", "+861065295114"),
        ("sips:2301@pbx", "2301"),
        ("sip:alice@pbx", "alice"),
        ("sip:pbx.example.com", ""),
        ("http://x", ""),
        ("", ""),
    ],
)
def test_numbers_per_rfc_3966(uri: str, number: str) -> None:
    assert uri_number(uri) == number


def test_quoted_display_names_with_angle_brackets_and_escaped_quotes() -> None:
    addr = parse_name_addr(r'"Wang \"<VIP>\", Ltd" <sip:+8613800138000@pbx>;tag=9')
    assert addr.display == 'Wang "<VIP>", Ltd'
    assert addr.uri == "sip:+8613800138000@pbx"
    assert addr.params == ";tag=9"
    assert parse_name_addr("Wang <sip:1@x>").display == "Wang"
    assert parse_name_addr("sip:1@x;tag=2") == parse_name_addr("<sip:1@x>;tag=2")


def test_gbk_and_utf8_display_names_are_decoded() -> None:
    gbk = surrogated('"王先生" <sip:1@x>'.encode("gbk"))
    assert parse_name_addr(gbk).display == "王先生"
    assert decode_name(surrogated("张三".encode())) == "张三"
    assert decode_name(surrogated("𠀀".encode("gb18030"))) == "𠀀"
    # Bytes that are neither: replacement marks, never an exception.
    assert decode_name(surrogated(b"\xff\xfe\xfd")) != ""
    assert decode_name("\u202eevil\x00") == "evil"  # bidi override and NUL dropped


def test_poison_input_never_raises_and_stays_bounded() -> None:
    nul = invite("From: <sip:138\x000013800@x>;tag=1")
    assert read_offer(nul, PBX, POLICY).caller.number == "1380013800"
    huge = invite("From: " + '"' + "A" * 200_000 + '" <sip:1@x>', "X-Queue: " + "Q" * 100_000)
    offer = read_offer(huge, PBX, POLICY)
    assert len(offer.caller.display_name) <= 128
    assert len(offer.queue) <= 128
    for junk in ["", "\r\n\r\n", "INVITE", "\x00" * 1000, "From:", 'From: "', "From: <", ">>><<<"]:
        read_offer(junk, PBX, POLICY)
    # An unterminated quote or bracket is read in one pass (no regex backtracking).
    for open_ended in ['"' + "a\\" * 50_000, "<" + "a," * 50_000, '"' + '\\"' * 50_000]:
        assert parse_name_addr(open_ended).uri == "" or open_ended.startswith("<")
    many = invite(*[f"Diversion: <sip:{n}@x>" for n in range(100)])
    assert len(read_offer(many, PBX, POLICY).data) <= 16


def test_folded_and_compact_headers() -> None:
    _start, headers = split_message(
        "INVITE sip:a@b SIP/2.0\r\nf: <sip:1@x>\r\nX-Queue: VIP\r\n hotline\r\n\r\n"
    )
    assert ("from", "<sip:1@x>") in headers
    assert ("x-queue", "VIP hotline") in headers


def test_queue_dialled_number_and_ivr_data() -> None:
    message = invite(
        "From: <sip:13800138000@pbx>;tag=1",
        "To: <sip:agent@pbx>",
        "X-Queue: 投诉, 华北",
        "Diversion: <sip:4008009999@pbx>;reason=unconditional",
        ruri="sip:4008001234@127.0.0.2",
    )
    offer = read_offer(message, PBX, POLICY)
    assert offer.dialled == "4008001234"  # the Request-URI names the number called
    assert offer.queue == "投诉, 华北"
    assert offer.data == (("Diversion", "<sip:4008009999@pbx>;reason=unconditional"),)


def test_trust_by_address_and_network() -> None:
    assert is_trusted("127.0.0.1:5060", ("127.0.0.1",))
    assert is_trusted("127.0.0.5", ("127.0.0.0/29",))
    assert not is_trusted("127.0.0.9:5060", ("127.0.0.0/29", "nonsense"))
    assert is_trusted("[::1]:5060", ("::1",))
    assert is_trusted("pbx.local:5060", ("pbx.local",))
    assert not is_trusted("", ("127.0.0.1",))


def test_queue_headers_from_outside_the_trust_domain_are_ignored() -> None:
    message = invite("From: <sip:1@x>;tag=1", "X-Queue: VIP", "Diversion: <sip:2@x>")
    assert read_offer(message, STRANGER, POLICY).queue == ""
    assert read_offer(message, STRANGER, POLICY).data == ()
    assert read_offer(message, PBX, POLICY).queue == "VIP"
    # No trust configured (direct calls): the only source there is.
    assert read_offer(message, STRANGER, OfferPolicy()).queue == "VIP"


def test_a_forwarded_call_names_the_number_first_called() -> None:
    to_us = "To: <sip:agent@127.0.0.2>"
    history = invite(
        to_us,
        "History-Info: <sip:4008001234@pbx>;index=1, <sip:agent@127.0.0.2>;index=1.1",
    )
    assert read_offer(history, PBX, POLICY).dialled == "4008001234"
    diverted = invite(
        to_us,
        "Diversion: <sip:8001@pbx>;reason=no-answer",
        "Diversion: <sip:4008009999@pbx>;reason=unconditional",
    )
    assert read_offer(diverted, PBX, POLICY).dialled == "4008009999"
    assert read_offer(invite(to_us), PBX, POLICY).dialled == ""


def test_the_account_decides_whom_the_parser_believes() -> None:
    for registrar in ("sip:10.0.0.5", "sip:10.0.0.5:5060;transport=tcp", "sip:pbx@10.0.0.5"):
        policy = offer_policy(PhoneConfig(registrar=registrar, trusted_peers=("10.9.0.0/16",)))
        assert policy.trusted == ("10.9.0.0/16", "10.0.0.5")
    assert offer_policy(PhoneConfig()).trusted == ()
