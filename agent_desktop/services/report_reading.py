"""What the Reports window asks and what it is answered, on the desk's side of the wire.

- ``ReportFilter``: the window's filter (dates, team, queue, agent, channel, product line,
  granularity);
- ``ReportChoices``: what the filter's lists offer (the teams, queues and agents the user may
  see, the channels and product lines);
- ``DrillTarget`` / ``DrillResult``: one number of a report and the interactions and tickets
  behind it;
- ``read_choices``, ``read_book``, ``read_drill``: the server's answers (contract 1.8,
  ``sync.contract.reports``) turned into these and into a ``ReportBook`` with its titles in
  the user's language. They run in a worker thread (``ReportsService``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from agent_desktop.desk_labels import category_path_label
from agent_desktop.services.report_book import (
    Cell,
    CellKind,
    Column,
    FilterLine,
    HeatMap,
    ReportBook,
    RowScope,
    Sheet,
    SheetKey,
)
from sync.client import ApiClient
from sync.contract import reports as wire
from sync.contract.records import Channel
from sync.contract.reports import (
    ABANDON_BOUNDS_S,
    MAX_DAYS,
    MAX_INTERVAL_DAYS,
    Granularity,
)
from sync.contract.rules import CENTRE_ZONE

DRILL_PAGE = 200  # records listed behind a number (the dialog says when there are more)


@dataclass(frozen=True, slots=True)
class ReportFilter:
    start: date
    end: date  # inclusive
    granularity: Granularity = Granularity.DAY
    team_id: int | None = None
    queue: str | None = None
    agent_id: int | None = None
    channel: str | None = None
    product_line: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    value: str  # what the filter sends ("" = all)
    label: str  # what the list shows


@dataclass(frozen=True, slots=True)
class ReportChoices:
    teams: tuple[Choice, ...] = ()
    queues: tuple[Choice, ...] = ()
    agents: tuple[Choice, ...] = ()
    channels: tuple[Choice, ...] = ()
    product_lines: tuple[Choice, ...] = ()

    def label(self, kind: str, value: str | int | None) -> str | None:
        if value is None:
            return None
        found = next((c for c in getattr(self, kind) if c.value == str(value)), None)
        return found.label if found is not None else str(value)


@dataclass(frozen=True, slots=True)
class DrillTarget:
    sheet: SheetKey
    measure: str  # the column's key: "offered", "abandoned", "opened", "handled", …
    scope: RowScope
    title: str  # "Abandoned · 2026-12-02", for the dialog's title


@dataclass(frozen=True, slots=True)
class DrillInteraction:
    id: int
    started_at: datetime
    agent: str
    queue: str
    channel: str
    outcome: str  # answered, abandoned, …
    wait_s: float | None
    talk_s: float | None
    customer: str


@dataclass(frozen=True, slots=True)
class DrillTicket:
    id: int
    number: str
    summary: str
    status: str
    category: str
    opened_at: datetime | None


@dataclass(frozen=True, slots=True)
class DrillResult:
    target: DrillTarget
    interactions: tuple[DrillInteraction, ...]
    tickets: tuple[DrillTicket, ...]
    truncated: bool = False  # the server has more after this page
    offset: int = 0  # this page's first record among all of them
    total: int = 0  # all the records behind the number


class FilterError(ValueError):
    """A filter the server would refuse, said in the user's language before asking."""


def channel_label(channel: Channel) -> str:
    return {
        Channel.PHONE: QCoreApplication.translate("ReportReading", "Phone"),
        Channel.EMAIL: QCoreApplication.translate("ReportReading", "E-mail"),
        Channel.WEB: QCoreApplication.translate("ReportReading", "Web"),
        Channel.SMS: QCoreApplication.translate("ReportReading", "SMS"),
        Channel.WECHAT: QCoreApplication.translate("ReportReading", "WeChat"),
        Channel.PORTAL: QCoreApplication.translate("ReportReading", "Customer portal"),
    }.get(channel, channel.value)  # (a channel a newer server adds: its own name)


