"""The desk's outbox for recording files (issue 20): the spool the recorder writes into, and
the uploader that empties it through the server's tus route (``tuspy``). No Qt here;
``agent_desktop.services.recording_uploads`` runs rounds on the task runner and tells the
agent.

The spool: the recorder writes ``<id>.ogg`` and then, atomically, ``<id>.json`` (the
``RecordingMeta``); a recording is finished when its ``.json`` is there (a PBX's has no
``.ogg``). Oldest first, each is sent with the tus protocol: POST creates the upload named by
its id (or finds the one under way, or the recording already stored), HEAD gives the offset
the server holds, PATCH sends the rest in chunks. So an upload cut by the network, a server
restart or the desk killed goes on from the server's offset. Once the server answers the
recording with the same SHA-256 as the desk's file, ``<id>.confirmed`` is written and only
then are the files removed (a crash between leaves a confirmed recording, removed next round).

Disk use is bounded (``limit_bytes``): confirmed copies go first, oldest first (kept only while
``keep_confirmed_bytes`` allows: a local replay cache, 0 by default); an unconfirmed recording
is never removed. When unconfirmed recordings pass ``warn_fraction`` of the bound the round
says so, so the agent hears before the disk fills.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from tusclient.exceptions import TusCommunicationError, TusUploadFailed

from sync.client import ApiClient, ApiError, RecordingsUnsupportedError
from sync.contract.recordings import (
    CHECKSUM_MISMATCH,
    META_PLAIN_MAX,
    META_ZLIB,
    UPLOAD_CHUNK_BYTES,
    UPLOADS_ROUTE,
    RecordingMeta,
    RecordingMode,
)
from sync.contract.wire import API_PREFIX

if TYPE_CHECKING:
    from sync.tus_upload import TimedUploader

log = logging.getLogger(__name__)

DEFAULT_LIMIT_BYTES = 2 * 1024**3
WARN_FRACTION = 0.8
HASH_CHUNK = 1024 * 1024
# The answers that refuse a recording for good: its file or meta is wrong, and sending it again
# cannot help (403 is not among them: a role may get recording.upload back).
FOR_GOOD = frozenset({400, 409, 413, 415, 422, CHECKSUM_MISMATCH})
FOR_GOOD_CHUNK = frozenset({400, 415, CHECKSUM_MISMATCH})


@dataclass(frozen=True, slots=True)
class SpooledRecording:
    meta: RecordingMeta
    meta_path: Path
    audio_path: Path | None  # None: a PBX's recording (only the link travels)
    bytes_on_disk: int
    confirmed: bool
    refused: str  # why the server refused it ('' if it did not); it is kept, not resent

    @property
    def recording_id(self) -> str:
        return self.meta.recording_id


@dataclass(frozen=True, slots=True)
class SpoolUsage:
    total_bytes: int
    unconfirmed_bytes: int
    limit_bytes: int
    pending: int  # finished recordings not yet confirmed (refused ones included)

    @property
    def nearly_full(self) -> bool:
        return self.unconfirmed_bytes >= WARN_FRACTION * self.limit_bytes

    @property
    def full(self) -> bool:
        return self.unconfirmed_bytes >= self.limit_bytes


class RecordingSpool:
    """The folder the recorder writes into (one per desk profile)."""

    def __init__(
        self, directory: Path, limit_bytes: int = DEFAULT_LIMIT_BYTES, keep_confirmed_bytes: int = 0
    ) -> None:
        self.directory = directory
        self.limit_bytes = limit_bytes
        self.keep_confirmed_bytes = keep_confirmed_bytes
        directory.mkdir(parents=True, exist_ok=True)

    def _marker(self, recording_id: str, kind: str) -> Path:
        return self.directory / f"{recording_id}.{kind}"

    def finished(self) -> list[SpooledRecording]:
        """Every finished recording, oldest first (by end of call, then id)."""
        found: list[SpooledRecording] = []
        for meta_path in self.directory.glob("*.json"):
            try:
                meta = RecordingMeta.model_validate_json(meta_path.read_bytes())
            except (OSError, ValidationError) as exc:
                log.warning("recording spool: %s is unreadable (%s); left alone", meta_path, exc)
                continue
            audio = meta_path.with_suffix(".ogg")
            has_audio = meta.source is RecordingMode.DESK
            size = meta_path.stat().st_size + (audio.stat().st_size if audio.exists() else 0)
            refused = self._marker(meta.recording_id, "refused")
            found.append(
                SpooledRecording(
                    meta=meta,
                    meta_path=meta_path,
                    audio_path=audio if has_audio else None,
                    bytes_on_disk=size,
                    confirmed=self._marker(meta.recording_id, "confirmed").exists(),
                    refused=refused.read_text(encoding="utf-8") if refused.exists() else "",
                )
            )
        return sorted(found, key=lambda r: (r.meta.ended_at, r.recording_id))

    def usage(self) -> SpoolUsage:
        recordings = self.finished()
        total = sum(r.bytes_on_disk for r in recordings)
        unconfirmed = sum(r.bytes_on_disk for r in recordings if not r.confirmed)
        # Files of a call still being recorded count too: they are on the disk.
        loose = sum(
            p.stat().st_size
            for p in self.directory.glob("*.ogg")
            if not p.with_suffix(".json").exists()
        )
        return SpoolUsage(
            total + loose,
            unconfirmed + loose,
            self.limit_bytes,
            sum(1 for r in recordings if not r.confirmed),
        )

    def confirm(self, recording: SpooledRecording) -> None:
        """The server holds it with the same checksum: marked, then removable."""
        self._marker(recording.recording_id, "confirmed").write_text("", encoding="utf-8")

    def refuse(self, recording: SpooledRecording, why: str) -> None:
        self._marker(recording.recording_id, "refused").write_text(why, encoding="utf-8")

    def remove(self, recording: SpooledRecording) -> None:
        """Only a confirmed recording is ever removed."""
        if not self._marker(recording.recording_id, "confirmed").exists():
            raise ValueError(f"recording {recording.recording_id} is not confirmed")
        if recording.audio_path is not None:
            recording.audio_path.unlink(missing_ok=True)
        recording.meta_path.unlink(missing_ok=True)
        self._marker(recording.recording_id, "confirmed").unlink(missing_ok=True)

    def make_room(self) -> list[str]:
        """Remove confirmed recordings, oldest first, while they pass the local cache's budget
        or the spool passes its bound. The ids removed."""
        recordings = self.finished()
        confirmed = [r for r in recordings if r.confirmed]
        kept_bytes = sum(r.bytes_on_disk for r in confirmed)
        total = sum(r.bytes_on_disk for r in recordings)
        removed: list[str] = []
        for recording in confirmed:
            if kept_bytes <= self.keep_confirmed_bytes and total <= self.limit_bytes:
                break
            self.remove(recording)
            kept_bytes -= recording.bytes_on_disk
            total -= recording.bytes_on_disk
            removed.append(recording.recording_id)
        return removed


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as file:
        while piece := file.read(HASH_CHUNK):
            sha.update(piece)
    return sha.hexdigest()


@dataclass(slots=True)
class RoundReport:
    """What one round did: for the service to tell the agent."""

    confirmed: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # id -> the server's reason
    resumed_from: dict[str, int] = field(default_factory=dict)  # id -> offset the server had
    unsupported: bool = False
    network_error: str = ""
    usage: SpoolUsage | None = None


Progress = Callable[[str, int, int], None]  # recording id, offset, length


class RecordingUploader:
    """Sends the spool's finished recordings, oldest first. One round at a time (the service
    runs rounds on one worker); ``client_factory`` gives a signed-in ``ApiClient`` per round
    (an ``ApiClient`` is not shared between threads)."""

    def __init__(
        self,
        spool: RecordingSpool,
        client_factory: Callable[[], ApiClient],
        *,
        chunk_bytes: int = UPLOAD_CHUNK_BYTES,
        progress: Progress | None = None,
        stop: threading.Event | None = None,
        agent: str | None = None,
    ) -> None:
        self._spool = spool
        # Whose recordings this round sends (the signed-in user's; None: every one). Two agents
        # sharing a PC share its spool: the other's wait for their own sign-in.
        self._agent = agent
        # Set at quit or sign-out: the round ends after the chunk under way (the server keeps
        # what arrived; the next round goes on from there).
        self._stop = stop or threading.Event()
        self._client_factory = client_factory
        self._chunk_bytes = chunk_bytes
        self._progress = progress or (lambda _id, _offset, _length: None)

    def run_round(self) -> RoundReport:
        report = RoundReport()
        with self._client_factory() as client:
            for recording in self._spool.finished():
                if self._stop.is_set():
                    break
                if recording.confirmed or recording.refused:
                    continue
                if self._agent is not None and recording.meta.agent != self._agent:
                    continue
                try:
                    self._send(client, recording, report)
                except RecordingsUnsupportedError:
                    report.unsupported = True
                    break
                except (TusCommunicationError, ApiError, OSError) as exc:
                    report.network_error = _describe(exc)
                    break
        self._spool.make_room()
        report.usage = self._spool.usage()
        return report

    def _send(self, client: ApiClient, recording: SpooledRecording, report: RoundReport) -> None:
        meta = recording.meta
        problem = file_problem(recording)
        if problem:
            self._refuse(recording, report, problem)
            return
        # Imported here: tuspy brings aiohttp (0.1 s), which the desk's start need not pay.
        from tusclient.client import TusClient  # noqa: PLC0415

        from sync.tus_upload import TimedUploader  # noqa: PLC0415

        tus = TusClient(f"{client.base_url}{API_PREFIX}{UPLOADS_ROUTE}", client.upload_headers())
        source = (
            {"file_path": str(recording.audio_path)}
            if recording.audio_path is not None
            else {"file_stream": io.BytesIO(b"")}
        )
        uploader = TimedUploader(
            tus,
            **source,
            http=client.http,
            timeout=client.timeouts,
            chunk_size=self._chunk_bytes,
            metadata=upload_metadata(meta),
        )
        try:
            if not self._push(uploader, meta.recording_id, report):
                return  # stopped (quit, sign-out): the next round goes on
        except TusCommunicationError as exc:
            if exc.status_code == 404 and not uploader.url:
                raise RecordingsUnsupportedError(
                    f"The server at {client.base_url} has no recordings route.",
                    "recordings_unsupported",
                ) from None
            # A chunk's refusal is final only for the file's own faults; a 413 (a proxy's or
            # the server's body bound) or a 409 (the offsets) is tried again next round.
            final = FOR_GOOD_CHUNK if isinstance(exc, TusUploadFailed) else FOR_GOOD
            if exc.status_code in final:
                self._refuse(recording, report, _describe(exc))
                return
            raise
        stored = client.recording(meta.recording_id)
        if stored.sha256 != meta.sha256 or stored.size_bytes != meta.size_bytes:
            self._refuse(recording, report, "the server holds this recording with another file")
            return
        self._spool.confirm(recording)
        report.confirmed.append(meta.recording_id)

    def _push(self, uploader: TimedUploader, recording_id: str, report: RoundReport) -> bool:
        """Create (or find) the upload and send what the server lacks; False if stopped."""
        uploader.set_url(uploader.create_url())
        uploader.offset = uploader.get_offset()
        if uploader.offset:
            report.resumed_from[recording_id] = uploader.offset
        while uploader.offset < uploader.stop_at:
            if self._stop.is_set():
                return False
            sent_at = uploader.offset
            try:
                uploader.upload_chunk()
            except TusCommunicationError as exc:
                if exc.status_code != 409:
                    raise
                uploader.offset = uploader.get_offset()  # a retry whose first try landed
                if uploader.offset == sent_at:  # the server disagrees with itself: stop
                    raise
            self._progress(recording_id, uploader.offset, uploader.stop_at)
        return True

    def _refuse(self, recording: SpooledRecording, report: RoundReport, why: str) -> None:
        log.warning("recording %s refused: %s", recording.recording_id, why)
        self._spool.refuse(recording, why)
        report.refused[recording.recording_id] = why


def file_problem(recording: SpooledRecording) -> str:
    """Why the desk's own file is not what its meta says ('' when it is): a recorder's bug is
    caught here, before any byte travels."""
    meta, audio = recording.meta, recording.audio_path
    if audio is None:
        return ""
    if not audio.exists():
        return "the recording's audio file is missing"
    actual, size = file_sha256(audio), audio.stat().st_size
    if actual != meta.sha256 or size != meta.size_bytes:
        return (
            f"the file ({size} bytes, sha256 {actual}) is not what its metadata says "
            f"({meta.size_bytes} bytes, sha256 {meta.sha256})"
        )
    return ""


def upload_metadata(meta: RecordingMeta) -> dict[str, bytes]:
    """The tus Upload-Metadata of a recording: its id, and its meta as JSON (compressed when
    long: a call with hundreds of pauses would not fit in one header)."""
    text = meta.model_dump_json().encode()
    if len(text) <= META_PLAIN_MAX:
        return {"recording_id": meta.recording_id.encode(), "meta": text}
    return {"recording_id": meta.recording_id.encode(), META_ZLIB: zlib.compress(text, 9)}


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TusCommunicationError):
        body = exc.response_content
        text = body.decode("utf-8", "replace")[:300] if isinstance(body, bytes) else ""
        return f"HTTP {exc.status_code}: {text}" if exc.status_code else str(exc)[:300]
    return str(exc)[:300] or type(exc).__name__


def spool_dir_default(profile: Path) -> Path:
    return profile / "recordings"


__all__ = [
    "RecordingSpool",
    "RecordingUploader",
    "RecordingsUnsupportedError",
    "RoundReport",
    "SpoolUsage",
    "SpooledRecording",
    "file_sha256",
    "spool_dir_default",
]
