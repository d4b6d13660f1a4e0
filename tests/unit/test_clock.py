"""The injected clock: pins, the centre's day at the edges that bite a 24x7 centre, and a
guard that no module reads the system clock behind its back."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from sync.clock import (
    CLOCK_VARIABLE,
    ClockPinError,
    DeskClock,
    ManualClock,
    ServerTimeSample,
    SystemClock,
    clock_from_environment,
    parse_pin,
    pin,
    system_clock,
)
from sync.contract.rules import centre_day, desk_ticket_number
from tests.fakes.clocks import centre_time

ROOT = Path(__file__).resolve().parents[2]


def test_a_pin_with_its_anchor_gives_every_process_the_same_now() -> None:
    instant = centre_time("2026-12-31 23:59:59")
    value = pin(instant, at=1_000_000.0)
    first = parse_pin(value)
    second = clock_from_environment({CLOCK_VARIABLE: value})
    assert first.offset == second.offset == instant - datetime.fromtimestamp(1_000_000.0, UTC)
    # Read long after the pin: the clock ran on from the instant at the real rate.
    assert first.now() - instant == pytest.approx(
        SystemClock().now() - datetime.fromtimestamp(1_000_000.0, UTC), abs=timedelta(seconds=5)
    )


def test_a_pin_without_an_anchor_starts_now() -> None:
    instant = centre_time("2026-12-01 00:05:00")
    clock = parse_pin(instant.isoformat())
    assert abs(clock.now() - instant) < timedelta(seconds=5)
    assert clock.now().tzinfo is not None
    assert abs(clock.timestamp() - clock.now().timestamp()) < 1


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("yesterday", "'yesterday' is not an ISO 8601 instant"),
        ("2026-12-31T23:59:59", "give the instant's UTC offset"),
        ("2026-12-31T23:59:59+08:00@soon", "'soon' after '@' is not a unix time"),
        ("2026-12-31T23:59:59+08:00\x00", "contains a control character"),
    ],
)
def test_a_bad_pin_is_refused_naming_the_problem(value: str, named: str) -> None:
    with pytest.raises(ClockPinError, match=re.escape(named)):
        parse_pin(value)


def test_no_pin_is_the_real_clock() -> None:
    assert clock_from_environment({}).offset == timedelta(0)
    with pytest.raises(ClockPinError):
        pin(datetime(2026, 1, 1))  # naive: which zone?


def test_a_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(datetime(2026, 11, 30, 15, 59, 59))
    assert clock.now() == datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC)
    clock.advance(timedelta(seconds=1))
    assert centre_day(clock.now()) == date(2026, 12, 1)
    clock.set(centre_time("2027-01-01 00:00:00"))
    assert clock.now() == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("local", "number"),
    [
        ("2026-11-30 23:59:59", "SR-20261130-7-001"),  # last second of a month
        ("2026-12-01 00:00:00", "SR-20261201-7-001"),  # ... and the next month's first
        ("2026-12-31 23:59:59", "SR-20261231-7-001"),  # last second of a year
        ("2027-01-01 00:00:00", "SR-20270101-7-001"),
        ("2026-12-03 00:05:00", "SR-20261203-7-001"),  # after midnight: UTC is still the 2nd
        ("2026-12-03 08:11:00", "SR-20261203-7-001"),  # before the morning shift
    ],
)
def test_ticket_numbers_carry_the_centres_day_not_utcs(local: str, number: str) -> None:
    moment = centre_time(local).astimezone(UTC)
    assert desk_ticket_number(centre_day(moment), 7, 1) == number


# The system clock is read in one place; everything else is given a clock.
_READS = re.compile(
    r"datetime\.now\(|datetime\.utcnow\(|date\.today\(|time\.time\(\)|"
    r"QDate\.currentDate\(|QDateTime\.current|time\.localtime\(\)|time\.strftime\(\"[^\"]*\"\)"
)


def test_only_the_clock_module_reads_the_system_clock() -> None:
    readers = []
    # The tests too: a test that reads the real clock breaks a run pinned to another hour.
    for package in ("agent_desktop", "softphone", "sync", "server_stub", "tests", "bench"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path in (ROOT / "sync" / "clock.py", Path(__file__).resolve()):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if _READS.search(code):
                    readers.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not readers, "read the injected clock instead:\n" + "\n".join(readers)


def sample(server: datetime, sent: float, round_trip_s: float = 0.02) -> ServerTimeSample:
    """An answer's Date; ``sent`` on this process's clock, as ApiClient records it."""
    return ServerTimeSample(server, sent, sent + round_trip_s)


def test_a_desk_clock_follows_a_server_five_minutes_ahead() -> None:
    base = ManualClock(datetime(2026, 12, 31, 15, 55, 0, tzinfo=UTC))
    desk = DeskClock(base)
    server_says = datetime(2026, 12, 31, 16, 0, 0, tzinfo=UTC)  # whole seconds, as in Date
    assert desk.align(sample(server_says, system_clock().timestamp()))
    assert abs(desk.skew - timedelta(minutes=5)) < timedelta(seconds=1)
    # The centre's new year on the server's clock, not the PC's.
    assert centre_day(desk.now()) == date(2027, 1, 1)
    # Seconds of noise do not move it again; a PC clock put right does.
    assert not desk.align(sample(server_says + timedelta(seconds=1), system_clock().timestamp()))
    assert desk.align(sample(base.now(), system_clock().timestamp()))
    assert desk.skew == timedelta(0)


def test_a_desk_clock_within_the_headers_resolution_is_left_alone() -> None:
    base = ManualClock(datetime(2026, 12, 1, 0, 0, 0, tzinfo=UTC))
    desk = DeskClock(base)
    assert not desk.align(sample(base.now() + timedelta(seconds=1), system_clock().timestamp()))
    assert desk.skew == timedelta(0)
    # An answer that took too long, or a clock step mid-request, is not a measurement.
    assert not desk.align(sample(base.now() + timedelta(hours=1), system_clock().timestamp(), 30))
    assert not desk.align(sample(base.now() + timedelta(hours=1), system_clock().timestamp(), -1))
    assert desk.skew == timedelta(0)


def test_a_slow_answer_does_not_spoil_a_good_measurement() -> None:
    """A first sync's snapshot (or a loaded server) answers seconds later than it wrote its
    Date: the quick sign-in's measurement stands."""
    base = ManualClock(datetime(2026, 12, 31, 15, 55, 0, tzinfo=UTC))
    desk = DeskClock(base)
    server_says = datetime(2026, 12, 31, 16, 0, 0, tzinfo=UTC)
    sent = system_clock().timestamp()
    assert desk.align(sample(server_says, sent))
    good = desk.skew
    # Written at once, received 6 s later: its middle is 3 s after the Date was written.
    assert not desk.align(sample(server_says, sent, 6.0))
    assert desk.skew == good
    # A slow answer that disagrees by more than both errors is a clock set on the PC: taken.
    assert desk.align(sample(server_says + timedelta(minutes=3), sent, 6.0))
    assert abs(desk.skew - timedelta(minutes=8)) < timedelta(seconds=4)
