"""What a stranger's INVITE flood costs the phone engine now that pjsip's door answers it
(issue 17): strangers' datagrams reach pjsip, which parses each one and asks the guard
(``softphone/_stranger.py``); 403 goes out within the budget, the rest is dropped in user space.

The figure: the engine process's CPU time (user + system, from ``/proc/<pid>/stat``) during a
flood of INVITEs from 127.0.0.2 (SIPp, ``flood_invite``) at the real engine. The floor, in the
same run: the same engine idle for as long, which is also what the kernel filter's drop cost
it before (no datagram reached the process). Also: how many 403s a second went out (the
budget, ``STRANGER_403_PER_S``) and the CPU cost per INVITE beyond idle.

Usage: ``python -m bench.bench_stranger`` (``--rate 300 --seconds 10`` for the README's table).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from bench.qt_wait import wait
from bench.results import Figure, record
from softphone import Phone, PhoneConfig
from softphone.engine.guard import STRANGER_403_PER_S
from tests.fakes.sipp import Sipp

PBX, STRANGER = "127.0.0.1", "127.0.0.2"
TICK_S = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK_S  # utime, stime (fields 14, 15)


POLL = 0.005  # the engine's CPU is measured: the bench itself polls gently


def guard_facts(app: QCoreApplication, phone: Phone) -> dict[str, Any]:
    answers: list[dict[str, Any]] = []
    phone.inspect(answers.append)
    wait(app, lambda: bool(answers), "the engine's facts", 10, POLL)
    return dict(answers[0]["guard"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=int, default=300, help="INVITEs a second")
    parser.add_argument("--seconds", type=int, default=10, help="how long the flood lasts")
    args = parser.parse_args()
    app = QCoreApplication(sys.argv[:1])
    phone = Phone()
    phone.start(
        PhoneConfig(bind_address=PBX, domain=PBX, trusted_peers=(PBX,), only_trusted_sources=True)
    )
    flood: Sipp | None = None
    try:
        phone.wait_ready()
        if not guard_facts(app, phone)["door"]:
            raise SystemExit("pjsip did not take the door: nothing to measure")
        pid = phone.engine_pid
        # The floor: the engine idle for as long as the flood lasts.
        before, started = cpu_s(pid), time.monotonic()
        wait(
            app, lambda: time.monotonic() - started >= args.seconds, "idle", args.seconds + 5, POLL
        )
        idle = cpu_s(pid) - before
        before, started = cpu_s(pid), time.monotonic()
        with tempfile.TemporaryDirectory() as tmp:
            flood = Sipp(
                "flood_invite",
                Path(tmp),
                remote=phone.local_address,
                host=STRANGER,
                calls=args.rate * args.seconds,
                timeout_s=args.seconds + 30,
                extra=[
                    *("-r", str(args.rate), "-l", str(args.rate * 2)),
                    *("-default_behaviors", "none"),
                ],
            )
            sipp = flood
            wait(app, lambda: sipp.finished, "the flood", args.seconds + 40, POLL)
            took = time.monotonic() - started
            flooded = cpu_s(pid) - before
        facts = guard_facts(app, phone)
    finally:
        if flood is not None:
            flood.stop()
        phone.stop()
    sent = args.rate * args.seconds
    refused = int(facts["403_stateless"])
    figures = [
        Figure(
            f"engine CPU during {args.rate} stranger INVITE/s for {args.seconds} s",
            flooded * 1000 / took,
            "ms/s",
            floor=idle * 1000 / args.seconds,
            floor_what="the engine idle; what a kernel drop cost it",
        ),
        Figure(
            "engine CPU per stranger INVITE beyond idle",
            max(0.0, flooded - idle * took / args.seconds) * 1e6 / sent,
            "µs",
        ),
        Figure(
            "403s sent to strangers",
            refused / took,
            "/s",
            aim=f"≤ {STRANGER_403_PER_S}/s (+ one second's burst)",
            detail={"sent": sent, "403": refused, "dropped": int(facts["403_over_budget"])},
        ),
    ]
    record("stranger", figures, {"rate": args.rate, "seconds": args.seconds})


if __name__ == "__main__":
    main()
