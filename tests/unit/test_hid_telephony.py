"""Recorded, public and constructed headsets (tests/data/hid) through the map and the
decoder: the button events each input report gives and the LED reports each call state writes."""

from __future__ import annotations

import pytest

from softphone.hid.descriptor import parse
from softphone.hid.telephony import (
    HeadsetButton,
    HeadsetLeds,
    HeadsetQuirks,
    TelephonyDecoder,
    TelephonyMap,
    quirks_for,
)
from tests.fakes.hid import DATA, Recording, load, recordings

CASES = [(rec, seq) for rec in recordings() for seq in rec.sequences]


@pytest.mark.parametrize(("rec", "seq"), CASES, ids=[f"{r.path.stem}: {s.name}" for r, s in CASES])
def test_sequence(rec: Recording, seq: object) -> None:
    quirks = quirks_for(rec.vendor_id, rec.product_id)  # as the reader does
    mapping = TelephonyMap.from_descriptor(parse(rec.descriptor), quirks)
    decoder = TelephonyDecoder(mapping, quirks, rec.name)
    for n, step in enumerate(seq.steps):  # type: ignore[attr-defined]
        if step.leds is not None:
            decoder.sync_hook(step.leds.off_hook)  # what the reader does before writing
            got = [r.hex(" ") for r in mapping.output_reports(step.leds)]
            assert got == [r.hex(" ") for r in step.out], f"step {n}: LED reports"
        else:
            events = [e.button.value for e in decoder.feed(step.report)]
            assert events == list(step.events), f"step {n}: report {step.report.hex(' ')}"


def test_every_headset_offers_its_buttons_and_leds() -> None:
    found = {r.path.stem: TelephonyMap.from_descriptor(parse(r.descriptor)) for r in recordings()}
    assert set(found) >= {"jabra_style", "poly_style", "epos_style", "logitech_style"}
    for name, mapping in found.items():
        # A gaming headset without the Telephony page offers nothing (its volume keys are the OS's).
        assert mapping.has_buttons == (name != "rec_logitech_g535"), name
    assert 0x0B0020 in found["jabra_style"].usages
    assert 0x0B002F in found["jabra_style"].usages
    assert found["apple_headset_remote"].usages == {0x0B0021}
    assert not found["apple_headset_remote"].output_reports(HeadsetLeds(ring=True))
    assert found["poly_style"].leds == {0x080017, 0x080018, 0x080009}


def test_a_headset_without_telephony_usages_has_no_buttons() -> None:
    mouse = bytes.fromhex("05 01 09 02 a1 01 09 30 15 81 25 7f 75 08 95 01 81 06 c0")
    assert not TelephonyMap.from_descriptor(parse(mouse)).has_buttons


def test_short_unknown_and_empty_reports_give_no_event() -> None:
    rec = load(DATA / "gigaset_dongle.hid")
    decoder = TelephonyDecoder(TelephonyMap.from_descriptor(parse(rec.descriptor)))
    assert decoder.feed(b"") == []
    assert decoder.feed(bytes([0x02])) == []  # the id alone: the fields do not fit
    assert decoder.feed(bytes([0x07, 0xFF, 0xFF])) == []  # a report id it does not declare
    assert [e.button for e in decoder.feed(bytes([0x02, 0x01, 0x00]))] == [HeadsetButton.HOOK_OFF]


def test_mute_as_a_state_quirk_gives_on_and_off() -> None:
    rec = load(DATA / "poly_style.hid")
    decoder = TelephonyDecoder(
        TelephonyMap.from_descriptor(parse(rec.descriptor)), HeadsetQuirks(mute_is_state=True)
    )
    seen = [
        [e.button for e in decoder.feed(bytes([0x02, value]))] for value in (0x01, 0x03, 0x03, 0x01)
    ]
    assert seen == [
        [HeadsetButton.HOOK_OFF],
        [HeadsetButton.MUTE_ON],
        [],
        [HeadsetButton.MUTE_OFF],
    ]


def test_the_real_hidapi_loads_here_and_finds_no_headset() -> None:
    """The wheel's hidraw backend loads on this machine (no headset plugged in: none found)."""
    from softphone.hid.device import HidapiBackend, telephony_headsets

    backend = HidapiBackend()
    assert isinstance(backend.enumerate(), list)
    assert telephony_headsets(backend) == []


def test_a_momentary_hook_quirk_toggles_on_each_press() -> None:
    rec = load(DATA / "jabra_style.hid")
    decoder = TelephonyDecoder(
        TelephonyMap.from_descriptor(parse(rec.descriptor)), HeadsetQuirks(hook_is_momentary=True)
    )
    seen = [[e.button for e in decoder.feed(bytes([0x02, v]))] for v in (1, 0, 1, 0)]
    assert seen == [[HeadsetButton.HOOK_OFF], [], [HeadsetButton.HOOK_ON], []]


def test_the_reject_key_counts_only_for_its_vendor_and_inside_the_telephony_collection() -> None:
    """Jabra's Button 7 declines; the same Button 7 on a Poly, or a Button 7 in another
    collection of a Jabra (a mouse's, say), is no telephony key."""
    raw = bytes.fromhex(
        "05 01 09 02 a1 01 85 01 05 09 09 07 15 00 25 01 75 01 95 08 81 02 c0"  # Button 7: mouse
        "05 0b 09 05 a1 01 85 02 09 20 75 01 95 01 81 22"  # hook switch
        "09 07 05 09 81 02 95 06 81 03 c0"  # Button 7 in the telephony collection
    )
    descriptor = parse(raw)
    jabra = quirks_for(0x0B0E, 0x0307)
    mapping = TelephonyMap.from_descriptor(descriptor, jabra)
    assert [(f.report_id, f.bit_offset) for f in mapping.inputs if f.usage_page == 9] == [(2, 1)]
    decoder = TelephonyDecoder(mapping, jabra)
    assert decoder.feed(bytes([0x01, 0xFF])) == []  # the mouse's buttons
    assert [e.button for e in decoder.feed(bytes([0x02, 0x02]))] == [HeadsetButton.REJECT]
    assert decoder.feed(bytes([0x02, 0x02])) == []  # held: one press, one event
    poly = quirks_for(0x047F, 0xC053)
    assert not poly.reject_usage
    assert all(f.usage_page != 9 for f in TelephonyMap.from_descriptor(descriptor, poly).inputs)
