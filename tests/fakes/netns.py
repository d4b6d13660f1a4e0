"""A desk's PC in a network namespace the test creates: one veth pair, the PC's end inside with
a private 10.x address, the PBX's end outside. ``move`` changes the PC's address the way a new
DHCP lease does (the old address goes, a new one comes, the default route is set again), so the
phone engine, run inside with ``prefix``, sees a real address change on a real interface.

Nothing leaves the machine: the addresses are on a veth pair only these two ends share.
Deleting the namespace deletes the pair, so ``close`` (always called: a fixture's finally)
leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from itertools import count

_serial = count()


def ip(*args: str, namespace: str = "") -> str:
    """Run ``ip`` (inside ``namespace`` when given); raises with its stderr on failure."""
    cmd = ["ip", *(["-n", namespace] if namespace else []), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.strip()}")
    return done.stdout


def _free_subnet() -> int:
    """A 10.213.N.0/24 no interface on this machine uses yet (other tests may hold one)."""
    used = ip("-4", "-o", "addr", "show")
    start = (os.getpid() + next(_serial) * 7) % 200 + 20
    for offset in range(200):
        n = (start + offset) % 230 + 20
        if f" 10.213.{n}." not in used:
            return n
    raise RuntimeError("no free 10.213.N.0/24 subnet for the test namespace")


class PcNamespace:
    """``ip netns add`` + a veth pair: the PC at ``10.213.N.2`` inside, the PBX side at
    ``10.213.N.1`` outside."""

    def __init__(self) -> None:
        tag = f"{os.getpid() % 100000}{next(_serial)}"
        self.name = f"aw-pc-{tag}"
        self.outside_if = f"awo{tag}"[:15]
        self.inside_if = f"awi{tag}"[:15]
        n = _free_subnet()
        self.gateway = f"10.213.{n}.1"  # the PBX's side of the link (Kamailio listens here)
        self.address = f"10.213.{n}.2"  # the PC's address now
        self.net = f"10.213.{n}"
        self.added_at = 0.0  # time.monotonic() when ``move`` added the new address
        ip("netns", "add", self.name)
        try:
            ip("link", "add", self.outside_if, "type", "veth", "peer", "name", self.inside_if)
            ip("link", "set", self.inside_if, "netns", self.name)
            ip("addr", "add", f"{self.gateway}/24", "dev", self.outside_if)
            ip("link", "set", self.outside_if, "up")
            ip("link", "set", "lo", "up", namespace=self.name)
            ip("addr", "add", f"{self.address}/24", "dev", self.inside_if, namespace=self.name)
            ip("link", "set", self.inside_if, "up", namespace=self.name)
            ip("route", "add", "default", "via", self.gateway, namespace=self.name)
        except BaseException:
            self.close()
            raise

    @property
    def prefix(self) -> tuple[str, ...]:
        """Run a command inside: ``(*prefix, command, ...)``."""
        return ("ip", "netns", "exec", self.name)

    def addresses(self) -> list[str]:
        """The PC's IPv4 addresses on its link, now."""
        out = ip("-4", "-o", "addr", "show", "dev", self.inside_if, namespace=self.name)
        return [line.split()[3].split("/")[0] for line in out.splitlines() if " inet " in line]

    def move(self, host: int) -> str:
        """The PC's address becomes ``10.213.N.<host>``: the old one is deleted (with it the
        link's routes), the new one added, the default route set again. Returns it."""
        self.unplug()
        return self.plug(host)

    def unplug(self) -> None:
        """The PC's address goes (the cable is out, the lease is gone): no route anywhere."""
        ip("addr", "del", f"{self.address}/24", "dev", self.inside_if, namespace=self.name)

    def plug(self, host: int) -> str:
        """The PC gets ``10.213.N.<host>`` and its default route (a lease). Returns it."""
        new = f"{self.net}.{host}"
        self.added_at = time.monotonic()  # the new address appears during the next command
        ip("addr", "add", f"{new}/24", "dev", self.inside_if, namespace=self.name)
        ip("route", "replace", "default", "via", self.gateway, namespace=self.name)
        self.address = new
        return new

    def add_outside(self, host: int) -> str:
        """Another address on the PBX's side of the link (``10.213.N.<host>``): a stranger
        on the same network as the PBX."""
        address = f"{self.net}.{host}"
        ip("addr", "add", f"{address}/24", "dev", self.outside_if)
        return address

    def close(self) -> None:
        """Delete the namespace (its veth end, and so the pair) and any process left in it."""
        pids = subprocess.run(
            ["ip", "netns", "pids", self.name], capture_output=True, text=True, check=False
        ).stdout.split()
        for pid in pids:  # only processes this test started inside its own namespace
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(pid), signal.SIGKILL)
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True, check=False)
        subprocess.run(["ip", "link", "del", self.outside_if], capture_output=True, check=False)
