"""The HID report-descriptor parser: fields, report ids, bit offsets, and malformed bytes."""

from __future__ import annotations

import contextlib

import pytest

from softphone.hid.descriptor import DescriptorError, FieldKind, parse
from tests.fakes.hid import DATA, load, recordings


def test_every_recorded_descriptor_parses_and_closes_its_collections() -> None:
    for rec in recordings():
        parsed = parse(rec.descriptor)
        assert parsed.fields, rec.name


def test_jabra_style_fields_have_their_report_id_and_bit_offsets() -> None:
    parsed = parse(load(DATA / "jabra_style.hid").descriptor)
    assert parsed.numbered
    assert parsed.applications == (0x0C0001, 0x0B0005)
    inputs = {f.full_usage: f for f in parsed.fields if f.kind == FieldKind.INPUT and f.usage}
    hook, mute, flash = inputs[0x0B0020], inputs[0x0B002F], inputs[0x0B0021]
    assert (hook.report_id, hook.bit_offset, hook.bit_size, hook.relative) == (2, 0, 1, False)
    assert (mute.report_id, mute.bit_offset, mute.relative) == (2, 2, True)
    assert flash.bit_offset == 3
    assert inputs[0x090007].bit_offset == 5  # Button 7 on the Button page
    assert inputs[0x0C00E9].report_id == 1
    assert inputs[0x0C00E9].bit_offset == 0
    outputs = {f.full_usage: f for f in parsed.fields if f.kind == FieldKind.OUTPUT and f.usage}
    assert [outputs[u].bit_offset for u in (0x080017, 0x080009, 0x080018, 0x080020)] == [0, 1, 2, 3]
    assert outputs[0x0B009E].bit_offset == 4
    assert parsed.report_bytes(FieldKind.OUTPUT, 2) == 1


def test_usage_range_push_pop_and_array_fields() -> None:
    parsed = parse(load(DATA / "logitech_style.hid").descriptor)
    array = [f for f in parsed.fields if not f.variable]
    assert len(array) == 2
    assert array[0].usages == (0x0B002F, 0x0B0021, 0x0B0026)
    assert (array[0].bit_offset, array[1].bit_offset, array[0].bit_size) == (8, 16, 8)
    assert (array[0].logical_min, array[0].logical_max) == (1, 3)
    leds = [f for f in parsed.fields if f.kind == FieldKind.OUTPUT]
    assert [(f.full_usage, f.bit_offset, f.bit_size) for f in leds] == [
        (0x080017, 0, 8),
        (0x080018, 8, 8),
        (0x080009, 16, 8),
    ]
    # Pop restored the 1-bit, 0..1 globals after the array; the LEDs set their own.
    assert leds[0].logical_max == 1


def test_a_telephony_button_flagged_constant_is_still_read() -> None:
    parsed = parse(load(DATA / "anker_powerconf.hid").descriptor)
    hook = next(f for f in parsed.fields if f.full_usage == 0x0B0020)
    assert hook.constant
    assert hook.kind == FieldKind.INPUT


def test_extended_usage_and_signed_logical_range() -> None:
    raw = bytes.fromhex(
        "05 01 09 02 a1 01"  # a mouse: signed X
        "0b 20 00 0b 00"  # extended usage: page 0x0B, usage 0x20 (4-byte data)
        "15 81 25 7f 75 08 95 01 81 06"
        "c0"
    )
    parsed = parse(raw)
    (f,) = parsed.fields
    assert (f.usage_page, f.usage, f.logical_min, f.logical_max) == (0x0B, 0x20, -127, 127)
    assert f.extract(bytes([0xFF])) == -1
    assert not parsed.numbered


def test_logical_maximum_is_unsigned_when_the_minimum_is_not_negative() -> None:
    (f,) = parse(bytes.fromhex("05 0b 09 05 a1 01 09 20 15 00 25 ff 75 08 95 01 81 02 c0")).fields
    assert f.logical_max == 255


def test_long_items_are_skipped() -> None:
    raw = bytes.fromhex("fe 02 10 aa bb 05 0b 09 05 a1 01 09 20 75 01 95 01 81 02 c0")
    assert parse(raw).fields[0].full_usage == 0x0B0020


@pytest.mark.parametrize(
    "hexbytes",
    [
        "05",  # item runs past the end
        "a1 01",  # collection never closed
        "c0",  # end without a collection
        "b4",  # pop without push
        "85 00",  # report id 0 is reserved
        "75 40 95 01 81 02",  # a 64-bit field
        "96 ff 0f 75 01 81 02",  # thousands of fields
        "fe 05",  # a truncated long item
    ],
)
def test_malformed_descriptors_raise_a_descriptor_error(hexbytes: str) -> None:
    with pytest.raises(DescriptorError):
        parse(bytes.fromhex(hexbytes))


def test_random_bytes_never_raise_anything_but_a_descriptor_error() -> None:
    import random

    rng = random.Random(17)
    for _ in range(2000):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80)))
        with contextlib.suppress(DescriptorError):
            parse(raw)
