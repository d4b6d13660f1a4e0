"""The player's level strip on a long call: ``read_levels`` (decode + RMS per 100 ms block of
both channels, on a worker) beside the bare decode of the same file with soundfile (the
floor), for a stereo Ogg/Opus recording as the desk writes it (16 kHz, speech-like turns of
700 Hz and 1100 Hz, one silent pause). Also the file's size per minute.

    python -m bench.bench_recording_levels --minutes 60 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

from agent_desktop.services.recording_levels import BLOCK_MS, read_levels
from bench.results import Figure, record
from sync.contract.recordings import SAMPLE_RATE

CHUNK_S = 60  # written a minute at a time, as the recorder streams: never a whole call in RAM


def write_call(path: Path, minutes: int) -> None:
    rate = SAMPLE_RATE
    with soundfile.SoundFile(str(path), "w", rate, 2, format="OGG", subtype="OPUS") as out:
        for minute in range(minutes):
            t = (np.arange(CHUNK_S * rate) + minute * CHUNK_S * rate) / rate
            turn = (t // 3).astype(int) % 2
            left = 0.3 * np.sin(2 * np.pi * 700 * t) * (turn == 0)
            right = 0.25 * np.sin(2 * np.pi * 1100 * t) * (turn == 1)
            chunk = np.stack([left, right], axis=1).astype(np.float32)
            if minute == minutes // 2:
                chunk[: 20 * rate] = 0.0  # a PCI pause
            out.write(chunk)


def bare_decode(path: Path) -> int:
    frames = 0
    block = SAMPLE_RATE * BLOCK_MS // 1000
    for chunk in soundfile.blocks(str(path), blocksize=block, dtype="float32", always_2d=True):
        frames += len(chunk)
    return frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "call.ogg"
        write_call(path, args.minutes)
        size_mb = path.stat().st_size / 1e6
        levels_s: list[float] = []
        decode_s: list[float] = []
        for _ in range(args.runs):  # interleaved: both see the same machine load
            started = time.perf_counter()
            bare_decode(path)
            decode_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            levels = read_levels(path)
            levels_s.append(time.perf_counter() - started)
        blocks = len(levels.rows[0])
    figures = [
        Figure(
            f"level strip of a {args.minutes}-min stereo call (read_levels, worker thread)",
            statistics.median(levels_s),
            "s",
            floor=statistics.median(decode_s),
            floor_what="bare soundfile decode",
            aim="off the GUI thread; ≤ 2× the decode",
            detail={"blocks": float(blocks), "max_s": max(levels_s)},
        ),
        Figure(
            "recording size per minute (stereo Opus, 16 kHz, libsndfile defaults)",
            size_mb / args.minutes,
            "MB",
        ),
    ]
    record(
        "recording_levels",
        figures,
        {"minutes": args.minutes, "runs": args.runs, "block_ms": BLOCK_MS},
    )


if __name__ == "__main__":
    main()
