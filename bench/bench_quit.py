"""Leaving the desk at quit (issue 26): how long ``Workstation.shutdown`` takes for a desk on a
call — the call hung up (BYE), its interaction and Logged out pushed to the server, the phone
un-registered from Kamailio — against the quit of the same desk idle and Ready (Logged out
pushed, un-registered: nothing to end), the floor in the same run; and the same quit on a call
with the server out of reach (the push fails, the outbox keeps it: bounded, not hung). The
real desk (``tests/fakes/leaving_desk.py``): backend over HTTP through a fault proxy, SQLite
cache, Kamailio, a SIPp customer. Rounds interleaved, one desk each; afterwards one more desk
starts and pushes what the offline rounds kept, and the server's interactions are counted.

Usage: ``python -m bench.bench_quit`` (``--rounds 5`` for the README's table).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from bench.results import Figure, record
from tests.fakes.leaving_desk import DESK, Site, open_site, ready, talking, wait_qt


def quit_round(site: Site, kind: str) -> tuple[float, bool, bool]:
    """One desk: signed in, Ready, then (on a call, unless ``kind`` is "idle") quit.
    Returns (ms of ``shutdown``, binding gone right after, Logged out on the server)."""
    desk = site.desk()
    ready(site, desk)
    if kind != "idle":
        caller = site.customer("uac_hung_up", desk)
        try:
            talking(site, desk)
        except AssertionError:
            print(caller.report(), desk.phone.local_address, desk.phone.engine_state)
            raise
    if kind == "offline":
        site.proxy.mode = "down"
    began = time.perf_counter()
    desk.shutdown()
    ms = (time.perf_counter() - began) * 1000
    unbound = site.pbx.contacts(DESK) == []
    logged_out = site.presence() == "logged_out"
    site.proxy.mode = "pass"
    desk.main_window.deleteLater()
    QApplication.processEvents()
    return ms, unbound, logged_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    times: dict[str, list[float]] = {"call": [], "idle": [], "offline": []}
    unbound = logged_out = 0
    with tempfile.TemporaryDirectory() as tmp, open_site(Path(tmp)) as site:
        for _ in range(args.rounds):  # interleaved: the machine's load hits each alike
            for kind, taken in times.items():
                ms, gone, out = quit_round(site, kind)
                taken.append(ms)
                unbound += gone
                logged_out += out if kind != "offline" else 0
        # The offline rounds' calls reach the server with the next desk's start.
        calls = 2 * args.rounds
        last = site.desk()
        wait_qt(lambda: len(site.interactions()) >= calls, "the kept interactions", 60)
        written = len(site.interactions())
        last.shutdown()
    del app
    floor = statistics.median(times["idle"])
    quits = len(times) * args.rounds
    figures = [
        Figure(
            "quit on a call: BYE, interaction + Logged out pushed, un-REGISTER, p50",
            statistics.median(times["call"]),
            "ms",
            floor,
            "quit of the same desk idle and Ready",
            aim="bounded: about 2 s (push beside the phone's stop)",
            detail={"max": max(times["call"]), "floor_max": max(times["idle"])},
        ),
        Figure(
            "quit on a call, server unreachable (kept in the outbox), p50",
            statistics.median(times["offline"]),
            "ms",
            floor,
            "quit of the same desk idle and Ready",
            aim="bounded: about 2 s, never hung",
            detail={"max": max(times["offline"])},
        ),
        Figure(
            "interactions on the server for the calls (after the next start)",
            written,
            f"of {calls}",
            aim=f"{calls} of {calls}, none twice",
        ),
        Figure(
            "Logged out on the server right after quit (server reachable)",
            logged_out,
            f"of {2 * args.rounds}",
            aim=f"{2 * args.rounds} of {2 * args.rounds}",
        ),
        Figure(
            "bindings gone from Kamailio right after quit",
            unbound,
            f"of {quits}",
            aim=f"{quits} of {quits}",
        ),
    ]
    record("quit", figures, {"rounds": args.rounds})


if __name__ == "__main__":
    main()
