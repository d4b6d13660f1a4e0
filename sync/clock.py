"""Time, injected: every "now" of the desk and of the server comes from a ``Clock``.

A contact centre runs 24x7, so what a screen shows depends on the hour (the wallboard's day,
ticket numbers that carry the month, SLA clocks, the demo's "today so far"). Code never reads
the system clock itself: it is given a clock, so a test pins the moment it cares about and a
demo can be shown at any hour.

``system_clock()`` is the process's clock: the real one, unless ``AGENT_WORKSTATION_CLOCK``
pins it. The pin reads ``<ISO 8601 instant>@<unix time when it was pinned>``: from that instant
the clock runs on at the real rate, so every process given the same value (the server, the
desks and the tests of one run) agrees on "now" to the microsecond, across midnight too. A
value with no ``@`` starts the instant when the process first asks. ``pin`` writes the value.
This is the only module that reads the system's wall clock.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

CLOCK_VARIABLE = "AGENT_WORKSTATION_CLOCK"


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware datetime in UTC."""
        ...


@dataclass(frozen=True)
class SystemClock:
    """The real clock, moved by ``offset``: a pinned run, or a PC whose clock is off."""

    offset: timedelta = timedelta(0)

    def now(self) -> datetime:
        return datetime.fromtimestamp(time.time(), UTC) + self.offset

    def timestamp(self) -> float:
        return time.time() + self.offset.total_seconds()


class ManualClock:
    """A clock that moves only when told: SLA tests move it instead of waiting 24 hours."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = utc(start) if start is not None else SystemClock().now()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def timestamp(self) -> float:
        return self.now().timestamp()

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = utc(moment)


@dataclass(frozen=True)
class ServerTimeSample:
    """One answer's ``Date`` (the server's clock, whole seconds) and when, on this process's
    clock (``system_clock``), the request left and the answer came."""

    server: datetime
    sent: float
    received: float


# The Date header has whole seconds and a request takes a while: below this a PC is as right
# as we can tell, and a correction would only add jitter.
SKEW_TOLERANCE = timedelta(seconds=2)
# A PC's clock drifts: a better measurement than an older one is taken after this long.
SAMPLE_MAX_AGE_S = 600.0


class DeskClock:
    """The desk's now: this process's clock, corrected to the server's when they differ.

    A PC whose clock is 5 minutes off would otherwise stamp calls 5 minutes wrong, count SLA
    deadlines down wrong and start the wallboard's day early. Every answer from the server
    carries its time; the desk measures the difference at sign-in and at each health check and
    adds it (thread-safe: workers and the GUI thread read it)."""

    def __init__(self, base: Clock | None = None) -> None:
        self._base = base or system_clock()
        self._skew = timedelta(0)
        # How far off the skew may be: half the round trip of the answer it came from plus
        # half a second (``Date`` has whole seconds). None: no answer measured yet.
        self._error: timedelta | None = None
        self._measured_at = 0.0  # time.monotonic() of that answer
        self._lock = threading.Lock()

    @property
    def skew(self) -> timedelta:
        """How far the server's clock is ahead of this PC's (negative: behind)."""
        with self._lock:
            return self._skew

    def now(self) -> datetime:
        with self._lock:
            skew = self._skew
        return self._base.now() + skew

    def timestamp(self) -> float:
        return self.now().timestamp()

    def align(self, sample: ServerTimeSample) -> bool:
        """Take the server's time from one answer; True when the correction moved by more than
        ``SKEW_TOLERANCE`` (what the agent is told about).

        The best answer wins, as NTP picks its samples: a slow answer (a loaded server, a first
        sync that waited for its snapshot) says little about when its ``Date`` was written, so
        it replaces a measurement only when that is older than ``SAMPLE_MAX_AGE_S`` or when
        the two disagree by more than both their errors (the PC's clock was set)."""
        round_trip = sample.received - sample.sent
        if round_trip < 0 or round_trip > 10:
            return False  # a clock step during the request, or too slow an answer to trust
        # The server's second began somewhere inside it: take its middle, against the
        # middle of the round trip.
        server = utc(sample.server) + timedelta(milliseconds=500)
        # The sample is on this process's clock; the base may be another (a test's PC).
        shift = self._base.now() - system_clock().now()
        local = datetime.fromtimestamp((sample.sent + sample.received) / 2, UTC) + shift
        measured = server - local
        error = timedelta(seconds=round_trip / 2 + 0.5)
        if abs(measured) <= SKEW_TOLERANCE:
            measured = timedelta(0)  # a PC this close is right enough: no correction at all
        taken = time.monotonic()
        with self._lock:
            known = self._error
            better = (
                known is None
                or error <= known
                or taken - self._measured_at > SAMPLE_MAX_AGE_S
                or abs(measured - self._skew) > error + known
            )
            if not better:
                return False
            moved = abs(measured - self._skew) > SKEW_TOLERANCE
            self._skew, self._error, self._measured_at = measured, error, taken
            return moved


class ClockPinError(ValueError):
    """``AGENT_WORKSTATION_CLOCK`` holds something that is not an instant."""


def pin(instant: datetime, at: float | None = None) -> str:
    """The ``AGENT_WORKSTATION_CLOCK`` value that makes ``instant`` "now" at unix time ``at``
    (now, if not given) for every process that reads it."""
    if instant.tzinfo is None:
        raise ClockPinError(f"{instant.isoformat()} has no time zone: give its UTC offset")
    pinned_at = time.time() if at is None else at
    return f"{instant.isoformat()}@{pinned_at:.6f}"


def parse_pin(value: str, *, now: float | None = None) -> SystemClock:
    """The clock a pin describes; ``ClockPinError`` names what is wrong with the value."""
    if any(ord(character) < 32 for character in value.strip()):
        # Python's ISO parser stops at a NUL and would take the rest for a valid instant.
        raise ClockPinError(f"{CLOCK_VARIABLE}={value!r}: contains a control character")
    instant_text, _, at_text = value.strip().partition("@")
    try:
        instant = datetime.fromisoformat(instant_text)
    except ValueError:
        raise ClockPinError(
            f"{CLOCK_VARIABLE}={value!r}: {instant_text!r} is not an ISO 8601 instant "
            "(e.g. 2026-12-31T23:59:59+08:00)"
        ) from None
    if instant.tzinfo is None:
        raise ClockPinError(f"{CLOCK_VARIABLE}={value!r}: give the instant's UTC offset")
    try:
        pinned_at = float(at_text) if at_text else (time.time() if now is None else now)
    except ValueError:
        raise ClockPinError(
            f"{CLOCK_VARIABLE}={value!r}: {at_text!r} after '@' is not a unix time"
        ) from None
    real = datetime.fromtimestamp(pinned_at, UTC)
    return SystemClock(instant.astimezone(UTC) - real)


def clock_from_environment(environ: Mapping[str, str] | None = None) -> SystemClock:
    value = (os.environ if environ is None else environ).get(CLOCK_VARIABLE, "").strip()
    return parse_pin(value) if value else SystemClock()


@functools.cache
def system_clock() -> SystemClock:
    """This process's clock (read once: every part of the process agrees)."""
    return clock_from_environment()


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time we store is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
