"""Un-registration at quit (issue 24): how long the desk's ``Phone.stop()`` takes when it
un-registers from Kamailio with digest auth (REGISTER Expires: 0, 401, REGISTER with the
answer, 200 OK, then the engine's process ends), against the same stop of a registrar-less
phone (the engine's process ending with nothing to say to anyone): the floor, in this run.
Each round also checks Kamailio's location table right after the stop: the binding is gone.

Usage: ``python -m bench.bench_unregister`` (``--rounds 20`` for the README's table).
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
from softphone import Phone, PhoneConfig
from tests.fakes.kamailio_auth import AuthKamailio
from tests.fakes.waiting import wait_until

USER, PASSWORD = "agent1001", "bench-pw"


def timed_stop(config: PhoneConfig, pbx: AuthKamailio | None) -> tuple[float, bool]:
    """Start a desk's phone, wait for its binding (with a registrar), time ``stop()``;
    returns (ms, whether the binding was gone right after)."""
    phone = Phone()
    phone.start(config)
    try:
        phone.wait_ready(timeout_s=120)  # a loaded machine starts Python slowly
        if pbx is not None:
            wait_until(lambda: bool(pbx.contacts(USER)), 15, "the desk's binding")
            # the desk's own 200 OK (the registrar bound us a moment before we heard it)
            wait_until(lambda: _registered(phone), 15, "the desk to hear its 200 OK")
        began = time.perf_counter()
        phone.stop()
        ms = (time.perf_counter() - began) * 1000
        return ms, pbx is None or pbx.contacts(USER) == []
    finally:
        phone.stop()


def _registered(phone: Phone) -> bool:
    QApplication.processEvents()  # the registration event arrives through the desk's loop
    return phone.registration.state.name == "REGISTERED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        pbx = AuthKamailio(Path(tmp), {USER: PASSWORD})
        try:
            registered = PhoneConfig(
                user=USER, password=PASSWORD, domain=pbx.domain,
                registrar=f"sip:{pbx.address}", bind_address="127.0.0.1",
            )  # fmt: skip
            bare = PhoneConfig(user=USER, domain="127.0.0.1", bind_address="127.0.0.1")
            quits: list[float] = []
            floors: list[float] = []
            gone = 0
            for _ in range(args.rounds):  # interleaved: the machine's load hits both alike
                ms, unbound = timed_stop(registered, pbx)
                quits.append(ms)
                gone += unbound
                floors.append(timed_stop(bare, None)[0])
        finally:
            pbx.stop()
    del app
    q50, f50 = statistics.median(quits), statistics.median(floors)
    figures = [
        Figure(
            "quit with un-registration (digest challenge answered), p50",
            q50,
            "ms",
            f50,
            "quit of a registrar-less phone",
            aim="bounded: ≤ 2 s for the SIP part",
            detail={"max": max(quits), "floor_max": max(floors)},
        ),
        Figure(
            "bindings gone from Kamailio's location table right after quit",
            gone,
            f"of {args.rounds}",
            aim=f"{args.rounds} of {args.rounds}",
        ),
    ]
    record("unregister", figures, {"rounds": args.rounds})


if __name__ == "__main__":
    main()
