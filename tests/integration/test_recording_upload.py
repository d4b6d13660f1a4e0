"""Recordings reach the server without loss (issue 20): the desk's uploader (tus) against the
real backend over HTTP, real files on both sides.

Each recording arrives exactly once with the checksum its meta names, and the desk removes its
copy only once the server answers it with that checksum: with the server down during the call,
restarted mid-upload, or the uploading desk killed with SIGKILL mid-upload.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server_stub.models import AuditRow, RecordingRow
from sync.client import ApiClient
from sync.contract.recordings import (
    META_ZLIB,
    PauseReason,
    PauseSpan,
    RecordingMeta,
    RecordingMode,
)
from sync.recording_upload import (
    RecordingSpool,
    RecordingUploader,
    RoundReport,
    upload_metadata,
)
from tests.fakes.proxy import FaultProxy
from tests.fakes.servers import LiveBackend
from tests.fakes.spooled_recordings import spool_recording
from tests.fakes.waiting import wait_until

PASSWORD = "demo1234"


def signed_in(url: str, username: str = "lina") -> ApiClient:
    client = ApiClient(url)
    client.login(username, PASSWORD)
    return client


def uploader_for(
    spool: RecordingSpool, url: str, username: str = "lina", **kwargs: object
) -> RecordingUploader:
    token = signed_in(url, username)

    def factory() -> ApiClient:
        client = ApiClient(url)
        client._token = token._token  # the desk's session, shared by its workers
        return client

    return RecordingUploader(spool, factory, **kwargs)  # type: ignore[arg-type]


def stored_rows(backend: LiveBackend, recording_id: str) -> list[RecordingRow]:
    with backend.database.session() as session:
        return list(
            session.scalars(select(RecordingRow).where(RecordingRow.recording_id == recording_id))
        )


def object_bytes(backend: LiveBackend, sha256: str) -> bytes:
    files = backend.app.state.recording_store
    return b"".join(files.open_range(sha256, 0, files.size(sha256) - 1))


def assert_arrived_once(backend: LiveBackend, meta: RecordingMeta, spool: Path) -> None:
    rows = stored_rows(backend, meta.recording_id)
    assert len(rows) == 1
    assert rows[0].sha256 == meta.sha256
    if meta.sha256:
        assert hashlib.sha256(object_bytes(backend, meta.sha256)).hexdigest() == meta.sha256
    assert not list(spool.glob(f"{meta.recording_id}.*"))  # the desk's copy is gone


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(tmp_path / "server.sqlite", recordings_dir=tmp_path / "recordings")
    yield server
    server.stop()


def test_recordings_arrive_oldest_first_and_the_desk_copy_goes_only_once_confirmed(
    backend: LiveBackend, tmp_path: Path
) -> None:
    spool = RecordingSpool(tmp_path / "spool")
    older = spool_recording(spool.directory, "lina", size=700_000)
    pbx = spool_recording(spool.directory, "lina", source=RecordingMode.PBX)
    seen: list[tuple[str, int]] = []
    uploader = uploader_for(
        spool, backend.url, chunk_bytes=256 * 1024, progress=lambda i, o, _n: seen.append((i, o))
    )
    report = uploader.run_round()
    assert report.confirmed == [older.recording_id, pbx.recording_id]
    assert seen[0] == (older.recording_id, 256 * 1024)  # chunked
    assert_arrived_once(backend, older, spool.directory)
    assert_arrived_once(backend, pbx, spool.directory)
    assert report.usage is not None
    assert report.usage.pending == 0
    with backend.database.session() as session:
        stored = session.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == "recording.store")
        )
    assert stored == 2


def test_sent_again_is_one_recording(backend: LiveBackend, tmp_path: Path) -> None:
    """A desk killed after the server stored it but before it removed its copy sends it
    again: the server answers the recording it has, and nothing is doubled."""
    first = RecordingSpool(tmp_path / "first")
    meta = spool_recording(first.directory, "lina")
    again = RecordingSpool(tmp_path / "again")
    for path in first.directory.iterdir():
        (again.directory / path.name).write_bytes(path.read_bytes())
    assert uploader_for(first, backend.url).run_round().confirmed == [meta.recording_id]
    assert uploader_for(again, backend.url).run_round().confirmed == [meta.recording_id]
    assert_arrived_once(backend, meta, again.directory)


def test_a_call_with_a_thousand_pauses_travels_with_its_meta_compressed(
    backend: LiveBackend, tmp_path: Path
) -> None:
    spool = RecordingSpool(tmp_path / "spool")
    meta = spool_recording(spool.directory, "lina")
    pauses = [
        PauseSpan(
            start_ms=n * 3_000,
            end_ms=n * 3_000 + 1_000 + n % 977,
            reason=PauseReason.SENSITIVE_FIELD if n % 3 else PauseReason.AGENT,
            by="lina",
            paused_at=meta.started_at + timedelta(milliseconds=n * 3_000 + n % 89),
            resumed_at=meta.started_at + timedelta(milliseconds=n * 3_000 + 1_000 + n % 977),
        )
        for n in range(1000)
    ]
    long = meta.model_copy(update={"pauses": pauses})
    (spool.directory / f"{meta.recording_id}.json").write_text(long.model_dump_json())
    assert META_ZLIB in upload_metadata(long)
    assert uploader_for(spool, backend.url).run_round().confirmed == [meta.recording_id]
    assert len(signed_in(backend.url).recording(meta.recording_id).pauses) == 1000


def test_the_server_down_during_the_call_keeps_the_file_and_it_arrives_later(
    tmp_path: Path,
) -> None:
    """The server stops; a call is recorded meanwhile; the desk's rounds fail and keep the
    file; the server comes back and the recording arrives. (The desk talks to the server
    through a proxy that holds its address: a port given up could be taken by another
    program before the server binds it again.)"""
    server = LiveBackend(tmp_path / "server.sqlite", recordings_dir=tmp_path / "recordings")
    proxy = FaultProxy(server.url)
    try:
        token = signed_in(proxy.url)._token
        server.stop()
        spool = RecordingSpool(tmp_path / "spool")
        meta = spool_recording(spool.directory, "lina")  # the call while the server is down
        uploader = RecordingUploader(spool, lambda: ApiClient(proxy.url, token=token))
        report = uploader.run_round()
        assert report.network_error
        assert report.confirmed == []
        assert (spool.directory / f"{meta.recording_id}.ogg").exists()
        server = LiveBackend(
            tmp_path / "server.sqlite", recordings_dir=tmp_path / "recordings", seed=False
        )
        proxy.target = server.url
        assert uploader.run_round().confirmed == [meta.recording_id]
        assert_arrived_once(server, meta, spool.directory)
    finally:
        proxy.stop()
        server.stop()


def test_a_meta_that_lies_is_refused_naming_the_problem_and_the_file_is_kept(
    backend: LiveBackend, tmp_path: Path
) -> None:
    spool = RecordingSpool(tmp_path / "spool")
    meta = spool_recording(spool.directory, "lina")
    audio = spool.directory / f"{meta.recording_id}.ogg"
    audio.write_bytes(b"x" + audio.read_bytes()[1:])  # the file changed after the meta
    report = uploader_for(spool, backend.url).run_round()
    assert "sha256" in report.refused[meta.recording_id]
    assert audio.exists()
    assert stored_rows(backend, meta.recording_id) == []
    # Refused once: the next round does not send it again, and it still counts as pending.
    second = uploader_for(spool, backend.url).run_round()
    assert second.refused == {}
    assert second.usage is not None
    assert second.usage.pending == 1


@pytest.mark.slow
def test_the_server_restarted_mid_upload_resumes_from_its_offset(tmp_path: Path) -> None:
    spool = RecordingSpool(tmp_path / "spool")
    meta = spool_recording(spool.directory, "lina", size=6 * 1024 * 1024)
    server = LiveBackend(tmp_path / "server.sqlite", recordings_dir=tmp_path / "recordings")
    proxy = FaultProxy(server.url)  # the desk's address for the server, across its restart
    token = signed_in(proxy.url)._token
    half = threading.Event()
    stopped = threading.Event()

    def progress(_id: str, offset: int, _length: int) -> None:
        if offset >= 2 * 1024 * 1024 and not half.is_set():
            half.set()
            stopped.wait(60)  # the next chunk goes to a server that is gone

    cut = RecordingUploader(
        spool, lambda: ApiClient(proxy.url, token=token), chunk_bytes=512 * 1024, progress=progress
    )
    outcome: list[RoundReport] = []
    worker = threading.Thread(target=lambda: outcome.append(cut.run_round()))
    worker.start()
    try:
        wait_until(half.is_set, 60, "the upload to pass 2 MB")
        server.stop()
        stopped.set()
        worker.join(60)
        assert outcome[0].network_error
        assert (spool.directory / f"{meta.recording_id}.ogg").exists()
        server = LiveBackend(
            tmp_path / "server.sqlite", recordings_dir=tmp_path / "recordings", seed=False
        )
        proxy.target = server.url
        resumed = RecordingUploader(spool, lambda: ApiClient(proxy.url, token=token)).run_round()
        assert resumed.confirmed == [meta.recording_id]
        assert resumed.resumed_from[meta.recording_id] >= 2 * 1024 * 1024
        assert_arrived_once(server, meta, spool.directory)
    finally:
        stopped.set()
        proxy.stop()
        server.stop()


UPLOADER_CHILD = r"""
import sys
from pathlib import Path
from sync.client import ApiClient
from sync.recording_upload import RecordingSpool, RecordingUploader

