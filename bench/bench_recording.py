"""Call recording benchmark (issue 20): the phone engine's CPU for a recorded call beside the
same call unrecorded (the floor, same run), and the recording's size per minute.

A private PulseAudio stands in for the headset (its microphone speaks 1100 Hz); the desk runs
alone in a process (``tests/fakes/recording_desk.py``: the real ``Phone`` and its engine)
and answers a caller playing 700 Hz. CPU is the engine process's user+system time per second
of wall time (``/proc``) while the call is up; first a desk that records nothing, then one
that records every call (stereo Ogg/Opus written on its own thread). Size: the finished file
per minute of call.

Usage: ``python -m bench.bench_recording [--talk-s 30]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.results import Figure, record
from tests.fakes.peers import read_lines
from tests.fakes.pulse import PulseServer
from tests.fakes.waiting import wait_until
from tests.sip.test_headset_audio import tone

ROOT = Path(__file__).resolve().parents[1]


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_call(pulse: PulseServer, spool: str, talk_s: float) -> tuple[float, list[str]]:
    """The engine's CPU (% of one core) over one call's middle, and what the desk said."""
    desk = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.recording_desk", spool, str(talk_s + 30), "0", "0"],
        cwd=ROOT,
        env=pulse.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines, _pump = read_lines(desk)
    try:
        wait_until(lambda: any(x.startswith("DESK ") for x in lines), 30, "the desk")
        fields = next(x for x in lines if x.startswith("DESK ")).removeprefix("DESK ").split("|")
        address, engine = fields[0], int(fields[3])
        caller = subprocess.Popen(
            [sys.executable, "-m", "softphone.caller", f"sip:agent@{address}",
             "--tone-hz", "700", "--talk-s", str(talk_s)],
            cwd=ROOT, env=pulse.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(2)  # answered, media flowing (a benchmark's phase, not a test's wait)
        start_cpu, start = cpu_s(engine), time.monotonic()
        time.sleep(talk_s - 4)
        busy = (cpu_s(engine) - start_cpu) / (time.monotonic() - start) * 100
        caller.wait(timeout=talk_s + 30)
        if spool != "off":
            wait_until(lambda: any(x.startswith("REC finished") for x in lines), 30, "the file")
    finally:
        desk.terminate()
        desk.wait(timeout=15)
    return busy, lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--talk-s", type=float, default=30.0, help="seconds each call lasts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        pulse = PulseServer(Path(scratch) / "pulse")
        try:
            pulse.speak(tone(1100, 2 * args.talk_s + 40))
            bare, _ = one_call(pulse, "off", args.talk_s)
            spool = Path(scratch) / "spool"
            recorded, _ = one_call(pulse, str(spool), args.talk_s)
        finally:
            pulse.stop()
        (meta_file,) = spool.glob("*.json")
        meta = json.loads(meta_file.read_text())
    minutes = meta["duration_ms"] / 60_000
    size_kb_min = meta["size_bytes"] / 1024 / minutes
    figures = [
        Figure(
            "engine CPU, one recorded call",
            recorded,
            "% of one core",
            bare,
            "the same call unrecorded",
            detail={"recording_cost": recorded - bare},
        ),
        Figure(
            "recording size per minute (stereo Ogg/Opus, 16 kHz)",
            size_kb_min,
            "KiB/min",
            16_000 * 2 * 2 * 60 / 1024,
            "the same audio as 16-bit PCM WAV",
            detail={"duration_s": meta["duration_ms"] / 1000, "bytes": meta["size_bytes"]},
        ),
    ]
    record("recording", figures, {"talk_s": args.talk_s})


if __name__ == "__main__":
    main()
