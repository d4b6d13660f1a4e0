"""The server's reports (contract 1.8 models, built by hand here) turned into the desk's book:
periods as dates or moments, no calls as "nothing" rather than 0 %, abandoned calls by how
long the caller waited, drillable columns, the filter said in the header; and the filters the
server would refuse said before asking."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from agent_desktop.services.report_book import CellKind, SheetKey
from agent_desktop.services.report_reading import (
    Choice,
    FilterError,
    ReportChoices,
    ReportFilter,
    filter_lines,
    heat_map,
    people_sheet,
    service_sheets,
    to_wire,
    traffic_sheet,
)
from sync.contract import reports as wire

ZONE = ZoneInfo("Asia/Shanghai")
WANTED = ReportFilter(start=date(2026, 11, 30), end=date(2026, 12, 1))


def test_traffic_periods_become_days_with_nothing_for_no_calls() -> None:
    report = wire.TrafficReport(
        filter=to_wire(WANTED),
        zone="Asia/Shanghai",
        answer_within_s=20,
        totals=wire.TrafficPeriod(
            start=datetime(2026, 11, 30, tzinfo=ZONE),
            offered=10,
            answered=8,
            abandoned=2,
            abandoned_after=[1, 0, 1, 0, 0],
            answered_within=6,
        ),
        periods=[
            wire.TrafficPeriod(
                start=datetime(2026, 11, 30, tzinfo=ZONE),
                offered=10,
                answered=8,
                abandoned=2,
                abandoned_after=[1, 0, 1, 0, 0],
                answered_within=6,
                total_wait_s=40.0,
            ),
            wire.TrafficPeriod(start=datetime(2026, 12, 1, tzinfo=ZONE)),
        ],
        heatmap=[wire.HeatCell(weekday=0, hour=9, offered=10, answered=8)],
    )
    sheet = traffic_sheet(report)
    assert sheet.columns[0].kind == CellKind.DATE
    assert sheet.values("period") == [date(2026, 11, 30), date(2026, 12, 1)]
    assert sheet.values("service_level") == [0.6, None]  # no calls: no service level
    assert sheet.values("average_answer") == [5.0, None]
    assert sheet.values("abandoned_0") == [1, 0]
    assert sheet.values("abandoned_2") == [1, 0]
    assert [c.title for c in sheet.columns[7:12]] == [
        "Abandoned < 10 s", "Abandoned 10–30 s", "Abandoned 30–60 s", "Abandoned 60–120 s",
        "Abandoned ≥ 120 s",
    ]  # fmt: skip
    assert sheet.columns[sheet.column("abandoned")].drillable
    assert not sheet.columns[sheet.column("service_level")].drillable
    assert sheet.scopes[1].start == datetime(2026, 12, 1, tzinfo=ZONE)
    assert sheet.totals is not None
    assert sheet.totals[:4] == ("Total", 10, 8, 2)
    heat = heat_map(report)
    assert heat.counts[0][9] == 10
    assert heat.peak == 10


def test_service_and_people_sheets() -> None:
    counts = wire.TicketCounts(key="repair", opened=4, resolved=2, resolved_in_time=1)
    report = wire.ServiceReport(
        filter=to_wire(WANTED),
        zone="Asia/Shanghai",
        totals=counts,
        periods=[],
        by_category=[counts, wire.TicketCounts(key="")],
        by_model=[],
        by_region=[],
        first_visits=4,
        first_visit_fixed=3,
        kb_questions=10,
        kb_answered=8,
    )
    by_category, figures, _model, _region = service_sheets(report)
    assert by_category.values("key") == ["repair", "(none)"]
    assert by_category.values("sla_compliance") == [0.5, None]
    assert by_category.scopes[0].key == "repair"
    assert by_category.scopes[1].key is None
    assert figures.key == SheetKey.SERVICE_FIGURES
    assert figures.values("share")[1] == 0.75  # first-visit fix rate
    assert figures.values("share")[4] == 0.8  # knowledge-base coverage
    people = people_sheet(
        wire.PeopleReport(
            filter=to_wire(WANTED),
            zone="Asia/Shanghai",
            agents=[
                wire.AgentFigures(agent_id=2, name="Alice", team_id=1, handled=3, talk_s=300),
                wire.AgentFigures(agent_id=1, name="王芳", team_id=1, handled=5, talk_s=500),
            ],
        )
    )
    assert people.values("agent") == ["王芳", "Alice"]  # the busiest first
    assert people.values("aht") == [100.0, 100.0]
    assert people.values("occupancy") == [None, None]  # no state history: nothing, not 0 %
    assert [s.agent_id for s in people.scopes] == [1, 2]


def test_filters_the_server_would_refuse_are_said_first() -> None:
    with pytest.raises(FilterError, match="at most 31 days"):
        to_wire(ReportFilter(date(2026, 1, 1), date(2026, 3, 1), wire.Granularity.INTERVAL))
    with pytest.raises(FilterError, match="at most 400 days"):
        to_wire(ReportFilter(date(2024, 1, 1), date(2026, 3, 1)))
    asked = to_wire(ReportFilter(date(2026, 11, 30), date(2026, 12, 1), team_id=2, channel="phone"))
    assert asked.query()["team_id"] == "2"
    assert asked.query()["channel"] == "phone"


def test_the_header_names_the_filter() -> None:
    choices = ReportChoices(teams=(Choice("2", "打印机与电子"),))
    lines = filter_lines(ReportFilter(date(2026, 11, 30), date(2026, 12, 1), team_id=2), choices)
    said = {line.label: line.value for line in lines}
    assert said["Dates"] == "2026-11-30 – 2026-12-01"
    assert said["Team"] == "打印机与电子"
    assert said["Agent"] == "All"
