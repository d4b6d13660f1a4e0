"""``Phone``: the softphone as the desk sees it — the Qt signals and methods it always had —
with pjsua2 and the headset bridge in a supervised process of their own (``softphone.engine``).

The desk never waits on the engine: a command is written to the channel and the method
returns; what follows arrives as events, read when the socket is readable (a
``QSocketNotifier`` on the GUI thread, so every signal is emitted there). The desk keeps a
mirror of the calls, legs and monitors the engine reported, so ``calls()``, ``call()`` and
``active_call()`` answer at once. ``dial()`` gives the call its id here and returns its
``CallInfo`` (DIALING) at once; a refusal by the engine ends it with the reason and emits
``command_failed``.

Supervision: the engine dying (an abort in pjlib under a flood, a kill) or not answering the
heartbeat makes the desk end the calls it knew (an ENDED ``CallInfo`` whose reason says the
engine restarted, so the interaction is recorded), say ``EngineState.RESTARTING`` and start a
new engine with the same configuration after a short backoff; it re-registers by itself. A
configuration the engine refuses at the first start is ``FAILED`` (no retry loop).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from softphone.engine.protocol import Channel, Json, decode, encode
from softphone.errors import PhoneError
from softphone.events import (
    MONITOR_HEADER,
    CallDirection,
    CallInfo,
    CallState,
    DtmfMethod,
    EngineState,
    LineInfo,
    LineState,
    MonitorInfo,
    MonitorMode,
    PhoneConfig,
    RecordingLabels,
    RecordingSettings,
    RegistrationInfo,
    RegistrationState,
)
from softphone.sip_log import SipTrace
from softphone.sip_log import log_level as sip_log_level

log = logging.getLogger(__name__)
sip_log = logging.getLogger("softphone.sip")  # the SIP trace in the app's log

__all__ = ["ENGINE_LOST", "Phone", "PhoneError", "RemoteHeadset"]

ENGINE_LOST = "Phone engine restarted"  # the reason on a call the engine took down with it
HEARTBEAT_MS = 1000
WAKE_GAP_S = 20.0  # the heartbeat stood still this long: the PC slept (or the desk froze)
# Linux's monotonic clock stands still while the PC is suspended; the boot-time clock runs on,
# so the heartbeat's gap across a sleep is seen (elsewhere monotonic counts sleep, or has no
# boot-time twin).
_awake_clock: Callable[[], float] = (
    functools.partial(time.clock_gettime, time.CLOCK_BOOTTIME)
    if hasattr(time, "CLOCK_BOOTTIME")
    else time.monotonic
)
HANG_S = 8.0  # no frame from a running engine this long: it hangs (pjlib stuck): kill it
START_GRACE_S = 30.0  # a new engine has this long to import pjsua2 and bring its stack up
BACKOFF_S = (0.2, 1.0, 2.0, 5.0, 10.0)  # before each restart in a row; the last repeats
MAX_RESTARTS = 8  # restarts in a row without a healthy minute: give up (FAILED)
HEALTHY_S = 60.0  # running this long resets the count
EXIT_WAIT_S = 0.5  # after its channel closed, how long the engine's exit status is awaited
STOP_WAIT_S = 4.0  # at quit: the engine ends its calls (about 2 s), then it is killed
CALL_ID_SPAN = 1_000_000  # each engine numbers calls in its own span; the desk's dials from
DESK_IDS = 500_000  # here in the span, so no id is ever reused in a run


# The events that carry a CallInfo the mirror keeps (a lead's own legs apart).
CALL_EVENTS = ("incoming_call", "call_state_changed", "call_media_changed", "lead_leg_changed")


def _number(target: str) -> str:
    """The user part of a dialled target, for the mirror until the engine says better."""
    text = target.strip()
    if "<" in text:
        text = text[text.index("<") + 1 :].split(">")[0]
    for scheme in ("sips:", "sip:", "tel:"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :]
    return text.split("@")[0].split(";")[0]


class DeviceName:
    """An audio device the engine uses, as the desk knows it: its description."""

    def __init__(self, description: str = "") -> None:
        self._description = description

    def description(self) -> str:
        return self._description

    def isNull(self) -> bool:
        return not self._description


class RemoteHeadset(QObject):
    """The headset bridge in the engine, as the desk's audio dialog and warnings use it."""

    level_changed = Signal(float)
    devices_changed = Signal(str, str)
    device_lost = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.output = DeviceName()
        self.input = DeviceName()
        self._before = ("", "")  # the devices in use before the last change (descriptions)
        self.wanted = ("", "")
        self._phone: Phone | None = None
        self._echo = False

    @staticmethod
    def outputs() -> list[str]:
        from PySide6.QtMultimedia import QMediaDevices  # noqa: PLC0415 - with the dialog

        return [d.description() for d in QMediaDevices.audioOutputs()]

    @staticmethod
    def inputs() -> list[str]:
        from PySide6.QtMultimedia import QMediaDevices  # noqa: PLC0415 - with the dialog

        return [d.description() for d in QMediaDevices.audioInputs()]

    def open(self, output: str = "", input_: str = "") -> None:
        self.wanted = (output, input_)
        if self._phone is not None and self._phone.running:
            self._phone._command("headset", {"output": output, "input_": input_})

    def reopen(self, output: str, input_: str) -> None:
        self.open(output, input_)

    def close(self) -> None:
        """The engine closes the devices when it stops."""

    @property
    def echo(self) -> bool:
        return self._echo

    @echo.setter
    def echo(self, on: bool) -> None:
        self._echo = on
        if self._phone is not None and self._phone.running:
            self._phone._command("echo", {"on": on})

    def _in_use(self, output: str, input_: str) -> None:
        self._before = (self.output.description(), self.input.description())
        self.output, self.input = DeviceName(output), DeviceName(input_)
        self.devices_changed.emit(output, input_)

    def replacement(self, lost: str) -> str:
        """What is in use now in place of a device just lost ("" for none): the microphone's
        replacement for a lost microphone, else the output's (devices_changed comes first)."""
        was_output, was_input = self._before
        if lost == was_input and lost != was_output:
            return self.input.description()
        return self.output.description()