def to_wire(wanted: ReportFilter) -> wire.ReportFilter:
    days = (wanted.end - wanted.start).days + 1
    if days > MAX_DAYS:
        raise FilterError(
            QCoreApplication.translate(
                "ReportReading", "A report covers at most %1 days; choose a shorter range."
            ).replace("%1", str(MAX_DAYS))
        )
    if wanted.granularity is Granularity.INTERVAL and days > MAX_INTERVAL_DAYS:
        raise FilterError(
            QCoreApplication.translate(
                "ReportReading",
                "15-minute periods cover at most %1 days; choose a shorter range or days.",
            ).replace("%1", str(MAX_INTERVAL_DAYS))
        )
    return wire.ReportFilter(
        date_from=wanted.start,
        date_to=wanted.end,
        team_id=wanted.team_id,
        queue=wanted.queue,
        agent_id=wanted.agent_id,
        channel=Channel(wanted.channel) if wanted.channel else None,
        product_line=wanted.product_line,
        granularity=wanted.granularity,
    )


def read_choices(client: ApiClient) -> ReportChoices:
    found = client.report_dimensions()
    return ReportChoices(
        teams=tuple(Choice(str(t.id), t.name) for t in found.teams),
        queues=tuple(Choice(q, q) for q in found.queues),
        agents=tuple(Choice(str(a.id), a.name) for a in found.agents),
        channels=tuple(Choice(c.value, channel_label(c)) for c in found.channels),
        product_lines=tuple(Choice(p, p) for p in found.product_lines),
    )


# -- the book -------------------------------------------------------------------------------------

# Which drill-down measure each drillable column asks the server for.
DRILL_MEASURES: dict[tuple[SheetKey, str], wire.DrillMeasure] = {
    (SheetKey.TRAFFIC, "offered"): wire.DrillMeasure.OFFERED,
    (SheetKey.TRAFFIC, "answered"): wire.DrillMeasure.ANSWERED,
    (SheetKey.TRAFFIC, "abandoned"): wire.DrillMeasure.ABANDONED,
    (SheetKey.HANDLING, "handled"): wire.DrillMeasure.HANDLED,
    (SheetKey.HANDLING, "transferred"): wire.DrillMeasure.TRANSFERRED,
    (SheetKey.HANDLING, "repeat_callers"): wire.DrillMeasure.REPEAT,
    (SheetKey.SERVICE, "opened"): wire.DrillMeasure.TICKETS_OPENED,
    (SheetKey.SERVICE, "overdue"): wire.DrillMeasure.TICKETS_OVERDUE,
    (SheetKey.SERVICE, "complaints"): wire.DrillMeasure.COMPLAINTS,
    (SheetKey.SERVICE, "escalated"): wire.DrillMeasure.ESCALATED,
    (SheetKey.SERVICE_MODEL, "opened"): wire.DrillMeasure.TICKETS_OPENED,
    (SheetKey.SERVICE_MODEL, "overdue"): wire.DrillMeasure.TICKETS_OVERDUE,
    (SheetKey.SERVICE_REGION, "opened"): wire.DrillMeasure.TICKETS_OPENED,
    (SheetKey.SERVICE_REGION, "overdue"): wire.DrillMeasure.TICKETS_OVERDUE,
    (SheetKey.PEOPLE, "handled"): wire.DrillMeasure.HANDLED,
}


def _column(sheet: SheetKey, key: str, title: str, kind: CellKind) -> Column:
    return Column(key, title, kind, drillable=(sheet, key) in DRILL_MEASURES)


def _period_column(granularity: Granularity) -> Column:
    title = {
        Granularity.INTERVAL: QCoreApplication.translate("ReportReading", "Interval"),
        Granularity.DAY: QCoreApplication.translate("ReportReading", "Day"),
        Granularity.WEEK: QCoreApplication.translate("ReportReading", "Week of"),
        Granularity.MONTH: QCoreApplication.translate("ReportReading", "Month"),
    }[granularity]
    kind = CellKind.DATETIME if granularity is Granularity.INTERVAL else CellKind.DATE
    return Column("period", title, kind)


def _period_cell(start: datetime, granularity: Granularity) -> Cell:
    return start.replace(tzinfo=None) if granularity is Granularity.INTERVAL else start.date()


