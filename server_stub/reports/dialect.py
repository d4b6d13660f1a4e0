"""The expressions SQLite and PostgreSQL spell differently, behind one small interface.

Local time: PostgreSQL turns each instant into the centre's wall clock with ``AT TIME ZONE``
(daylight saving included, for a centre in such a zone). SQLite has no zone database; it adds
the zone's UTC offset at the start of the report's range (``Asia/Shanghai`` has kept +08:00
since 1991, so nothing is lost there; a report over a DST change in another zone is off by
the hour for part of its range on SQLite). Both yield *local seconds since 1970-01-01*, an
integer: intervals, hours and days are integer divisions of it, the same on both.

Instants are ``UtcStamp`` columns: on SQLite, text of the UTC digits (``strftime('%s')`` reads
them exactly, to the second); on PostgreSQL ``timestamptz``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Float, Integer, cast, func, literal_column, type_coerce
from sqlalchemy.sql.elements import ColumnElement


@dataclass(frozen=True)
class Dialect:
    name: str  # "sqlite" or "postgresql"
    zone: str  # IANA name of the centre's zone
    offset_s: int  # the zone's UTC offset at the range's start (SQLite only)

    @property
    def postgres(self) -> bool:
        return self.name == "postgresql"

    def local_seconds(self, column: Any) -> ColumnElement[int]:
        """The instant as local (wall-clock) seconds since 1970-01-01 00:00."""
        if self.postgres:
            local = func.timezone(self.zone, column)  # = column AT TIME ZONE zone
            return cast(func.floor(func.extract("epoch", local)), BigInteger)
        return cast(func.strftime("%s", column), Integer) + self.offset_s

    def utc_seconds(self, column: Any) -> ColumnElement[int]:
        """The instant as UTC seconds since 1970-01-01 00:00 (whole seconds, floored)."""
        if self.postgres:
            return cast(func.floor(func.extract("epoch", column)), BigInteger)
        return cast(func.strftime("%s", column), Integer)

    def local_seconds_of_slot(self, slot: Any, slot_s: int) -> ColumnElement[int]:
        """Local seconds of the start of a UTC slot (``slot * slot_s`` seconds since the
        epoch): the same local time ``local_seconds`` gives each instant in the slot, since
        zone offsets and their changes fall on whole quarter hours."""
        if self.postgres:
            local = func.timezone(self.zone, func.to_timestamp(slot * slot_s))
            return cast(func.floor(func.extract("epoch", local)), BigInteger)
        return type_coerce(slot * slot_s + self.offset_s, BigInteger)

    def seconds_between(self, start: Any, end: Any) -> ColumnElement[float]:
        """end - start in seconds (a float; NULL when either is NULL)."""
        if self.postgres:
            return cast(func.extract("epoch", end - start), Float)
        # julianday is a double (about 40 µs at today's dates): rounded to the millisecond so
        # that a wait of exactly 20 s is 20.0, as on PostgreSQL.
        return func.round((func.julianday(end) - func.julianday(start)) * 86_400.0, 3)

    def plus_days(self, column: Any, days: int) -> ColumnElement[Any]:
        """The instant ``days`` later, comparable with the column on an index: on SQLite the
        same text form (UTC digits, to the microsecond: ``%f`` gives milliseconds, so the
        last digits are padded)."""
        if self.postgres:
            # A literal interval: a bound timedelta would go through the column's UtcStamp.
            return column + literal_column(f"interval '{int(days)} days'")  # type: ignore[no-any-return]
        return func.strftime("%Y-%m-%d %H:%M:%f000", column, f"+{days} days")

    def json_length(self, column: Any) -> ColumnElement[int]:
        if self.postgres:
            return func.jsonb_array_length(column)
        return func.json_array_length(column)

    def greatest(self, a: Any, b: Any) -> ColumnElement[Any]:
        return func.greatest(a, b) if self.postgres else func.max(a, b)

    def least(self, a: Any, b: Any) -> ColumnElement[Any]:
        return func.least(a, b) if self.postgres else func.min(a, b)
