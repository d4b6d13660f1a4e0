"""Hold and resume keep the codec the call was answered in, one SIP exchange each (issue 24),
and the account's codec order decides what the desk offers."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallInfo, CallState, Phone, PhoneConfig
from tests.fakes.sipp import Sipp
from tests.sip.conftest import Recorder, finish

pytestmark = pytest.mark.slow
WAIT_MS = 10_000


def received(sipp: Sipp, method: str) -> list[str]:
    """The messages SIPp (started with ``trace=True``) received whose start line is the
    request ``method``, in order."""
    log = sipp.messages.read_text(errors="replace")
    found = []
    for block in log.split("-----------------------------------------------")[1:]:
        head, _, message = block.partition("\n\n")
        if "message received" in head and message.strip().startswith(f"{method} "):
            found.append(message.strip())
    return found


def audio_formats(message: str) -> list[str]:
    """The payload types of the SDP's audio line, in the offer's order."""
    line = next(x for x in message.splitlines() if x.strip().startswith("m=audio "))
    return line.split()[3:]


def test_hold_and_resume_keep_pcmu_in_one_exchange_each(
    qtbot: QtBot, phone: Phone, heard: Recorder, sipps: list[Sipp], tmp_path: Path
) -> None:
    caller = Sipp("uac_pcmu_hold", tmp_path, remote=phone.local_address, trace=True)
    sipps.append(caller)
    qtbot.waitUntil(lambda: bool(heard.incoming), timeout=WAIT_MS)
    call_id = heard.incoming[0].call_id
    media: list[CallInfo] = []
    phone.call_media_changed.connect(media.append)
    phone.answer(call_id)
    qtbot.waitUntil(lambda: any(m.media_active for m in media), timeout=WAIT_MS)
    phone.hold(call_id)
    qtbot.waitUntil(
        lambda: any(m.state == CallState.HELD and not m.media_active for m in media),
        timeout=WAIT_MS,
    )
    held = len(media)
    phone.resume(call_id)
    qtbot.waitUntil(
        lambda: any(m.state == CallState.CONNECTED and m.media_active for m in media[held:]),
        timeout=WAIT_MS,
    )
    phone.hangup(call_id)
    finish(qtbot, caller)  # no extra INVITE or UPDATE arrived between the two
    hold, resume = received(caller, "INVITE")  # exactly two re-offers: one per action
    assert received(caller, "UPDATE") == []
    assert audio_formats(hold)[0] == "0", hold  # PCMU first: the answerer keeps it
    assert audio_formats(resume)[0] == "0", resume
    assert "9" not in audio_formats(hold) + audio_formats(resume)  # G.722 is not offered
