"""What a flood of made-up in-dialog requests costs behind pjsip's door, two ways (issue 17
follow-up): the door as shipped (a stranger's request passes only when its Call-ID and tags
name a dialog pjsip holds) against passing every request with a To tag to pjsip, whose user
agent layer answers one naming no dialog 481 statelessly.

The flood: random tagged BYEs (a new Call-ID and tags each) from 127.0.0.2, paced at
``--rate`` a second for ``--seconds``, at a bare pjsua2 endpoint behind the door and the guard
(``bench/door_endpoint.py``, logging every SIP message to Python as the engine does). The
figures: the endpoint's CPU time (user + system, ``/proc/<pid>/stat``) a second during the
flood, beside its floor in the same run (the same endpoint idle as long), the answers the
flooder got a second (403 within the guard's budget, or 481 unbudgeted) and pjsip's log lines
a second of flood (each one a trace event the engine would scrub and send to the desk).

Usage: ``python -m bench.bench_in_dialog`` (``--rate 300 --seconds 10`` for the README's table).
"""

from __future__ import annotations

import argparse
import os
import secrets
import select
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench.results import Figure, record

STRANGER = "127.0.0.2"
TICK_S = os.sysconf("SC_CLK_TCK")
DRAIN_S = 1.0  # answers still arriving after the last BYE


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK_S


def bye(port: int, sock: socket.socket) -> bytes:
    host, local_port = sock.getsockname()[:2]
    token = secrets.token_hex(8)
    return (
        f"BYE sip:agent@127.0.0.1:{port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP {host}:{local_port};rport;branch=z9hG4bK{token}\r\n"
        f"From: <sip:flood@{host}>;tag=f{token}\r\nTo: <sip:agent@127.0.0.1>;tag=t{token}\r\n"
        f"Call-ID: {token}@{host}\r\nCSeq: 2 BYE\r\nMax-Forwards: 70\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()


def answers(sock: socket.socket, until: float, heard: Counter[str]) -> None:
    """Read the endpoint's answers until ``until`` (monotonic), counting status codes."""
    while (left := until - time.monotonic()) > 0:
        readable, _, _ = select.select([sock], [], [], left)
        if readable:
            data = sock.recv(65536)
            heard[data.split(b" ", 2)[1].decode(errors="replace")] += 1


def run(mode: str, rate: int, seconds: int) -> dict[str, float]:
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.door_endpoint", mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    try:
        port = next(int(line.split()[1]) for line in child.stdout if line.startswith("port "))
        before, started = cpu_s(child.pid), time.monotonic()
        heard: Counter[str] = Counter()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind((STRANGER, 0))
            answers(sock, started + seconds, heard)  # the floor: idle as long
            idle = cpu_s(child.pid) - before
            before, started = cpu_s(child.pid), time.monotonic()
            for n in range(rate * seconds):
                sock.sendto(bye(port, sock), ("127.0.0.1", port))
                answers(sock, started + (n + 1) / rate, heard)  # paced; answers read meanwhile
            took = time.monotonic() - started
            flooded = cpu_s(child.pid) - before
            answers(sock, time.monotonic() + DRAIN_S, heard)
        child.stdin.close()
        said = next(line.split() for line in child.stdout if line.startswith("door "))
        if child.wait(timeout=30) != 0:
            raise SystemExit(f"the endpoint ({mode}) failed")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=5)
    return {
        "cpu_ms_s": flooded * 1000 / took,
        "idle_ms_s": idle * 1000 / seconds,
        "answers_s": sum(heard.values()) / took,
        "403": heard["403"],
        "481": heard["481"],
        "refused": int(said[1]),
        "dropped": int(said[2]),
        "logged_s": int(said[3]) / took,  # idle, pjsip logs nothing: all are the flood's
        "took_s": took,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=int, default=300, help="BYEs a second")
    parser.add_argument("--seconds", type=int, default=10, help="how long the flood lasts")
    args = parser.parse_args()
    figures: list[Figure] = []
    for mode, how in (
        ("dialog", "door checks the dialog (shipped)"),
        ("tagged", "every tagged request to pjsip"),
    ):
        got = run(mode, args.rate, args.seconds)
        detail = {k: v for k, v in got.items() if k not in ("cpu_ms_s", "idle_ms_s")}
        figures += [
            Figure(
                f"endpoint CPU, {args.rate} made-up tagged BYE/s, {how}",
                got["cpu_ms_s"],
                "ms/s",
                floor=got["idle_ms_s"],
                floor_what="the same endpoint idle",
                detail=detail,
            ),
            Figure(f"answers to the flood, {how}", got["answers_s"], "/s"),
            Figure(f"pjsip log lines (trace events), {how}", got["logged_s"], "/s"),
        ]
    record("in_dialog", figures, {"rate": args.rate, "seconds": args.seconds})


if __name__ == "__main__":
    main()
