"""Monitoring an agent's live call on the desk's conference bridge, with real pjsua2 parties
on loopback: the customer (a peer playing 1000 Hz), the agent's desk (this process's Phone,
"speaking" 700 Hz into its calls and recording what it hears), the team lead (a peer dialling
the desk with a grant in ``X-AW-Monitor``, playing 400 Hz). Each records what it hears; the
tone energy says who heard whom, per mode. The lead always joins in listen (safe by default)
and moves to the mode under test explicitly, as the lead's desk does."""

from __future__ import annotations

import array
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallInfo, CallState, MonitorInfo, MonitorMode, Phone
from tests.fakes.wav import wav_done
from tests.sip.test_headset_audio import RATE, tone_share

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
CUSTOMER_HZ, AGENT_HZ, LEAD_HZ = 1000, 700, 400
HEARD, NOT_HEARD = 0.08, 0.02  # share of the recording's power at a tone
GRANT = "g-2f6c0d9e"


def peer(
    target: str, number: str, hz: int, wav: Path, talk_s: float, *extra: str
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "softphone.caller", target, "--number", number,
         "--tone-hz", str(hz), "--record", str(wav), "--record-from", "1.5",
         "--talk-s", str(talk_s), *extra],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def samples(wav: Path) -> array.array[int]:
    with wave.open(str(wav)) as recording:
        assert recording.getframerate() == RATE
        return array.array("h", recording.readframes(recording.getnframes()))


def shares(wav: Path) -> dict[str, float]:
    heard = samples(wav)
    if not heard:  # the bridge gives a port connected to nothing no frames: silence
        return {"customer": 0.0, "agent": 0.0, "lead": 0.0, "seconds": 0.0}
    return {
        "seconds": len(heard) / RATE,
        "customer": tone_share(heard, CUSTOMER_HZ),
        "agent": tone_share(heard, AGENT_HZ),
        "lead": tone_share(heard, LEAD_HZ),
    }


TONES = {"customer": CUSTOMER_HZ, "agent": AGENT_HZ, "lead": LEAD_HZ}


