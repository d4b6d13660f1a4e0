"""The desk's recording uploads as a service (issue 20): rounds on the task runner against the
real backend; the agent is told once when the server keeps no recordings (a 1.6 server: the
route answers 404) and when the spool nears its bound."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.messages import MessageBridge
from agent_desktop.services.recording_uploads import RecordingUploads
from agent_desktop.tasks import TaskRunner
from sync.client import ApiClient
from sync.recording_upload import RecordingSpool
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.servers import LiveBackend
from tests.fakes.spooled_recordings import spool_recording


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(tmp_path / "server.sqlite", recordings_dir=tmp_path / "recordings")
    yield server
    server.stop()


def token_of(backend: LiveBackend) -> str:
    client = ApiClient(backend.url)
    return client.login("lina", "demo1234").token


def test_a_round_sends_the_spool_and_the_pending_count_follows(
    qtbot: QtBot,
    backend: LiveBackend,
    tasks: TaskRunner,
    messages: MessageBridge,
    tmp_path: Path,
    gui_thread: OffThreadEmits,
) -> None:
    spool = RecordingSpool(tmp_path / "spool")
    spool_recording(spool.directory, "lina")
    uploads = RecordingUploads(tasks, messages, spool, every_s=3600)
    gui_thread.watch(uploads)  # its signals only on the GUI thread
    uploads.pending = 1
    with qtbot.waitSignal(uploads.pending_changed, timeout=20_000) as changed:
        uploads.start(backend.url, token_of(backend))
    assert changed.args == [0]
    assert not list(spool.directory.iterdir())
    uploads.stop()


def test_an_older_server_keeps_the_files_and_is_said_once(
    qtbot: QtBot,
    backend: LiveBackend,
    tasks: TaskRunner,
    messages: MessageBridge,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As a 1.6 server answers: the upload route is not there (FastAPI's own 404).
    monkeypatch.setattr("sync.recording_upload.UPLOADS_ROUTE", "/no-such-route/uploads")
    spool = RecordingSpool(tmp_path / "spool", limit_bytes=100_000)
    meta = spool_recording(spool.directory, "lina", size=90_000)
    uploads = RecordingUploads(tasks, messages, spool, every_s=3600)
    uploads.start(backend.url, token_of(backend))
    qtbot.waitUntil(lambda: uploads.last_report is not None, timeout=20_000)
    uploads.kick()
    qtbot.waitUntil(lambda: len(messages.history) >= 2, timeout=20_000)
    texts = [m.text for m in messages.history]
    assert sum("keeps no call recordings" in t for t in texts) == 1
    assert sum("waiting for the server" in t for t in texts) == 1  # 90 % of the bound
    assert (spool.directory / f"{meta.recording_id}.ogg").exists()
    assert uploads.pending == 1
    uploads.stop()


def test_a_recording_finished_in_the_spool_is_sent_without_waiting_for_the_tick(
    qtbot: QtBot, backend: LiveBackend, tasks: TaskRunner, messages: MessageBridge, tmp_path: Path
) -> None:
    spool = RecordingSpool(tmp_path / "spool")
    uploads = RecordingUploads(tasks, messages, spool, every_s=3600)
    uploads.start(backend.url, token_of(backend))
    qtbot.waitUntil(lambda: uploads.last_report is not None, timeout=20_000)
    meta = spool_recording(spool.directory, "lina")  # as the recorder leaves a call
    qtbot.waitUntil(lambda: not list(spool.directory.iterdir()), timeout=20_000)
    assert uploads.last_report is not None
    client = ApiClient(backend.url)
    client.login("lina", "demo1234")
    assert client.recording(meta.recording_id).sha256 == meta.sha256
    uploads.stop()
