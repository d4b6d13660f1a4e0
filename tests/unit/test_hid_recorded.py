"""Report descriptors RECORDED from real headsets (tests/data/hid/rec_*.hid, sources in
tests/data/hid/README.md) through our parser and the telephony map: the telephony collection,
each button's report id, bit and relative flag, each LED's report id and bit, and the output
report sizes. The expectations below were read off the descriptors' items by hand (an item
dump, not our parser), so a parser that misplaces a field fails here.

The input-report sequences in the same files (played by tests/unit/test_hid_telephony.py and,
through the desk, tests/unit/test_headset_buttons.py) are derived from these layouts: the
public sources hold the descriptors but no button-press recordings."""

from __future__ import annotations

import contextlib
import hashlib
import random
from dataclasses import dataclass

import pytest

from softphone.hid.descriptor import DescriptorError, FieldKind, parse
from softphone.hid.telephony import (
    BUTTON_7,
    DROP,
    FLASH,
    HOOK_SWITCH,
    LED_HOLD,
    LED_MUTE,
    LED_OFF_HOOK,
    LED_RING,
    PHONE_MUTE,
    RINGER,
    HeadsetButton,
    TelephonyDecoder,
    TelephonyMap,
    quirks_for,
)
from tests.fakes.hid import DATA, Recording, load, recordings

HEADSET = 0x0B0005  # Telephony page, Headset: the application collection the buttons live in


@dataclass(frozen=True)
class Layout:
    inputs: dict[int, tuple[int, int, bool]]  # usage -> (report id, bit offset, relative)
    leds: dict[int, tuple[int, int]]  # usage -> (report id, bit offset)
    out_sizes: tuple[tuple[int, int], ...]  # (report id, bytes without the id)


def _jabra(reject_bit: int) -> Layout:
    """Jabra's layout (Yealink's WH66 repeats it byte for byte in its telephony collection);
    the reject key (Button 7) moves with the keys before it."""
    return Layout(
        {
            HOOK_SWITCH: (2, 0, False),
            PHONE_MUTE: (2, 2, True),
            FLASH: (2, 3, True),
            BUTTON_7: (2, reject_bit, False),
        },
        {
            LED_OFF_HOOK: (2, 0),
            LED_MUTE: (2, 1),
            LED_RING: (2, 2),
            LED_HOLD: (2, 3),
            RINGER: (2, 5),
        },
        ((2, 2),),
    )


LAYOUTS = {
    "rec_jabra_evolve_link_ms": _jabra(6),
    "rec_jabra_biz_2400_ii": _jabra(11),  # one more key and a keypad with a Null state before it
    "rec_jabra_speak_810": _jabra(4),
    "rec_yealink_wh66": _jabra(6),
    "rec_poly_bt700": Layout(
        {HOOK_SWITCH: (0x20, 0, False), PHONE_MUTE: (0x20, 1, True), FLASH: (0x20, 2, False)},
        {LED_RING: (0x21, 0), LED_MUTE: (0x23, 0), LED_OFF_HOOK: (0x24, 0), LED_HOLD: (0x25, 0)},
        ((0x21, 1), (0x23, 1), (0x24, 1), (0x25, 1)),
    ),
    "rec_poly_voyager_base_cd": Layout(
        {HOOK_SWITCH: (1, 0, False), PHONE_MUTE: (1, 1, True), FLASH: (1, 2, False)},
        {LED_RING: (1, 0), LED_MUTE: (3, 0), LED_OFF_HOOK: (4, 0), LED_HOLD: (5, 0)},
        ((1, 1), (3, 1), (4, 1), (5, 1)),
    ),
    "rec_poly_blackwire_c5220": Layout(
        {PHONE_MUTE: (8, 0, True), HOOK_SWITCH: (8, 1, False), FLASH: (8, 2, False)},
        {LED_MUTE: (9, 0), LED_OFF_HOOK: (0x17, 0), LED_RING: (0x18, 0), LED_HOLD: (0x20, 0)},
        ((9, 1), (0x17, 1), (0x18, 1), (0x20, 1)),
    ),
    "rec_sennheiser_sc660_anc_usb": Layout(
        {
            PHONE_MUTE: (8, 0, True),
            HOOK_SWITCH: (8, 1, False),
            FLASH: (8, 3, True),
            DROP: (8, 4, True),
        },
        {LED_MUTE: (9, 0), LED_OFF_HOOK: (9, 1), LED_RING: (9, 2), LED_HOLD: (9, 5)},
        ((9, 1),),
    ),
    "rec_epos_impact_d1": Layout(
        {
            HOOK_SWITCH: (2, 0, False),
            FLASH: (2, 1, True),
            PHONE_MUTE: (2, 3, True),
            DROP: (2, 4, True),
        },
        {LED_OFF_HOOK: (3, 0), LED_RING: (3, 2), LED_MUTE: (3, 3), LED_HOLD: (3, 5)},
        ((3, 1),),
    ),
    "rec_epos_impact_d": Layout(
        {
            HOOK_SWITCH: (2, 2, False),
            FLASH: (2, 3, True),
            PHONE_MUTE: (2, 5, True),
            DROP: (2, 6, True),
        },
        {
            RINGER: (3, 0),
            LED_OFF_HOOK: (3, 1),
            LED_RING: (3, 3),
            LED_MUTE: (3, 4),
            LED_HOLD: (3, 6),
        },
        ((3, 1),),
    ),
}