url, token, spool = sys.argv[1], sys.argv[2], Path(sys.argv[3])

def progress(recording_id, offset, length):
    print(offset, flush=True)

RecordingUploader(
    RecordingSpool(spool), lambda: ApiClient(url, token=token),
    chunk_bytes=256 * 1024, progress=progress,
).run_round()
print("done", flush=True)
"""


@pytest.mark.slow
def test_the_desk_killed_mid_upload_resumes_after_restart(
    backend: LiveBackend, tmp_path: Path
) -> None:
    spool = RecordingSpool(tmp_path / "spool")
    meta = spool_recording(spool.directory, "lina", size=24 * 1024 * 1024)
    token = signed_in(backend.url)._token
    assert token is not None
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen(
        [sys.executable, "-c", UPLOADER_CHILD, backend.url, token, str(spool.directory)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() != "done" and int(line) >= 1024 * 1024:
                break
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(30)
    assert child.returncode == -signal.SIGKILL
    assert stored_rows(backend, meta.recording_id) == []
    assert (spool.directory / f"{meta.recording_id}.ogg").exists()
    report = uploader_for(spool, backend.url).run_round()
    assert report.confirmed == [meta.recording_id]
    assert report.resumed_from[meta.recording_id] >= 1024 * 1024  # not from 0
    assert_arrived_once(backend, meta, spool.directory)


def test_a_chunk_whose_answer_never_comes_times_out_and_the_next_round_resumes(
    backend: LiveBackend, tmp_path: Path
) -> None:
    """The server took a chunk and its answer was lost (a proxy holding it): the uploader is
    not held for ever (tuspy alone sends without a timeout), and the next round goes on from
    the server's offset, past the chunk that landed."""
    proxy = FaultProxy(backend.url)
    spool = RecordingSpool(tmp_path / "spool")
    meta = spool_recording(spool.directory, "lina", size=1024 * 1024)
    token = signed_in(backend.url)._token
    try:
        proxy.hold_write(2)  # the creation passes; the first chunk lands, its answer is held
        cut = RecordingUploader(
            spool,
            lambda: ApiClient(proxy.url, token=token, timeout_s=1.0),
            chunk_bytes=256 * 1024,
        )
        outcome: list[RoundReport] = []
        worker = threading.Thread(target=lambda: outcome.append(cut.run_round()), daemon=True)
        worker.start()
        wait_until(lambda: bool(outcome), 30, "the round to give up on the held answer")
        assert outcome[0].network_error
        proxy.release()
        again = RecordingUploader(spool, lambda: ApiClient(proxy.url, token=token)).run_round()
        assert again.confirmed == [meta.recording_id]
        assert again.resumed_from[meta.recording_id] == 256 * 1024
        assert_arrived_once(backend, meta, spool.directory)
    finally:
        proxy.release()
        proxy.stop()


