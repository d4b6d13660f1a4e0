"""Notices that the PC's address changed (a new DHCP lease, Wi-Fi to cable, a VPN coming up),
in the engine's process, so the phone re-registers from its new address at once instead of at
its next refresh (minutes at a site, while the PBX routes calls to an address that is gone).

What is watched is the one address that matters: the local address the kernel would send from
to reach the registrar (a UDP socket ``connect``-ed to it and ``getsockname()``: no packet is
sent, no dependency, and it works on every OS). It is read

- when Linux's route netlink says an address or route was added or removed (a
  ``RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE`` socket on the engine's Qt
  loop: the change is seen within milliseconds), and
- every ``POLL_S`` anyway (other OSes, and a change netlink did not tell us about).

An address that went away with nothing in its place (cable out) is remembered as lost and
nothing is done: a re-registration then would only fail. When a route to the registrar comes
back, new address or the same one, ``changed`` fires and the phone re-registers (pjsua2's
``handleIpChange``: the listener is restarted on the new address, the account's Contact updated,
live calls re-INVITEd).

The registrar as a host name: the address is not looked up here (no DNS on the engine's
thread); the route probed is then the default route's (to a TEST-NET-3 documentation address,
which no packet is ever sent to).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
import struct
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from softphone.engine.dns import host_of, is_address

log = logging.getLogger("softphone.engine.address")

POLL_S = 2.0  # the fallback read of the route's address (cheap: one socket, two syscalls)
SETTLE_MS = 10  # netlink tells of a change in several messages (address, routes): read once
DEFAULT_ROUTE_PROBE = "203.0.113.1"  # RFC 5737 TEST-NET-3: only its route is read

RTMGRP_IPV4_IFADDR = 0x10
RTMGRP_IPV4_ROUTE = 0x40
RTMGRP_IPV6_IFADDR = 0x100
RTM_NEWADDR, RTM_DELADDR, RTM_NEWROUTE, RTM_DELROUTE = 20, 21, 24, 25
NLMSG_HEADER = struct.Struct("=IHHII")  # length, type, flags, sequence, port id


def route_source(target: str) -> str:
    """The local address the kernel sends from to reach ``target`` (an IP), or "" when there
    is no route (the network is gone)."""
    family = socket.AF_INET6 if ":" in target else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((target, 5060))  # UDP: only the route is looked up
            return str(probe.getsockname()[0])
    except OSError:
        return ""


def registrar_ip(registrar: str) -> str:
    """The registrar's address when the configuration gives one ("sip:10.0.0.5:5060";
    "sip:[2001:db8::5]"), else "" (a host name: not looked up here)."""
    host = host_of(registrar) if registrar else ""
    return host if host and is_address(host) else ""


def address_changes(data: bytes) -> int:
    """How many of the netlink messages in ``data`` add or remove an address or a route."""
    found = 0
    offset = 0
    while offset + NLMSG_HEADER.size <= len(data):
        length, kind, _flags, _seq, _pid = NLMSG_HEADER.unpack_from(data, offset)
        if length < NLMSG_HEADER.size:
            break
        if kind in (RTM_NEWADDR, RTM_DELADDR, RTM_NEWROUTE, RTM_DELROUTE):
            found += 1
        offset += (length + 3) & ~3
    return found


def _netlink() -> socket.socket | None:
    """A route netlink socket subscribed to address and route changes (Linux), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    except (OSError, AttributeError):
        return None
    try:
        sock.bind((0, RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_IFADDR))
        sock.setblocking(False)
    except OSError:
        sock.close()
        return None
    return sock


class AddressWatch(QObject):
    """Emits ``changed(old, new)`` when the address toward the registrar changed (or came
    back); on the thread that made it (the engine's)."""

    changed = Signal(str, str)

    def __init__(
        self,
        target: Callable[[], str],
        parent: QObject | None = None,
        *,
        poll_s: float = POLL_S,
        use_netlink: bool = True,
    ) -> None:
        super().__init__(parent)
        self._target = target
        self.address = route_source(target() or DEFAULT_ROUTE_PROBE)
        self.lost = not self.address
        self.changes = 0  # how many times ``changed`` fired (the log and tests read it)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.check)
        self._poll = QTimer(self)
        self._poll.setInterval(int(poll_s * 1000))
        self._poll.timeout.connect(self.check)
        self._poll.start()
        self._sock = _netlink() if use_netlink else None
        self._notifier: QSocketNotifier | None = None
        if self._sock is not None:
            self._notifier = QSocketNotifier(self._sock.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._netlink_ready)
        log.info(
            "address watch: %s toward the registrar (%s)",
            self.address or "no route",
            "netlink and a poll" if self._sock is not None else "a poll",
        )

    @property
    def netlink(self) -> bool:
        return self._sock is not None

    def _netlink_ready(self) -> None:
        sock = self._sock
        if sock is None:
            return
        seen = 0
        for _ in range(64):  # bounded: a storm of route messages cannot hold the engine here
            try:
                data = sock.recv(65536)
            except BlockingIOError:
                break
            except OSError as exc:
                if exc.errno == errno.ENOBUFS:  # messages were lost: something changed
                    seen += 1
                    continue
                log.warning("address watch: netlink failed (%s); polling only", exc)
                self.close_netlink()
                return
            if not data:
                break
            seen += address_changes(data)
        if seen and not self._settle.isActive():
            self._settle.start()

    def check(self) -> None:
        """Read the address toward the registrar now; fire ``changed`` if it moved or came
        back."""
        now = route_source(self._target() or DEFAULT_ROUTE_PROBE)
        if not now:
            if not self.lost:
                log.warning("address watch: no route to the registrar (was %s)", self.address)
                self.lost = True
            return
        if now == self.address and not self.lost:
            return
        old = self.address
        self.address, self.lost = now, False
        self.changes += 1
        log.info("address watch: the address toward the registrar is %s (was %s)", now, old)
        self.changed.emit(old, now)

    def close_netlink(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None

    def close(self) -> None:
        self._poll.stop()
        self._settle.stop()
        self.close_netlink()
