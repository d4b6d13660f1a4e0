"""A report as the desk shows and exports it (issue 21): typed sheets of typed cells, with the
filter that made them, in the user's language.

The server answers figures (``sync.contract.reports``); ``services/report_reading.py`` turns
them into a ``ReportBook``: one ``Sheet`` per report (traffic, handling, service, people), each
column saying what kind of value it holds (a count, a share, seconds, a day), titles already
translated. The Reports window's tables and charts, the Excel workbook and the PDF all read the
same book, so what is exported is what was on screen.

No Qt here beyond ``QCoreApplication.translate`` in the builders (``report_reading.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

# A cell: text, a number, a day or a moment; None when there is nothing to say (no calls in
# the interval: no service level, not 0 %).
Cell = str | int | float | date | datetime | None


class CellKind(StrEnum):
    TEXT = "text"
    COUNT = "count"  # calls, tickets: an integer
    PERCENT = "percent"  # a share 0..1, shown as 83.4 %
    SECONDS = "seconds"  # a duration, shown as 3:05
    NUMBER = "number"  # a score, an average of scores
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # stable, language-free (the drill-down's measure, a test's handle)
    title: str  # in the user's language
    kind: CellKind
    drillable: bool = False  # a number here opens the interactions / tickets behind it


class SheetKey(StrEnum):
    TRAFFIC = "traffic"
    HANDLING = "handling"
    SERVICE = "service"  # tickets by category
    SERVICE_FIGURES = "service_figures"  # SLA, first-visit fix, callbacks, satisfaction, KB
    SERVICE_MODEL = "service_model"
    SERVICE_REGION = "service_region"
    PEOPLE = "people"


@dataclass(frozen=True, slots=True)
class RowScope:
    """Which records a row stands for, so a number in it can be drilled into: a period (its
    first instant), or one agent, or one ticket category / model / region (``key``)."""

    start: datetime | None = None
    agent_id: int | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Sheet:
    key: SheetKey
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    scopes: tuple[RowScope, ...] = ()  # one per row when the rows can be drilled into
    totals: tuple[Cell, ...] | None = None  # the whole period's figures (same columns)

    def column(self, key: str) -> int:
        """The index of the column ``key`` (KeyError when the sheet has none)."""
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(key)

    def values(self, key: str) -> list[Cell]:
        index = self.column(key)
        return [row[index] for row in self.rows]


@dataclass(frozen=True, slots=True)
class HeatMap:
    """Calls offered by weekday (rows, Monday first) × hour of the day (columns, 0..23)."""

    title: str
    weekdays: tuple[str, ...]  # the rows' names in the user's language
    counts: tuple[tuple[int, ...], ...]  # 7 rows of 24

    @property
    def peak(self) -> int:
        return max((max(row) for row in self.counts), default=0)


@dataclass(frozen=True, slots=True)
class FilterLine:
    """One line of the filter as the report's header says it ("Team: 医疗设备热线")."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class ReportBook:
    title: str
    filter_lines: tuple[FilterLine, ...]
    generated_at: datetime
    sheets: tuple[Sheet, ...]
    heat_map: HeatMap | None = None
    notes: tuple[str, ...] = field(default=())  # what the figures leave out, said once

    def sheet(self, key: SheetKey) -> Sheet | None:
        return next((s for s in self.sheets if s.key == key), None)

    @property
    def empty(self) -> bool:
        return all(not s.rows for s in self.sheets)


def present(sheets: Sequence[Sheet]) -> tuple[Sheet, ...]:
    """The sheets in the order the window's tabs and the exports show them."""
    order = list(SheetKey)
    return tuple(sorted(sheets, key=lambda s: order.index(s.key)))
