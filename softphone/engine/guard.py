"""The engine's front door: trusted sources, strangers answered 403, an incoming-rate guard.

What pjsua2 2.15.1 lets Python see of an INVITE comes too late: ``onIncomingCall`` runs after
pjsua has created the call's media transport (an RTP and an RTCP socket, two of pjlib's 64
ioqueue slots, which a closed socket keeps for 500 ms). Measured with a bare pjsua2 script
answering every offer 403 at once inside ``onIncomingCall``: 20 and 40 INVITE/s survive, 60/s
aborts (``ioqueue_select.c:386``). ``onSelectAccount`` cannot refuse a call. So the guard works
lower down. With a registrar or trusted peers configured (``enabled``), whom it trusts is the
registrar's and the peers' addresses and networks, IPv4 and IPv6:

- a request from anyone else is decided in pjsip itself, before any transaction, dialog, call
  or media exists (``softphone/_stranger.py``: a pjsip module registered through ctypes, asking
  ``stranger`` here): answered 403 statelessly, at most ``STRANGER_403_PER_S`` a second in all
  (``RefusalBudget``: a spoofed source must not make the desk a reflector; the rest get no
  answer), an ACK swallowed. This works for every address family the listener speaks;
- the TCP/TLS listener keeps a classic BPF socket filter that lets only the trusted IPv4
  addresses connect: an accepted connection takes a slot before a byte is read, so a stranger's
  connection attempt is dropped by the kernel, unanswered, instead of answered 403;
- the UDP socket drops strangers' datagrams in the kernel only when the pjsip module is not
  there or stopped deciding (a wheel laid out otherwise): then a stranger gets no answer;
- an INVITE from a stranger that still reaches ``onIncomingCall`` is answered 403 there;
  offers above ``max_offers_per_s`` are answered 503 with Retry-After;
- a burst (``FLOOD_OFFERS`` within half a second: half the slots) switches the UDP filter to
  drop every datagram that starts with ``INVITE`` for ``COOL_S`` and empties the socket's
  queue, so pjlib never sees the rest of the burst. Callers retransmit; a real call gets
  through after the cool-off.

What is still not shed: a flood of in-dialog requests, or of connections from a trusted
source; there the desk's supervision (restart within seconds) is the floor.
"""

from __future__ import annotations

import contextlib
import ctypes
import ipaddress
import logging
import os
import socket
import struct
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from threading import Thread

from softphone._stranger import Verdict
from softphone.engine.dns import host_of

log = logging.getLogger("softphone.engine.guard")

FLOOD_OFFERS = 12  # offers within FLOOD_WINDOW_S that mean a burst (2 slots each, of 64)
FLOOD_WINDOW_S = 0.5  # pjlib keeps a closed socket's slot this long
COOL_S = 5.0  # INVITEs dropped in the kernel this long after a burst
RETRY_AFTER_S = 5
# 403s to strangers, a second, in all sources together (per source, spoofed addresses would
# multiply it): a caller's INVITE and its few retransmissions are answered; a flood is not
# reflected at whoever it names as its source.
STRANGER_403_PER_S = 10
# TCP/TLS: each accepted connection takes one of pjlib's 64 slots. Connections to the listening
# port are capped per source and in all (the newest over the cap are ended), and one that has
# received nothing for the configured idle time is ended (a PBX opens a new one when it needs
# to; pjsip itself reconnects for its own requests).
TCP_PER_SOURCE = 8
TCP_TOTAL = 24
TCP_SWEEP_S = 1.0
TCPI_LAST_DATA_RECV = 52  # offset in Linux's struct tcp_info

SO_ATTACH_FILTER = 26
SKF_NET_OFF = -0x100000
BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_RET_K = 0x06
BPF_AND_K = 0x54
ACCEPT = 0xFFFFFFFF
INVITE_WORD = int.from_bytes(b"INVI", "big")
UDP_HEADER = 8  # a UDP socket's filter sees the datagram from its UDP header


class SockFilter(ctypes.Structure):
    _fields_ = (
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    )


