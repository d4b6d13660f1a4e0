"""Softphone benchmark: call set-up through the app's ``Phone`` beside a bare pjsua2 script.

Both talk to the same SIPp far end on loopback, one after the other in this process (pjsua2
is one endpoint per process; the app's stack is created and destroyed like the bare one).

- outgoing: ``dial()`` until the call is connected (INVITE -> 180 -> 200 OK -> ACK);
- incoming: SIPp calls, and ``answer()`` until the call is confirmed (200 OK -> ACK).

The bare script drives pjsua2 the way its own samples do (``libHandleEvents`` in a loop);
the app polls it from a 10 ms Qt timer on the GUI thread. Usage: ``python -m bench.bench_phone``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pjsua2 as pj
from PySide6.QtWidgets import QApplication

from bench.results import Figure, record
from softphone import CallInfo, CallState, Phone, PhoneConfig
from tests.fakes.sipp import Sipp

# pjlib recycles a closed socket's slot only after 500 ms (PJ_IOQUEUE_KEY_FREE_DELAY) and has
# 64 slots: more than ~30 calls in half a second exhaust them and pjlib aborts. Agents' calls
# last minutes; the benchmark leaves this much between calls (not measured).
PACE_S = 0.04


def pct(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100)
    return cuts[49], cuts[94]


# -- the floor: bare pjsua2 ---------------------------------------------------------------------


class _BareCall(pj.Call):  # type: ignore[misc]
    def __init__(self, acc: pj.Account, call_id: int = pj.PJSUA_INVALID_ID) -> None:
        super().__init__(acc, call_id)
        self.confirmed_at = 0.0
        self.disconnected = False

    def onCallState(self, _prm: object) -> None:
        info = self.getInfo()
        if info.state == pj.PJSIP_INV_STATE_CONFIRMED and not self.confirmed_at:
            self.confirmed_at = time.perf_counter()
        if info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.disconnected = True


class _BareAccount(pj.Account):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.incoming: list[_BareCall] = []

    def onIncomingCall(self, prm: object) -> None:
        self.incoming.append(_BareCall(self, prm.callId))  # type: ignore[attr-defined]


def _bare_endpoint() -> tuple[pj.Endpoint, _BareAccount, str]:
    ep = pj.Endpoint()
    ep.libCreate()
    cfg = pj.EpConfig()
    cfg.uaConfig.threadCnt = 0
    cfg.uaConfig.mainThreadOnly = True
    cfg.logConfig.level = 0
    cfg.logConfig.consoleLevel = 0
    ep.libInit(cfg)
    tcfg = pj.TransportConfig()
    tcfg.boundAddress = "127.0.0.1"
    tid = ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tcfg)
    ep.audDevManager().setNullDev()
    ep.libStart()
    acc = _BareAccount()
    acfg = pj.AccountConfig()
    acfg.idUri = "sip:bench@127.0.0.1"
    acc.create(acfg)
    return ep, acc, str(ep.transportGetInfo(tid).localName)


def _pump(ep: pj.Endpoint, until: object, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not until() and time.monotonic() < deadline:  # type: ignore[operator]
        ep.libHandleEvents(1)


def bare_outgoing(target: str, calls: int) -> list[float]:
    ep, acc, _ = _bare_endpoint()
    out = []
    for _ in range(calls):
        call = _BareCall(acc)
        started = time.perf_counter()
        call.makeCall(target, pj.CallOpParam(True))
        _pump(ep, lambda c=call: c.confirmed_at)
        out.append((call.confirmed_at - started) * 1e3)
        call.hangup(pj.CallOpParam(True))
        _pump(ep, lambda c=call: c.disconnected)
        del call
        _pump(ep, lambda: False, PACE_S)
    del acc
    ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)
    return out


def bare_incoming(tmp: Path, calls: int) -> list[float]:
    ep, acc, address = _bare_endpoint()
    out = []
    caller = Sipp(
        "uac",
        tmp,
        remote=address,
        service="bench",
        calls=calls,
        timeout_s=300,
        extra=["-l", "1", "-d", "50", "-r", "20"],  # one call at a time, 50 ms talk
    )
    for _ in range(calls):
        _pump(ep, lambda a=acc: bool(a.incoming), 20)
        if not acc.incoming:
            break
        call = acc.incoming.pop()
        prm = pj.CallOpParam(True)
        prm.statusCode = 200
        started = time.perf_counter()
        call.answer(prm)
        _pump(ep, lambda c=call: c.confirmed_at)
        out.append((call.confirmed_at - started) * 1e3)
        _pump(ep, lambda c=call: c.disconnected)
        del call
    caller.stop()
    del acc
    ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)
    return out


# -- through the app's Phone ---------------------------------------------------------------------


def _wait(app: QApplication, until: object, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not until() and time.monotonic() < deadline:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.0005)


def connect_times(phone: Phone) -> dict[int, float]:
    """When each call first showed as connected (perf_counter), filled as the phone reports."""
    connected: dict[int, float] = {}

    def seen(info: CallInfo) -> None:
        if info.state == CallState.CONNECTED and info.call_id not in connected:
            connected[info.call_id] = time.perf_counter()

    phone.call_state_changed.connect(seen)
    return connected


def phone_outgoing(app: QApplication, target: str, calls: int) -> list[float]:
    phone = Phone()
    phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1"))
    connected = connect_times(phone)
    out = []
    for _ in range(calls):
        started = time.perf_counter()
        call = phone.dial(target)
        _wait(app, lambda c=call: c.call_id in connected)
        out.append((connected[call.call_id] - started) * 1e3)
        phone.hangup(call.call_id)
        _wait(app, lambda: not phone.calls())
        _wait(app, lambda: False, PACE_S)
    phone.stop()
    return out


def phone_incoming(app: QApplication, tmp: Path, calls: int) -> list[float]:
    phone = Phone()
    address = phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1"))
    offered: list[int] = []
    connected = connect_times(phone)
    phone.incoming_call.connect(lambda info: offered.append(info.call_id))
    caller = Sipp(
        "uac",
        tmp,
        remote=address,
        service="bench",
        calls=calls,
        timeout_s=300,
        extra=["-l", "1", "-d", "50", "-r", "20"],  # one call at a time, 50 ms talk
    )
    out = []
    for _ in range(calls):
        _wait(app, lambda: bool(offered), 20)
        if not offered:
            break
        call_id = offered.pop()
        started = time.perf_counter()
        phone.answer(call_id)
        _wait(app, lambda c=call_id: c in connected)
        out.append((connected[call_id] - started) * 1e3)
        _wait(app, lambda: not phone.calls())
    caller.stop()
    phone.stop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=40)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    rows = ["| what | p50 ms | p95 ms | ratio to bare p50 |", "| --- | --- | --- | --- |"]
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        far = Sipp("uas", tmp, calls=args.calls * 2, timeout_s=300)
        time.sleep(0.3)
        target = f"sip:4000@{far.address}"
        bare = bare_outgoing(target, args.calls)
        ours = phone_outgoing(app, target, args.calls)  # type: ignore[arg-type]
        far.stop()
        bare_in = bare_incoming(tmp, args.calls)
        ours_in = phone_incoming(app, tmp, args.calls)  # type: ignore[arg-type]
    figures = []
    for name, floor, mine in (
        ("outgoing: dial -> connected (INVITE, 180, 200 OK, ACK)", bare, ours),
        ("incoming: answer -> confirmed (200 OK, ACK)", bare_in, ours_in),
    ):
        f50, f95 = pct(floor)
        m50, m95 = pct(mine)
        rows.append(f"| {name}, bare pjsua2 | {f50:.2f} | {f95:.2f} | 1.00 |")
        rows.append(f"| {name}, app `Phone` | {m50:.2f} | {m95:.2f} | {m50 / f50:.2f} |")
        figures.append(
            Figure(
                f"{name}, app Phone, p50",
                m50,
                "ms",
                f50,
                "bare pjsua2",
                detail={"p95": m95, "floor_p95": f95},
            )
        )
    sys.stdout.write("\n".join(rows) + "\n")
    record("phone", figures, {"calls": args.calls})


if __name__ == "__main__":
    main()
