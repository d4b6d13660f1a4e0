"""How a report's cell reads on screen and in the PDF: counts with separators, shares as
"83.4 %", durations as m:ss (a handle time is read to the second), days as 2026-12-06 in both
languages (the form Chinese reports use too), and "–" where there is nothing to say (no calls
in the interval: no service level)."""

from __future__ import annotations

from datetime import date, datetime

from agent_desktop.services.report_book import Cell, CellKind

NOTHING = "–"


def duration(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def cell_text(value: Cell, kind: CellKind) -> str:
    if value is None or value == "":
        return NOTHING
    if isinstance(value, datetime):
        if kind == CellKind.DATE:
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if kind == CellKind.PERCENT:
        return f"{value * 100:.1f} %"
    if kind == CellKind.SECONDS:
        return duration(value)
    if kind == CellKind.COUNT:
        return f"{round(value):,}"
    if kind == CellKind.NUMBER:
        return f"{value:,.1f}"
    return str(value)


def sort_key(value: Cell) -> float | str:
    """A key that sorts a column by its values, not its text ("10:05" after "9:59")."""
    if value is None:
        return float("-inf")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return float(value)
    return value
