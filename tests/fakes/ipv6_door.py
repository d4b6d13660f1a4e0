"""A bare pjsua2 endpoint listening on IPv6 loopback behind the engine's stranger door and
guard, alone in a process (one pjsua2 endpoint per process):
``python -m tests.fakes.ipv6_door TRUSTED``.

The desk's own listener is IPv4 today; this runs the same door (``softphone/_stranger.py``)
and the same ``Guard.stranger`` on a pjsip UDP6 transport, so IPv6 strangers are shown to be
decided like IPv4 ones. Prints ``port N`` (pjlib prints a line of its own first), serves until
its standard input closes (at most ``LIFE_S``), then prints ``door REFUSED DROPPED``.
"""

from __future__ import annotations

import select
import sys
import time

import pjsua2 as pj

from softphone._stranger import StrangerDoor
from softphone.engine.guard import Guard

LIFE_S = 60.0


def main() -> int:
    trusted = sys.argv[1]
    ep = pj.Endpoint()
    ep.libCreate()
    config = pj.EpConfig()
    config.uaConfig.threadCnt = 0
    config.uaConfig.mainThreadOnly = True
    config.logConfig.level = config.logConfig.consoleLevel = 0
    ep.libInit(config)
    transport = pj.TransportConfig()
    transport.port = 0
    transport.boundAddress = "::1"
    tid = ep.transportCreate(pj.PJSIP_TRANSPORT_UDP6, transport)
    ep.audDevManager().setNullDev()
    ep.libStart()
    guard = Guard("", (trusted,), max_per_s=10, port=0, only_trusted=True)
    door = StrangerDoor(str(pj._pjsua2.__file__), guard.stranger)
    if not door.open():
        print(f"no door: {door.broken}", flush=True)  # noqa: T201 - the parent reads it
        return 1
    port = str(ep.transportGetInfo(tid).localName).rsplit(":", 1)[1]
    print("port", port, flush=True)  # noqa: T201 - the parent reads it
    deadline = time.monotonic() + LIFE_S
    while time.monotonic() < deadline:
        ep.libHandleEvents(20)
        readable, _, _ = select.select([sys.stdin], [], [], 0)
        if readable and not sys.stdin.readline():
            break
    door.close()
    ep.libDestroy()
    print("door", door.refused, door.dropped, flush=True)  # noqa: T201 - the parent reads it
    return 0


if __name__ == "__main__":
    sys.exit(main())
