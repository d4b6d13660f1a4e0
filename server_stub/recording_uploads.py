"""Partial recording uploads on the server's disk: the state of the tus protocol (issue 20).

An upload is named by its recording's id and kept as two files in ``<recordings dir>/uploads``:
``<id>.part`` (the bytes so far; its size is the tus offset) and ``<id>.json`` (its length, the
desk's metadata, who sends it and when it began), written before the first byte. An upload
not finished within ``ABANDONED_AFTER`` is dropped by the retention job. Both are plain files, so an
upload survives the server's restart: the desk asks the offset (HEAD) and goes on from there.

Everything done to one upload (create, append, finish, drop) holds its lock: a lock per id in
this process and an exclusive ``flock`` on ``<id>.lock``, so the server's worker processes and
instances sharing the directory take turns too. Under it the offset is checked against the
file's size, so a retried PATCH whose first try did land (perhaps on another worker) is told
409 with the real offset instead of writing the bytes twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sync.contract.recordings import RecordingMeta

try:
    import fcntl
except ImportError:  # Windows (the demo's in-process server): one process, the thread lock
    fcntl = None  # type: ignore[assignment]

HASH_CHUNK = 1024 * 1024
ABANDONED_AFTER_DAYS = 30


class UploadError(Exception):
    """A request the upload cannot take; ``status`` is the HTTP answer, the message names
    the problem."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.field = field


@dataclass(frozen=True, slots=True)
class Upload:
    recording_id: str
    length: int
    meta: RecordingMeta
    user_id: int
    offset: int


class UploadArea:
    def __init__(self, root: Path) -> None:
        self.root = root / "uploads"
        self.root.mkdir(parents=True, exist_ok=True)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def lock(self, recording_id: str) -> Iterator[None]:
        """Hold the upload: this process's threads, then other processes (not re-entrant)."""
        with self._guard:
            in_process = self._locks.setdefault(recording_id, threading.Lock())
        with in_process, (self.root / f"{recording_id}.lock").open("a") as handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _part(self, recording_id: str) -> Path:
        return self.root / f"{recording_id}.part"

    def _info(self, recording_id: str) -> Path:
        return self.root / f"{recording_id}.json"

    def find(self, recording_id: str) -> Upload | None:
        info, part = self._info(recording_id), self._part(recording_id)
        if not info.is_file() or not part.is_file():
            return None
        data = json.loads(info.read_text(encoding="utf-8"))
        return Upload(
            recording_id=recording_id,
            length=int(data["length"]),
            meta=RecordingMeta.model_validate(data["meta"]),
            user_id=int(data["user_id"]),
            offset=part.stat().st_size,
        )

    def create(self, meta: RecordingMeta, length: int, user_id: int, now: datetime) -> Upload:
        """A new upload, or the one under way for the same recording (the same length and
        checksum); another file under the same id is refused (409)."""
        with self.lock(meta.recording_id):
            found = self.find(meta.recording_id)
            if found is not None:
                if found.length != length or found.meta.sha256 != meta.sha256:
                    raise UploadError(
                        409,
                        f"An upload of recording {meta.recording_id} with another size or "
                        "checksum is under way.",
                        "recording_id",
                    )
                return found
            self._part(meta.recording_id).touch()
            temporary = self._info(meta.recording_id).with_suffix(".json.tmp")
            temporary.write_text(
                json.dumps(
                    {
                        "length": length,
                        "meta": meta.model_dump(mode="json"),
                        "user_id": user_id,
                        "created_at": now.isoformat(),
                    }
                ),
                encoding="utf-8",
            )
            os.replace(temporary, self._info(meta.recording_id))
            return Upload(meta.recording_id, length, meta, user_id, 0)

    def append(self, upload: Upload, offset: int, data: bytes) -> int:
        """Write ``data`` at ``offset`` (which must be the upload's offset now); the new
        offset. Call under ``lock(upload.recording_id)``."""
        part = self._part(upload.recording_id)
        current = part.stat().st_size
        if offset != current:
            raise UploadError(
                409, f"Upload-Offset {offset} is not the upload's offset {current}.", "offset"
            )
        if current + len(data) > upload.length:
            raise UploadError(
                400,
                f"The body would take the upload past its Upload-Length {upload.length}.",
                "length",
            )
        with part.open("ab") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())  # the offset a HEAD answers must survive a power cut
        return current + len(data)

    def abandoned(self, before: datetime) -> list[str]:
        """Uploads begun before ``before`` and never finished (a desk replaced, a recording
        deleted by hand): their ids. An info file without a time (or unreadable) counts as
        abandoned too."""
        found: list[str] = []
        for info in sorted(self.root.glob("*.json")):
            try:
                created = datetime.fromisoformat(
                    json.loads(info.read_text(encoding="utf-8"))["created_at"]
                )
            except (OSError, ValueError, KeyError, TypeError):
                found.append(info.stem)
                continue
            if created < before:
                found.append(info.stem)
        return found

    def digest(self, recording_id: str) -> str:
        sha = hashlib.sha256()
        with self._part(recording_id).open("rb") as file:
            while piece := file.read(HASH_CHUNK):
                sha.update(piece)
        return sha.hexdigest()

    def part_path(self, recording_id: str) -> Path:
        return self._part(recording_id)

    def discard(self, recording_id: str) -> None:
        """Drop the upload (under its lock: a process waiting for it then finds none)."""
        self._info(recording_id).unlink(missing_ok=True)
        self._part(recording_id).unlink(missing_ok=True)
        (self.root / f"{recording_id}.lock").unlink(missing_ok=True)
