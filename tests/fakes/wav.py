"""Recordings the phones write: wait for them to be whole before reading them."""

from __future__ import annotations

import wave
from pathlib import Path


def wav_done(path: Path, frames: int = 1) -> bool:
    """The recorder closed the WAV: pjmedia and baresip write the header's sizes at the end,
    so until then the file is empty, cut short or says it has no frames. ``frames=0`` for a
    recording that may rightly be silent: then the caller must know otherwise that it was
    closed."""
    try:
        with wave.open(str(path)) as recording:
            return bool(recording.getnframes() >= frames)
    except (wave.Error, EOFError, OSError):
        return False