def _recorded() -> list[Recording]:
    return recordings("recorded")


def test_the_recorded_set_covers_four_vendors_and_a_headset_without_telephony() -> None:
    found = {r.path.stem for r in _recorded()}
    assert found == {*LAYOUTS, "rec_logitech_g535"}
    vendors = {r.vendor_id for r in _recorded() if r.path.stem in LAYOUTS}
    assert vendors == {0x0B0E, 0x047F, 0x1395, 0x6993}  # Jabra, Poly, Sennheiser/EPOS, Yealink


@pytest.mark.parametrize("rec", _recorded(), ids=lambda r: r.path.stem)
def test_the_hex_is_the_published_descriptor(rec: Recording) -> None:
    """Each file carries the SHA-256 of the source's .bin: the hex lines were not altered."""
    assert rec.sha256
    assert hashlib.sha256(rec.descriptor).hexdigest() == rec.sha256


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_buttons_and_leds_sit_where_the_recorded_descriptor_puts_them(name: str) -> None:
    layout = LAYOUTS[name]
    rec = load(DATA / f"{name}.hid")
    descriptor = parse(rec.descriptor)
    assert HEADSET in descriptor.applications
    assert descriptor.numbered
    mapping = TelephonyMap.from_descriptor(descriptor, quirks_for(rec.vendor_id, rec.product_id))
    inputs = {f.full_usage: (f.report_id, f.bit_offset, f.relative) for f in mapping.inputs}
    assert inputs == layout.inputs
    assert all(f.bit_size == 1 and f.collection == HEADSET for f in mapping.inputs)
    leds = {
        f.full_usage: (f.report_id, f.bit_offset)
        for f in mapping.outputs
        if f.full_usage in (LED_OFF_HOOK, LED_MUTE, LED_RING, LED_HOLD, RINGER)
    }
    assert leds == layout.leds
    assert mapping.output_sizes == layout.out_sizes


def test_every_recorded_headset_has_an_absolute_hook_and_a_relative_mute() -> None:
    """What the decoder's rules rest on: the hook is a state (taken against the Off-Hook LED),
    Phone Mute a one-shot press (a toggle). Flash is absolute on Poly, relative elsewhere."""
    for name, layout in LAYOUTS.items():
        assert not layout.inputs[HOOK_SWITCH][2], name
        assert layout.inputs[PHONE_MUTE][2], name
    assert not LAYOUTS["rec_poly_bt700"].inputs[FLASH][2]


