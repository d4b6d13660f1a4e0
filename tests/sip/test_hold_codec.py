"""Hold and resume keep the codec the call was answered in, one SIP exchange each (issue 24),
and the account's codec order decides what the desk offers."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallInfo, CallState, Phone
from tests.fakes.peers import peer
from tests.fakes.sipp import Sipp
from tests.fakes.wav import wav_done
from tests.sip.conftest import Recorder, finish
from tests.sip.test_conference import heard as recorded
from tests.sip.test_headset_audio import loud_part, tone_share

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
    assert phone.call(call_id).codec == "PCMU"  # type: ignore[union-attr]
    phone.hangup(call_id)
    finish(qtbot, caller)  # no extra INVITE or UPDATE arrived between the two
    hold, resume = received(caller, "INVITE")  # exactly two re-offers: one per action
    assert received(caller, "UPDATE") == []
    assert audio_formats(hold)[0] == "0", hold  # PCMU first: the answerer keeps it
    assert audio_formats(resume)[0] == "0", resume
    assert "9" not in audio_formats(hold) + audio_formats(resume)  # G.722 is not offered


CUSTOMER_HZ, DESK_HZ = 700, 1100


def test_after_hold_and_resume_both_sides_still_hear_each_other_in_pcmu(
    qtbot: QtBot, phone: Phone, heard: Recorder, tmp_path: Path
) -> None:
    """A real pjsua2 phone that prefers PCMU (G.722 second) calls the desk; after the agent
    holds and resumes, the call is still PCMU and the tones arrive right both ways."""
    customer = peer(
        f"sip:agent@{phone.local_address}",
        "--number", "13900000001", "--tone-hz", str(CUSTOMER_HZ), "--codecs", "PCMU,G722",
        "--record", str(tmp_path / "customer.wav"), "--talk-s", "6",
    )  # fmt: skip
    try:
        qtbot.waitUntil(lambda: bool(heard.incoming), timeout=WAIT_MS)
        call_id = heard.incoming[0].call_id
        media: list[CallInfo] = []
        phone.call_media_changed.connect(media.append)
        phone.test_audio(tone_hz=DESK_HZ)
        phone.answer(call_id)
        qtbot.waitUntil(lambda: any(m.media_active for m in media), timeout=WAIT_MS)
        assert media[-1].codec == "PCMU"  # the caller's first choice
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
        assert [m.codec for m in media] == ["PCMU"] * len(media)
        phone.test_audio(record_path=str(tmp_path / "desk.wav"))  # from the resume on
        out, _ = customer.communicate(timeout=30)  # it hangs up after talking
        assert customer.returncode == 0, out
    finally:
        customer.kill()
    qtbot.waitUntil(lambda: not phone.calls(), timeout=WAIT_MS)
    phone.test_audio(0, str(tmp_path / "after.wav"))  # closes desk.wav (its header written)
    qtbot.waitUntil(lambda: wav_done(tmp_path / "desk.wav"), timeout=WAIT_MS)
    desk_heard = loud_part(recorded(tmp_path / "desk.wav"))
    customer_heard = loud_part(recorded(tmp_path / "customer.wav"))
    assert len(desk_heard) > 16_000, "the desk heard nobody after resume"
    assert tone_share(desk_heard, CUSTOMER_HZ) > 0.3, "the desk does not hear the customer"
    assert tone_share(customer_heard, DESK_HZ) > 0.3, "the customer does not hear the desk"
