"""Strangers' requests in one of our dialogs pass pjsip's door (softphone/_stranger.py, issue 17
follow-up), through the real engine: a far end dialled directly at 127.0.0.3 (no proxy, not a
trusted source; the door is active because only 127.0.0.1 is trusted) holds the call and hangs
up itself, and the desk sees both; a flood of made-up tagged BYEs from 127.0.0.2 is refused at
the door (never a call, never a 481 from pjsip) and the engine keeps answering."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallState, Phone, PhoneConfig
from softphone.engine.guard import STRANGER_403_PER_S
from tests.fakes.sipp import Sipp
from tests.sip.conftest import Recorder, finish

pytestmark = pytest.mark.slow
PBX, STRANGER, FAR = "127.0.0.1", "127.0.0.2", "127.0.0.3"
WAIT_MS = 15_000
FLOOD_PER_S, FLOOD_BYES = 300, 900  # three seconds of it


def engine_facts(qtbot: QtBot, phone: Phone) -> dict[str, Any]:
    answers: list[dict[str, Any]] = []
    phone.inspect(answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    return answers[0]


def guarded_phone() -> tuple[Phone, Recorder]:
    phone = Phone()
    heard = Recorder(phone)
    phone.start(
        PhoneConfig(bind_address=PBX, domain=PBX, trusted_peers=(PBX,), only_trusted_sources=True)
    )
    return phone, heard


def test_a_far_end_reached_directly_holds_and_hangs_up_through_the_door(
    qtbot: QtBot, tmp_path: Path
) -> None:
    phone, heard = guarded_phone()
    far: Sipp | None = None
    try:
        phone.wait_ready()
        assert engine_facts(qtbot, phone)["guard"]["door"]
        far = Sipp("uas_direct_hold_bye", tmp_path, host=FAR).wait_bound()
        call = phone.dial(f"sip:4000@{far.address}")
        # Its 180 and 200 come from 127.0.0.3 too: responses never meet the door.
        qtbot.waitUntil(
            lambda: (s := heard.last(call.call_id)) is not None and s.state == CallState.CONNECTED,
            timeout=WAIT_MS,
        )
        # Its re-INVITE (a=sendonly) reached pjsua: the desk hears the far end holding.
        qtbot.waitUntil(
            lambda: any(s.call_id == call.call_id and s.remote_hold for s in heard.states),
            timeout=WAIT_MS,
        )
        # Its BYE ended the call on our side.
        qtbot.waitUntil(
            lambda: (s := heard.last(call.call_id)) is not None and s.state == CallState.ENDED,
            timeout=WAIT_MS,
        )
        finish(qtbot, far)  # SIPp got a=recvonly for its hold and 200 for its BYE
        guard = engine_facts(qtbot, phone)["guard"]
        assert guard["in_dialog"] >= 3, guard  # re-INVITE, its ACK, BYE
        assert guard["403_stateless"] == guard["403_over_budget"] == 0, guard
    finally:
        if far is not None:
            far.stop()
        phone.stop()


def test_a_flood_of_made_up_tagged_byes_is_refused_at_the_door(
    qtbot: QtBot, tmp_path: Path
) -> None:
    phone, heard = guarded_phone()
    flood: Sipp | None = None
    try:
        phone.wait_ready()
        started = time.monotonic()
        flood = Sipp(
            "flood_tagged_bye", tmp_path, remote=phone.local_address, host=STRANGER,
            calls=FLOOD_BYES, timeout_s=60,
            extra=["-r", str(FLOOD_PER_S), "-default_behaviors", "none"],
        )  # fmt: skip
        qtbot.waitUntil(lambda: flood is not None and flood.finished, timeout=60_000)
        assert flood.process.returncode == 0, flood.report()
        flood_s = time.monotonic() - started  # at most: SIPp's rate is a ceiling
        facts = engine_facts(qtbot, phone)  # the engine still answers
        guard = facts["guard"]
        assert guard["in_dialog"] == 0, guard  # none named a dialog pjsip holds
        answered, unanswered = guard["403_stateless"], guard["403_over_budget"]
        assert answered + unanswered == FLOOD_BYES, guard  # every one decided at the door
        # The budget: a second's worth at the start, then STRANGER_403_PER_S a second.
        assert answered <= STRANGER_403_PER_S * (flood_s + 1), guard
        assert facts["calls"] == []
        assert heard.incoming == []
        assert heard.states == []
    finally:
        if flood is not None:
            flood.stop()
        phone.stop()
