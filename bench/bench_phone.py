"""Softphone benchmark: what the phone engine's process boundary costs, in one run.

Three ways to the same SIPp far end on loopback: a bare pjsua2 script (the floor), the
in-process ``LocalPhone`` (pjsua2 polled on this process's Qt loop: the desk's phone before the
engine moved out), and the desk's ``Phone``: a proxy whose engine is a process of its own,
talking over the local channel. Bare and in-process run one after the other in this process
(pjsua2 is one endpoint per process; each stack is created and destroyed).

- outgoing: ``dial()`` until the call is connected (INVITE -> 180 -> 200 OK -> ACK);
- incoming: SIPp calls, and ``answer()`` until the call is confirmed (200 OK -> ACK);
- ring: this script sends an INVITE itself (a UDP socket) and times until the phone panel
  has painted the ringing call (bare: until pjsua2's ``onIncomingCall``); the phones then
  decline it (603) and the script acknowledges. CLOCK_MONOTONIC is one clock for every process
  on Linux, so the engine's side needs no clock of its own.

Usage: ``python -m bench.bench_phone`` (``--calls 60`` for the README's table).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pjsua2 as pj
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from agent_desktop.ui.panels.phone_panel import PhonePanel
from bench.results import Figure, record
from softphone import CallInfo, CallState, Phone, PhoneConfig
from softphone.phone import LocalPhone
from tests.fakes.sipp import Sipp

AnyPhone = Phone | LocalPhone

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

        self.offered_at: list[float] = []

    def onIncomingCall(self, prm: object) -> None:
        self.offered_at.append(time.perf_counter())
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


# -- a ringing call: an INVITE of our own -------------------------------------------------------


class Uac:
    """Just enough of a SIP caller to ring a phone and be declined: INVITE, then ACK the final
    response. ``ring()`` returns when the INVITE left (perf_counter)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self.count = 0

    def ring(self, target: str) -> float:
        self.count += 1
        host, port = target.split(":")
        self._to = (host, int(port))
        self._call_id = f"bench-{self.port}-{self.count}@127.0.0.1"
        self._branch = f"z9hG4bK-bench-{self.port}-{self.count}"
        self._from = f"<sip:13800138000@127.0.0.1:{self.port}>;tag=b{self.count}"
        sdp = (
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
        )
        message = (
            f"INVITE sip:bench@{target} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={self._branch};rport\r\n"
            f'From: "Bench" {self._from}\r\nTo: <sip:bench@{target}>\r\n'
            f"Call-ID: {self._call_id}\r\nCSeq: 1 INVITE\r\n"
            f"Contact: <sip:13800138000@127.0.0.1:{self.port}>\r\nMax-Forwards: 70\r\n"
            f"Content-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}"
        )
        started = time.perf_counter()
        self.sock.sendto(message.encode(), self._to)
        return started

    def finish(self, pump: Callable[[], None], timeout_s: float = 10) -> None:
        """Until the final response came; ACK it (or the phone repeats it for 32 s)."""
        self.sock.setblocking(False)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            pump()
            try:
                data = self.sock.recv(65536).decode(errors="replace")
            except BlockingIOError:
                continue
            status = int(data.split(" ", 2)[1]) if data.startswith("SIP/2.0") else 0
            if status < 300 or self._call_id not in data:
                continue
            to = next(line for line in data.split("\r\n") if line.lower().startswith("to:"))
            ack = (
                f"ACK sip:bench@{self._to[0]}:{self._to[1]} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={self._branch};rport\r\n"
                f"From: {self._from}\r\n{to}\r\nCall-ID: {self._call_id}\r\n"
                "CSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
            )
            self.sock.sendto(ack.encode(), self._to)
            return

    def close(self) -> None:
        self.sock.close()


def bare_ring(rings: int) -> list[float]:
    ep, acc, address = _bare_endpoint()
    uac = Uac()
    out = []
    for _ in range(rings):
        before = len(acc.incoming)
        started = uac.ring(address)
        _pump(ep, lambda a=acc, b=before: len(a.incoming) > b)
        out.append((acc.offered_at[-1] - started) * 1e3)
        call = acc.incoming.pop()
        prm = pj.CallOpParam(True)
        prm.statusCode = 603
        call.answer(prm)
        uac.finish(lambda: ep.libHandleEvents(1))
        _pump(ep, lambda c=call: c.disconnected)
        del call
        _pump(ep, lambda: False, PACE_S)
    uac.close()
    del acc
    ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)
    return out


class PaintWatch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted_at = 0.0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted_at = time.perf_counter()
        return False


# -- through the app's phones --------------------------------------------------------------------


def _wait(app: QApplication, until: object, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not until() and time.monotonic() < deadline:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.0005)


def connect_times(phone: AnyPhone) -> dict[int, float]:
    """When each call first showed as connected (perf_counter), filled as the phone reports."""
    connected: dict[int, float] = {}

    def seen(info: CallInfo) -> None:
        if info.state == CallState.CONNECTED and info.call_id not in connected:
            connected[info.call_id] = time.perf_counter()

    phone.call_state_changed.connect(seen)
    return connected


