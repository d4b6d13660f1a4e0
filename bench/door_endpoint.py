"""A bare pjsua2 endpoint behind the engine's door and guard, for ``bench_in_dialog``, alone in
a process (one pjsua2 endpoint per process): ``python -m bench.door_endpoint MODE``.

MODE ``dialog`` is the door as the engine opens it: a stranger's request passes only when its
Call-ID and tags name a dialog pjsip holds. MODE ``tagged`` is the alternative measured against
it: every request with a To tag passes to pjsip (whose user agent layer answers one naming no
dialog 481, statelessly). pjsua logs every SIP message at level 4 to a Python writer, as the
engine does for the desk's trace (the engine then scrubs each one and sends it to the desk;
that part is not here, so ``tagged`` is measured at its cheapest).

Prints ``port N``, serves until its standard input closes (at most ``LIFE_S``), then prints
``door REFUSED DROPPED LOGGED``.
"""

from __future__ import annotations

import select
import sys
import time
from typing import Any

import pjsua2 as pj

from softphone._stranger import StrangerDoor, dialog_keys
from softphone.engine.guard import Guard

LIFE_S = 120.0
TRUSTED = "127.0.0.1"


class TaggedDoor(StrangerDoor):
    """The alternative: a To tag is taken as enough."""

    def in_dialog_of(self, message: bytes) -> bool:
        return dialog_keys(message) is not None


class CountingWriter(pj.LogWriter):  # type: ignore[misc]
    """pjsip's log lines reach Python, as the engine's writer's do; only counted here."""

    def __init__(self) -> None:
        super().__init__()
        self.lines = 0

    def write(self, entry: Any) -> None:
        if str(entry.msg):
            self.lines += 1


def main() -> int:
    mode = sys.argv[1]
    ep = pj.Endpoint()
    ep.libCreate()
    config = pj.EpConfig()
    config.uaConfig.threadCnt = 0
    config.uaConfig.mainThreadOnly = True
    writer = CountingWriter()
    config.logConfig.writer = writer
    config.logConfig.level = 4
    config.logConfig.consoleLevel = 4
    config.logConfig.msgLogging = True
    ep.libInit(config)
    transport = pj.TransportConfig()
    transport.port = 0
    transport.boundAddress = TRUSTED
    tid = ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, transport)
    ep.audDevManager().setNullDev()
    ep.libStart()
    guard = Guard("", (TRUSTED,), max_per_s=10, port=0, only_trusted=True)
    kind = TaggedDoor if mode == "tagged" else StrangerDoor
    door = kind(str(pj._pjsua2.__file__), guard.stranger)
    if not door.open():
        print(f"no door: {door.broken}", flush=True)  # the parent reads it
        return 1
    port = str(ep.transportGetInfo(tid).localName).rsplit(":", 1)[1]
    print("port", port, flush=True)  # the parent reads it
    deadline = time.monotonic() + LIFE_S
    while time.monotonic() < deadline:
        ep.libHandleEvents(20)
        readable, _, _ = select.select([sys.stdin], [], [], 0)
        if readable and not sys.stdin.readline():
            break
    door.close()
    logged = writer.lines
    ep.libDestroy()
    print("door", door.refused, door.dropped, logged, flush=True)  # the parent reads it
    return 0


if __name__ == "__main__":
    sys.exit(main())
