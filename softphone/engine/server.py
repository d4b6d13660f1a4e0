"""The engine's side of the channel: a ``LocalPhone`` (pjsua2 + the headset bridge) driven by
commands from the desk, every signal of it sent back as an event.

Runs on the engine's one thread (a Qt event loop: the phone's poll timer, the headset's
10 ms tick and the channel's socket all wake it). The desk may die without a word: the
channel closing stops the phone (live calls get their BYE) and ends the process, so no engine
outlives its desk.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from softphone.engine.address_watch import AddressWatch, registrar_ip
from softphone.engine.dns import nameservers_for_account
from softphone.engine.guard import RETRY_AFTER_S, Guard
from softphone.engine.protocol import Channel, Json, decode, encode
from softphone.errors import PhoneError
from softphone.events import (
    DtmfMethod,
    MonitorMode,
    PhoneConfig,
    RecordingLabels,
    RecordingSettings,
)
from softphone.phone import LocalPhone

log = logging.getLogger("softphone.engine")

GUARD_TICK_MS = 100
GRANT_ASK_AGAIN_S = 0.1  # a monitor grant the desk did not know yet is asked about again


def phone_signals(cls: type[QObject] = LocalPhone) -> list[str]:
    """Every Qt signal the phone class declares: all of them cross the boundary."""
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, Signal) and name not in names and klass is not QObject:
                names.append(name)
    return names


class _ChannelLog(logging.Handler):
    """The engine's log records go to the desk's log (its own stderr is read there too)."""

    def __init__(self, send: Callable[[dict[str, Json]], None]) -> None:
        super().__init__(logging.DEBUG)
        self._send = send
        self._busy = False

    def emit(self, record: logging.LogRecord) -> None:
        if threading.current_thread() is not threading.main_thread():
            # The channel belongs to the engine's thread; stderr reaches the desk's log too.
            sys.stderr.write(f"{record.levelname} {record.name}: {record.getMessage()}\n")
            return
        if self._busy:  # a record logged while sending one: never recurse
            return
        self._busy = True
        try:
            self._send({"ev": "log", "args": [record.levelno, record.name, record.getMessage()]})
        except Exception:
            pass
        finally:
            self._busy = False


class EngineServer(QObject):
    def __init__(self, channel_of: Callable[[EngineServer], Channel]) -> None:
        super().__init__()
        self.phone = LocalPhone(self)
        self.channel = channel_of(self)
        self.headset: Any = None  # softphone.audio.HeadsetBridge, loaded only with devices
        self._grants: dict[str, tuple[MonitorMode | None, float]] = {}
        self._asked: dict[str, float] = {}
        self.guard: Guard | None = None
        self.watch: AddressWatch | None = None
        self._guard_timer = QTimer(self)
        self._guard_timer.setInterval(GUARD_TICK_MS)
        self._guard_timer.timeout.connect(self._guard_tick)
        for name in phone_signals():
            getattr(self.phone, name).connect(
                lambda *args, _name=name: self.emit_event(_name, list(args))
            )
        handler = _ChannelLog(self.channel.send)
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(logging.INFO)

    # -- out -------------------------------------------------------------------------------

    def emit_event(self, name: str, args: list[Any]) -> None:
        self.channel.send({"ev": name, "args": encode(args), "at": self.phone.wall_clock()})

    # -- in --------------------------------------------------------------------------------

    def on_message(self, message: dict[str, Json]) -> None:
        op = str(message.get("op", ""))
        command_id = message.get("id")
        args = decode(message.get("args", {}))
        handler = getattr(self, f"op_{op}", None)
        answer: dict[str, Json] = {"re": command_id, "ok": True}
        if handler is None:
            answer = {"re": command_id, "ok": False, "error": f"unknown op {op}", "reason": "sip"}
        else:
            try:
                result = handler(**args)
                if result is not None:
                    answer["result"] = encode(result)
            except PhoneError as exc:
                answer = {"re": command_id, "ok": False, "error": str(exc), "reason": exc.reason}
            except Exception as exc:
                log.exception("engine: %s failed", op)
                answer = {"re": command_id, "ok": False, "error": str(exc), "reason": "sip"}
        if command_id is not None:
            self.channel.send(answer)

    def on_closed(self) -> None:
        """The desk is gone (quit, or crashed): end the calls and leave."""
        self.op_stop()

    # -- the operations (keyword arguments as the desk sends them) ---------------------------

    def op_ping(self) -> None:
        return None

    def op_start(
        self,
        config: PhoneConfig,
        audio: list[str] | None = None,
        first_call_id: int = 0,
        pjsip_debug: bool = False,
    ) -> dict[str, str]:
        self.phone._stack.first_serial(first_call_id)
        headset = None
        if audio is not None:
            from softphone.audio import HeadsetBridge  # noqa: PLC0415 - only with devices

            headset = HeadsetBridge(self)
            headset.open(audio[0], audio[1])
            headset.level_changed.connect(lambda level: self.emit_event("level_changed", [level]))
            headset.device_lost.connect(lambda lost: self.emit_event("device_lost", [lost]))
            self.headset = headset
        if not config.nameservers:
            servers = nameservers_for_account(
                config.registrar, config.outbound_proxy, config.domain
            )
            if servers:
                log.info(
                    "engine: pjsip resolves %s itself via %s",
                    config.registrar or config.outbound_proxy or config.domain,
                    servers,
                )
                config = replace(config, nameservers=tuple(servers))
        # pjsip's own lines cross to the desk at debug only when the desk logs them.
        level = logging.DEBUG if pjsip_debug else logging.NOTSET
        logging.getLogger("softphone.pjsua").setLevel(level)
        address = self.phone.start(config, headset=headset)
        if headset is not None:  # opened before the phone listened: say what is in use
            self.emit_event(
                "audio_devices_changed", [headset.output.description(), headset.input.description()]
            )
        self.phone.set_monitor_authoriser(self._authorise)
        port = int(address.rpartition(":")[2]) if address.rpartition(":")[2].isdigit() else 0
        self.guard = Guard(
            config.registrar,
            # Calls reach a desk behind an outbound proxy from that proxy.
            config.trusted_peers + ((config.outbound_proxy,) if config.outbound_proxy else ()),
            config.max_offers_per_s,
            port,
            tcp_idle_s=config.tcp_idle_s,
            only_trusted=config.only_trusted_sources,
        )
        self.phone._stack.screen = self.guard.screen
        # Strangers answered 403 by pjsip itself, before any call slot or media exists; while
        # the door is not there or stops deciding, the guard's kernel filter drops them.
        door = self.phone._stack.open_door(self.guard.stranger)
        self.guard.use_door(lambda: door.registered and not door.broken)
        # An IP change gives pjsip a new socket: filter it now, not at the guard's next tick.
        self.phone.address_changed.connect(lambda _address: self._guard_tick())
        self.phone._stack.retry_after_s = RETRY_AFTER_S
        self._guard_timer.start()
        if config.registrar:
            # The PC's address may change under a registered phone: re-register from the new
            # one at once (softphone/engine/address_watch.py).
            target = registrar_ip(config.registrar)
            self.watch = AddressWatch(lambda: target, self)
            self.watch.changed.connect(self._address_moved)
        return {"address": address}

    def _guard_tick(self) -> None:
        if self.guard is not None:
            self.guard.tick()

    def _address_moved(self, old: str, new: str) -> None:
        log.info("engine: address %s -> %s; re-registering", old or "none", new)
        self.phone.network_changed()

    def op_guard(self) -> dict[str, Any]:
        """For tests and the log: what the guard shed, and whom it trusts."""
        guard = self.guard
        if guard is None:
            return {}
        return {
            "trusted": guard.trusted,
            "door": guard.door,
            "cooling": guard.cooling,
            "rebinds": guard.rebinds,
            "in_dialog": guard.in_dialog,
            "address_changes": self.watch.changes if self.watch is not None else 0,
            "address_netlink": self.watch.netlink if self.watch is not None else False,
            "address_lost": self.watch.lost if self.watch is not None else False,
            **guard.shed,
        }

    def op_stop(self) -> None:
        if self.watch is not None:
            self.watch.close()
        self._guard_timer.stop()
        if self.guard is not None:
            self.guard.close()
        self.phone.stop()
        self.channel.flush(1.0)
        self.channel.close()
        QCoreApplication.quit()

    def op_dial(self, target: str, headers: dict[str, str], call_id: int) -> None:
        self.phone.dial(target, headers or None, call_id=call_id)

    def op_answer(self, call_id: int) -> None:
        self.phone.answer(call_id)

    def op_reject(self, call_id: int, busy: bool) -> None:
        self.phone.reject(call_id, busy)

    def op_hangup(self, call_id: int) -> None:
        self.phone.hangup(call_id)

    def op_hold(self, call_id: int) -> None:
        self.phone.hold(call_id)

    def op_resume(self, call_id: int) -> None:
        self.phone.resume(call_id)

    def op_set_mute(self, call_id: int, muted: bool) -> None:
        self.phone.set_mute(call_id, muted)

    def op_send_dtmf(self, call_id: int, digits: str, method: DtmfMethod | None) -> None:
        self.phone.send_dtmf(call_id, digits, method)

    def op_blind_transfer(self, call_id: int, target: str, note: str = "") -> None:
        self.phone.blind_transfer(call_id, target, note)

    def op_attended_transfer(self, call_id: int, consult_call_id: int) -> None:
        self.phone.attended_transfer(call_id, consult_call_id)

    def op_conference(self, call_ids: list[int]) -> None:
        self.phone.conference(call_ids)

    def op_network_changed(self) -> None:
        self.phone.network_changed()

    def op_test_audio(self, tone_hz: int, record_path: str) -> None:
        self.phone.test_audio(tone_hz, record_path)

    def op_set_monitor_mode(self, leg_id: int, mode: MonitorMode) -> None:
        self.phone.set_monitor_mode(leg_id, mode)

    def op_end_monitor(self, leg_id: int, reason: str) -> None:
        self.phone.end_monitor(leg_id, reason)

    def op_configure_recording(self, settings: RecordingSettings) -> None:
        self.phone.configure_recording(settings)

    def op_pause_recording(self, call_id: int, reason: str, by: str = "") -> None:
        self.phone.pause_recording(call_id, reason, by)

    def op_resume_recording(self, call_id: int) -> None:
        self.phone.resume_recording(call_id)

    def op_label_recording(self, call_id: int, labels: RecordingLabels) -> None:
        self.phone.label_recording(call_id, labels)

    def op_grant(self, token: str, mode: MonitorMode | None) -> None:
        self._grants[token] = (mode, time.monotonic())

    def op_headset(self, output: str, input_: str) -> None:
        if self.headset is not None:
            self.headset.reopen(output, input_)

    def op_echo(self, on: bool) -> None:
        if self.headset is not None:
            self.headset.echo = on

    def op_inspect(self) -> dict[str, Any]:
        """For tests: what only the engine knows (pjsua2's call objects, RTCP counts)."""
        stack = self.phone._stack
        sent: dict[str, int] = {}
        for serial, call in list(stack._calls.items()):
            with contextlib.suppress(Exception):
                sent[str(serial)] = int(call.getStreamStat(0).rtcp.txStat.pkt)
        guard = self.op_guard()
        calls = [
            [serial, call.info.state.value, call.screened]
            for serial, call in list(stack._calls.items())
        ]
        return {
            "call_objects": len(stack._calls),
            "calls": calls,
            "rtcp_sent": sent,
            "guard": guard,
        }

    # -- monitor grants: the desk's authoriser, asked across the channel ---------------------

    def _authorise(self, token: str) -> MonitorMode | None:
        """The desk knows the grants (its event stream); pjsua2 asks here synchronously. An
        unknown token answers None now and asks the desk; the stack asks again while the leg
        waits for its grant (``LEG_GRACE_S``)."""
        known = self._grants.get(token)
        if known is not None and known[0] is not None:
            return known[0]
        now = time.monotonic()
        if now - self._asked.get(token, 0.0) >= GRANT_ASK_AGAIN_S:
            self._asked[token] = now
            self.emit_event("grant_asked", [token])
        return None