def started(kind: str) -> tuple[AnyPhone, str]:
    """A phone of this kind, started on loopback, and its address."""
    config = PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1")
    if kind == "engine":
        phone = Phone()
        phone.start(config)
        return phone, phone.wait_ready()
    local = LocalPhone()
    return local, local.start(config)


def phone_outgoing(app: QApplication, kind: str, target: str, calls: int) -> list[float]:
    phone, _ = started(kind)
    connected = connect_times(phone)
    out = []
    for _ in range(calls):
        begun = time.perf_counter()
        call = phone.dial(target)
        _wait(app, lambda c=call: c.call_id in connected)
        out.append((connected[call.call_id] - begun) * 1e3)
        phone.hangup(call.call_id)
        _wait(app, lambda: not phone.calls())
        _wait(app, lambda: False, PACE_S)
    phone.stop()
    return out


def phone_incoming(app: QApplication, kind: str, tmp: Path, calls: int) -> list[float]:
    phone, address = started(kind)
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
        begun = time.perf_counter()
        phone.answer(call_id)
        _wait(app, lambda c=call_id: c in connected)
        out.append((connected[call_id] - begun) * 1e3)
        _wait(app, lambda: not phone.calls())
    caller.stop()
    phone.stop()
    return out


def phone_ring(app: QApplication, kind: str, rings: int) -> list[float]:
    """INVITE sent -> the phone panel has painted the ringing call."""
    phone, address = started(kind)
    panel = PhonePanel(phone)  # type: ignore[arg-type]
    panel.resize(360, 600)
    panel.show()
    watch = PaintWatch()
    panel.call_list.viewport().installEventFilter(watch)
    painted: list[tuple[int, float]] = []

    def ringing(info: CallInfo) -> None:  # after the panel's own slot: the row is there
        watch.painted_at = 0.0
        panel.call_list.viewport().repaint()  # what the screen gets on the next frame
        painted.append((info.call_id, watch.painted_at))

    phone.incoming_call.connect(ringing)
    uac = Uac()
    out = []
    for _ in range(rings):
        before = len(painted)
        begun = uac.ring(address)
        _wait(app, lambda b=before: len(painted) > b)
        call_id, at = painted[-1]
        out.append((at - begun) * 1e3)
        if phone.call(call_id) is not None:  # (a loaded machine: the offer may be gone)
            phone.reject(call_id)
        else:
            sys.stderr.write(f"ring {call_id}: ended before the decline\n")
        uac.finish(app.processEvents)
        _wait(app, lambda: not phone.calls())
        _wait(app, lambda: False, PACE_S)
    uac.close()
    phone.stop()
    panel.close()
    return out


KINDS = {"local": "in-process `LocalPhone`", "engine": "engine process (`Phone` proxy)"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=40)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    results: dict[str, dict[str, list[float]]] = {"bare": {}, "local": {}, "engine": {}}
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        far = Sipp("uas", tmp, calls=args.calls * 3, timeout_s=600)
        far.wait_bound()
        target = f"sip:4000@{far.address}"
        results["bare"]["out"] = bare_outgoing(target, args.calls)
        for kind in ("local", "engine"):
            results[kind]["out"] = phone_outgoing(app, kind, target, args.calls)  # type: ignore[arg-type]
        far.stop()
        results["bare"]["in"] = bare_incoming(tmp, args.calls)
        results["bare"]["ring"] = bare_ring(args.calls)
        for kind in ("local", "engine"):
            results[kind]["in"] = phone_incoming(app, kind, tmp, args.calls)  # type: ignore[arg-type]
            results[kind]["ring"] = phone_ring(app, kind, args.calls)  # type: ignore[arg-type]
    rows = ["| what | p50 ms | p95 ms | ratio to bare p50 |", "| --- | --- | --- | --- |"]
    figures = []
    for key, name, floor_name in (
        ("out", "outgoing: dial -> connected (INVITE, 180, 200 OK, ACK)", "bare pjsua2"),
        ("in", "incoming: answer -> confirmed (200 OK, ACK)", "bare pjsua2"),
        ("ring", "INVITE sent -> phone panel painted", "bare pjsua2: INVITE -> onIncomingCall"),
    ):
        f50, f95 = pct(results["bare"][key])
        rows.append(f"| {name}, {floor_name} | {f50:.2f} | {f95:.2f} | 1.00 |")
        for kind, label in KINDS.items():
            m50, m95 = pct(results[kind][key])
            rows.append(f"| {name}, {label} | {m50:.2f} | {m95:.2f} | {m50 / f50:.2f} |")
            figures.append(
                Figure(
                    f"{name}, {label}, p50",
                    m50,
                    "ms",
                    f50,
                    floor_name,
                    detail={"p95": m95, "floor_p95": f95},
                )
            )
    sys.stdout.write("\n".join(rows) + "\n")
    record("phone", figures, {"calls": args.calls})


if __name__ == "__main__":
    main()
