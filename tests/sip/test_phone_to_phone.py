"""Two of our phones (pjsua2 in two processes): telephone keys in the media stream (RFC 4733)
both ways, and hold / resume between two real endpoints."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallInfo, CallState, DtmfMethod, Phone
from tests.fakes.peers import peer as caller_peer
from tests.sip.conftest import Recorder

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_keys_travel_both_ways_in_the_media_and_hold_resumes(
    qtbot: QtBot, phone: Phone, heard: Recorder, tmp_path: Path
) -> None:
    peer = caller_peer(f"sip:agent@{phone.local_address}", "--keys", "42#", "--talk-s", "5")
    try:
        qtbot.waitUntil(lambda: bool(heard.incoming), timeout=10_000)
        call: CallInfo = heard.incoming[0]
        phone.answer(call.call_id)
        qtbot.waitUntil(lambda: [d for _c, d in heard.dtmf] == ["4", "2", "#"], timeout=10_000)
        phone.send_dtmf(call.call_id, "9*1", DtmfMethod.RFC4733)
        qtbot.wait(1500)
        phone.hold(call.call_id)
        qtbot.waitUntil(
            lambda: (c := phone.call(call.call_id)) is not None and not c.media_active,
            timeout=5000,
        )
        phone.resume(call.call_id)
        qtbot.waitUntil(
            lambda: (
                (c := phone.call(call.call_id)) is not None
                and c.state == CallState.CONNECTED
                and c.media_active
            ),
            timeout=5000,
        )
        out, _ = peer.communicate(timeout=20)
    finally:
        peer.kill()
    keys = [line.split()[1] for line in out.splitlines() if line.startswith("KEY ")]
    assert keys == ["9", "*", "1"]
    assert peer.returncode == 0
