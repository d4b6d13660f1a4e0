"""Fakes of the recording protocols (agent_desktop/services/recording_ports.py) for the UI's
unit-level tests, and a real stereo Ogg/Opus file made to order.

``FakeRecordingControl`` keeps each call's ``RecordingInfo`` and says every change on
``changed`` (on the GUI thread, as the real service does); ``pause`` and ``resume`` are
recorded in ``calls`` and change the state as the recorder would. ``FakeRecordingLibrary``
serves recordings from a dict and copies their files on ``download_audio``.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import soundfile
from PySide6.QtCore import QObject, Signal

from softphone.events import RecordingInfo, RecordingState
from sync.contract.recordings import PauseReason, PauseSpan, RecordingMeta, Span

AUTO_RESUME_S = 60.0


class FakeRecordingControl(QObject):
    changed = Signal(object)  # RecordingInfo

    def __init__(self, now: float = 1_000.0) -> None:
        super().__init__()
        self.now = now
        self.infos: dict[int, RecordingInfo] = {}
        self.calls: list[tuple[str, int, str]] = []  # ("pause" | "resume", call id, reason)

    def set(self, info: RecordingInfo) -> None:
        self.infos[info.call_id] = info
        self.changed.emit(info)

    def pause(self, call_id: int, reason: PauseReason) -> None:
        self.calls.append(("pause", call_id, reason.value))
        info = self.infos.get(call_id)
        if info is not None and info.state == RecordingState.RECORDING:
            self.set(
                replace(
                    info,
                    state=RecordingState.PAUSED,
                    paused_at=self.now,
                    resume_at=self.now + AUTO_RESUME_S,
                    pause_reason=reason.value,
                )
            )

    def resume(self, call_id: int) -> None:
        self.calls.append(("resume", call_id, ""))
        info = self.infos.get(call_id)
        if info is not None and info.state == RecordingState.PAUSED:
            self.set(
                replace(
                    info,
                    state=RecordingState.RECORDING,
                    paused_at=None,
                    resume_at=None,
                    pause_reason="",
                )
            )

    def state(self, call_id: int) -> RecordingInfo | None:
        return self.infos.get(call_id)


class FakeRecordingLibrary:
    def __init__(self) -> None:
        self.by_interaction: dict[int, list[RecordingMeta]] = {}
        self.files: dict[str, Path] = {}
        self.downloads: list[str] = []
        self.asked: list[int] = []  # interaction ids, as asked
        self.missing_routes = False  # a 1.6 server: the routes answer 404

    def recordings_for(self, interaction_id: int) -> list[RecordingMeta]:
        self.asked.append(interaction_id)
        if self.missing_routes:
            raise NoSuchRouteError
        return list(self.by_interaction.get(interaction_id, []))

    def recordings_of_calls(self, interaction_ids: Sequence[int]) -> dict[int, list[RecordingMeta]]:
        found = {i: self.recordings_for(i) for i in interaction_ids}
        return {i: metas for i, metas in found.items() if metas}

    def download_audio(self, recording_id: str, target: Path) -> None:
        if self.missing_routes:
            raise NoSuchRouteError
        self.downloads.append(recording_id)
        shutil.copyfile(self.files[recording_id], target)


class NoSuchRouteError(Exception):
    """What the desk client raises for a 404 (``status`` as sync.client.ServerError has it)."""

    status = 404


def stereo_call(
    path: Path,
    seconds: float = 6.0,
    silent: tuple[float, float] = (2.0, 4.0),
    rate: int = 16_000,
) -> Path:
    """A stereo Ogg/Opus file as the desk records: 700 Hz on the left (the agent), 1100 Hz on
    the right (the customer), both silent from ``silent[0]`` to ``silent[1]`` (a PCI pause)."""
    t = np.arange(int(seconds * rate)) / rate
    audio = np.stack(
        [0.3 * np.sin(2 * np.pi * 700 * t), 0.3 * np.sin(2 * np.pi * 1100 * t)], axis=1
    )
    audio[int(silent[0] * rate) : int(silent[1] * rate)] = 0.0
    soundfile.write(str(path), audio, rate, format="OGG", subtype="OPUS")
    return path


def meta_for(
    recording_id: str = "ab" * 16,
    seconds: float = 6.0,
    paused: tuple[float, float] = (2.0, 4.0),
    held: tuple[float, float] | None = None,
    interaction_id: int | None = None,
) -> RecordingMeta:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    p0, p1 = (round(s * 1000) for s in paused)
    return RecordingMeta(
        recording_id=recording_id,
        agent="agent1",
        interaction_id=interaction_id,
        started_at=start,
        ended_at=start + timedelta(seconds=seconds),
        duration_ms=round(seconds * 1000),
        pauses=[
            PauseSpan(
                start_ms=p0,
                end_ms=p1,
                reason=PauseReason.AGENT,
                by="agent1",
                paused_at=start + timedelta(milliseconds=p0),
                resumed_at=start + timedelta(milliseconds=p1),
            )
        ],
        holds=[Span(start_ms=round(held[0] * 1000), end_ms=round(held[1] * 1000))] if held else [],
    )
