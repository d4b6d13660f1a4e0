"""The Quality window's player over the call's recording: the recording looked up and
fetched through the 360's RecordingPlayback, played by the real RecordingPlayer (a real
stereo Ogg/Opus file, Qt Multimedia offscreen); a comment pins at its position and a pinned
moment seeks it; a call without a recording falls back to the typed moment. The server's
recordings are a stand-in here (``FakeRecordingLibrary``: the recordings' server part has
its own tests)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtMultimedia import QMediaPlayer
from pytestqt.qtbot import QtBot

from agent_desktop.services.recording_playback import RecordingPlayback
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.quality.recorded_player import RecordedCallPlayer
from tests.fakes.recordings import FakeRecordingLibrary, meta_for, stereo_call

TIMEOUT_MS = 10_000


def test_the_scored_call_plays_from_its_recording_or_falls_back_to_a_typed_moment(
    qtbot: QtBot, tasks: TaskRunner, tmp_path: Path
) -> None:
    library = FakeRecordingLibrary()
    meta = meta_for(interaction_id=42)
    library.by_interaction[42] = [meta]
    library.files[meta.recording_id] = stereo_call(tmp_path / "call.ogg")
    playback = RecordingPlayback(library, tasks, tmp_path / "cache")
    player = RecordedCallPlayer(playback, tasks)
    qtbot.addWidget(player)
    player.resize(700, 300)
    player.show()

    player.open_call(42, None)
    qtbot.waitUntil(lambda: player.meta is not None, timeout=TIMEOUT_MS)
    media = player.player.media
    qtbot.waitUntil(
        lambda: media.mediaStatus() == QMediaPlayer.MediaStatus.LoadedMedia, timeout=TIMEOUT_MS
    )
    assert player.player.isVisible()
    assert not player.moment.isVisible()
    assert player.player.markers()[0] == ("pause", 2000, 4000)  # the PCI pause, shaded
    player.seek(3_000)
    qtbot.waitUntil(lambda: player.position_ms() == 3_000, timeout=TIMEOUT_MS)
    assert library.downloads == [meta.recording_id]

    # Another call, without a recording: the typed moment.
    player.open_call(7, None)
    qtbot.waitUntil(lambda: "No recording" in player.status_label.text(), timeout=TIMEOUT_MS)
    assert player.moment.isVisible()
    player.seek(65_000)
    assert player.position_ms() == 65_000
