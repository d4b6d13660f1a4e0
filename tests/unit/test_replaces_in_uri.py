"""The Replaces of an attended transfer found in an INVITE's URIs (baresip 1.0.0's way)."""

from __future__ import annotations

from softphone.replaces import UriReplaces, replaces_in_uri

# As Debian's baresip 1.0.0 sent it through Kamailio (which rewrote the Request-URI).
BARESIP = (
    "INVITE sip:expert3001@127.0.0.1:44109;ob SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:47380;branch=z9hG4bK0267\r\n"
    "To: <sip:expert3001@127.0.0.1:47380?Require=replaces&Replaces=yVbSQeQIVXLnj1qu"
    "?to-tag?ylOfPAY6cLeP?from-tag?bEG4G8tvAMrZ>\r\n"
    "From: <sip:cust2001@cc.test>;tag=e043464dd0d811a1\r\n"
    "Call-ID: 52ca92f97e689d40\r\n\r\nv=0\r\n"
)


def test_baresip_1_0_0s_to_uri_names_the_dialog() -> None:
    assert replaces_in_uri(BARESIP) == UriReplaces(
        "yVbSQeQIVXLnj1qu", "ylOfPAY6cLeP", "bEG4G8tvAMrZ"
    )


def test_rfc_escaping_in_the_request_uri() -> None:
    message = (
        "INVITE sip:b@h?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2 SIP/2.0\r\n"
        "To: <sip:b@h>\r\n\r\n"
    )
    assert replaces_in_uri(message) == UriReplaces("abc@host", "1", "2")


def test_a_replaces_header_is_left_to_pjsua() -> None:
    message = BARESIP.replace("Call-ID:", "Replaces: x;to-tag=1;from-tag=2\r\nCall-ID:")
    assert replaces_in_uri(message) is None


def test_an_ordinary_invite_replaces_nothing() -> None:
    message = "INVITE sip:b@h SIP/2.0\r\nTo: <sip:b@h>\r\nFrom: <sip:a@h>;tag=1\r\n\r\n"
    assert replaces_in_uri(message) is None
