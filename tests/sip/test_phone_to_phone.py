"""Two of our phones (pjsua2 in two processes): telephone keys in the media stream (RFC 4733)
both ways, and hold / resume between two real endpoints."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallInfo, CallState, DtmfMethod, Phone
from tests.fakes.peers import peer as caller_peer
from tests.fakes.peers import read_lines
from tests.sip.conftest import Recorder

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def rtp_sent(qtbot: QtBot, phone: Phone, call_id: int) -> int:
    """RTP packets the call's audio stream has sent (voice and telephone events alike), as
    the engine's process counts them."""
    answers: list[dict[str, object]] = []
    phone.inspect(answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    sent = answers[0]["rtcp_sent"]
    assert isinstance(sent, dict)
    return int(sent[str(call_id)])


def test_keys_travel_both_ways_in_the_media_and_hold_resumes(
    qtbot: QtBot, phone: Phone, heard: Recorder, tmp_path: Path
) -> None:
    peer = caller_peer(f"sip:agent@{phone.local_address}", "--keys", "42#", "--talk-s", "5")
    said, reader = read_lines(peer)

    def keys() -> list[str]:
        return [line.split()[1] for line in list(said) if line.startswith("KEY ")]

    try:
        qtbot.waitUntil(lambda: bool(heard.incoming), timeout=10_000)
        call: CallInfo = heard.incoming[0]
        phone.answer(call.call_id)
        qtbot.waitUntil(lambda: [d for _c, d in heard.dtmf] == ["4", "2", "#"], timeout=10_000)
        phone.send_dtmf(call.call_id, "9*1", DtmfMethod.RFC4733)
        # The keys travel in the media stream: the peer hears each as its tone begins.
        qtbot.waitUntil(lambda: keys() == ["9", "*", "1"], timeout=10_000)
        # The last tone goes on for 200 ms, then three end packets; a hold re-INVITE before
        # they are out restarts the peer's stream, which takes the tail for a new key. Hold
        # once the phone's own media clock is past it: 20 more RTP packets (20 ms each) sent.
        mark = rtp_sent(qtbot, phone, call.call_id)
        qtbot.waitUntil(lambda: rtp_sent(qtbot, phone, call.call_id) >= mark + 20, timeout=5000)
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
        peer.wait(timeout=20)
        reader.join(timeout=10)
    finally:
        peer.kill()
    assert keys() == ["9", "*", "1"]
    assert peer.returncode == 0