def _bucket_titles() -> list[str]:
    bounds = list(ABANDON_BOUNDS_S)
    titles = [
        QCoreApplication.translate("ReportReading", "Abandoned < %1 s").replace(
            "%1", str(bounds[0])
        )
    ]
    for low, high in pairwise(bounds):
        titles.append(
            QCoreApplication.translate("ReportReading", "Abandoned %1–%2 s")
            .replace("%1", str(low))
            .replace("%2", str(high))
        )
    titles.append(
        QCoreApplication.translate("ReportReading", "Abandoned ≥ %1 s").replace(
            "%1", str(bounds[-1])
        )
    )
    return titles


def traffic_sheet(report: wire.TrafficReport) -> Sheet:
    key, granularity = SheetKey.TRAFFIC, report.filter.granularity
    buckets = _bucket_titles()
    columns = (
        _period_column(granularity),
        _column(
            key, "offered", QCoreApplication.translate("ReportReading", "Offered"), CellKind.COUNT
        ),
        _column(
            key, "answered", QCoreApplication.translate("ReportReading", "Answered"), CellKind.COUNT
        ),
        _column(
            key,
            "abandoned",
            QCoreApplication.translate("ReportReading", "Abandoned"),
            CellKind.COUNT,
        ),
        _column(
            key,
            "service_level",
            QCoreApplication.translate("ReportReading", "Service level"),
            CellKind.PERCENT,
        ),
        _column(
            key,
            "answer_rate",
            QCoreApplication.translate("ReportReading", "Answer rate"),
            CellKind.PERCENT,
        ),
        _column(
            key,
            "average_answer",
            QCoreApplication.translate("ReportReading", "Average answer"),
            CellKind.SECONDS,
        ),
        *(_column(key, f"abandoned_{n}", title, CellKind.COUNT) for n, title in enumerate(buckets)),
        _column(
            key, "outbound", QCoreApplication.translate("ReportReading", "Outbound"), CellKind.COUNT
        ),
    )

    def row(period: wire.TrafficPeriod, first: Cell) -> tuple[Cell, ...]:
        after = list(period.abandoned_after) + [0] * (len(buckets) - len(period.abandoned_after))
        return (
            first,
            period.offered,
            period.answered,
            period.abandoned,
            period.service_level,
            period.answer_rate,
            period.average_answer_s,
            *after[: len(buckets)],
            period.outbound,
        )

    return Sheet(
        key,
        QCoreApplication.translate("ReportReading", "Traffic"),
        columns,
        tuple(row(p, _period_cell(p.start, granularity)) for p in report.periods),
        scopes=tuple(RowScope(start=p.start) for p in report.periods),
        totals=row(report.totals, QCoreApplication.translate("ReportReading", "Total")),
    )


def heat_map(report: wire.TrafficReport) -> HeatMap:
    counts = [[0] * 24 for _ in range(7)]
    for cell in report.heatmap:
        counts[cell.weekday][cell.hour] = cell.offered
    names = (
        QCoreApplication.translate("ReportReading", "Mon"),
        QCoreApplication.translate("ReportReading", "Tue"),
        QCoreApplication.translate("ReportReading", "Wed"),
        QCoreApplication.translate("ReportReading", "Thu"),
        QCoreApplication.translate("ReportReading", "Fri"),
        QCoreApplication.translate("ReportReading", "Sat"),
        QCoreApplication.translate("ReportReading", "Sun"),
    )
    return HeatMap(
        QCoreApplication.translate("ReportReading", "Calls offered by weekday and hour"),
        names,
        tuple(tuple(r) for r in counts),
    )


