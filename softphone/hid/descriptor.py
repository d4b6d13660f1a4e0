"""A HID report descriptor parser (HID 1.11, section 6.2.2): items in, report fields out.

Only what a telephony headset needs: every Input / Output / Feature main item becomes
``Field``s with their report id, bit offset and size, usage page and usage, logical range and
flags. Push/Pop, extended (32-bit) usages, usage ranges and array fields are handled because
vendors use them; long items and designators/strings are skipped. Malformed bytes raise
``DescriptorError`` (a headset must never crash the desk).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

__all__ = ["DescriptorError", "Field", "FieldKind", "ReportDescriptor", "parse"]

MAX_ITEMS = 4096  # a real descriptor has a few hundred; more is garbage, not a headset
MAX_REPORT_COUNT = 1024


class DescriptorError(ValueError):
    """The bytes are not a report descriptor we can read."""


class FieldKind(StrEnum):
    INPUT = "input"
    OUTPUT = "output"
    FEATURE = "feature"


@dataclass(frozen=True, slots=True)
class Field:
    """One value in a report: ``bit_size`` bits at ``bit_offset`` (after the report id byte).

    A variable field has one usage; an array field holds, in each slot, an index into
    ``usages`` (plus ``logical_min``) naming the control that is pressed."""

    kind: FieldKind
    report_id: int  # 0: the device does not number its reports
    bit_offset: int
    bit_size: int
    usage_page: int
    usage: int  # a variable field's usage (0 for an array or padding)
    logical_min: int
    logical_max: int
    constant: bool = False
    variable: bool = True
    relative: bool = False  # the control reports changes (a one-shot press), not a state
    usages: tuple[int, ...] = ()  # an array field's usages, 32-bit (page << 16 | id)
    collection: int = 0  # the top-level (application) collection's 32-bit usage

    @property
    def full_usage(self) -> int:
        return (self.usage_page << 16) | self.usage

    def extract(self, payload: bytes) -> int:
        """This field's value from a report's bytes (without the report id), sign-extended
        when the logical range is signed."""
        end = self.bit_offset + self.bit_size
        if end > len(payload) * 8:
            raise DescriptorError("report shorter than its descriptor says")
        raw = int.from_bytes(payload, "little") >> self.bit_offset
        value = raw & ((1 << self.bit_size) - 1)
        if self.logical_min < 0 and value >> (self.bit_size - 1):
            value -= 1 << self.bit_size
        return value


@dataclass(frozen=True, slots=True)
class ReportDescriptor:
    fields: tuple[Field, ...]
    numbered: bool  # reports start with a report id byte
    applications: tuple[int, ...]  # top-level collections' 32-bit usages

    def report_bytes(self, kind: FieldKind, report_id: int) -> int:
        """A report's length in bytes, without its id byte."""
        bits = sum(f.bit_size for f in self.fields if f.kind == kind and f.report_id == report_id)
        return (bits + 7) // 8


@dataclass(slots=True)
class _Globals:
    usage_page: int = 0
    logical_min: int = 0
    logical_max: int = 0
    report_size: int = 0
    report_count: int = 0
    report_id: int = 0


@dataclass(slots=True)
class _Locals:
    usages: list[int] = field(default_factory=list)  # 32-bit
    usage_min: int | None = None
    usage_max: int | None = None

    def resolved(self, page: int) -> list[int]:
        """The usages of the next main item, 32-bit; a 16-bit one takes the current page
        (HID 1.11 6.2.2.8: the page in force at the main item, not at the usage item)."""
        out = [u if u > 0xFFFF else (page << 16) | u for u in self.usages]
        if self.usage_min is not None and self.usage_max is not None:
            low, high = self.usage_min, self.usage_max
            if low <= 0xFFFF:
                low |= page << 16
            if high <= 0xFFFF:
                high |= page << 16
            if high - low > MAX_REPORT_COUNT:
                raise DescriptorError("usage range too long")
            out.extend(range(low, high + 1))
        return out


def _unsigned(data: bytes) -> int:
    return int.from_bytes(data, "little")


def _signed(data: bytes) -> int:
    return int.from_bytes(data, "little", signed=True) if data else 0


def _items(raw: bytes) -> list[tuple[int, int, bytes]]:
    """(type, tag, data) of each short item; long items are skipped."""
    items: list[tuple[int, int, bytes]] = []
    i = 0
    while i < len(raw):
        if len(items) >= MAX_ITEMS:
            raise DescriptorError("too many items")
        prefix = raw[i]
        if prefix == 0xFE:  # long item: size, tag, data
            if i + 2 >= len(raw):
                raise DescriptorError("truncated long item")
            i += 3 + raw[i + 1]
            continue
        size = (0, 1, 2, 4)[prefix & 0x03]
        data = raw[i + 1 : i + 1 + size]
        if len(data) != size:
            raise DescriptorError(f"item at byte {i} runs past the end")
        items.append(((prefix >> 2) & 0x03, prefix >> 4, data))
        i += 1 + size
    return items