class Phone(QObject):
    incoming_call = Signal(object)  # CallInfo, offered to us (ringing here)
    call_state_changed = Signal(object)  # CallInfo, every change of state, hold, mute, media
    call_media_changed = Signal(object)  # CallInfo, when its audio starts, is held or resumed
    audio_devices_changed = Signal(str, str)  # playback, capture in use (descriptions)
    registration_changed = Signal(object)  # RegistrationInfo
    dtmf_received = Signal(int, str)  # call id, digit
    transfer_progress = Signal(int, int, bool)  # call id, SIP status of the REFER'd call, final
    monitor_changed = Signal(object)  # MonitorInfo: a lead joined, changed mode, or left
    monitor_refused = Signal(str)  # a monitor leg came without a valid grant: why
    lead_leg_changed = Signal(object)  # CallInfo of our own monitor leg (a lead's desk)
    sip_message = Signal(str)  # a SIP message the engine sent or received, scrubbed
    line_state_changed = Signal(object)  # LineInfo: a watched outside extension's line
    address_changed = Signal(str)  # "host:port" listened on after the PC's address changed
    recording_changed = Signal(object)  # RecordingInfo: a call's recording started, paused…
    # The proxy's own:
    engine_state_changed = Signal(object)  # EngineState
    command_failed = Signal(str, str)  # a sentence, a reason word (as PhoneError's)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        wall_clock: Callable[[], float] = time.time,
        awake_clock: Callable[[], float] = _awake_clock,
        engine_prefix: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        # A command the engine runs under (a test's ``ip netns exec NAME``: the desk's PC in a
        # network namespace whose address the test changes); empty on a desk.
        self.engine_prefix = tuple(engine_prefix)
        self.wall_clock = wall_clock  # unix time of CallInfo's stamps (re-based from the engine's)
        self.awake_clock = awake_clock  # seconds, counting sleep: the heartbeat's gap (wake)
        self.registration = RegistrationInfo(RegistrationState.UNREGISTERED)
        self.headset: RemoteHeadset | None = None
        self.engine_state = EngineState.STOPPED
        self.restarts = 0  # engines started after the first (a test and the log read it)
        self.engine_pid = 0
        self.config = PhoneConfig()
        self._address = ""
        self._calls: dict[int, CallInfo] = {}
        self._lead_legs: dict[int, CallInfo] = {}
        self._monitors: dict[int, MonitorInfo] = {}
        self._lines: dict[str, LineInfo] = {}  # watched outside extensions, as last reported
        self.line_state_changed.connect(self._remember_line)
        self._authoriser: Callable[[str], MonitorMode | None] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._channel: Channel | None = None
        self._output: QSocketNotifier | None = None
        self._output_carry = b""
        self._generation = 0
        self._dials = 0
        self._commands = 0
        self._answers: dict[int, Callable[[dict[str, Json]], None]] = {}
        self._heard_at = 0.0
        self._last_beat = 0.0
        self._running_since = 0.0
        self._failures = 0
        self._corpses: list[subprocess.Popen[bytes]] = []
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._beat)
        self._restart = QTimer(self)
        self._restart.setSingleShot(True)
        self._restart.timeout.connect(self._spawn)
        # The last SIP messages of every engine this desk ran (scrubbed in the engine), for
        # the diagnostics bundle: kept here, so a trace survives the engine that wrote it.
        self.sip_trace = SipTrace()
        self.sip_message.connect(self._traced)
        self.address_changed.connect(self._moved)  # first: later slots read the new address

    # -- life ---------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.engine_state == EngineState.RUNNING

    def _traced(self, message: str) -> None:
        self.sip_trace.add(message)
        level = sip_log_level(self.config.sip_log_level)
        if level:
            sip_log.log(level, "%s", message)

    @property
    def local_address(self) -> str:
        return self._address

    @property
    def contact_uri(self) -> str:
        """Where this phone is reached: at the registrar's domain, or straight at our port."""
        if not self.running:
            return ""
        if self.config.registrar:
            return f"sip:{self.config.user}@{self.config.domain}"
        return f"sip:{self.config.user}@{self._address}"

    def start(self, config: PhoneConfig, headset: RemoteHeadset | None = None) -> None:
        """Start the engine with this account; returns at once. ``engine_state_changed``
        says RUNNING (``local_address`` set) or FAILED (``command_failed`` says why).

        With ``headset``, call audio goes to and from the OS devices (in the engine);
        without, the engine runs on pjsua2's null device (headless, tests)."""
        if self.engine_state not in (EngineState.STOPPED, EngineState.FAILED):
            raise PhoneError("The phone is already started.")
        self.config = config
        self.headset = headset
        if headset is not None:
            headset._phone = self
        self._failures = 0
        self._spawn()
        self._last_beat = self.awake_clock()  # a desk busy before the first beat blames no one
        self._heartbeat.start()

    def _moved(self, address: str) -> None:
        log.info("phone: the PC's address changed; listening on %s", address)
        self._address = address

    def wait_ready(self, timeout_s: float = 30.0) -> str:
        """Block until the engine runs and return its address (tests, benchmarks, tools with
        no event loop to wait in; never on a desk's GUI thread). Raises PhoneError."""
        deadline = time.monotonic() + timeout_s
        while self.engine_state in (EngineState.STARTING, EngineState.RESTARTING):
            left = deadline - time.monotonic()
            if left <= 0:
                raise PhoneError("The phone engine did not start in time.", "start")
            channel = self._channel
            if channel is None:  # between two engines: the restart timer is due
                if not self._restart.isActive():
                    break
                time.sleep(min(0.05, left))  # no event loop here to run the timer
                if self._restart.remainingTime() <= 0:
                    self._restart.stop()
                    self._spawn()
                continue
            readable, _, _ = select.select([channel.sock], [], [], min(0.05, left))
            if readable:
                channel.read_now()
        if not self.running:
            raise PhoneError("The phone engine could not start.", "start")
        return self._address

    def stop(self) -> None:
        """Tell the engine to end its calls and stop; kill it if it has not in a few seconds.
        At quit only: this waits (bounded)."""
        self._heartbeat.stop()
        self._restart.stop()
        process, channel = self._process, self._channel
        self._set_state(EngineState.STOPPED)
        if channel is not None and process is not None:
            channel.send({"id": self._next_command(), "op": "stop", "args": {}})
            channel.flush(1.0)
            try:
                process.wait(timeout=STOP_WAIT_S)
            except subprocess.TimeoutExpired:
                log.warning("phone engine: did not stop in %.0f s; killed", STOP_WAIT_S)
                process.kill()
                process.wait()
            channel.read_now()  # its last words: the calls it ended
        self._forget_engine()
        self._end_all("Phone stopped")
        for corpse in self._corpses:
            with contextlib.suppress(Exception):
                corpse.kill()
                corpse.wait(1.0)
        self._corpses.clear()

    def stop_soon(self, done: Callable[[], None] = lambda: None) -> None:
        """``stop`` without waiting on the GUI thread (sign-out): the engine is told to stop
        (it ends its calls with BYE and un-registers, within its own bound) and watched from
        the event loop until it exits, killed if it is still there after ``STOP_WAIT_S``;
        then ``done``. The window stays responsive however slowly the PBX answers."""
        self._heartbeat.stop()
        self._restart.stop()
        process, channel = self._process, self._channel
        self._set_state(EngineState.STOPPED)  # the channel closing is no death to restart from
        if channel is not None and process is not None:
            channel.send({"id": self._next_command(), "op": "stop", "args": {}})
        deadline = time.monotonic() + STOP_WAIT_S

        def gone() -> None:
            if process is not None and process.poll() is None:
                if time.monotonic() < deadline:
                    QTimer.singleShot(20, self, gone)
                    return
                log.warning("phone engine: did not stop in %.0f s; killed", STOP_WAIT_S)
                process.kill()
                self._corpses.append(process)  # reaped with the others
            if channel is not None and not channel.closed:
                channel.read_now()  # its last words: the calls it ended
            if self._process is process:  # (not a newer engine started meanwhile)
                self._forget_engine()
                self._end_all("Phone stopped")
            done()

        QTimer.singleShot(20, self, gone)

    def kill_engine(self, sig: int = signal.SIGKILL) -> None:
        """Send the engine a signal (tests of the supervision; a stuck engine at quit)."""
        if self._process is not None and self._process.poll() is None:
            os.kill(self._process.pid, sig)

    def inspect(self, answer: Callable[[dict[str, Any]], None]) -> None:
        """For tests: what only the engine knows (pjsua2's call objects, RTCP sent)."""
        self._command("inspect", {}, lambda message: answer(message.get("result", {})))

    # -- calls --------------------------------------------------------------------------------

    def calls(self) -> list[CallInfo]:
        return [c for c in self._calls.values() if c.state != CallState.ENDED]

    def call(self, call_id: int) -> CallInfo | None:
        return next((c for c in self.calls() if c.call_id == call_id), None)

    def active_call(self) -> CallInfo | None:
        """The call the agent is talking on (connected and not held), if any."""
        return next((c for c in self.calls() if c.state == CallState.CONNECTED), None)

    def monitors(self) -> list[MonitorInfo]:
        return list(self._monitors.values())

    def lines(self) -> list[LineInfo]:
        """Watched outside extensions' lines (``PhoneConfig.watched_lines``), as the engine
        last reported them."""
        return list(self._lines.values())

    def _remember_line(self, line: LineInfo) -> None:
        self._lines[line.extension] = line

    def dial(self, target: str, headers: dict[str, str] | None = None) -> CallInfo:
        """Call a SIP URI, or a number/extension at the account's domain. Returns the call
        (DIALING) at once; the engine reports the rest."""
        target = target.strip()
        if not target:
            raise PhoneError("Enter a number to call.", "no_number")
        self._require_running()
        lead_leg = MONITOR_HEADER in (headers or {})
        if not lead_leg and len(self.calls()) >= self.config.max_calls:
            raise PhoneError(
                f"This phone can hold {self.config.max_calls} calls at once; end one first.",
                "max_calls",
            )
        self._dials += 1
        call_id = self._generation * CALL_ID_SPAN + DESK_IDS + self._dials
        info = CallInfo(
            call_id,
            CallDirection.OUTBOUND,
            CallState.DIALING,
            target,
            _number(target),
            started_at=self.wall_clock(),
        )
        if lead_leg:
            self._lead_legs[call_id] = info
        else:
            self._calls[call_id] = info

        def refused(message: dict[str, Json]) -> None:
            ended = replace(
                info,
                state=CallState.ENDED,
                reason=str(message.get("error", "")),
                status_code=0,
            )
            self._call_event("lead_leg_changed" if lead_leg else "call_state_changed", ended)

        self._command(
            "dial",
            {"target": target, "headers": dict(headers or {}), "call_id": call_id},
            failed=refused,
        )
        if lead_leg:
            self.lead_leg_changed.emit(info)
        else:
            self.call_state_changed.emit(info)
        return info

    def answer(self, call_id: int) -> None:
        self._on_call("answer", call_id)

    def reject(self, call_id: int, busy: bool = False) -> None:
        self._on_call("reject", call_id, busy=busy)

    def hangup(self, call_id: int) -> None:
        if call_id in self._lead_legs:
            self._require_running()
            self._command("hangup", {"call_id": call_id})
            return
        self._on_call("hangup", call_id)

    def hold(self, call_id: int) -> None:
        self._on_call("hold", call_id)

    def resume(self, call_id: int) -> None:
        self._on_call("resume", call_id)

    def set_mute(self, call_id: int, muted: bool) -> None:
        self._on_call("set_mute", call_id, muted=muted)

    def send_dtmf(self, call_id: int, digits: str, method: DtmfMethod | None = None) -> None:
        bad = [d for d in digits if d not in "0123456789*#ABCD"]
        if bad:
            raise PhoneError(f"{bad[0]!r} is not a telephone key.", "bad_key")
        self._on_call("send_dtmf", call_id, digits=digits, method=method)

    def blind_transfer(self, call_id: int, target: str, note: str = "") -> None:
        """REFER the far end to ``target``; a warm-transfer note rides in the Refer-To URI."""
        self._on_call("blind_transfer", call_id, target=target, note=note)

    def attended_transfer(self, call_id: int, consult_call_id: int) -> None:
        self._known(consult_call_id)
        self._on_call("attended_transfer", call_id, consult_call_id=consult_call_id)

    def conference(self, call_ids: list[int]) -> None:
        """Join these calls into one three-way (or more) call; held ones are resumed."""
        if len(call_ids) < 2:
            raise PhoneError("A conference needs two calls.", "conference")
        self._require_running()
        for call_id in call_ids:
            self._known(call_id)
        self._command("conference", {"call_ids": list(call_ids)})

    def network_changed(self) -> None:
        """Call when the network comes back or the address changes (sleep is detected in the
        engine: its poll timer stood still)."""
        if self.running:
            self._command("network_changed", {})

    def test_audio(self, tone_hz: int = 0, record_path: str = "") -> None:
        """Test peers only: a steady tone into every call, or a WAV of what the phone hears."""
        self._require_running()
        self._command("test_audio", {"tone_hz": tone_hz, "record_path": record_path})

    # -- recording (issue 20) -------------------------------------------------------------

    def configure_recording(self, settings: RecordingSettings) -> None:
        """The centre's recording settings, for calls that connect from now on (kept for an
        engine started or restarted later)."""
        self.config = replace(self.config, recording=settings)
        if self.running:
            self._command("configure_recording", {"settings": settings})

    def pause_recording(self, call_id: int, reason: str, by: str = "") -> None:
        """Silence on the call's recording until resumed (``recording_changed`` says PAUSED,
        with the countdown's end when the centre resumes by itself)."""
        self._on_call("pause_recording", call_id, reason=reason, by=by)

    def resume_recording(self, call_id: int) -> None:
        self._on_call("resume_recording", call_id)

    def label_recording(self, call_id: int, labels: RecordingLabels) -> None:
        """What the desk knows of the call, for its recording's metadata."""
        if self.running and self.call(call_id) is not None:
            self._command("label_recording", {"call_id": call_id, "labels": labels})

    # -- monitoring ---------------------------------------------------------------------------

    def set_monitor_authoriser(self, check: Callable[[str], MonitorMode | None] | None) -> None:
        """Who decides whether a lead's leg may join (the grants the server sent this desk);
        the engine asks across the channel when a leg arrives."""
        self._authoriser = check

    def set_monitor_mode(self, leg_id: int, mode: MonitorMode) -> None:
        if leg_id not in self._monitors:
            raise PhoneError(f"There is no monitor leg {leg_id}.", "no_call")
        self._require_running()
        self._command("set_monitor_mode", {"leg_id": leg_id, "mode": mode})

    def end_monitor(self, leg_id: int, reason: str) -> None:
        if self.running:
            self._command("end_monitor", {"leg_id": leg_id, "reason": reason})

    # -- commands -----------------------------------------------------------------------------

    def _require_running(self) -> None:
        if self.running:
            return
        if self.engine_state in (EngineState.RESTARTING, EngineState.STARTING):
            raise PhoneError("The phone is restarting; try again in a moment.", "restarting")
        raise PhoneError("The phone is not started.", "not_started")

    def _known(self, call_id: int) -> None:
        # A lead's own monitor leg is no call of the desk's, but the lead mutes and hangs it up.
        if self.call(call_id) is None and call_id not in self._lead_legs:
            raise PhoneError(f"There is no call {call_id}.", "no_call")

    def _on_call(self, op: str, call_id: int, **args: Any) -> None:
        self._require_running()
        self._known(call_id)
        self._command(op, {"call_id": call_id, **args})

    def _next_command(self) -> int:
        self._commands += 1
        return self._commands

    def _command(
        self,
        op: str,
        args: dict[str, Any],
        answer: Callable[[dict[str, Json]], None] | None = None,
        failed: Callable[[dict[str, Json]], None] | None = None,
    ) -> None:
        channel = self._channel
        if channel is None:
            return
        command_id = self._next_command()

        def answered(message: dict[str, Json]) -> None:
            if message.get("ok"):
                if answer is not None:
                    answer(message)
                return
            if failed is not None:
                failed(message)
            text, reason = str(message.get("error", "")), str(message.get("reason", "sip"))
            log.info("phone engine: %s refused: %s", op, text)
            self.command_failed.emit(text, reason)

        self._answers[command_id] = answered
        channel.send({"id": command_id, "op": op, "args": encode(args)})

    # -- the engine's process -----------------------------------------------------------------

    def _spawn(self) -> None:
        self._generation += 1
        if self._generation > 1:
            self.restarts += 1
        self._set_state(EngineState.STARTING if self._generation == 1 else EngineState.RESTARTING)
        ours, theirs = socket.socketpair()
        root = str(Path(__file__).resolve().parents[1])
        path = os.environ.get("PYTHONPATH", "")
        env = {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}
        try:
            process = subprocess.Popen(
                [
                    *self.engine_prefix,
                    sys.executable,
                    "-m",
                    "softphone.engine",
                    "--fd",
                    str(theirs.fileno()),
                ],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
            )
        except OSError as exc:
            ours.close()
            theirs.close()
            self._gave_up(f"The phone engine could not be started: {exc}")
            return
        theirs.close()  # only the engine holds it now: its death is our end-of-file
        self._process = process
        self.engine_pid = process.pid
        self._channel = Channel(ours, self._on_message, self._on_closed, self)
        assert process.stdout is not None
        os.set_blocking(process.stdout.fileno(), False)
        self._output = QSocketNotifier(process.stdout.fileno(), QSocketNotifier.Type.Read, self)
        self._output.activated.connect(self._read_output)
        self._heard_at = time.monotonic() + START_GRACE_S - HANG_S
        audio = list(self.headset.wanted) if self.headset is not None else None
        config = self.config
        self._command(
            "start",
            {
                "config": config,
                "audio": audio,
                "first_call_id": self._generation * CALL_ID_SPAN,
                # pjsip's own chatter crosses the channel only when this desk would log it.
                "pjsip_debug": config.sip_log_level == "debug"
                and logging.getLogger("softphone.pjsua").isEnabledFor(logging.DEBUG),
            },
            answer=self._started,
            failed=self._start_refused,
        )

    def _started(self, message: dict[str, Json]) -> None:
        result = message.get("result") or {}
        self._address = str(result.get("address", ""))
        if not self.config.port and self._address.rpartition(":")[2].isdigit():
            # A restarted engine listens where this one did: direct callers and the
            # registrar's binding stay valid.
            self.config = replace(self.config, port=int(self._address.rpartition(":")[2]))
        self._running_since = self._heard_at = time.monotonic()  # the start's grace is over
        log.info(
            "phone engine %d: listening on %s (%s)",
            self.engine_pid,
            self._address,
            self.config.transport.value,
        )
        self._set_state(EngineState.RUNNING)
        if self.registration.state == RegistrationState.UNREGISTERED:
            self.registration_changed.emit(self.registration)  # "direct calls to <address>"

    def _start_refused(self, message: dict[str, Json]) -> None:
        text = str(message.get("error", ""))
        if self._generation == 1:  # the configuration: a retry would fail the same way
            self._stop_quietly()
            self._set_state(EngineState.FAILED)
            return
        log.warning("phone engine: restart failed: %s", text)
        self._stop_quietly()
        self._schedule_restart()

    def _stop_quietly(self) -> None:
        process, channel = self._process, self._channel
        if channel is not None:
            channel.send({"id": self._next_command(), "op": "stop", "args": {}})
        self._forget_engine()
        if process is not None:
            self._corpses.append(process)

    def _forget_engine(self) -> None:
        if self._channel is not None:
            self._channel.close()
        self._channel = None
        if self._output is not None:
            self._read_output()
            self._output.setEnabled(False)
            self._output.deleteLater()
        self._output = None
        if self._process is not None and self._process.stdout is not None:
            self._process.stdout.close()
        self._process = None
        self._answers.clear()
        self._address = ""

    def _on_closed(self) -> None:
        """End of file on the channel: the engine is gone (or going: its exit status is a
        moment behind its sockets, and the log should say how it died)."""
        if self.engine_state == EngineState.STOPPED:
            return
        self._await_exit(self._process, time.monotonic() + EXIT_WAIT_S)

    def _await_exit(self, process: subprocess.Popen[bytes] | None, deadline: float) -> None:
        if process is not self._process or self.engine_state == EngineState.STOPPED:
            return  # handled meanwhile (the heartbeat, a stop)
        if process is None or process.poll() is not None or time.monotonic() > deadline:
            self._engine_died("its channel closed")
            return
        QTimer.singleShot(10, self, lambda: self._await_exit(process, deadline))

    def _engine_died(self, why: str) -> None:
        process = self._process
        status = ""
        if process is not None:
            if process.poll() is None:
                process.kill()  # hung, or closed the channel and lingers: no second engine
            else:
                code = process.returncode
                status = (
                    f" ({signal.Signals(-code).name})" if code < 0 else f" (exit status {code})"
                )
            self._corpses.append(process)
        log.error("phone engine %d died%s: %s", self.engine_pid, status, why)
        self._forget_engine()
        self._end_all(ENGINE_LOST)
        if self.config.registrar:
            self.registration = RegistrationInfo(
                RegistrationState.REGISTERING, registrar=self.config.registrar
            )
        else:
            self.registration = RegistrationInfo(RegistrationState.UNREGISTERED)
        self._set_state(EngineState.RESTARTING)
        self.registration_changed.emit(self.registration)
        self._schedule_restart()

    def _schedule_restart(self) -> None:
        self._failures += 1
        if self._failures > MAX_RESTARTS:
            self._gave_up(
                f"The phone engine failed {MAX_RESTARTS} times in a row; restart the app."
            )
            return
        delay = BACKOFF_S[min(self._failures - 1, len(BACKOFF_S) - 1)]
        self._set_state(EngineState.RESTARTING)
        self._restart.start(int(delay * 1000))

    def _gave_up(self, text: str) -> None:
        log.error("phone engine: %s", text)
        self._heartbeat.stop()
        self._set_state(EngineState.FAILED)
        self.command_failed.emit(text, "engine")

    def _end_all(self, reason: str) -> None:
        """End, as lost, every call the desk knew: the agent and the records hear of it."""
        calls, legs, monitors = (
            list(self._calls.values()),
            list(self._lead_legs.values()),
            list(self._monitors.values()),
        )
        self._calls.clear()
        self._lead_legs.clear()
        self._monitors.clear()
        # What the lost engine said of the lines is no longer known (the next one says again).
        for line in list(self._lines.values()):
            self.line_state_changed.emit(LineInfo(line.extension, LineState.UNKNOWN))
        for monitor in monitors:
            self.monitor_changed.emit(replace(monitor, ended=True, reason=reason.lower()))
        for info in legs:
            self.lead_leg_changed.emit(replace(info, state=CallState.ENDED, reason=reason))
        for info in calls:
            if info.state != CallState.ENDED:
                self.call_state_changed.emit(
                    replace(info, state=CallState.ENDED, reason=reason, status_code=0)
                )

    def _beat(self) -> None:
        for corpse in list(self._corpses):  # reap the dead: no zombies on a long shift
            if corpse.poll() is not None:
                self._corpses.remove(corpse)
        process = self._process
        if process is None or self._channel is None:
            return
        now = time.monotonic()
        awake = self.awake_clock()
        gap = awake - self._last_beat if self._last_beat else 0.0
        self._last_beat = awake
        if gap > HANG_S / 2:
            # This timer stood still: the desk froze or the PC slept, not the engine. It is
            # heard from afresh; after sleep the registration has expired at the PBX and the
            # address may be new (the engine's own poll notices too; twice does no harm).
            self._heard_at = now
            if gap > WAKE_GAP_S and self.running:
                log.info("phone: %.0f s without a heartbeat; re-registering", gap)
                self.network_changed()
        if process.poll() is not None:
            self._engine_died("the process ended")
            return
        if now - self._heard_at > HANG_S:
            self._engine_died(f"no answer for {now - self._heard_at:.0f} s")
            return
        if self.running and self._failures and now - self._running_since > HEALTHY_S:
            self._failures = 0
        self._channel.send({"id": self._next_command(), "op": "ping", "args": {}})

    def _read_output(self) -> None:
        """The engine's stdout and stderr (pjlib's banner, an assertion before an abort) go
        to the desk's log, a line at a time."""
        process = self._process
        if process is None or process.stdout is None:
            return
        try:
            data = os.read(process.stdout.fileno(), 65536)
        except (BlockingIOError, OSError, ValueError):
            return
        if not data:
            if self._output is not None:
                self._output.setEnabled(False)
            return
        lines = (self._output_carry + data).split(b"\n")
        self._output_carry = lines.pop()
        for line in lines:
            text = line.decode(errors="replace").rstrip()
            if text:
                loud = any(word in text for word in ("Assert", "Error", "Traceback", "Fatal"))
                log.log(
                    logging.WARNING if loud else logging.INFO,
                    "phone engine %d: %s",
                    self.engine_pid,
                    text,
                )

    def _set_state(self, state: EngineState) -> None:
        if state == self.engine_state:
            return
        self.engine_state = state
        self.engine_state_changed.emit(state)

    # -- events -------------------------------------------------------------------------------

    def _on_message(self, message: dict[str, Json]) -> None:
        self._heard_at = max(self._heard_at, time.monotonic())
        if "re" in message:
            command_id = message.get("re")
            handler = self._answers.pop(command_id, None) if isinstance(command_id, int) else None
            if handler is not None:
                handler(message)
            return
        name = str(message.get("ev", ""))
        args = decode(message.get("args", []))
        at = message.get("at")
        if isinstance(at, int | float):
            offset = self.wall_clock() - float(at)
            args = [_rebased(arg, offset) for arg in args]
        self._event(name, args)

    def _event(self, name: str, args: list[Any]) -> None:
        if name == "log":
            level, logger, text = args
            logging.getLogger(str(logger)).log(int(level), "[engine] %s", text)
        elif name == "grant_asked":
            token = str(args[0])
            mode = self._authoriser(token) if self._authoriser is not None else None
            self._command("grant", {"token": token, "mode": mode})
        elif name in CALL_EVENTS:
            self._call_event(name, args[0])
        elif name == "monitor_changed":
            info: MonitorInfo = args[0]
            if info.ended:
                self._monitors.pop(info.leg_id, None)
            else:
                self._monitors[info.leg_id] = info
            self.monitor_changed.emit(info)
        elif name == "registration_changed":
            self.registration = args[0]
            self.registration_changed.emit(args[0])
        elif name in ("audio_devices_changed", "level_changed", "device_lost"):
            self._headset_event(name, args)
        elif name == "hello":
            log.debug("phone engine %s: up", args[0])
        else:
            signal_ = getattr(type(self), name, None)
            if isinstance(signal_, Signal):
                getattr(self, name).emit(*args)
            else:
                log.debug("phone engine: event %s not known here", name)

    def _headset_event(self, name: str, args: list[Any]) -> None:
        headset = self.headset
        if name == "audio_devices_changed":
            if headset is not None:
                headset._in_use(str(args[0]), str(args[1]))
            self.audio_devices_changed.emit(str(args[0]), str(args[1]))
        elif name == "level_changed" and headset is not None:
            headset.level_changed.emit(float(args[0]))
        elif name == "device_lost" and headset is not None:
            headset.device_lost.emit(str(args[0]))

    def _call_event(self, name: str, info: CallInfo) -> None:
        if name != "lead_leg_changed" and info.call_id in self._lead_legs:
            return  # our own monitor leg is never one of the agent's calls (no phantom)
        table = self._lead_legs if name == "lead_leg_changed" else self._calls
        if info.state == CallState.ENDED:
            table.pop(info.call_id, None)
        else:
            table[info.call_id] = info
        getattr(self, name).emit(info)


def _rebased(value: Any, offset: float) -> Any:
    """A dataclass with its ``*_at`` stamps moved from the engine's clock to the desk's."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type) or not offset:
        return value
    changes = {
        item.name: getattr(value, item.name) + offset
        for item in dataclasses.fields(value)
        if item.name.endswith("_at")
        and isinstance(getattr(value, item.name), float)
        and getattr(value, item.name)
    }
    return replace(value, **changes) if changes else value
