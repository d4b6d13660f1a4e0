"""Headset bridge benchmark: CPU of the desk per active call, and the delay the bridge adds.

A private PulseAudio with virtual devices stands in for the headset; the desk runs alone in a
process (``tests/fakes/headset_desk.py``) and answers callers (``softphone.caller``, each
playing a tone); the microphone is fed in real time. CPU is the desk process's user+system
time per second of wall time (``/proc``), idle first (the baseline), then with 1 and 3 calls.
The delay is audio queued inside the bridge (ring buffer + device buffer), sampled every
10 ms; the network and pjmedia's own jitter buffer come on top.

Usage: ``python -m bench.bench_audio``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.results import Figure, record
from tests.fakes.headset_desk import start_desk
from tests.fakes.pulse import PulseServer
from tests.sip.test_headset_audio import tone

ROOT = Path(__file__).resolve().parents[1]
PHASE_S = 8.0


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(pid: int, seconds: float) -> float:
    start_cpu, start = cpu_s(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_s(pid) - start_cpu) / (time.monotonic() - start) * 100


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase-s", type=float, default=PHASE_S, help="seconds per phase")
    args = parser.parse_args()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as scratch:
        pulse = PulseServer(Path(scratch) / "pulse")
        desk = start_desk(pulse.env, 40)
        address = desk.address
        pulse.speak(tone(600, 36))
        time.sleep(1)
        rows = ["| desk | CPU % of one core | per call |", "| --- | --- | --- |"]
        idle = measure(desk.process.pid, args.phase_s)
        rows.append(f"| idle, headset open (baseline) | {idle:.1f} | |")
        callers: list[subprocess.Popen[bytes]] = []
        for calls in (1, 3):
            while len(callers) < calls:
                callers.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "softphone.caller",
                            f"sip:agent@{address}",
                            "--number",
                            f"1380000000{len(callers)}",
                            "--tone-hz",
                            "1000",
                            "--talk-s",
                            "30",
                        ],
                        cwd=ROOT,
                        env=pulse.env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
            time.sleep(1.5)  # answered, media flowing
            busy = measure(desk.process.pid, args.phase_s)
            rows.append(
                f"| {calls} active call{'s' if calls > 1 else ''} | {busy:.1f} | "
                f"{(busy - idle) / calls:.1f} |"
            )
            figures.append(
                Figure(
                    f"desk CPU with {calls} active call{'s' if calls > 1 else ''}",
                    busy,
                    "% of one core",
                    idle,
                    "idle, headset open",
                    detail={"per_call": (busy - idle) / calls},
                )
            )
        for caller in callers:
            caller.terminate()
        out, _ = desk.process.communicate(timeout=60)
        pulse.stop()
    rows += ["", "| bridge delay | p50 ms | p95 ms |", "| --- | --- | --- |"]
    for line in out.splitlines():
        if line.startswith("DELAY "):
            _, name, p50, p95 = line.split()
            what = "call -> headset" if name == "speaker" else "microphone -> call"
            rows.append(f"| {what} | {p50} | {p95} |")
            figures.append(
                Figure(f"bridge delay, {what}, p50", float(p50), "ms", detail={"p95": float(p95)})
            )
    sys.stdout.write("\n".join(rows) + "\n")
    record("audio", figures, {"phase_s": args.phase_s})


if __name__ == "__main__":
    main()
