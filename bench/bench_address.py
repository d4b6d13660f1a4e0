"""Address change benchmark: how long after the PC's address changes the PBX routes to the new
one (issue 17). Needs root (a network namespace) and Debian's Kamailio.

The desk's phone engine runs in a network namespace (tests/fakes/netns.py) registered at
Kamailio outside it; each run moves the PC's address (``ip addr del/add``, the default route
set again, as a new DHCP lease does) and times from the moment the new address is added until
Kamailio's location table holds the new contact: the engine's address watch notices, pjsua2's
``handleIpChange`` restarts the listener and re-registers. A third figure starts the clock
before the old address is deleted (it includes the ``ip`` commands themselves).

The floor, in the same run: a bare REGISTER for another user sent straight to Kamailio from a
UDP socket, timed the same way until its contact shows in the location table (the registrar's
own work plus the ``kamcmd`` reads both figures share).

Usage: ``python -m bench.bench_address`` (``--runs 10`` for the README's table).
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from bench.qt_wait import wait
from bench.results import Figure, record
from softphone import Phone, PhoneConfig, RegistrationState
from tests.fakes.kamailio import Kamailio
from tests.fakes.netns import PcNamespace

USER = "agent1001"
FLOOR_USER = "floor1001"
WAIT_S = 15.0


def holds(pbx: Kamailio, user: str, part: str) -> Callable[[], bool]:
    """Kamailio's location table has a contact of ``user`` containing ``part``, now."""
    return lambda: any(part in contact for contact in pbx.contacts(user))


def register(pbx: Kamailio, source: str, run: int) -> None:
    """A bare REGISTER for FLOOR_USER with a contact new to this run."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((source, 0))
        port = sock.getsockname()[1]
        contact = f"sip:{FLOOR_USER}@{source}:{10000 + run}"
        message = (
            f"REGISTER sip:{pbx.domain} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {source}:{port};rport;branch=z9hG4bK-floor-{run}\r\n"
            f"From: <sip:{FLOOR_USER}@{pbx.domain}>;tag=floor{run}\r\n"
            f"To: <sip:{FLOOR_USER}@{pbx.domain}>\r\n"
            f"Call-ID: floor-{run}@{source}\r\nCSeq: 1 REGISTER\r\n"
            f"Contact: <{contact}>;expires=600\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
        )
        sock.sendto(message.encode(), (pbx.host, pbx.port))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="address changes (and floors)")
    args = parser.parse_args()
    app = QCoreApplication(sys.argv[:1])
    moved: list[float] = []
    floors: list[float] = []
    whole: list[float] = []  # from before the old address was deleted
    with tempfile.TemporaryDirectory() as tmp:
        pc = PcNamespace()
        pbx: Kamailio | None = None
        phone: Phone | None = None
        try:
            pbx = Kamailio(Path(tmp), host=pc.gateway)
            phone = Phone(engine_prefix=pc.prefix)
            registered: list[RegistrationState] = []
            phone.registration_changed.connect(lambda info: registered.append(info.state))
            phone.start(
                PhoneConfig(
                    user=USER,
                    domain=pbx.domain,
                    registrar=f"sip:{pbx.address}",
                    register_expires_s=600,
                )
            )
            phone.wait_ready()
            kam = pbx
            wait(app, lambda: bool(kam.contacts(USER)), "the first registration", WAIT_S)
            for run in range(args.runs):
                # the floor: a bare REGISTER, seen in the location table
                start = time.monotonic()
                register(kam, pc.gateway, run)
                contact = f"@{pc.gateway}:{10000 + run}"
                wait(app, holds(kam, FLOOR_USER, contact), "floor", WAIT_S)
                floors.append(time.monotonic() - start)
                # the desk: the PC's address changes under it
                start = time.monotonic()
                new = pc.move(3 + run % 200)
                wait(app, holds(kam, USER, f"@{new}:"), f"the contact at {new}", WAIT_S)
                seen = time.monotonic()
                moved.append(seen - pc.added_at)
                whole.append(seen - start)
                print(
                    f"run {run + 1}: {moved[-1] * 1000:.0f} ms (floor {floors[-1] * 1000:.0f} ms)"
                )
        finally:
            if phone is not None:
                phone.stop()
            if pbx is not None:
                pbx.stop()
            pc.close()

    def ms(samples: list[float]) -> dict[str, float]:
        return {
            "median": statistics.median(samples) * 1000,
            "min": min(samples) * 1000,
            "max": max(samples) * 1000,
            **{f"run{i + 1}": s * 1000 for i, s in enumerate(samples)},
        }

    figures = [
        Figure(
            "new address added → new contact in Kamailio's location table (median)",
            statistics.median(moved) * 1000,
            "ms",
            floor=statistics.median(floors) * 1000,
            floor_what="a bare REGISTER → its contact in the table",
            aim="re-registered within seconds",
            detail=ms(moved) | {f"floor_{k}": v for k, v in ms(floors).items()},
        ),
        Figure(
            "new address added → new contact (slowest run)",
            max(moved) * 1000,
            "ms",
            floor=max(floors) * 1000,
            floor_what="slowest bare REGISTER",
        ),
        Figure(
            "old address deleted → new contact (median; includes the ip commands)",
            statistics.median(whole) * 1000,
            "ms",
            floor=statistics.median(floors) * 1000,
            floor_what="a bare REGISTER → its contact in the table",
            detail=ms(whole),
        ),
    ]
    record("address", figures, {"runs": args.runs})


if __name__ == "__main__":
    main()
