"""Recordings from the customer 360's history: the real window, panel and screen pop on a real
cache; the server's recordings behind a fake of the RecordingLibrary protocol (the desk client's
routes are tested against the live backend where they are built). A recorded call is marked ▶,
Play fetches the audio into the desk's cache off the GUI thread and opens the player on it; a
call that rings pauses the replay; a 1.6 server (404) shows no ▶ and nothing breaks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from agent_desktop.messages import MessageBridge
from agent_desktop.services.recording_playback import RecordingPlayback
from agent_desktop.services.screen_pop import ScreenPopService
from agent_desktop.services.session import SessionService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.main_window import MainWindow
from sync.cache import LocalCache
from tests.fakes.customers import NOW, Desk, FakePhone, popped
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.recordings import FakeRecordingLibrary, meta_for, stereo_call
from tests.ui.test_recording_call_bar import on_a_call
from tests.ui.test_shortcuts import TIMEOUT_MS, open_window

CALL = 41  # the fixture's call from 13800138000 two days ago


@pytest.fixture
def window(
    qtbot: QtBot, session: SessionService, messages: MessageBridge, layout_store: QSettings
) -> MainWindow:
    return open_window(qtbot, session, messages, layout_store)


def pop_wang(
    qtbot: QtBot, window: MainWindow, cache: LocalCache, tasks: TaskRunner
) -> ScreenPopService:
    phone = FakePhone()
    service = ScreenPopService(cast(SyncService, Desk(cache)), tasks, now=lambda: NOW)
    service.attach(phone)  # type: ignore[arg-type]
    service.popped.connect(window.customer_panel.show_pop)
    popped(qtbot, service, "13800138000", phone)
    return service


def recorded_line(window: MainWindow) -> int | None:
    timeline = window.customer_panel.timeline
    for row in range(timeline.topLevelItemCount()):
        item = timeline.topLevelItem(row)
        if item is not None and item.text(1).startswith("▶ "):
            return row
    return None


def test_a_recorded_call_is_marked_and_plays_from_the_history(
    qtbot: QtBot,
    window: MainWindow,
    cache: LocalCache,
    tasks: TaskRunner,
    tmp_path: Path,
    gui_thread: OffThreadEmits,
) -> None:
    library = FakeRecordingLibrary()
    meta = meta_for(interaction_id=CALL, held=(4.5, 5.0))
    library.by_interaction[CALL] = [meta]
    library.files[meta.recording_id] = stereo_call(tmp_path / "server.ogg")
    playback = RecordingPlayback(library, tasks, tmp_path / "recordings")
    gui_thread.watch(playback)
    window.attach_recording_playback(playback, tasks)
    panel = window.customer_panel

    _service = pop_wang(qtbot, window, cache, tasks)
    qtbot.waitUntil(lambda: recorded_line(window) is not None, timeout=TIMEOUT_MS)
    row = recorded_line(window)
    assert row is not None
    assert library.asked == [CALL]  # the customer's one call
    pop = panel.pop
    assert pop is not None
    panel.show_pop(replace(pop, refreshed=True))  # the same customer drawn again (a sync)
    assert recorded_line(window) == row  # still marked, and not asked again
    assert library.asked == [CALL]
    assert not panel.play_recording_button.isHidden()
    assert not panel.play_recording_button.isEnabled()  # nothing selected yet
    panel.timeline.setCurrentItem(panel.timeline.topLevelItem(row))
    assert panel.play_recording_button.isEnabled()
    assert panel.play_recording_action.isEnabled()  # (its context menu)

    qtbot.mouseClick(panel.play_recording_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.recording_dialog is not None, timeout=TIMEOUT_MS)
    dialog = window.recording_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    player = dialog.player
    gui_thread.watch(player)
    qtbot.waitUntil(lambda: player.levels is not None, timeout=TIMEOUT_MS)
    assert player.markers() == [("pause", 2000, 4000), ("hold", 4500, 5000)]
    assert "0:06 long" in dialog.about_label.text()
    assert library.downloads == [meta.recording_id]
    cached = tmp_path / "recordings" / f"{meta.recording_id}.ogg"
    assert cached.exists()
    assert not list((tmp_path / "recordings").glob("*.part"))

    # A call rings while it plays: the replay pauses (the agent hears the caller).
    player.play()
    qtbot.waitUntil(player.playing, timeout=TIMEOUT_MS)
    on_a_call(window)
    assert not player.playing()

    # Again: played from the desk's cache, not fetched twice.
    panel.play_selected_recording()
    qtbot.waitUntil(lambda: window.recording_dialog is dialog and player.levels is not None)
    assert library.downloads == [meta.recording_id]
    dialog.reject()


def test_a_server_without_recordings_shows_no_play(
    qtbot: QtBot, window: MainWindow, cache: LocalCache, tasks: TaskRunner, tmp_path: Path
) -> None:
    library = FakeRecordingLibrary()
    library.missing_routes = True  # a 1.6 server: 404
    playback = RecordingPlayback(library, tasks, tmp_path / "recordings")
    window.attach_recording_playback(playback, tasks)
    with qtbot.waitSignal(playback.found, timeout=TIMEOUT_MS) as found:
        pop_wang(qtbot, window, cache, tasks)
    assert found.args == [{}]
    assert not playback.available
    assert recorded_line(window) is None
    assert window.customer_panel.play_recording_button.isHidden()


def test_a_fetched_file_that_does_not_match_its_checksum_is_refused(
    qtbot: QtBot, tasks: TaskRunner, tmp_path: Path
) -> None:
    library = FakeRecordingLibrary()
    meta = meta_for(interaction_id=CALL).model_copy(update={"sha256": "0" * 64})
    library.files[meta.recording_id] = stereo_call(tmp_path / "server.ogg")
    playback = RecordingPlayback(library, tasks, tmp_path / "recordings")
    with qtbot.waitSignal(playback.failed, timeout=TIMEOUT_MS) as failed:
        playback.fetch(meta)
    assert meta.recording_id in failed.args[0]
    assert list((tmp_path / "recordings").iterdir()) == []  # neither the file nor its part
