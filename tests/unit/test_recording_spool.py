"""The desk's recording spool (issue 20) and the server's upload state, each alone: the spool
never removes a recording the server has not confirmed, removes confirmed ones oldest first
when over its bound, and warns before it fills; an upload takes bytes only at its offset."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from server_stub.recording_store import DirectoryStore
from server_stub.recording_uploads import UploadArea, UploadError
from sync.clock import SystemClock
from sync.recording_upload import RecordingSpool
from tests.fakes.spooled_recordings import spool_recording


def test_over_its_bound_the_spool_removes_the_oldest_confirmed_never_an_unconfirmed(
    tmp_path: Path,
) -> None:
    now = SystemClock().now()
    spool = RecordingSpool(tmp_path, limit_bytes=250_000, keep_confirmed_bytes=10**9)
    oldest = spool_recording(tmp_path, "lina", size=100_000, started_at=now - timedelta(hours=3))
    middle = spool_recording(tmp_path, "lina", size=100_000, started_at=now - timedelta(hours=2))
    newest = spool_recording(tmp_path, "lina", size=100_000, started_at=now - timedelta(hours=1))
    by_id = {r.recording_id: r for r in spool.finished()}
    assert list(by_id) == [oldest.recording_id, middle.recording_id, newest.recording_id]
    assert spool.make_room() == []  # nothing confirmed: nothing removed, however full
    assert spool.usage().full
    spool.confirm(by_id[middle.recording_id])
    spool.confirm(by_id[newest.recording_id])
    assert spool.make_room() == [middle.recording_id]  # under the bound again after one
    assert (tmp_path / f"{oldest.recording_id}.ogg").exists()
    assert spool.usage().pending == 1
    with pytest.raises(ValueError, match="not confirmed"):
        spool.remove(by_id[oldest.recording_id])


def test_the_spool_warns_at_eighty_percent_of_its_bound(tmp_path: Path) -> None:
    spool = RecordingSpool(tmp_path, limit_bytes=1_000_000)
    spool_recording(tmp_path, "lina", size=700_000)
    assert not spool.usage().nearly_full
    spool_recording(tmp_path, "lina", size=150_000)
    assert spool.usage().nearly_full
    assert not spool.usage().full


def test_an_unreadable_meta_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "0123.json").write_text("{not json", encoding="utf-8")
    assert RecordingSpool(tmp_path).finished() == []


def test_an_upload_takes_bytes_only_at_its_offset_and_within_its_length(tmp_path: Path) -> None:
    meta = spool_recording(tmp_path / "spool", "lina", size=10)
    area = UploadArea(tmp_path / "server")
    upload = area.create(meta, 10, user_id=1, now=SystemClock().now())
    assert area.append(upload, 0, b"12345") == 5
    with pytest.raises(UploadError) as caught:
        area.append(upload, 0, b"12345")  # a retry whose first try landed
    assert caught.value.status == 409
    assert "offset 5" in str(caught.value)
    with pytest.raises(UploadError) as caught:
        area.append(upload, 5, b"123456")
    assert caught.value.status == 400
    again = UploadArea(tmp_path / "server").find(meta.recording_id)  # after a restart
    assert again is not None
    assert again.offset == 5
    with pytest.raises(UploadError) as caught:
        area.create(
            meta.model_copy(update={"sha256": "0" * 64}), 10, user_id=1, now=SystemClock().now()
        )
    assert caught.value.status == 409


def test_the_store_keeps_one_file_per_content(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path)
    digest = "ab" * 32
    for _ in range(2):
        source = tmp_path / "upload.part"
        source.write_bytes(b"0123456789")
        store.put(source, digest)
        assert not source.exists()
    assert store.size(digest) == 10
    assert b"".join(store.open_range(digest, 2, 5)) == b"2345"
    store.delete(digest)
    assert not store.exists(digest)
    with pytest.raises(ValueError, match="SHA-256"):
        store.path_of("../../etc/passwd")