def test_jabra_keypad_array_and_a_usage_before_its_usage_page() -> None:
    """EVOLVE LINK MS: after the buttons, ``09 07 05 09 … 81 02`` (the usage comes before the
    Button page it belongs to: Button 7, as the page in force at the main item says) and a
    4-bit array of Phone Key 0-11 in a nested logical collection."""
    descriptor = parse(load(DATA / "rec_jabra_evolve_link_ms.hid").descriptor)
    report2 = [f for f in descriptor.fields if f.kind == FieldKind.INPUT and f.report_id == 2]
    button = next(f for f in report2 if f.usage_page == 0x09)
    assert (button.usage, button.bit_offset) == (7, 6)
    keypad = next(f for f in report2 if not f.variable)
    assert (keypad.bit_offset, keypad.bit_size) == (7, 4)
    assert keypad.usages == tuple(range(0x0B00B0, 0x0B00BC))
    assert descriptor.report_bytes(FieldKind.INPUT, 2) == 2
    assert descriptor.report_bytes(FieldKind.OUTPUT, 2) == 2


def test_epos_volume_keys_share_the_telephony_report() -> None:
    descriptor = parse(load(DATA / "rec_epos_impact_d.hid").descriptor)
    volume = {
        f.full_usage: f.bit_offset
        for f in descriptor.fields
        if f.kind == FieldKind.INPUT and f.report_id == 2 and f.usage_page == 0x0C
    }
    assert volume == {0x0C00EA: 0, 0x0C00E9: 1}


def test_epos_application_collection_nested_in_the_telephony_one() -> None:
    """IMPACT D1 opens an unnamed application collection inside its telephony collection (a
    parser that refuses nested application collections drops this headset): its vendor feature
    reports belong to the telephony collection, and it is no top-level application."""
    descriptor = parse(load(DATA / "rec_epos_impact_d1.hid").descriptor)
    assert descriptor.applications[0] == HEADSET
    assert 0 not in descriptor.applications
    feature = next(f for f in descriptor.fields if f.report_id == 0x40)
    assert (feature.kind, feature.collection) == (FieldKind.FEATURE, HEADSET)


def test_poly_report_id_1_is_both_the_buttons_and_the_ring_led() -> None:
    descriptor = parse(load(DATA / "rec_poly_voyager_base_cd.hid").descriptor)
    assert descriptor.report_bytes(FieldKind.INPUT, 1) == 1
    assert descriptor.report_bytes(FieldKind.OUTPUT, 1) == 1


def test_a_gaming_headset_without_the_telephony_page_has_no_buttons() -> None:
    descriptor = parse(load(DATA / "rec_logitech_g535.hid").descriptor)
    assert HEADSET not in descriptor.applications
    mapping = TelephonyMap.from_descriptor(descriptor)
    assert not mapping.has_buttons
    assert not mapping.output_sizes


@pytest.mark.parametrize("rec", _recorded(), ids=lambda r: r.path.stem)
def test_a_cut_or_damaged_recorded_descriptor_is_a_descriptor_error_at_worst(
    rec: Recording,
) -> None:
    """A short read of the descriptor (a prefix) or a damaged byte never raises anything but
    DescriptorError, and no input report of any length or content crashes the decoder."""
    raw = rec.descriptor
    for end in range(0, len(raw), 3):
        with contextlib.suppress(DescriptorError):
            parse(raw[:end])
    rng = random.Random(17)
    for _ in range(100):
        damaged = bytearray(raw)
        damaged[rng.randrange(len(raw))] = rng.randrange(256)
        with contextlib.suppress(DescriptorError):
            parse(bytes(damaged))
    quirks = quirks_for(rec.vendor_id, rec.product_id)
    decoder = TelephonyDecoder(TelephonyMap.from_descriptor(parse(raw), quirks), quirks)
    for _ in range(300):
        report = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 12)))
        for event in decoder.feed(report):
            assert isinstance(event.button, HeadsetButton)
