"""Telephony usages in a parsed descriptor: button events in, LED reports out.

Usage page 0x0B (Telephony Device) inputs: Hook Switch 0x20, Flash 0x21, Drop 0x26, Phone
Mute 0x2F; LED page 0x08 outputs: Mute 0x09, Off-Hook 0x17, Ring 0x18, Hold 0x20 (and the
Telephony page's Ringer 0x9E, which some headsets use for the ring instead of the LED).

The quirks of real headsets, which is why this is a little state machine and not a lookup:
- The hook switch is a *state* (1 = off hook), and most headsets keep their own idea of it in
  step with the Off-Hook LED the host drives: after the desk answers from the screen, the
  headset's button sends hook = 0 ("hang up"). So an edge is taken against what the desk last
  told the headset (``sync_hook``), not against the previous report, and a repeated or echoed
  state is no event. A hook switch declared *relative* is a one-shot toggle.
- Phone Mute is a toggle on most headsets (1 while pressed, whatever the descriptor says):
  only the rising edge counts. A headset listed with ``mute_is_state`` reports the mute state
  instead: each edge is mute on / off.
- Many headsets send the whole report on every change of any usage (a volume key, another
  button): a usage whose value did not change is no event.
- The decline key of Jabra, Yealink and Gigaset is not on the Telephony page: their
  descriptors put it as Button 7 in the telephony collection (``09 07 05 09 … 81 02``: bit 6
  of report 2 on the recorded EVOLVE LINK MS and WH66, bit 11 on the BIZ 2400 II). A vendor's
  quirks name it (``reject_usage``); only a button inside the telephony collection counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from softphone.hid.descriptor import Field, FieldKind, ReportDescriptor

__all__ = [
    "HeadsetButton",
    "HeadsetEvent",
    "HeadsetLeds",
    "HeadsetQuirks",
    "TelephonyDecoder",
    "TelephonyMap",
    "quirks_for",
]

TELEPHONY_PAGE = 0x0B
LED_PAGE = 0x08
HOOK_SWITCH = 0x0B0020
FLASH = 0x0B0021
DROP = 0x0B0026
PHONE_MUTE = 0x0B002F
RINGER = 0x0B009E  # an output on some headsets: ring the headset itself
LED_MUTE = 0x080009
LED_OFF_HOOK = 0x080017
LED_RING = 0x080018
LED_HOLD = 0x080020
BUTTON_7 = 0x090007  # a reject key on the Button page (Jabra, Yealink, Gigaset)
BUTTONS = (HOOK_SWITCH, FLASH, DROP, PHONE_MUTE)


class HeadsetButton(StrEnum):
    HOOK_OFF = "hook_off"  # lifted / the answer button: take the call
    HOOK_ON = "hook_on"  # put down / the end button: hang up
    MUTE = "mute"  # toggle the microphone
    MUTE_ON = "mute_on"  # headsets that report the mute state (``mute_is_state``)
    MUTE_OFF = "mute_off"
    FLASH = "flash"  # hold / resume, or swap between two calls
    DROP = "drop"  # a dedicated end-call button
    REJECT = "reject"  # a dedicated decline key: declines a ringing call, never hangs up


@dataclass(frozen=True, slots=True)
class HeadsetEvent:
    button: HeadsetButton
    device: str = ""  # the headset's name, for the log


@dataclass(frozen=True, slots=True)
class HeadsetLeds:
    """What the headset should show: derived from the calls by the desk."""

    off_hook: bool = False
    ring: bool = False
    mute: bool = False
    hold: bool = False


@dataclass(frozen=True, slots=True)
class HeadsetQuirks:
    mute_is_state: bool = False  # Phone Mute reports the state, not a press
    # The hook switch is declared absolute but sends 1 then 0 for one press of its button:
    # taken as a state, one press would answer and hang up at once. Toggles instead.
    hook_is_momentary: bool = False
    reject_usage: int = 0  # a decline key off the Telephony page (32-bit usage); 0: none


# Headsets known to differ from the common behaviour, by (vendor id, product id).
KNOWN_QUIRKS: dict[tuple[int, int], HeadsetQuirks] = {}
# ... and by vendor, for what a vendor does on all its models. Button 7 is the reject key in
# Gigaset's published dongle usage table, in the layout Jabra's recorded descriptors share
# with Yealink's, and in Yealink's own web integration (bit 6); see tests/data/hid/README.md.
VENDOR_QUIRKS: dict[int, HeadsetQuirks] = {
    0x0B0E: HeadsetQuirks(reject_usage=BUTTON_7),  # Jabra (GN Netcom)
    0x6993: HeadsetQuirks(reject_usage=BUTTON_7),  # Yealink
    0x1E85: HeadsetQuirks(reject_usage=BUTTON_7),  # Gigaset
}


def quirks_for(vendor_id: int, product_id: int) -> HeadsetQuirks:
    model = KNOWN_QUIRKS.get((vendor_id, product_id))
    return model or VENDOR_QUIRKS.get(vendor_id) or HeadsetQuirks()


@dataclass(frozen=True, slots=True)
class TelephonyMap:
    """Where a headset keeps its telephony buttons and LEDs."""

    numbered: bool
    inputs: tuple[Field, ...]  # variable fields of BUTTONS, and array fields listing one
    outputs: tuple[Field, ...]  # every field of each output report that carries an LED
    output_sizes: tuple[tuple[int, int], ...]  # (report id, bytes without the id)

    @classmethod
    def from_descriptor(
        cls, descriptor: ReportDescriptor, quirks: HeadsetQuirks | None = None
    ) -> TelephonyMap:
        reject = quirks.reject_usage if quirks else 0
        inputs = tuple(
            f
            for f in descriptor.fields
            if f.kind == FieldKind.INPUT
            and (
                f.full_usage in BUTTONS
                or any(u in BUTTONS for u in f.usages)
                or (reject and f.full_usage == reject and f.collection >> 16 == TELEPHONY_PAGE)
            )
        )
        led_usages = (LED_MUTE, LED_OFF_HOOK, LED_RING, LED_HOLD, RINGER)
        led_reports = sorted(
            {
                f.report_id
                for f in descriptor.fields
                if f.kind == FieldKind.OUTPUT and f.variable and f.full_usage in led_usages
            }
        )
        outputs = tuple(
            f
            for f in descriptor.fields
            if f.kind == FieldKind.OUTPUT and f.report_id in led_reports
        )
        sizes = tuple((r, descriptor.report_bytes(FieldKind.OUTPUT, r)) for r in led_reports)
        return cls(descriptor.numbered, inputs, outputs, sizes)

    @property
    def has_buttons(self) -> bool:
        return bool(self.inputs)

    @property
    def usages(self) -> frozenset[int]:
        """The telephony buttons this headset has."""
        found = {f.full_usage for f in self.inputs if f.variable}
        found |= {u for f in self.inputs for u in f.usages if u in BUTTONS}
        return frozenset(found)

    @property
    def leds(self) -> frozenset[int]:
        return frozenset(f.full_usage for f in self.outputs if f.variable)

    def output_reports(self, leds: HeadsetLeds) -> list[bytes]:
        """One output report per report id that has LEDs, every other bit left 0; with the
        report id byte first (0 for a headset that does not number its reports: hidapi's
        convention)."""
        on = {
            LED_OFF_HOOK: leds.off_hook,
            LED_RING: leds.ring,
            RINGER: leds.ring,
            LED_MUTE: leds.mute,
            LED_HOLD: leds.hold,
        }
        reports = []
        for report_id, size in self.output_sizes:
            bits = 0
            for f in self.outputs:
                if f.report_id == report_id and f.variable and on.get(f.full_usage, False):
                    value = max(f.logical_max, 1) & ((1 << f.bit_size) - 1)
                    bits |= value << f.bit_offset
            reports.append(bytes([report_id]) + bits.to_bytes(size, "little"))
        return reports


_ONE_SHOT = {FLASH: HeadsetButton.FLASH, DROP: HeadsetButton.DROP}  # else: the reject key


class TelephonyDecoder:
    """Input reports -> button events, for one headset. Not thread-safe: one reader owns it."""

    def __init__(
        self, mapping: TelephonyMap, quirks: HeadsetQuirks | None = None, device: str = ""
    ) -> None:
        self.mapping = mapping
        self.quirks = quirks or HeadsetQuirks()
        self.device = device
        self.off_hook = False  # what the desk last told the headset (its Off-Hook LED)
        self._last: dict[int, bool] = {}  # usage -> pressed in the previous report carrying it

    def sync_hook(self, off_hook: bool) -> None:
        """The desk drove the Off-Hook LED: the headset's hook state follows it."""
        self.off_hook = off_hook

    def feed(self, report: bytes) -> list[HeadsetEvent]:
        """The events in one input report as hidapi returns it (id byte first if numbered).
        A report this headset has no buttons in, or a short one, gives no event."""
        if not report:
            return []
        report_id, payload = (report[0], report[1:]) if self.mapping.numbered else (0, report)
        pressed: dict[int, bool] = {}
        relative: set[int] = set()
        for f in self.mapping.inputs:
            if f.report_id != report_id or (f.bit_offset + f.bit_size) > len(payload) * 8:
                continue
            value = f.extract(payload)
            if f.variable:
                pressed[f.full_usage] = pressed.get(f.full_usage, False) or value != 0
                if f.relative:
                    relative.add(f.full_usage)
            else:  # array: each slot names the control pressed (0 / out of range: none)
                for usage in f.usages:
                    pressed.setdefault(usage, False)
                index = value - f.logical_min
                if f.logical_min <= value <= f.logical_max and 0 <= index < len(f.usages):
                    pressed[f.usages[index]] = True
        events = [self._event(b) for b in self._edges(pressed, relative)]
        return events

    def _edges(self, pressed: dict[int, bool], relative: set[int]) -> list[HeadsetButton]:
        out: list[HeadsetButton] = []
        for usage, now in pressed.items():
            before = self._last.get(usage, False)
            self._last[usage] = now
            if usage == HOOK_SWITCH:
                if usage in relative or self.quirks.hook_is_momentary:  # a one-shot: toggles
                    if now and not before:
                        self.off_hook = not self.off_hook
                        out.append(
                            HeadsetButton.HOOK_OFF if self.off_hook else HeadsetButton.HOOK_ON
                        )
                elif now != self.off_hook:
                    self.off_hook = now
                    out.append(HeadsetButton.HOOK_OFF if now else HeadsetButton.HOOK_ON)
            elif usage == PHONE_MUTE:
                if self.quirks.mute_is_state and now != before:
                    out.append(HeadsetButton.MUTE_ON if now else HeadsetButton.MUTE_OFF)
                elif not self.quirks.mute_is_state and now and not before:
                    out.append(HeadsetButton.MUTE)
            elif now and not before:
                out.append(_ONE_SHOT.get(usage, HeadsetButton.REJECT))
        return out

    def _event(self, button: HeadsetButton) -> HeadsetEvent:
        return HeadsetEvent(button, self.device)
