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

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from agent_desktop.services.report_book import ReportBook, RowScope, SheetKey
from sync.client import ApiClient

VIEW_OWN = "reports.view_own"
VIEW_TEAM = "reports.view_team"


class Granularity(StrEnum):
    INTERVAL = "interval"  # 15 minutes
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


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
    measure: str  # the column's key: "offered", "abandoned", "opened", "calls", …
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
    truncated: bool = False  # the server listed its maximum: there are more


def read_choices(client: ApiClient) -> ReportChoices:
    raise NotImplementedError("waits for sync.contract.reports")


def read_book(
    client: ApiClient, wanted: ReportFilter, choices: ReportChoices | None, now: datetime
) -> ReportBook:
    raise NotImplementedError("waits for sync.contract.reports")


def read_drill(client: ApiClient, wanted: ReportFilter, target: DrillTarget) -> DrillResult:
    raise NotImplementedError("waits for sync.contract.reports")
