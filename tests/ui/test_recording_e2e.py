"""End to end (issue 20): a real call from SIPp is recorded on the desk (the real phone engine
writes the Ogg/Opus file), the call bar says so, the interaction written after wrap-up names the
recording, the file is uploaded to the real backend and leaves the desk's spool only once the
server holds it with the same SHA-256, and the agent plays it back from the customer 360's
history, fetched from the server."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.messages import MessageBridge
from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.recording import RecordingService
from agent_desktop.services.recording_library import ServerRecordings
from agent_desktop.services.recording_playback import RecordingPlayback
from agent_desktop.services.recording_uploads import RecordingUploads
from agent_desktop.tasks import TaskRunner
from softphone import CallState, Phone
from softphone.events import RecordingInfo, RecordingMode, RecordingSettings, RecordingState
from sync.contract.records import AgentState
from sync.recording_upload import RecordingSpool
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.rig import Rig
from tests.fakes.sipp import Sipp

pytestmark = pytest.mark.slow
TIMEOUT_MS = 20_000
LiveDesk = tuple[Rig, Phone, AgentStateService]


def recorded_line(rig: Rig) -> int | None:
    timeline = rig.window.customer_panel.timeline
    for row in range(timeline.topLevelItemCount()):
        item = timeline.topLevelItem(row)
        if item is not None and item.text(1).startswith("▶ "):
            return row
    return None


@dataclass
class RecordingDesk:
    rig: Rig
    phone: Phone
    agent: AgentStateService
    spool: Path
    sealed: list[RecordingInfo] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # the call bar's state at each report


@pytest.fixture
def desk(
    make_live_desk: Callable[..., LiveDesk],
    tasks: TaskRunner,
    messages: MessageBridge,
    gui_thread: OffThreadEmits,
    tmp_path: Path,
) -> Iterator[RecordingDesk]:
    """A live desk wired as the composition root wires recording: the recorder (in the real
    phone engine), the call bar, the uploader and the 360's player."""
    rig, phone, agent = make_live_desk(phone_panel=True)  # the call bar follows its calls
    window = rig.window
    made = RecordingDesk(rig, phone, agent, tmp_path / "spool")
    recording = RecordingService(phone, rig.sync, tasks)
    recording.apply(RecordingSettings(mode=RecordingMode.DESK, spool_dir=str(made.spool)))
    agent.recording_of = recording.recording_id
    window.attach_recordings(recording, auto_pause=True)
    uploads = RecordingUploads(tasks, messages, RecordingSpool(made.spool))

    def on_recording(info: RecordingInfo) -> None:
        made.shown.append(window.call_bar.recording.text())
        if info.state is RecordingState.FINISHED:
            made.sealed.append(info)
            uploads.kick()

    recording.changed.connect(on_recording)
    grant = rig.session.grant
    assert grant is not None
    uploads.start(rig.backend.url, grant.token, grant.user.username)
    playback = RecordingPlayback(ServerRecordings(rig.sync), tasks, tmp_path / "played")
    window.attach_recording_playback(playback, tasks)
    gui_thread.watch(recording, uploads, playback)
    yield made
    uploads.stop()


def take_a_call(qtbot: QtBot, desk: RecordingDesk, tmp_path: Path) -> str:
    """A customer calls, the agent answers, the customer hangs up; the recording's id."""
    phone, panel = desk.phone, desk.rig.window.customer_panel
    desk.agent.request(AgentState.READY)
    caller = Sipp("uac_caller_id", tmp_path, remote=phone.local_address,
                  fields=["赵敏", "13800138000"])  # fmt: skip
    try:
        qtbot.waitUntil(lambda: panel.greeting_label.text() == "您好，赵女士", timeout=TIMEOUT_MS)
        ringing = phone.calls()
        assert [c.state for c in ringing] == [CallState.INCOMING]
        phone.answer(ringing[0].call_id)
        qtbot.waitUntil(lambda: caller.finished, timeout=TIMEOUT_MS)  # the customer hangs up
        assert caller.process.returncode == 0, caller.report()
    finally:
        caller.stop()
    qtbot.waitUntil(lambda: bool(desk.sealed), timeout=TIMEOUT_MS)
    qtbot.waitUntil(panel.wrap_up.isVisible, timeout=TIMEOUT_MS)
    panel.disposition_combo.setCurrentIndex(panel.disposition_combo.findData("resolved"))
    panel.done_button.click()
    assert not panel.wrap_up.isVisible()
    return desk.sealed[0].recording_id


def test_a_recorded_call_reaches_the_server_once_and_plays_from_the_360(
    qtbot: QtBot, desk: RecordingDesk, tmp_path: Path
) -> None:
    rig, window = desk.rig, desk.rig.window
    recording_id = take_a_call(qtbot, desk, tmp_path)
    assert "● REC" in desk.shown  # the call bar said the call was recorded (the engine's report)
    file = desk.spool / f"{recording_id}.ogg"
    sealed_sha = hashlib.sha256(file.read_bytes()).hexdigest()  # as the recorder sealed it

    # On the server: the recording, with the desk's checksum, named by the interaction.
    def stored() -> dict[str, Any] | None:
        found = rig.api("GET", "/recordings", params={"agent": "wangfang"})
        assert isinstance(found, list)
        return next((r for r in found if r["recording_id"] == recording_id), None)

    qtbot.waitUntil(lambda: stored() is not None, timeout=TIMEOUT_MS)
    server_copy = stored()
    assert server_copy is not None
    assert server_copy["sha256"] == sealed_sha
    # The desk's copy goes only once the server confirmed the same bytes.
    qtbot.waitUntil(lambda: not file.exists(), timeout=TIMEOUT_MS)
    assert not (desk.spool / f"{recording_id}.json").exists()
    panel = window.customer_panel
    customer_id = panel.view.customer.id if panel.view else 0

    def interaction() -> dict[str, Any] | None:
        found = rig.api("GET", f"/customers/{customer_id}/interactions")
        assert isinstance(found, list)
        return next((i for i in found if i.get("recording_id") == recording_id), None)

    qtbot.waitUntil(lambda: interaction() is not None, timeout=TIMEOUT_MS)
    named = interaction()
    assert named is not None
    listed = rig.api("GET", "/recordings", params={"interaction_id": named["id"]})
    assert isinstance(listed, list)
    assert [r["recording_id"] for r in listed] == [recording_id]

    # The agent replays it from the 360's history: fetched from the server, checked, played.
    qtbot.waitUntil(lambda: recorded_line(rig) is not None, timeout=TIMEOUT_MS)
    row = recorded_line(rig)
    item = panel.timeline.topLevelItem(row) if row is not None else None
    assert item is not None
    panel.timeline.setCurrentItem(item)
    panel.play_recording_button.click()
    qtbot.waitUntil(lambda: window.recording_dialog is not None, timeout=TIMEOUT_MS)
    dialog = window.recording_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.player.levels is not None, timeout=TIMEOUT_MS)
    played = tmp_path / "played" / f"{recording_id}.ogg"
    assert hashlib.sha256(played.read_bytes()).hexdigest() == server_copy["sha256"]
    dialog.reject()