def hearing_now(wav: Path) -> dict[str, float] | None:
    """Each party's share in the last half second of a WAV still being recorded (its header
    is written at the end; the samples as they come). None until there is half a second."""
    data = wav.read_bytes()[44:] if wav.exists() else b""
    tail = array.array("h", data[: len(data) // 2 * 2])[-RATE // 2 :]
    if len(tail) < RATE // 2:
        return None
    return {party: tone_share(tail, hz) for party, hz in TONES.items()}


def wait_until_the_agent_hears(
    qtbot: QtBot, phone: Phone, probe: Path, hears: set[str], deaf: set[str]
) -> None:
    """Until a probe recording of the agent's ears holds the ``hears`` parties and none of
    the ``deaf`` ones: the new paths carry sound (the lead's leg is up, its RTP arrives; a
    held customer's last frames are gone). Hearing nobody needs no wait: the bridge cuts a
    path at once, and a recorder connected to nothing gets no frames at all."""
    if not hears:
        return
    phone.test_audio(0, str(probe))

    def as_it_should() -> bool:
        now = hearing_now(probe)
        return (
            now is not None
            and all(now[party] > HEARD for party in hears)
            and all(now[party] < NOT_HEARD for party in deaf)
        )

    qtbot.waitUntil(as_it_should, timeout=10_000)


def monitored_call(
    qtbot: QtBot, phone: Phone, tmp_path: Path, mode: MonitorMode, agent_hears: set[str]
) -> tuple[dict[str, float], dict[str, float], dict[str, float], list[MonitorInfo]]:
    """A customer call on the desk, the lead joining in listen and moving to ``mode``; what
    the customer, the agent and the lead each heard while the lead was on."""
    events: list[MonitorInfo] = []
    offered: list[CallInfo] = []
    phone.incoming_call.connect(offered.append)
    phone.monitor_changed.connect(events.append)
    granted = {GRANT: MonitorMode.LISTEN}
    phone.set_monitor_authoriser(granted.get)
    phone.test_audio(AGENT_HZ)
    address = phone.local_address
    customer = peer(f"sip:agent@{address}", "13800138000", CUSTOMER_HZ,
                    tmp_path / "customer.wav", 7.0)  # fmt: skip
    try:
        qtbot.waitUntil(lambda: bool(offered), timeout=10_000)
        phone.answer(offered[0].call_id)
        qtbot.waitUntil(
            lambda: (c := phone.call(offered[0].call_id)) is not None and c.media_active,
            timeout=10_000,
        )
        lead = peer(f"sip:agent@{address}", "8001", LEAD_HZ, tmp_path / "lead.wav", 4.5,
                    "--header", f"X-AW-Monitor: {GRANT}")  # fmt: skip
        try:
            qtbot.waitUntil(lambda: bool(phone.monitors()), timeout=10_000)
            [leg] = phone.monitors()
            assert leg.mode is MonitorMode.LISTEN
            assert [c.call_id for c in phone.calls()] == [offered[0].call_id]  # not a call
            phone.set_monitor_mode(leg.leg_id, mode)
            # The new paths carry sound, then the agent's ears are recorded.
            wait_until_the_agent_hears(
                qtbot,
                phone,
                tmp_path / "probe.wav",
                agent_hears,
                {"customer", "lead"} - agent_hears,
            )
            phone.test_audio(0, str(tmp_path / "agent.wav"))
            qtbot.waitUntil(lambda: lead.poll() is not None, timeout=15_000)
            phone.test_audio(0, str(tmp_path / "after.wav"))  # closes agent.wav
            # The engine closes agent.wav on its own process before it opens after.wav (its
            # commands run in order); the agent may rightly have heard nothing (take over).
            qtbot.waitUntil(
                lambda: (
                    (tmp_path / "after.wav").exists() and wav_done(tmp_path / "agent.wav", frames=0)
                ),
                timeout=15_000,
            )
            qtbot.waitUntil(lambda: customer.poll() is not None, timeout=15_000)
        finally:
            lead.kill()
    finally:
        customer.kill()
    assert lead.returncode == 0, "the lead's leg was not answered"
    return (
        shares(tmp_path / "customer.wav"),
        shares(tmp_path / "agent.wav"),
        shares(tmp_path / "lead.wav"),
        events,
    )


@pytest.mark.parametrize(
    ("mode", "customer_hears", "agent_hears", "lead_hears"),
    [
        (MonitorMode.LISTEN, {"agent"}, {"customer"}, {"customer", "agent"}),
        (MonitorMode.WHISPER, {"agent"}, {"customer", "lead"}, {"customer", "agent"}),
        (MonitorMode.BARGE, {"agent", "lead"}, {"customer", "lead"}, {"customer", "agent"}),
        (MonitorMode.TAKEOVER, {"lead"}, set(), {"customer"}),
    ],
)
def test_who_hears_whom_in_each_mode(
    qtbot: QtBot,
    phone: Phone,
    tmp_path: Path,
    mode: MonitorMode,
    customer_hears: set[str],
    agent_hears: set[str],
    lead_hears: set[str],
) -> None:
    customer, agent, lead, events = monitored_call(qtbot, phone, tmp_path, mode, agent_hears)
    for party, heard, expected in (
        ("customer", customer, customer_hears),
        ("agent", agent, agent_hears),
        ("lead", lead, lead_hears),
    ):
        if expected:
            assert heard["seconds"] > 1.0, f"{mode}: the {party}'s recording is too short"
        for source in {"customer", "agent", "lead"} - {party}:
            share = heard[source]
            if source in expected:
                assert share > HEARD, f"{mode}: the {party} does not hear the {source} ({heard})"
            else:
                assert share < NOT_HEARD, f"{mode}: the {party} hears the {source} ({heard})"
    modes = [e.mode for e in events if not e.ended]
    assert (
        modes == [MonitorMode.LISTEN, mode]
        if mode is not MonitorMode.LISTEN
        else modes
        == [
            MonitorMode.LISTEN,
            MonitorMode.LISTEN,
        ]
    )
    assert events[-1].ended  # the lead left; defined, not silent


def test_a_leg_without_a_valid_grant_is_refused(qtbot: QtBot, phone: Phone, tmp_path: Path) -> None:
    refused: list[str] = []
    phone.monitor_refused.connect(refused.append)
    phone.set_monitor_authoriser({GRANT: MonitorMode.LISTEN}.get)
    offered: list[CallInfo] = []
    phone.incoming_call.connect(offered.append)
    forged = peer(f"sip:agent@{phone.local_address}", "8001", LEAD_HZ, tmp_path / "x.wav", 1.0,
                  "--header", "X-AW-Monitor: forged", "--ring-s", "5")  # fmt: skip
    try:
        qtbot.waitUntil(lambda: bool(refused), timeout=10_000)
        qtbot.waitUntil(lambda: forged.poll() is not None, timeout=10_000)
    finally:
        forged.kill()
    assert refused == ["no valid grant"]
    assert forged.returncode == 1  # never answered
    assert offered == []  # and it never rang the agent
    assert phone.monitors() == []


def test_the_agent_hanging_up_ends_the_leads_leg(
    qtbot: QtBot, phone: Phone, tmp_path: Path
) -> None:
    events: list[MonitorInfo] = []
    offered: list[CallInfo] = []
    phone.incoming_call.connect(offered.append)
    phone.monitor_changed.connect(events.append)
    phone.set_monitor_authoriser({GRANT: MonitorMode.LISTEN}.get)
    address = phone.local_address
    customer = peer(f"sip:agent@{address}", "13800138000", CUSTOMER_HZ,
                    tmp_path / "c.wav", 20.0)  # fmt: skip
    lead = None
    try:
        qtbot.waitUntil(lambda: bool(offered), timeout=10_000)
        phone.answer(offered[0].call_id)
        qtbot.waitUntil(
            lambda: (
                (c := phone.call(offered[0].call_id)) is not None and c.state == CallState.CONNECTED
            ),
            timeout=10_000,
        )
        lead = peer(f"sip:agent@{address}", "8001", LEAD_HZ, tmp_path / "l.wav", 20.0,
                    "--header", f"X-AW-Monitor: {GRANT}")  # fmt: skip
        qtbot.waitUntil(lambda: bool(phone.monitors()), timeout=10_000)
        phone.hangup(offered[0].call_id)
        qtbot.waitUntil(lambda: any(e.ended for e in events), timeout=10_000)
        qtbot.waitUntil(lambda: lead.poll() is not None, timeout=10_000)  # BYE reached it
    finally:
        customer.kill()
        if lead is not None:
            lead.kill()
    assert [e.reason for e in events if e.ended] == ["the call ended"]
    assert phone.monitors() == []


def test_the_agent_holding_the_customer_during_a_barge_keeps_lead_and_agent_together(
    qtbot: QtBot, phone: Phone, tmp_path: Path
) -> None:
    """Defined: the held customer hears neither agent nor lead; agent and lead hear each
    other (they can confer); nobody hears the customer."""
    offered: list[CallInfo] = []
    phone.incoming_call.connect(offered.append)
    phone.set_monitor_authoriser({GRANT: MonitorMode.LISTEN}.get)
    phone.test_audio(AGENT_HZ)
    address = phone.local_address
    customer = peer(f"sip:agent@{address}", "13800138000", CUSTOMER_HZ,
                    tmp_path / "customer.wav", 7.0)  # fmt: skip
    try:
        qtbot.waitUntil(lambda: bool(offered), timeout=10_000)
        call_id = offered[0].call_id
        phone.answer(call_id)
        qtbot.waitUntil(
            lambda: (c := phone.call(call_id)) is not None and c.media_active, timeout=10_000
        )
        lead = peer(f"sip:agent@{address}", "8001", LEAD_HZ, tmp_path / "lead.wav", 4.5,
                    "--header", f"X-AW-Monitor: {GRANT}")  # fmt: skip
        try:
            qtbot.waitUntil(lambda: bool(phone.monitors()), timeout=10_000)
            phone.set_monitor_mode(phone.monitors()[0].leg_id, MonitorMode.BARGE)
            phone.hold(call_id)
            qtbot.waitUntil(
                lambda: (c := phone.call(call_id)) is not None and c.state == CallState.HELD,
                timeout=10_000,
            )
            # The hold's answer stopped the customer's audio; the lead is still heard.
            wait_until_the_agent_hears(qtbot, phone, tmp_path / "probe.wav", {"lead"}, {"customer"})
            phone.test_audio(0, str(tmp_path / "agent.wav"))
            qtbot.waitUntil(lambda: lead.poll() is not None, timeout=15_000)
            phone.test_audio(0, str(tmp_path / "after.wav"))
            phone.hangup(call_id)
            qtbot.waitUntil(lambda: customer.poll() is not None, timeout=15_000)
        finally:
            lead.kill()
    finally:
        customer.kill()
    held, agent, lead_heard = (
        shares(tmp_path / "customer.wav"),
        shares(tmp_path / "agent.wav"),
        shares(tmp_path / "lead.wav"),
    )
    assert held["agent"] < NOT_HEARD, held
    assert held["lead"] < NOT_HEARD, held
    assert agent["lead"] > HEARD, agent
    assert agent["customer"] < NOT_HEARD, agent
    assert lead_heard["agent"] > HEARD, lead_heard
    assert lead_heard["customer"] < NOT_HEARD, lead_heard
