"""The SIP trace's scrubbing and ring (softphone.sip_log): digest values and the password
hidden, nothing else touched; the ring bounded in messages and in each message's length."""

from __future__ import annotations

import logging

from agent_desktop.config import SIP_LOG_LEVELS as SETTINGS_LEVELS
from softphone.sip_log import (
    HIDDEN,
    MESSAGE_CHARS,
    SIP_LOG_LEVELS,
    SipTrace,
    is_message,
    log_level,
    scrub,
)

REGISTER = (
    "TX 612 bytes Request msg REGISTER/cseq=2 (tdta0x1) to UDP 127.0.0.1:5060:\n"
    "REGISTER sip:127.0.0.1:5060 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5062;rport;branch=z9hG4bKPj1\r\n"
    "From: <sip:agent1001@cc.test>;tag=abc\r\n"
    'WWW-Authenticate: Digest realm="cc.test", nonce="n-from-server"\r\n'
    'Authorization: Digest username="agent1001", realm="cc.test", nonce="n-123", '
    'uri="sip:127.0.0.1:5060", response="0123456789abcdef0123456789abcdef", '
    'algorithm=MD5, cnonce="c-456", qop=auth, nc=00000001\r\n'
    'proxy-authorization: Digest username="agent1001", response=fedcba, nonce=n-9\r\n'
    "X-Note: response=keep-this\r\n"
    "Content-Length: 0\r\n"
)


def test_digest_values_of_authorization_headers_are_hidden_and_nothing_else() -> None:
    text = scrub(REGISTER)
    for secret in ("0123456789abcdef0123456789abcdef", "n-123", "c-456", "fedcba", "n-9"):
        assert secret not in text
    assert f'response="{HIDDEN}"' in text
    assert f'nonce="{HIDDEN}"' in text
    assert f'cnonce="{HIDDEN}"' in text
    assert f"response={HIDDEN}, nonce={HIDDEN}" in text  # unquoted values stay unquoted
    # Who, where, which realm and URI: what the PBX team needs, untouched.
    assert 'username="agent1001", realm="cc.test"' in text
    assert 'uri="sip:127.0.0.1:5060"' in text
    assert "qop=auth, nc=00000001" in text
    assert 'nonce="n-from-server"' in text  # the registrar's challenge is public
    assert "X-Note: response=keep-this" in text  # only the authorization headers
    assert text.count("\r\n") == REGISTER.count("\r\n")


def test_the_password_is_hidden_wherever_it_appears_but_short_ones_are_not_searched() -> None:
    assert scrub("password is s3cret-pw here", ["s3cret-pw"]) == f"password is {HIDDEN} here"
    assert scrub("a b c", ["b"]) == "a b c"  # a one-letter password would blank the trace
    assert scrub("nothing", [""]) == "nothing"


def test_only_messages_sent_or_received_are_messages() -> None:
    assert is_message(REGISTER)
    assert is_message("RX 400 bytes Response msg 200/REGISTER/cseq=2 from UDP 127.0.0.1:5060:")
    assert not is_message("pjsua version 2.15.1 for Linux initialized")
    assert not is_message("Unable to create/send REGISTER: Object is busy")


def test_the_ring_keeps_the_last_messages_each_cut_to_a_bound() -> None:
    trace = SipTrace(size=3)
    for number in range(5):
        trace.add(f"message {number}\n")
    assert trace.messages() == ["message 2", "message 3", "message 4"]
    assert trace.text() == "message 2\n\nmessage 3\n\nmessage 4\n\n"
    trace.add("x" * (MESSAGE_CHARS + 10))
    kept = trace.messages()[-1]
    assert kept.startswith("x" * MESSAGE_CHARS)
    assert kept.endswith("(10 more characters)")


def test_the_configured_level_names() -> None:
    assert log_level("debug") == logging.DEBUG
    assert log_level("info") == logging.INFO
    assert log_level("off") == 0


def test_the_settings_offer_the_levels_the_phone_knows() -> None:
    assert SETTINGS_LEVELS == SIP_LOG_LEVELS