def program(trusted: list[str], drop_invites: bool, udp: bool) -> list[tuple[int, int, int, int]]:
    """A classic BPF program for an IPv4 socket: drop INVITEs (UDP, during a burst), then drop
    every source not in ``trusted`` (addresses or networks; IPv6 ones cannot match; none:
    everyone passes)."""
    code: list[tuple[int, int, int, int]] = []
    if drop_invites and udp:
        code.append((BPF_LD_W_ABS, 0, 0, UDP_HEADER))
        code.append((BPF_JEQ_K, 0, 1, INVITE_WORD))
        code.append((BPF_RET_K, 0, 0, 0))
    networks = [
        net
        for net in (_network(entry) for entry in trusted)
        if isinstance(net, ipaddress.IPv4Network)
    ]
    if networks:
        tests: list[list[tuple[int, int, int, int]]] = []
        for net in networks:
            mask, address = int(net.netmask), int(net.network_address)
            test = [(BPF_LD_W_ABS, 0, 0, (SKF_NET_OFF + 12) & 0xFFFFFFFF)]
            if mask != 0xFFFFFFFF:
                test.append((BPF_AND_K, 0, 0, mask))
            test.append((BPF_JEQ_K, 0, 0, address))  # jt filled in below
            tests.append(test)
        total = sum(len(test) for test in tests)
        done = 0
        for test in tests:
            done += len(test)
            op, _jt, jf, k = test[-1]
            test[-1] = (op, total - done + 1, jf, k)  # over the rest and the drop: accept
            code.extend(test)
        code.append((BPF_RET_K, 0, 0, 0))
    elif any(_network(entry) is not None for entry in trusted):
        code.append((BPF_RET_K, 0, 0, 0))  # only IPv6 sources trusted: no IPv4 one is
    code.append((BPF_RET_K, 0, 0, ACCEPT))
    return code


def attach(fd: int, code: list[tuple[int, int, int, int]]) -> None:
    """Attach ``code`` to the socket behind ``fd`` (replacing the filter it had)."""
    filters = (SockFilter * len(code))(*[SockFilter(*op) for op in code])
    prog = struct.pack("HxxxxxxQ", len(code), ctypes.addressof(filters))
    sock = socket.socket(fileno=os.dup(fd))
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, prog)
    finally:
        sock.close()


def drain(fd: int) -> int:
    """Throw away the datagrams already queued on a UDP socket (a burst's tail)."""
    sock = socket.socket(fileno=os.dup(fd))
    dropped = 0
    try:
        while dropped < 10_000:
            try:
                sock.recv(65536, socket.MSG_DONTWAIT)
            except (BlockingIOError, OSError):
                break
            dropped += 1
    finally:
        sock.close()
    return dropped


def socket_fds(port: int) -> dict[str, int]:
    """This process's UDP socket and TCP listener on ``port`` (IPv4), by kind: fd."""
    inodes: dict[str, str] = {}
    for kind, table in (("udp", "/proc/net/udp"), ("tcp", "/proc/net/tcp")):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].split(":")[1], 16)
                listening = kind == "udp" or fields[3] == "0A"
                if local_port == port and listening:
                    inodes[fields[9]] = kind
    found: dict[str, int] = {}
    for entry in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(entry)
            if target.startswith("socket:["):
                found_kind = inodes.get(target[8:-1])
                if found_kind is not None:
                    found[found_kind] = int(entry.name)
    return found


def _hex_ip(text: str) -> str:
    """/proc/net/tcp's little-endian hex IPv4 address -> dotted."""
    return str(ipaddress.IPv4Address(bytes(reversed(bytes.fromhex(text)))))


def inbound_connections(port: int) -> list[tuple[int, str]]:
    """This process's established TCP connections to its listening ``port``: (fd, peer ip)."""
    peers: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].split(":")[1], 16)
            if local_port == port and fields[3] == "01":  # ESTABLISHED
                peers[fields[9]] = _hex_ip(fields[2].split(":")[0])
    found: list[tuple[int, str]] = []
    for entry in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(entry)
            if target.startswith("socket:[") and target[8:-1] in peers:
                found.append((int(entry.name), peers[target[8:-1]]))
    return found


def idle_ms(fd: int) -> int:
    """Milliseconds since the connection last received data (or was set up): TCP_INFO's
    ``tcpi_last_data_recv``."""
    sock = socket.socket(fileno=os.dup(fd))
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    finally:
        sock.close()
    return int(struct.unpack_from("I", info, TCPI_LAST_DATA_RECV)[0])


def cut(fd: int) -> None:
    """End a connection pjlib owns without closing its descriptor under it: pjlib reads the
    end of the stream and closes the transport itself."""
    sock = socket.socket(fileno=os.dup(fd))
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


def _resolve(hosts: list[str]) -> list[str]:
    """The IPv4 and IPv6 addresses of these hosts (on a worker thread: DNS may take
    seconds)."""
    found: list[str] = []
    for host in hosts:
        with contextlib.suppress(OSError):
            for *_rest, address in socket.getaddrinfo(host, None):
                ip = str(address[0])
                if ip not in found:
                    found.append(ip)
    return found


