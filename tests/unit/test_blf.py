"""What a dialog-event subscription says about a line (softphone.blf): never a guess."""

from __future__ import annotations

import pytest

from softphone.blf import line_state, line_uri
from softphone.events import LineState


@pytest.mark.parametrize(
    ("subscription", "code", "dialog", "direction", "expected"),
    [
        # Subscribed and notified.
        ("ACTIVE", 0, "", "", LineState.IDLE),  # no dialog in the NOTIFY
        ("ACTIVE", 0, "terminated", "recipient", LineState.IDLE),
        ("ACTIVE", 0, "early", "recipient", LineState.RINGING),
        ("ACTIVE", 0, "trying", "recipient", LineState.RINGING),
        ("ACTIVE", 0, "proceeding", "", LineState.RINGING),  # no direction: towards it
        ("ACTIVE", 0, "early", "initiator", LineState.BUSY),  # it is dialling out
        ("ACTIVE", 0, "Confirmed", "initiator", LineState.BUSY),
        ("ACTIVE", 0, "confirmed", "recipient", LineState.BUSY),
        # Not yet notified: unknown, whatever the last dialog was.
        ("NULL", 0, "", "", LineState.UNKNOWN),
        ("SENT", 0, "", "", LineState.UNKNOWN),
        ("ACCEPTED", 0, "", "", LineState.UNKNOWN),
        ("PENDING", 0, "", "", LineState.UNKNOWN),
        # The PBX does not offer dialog events, or never answered.
        ("NULL", 489, "", "", LineState.NOT_OFFERED),
        ("TERMINATED", 404, "", "", LineState.NOT_OFFERED),
        ("NULL", 403, "", "", LineState.NOT_OFFERED),
        ("NULL", 408, "", "", LineState.NOT_OFFERED),
        ("NULL", 200, "", "", LineState.UNKNOWN),  # ended normally (unsubscribed): no news
    ],
)
def test_line_state(
    subscription: str, code: int, dialog: str, direction: str, expected: LineState
) -> None:
    assert line_state(subscription, code, dialog, direction) is expected


def test_line_uri_follows_the_dial_rule() -> None:
    assert line_uri("8001", "cc.example.com") == "sip:8001@cc.example.com"
    assert line_uri(" 80 01", "127.0.0.1:5070") == "sip:8001@127.0.0.1:5070"
    assert line_uri("8001", "pbx", "tcp") == "sip:8001@pbx;transport=tcp"
    assert line_uri("sip:duty@other.example", "pbx") == "sip:duty@other.example"
