"""A three-way call on the desk's conference bridge: two callers (pjsua2 peers in their own
processes, each playing its own tone and recording what it hears) hear each other once the
agent joins their calls."""

from __future__ import annotations

import array
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.ui.panels.phone_panel import PhonePanel
from softphone import CallInfo, CallState, Phone
from tests.sip.test_headset_audio import RATE, loud_part, tone_share

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def caller(address: str, number: str, hz: int, wav: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "softphone.caller",
            f"sip:agent@{address}",
            "--number",
            number,
            "--tone-hz",
            str(hz),
            "--record",
            str(wav),
            "--talk-s",
            "5",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def heard(wav: Path) -> array.array[int]:
    with wave.open(str(wav)) as recording:
        assert recording.getframerate() == RATE
        return array.array("h", recording.readframes(recording.getnframes()))


def test_two_callers_hear_each_other_in_a_conference(
    qtbot: QtBot, phone: Phone, tmp_path: Path
) -> None:
    offered: list[CallInfo] = []
    phone.incoming_call.connect(offered.append)
    first = caller(phone.local_address, "13800000001", 1000, tmp_path / "first.wav")
    try:
        qtbot.waitUntil(lambda: len(offered) == 1, timeout=10_000)
        phone.answer(offered[0].call_id)
        second = caller(phone.local_address, "13800000002", 600, tmp_path / "second.wav")
        try:
            qtbot.waitUntil(lambda: len(offered) == 2, timeout=10_000)
            phone.hold(offered[0].call_id)  # call waiting: the first waits while we answer
            phone.answer(offered[1].call_id)
            # The first waits on hold (its media held), the second talks.
            qtbot.waitUntil(
                lambda: (
                    (held := phone.call(offered[0].call_id)) is not None
                    and held.state == CallState.HELD
                    and (talking := phone.call(offered[1].call_id)) is not None
                    and talking.media_active
                ),
                timeout=10_000,
            )
            panel = PhonePanel(phone)  # the agent presses Conference
            qtbot.addWidget(panel)
            qtbot.waitUntil(panel.conference_button.isEnabled, timeout=5000)
            panel.conference_button.click()
            qtbot.waitUntil(
                lambda: all(c.state == CallState.CONNECTED for c in phone.calls()), timeout=5000
            )
            qtbot.waitUntil(lambda: first.poll() is not None and second.poll() is not None,
                            timeout=20_000)  # fmt: skip
        finally:
            second.kill()
    finally:
        first.kill()
    assert first.returncode == 0, "the first caller was not answered"
    assert second.returncode == 0, "the second caller was not answered"
    first_heard = loud_part(heard(tmp_path / "first.wav"))
    second_heard = loud_part(heard(tmp_path / "second.wav"))
    assert tone_share(first_heard, 600) > 0.3, "the first caller does not hear the second"
    assert tone_share(second_heard, 1000) > 0.3, "the second caller does not hear the first"