class RefusalBudget:
    """At most ``per_s`` refusals a second (a token bucket as deep as one second's worth):
    ``take`` says whether one more may be sent now."""

    def __init__(self, per_s: int, clock: Callable[[], float]) -> None:
        self.per_s = max(1, per_s)
        self._clock = clock
        self._tokens = float(self.per_s)
        self._at = clock()

    def take(self) -> bool:
        now = self._clock()
        elapsed = max(0.0, now - self._at)  # a clock that steps back refills nothing
        self._tokens = min(float(self.per_s), self._tokens + elapsed * self.per_s)
        self._at = now
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True


class Guard:
    """Decides each stranger's request (``stranger``) and each offer (``screen``), and keeps
    the kernel filter in step."""

    def __init__(
        self,
        registrar: str,
        peers: tuple[str, ...] | list[str],
        max_per_s: int,
        port: int,
        tcp_idle_s: float = 60.0,
        only_trusted: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        # Sources are restricted with a registrar (a PBX) configured, or when asked to (a
        # desk behind an SBC that does not register); the peers then extend the list.
        self.enabled = bool(registrar) or only_trusted
        hosts = [host_of(registrar)] if registrar and self.enabled else []
        # A peer written as an address or network (IPv6 too, bracketed or not) is taken as it
        # is: host_of would read "2001:db8::1" as host "2001" with a port.
        hosts += (
            [peer if _network(peer) is not None else host_of(peer) for peer in peers]
            if self.enabled
            else []
        )
        self.trusted: list[str] = []
        self.max_per_s = max(1, max_per_s)
        self.port = port
        self._offers: deque[float] = deque()
        self._cool_until = 0.0
        self.shed = {
            "403": 0,  # in onIncomingCall: a stranger that got past pjsip's door
            "403_stateless": 0,  # strangers answered by the door, before any call existed
            "403_over_budget": 0,  # strangers past STRANGER_403_PER_S: no answer
            "503": 0,
            "bursts": 0,
            "drained": 0,
            "tcp_cut": 0,
        }
        self._budget = RefusalBudget(STRANGER_403_PER_S, clock)
        # Whether pjsip's door (softphone/_stranger.py) answers strangers; while it does not,
        # the UDP socket's filter drops them.
        self._door: Callable[[], bool] = lambda: False
        self._door_was = False
        self.tcp_idle_s = tcp_idle_s
        self._next_sweep = 0.0
        self._fds: dict[str, int] = {}
        self._resolved: list[list[str]] = []  # filled by the lookup thread, once
        self._resolving = False
        if hosts:
            literal = [h for h in hosts if _network(h) is not None]
            self.trusted = literal
            if len(literal) < len(hosts):
                # A daemon thread: a lookup the resolver never answers must not hold up the
                # engine's exit (an executor's thread would be joined at exit).
                self._resolving = True
                Thread(
                    target=lambda: self._resolved.append(_resolve(hosts)),
                    name="guard-dns",
                    daemon=True,
                ).start()
        self._links: dict[str, str] = {}
        self.rebinds = 0  # times pjsip's sockets were new (an IP change) and filtered again
        self._find_sockets()
        self._apply()

    def _find_sockets(self) -> None:
        self._fds = socket_fds(self.port) if self.port else {}
        self._links = {kind: _link(fd) for kind, fd in self._fds.items()}

    def _sockets_moved(self) -> bool:
        """pjsip made new sockets on our port: an IP change restarts its listener (the
        old socket, and the filter on it, are gone; the fd number may even be reused)."""
        return any(_link(fd) != self._links[kind] for kind, fd in self._fds.items())

    def use_door(self, working: Callable[[], bool]) -> None:
        """pjsip's door answers strangers while ``working()``: the UDP filter lets them in."""
        self._door = working
        self._door_was = working()
        self._apply()

    @property
    def door(self) -> bool:
        """Strangers are answered 403 by pjsip's door (else dropped in the kernel)."""
        return self._door_was

    def stranger(self, ip: str, method: str) -> Verdict:
        """pjsip's door asks about every request before pjsip's own layers see it (on the
        engine's thread): pass the trusted on; answer others 403 within the budget."""
        if not self.enabled or not self.trusted or _trusted(ip, self.trusted):
            return Verdict.PASS
        if method == "ACK":  # the ACK of our own 403: never answered
            return Verdict.DROP
        if self._budget.take():
            self.shed["403_stateless"] += 1
            return Verdict.REFUSE
        self.shed["403_over_budget"] += 1
        return Verdict.DROP

    @property
    def cooling(self) -> bool:
        """INVITEs are being dropped after a burst."""
        return bool(self._cool_until)

    def tick(self) -> None:
        """On the engine's thread, often: pick up a finished lookup, end a cool-off, filter
        pjsip's sockets again when they were made anew."""
        if self._sockets_moved():
            self._find_sockets()
            self.rebinds += 1
            log.info("guard: the SIP socket is new (%s); filtering it again", ", ".join(self._fds))
            self._apply()
        if self._resolving and self._resolved:
            self._resolving = False
            for ip in self._resolved[0]:
                if ip not in self.trusted:
                    self.trusted.append(ip)
            log.info("guard: trusted sources %s", ", ".join(self.trusted) or "(none resolved)")
            self._apply()
        if self._door() != self._door_was:  # the door stopped deciding: the kernel drops
            self._door_was = not self._door_was
            log.warning("guard: strangers %s", "answered 403" if self._door_was else "dropped")
            self._apply()
        now = self._clock()
        if "tcp" in self._fds and now >= self._next_sweep:
            self._next_sweep = now + TCP_SWEEP_S
            self._sweep_tcp()
        if self._cool_until and self._clock() >= self._cool_until:
            self._cool_until = 0.0
            log.warning("guard: burst over; INVITEs accepted again")
            self._apply()

    def _sweep_tcp(self) -> None:
        """End idle connections, then the newest over the caps (fds grow as they come)."""
        kept: list[tuple[int, str]] = []
        for fd, peer in sorted(inbound_connections(self.port)):
            try:
                idle = idle_ms(fd)
            except OSError:
                continue
            if idle > self.tcp_idle_s * 1000:
                cut(fd)
                self.shed["tcp_cut"] += 1
                log.info("guard: ended a TCP connection from %s idle %.0f s", peer, idle / 1000)
            else:
                kept.append((fd, peer))
        per_source: dict[str, int] = {}
        for index, (fd, peer) in enumerate(kept):
            per_source[peer] = per_source.get(peer, 0) + 1
            if per_source[peer] > TCP_PER_SOURCE or index >= TCP_TOTAL:
                cut(fd)
                self.shed["tcp_cut"] += 1
                log.warning("guard: too many TCP connections (from %s); ended one", peer)

    def screen(self, source: str) -> tuple[int, str]:
        """An offer from ``source`` ("ip:port"): (0, "") to ring it, else the status code to
        refuse it with and the reason phrase."""
        now = self._clock()
        ip = source.rsplit(":", 1)[0].strip("[]")
        if self.enabled and self.trusted and not _trusted(ip, self.trusted):
            self.shed["403"] += 1
            return 403, "Forbidden"
        offers = self._offers
        offers.append(now)
        while offers and now - offers[0] > 1.0:
            offers.popleft()
        recent = sum(1 for at in offers if now - at <= FLOOD_WINDOW_S)
        if recent >= FLOOD_OFFERS and not self._cool_until:
            self._burst(now)
        if len(offers) > self.max_per_s:
            self.shed["503"] += 1
            return 503, "Service Unavailable"
        return 0, ""

    def _burst(self, now: float) -> None:
        self._cool_until = now + COOL_S
        self.shed["bursts"] += 1
        log.warning(
            "guard: %d offers in %.1f s; dropping INVITEs for %.0f s",
            FLOOD_OFFERS,
            FLOOD_WINDOW_S,
            COOL_S,
        )
        self._apply()
        udp = self._fds.get("udp")
        if udp is not None:
            self.shed["drained"] += drain(udp)

    def _apply(self) -> None:
        trusted = self.trusted if self.enabled else []
        for kind, fd in self._fds.items():
            udp = kind == "udp"
            # Over UDP pjsip's door answers strangers 403; a TCP connection takes a slot
            # before anything could be answered, so a stranger's is never accepted.
            kernel = [] if udp and self._door_was else trusted
            code = program(kernel, bool(self._cool_until), udp=udp)
            try:
                attach(fd, code)
            except OSError as exc:
                log.warning("guard: the kernel filter on %s was refused: %s", kind, exc)

    def close(self) -> None:
        """Nothing to release: the lookup thread is a daemon."""


def _link(fd: int) -> str:
    """What ``fd`` is now ("socket:[inode]"); "" when closed."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def _network(entry: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """An IPv4 or IPv6 address or network as written in the configuration; None for anything
    else (a host name)."""
    try:
        return ipaddress.ip_network(entry.strip("[]"), strict=False)
    except ValueError:
        return None


def _trusted(ip: str, trusted: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for entry in trusted:
        with contextlib.suppress(ValueError):
            if address in ipaddress.ip_network(entry.strip("[]"), strict=False):
                return True
    return False


Screen = Callable[[str], tuple[int, str]]
