"""The level strip of a recording: each channel's loudness per block (issue 20, playback).

Read with soundfile (libsndfile decodes Ogg/Opus) block by block, so an hour's call is never
held whole in memory; each block's RMS becomes dBFS and then a height from 0 (at or below
``FLOOR_DB``: silence, a PCI pause) to 1 (full scale). Blocking work on a local file: the
player runs it on a worker (TaskRunner.run_blocking), never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile

BLOCK_MS = 100  # ten bars a second: a pause of a second or more shows plainly
FLOOR_DB = -60.0  # Opus's noise floor on digital silence sits far below this
# Decoding Opus costs ~0.3 s per minute of call (bench/bench_recording_levels.py): an hour's
# strip takes ~20 s, so it is shown as it is read, every this many blocks (30 s of call).
PROGRESS_EVERY = 300


class ReadingStoppedError(Exception):
    """Another recording was opened (or the player closed) while this one was read."""


@dataclass(frozen=True, slots=True)
class Levels:
    """Heights in 0..1, one row per channel (row 0: the agent, row 1: the customer)."""

    block_ms: int
    duration_ms: int
    rows: tuple[npt.NDArray[np.float32], ...]

    def at(self, channel: int, ms: int) -> float:
        """The height of the block holding ``ms`` (0 past the end)."""
        row = self.rows[channel]
        index = ms // self.block_ms
        return float(row[index]) if 0 <= index < len(row) else 0.0


def read_levels(
    path: str | Path,
    block_ms: int = BLOCK_MS,
    progress: Callable[[Levels], object] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Levels:
    """The whole file's levels. ``progress`` gets the levels read so far every
    ``PROGRESS_EVERY`` blocks; ``stop`` returning true ends the reading
    (``ReadingStoppedError``). Both are called on the reading thread."""
    info = soundfile.info(str(path))
    frames_per_block = max(1, info.samplerate * block_ms // 1000)
    duration_ms = round(info.frames * 1000 / info.samplerate) if info.samplerate else 0
    heights: list[npt.NDArray[np.float32]] = []

    def so_far() -> Levels:
        table = (
            np.stack(heights, axis=1) if heights else np.zeros((info.channels, 0), dtype=np.float32)
        )
        return Levels(block_ms, duration_ms, tuple(table[c] for c in range(table.shape[0])))

    for block in soundfile.blocks(
        str(path), blocksize=frames_per_block, dtype="float32", always_2d=True
    ):
        rms = np.sqrt(np.mean(np.square(block, dtype=np.float64), axis=0))
        db = 20.0 * np.log10(np.maximum(rms, 1e-9))
        heights.append(np.clip((db - FLOOR_DB) / -FLOOR_DB, 0.0, 1.0).astype(np.float32))
        if len(heights) % PROGRESS_EVERY == 0:
            if stop is not None and stop():
                raise ReadingStoppedError(str(path))
            if progress is not None:
                progress(so_far())
    return so_far()
