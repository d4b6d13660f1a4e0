"""``LocalPhone``: pjsua2 behind Qt signals and plain methods, in this process.

It runs inside the phone engine's process (``softphone.engine``), where pjsua2 is polled from
a 10 ms timer on the engine's one thread, so every SIP callback and every signal happens on
that thread; nothing is shared. The desk uses ``softphone.Phone``, the proxy with the same
signals and methods; ``LocalPhone`` in the desk's own process is only for benchmarks (the
in-process figure) and single-desk tools.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from softphone._pj import Listener, PjStack
from softphone.audio import HeadsetBridge
from softphone.errors import PhoneError
from softphone.events import (
    CallInfo,
    CallState,
    DtmfMethod,
    EngineState,
    LineInfo,
    MonitorInfo,
    MonitorMode,
    PhoneConfig,
    RecordingLabels,
    RecordingSettings,
    RegistrationInfo,
    RegistrationState,
    Transport,
)
from softphone.transfer_note import with_note

log = logging.getLogger(__name__)

__all__ = ["LocalPhone", "PhoneError"]

WAKE_GAP_S = 20.0  # the poll timer stood still this long: the PC slept (or was frozen)
POLL_MS = 10  # idle: a 10 ms poll costs ~2 % of a core and a ringing call shows in time
BURST_POLL_MS = 0  # right after SIP activity, answers are milliseconds away: poll at once
BURST_S = 0.3
BURST_WAIT_MS = 1  # the longest the GUI thread waits in pjlib per poll, only during a burst


class LocalPhone(QObject):
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
    sip_message = Signal(str)  # a SIP message sent or received, scrubbed (softphone.sip_log)
    line_state_changed = Signal(object)  # LineInfo: a watched outside extension's line
    address_changed = Signal(str)  # "host:port" listened on after the PC's address changed
    recording_changed = Signal(object)  # RecordingInfo: a call's recording started, paused…
    # As the desk's proxy has them (in this process there is no engine to lose: never emitted
    # by the stack; the panel works with either phone).
    engine_state_changed = Signal(object)  # EngineState
    command_failed = Signal(str, str)

    def __init__(
        self, parent: QObject | None = None, *, wall_clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(parent)
        self.wall_clock = wall_clock  # unix time of CallInfo's stamps
        self._stack = PjStack(
            Listener(
                incoming=self._incoming,
                call_changed=self._call_changed,
                registration=self._registered,
                dtmf=self.dtmf_received.emit,
                transfer=self._transfer,
                media=self.call_media_changed.emit,
                monitor=self.monitor_changed.emit,
                monitor_refused=self.monitor_refused.emit,
                lead_leg=self.lead_leg_changed.emit,
                sip_message=self.sip_message.emit,
                line=self.line_state_changed.emit,
                address=self.address_changed.emit,
                recording=self.recording_changed.emit,
            ),
            wall_clock,
        )
        self.registration = RegistrationInfo(RegistrationState.UNREGISTERED)
        self.headset: HeadsetBridge | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._burst_until = 0.0
        self._last_poll = 0.0

    # -- life ---------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._stack.running

    @property
    def engine_state(self) -> EngineState:
        return EngineState.RUNNING if self.running else EngineState.STOPPED

    @property
    def local_address(self) -> str:
        return self._stack.local_address

    @property
    def contact_uri(self) -> str:
        """Where this phone is reached: at the registrar's domain, or straight at our port."""
        config = self._stack.config
        if not self.running:
            return ""
        if config.registrar:
            return f"sip:{config.user}@{config.domain}"
        return f"sip:{config.user}@{self._stack.local_address}"

    def start(self, config: PhoneConfig, headset: HeadsetBridge | None = None) -> str:
        """Start SIP; returns "host:port" it listens on. Raises PhoneError with a sentence.

        With ``headset``, call audio goes to and from the OS devices through it; without, the
        phone runs on pjsua2's null device (headless, tests)."""
        address = self._stack.start(config)
        if headset is not None:
            self._stack.attach_audio(headset.pull_frame, headset.push_frame)
        self.headset = headset
        if headset is not None:
            headset.devices_changed.connect(self.audio_devices_changed.emit)
        self._timer.start()
        log.info("phone: listening on %s (%s)", address, config.transport.value)
        return address

    def stop(self) -> None:
        """End the calls and shut SIP down (bounded: about 2 s at most)."""
        self._timer.stop()
        self._stack.stop()
        if self.headset is not None:
            self.headset.close()

    # -- calls --------------------------------------------------------------------------------

    def calls(self) -> list[CallInfo]:
        return self._stack.calls()

    def lines(self) -> list[LineInfo]:
        """Watched outside extensions' lines (``PhoneConfig.watched_lines``)."""
        return self._stack.lines()

    def call(self, call_id: int) -> CallInfo | None:
        return next((c for c in self.calls() if c.call_id == call_id), None)

    def dial(
        self, target: str, headers: dict[str, str] | None = None, call_id: int | None = None
    ) -> CallInfo:
        """Call a SIP URI, or a number/extension at the account's domain. ``call_id``: the id
        the desk gave the call already (the engine's proxy answers at once)."""
        target = target.strip()
        if not target:
            raise PhoneError("Enter a number to call.", "no_number")
        info = self._stack.dial(self._uri(target), headers, serial=call_id)
        self._kick()
        if self._stack.is_lead_leg(info.call_id):
            self.lead_leg_changed.emit(info)
        else:
            self.call_state_changed.emit(info)
        return info

    # -- monitoring ---------------------------------------------------------------------------

    def set_monitor_authoriser(self, check: Callable[[str], MonitorMode | None] | None) -> None:
        """Who decides whether a lead's leg may join (the grants the server sent this desk)."""
        self._stack.monitor_auth = check

    def monitors(self) -> list[MonitorInfo]:
        return self._stack.monitors()

    def set_monitor_mode(self, leg_id: int, mode: MonitorMode) -> None:
        self._stack.set_monitor_mode(leg_id, mode)
        self._kick()

    def end_monitor(self, leg_id: int, reason: str) -> None:
        self._stack.end_leg(leg_id, reason)
        self._kick()

    def _uri(self, target: str) -> str:
        """A SIP URI as typed, or a number/extension at the account's domain."""
        text = "".join(target.split()) if ":" not in target else target.strip()
        uri = text if text.lower().startswith(("sip:", "sips:", "tel:")) else f"sip:{text}"
        if "@" not in uri and not uri.lower().startswith("tel:"):
            uri = f"{uri}@{self._stack.config.domain}"
        transport = self._stack.config.transport
        if transport != Transport.UDP and ";transport=" not in uri.lower():
            uri += f";transport={transport.value}"  # else pjsip looks for a UDP transport
        return uri

    def answer(self, call_id: int) -> None:
        self._stack.answer(call_id)
        self._kick()

    def reject(self, call_id: int, busy: bool = False) -> None:
        self._stack.hangup(call_id, 486 if busy else 603)
        self._kick()

    def hangup(self, call_id: int) -> None:
        self._stack.hangup(call_id)
        self._kick()

    def hold(self, call_id: int) -> None:
        self._stack.hold(call_id)
        self._kick()

    def resume(self, call_id: int) -> None:
        self._stack.resume(call_id)
        self._kick()

    def set_mute(self, call_id: int, muted: bool) -> None:
        self._stack.set_mute(call_id, muted)

    def send_dtmf(self, call_id: int, digits: str, method: DtmfMethod | None = None) -> None:
        bad = [d for d in digits if d not in "0123456789*#ABCD"]
        if bad:
            raise PhoneError(f"{bad[0]!r} is not a telephone key.", "bad_key")
        self._stack.send_dtmf(call_id, digits, method or self._stack.config.dtmf)
        self._kick()

    def blind_transfer(self, call_id: int, target: str, note: str = "") -> None:
        """REFER the far end to ``target``; a warm-transfer note rides in the Refer-To URI
        for the transferee to put in its INVITE (softphone.transfer_note)."""
        self._stack.blind_transfer(call_id, with_note(self._uri(target), note))
        self._kick()

    def attended_transfer(self, call_id: int, consult_call_id: int) -> None:
        self._stack.attended_transfer(call_id, consult_call_id)
        self._kick()

    def network_changed(self) -> None:
        """Call when the network comes back or the address changes (the desktop watches
        Qt's network information; sleep is detected here)."""
        self._stack.network_changed()
        self._kick()

    def test_audio(self, tone_hz: int = 0, record_path: str = "") -> None:
        """Test peers only: a steady tone into every call, or a WAV of what the phone hears."""
        self._stack.test_audio(tone_hz, record_path)

    def conference(self, call_ids: list[int]) -> None:
        """Join these calls into one three-way (or more) call; held ones are resumed."""
        if len(call_ids) < 2:
            raise PhoneError("A conference needs two calls.", "conference")
        for call_id in call_ids:
            info = self.call(call_id)
            if info is not None and info.state == CallState.HELD:
                self._stack.resume(call_id)
        self._stack.conference(call_ids)
        self._kick()

    # -- recording (issue 20) -------------------------------------------------------------

    def configure_recording(self, settings: RecordingSettings) -> None:
        """The centre's recording settings, for calls that connect from now on."""
        self._stack.recordings.configure(settings)

    def pause_recording(self, call_id: int, reason: str, by: str = "") -> None:
        """Silence on the call's recording (PCI: a card number is read out) until resumed,
        by the agent, by the countdown (``RecordingSettings.auto_resume_s``) or the call's end."""
        self._stack.pause_recording(call_id, reason, by)

    def resume_recording(self, call_id: int) -> None:
        self._stack.resume_recording(call_id)

    def label_recording(self, call_id: int, labels: RecordingLabels) -> None:
        """What the desk knows of the call, for its recording's metadata."""
        self._stack.label_recording(call_id, labels)

    def active_call(self) -> CallInfo | None:
        """The call the agent is talking on (connected and not held), if any."""
        return next((c for c in self.calls() if c.state == CallState.CONNECTED), None)

    # -- polling ------------------------------------------------------------------------------

    def _poll(self) -> None:
        now = time.monotonic()
        if self._last_poll and now - self._last_poll > WAKE_GAP_S:
            # Back from sleep: the registration has expired at the PBX and the address may be
            # new. Without this the first call after wake does not ring (browser phones' bug).
            log.info("phone: %.0f s without polling; re-registering", now - self._last_poll)
            self.network_changed()
        self._last_poll = now
        # In a burst, wait up to 1 ms inside pjlib's poll: it returns the moment a packet
        # lands, where a 1 ms timer would add half a millisecond per message on average.
        self._stack.handle_events(BURST_WAIT_MS if self._burst_until else 0)
        if self._burst_until and time.monotonic() > self._burst_until:
            self._burst_until = 0.0
            self._timer.setTimerType(Qt.TimerType.CoarseTimer)
            self._timer.setInterval(POLL_MS)

    def _kick(self) -> None:
        """SIP is busy (we sent something, or something arrived): the next message is likely
        milliseconds away, so poll every millisecond for a moment instead of every 10."""
        self._burst_until = time.monotonic() + BURST_S
        if self._timer.interval() != BURST_POLL_MS:
            self._timer.setTimerType(Qt.TimerType.PreciseTimer)
            self._timer.setInterval(BURST_POLL_MS)

    def _incoming(self, info: CallInfo) -> None:
        self._kick()
        self.incoming_call.emit(info)

    def _call_changed(self, info: CallInfo) -> None:
        self._kick()
        self.call_state_changed.emit(info)

    def _transfer(self, call_id: int, status: int, final: bool) -> None:
        self.transfer_progress.emit(call_id, status, final)
        if final and 200 <= status < 300 and self.call(call_id) is not None:
            # The caller has reached the new party: this leg is done (the agent leaves).
            with contextlib.suppress(PhoneError):
                self._stack.hangup(call_id)

    def _registered(self, info: RegistrationInfo) -> None:
        self.registration = info
        self.registration_changed.emit(info)
