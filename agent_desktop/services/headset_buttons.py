"""Headset buttons: a USB telephony headset's hook switch, mute and flash drive the phone, and
its ring / off-hook / mute / hold LEDs follow the calls.

The headset is read on its own thread (softphone.hid.device.HeadsetReader); every event and
status comes to the GUI thread through TaskRunner.post, so the phone is only ever touched
there. What a button means is decided here, from the calls as they are when it is pressed
(``press``): the headset only knows which button, the desk knows which call.

Choice of headset (``[audio] headset_buttons``, or the Audio devices dialog, remembered on
this PC): ``auto`` takes the first USB headset on the Telephony usage page, ``off`` none, or
``vvvv:pppp`` (vendor:product, hex) that one. No hidapi, no headset, a headset that cannot be
opened (permissions on /dev/hidraw*) or is unplugged: a sentence in the log and in the
dialog, never an error in the agent's face; a headset plugged in later is found within
``RESCAN_MS``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from agent_desktop.tasks import TaskRunner
from softphone import CallDirection, CallInfo, CallState, Phone, PhoneError
from softphone.hid.device import (
    HeadsetReader,
    HidapiBackend,
    HidBackend,
    HidInfo,
    HidUnavailableError,
    telephony_headsets,
)
from softphone.hid.telephony import HeadsetButton, HeadsetEvent, HeadsetLeds

log = logging.getLogger(__name__)

__all__ = ["AUTO", "OFF", "CallControls", "HeadsetButtons", "leds_for", "press"]

AUTO = "auto"
OFF = "off"
RESCAN_MS = 5000  # how soon a headset plugged in (or back) is picked up


class CallControls(Protocol):
    """What the buttons need of the phone (``softphone.Phone`` and its proxies)."""

    def calls(self) -> list[CallInfo]: ...
    def answer(self, call_id: int) -> None: ...
    def hangup(self, call_id: int) -> None: ...
    def reject(self, call_id: int, busy: bool = False) -> None: ...
    def hold(self, call_id: int) -> None: ...
    def resume(self, call_id: int) -> None: ...
    def set_mute(self, call_id: int, muted: bool) -> None: ...


def leds_for(calls: list[CallInfo]) -> HeadsetLeds:
    """The LEDs for these calls: ring while one is offered, off hook while the agent is on
    one (talking, holding or dialling), mute when the call being talked on is muted."""
    talking = next((c for c in calls if c.state == CallState.CONNECTED), None)
    return HeadsetLeds(
        off_hook=any(
            c.state in (CallState.CONNECTED, CallState.HELD, CallState.DIALING)
            or (c.state == CallState.RINGING and c.direction == CallDirection.OUTBOUND)
            for c in calls
        ),
        ring=any(c.state == CallState.INCOMING for c in calls),
        mute=bool(talking and talking.muted),
        hold=any(c.state == CallState.HELD for c in calls),
    )


def press(phone: CallControls, button: HeadsetButton) -> str:
    """Do what ``button`` means with the calls as they are; say what was done ("" for
    nothing: e.g. the hook lifted with no call ringing). PhoneError goes to the caller."""
    calls = phone.calls()
    ringing = [c for c in calls if c.state == CallState.INCOMING]
    talking = next((c for c in calls if c.state == CallState.CONNECTED), None)
    held = [c for c in calls if c.state == CallState.HELD]
    outgoing = [c for c in calls if c.state in (CallState.DIALING, CallState.RINGING)]
    if button == HeadsetButton.HOOK_OFF:
        if ringing and talking is None:
            phone.answer(ringing[0].call_id)
            return f"answered call {ringing[0].call_id}"
        return ""
    if button == HeadsetButton.REJECT:  # declines only: a call in progress is not ended
        if ringing:
            phone.reject(ringing[0].call_id)
            return f"declined call {ringing[0].call_id}"
        return ""
    if button in (HeadsetButton.HOOK_ON, HeadsetButton.DROP):
        target = talking or (outgoing[0] if outgoing else None)
        if target is not None:
            phone.hangup(target.call_id)
            return f"hung up call {target.call_id}"
        if button == HeadsetButton.DROP and ringing:  # a dedicated end button: decline
            phone.reject(ringing[0].call_id)
            return f"declined call {ringing[0].call_id}"
        return ""
    if button in (HeadsetButton.MUTE, HeadsetButton.MUTE_ON, HeadsetButton.MUTE_OFF):
        if talking is None:
            return ""
        muted = {HeadsetButton.MUTE_ON: True, HeadsetButton.MUTE_OFF: False}.get(
            button, not talking.muted
        )
        phone.set_mute(talking.call_id, muted)
        return f"{'muted' if muted else 'unmuted'} call {talking.call_id}"
    return _flash(phone, ringing, talking, held)


def _flash(
    phone: CallControls, ringing: list[CallInfo], talking: CallInfo | None, held: list[CallInfo]
) -> str:
    """Flash: take a waiting call (the current one held), swap between a held and the current
    call, or hold / resume the one call."""
    if talking is not None and ringing:
        phone.hold(talking.call_id)
        phone.answer(ringing[0].call_id)
        return f"held call {talking.call_id}, answered call {ringing[0].call_id}"
    if talking is not None and held:
        phone.hold(talking.call_id)
        phone.resume(held[0].call_id)
        return f"swapped to call {held[0].call_id}"
    if talking is not None:
        phone.hold(talking.call_id)
        return f"held call {talking.call_id}"
    if held:
        phone.resume(held[0].call_id)
        return f"resumed call {held[0].call_id}"
    return ""


class HeadsetButtons(QObject):
    """The headset, once started; ``status`` (a sentence) for the log and the audio dialog."""

    status_changed = Signal(str)

    def __init__(
        self,
        phone: Phone,
        tasks: TaskRunner,
        backend_factory: Callable[[], HidBackend] = HidapiBackend,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.phone = phone
        self.tasks = tasks
        self._backend_factory = backend_factory
        self._backend: HidBackend | None = None
        self.choice = OFF
        self.reader: HeadsetReader | None = None
        self.headsets: list[HidInfo] = []  # as last enumerated
        self.status = self.tr("Headset buttons are off.")
        self._scanning = False
        self._rescan = QTimer(self)
        self._rescan.setInterval(RESCAN_MS)
        self._rescan.timeout.connect(self._scan)
        phone.incoming_call.connect(self._calls_changed)
        phone.call_state_changed.connect(self._calls_changed)

    # -- life ---------------------------------------------------------------------------------

    def start(self, choice: str) -> None:
        """Use the headset ``choice`` names (AUTO, OFF or "vvvv:pppp"); again to change it."""
        self._stop_reader()
        self.choice = choice.strip().lower() or AUTO
        if self.choice == OFF:
            self._rescan.stop()
            self._set_status(self.tr("Headset buttons are off."))
            return
        if self._backend is None:
            try:
                self._backend = self._backend_factory()
            except HidUnavailableError as exc:
                self._set_status(
                    self.tr("Headset buttons are unavailable: %1. Calls work as usual.").replace(
                        "%1", str(exc)
                    ),
                    logging.WARNING,
                )
                return
        self._rescan.start()
        self._scan()

    def close(self) -> None:
        self._rescan.stop()
        self._stop_reader()

    def _stop_reader(self) -> None:
        if self.reader is not None:
            self.reader.stop()
            self.reader = None

    # -- finding the headset (enumeration off the GUI thread) ---------------------------------

    def _scan(self) -> None:
        backend = self._backend
        if backend is None or self._scanning or (self.reader and self.reader.running):
            return
        self._scanning = True
        self.tasks.run_blocking(lambda: telephony_headsets(backend), self._found, self._failed)

    def _failed(self, error: BaseException) -> None:
        self._scanning = False
        self._set_status(
            self.tr("Headset buttons: cannot list USB devices (%1).").replace("%1", str(error)),
            logging.WARNING,
        )

    def _found(self, headsets: list[HidInfo]) -> None:
        self._scanning = False
        self.headsets = headsets
        if self.choice == OFF or self._backend is None or (self.reader and self.reader.running):
            return
        wanted = [h for h in headsets if self.choice in (AUTO, h.key)]
        if not wanted:
            text = (
                self.tr("Headset buttons: no USB telephony headset is connected.")
                if self.choice == AUTO
                else self.tr("Headset buttons: the chosen headset (%1) is not connected.").replace(
                    "%1", self.choice
                )
            )
            self._set_status(text, logging.INFO)
            return
        self.reader = HeadsetReader(
            self._backend,
            wanted[0],
            lambda event: self.tasks.post(self._pressed, event),
            lambda text, ok: self.tasks.post(self._reader_status, text, ok),
        )
        self.reader.start()
        self.reader.set_leds(leds_for(self._calls()))

    # -- on the GUI thread --------------------------------------------------------------------

    def _reader_status(self, text: str, ok: bool) -> None:
        if ok:
            self._set_status(self.tr("Headset buttons: %1 is ready.").replace("%1", text))
        else:
            self._set_status(
                self.tr("Headset buttons stopped: %1.").replace("%1", text), logging.WARNING
            )

    def _pressed(self, event: HeadsetEvent) -> None:
        try:
            done = press(self.phone, event.button)
        except PhoneError as exc:
            log.warning("headset: %s on %s: %s", event.button.value, event.device, exc)
            return
        log.info("headset: %s on %s: %s", event.button.value, event.device, done or "nothing")

    def _calls_changed(self, _info: object = None) -> None:
        if self.reader is not None:
            self.reader.set_leds(leds_for(self._calls()))

    def _calls(self) -> list[CallInfo]:
        return self.phone.calls()

    def _set_status(self, text: str, level: int = logging.INFO) -> None:
        if text != self.status:
            log.log(level, "%s", text)
        self.status = text
        self.status_changed.emit(text)
