"""The tour's recording screens (issue 20): the call bar while the call is recorded and while
it is paused (the countdown to the automatic resume), and a recording played with its
markers, in English and in Chinese.

The call bar shows whatever recorder the window was given (``MainWindow.attach_recordings``).
Until the desk's recorder is wired in the app, the tour gives it ``TourRecorder``: a stand-in
that follows the tour's real call and answers the real button as the recorder would (the
tour's log says so). The played recording is a stereo Ogg/Opus file the tour writes with
soundfile, as the desk records: a tone per channel and a silent, marked pause.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import soundfile
from PySide6.QtCore import QObject, Signal

from softphone.events import RecordingInfo, RecordingState
from sync.contract.recordings import SAMPLE_RATE, PauseReason, PauseSpan, RecordingMeta, Span

if TYPE_CHECKING:
    from collections.abc import Callable

AUTO_RESUME_S = 60.0


class TourRecorder(QObject):
    """Satisfies RecordingControl for the tour only (see the module's docstring)."""

    changed = Signal(object)

    def __init__(self, clock: Callable[[], float]) -> None:
        super().__init__()
        self._clock = clock
        self._infos: dict[int, RecordingInfo] = {}

    def start(self, call_id: int) -> None:
        info = RecordingInfo(
            call_id, RecordingState.RECORDING, uuid.uuid4().hex, started_at=self._clock()
        )
        self._infos[call_id] = info
        self.changed.emit(info)

    def pause(self, call_id: int, reason: PauseReason) -> None:
        info = self._infos.get(call_id)
        if info is not None and info.state == RecordingState.RECORDING:
            now = self._clock()
            paused = replace(
                info,
                state=RecordingState.PAUSED,
                paused_at=now,
                resume_at=now + AUTO_RESUME_S,
                pause_reason=reason.value,
            )
            self._infos[call_id] = paused
            self.changed.emit(paused)

    def resume(self, call_id: int) -> None:
        info = self._infos.get(call_id)
        if info is not None and info.state == RecordingState.PAUSED:
            resumed = replace(info, state=RecordingState.RECORDING, paused_at=None, resume_at=None)
            self._infos[call_id] = resumed
            self.changed.emit(resumed)

    def state(self, call_id: int) -> RecordingInfo | None:
        return self._infos.get(call_id)


def sample_recording(directory: Path) -> tuple[Path, RecordingMeta]:
    """A 40 s call: the agent (700 Hz, left) and the customer (1100 Hz, right) taking turns,
    a hold from 12 s to 17 s, a PCI pause (silence) from 22 s to 30 s."""
    rate, seconds = SAMPLE_RATE, 40
    t = np.arange(seconds * rate) / rate
    turn = (t // 3).astype(int) % 2  # three-second turns
    left = 0.3 * np.sin(2 * np.pi * 700 * t) * (turn == 0)
    right = 0.25 * np.sin(2 * np.pi * 1100 * t) * (turn == 1)
    audio = np.stack([left, right], axis=1)
    audio[12 * rate : 17 * rate] = 0.0  # on hold: the desk's hold tone is not recorded
    audio[22 * rate : 30 * rate] = 0.0  # paused: no audio at all
    path = directory / "tour-recording.ogg"
    soundfile.write(str(path), audio, rate, format="OGG", subtype="OPUS")
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    meta = RecordingMeta(
        recording_id=uuid.uuid4().hex,
        agent="wangfang",
        started_at=start,
        ended_at=start + timedelta(seconds=seconds),
        duration_ms=seconds * 1000,
        pauses=[
            PauseSpan(
                start_ms=22_000,
                end_ms=30_000,
                reason=PauseReason.SENSITIVE_FIELD,
                by="wangfang",
                paused_at=start + timedelta(seconds=22),
                resumed_at=start + timedelta(seconds=30),
            )
        ],
        holds=[Span(start_ms=12_000, end_ms=17_000)],
    )
    return path, meta
