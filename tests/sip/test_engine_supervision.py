"""The phone engine dies (pjlib's abort, a kill) or hangs: the desk stays up, records the call
it lost honestly, restarts the engine where it listened and takes the next call."""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path
from typing import cast

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.ui.panels.phone_panel import PhonePanel
from softphone import ENGINE_LOST, CallState, EngineState, Phone, PhoneConfig, RegistrationState
from softphone.proxy import HANG_S
from sync.contract.records import AgentState
from tests.fakes.sipp import Sipp
from tests.sip.conftest import Recorder, finish
from tests.unit.test_agent_state import FakeSync

pytestmark = pytest.mark.slow
WAIT_MS = 15_000


def take_a_call(qtbot: QtBot, phone: Phone, heard: Recorder, tmp_path: Path, who: str) -> Sipp:
    """A caller rings; the agent answers; returns the caller (still on the call)."""
    before = len(heard.incoming)
    caller = Sipp(
        "uac_caller_id", tmp_path, remote=phone.local_address, fields=[who, "13800138000"]
    )
    qtbot.waitUntil(lambda: len(heard.incoming) > before, timeout=WAIT_MS)
    offered = heard.incoming[-1]
    phone.answer(offered.call_id)
    qtbot.waitUntil(
        lambda: (s := heard.last(offered.call_id)) is not None and s.state == CallState.CONNECTED,
        timeout=WAIT_MS,
    )
    return caller


@pytest.mark.parametrize("sig", [signal.SIGABRT, signal.SIGKILL], ids=["abort", "kill"])
def test_a_dead_engine_is_restarted_and_the_lost_call_recorded(
    qtbot: QtBot,
    phone: Phone,
    heard: Recorder,
    tmp_path: Path,
    sig: signal.Signals,
    caplog: pytest.LogCaptureFixture,
) -> None:
    address, first_pid = phone.local_address, phone.engine_pid
    panel = PhonePanel(phone)
    qtbot.addWidget(panel)
    sync = FakeSync()
    agent = AgentStateService(cast(Phone, phone), cast(SyncService, sync))
    agent.sign_in()
    agent.request(AgentState.READY)
    states: list[EngineState] = []
    shown: list[str] = []
    phone.engine_state_changed.connect(states.append)
    # After the panel's own slot: what the agent reads in each state.
    phone.engine_state_changed.connect(lambda _s: shown.append(panel.registration_label.text()))
    caller = take_a_call(qtbot, phone, heard, tmp_path, "王先生")
    call_id = heard.incoming[-1].call_id
    try:
        with caplog.at_level(logging.ERROR, logger="softphone.proxy"):
            phone.kill_engine(sig)  # as pjlib's assertion under a flood does (SIGABRT)
            qtbot.waitUntil(lambda: EngineState.RESTARTING in states, timeout=WAIT_MS)
        lost = heard.last(call_id)
        assert lost is not None
        assert (lost.state, lost.reason) == (CallState.ENDED, ENGINE_LOST)
        assert lost.connected_at is not None  # it was talked on: the record says so
        assert phone.calls() == []
        assert sig.name in caplog.text  # the desk's log says how the engine died
        assert panel.state_text(lost) == "Ended: the phone restarted and the call was lost"
        qtbot.waitUntil(lambda: phone.running, timeout=WAIT_MS)
    finally:
        caller.stop()
    assert "● Phone restarting…" in shown
    # The call is recorded as it was: answered, talked on, ended when the engine died.
    agent.finish_wrap_up("other", "电话引擎重启")
    entity, data = sync.created[-1]
    assert entity == "interaction"
    assert (data["kind"], data["remote_number"]) == ("call_in", "13800138000")
    assert data["answered_at"] is not None
    assert phone.engine_pid != first_pid
    assert phone.restarts == 1
    assert phone.local_address == address  # direct callers still reach it
    assert states[-1] == EngineState.RUNNING
    # The next customer rings and is answered on the new engine.
    second_dir = tmp_path / "second"
    second_dir.mkdir()
    second = take_a_call(qtbot, phone, heard, second_dir, "李女士")
    assert heard.incoming[-1].call_id != call_id  # ids are never reused across engines
    finish(qtbot, second)


def test_a_hung_engine_is_killed_by_the_heartbeat_and_restarted(
    qtbot: QtBot, phone: Phone, heard: Recorder, tmp_path: Path
) -> None:
    first_pid = phone.engine_pid
    os.kill(first_pid, signal.SIGSTOP)  # pjlib stuck: no frame, no answer to the heartbeat
    try:
        qtbot.waitUntil(lambda: phone.engine_state == EngineState.RESTARTING,
                        timeout=int((HANG_S + 5) * 1000))  # fmt: skip
    finally:
        os.kill(first_pid, signal.SIGCONT)
    qtbot.waitUntil(lambda: phone.running, timeout=WAIT_MS)
    assert phone.engine_pid != first_pid
    caller = take_a_call(qtbot, phone, heard, tmp_path, "张先生")
    finish(qtbot, caller)


def test_quitting_with_a_stuck_engine_is_bounded(qtbot: QtBot, tmp_path: Path) -> None:
    phone = Phone()
    phone.start(PhoneConfig(bind_address="127.0.0.1"))
    phone.wait_ready()
    pid = phone.engine_pid
    os.kill(pid, signal.SIGSTOP)  # it cannot take the stop command: it is killed
    phone.stop()
    assert phone.engine_state == EngineState.STOPPED
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_restarted_engine_registers_again(qtbot: QtBot, tmp_path: Path) -> None:
    registrar = Sipp("registrar", tmp_path, calls=2)  # the first engine's, then the new one's
    registrar.wait_bound()
    phone = Phone()
    seen: list[RegistrationState] = []
    phone.registration_changed.connect(lambda info: seen.append(info.state))
    account = PhoneConfig(
        user="agent1001",
        domain="cc.test",
        password="s3cret-pw",
        registrar=f"sip:{registrar.address}",
        bind_address="127.0.0.1",
    )
    phone.start(account)
    try:
        qtbot.waitUntil(lambda: seen[-1:] == [RegistrationState.REGISTERED], timeout=WAIT_MS)
        phone.kill_engine(signal.SIGKILL)
        qtbot.waitUntil(lambda: phone.restarts == 1 and phone.running, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: seen[-1:] == [RegistrationState.REGISTERED], timeout=WAIT_MS)
        # Between the two: the desk said it was registering again, never "registered" while
        # no engine ran.
        died = seen.index(RegistrationState.REGISTERING, seen.index(RegistrationState.REGISTERED))
        assert RegistrationState.REGISTERED in seen[died:]
        finish(qtbot, registrar)  # two REGISTER dialogues, each with its digest challenge
    finally:
        phone.stop()
        registrar.stop()