def parse(raw: bytes) -> ReportDescriptor:
    """The fields of every report the descriptor declares."""
    state = _Parser()
    for kind, tag, data in _items(raw):
        if kind == 0:
            state.main(tag, data)
        elif kind == 1:
            state.global_(tag, data)
        elif kind == 2:  # local
            value = _unsigned(data)
            if tag == 0x0:
                state.local.usages.append(value if len(data) == 4 else value & 0xFFFF)
            elif tag == 0x1:
                state.local.usage_min = value
            elif tag == 0x2:
                state.local.usage_max = value
    if state.depth:
        raise DescriptorError("collection not closed")
    return ReportDescriptor(tuple(state.fields), state.numbered, tuple(state.applications))


_KINDS = {0x8: FieldKind.INPUT, 0x9: FieldKind.OUTPUT, 0xB: FieldKind.FEATURE}


@dataclass(slots=True)
class _Parser:
    g: _Globals = field(default_factory=_Globals)
    stack: list[_Globals] = field(default_factory=list)
    local: _Locals = field(default_factory=_Locals)
    fields: list[Field] = field(default_factory=list)
    offsets: dict[tuple[FieldKind, int], int] = field(default_factory=dict)
    depth: int = 0
    application: int = 0
    applications: list[int] = field(default_factory=list)
    numbered: bool = False

    def main(self, tag: int, data: bytes) -> None:
        if tag in _KINDS:
            self.fields.extend(
                _main(
                    _KINDS[tag], _unsigned(data), self.g, self.local, self.offsets, self.application
                )
            )
        elif tag == 0xA:  # collection
            if self.depth == 0:
                usages = self.local.resolved(self.g.usage_page)
                self.application = usages[0] if usages else 0
                self.applications.append(self.application)
            self.depth += 1
        elif tag == 0xC:  # end collection
            if self.depth == 0:
                raise DescriptorError("end collection without a collection")
            self.depth -= 1
        self.local = _Locals()  # locals last until the next main item only

    def global_(self, tag: int, data: bytes) -> None:
        g = self.g
        if tag == 0x0:
            g.usage_page = _unsigned(data)
        elif tag == 0x1:
            g.logical_min = _signed(data)
        elif tag == 0x2:
            # Unsigned when the minimum is not negative: 0x25 0xFF means 255 there.
            g.logical_max = _signed(data) if g.logical_min < 0 else _unsigned(data)
        elif tag == 0x7:
            g.report_size = _unsigned(data)
        elif tag == 0x8:
            g.report_id = _unsigned(data)
            if not 0 < g.report_id < 256:
                raise DescriptorError("report id out of range")
            self.numbered = True
        elif tag == 0x9:
            g.report_count = _unsigned(data)
        elif tag == 0xA:  # push
            self.stack.append(replace(g))
        elif tag == 0xB:  # pop
            if not self.stack:
                raise DescriptorError("pop without push")
            self.g = self.stack.pop()


def _main(
    kind: FieldKind,
    flags: int,
    g: _Globals,
    local: _Locals,
    offsets: dict[tuple[FieldKind, int], int],
    application: int,
) -> list[Field]:
    if g.report_count > MAX_REPORT_COUNT or g.report_size > 32:
        raise DescriptorError("report field too large")
    constant = bool(flags & 0x01)
    variable = bool(flags & 0x02)
    relative = bool(flags & 0x04)
    # A constant field with usages is still read: some headsets flag their telephony buttons
    # Constant by mistake (an Anker PowerConf's hook switch is 0x81 0x23).
    usages = local.resolved(g.usage_page)
    key = (kind, g.report_id)
    offset = offsets.get(key, 0)
    out: list[Field] = []
    listed: tuple[int, ...]
    for n in range(g.report_count):
        if not usages:  # padding
            page, usage, listed = g.usage_page, 0, ()
        elif variable:
            # More fields than usages: the last usage applies to the rest (HID 1.11 6.2.2.8).
            full = usages[min(n, len(usages) - 1)]
            page, usage, listed = full >> 16, full & 0xFFFF, ()
        else:
            page, usage, listed = g.usage_page, 0, tuple(usages)
        out.append(
            Field(
                kind=kind,
                report_id=g.report_id,
                bit_offset=offset,
                bit_size=g.report_size,
                usage_page=page,
                usage=usage,
                logical_min=g.logical_min,
                logical_max=g.logical_max,
                constant=constant,
                variable=variable,
                relative=relative,
                usages=listed,
                collection=application,
            )
        )
        offset += g.report_size
    offsets[key] = offset
    return out
