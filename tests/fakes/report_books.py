"""A small hand-made report book (a desk-side ``ReportBook``) for the exports' and the
window's tests: two days of traffic, one crossing into an empty interval, two agents."""

from __future__ import annotations

from datetime import UTC, date, datetime

from agent_desktop.services.report_book import (
    CellKind,
    Column,
    FilterLine,
    HeatMap,
    ReportBook,
    RowScope,
    Sheet,
    SheetKey,
)


def sample_book(title: str = "Team report 团队报表") -> ReportBook:
    traffic = Sheet(
        SheetKey.TRAFFIC,
        "Traffic 话务",
        (
            Column("period", "Day", CellKind.DATE),
            Column("offered", "Offered", CellKind.COUNT, drillable=True),
            Column("answered", "Answered", CellKind.COUNT, drillable=True),
            Column("abandoned", "Abandoned", CellKind.COUNT, drillable=True),
            Column("service_level", "Service level", CellKind.PERCENT),
            Column("avg_abandon_wait", "Abandoned after", CellKind.SECONDS),
        ),
        (
            (date(2026, 11, 30), 120, 110, 10, 0.8125, 41.5),
            (date(2026, 12, 1), 0, 0, 0, None, None),
            (date(2026, 12, 2), 95, 90, 5, 0.9, 12.0),
        ),
        scopes=(
            RowScope(datetime(2026, 11, 30, tzinfo=UTC)),
            RowScope(datetime(2026, 12, 1, tzinfo=UTC)),
            RowScope(datetime(2026, 12, 2, tzinfo=UTC)),
        ),
        totals=("Total", 215, 200, 15, 0.85, 31.7),
    )
    people = Sheet(
        SheetKey.PEOPLE,
        "People 人员",
        (
            Column("agent", "Agent", CellKind.TEXT),
            Column("handled", "Calls", CellKind.COUNT, drillable=True),
            Column("aht", "Average handle time", CellKind.SECONDS),
            Column("qa_score", "QA score", CellKind.NUMBER),
        ),
        (("王芳", 120, 305.0, 92.5), ("Alice", 80, 280.0, None)),
        scopes=(RowScope(agent_id=1), RowScope(agent_id=2)),
    )
    counts = tuple(
        tuple((day + 1) * 3 if 9 <= hour < 18 else 0 for hour in range(24)) for day in range(7)
    )
    heat = HeatMap(
        "Calls by weekday and hour", ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), counts
    )
    return ReportBook(
        title=title,
        filter_lines=(
            FilterLine("Dates", "2026-11-30 – 2026-12-02"),
            FilterLine("Team", "医疗设备热线"),
        ),
        generated_at=datetime(2026, 12, 3, 8, 30, tzinfo=UTC),
        sheets=(traffic, people),
        heat_map=heat,
    )