def handling_sheet(report: wire.HandlingReport) -> Sheet:
    key, granularity = SheetKey.HANDLING, report.filter.granularity
    columns = (
        _period_column(granularity),
        _column(
            key, "handled", QCoreApplication.translate("ReportReading", "Handled"), CellKind.COUNT
        ),
        _column(
            key,
            "avg_talk",
            QCoreApplication.translate("ReportReading", "Average talk"),
            CellKind.SECONDS,
        ),
        _column(
            key,
            "avg_hold",
            QCoreApplication.translate("ReportReading", "Average hold"),
            CellKind.SECONDS,
        ),
        _column(
            key,
            "avg_wrap",
            QCoreApplication.translate("ReportReading", "Average wrap-up"),
            CellKind.SECONDS,
        ),
        _column(
            key,
            "aht",
            QCoreApplication.translate("ReportReading", "Average handle time"),
            CellKind.SECONDS,
        ),
        _column(
            key,
            "transferred",
            QCoreApplication.translate("ReportReading", "Transferred"),
            CellKind.COUNT,
        ),
        _column(
            key,
            "transfers",
            QCoreApplication.translate("ReportReading", "Transfers"),
            CellKind.COUNT,
        ),
        _column(
            key,
            "fcr",
            QCoreApplication.translate("ReportReading", "First-contact resolution"),
            CellKind.PERCENT,
        ),
        _column(
            key,
            "repeat_callers",
            QCoreApplication.translate("ReportReading", "Repeat callers"),
            CellKind.COUNT,
        ),
    )

    def row(period: wire.HandlingPeriod, first: Cell) -> tuple[Cell, ...]:
        return (
            first,
            period.handled,
            period.average_talk_s,
            period.average_hold_s,
            period.average_wrap_up_s,
            period.average_handle_s,
            period.transferred,
            period.transfers,
            period.fcr_rate,
            period.repeat_callers,
        )

    return Sheet(
        key,
        QCoreApplication.translate("ReportReading", "Handling"),
        columns,
        tuple(row(p, _period_cell(p.start, granularity)) for p in report.periods),
        scopes=tuple(RowScope(start=p.start) for p in report.periods),
        totals=row(report.totals, QCoreApplication.translate("ReportReading", "Total")),
    )


def _tickets_sheet(
    key: SheetKey,
    title: str,
    first: str,
    rows: list[wire.TicketCounts],
    totals: wire.TicketCounts,
    label: Callable[[str], str] = str,
) -> Sheet:
    columns = (
        Column("key", first, CellKind.TEXT),
        _column(
            key, "opened", QCoreApplication.translate("ReportReading", "Opened"), CellKind.COUNT
        ),
        _column(
            key, "resolved", QCoreApplication.translate("ReportReading", "Resolved"), CellKind.COUNT
        ),
        _column(
            key, "overdue", QCoreApplication.translate("ReportReading", "Overdue"), CellKind.COUNT
        ),
        _column(
            key,
            "sla_compliance",
            QCoreApplication.translate("ReportReading", "SLA compliance"),
            CellKind.PERCENT,
        ),
        _column(
            key,
            "complaints",
            QCoreApplication.translate("ReportReading", "Complaints"),
            CellKind.COUNT,
        ),
        _column(
            key,
            "escalated",
            QCoreApplication.translate("ReportReading", "Escalations"),
            CellKind.COUNT,
        ),
    )

    def row(counts: wire.TicketCounts, name: Cell) -> tuple[Cell, ...]:
        return (
            name,
            counts.opened,
            counts.resolved,
            counts.overdue,
            counts.sla_compliance,
            counts.complaints,
            counts.escalated,
        )

    unknown = QCoreApplication.translate("ReportReading", "(none)")
    return Sheet(
        key,
        title,
        columns,
        tuple(row(c, label(c.key) if c.key else unknown) for c in rows),
        scopes=tuple(RowScope(key=c.key or None) for c in rows),
        totals=row(totals, QCoreApplication.translate("ReportReading", "Total")),
    )


def service_sheets(report: wire.ServiceReport, chinese: bool = False) -> tuple[Sheet, ...]:
    figures = Sheet(
        SheetKey.SERVICE_FIGURES,
        QCoreApplication.translate("ReportReading", "Service figures"),
        (
            Column("figure", QCoreApplication.translate("ReportReading", "Figure"), CellKind.TEXT),
            Column("count", QCoreApplication.translate("ReportReading", "Count"), CellKind.COUNT),
            Column("share", QCoreApplication.translate("ReportReading", "Share"), CellKind.PERCENT),
            Column(
                "average",
                QCoreApplication.translate("ReportReading", "Average (1–5)"),
                CellKind.NUMBER,
            ),
        ),
        (
            (
                QCoreApplication.translate("ReportReading", "SLA compliance (resolved tickets)"),
                report.totals.resolved,
                report.totals.sla_compliance,
                None,
            ),
            (
                QCoreApplication.translate("ReportReading", "First visits fixed"),
                report.first_visits,
                report.first_visit_fix_rate,
                None,
            ),
            (
                QCoreApplication.translate("ReportReading", "Callbacks reached"),
                report.callbacks,
                report.callback_reach_rate,
                None,
            ),
            (
                QCoreApplication.translate("ReportReading", "Satisfaction"),
                report.satisfaction_count,
                None,
                report.average_satisfaction,
            ),
            (
                QCoreApplication.translate(
                    "ReportReading", "Questions answered from the knowledge base"
                ),
                report.kb_questions,
                report.kb_coverage,
                None,
            ),
        ),
    )
    return (
        _tickets_sheet(
            SheetKey.SERVICE,
            QCoreApplication.translate("ReportReading", "Tickets by category"),
            QCoreApplication.translate("ReportReading", "Category"),
            report.by_category,
            report.totals,
            lambda code: category_path_label(code, chinese),
        ),
        figures,
        _tickets_sheet(
            SheetKey.SERVICE_MODEL,
            QCoreApplication.translate("ReportReading", "Tickets by model"),
            QCoreApplication.translate("ReportReading", "Model"),
            report.by_model,
            report.totals,
        ),
        _tickets_sheet(
            SheetKey.SERVICE_REGION,
            QCoreApplication.translate("ReportReading", "Tickets by region"),
            QCoreApplication.translate("ReportReading", "Region"),
            report.by_region,
            report.totals,
        ),
    )