def test_a_round_stopped_at_quit_ends_after_its_chunk_and_the_next_goes_on(
    backend: LiveBackend, tmp_path: Path
) -> None:
    spool = RecordingSpool(tmp_path / "spool")
    meta = spool_recording(spool.directory, "lina", size=2 * 1024 * 1024)
    stop = threading.Event()
    quitting = uploader_for(
        spool,
        backend.url,
        chunk_bytes=256 * 1024,
        stop=stop,
        progress=lambda _i, offset, _n: stop.set() if offset >= 512 * 1024 else None,
    )
    report = quitting.run_round()
    assert report.confirmed == []
    assert report.network_error == ""
    assert (spool.directory / f"{meta.recording_id}.ogg").exists()
    again = uploader_for(spool, backend.url).run_round()
    assert again.resumed_from[meta.recording_id] == 512 * 1024
    assert_arrived_once(backend, meta, spool.directory)


def test_a_chunk_over_the_body_bound_is_not_the_files_fault(
    backend: LiveBackend, tmp_path: Path
) -> None:
    """413 to a PATCH (a proxy's bound, or the server's 1 MB): the recording is kept and not
    marked refused; sent in chunks that fit, it arrives."""
    spool = RecordingSpool(tmp_path / "spool")
    meta = spool_recording(spool.directory, "lina", size=3 * 1024 * 1024)
    too_big = uploader_for(spool, backend.url, chunk_bytes=2 * 1024 * 1024).run_round()
    assert "413" in too_big.network_error
    assert too_big.refused == {}
    fits = uploader_for(spool, backend.url).run_round()
    assert fits.confirmed == [meta.recording_id]
    assert_arrived_once(backend, meta, spool.directory)
