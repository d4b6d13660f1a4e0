"""Bounded waits for tests: wait for the condition itself, never for a fixed time.

A port is ready when something is bound to it (UDP) or answers (TCP), a record when it is
there. Every wait has a deadline and says what it waited for when it gives up. (In Qt tests,
``qtbot.waitUntil`` and ``qtbot.waitSignal`` do the same while the event loop runs.)
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
POLL_S = 0.01  # how often a condition is looked at: short against every timeout used


def wait_until(
    predicate: Callable[[], T],
    timeout_s: float,
    what: str | Callable[[], str],
    *,
    interval_s: float = POLL_S,
) -> T:
    """Poll ``predicate`` until it returns something true, and return that; raise
    AssertionError naming ``what`` (a text, or a function saying more) after ``timeout_s``.
    The predicate may raise AssertionError itself to give up early (a process died)."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"gave up after {timeout_s:g} s waiting for {said}")
        time.sleep(interval_s)


def _udp_sockets() -> dict[tuple[str, int], int]:
    """(address, port) → bytes waiting to be read, for every UDP socket bound on this machine,
    from /proc/net/udp{,6} (IPv4 addresses dotted; IPv6 ones left in the table's hex)."""
    found: dict[tuple[str, int], int] = {}
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port = fields[1].split(":")  # "0100007F:13C4": host-order hex : hex
            if len(address) == 8:
                address = socket.inet_ntoa(bytes.fromhex(address)[::-1])
            unread = int(fields[4].split(":")[1], 16)  # "tx_queue:rx_queue"
            key = (address, int(port, 16))
            found[key] = found.get(key, 0) + unread
    return found


def _matches(address: str, host: str) -> bool:
    return address in (host, "0.0.0.0") or ("." not in address)  # IPv6: dual stack


def udp_port_bound(host: str, port: int) -> bool:
    """Something has bound ``port`` on ``host``, on every address, or on IPv6 (dual stack).
    Only looks: binding the port to find out would take it from the process about to use it."""
    return any(p == port and _matches(a, host) for a, p in _udp_sockets())


def udp_unread(host: str, port: int) -> int:
    """Bytes waiting in the receive queue of the UDP socket on ``port``: 0 once its owner has
    read everything sent to it."""
    return sum(n for (a, p), n in _udp_sockets().items() if p == port and _matches(a, host))


def wait_for_udp_port(
    host: str,
    port: int,
    *,
    timeout_s: float = 10.0,
    process: subprocess.Popen[str] | subprocess.Popen[bytes] | None = None,
    what: str = "",
) -> None:
    """Until a UDP port is bound (SIPp listening); fails at once if ``process`` exits."""
    name = what or f"UDP {host}:{port} to be bound"

    def ready() -> bool:
        if udp_port_bound(host, port):
            return True
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{name}: the process exited ({process.returncode}) first")
        return False

    wait_until(ready, timeout_s, name)


def wait_for_tcp_port(host: str, port: int, *, timeout_s: float = 10.0, what: str = "") -> None:
    """Until a TCP port accepts a connection."""

    def answers() -> bool:
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            return False

    wait_until(answers, timeout_s, what or f"TCP {host}:{port} to accept connections")


def wait_for_file(
    path: Path, *, containing: str = "", timeout_s: float = 10.0, what: str = ""
) -> str:
    """Until ``path`` exists (and holds ``containing``); returns its text."""

    def text() -> str | None:
        try:
            content = path.read_text("utf-8", errors="replace")
        except FileNotFoundError:
            return None
        return content if containing in content else None

    found = wait_until(text, timeout_s, what or f"{path} to hold {containing!r}")
    return found


# A whole tour as a process (a backend, a desk, a dozen screens) takes ~30 s alone; on a loaded
# 2-core machine (two suites at once) several times that. The bound is for a hung tour, not a
# slow one.
TOUR_BUDGET_S = 400