def people_sheet(report: wire.PeopleReport) -> Sheet:
    key = SheetKey.PEOPLE
    columns = (
        Column("agent", QCoreApplication.translate("ReportReading", "Agent"), CellKind.TEXT),
        _column(
            key,
            "handled",
            QCoreApplication.translate("ReportReading", "Calls handled"),
            CellKind.COUNT,
        ),
        _column(
            key, "inbound", QCoreApplication.translate("ReportReading", "Inbound"), CellKind.COUNT
        ),
        _column(
            key, "outbound", QCoreApplication.translate("ReportReading", "Outbound"), CellKind.COUNT
        ),
        _column(
            key,
            "aht",
            QCoreApplication.translate("ReportReading", "Average handle time"),
            CellKind.SECONDS,
        ),
        _column(
            key,
            "occupancy",
            QCoreApplication.translate("ReportReading", "Occupancy"),
            CellKind.PERCENT,
        ),
        _column(
            key,
            "adherence",
            QCoreApplication.translate("ReportReading", "Adherence"),
            CellKind.PERCENT,
        ),
        _column(
            key,
            "qa_score",
            QCoreApplication.translate("ReportReading", "QA score %"),
            CellKind.NUMBER,
        ),
        _column(
            key,
            "qa_evaluations",
            QCoreApplication.translate("ReportReading", "Evaluations"),
            CellKind.COUNT,
        ),
        _column(
            key,
            "satisfaction",
            QCoreApplication.translate("ReportReading", "Satisfaction (1–5)"),
            CellKind.NUMBER,
        ),
    )
    agents = sorted(report.agents, key=lambda a: (-a.handled, a.name))
    return Sheet(
        key,
        QCoreApplication.translate("ReportReading", "People"),
        columns,
        tuple(
            (
                a.name,
                a.handled,
                a.inbound,
                a.outbound,
                a.average_handle_s,
                a.occupancy,
                a.adherence,
                a.qa_average_pct,
                a.qa_evaluations,
                a.average_satisfaction,
            )
            for a in agents
        ),
        scopes=tuple(RowScope(agent_id=a.agent_id) for a in agents),
    )


def filter_lines(wanted: ReportFilter, choices: ReportChoices | None) -> tuple[FilterLine, ...]:
    everyone = QCoreApplication.translate("ReportReading", "All")
    known = choices or ReportChoices()
    granularity = {
        Granularity.INTERVAL: QCoreApplication.translate("ReportReading", "15 minutes"),
        Granularity.DAY: QCoreApplication.translate("ReportReading", "Day"),
        Granularity.WEEK: QCoreApplication.translate("ReportReading", "Week"),
        Granularity.MONTH: QCoreApplication.translate("ReportReading", "Month"),
    }[wanted.granularity]
    channel = Channel(wanted.channel) if wanted.channel else None
    return (
        FilterLine(
            QCoreApplication.translate("ReportReading", "Dates"),
            f"{wanted.start.isoformat()} – {wanted.end.isoformat()}",
        ),
        FilterLine(QCoreApplication.translate("ReportReading", "By"), granularity),
        FilterLine(
            QCoreApplication.translate("ReportReading", "Team"),
            known.label("teams", wanted.team_id) or everyone,
        ),
        FilterLine(QCoreApplication.translate("ReportReading", "Queue"), wanted.queue or everyone),
        FilterLine(
            QCoreApplication.translate("ReportReading", "Agent"),
            known.label("agents", wanted.agent_id) or everyone,
        ),
        FilterLine(
            QCoreApplication.translate("ReportReading", "Channel"),
            channel_label(channel) if channel else everyone,
        ),
        FilterLine(
            QCoreApplication.translate("ReportReading", "Product line"),
            wanted.product_line or everyone,
        ),
    )


