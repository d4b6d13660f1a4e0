"""One call's recording on the desk (issue 20): two mono taps in, one stereo Ogg/Opus file out.

The conference bridge's clock thread hands each 20 ms frame to ``feed`` (left: what the
agent's microphone sends into the call; right: what the call brings in) and returns at once:
``feed`` only puts bytes on a bounded queue; a full queue drops the frame and counts it, it
never waits. A writer thread of the recording's own takes the frames off, pairs the two
channels, and encodes them as they come (``soundfile``'s libsndfile with Opus), so a call is
never held in memory; at the end it closes the file, hashes it, and writes the metadata
beside it (``<id>.json``: written to a temporary name and renamed, so the uploader, which
takes only recordings with a ``.json``, never sees half of one).

Pauses (PCI DSS) are digital silence: while paused, ``feed`` puts zeros on the queue in place
of the audio, on both channels, so the card number never reaches the encoder. Positions
(pauses, holds) are counted in frames fed on the left channel: the file's own time.

libsndfile writes an Ogg file's comments in its header, before the first sample, so the
pauses cannot go into the file's comments; the file says where its metadata is
(``comment``) and the pauses are in ``<id>.json``.

No pjsua2 and no Qt here: ``softphone._pj`` owns the taps and the events; the metadata's
shape is ``sync.contract.recordings.RecordingMeta`` (written as plain JSON: the phone knows
nothing of the contract package; a unit test reads it back with the contract's model).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from softphone.events import RecordingLabels, RecordingState

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
FRAME_MS = 20
FRAME_SAMPLES = SAMPLE_RATE * FRAME_MS // 1000
FRAME_BYTES = FRAME_SAMPLES * 2
SILENCE = bytes(FRAME_BYTES)
LEFT, RIGHT = 0, 1  # agent, far end
QUEUE_FRAMES = 500  # 5 s of both channels: the writer may stall that long before frames drop
# One channel this many frames ahead of the other: the other's port has stopped being fed
# (no source on the bridge); its missing frames are written as silence.
SKEW_FRAMES = 10
MEDIA_TYPE = "audio/ogg; codecs=opus"
_END = (-1, b"")
EMIT_FRAMES = 10  # frames paired before they go to the encoder together (200 ms)
WRITER_WAKE_S = 0.2  # an idle writer looks this often whether the call has ended


def _iso(unix: float) -> str:
    return datetime.fromtimestamp(unix, UTC).isoformat()


@dataclass(slots=True)
class _Pause:
    start_frame: int
    reason: str
    by: str
    paused_at: float
    resume_at: float | None
    end_frame: int = -1
    resumed_at: float = 0.0
    auto_resumed: bool = False


@dataclass(slots=True)
class CallFacts:
    """What the engine knows of the call, for the metadata (set as the call goes)."""

    sip_call_id: str = ""
    kind: str = "inbound"  # sync.contract.recordings.CallKind
    labels: RecordingLabels = field(default_factory=RecordingLabels)


class OpenFile:
    """The encoder: ``soundfile`` writing Ogg/Opus (a seam for the failure tests)."""

    def __init__(self, path: Path, comment: str) -> None:
        import soundfile  # noqa: PLC0415 - libsndfile loads only when a call is recorded

        self._file = soundfile.SoundFile(
            str(path),
            "w",
            samplerate=SAMPLE_RATE,
            channels=2,
            format="OGG",
            subtype="OPUS",
        )
        with contextlib.suppress(Exception):  # comments are a courtesy, not the record
            self._file.comment = comment

    def write(self, stereo: np.ndarray[Any, np.dtype[np.int16]]) -> None:
        self._file.write(stereo)

    def close(self) -> None:
        self._file.close()


Opener = Callable[[Path, str], OpenFile]


class CallRecording:
    """One call's file. ``feed`` runs on pjmedia's clock thread; everything else on the
    engine's thread, except the writer (its own thread). ``poll`` tells the engine's thread
    what the writer did (failed, finished) without the writer touching anything of it."""

    def __init__(
        self,
        call_id: int,
        recording_id: str,
        spool: Path,
        wall_clock: Callable[[], float],
        facts: CallFacts,
        opener: Opener = OpenFile,
        queue_frames: int = QUEUE_FRAMES,
    ) -> None:
        self.call_id = call_id
        self.recording_id = recording_id
        self.path = spool / f"{recording_id}.ogg"
        self.meta_path = spool / f"{recording_id}.json"
        self.facts = facts
        self._clock = wall_clock
        self.started_at = wall_clock()
        self.ended_at = 0.0
        self.state = RecordingState.RECORDING
        self.reason = ""
        self.dropped = 0  # frames the queue had no room for
        self.fed = [0, 0]  # frames handed over per channel (the file's clock: the left one)
        self.pauses: list[_Pause] = []
        self.holds: list[list[int]] = []  # [start_frame, end_frame or -1]
        self._paused = False  # read by the clock thread: one attribute, set atomically
        self._finished = False  # likewise: the call ended, frames still coming are not its
        self._queue: queue.Queue[tuple[int, bytes]] = queue.Queue(maxsize=queue_frames)
        self._opener = opener
        self._failed: str = ""  # set by the writer thread, read by ``poll``
        self._done = threading.Event()  # the writer has closed the file (or failed)
        self.size_bytes = 0
        self.sha256 = ""
        self.reported = False  # the engine reported the final state
        spool.mkdir(parents=True, exist_ok=True)
        self._writer = threading.Thread(
            target=self._write, name=f"recording-{call_id}", daemon=True
        )
        self._writer.start()

    # -- the clock thread -----------------------------------------------------------------

    def feed(self, channel: int, frame: bytes) -> None:
        """A frame from the bridge: handed over, or counted as dropped. Never blocks."""
        if self._finished:  # the taps leave the bridge on the engine's next poll
            return
        self.fed[channel] += 1
        data = SILENCE if self._paused or len(frame) != FRAME_BYTES else frame
        try:
            self._queue.put_nowait((channel, data))
        except queue.Full:
            self.dropped += 1

    # -- the engine's thread --------------------------------------------------------------

    @property
    def position_ms(self) -> int:
        return self.fed[LEFT] * FRAME_MS

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self, reason: str, by: str, resume_at: float | None) -> None:
        if self._paused or self.state is not RecordingState.RECORDING:
            return
        self._paused = True
        self.pauses.append(_Pause(self.fed[LEFT], reason, by, self._clock(), resume_at))

    def resume(self, auto: bool = False) -> None:
        if not self._paused:
            return
        last = self.pauses[-1]
        last.end_frame = self.fed[LEFT]
        last.resumed_at = self._clock()
        last.auto_resumed = auto
        self._paused = False

    def current_pause(self) -> _Pause | None:
        return self.pauses[-1] if self._paused and self.pauses else None

    def held(self, on: bool) -> None:
        """The call was put on hold (or taken off it): marked, the audio goes on as it is."""
        open_hold = bool(self.holds) and self.holds[-1][1] < 0
        if on and not open_hold:
            self.holds.append([self.fed[LEFT], -1])
        elif not on and open_hold:
            self.holds[-1][1] = self.fed[LEFT]

    def finish(self) -> None:
        """The call ended: the pause and hold still open end here, the writer finishes."""
        self.resume()
        self.held(False)
        self.ended_at = self._clock()
        self._finished = True
        # Never waits: behind a full queue (a stalled disk) the end mark is left out, and the
        # writer ends when it finds the queue empty after the call's end (``_next``).
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(_END)

    def poll(self) -> RecordingState:
        """What the writer did, as the state the engine reports (called on its thread)."""
        if self._failed and self.state is not RecordingState.FAILED:
            self.state = RecordingState.FAILED
            self.reason = self._failed
        elif self._done.is_set() and self.state is not RecordingState.FAILED:
            self.state = RecordingState.FINISHED
        return self.state

    def wait(self, timeout_s: float) -> bool:
        """Wait for the writer to finish (at the engine's stop only)."""
        return self._done.wait(timeout_s)

    # -- the writer thread ----------------------------------------------------------------

    def _write(self) -> None:
        encoder: OpenFile | None = None
        try:
            encoder = self._opener(
                self.path,
                f"recording {self.recording_id}: agent left, far end right;"
                f" pauses in {self.recording_id}.json",
            )
            self._pair(encoder)
            encoder.close()
            encoder = None
            self._seal()
        except Exception as exc:  # disk full, no encoder: the call goes on without a file
            log.warning("recording %s failed: %s", self.recording_id, exc)
            self._failed = f"The recording could not be written: {exc}"
            if encoder is not None:
                with contextlib.suppress(Exception):
                    encoder.close()
            self._drain()
        finally:
            self._done.set()

    def _pair(self, encoder: OpenFile) -> None:
        """Frames off the queue, left with right, written as they pair up."""
        pending: list[list[bytes]] = [[], []]
        while True:
            channel, data = self._next()
            if channel < 0:
                break
            pending[channel].append(data)
            ahead = len(pending[LEFT]) - len(pending[RIGHT])
            if abs(ahead) > SKEW_FRAMES:  # one side's port is not being fed: silence there
                pending[RIGHT if ahead > 0 else LEFT].append(SILENCE)
            count = min(len(pending[LEFT]), len(pending[RIGHT]))
            if count >= EMIT_FRAMES:  # the encoder takes 200 ms at a time: fewer calls
                self._emit(encoder, pending, count)
        longest = max(len(pending[LEFT]), len(pending[RIGHT]))
        for side in pending:
            side.extend([SILENCE] * (longest - len(side)))
        if longest:
            self._emit(encoder, pending, longest)

    def _next(self) -> tuple[int, bytes]:
        """The next frame, or the end: its mark, or an empty queue once the call ended."""
        while True:
            try:
                return self._queue.get(timeout=WRITER_WAKE_S)
            except queue.Empty:
                if self._finished and self._queue.empty():
                    return _END

    @staticmethod
    def _emit(encoder: OpenFile, pending: list[list[bytes]], count: int) -> None:
        left = np.frombuffer(b"".join(pending[LEFT][:count]), dtype=np.int16)
        right = np.frombuffer(b"".join(pending[RIGHT][:count]), dtype=np.int16)
        del pending[LEFT][:count], pending[RIGHT][:count]
        encoder.write(np.column_stack((left, right)))

    def _drain(self) -> None:
        """After a failure: keep taking frames (the clock thread never sees a full queue
        because of it) until the end mark."""
        while True:
            channel, _data = self._next()
            if channel < 0:
                return

    def _seal(self) -> None:
        self.size_bytes, self.sha256 = file_digest(self.path)
        write_meta(self.meta_path, self.meta())

    def meta(self) -> dict[str, Any]:
        """sync.contract.recordings.RecordingMeta, as JSON."""
        labels = self.facts.labels
        ended_at = self.ended_at or self._clock()
        return {
            "recording_id": self.recording_id,
            "source": "desk",
            "pbx_recording_id": None,
            "sip_call_id": self.facts.sip_call_id[:200],
            "interaction_id": labels.interaction_id,
            "customer_id": labels.customer_id,
            "kind": self.facts.kind,
            "queue": labels.queue[:200],
            "agent": labels.agent[:200],
            "started_at": _iso(self.started_at),
            "ended_at": _iso(ended_at),
            "duration_ms": self.fed[LEFT] * FRAME_MS,
            "sample_rate": SAMPLE_RATE,
            "channels": 2,
            "media_type": MEDIA_TYPE,
            "size_bytes": self.size_bytes,
            "sha256": self.sha256,
            "pauses": [
                {
                    "start_ms": pause.start_frame * FRAME_MS,
                    "end_ms": max(pause.end_frame, pause.start_frame) * FRAME_MS,
                    "reason": pause.reason,
                    "by": pause.by[:200] or labels.agent[:200],
                    "paused_at": _iso(pause.paused_at),
                    "resumed_at": _iso(pause.resumed_at or ended_at),
                    "auto_resumed": pause.auto_resumed,
                }
                for pause in self.pauses
            ],
            "holds": [
                {"start_ms": start * FRAME_MS, "end_ms": max(end, start) * FRAME_MS}
                for start, end in self.holds
            ],
        }


def file_digest(path: Path) -> tuple[int, str]:
    """The file's size and SHA-256 (what the server checks the upload against)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 16), b""):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def write_meta(path: Path, meta: dict[str, Any]) -> None:
    """Write-then-rename: a reader sees the whole metadata or none of it."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as file:
        json.dump(meta, file, ensure_ascii=False)
        file.flush()
        os.fsync(file.fileno())
    partial.replace(path)


def pbx_meta(
    recording_id: str,
    pbx_recording_id: str,
    facts: CallFacts,
    started_at: float,
    ended_at: float,
) -> dict[str, Any]:
    """The metadata of a call the PBX recorded: no file, the PBX's id to link."""
    labels = facts.labels
    return {
        "recording_id": recording_id,
        "source": "pbx",
        "pbx_recording_id": pbx_recording_id[:200],
        "sip_call_id": facts.sip_call_id[:200],
        "interaction_id": labels.interaction_id,
        "customer_id": labels.customer_id,
        "kind": facts.kind,
        "queue": labels.queue[:200],
        "agent": labels.agent[:200],
        "started_at": _iso(started_at),
        "ended_at": _iso(ended_at),
        "duration_ms": max(0, min(int((ended_at - started_at) * 1000), 86_400_000)),
        "sample_rate": SAMPLE_RATE,
        "channels": 2,
        "media_type": MEDIA_TYPE,
        "size_bytes": 0,
        "sha256": "",
        "pauses": [],
        "holds": [],
    }


def orphans(spool: Path) -> list[Path]:
    """Recordings in the spool without their metadata (a glob: cheap, on any thread)."""
    return [
        audio
        for audio in sorted(spool.glob("*.ogg"))
        if len(audio.stem) == 32 and not audio.with_suffix(".json").exists()
    ]


def adopt_orphans(found: list[Path], agent: str) -> list[Path]:
    """Recordings an engine did not finish (killed mid-call: an ``.ogg`` and no ``.json``)
    get their metadata now, from what the file holds, so the uploader takes them too. Run
    off the engine's thread (hashing a long call takes a while); files being written by this
    engine are never among ``found`` (listed by ``orphans`` before its first call)."""
    adopted: list[Path] = []
    for audio in found:
        recording_id = audio.stem
        meta_path = audio.with_suffix(".json")
        try:
            import soundfile  # noqa: PLC0415 - as OpenFile

            frames = int(soundfile.info(str(audio)).frames)
        except Exception as exc:  # nothing readable in it: kept aside, never uploaded
            log.warning("recording %s: unreadable after a crash (%s); set aside", audio, exc)
            audio.rename(audio.with_suffix(".broken"))
            continue
        ended = audio.stat().st_mtime
        try:
            size, sha256 = file_digest(audio)
            meta = pbx_meta(recording_id, "", CallFacts(labels=RecordingLabels(agent=agent)),
                            ended - frames / SAMPLE_RATE, ended)  # fmt: skip
            meta.update(
                source="desk",
                pbx_recording_id=None,
                duration_ms=frames // FRAME_SAMPLES * FRAME_MS,
                size_bytes=size,
                sha256=sha256,
            )
            write_meta(meta_path, meta)
        except OSError as exc:
            log.warning("recording %s: metadata not written: %s", audio, exc)
            continue
        log.info("recording %s: finished after a crash (%d s)", recording_id, frames // 16_000)
        adopted.append(meta_path)
    return adopted
