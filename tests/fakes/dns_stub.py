"""A tiny authoritative DNS server on a loopback address, for dialling ``user@domain``.

UDP on port 53 of a random 127.x.y.53 (the resolver's port is not configurable in
``/etc/resolv.conf``): it answers A and SRV questions from ``records`` and says NXDOMAIN for
any other name (NODATA for another type of a known name); with ``drop=True`` it reads every
query and answers none, as a dead name server does. It counts the questions it was asked.
Only the wire format a stub resolver sends (one question, no EDNS needed) is understood.
Nothing leaves loopback: the tests point only a private mount namespace's resolv.conf at it.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
from dataclasses import dataclass

A, AAAA, SRV = 1, 28, 33
TYPES = {"A": A, "AAAA": AAAA, "SRV": SRV}


@dataclass(frozen=True, slots=True)
class Srv:
    priority: int
    weight: int
    port: int
    target: str


def encode_name(name: str) -> bytes:
    labels = [label.encode("ascii") for label in name.rstrip(".").split(".") if label]
    return b"".join(bytes([len(label)]) + label for label in labels) + b"\0"


def decode_name(packet: bytes, offset: int) -> tuple[str, int]:
    """A question's name (no compression in a question) and the offset after it."""
    labels = []
    while packet[offset]:
        length = packet[offset]
        labels.append(packet[offset + 1 : offset + 1 + length].decode("ascii", "replace"))
        offset += 1 + length
    return ".".join(labels).lower(), offset + 1


class DnsStub:
    """``records``: {("cc.test", "SRV"): [Srv(...)], ("pbx.cc.test", "A"): ["127.0.0.1"]}."""

    def __init__(
        self, records: dict[tuple[str, str], list[str | Srv]] | None = None, *, drop: bool = False
    ) -> None:
        self.records = {
            (name.lower(), TYPES[kind]): rr for (name, kind), rr in (records or {}).items()
        }
        self.drop = drop
        self.asked: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for _ in range(20):  # another test may hold an address: pick again
            self.address = f"127.{random.randint(60, 250)}.{random.randint(1, 250)}.53"
            try:
                self.sock.bind((self.address, 53))
                break
            except OSError:
                continue
        else:
            raise RuntimeError("no free 127.x.y.53:53 for the DNS stub")
        self.sock.settimeout(0.2)
        self._stop = False
        self._thread = threading.Thread(target=self._serve, name="dns-stub", daemon=True)
        self._thread.start()

    def questions(self, name: str, kind: str) -> int:
        with self._lock:
            return self.asked.count((name.lower(), TYPES[kind]))

    def total(self) -> int:
        with self._lock:
            return len(self.asked)

    def _serve(self) -> None:
        while not self._stop:
            try:
                packet, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                name, qtype, question = self._question(packet)
            except (IndexError, struct.error):
                continue
            with self._lock:
                self.asked.append((name, qtype))
            if not self.drop:
                self.sock.sendto(self._answer(packet, name, qtype, question), peer)

    @staticmethod
    def _question(packet: bytes) -> tuple[str, int, bytes]:
        name, offset = decode_name(packet, 12)
        qtype, _qclass = struct.unpack("!HH", packet[offset : offset + 4])
        return name, qtype, packet[12 : offset + 4]

    def _answer(self, query: bytes, name: str, qtype: int, question: bytes) -> bytes:
        (ident,) = struct.unpack("!H", query[:2])
        found = self.records.get((name, qtype), [])
        known = any(owner == name for owner, _ in self.records)
        rcode = 0 if known else 3  # NXDOMAIN for a name we know nothing of
        flags = 0x8400 | (query[2] & 0x01) << 8 | rcode  # QR, AA, the query's RD
        answers = b"".join(self._record(qtype, value) for value in found)
        header = struct.pack("!HHHHHH", ident, flags, 1, len(found), 0, 0)
        return header + question + answers

    @staticmethod
    def _record(qtype: int, value: str | Srv) -> bytes:
        if qtype == A:
            assert isinstance(value, str)
            data = socket.inet_aton(value)
        elif qtype == SRV:
            assert isinstance(value, Srv)
            data = struct.pack("!HHH", value.priority, value.weight, value.port)
            data += encode_name(value.target)
        else:
            raise ValueError(f"no records of type {qtype}")
        # the name is a pointer to the question's (offset 12); class IN; TTL 60 s
        return struct.pack("!HHHIH", 0xC00C, qtype, 1, 60, len(data)) + data

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=2)
        self.sock.close()