def read_book(
    client: ApiClient,
    wanted: ReportFilter,
    choices: ReportChoices | None,
    now: datetime,
    own_name: str | None = None,
    chinese: bool = False,
) -> ReportBook:
    """The four reports for ``wanted`` (four requests, in this worker thread)."""
    asked = to_wire(wanted)
    traffic = client.report_traffic(asked)
    handling = client.report_handling(asked)
    service = client.report_service(asked)
    people = client.report_people(asked)
    lines = filter_lines(wanted, choices)
    if own_name is not None:  # an agent: their own figures, whatever the lists say
        lines = tuple(
            FilterLine(line.label, own_name)
            if line.label == QCoreApplication.translate("ReportReading", "Agent")
            else line
            for line in lines
            if line.label != QCoreApplication.translate("ReportReading", "Team")
        )
    notes = []
    if traffic.answer_within_s is None:
        notes.append(
            QCoreApplication.translate(
                "ReportReading", "Service level: each queue's own answer target."
            )
        )
    else:
        notes.append(
            QCoreApplication.translate(
                "ReportReading", "Service level: answered within %1 s."
            ).replace("%1", str(traffic.answer_within_s))
        )
    title = (
        QCoreApplication.translate("ReportReading", "My figures")
        if own_name is not None
        else QCoreApplication.translate("ReportReading", "Contact centre report")
    )
    return ReportBook(
        title=title,
        filter_lines=lines,
        generated_at=now,
        sheets=(
            traffic_sheet(traffic),
            handling_sheet(handling),
            *service_sheets(service, chinese),
            people_sheet(people),
        ),
        heat_map=heat_map(traffic),
        notes=tuple(notes),
    )


# -- drill-down -----------------------------------------------------------------------------------


def read_drill(
    client: ApiClient,
    wanted: ReportFilter,
    target: DrillTarget,
    chinese: bool = False,
    offset: int = 0,
) -> DrillResult:
    measure = DRILL_MEASURES.get((target.sheet, target.measure))
    if measure is None:
        raise FilterError(
            QCoreApplication.translate("ReportReading", "This number has no records to list.")
        )
    scoped = wanted
    if target.scope.agent_id is not None:
        scoped = replace(wanted, agent_id=target.scope.agent_id)
    page = client.report_drill(
        to_wire(scoped),
        wire.DrillQuery(
            measure=measure,
            period=target.scope.start,
            key=target.scope.key,
            offset=offset,
            limit=DRILL_PAGE,
        ),
    )
    centre = ZoneInfo(CENTRE_ZONE)  # the reports' days are the centre's: so are its times
    return DrillResult(
        target=target,
        interactions=tuple(
            DrillInteraction(
                id=i.id,
                started_at=i.started_at.astimezone(centre),
                agent=i.agent_name,
                queue=i.queue,
                channel=i.kind,
                outcome=i.disposition
                or (
                    QCoreApplication.translate("ReportReading", "answered")
                    if i.answered_at
                    else QCoreApplication.translate("ReportReading", "abandoned")
                ),
                wait_s=i.wait_s,
                talk_s=i.talk_s,
                customer=str(i.customer_id) if i.customer_id is not None else "",
            )
            for i in page.interactions
        ),
        tickets=tuple(
            DrillTicket(
                id=t.id,
                number=t.number,
                summary=" · ".join(x for x in (t.model, t.region) if x),
                status=t.status,
                category=category_path_label(t.category, chinese),
                opened_at=t.opened_at.astimezone(centre),
            )
            for t in page.tickets
        ),
        truncated=page.total > page.offset + len(page.interactions) + len(page.tickets),
        offset=page.offset,
        total=page.total,
    )
