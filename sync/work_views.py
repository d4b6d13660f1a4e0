"""Reads for the work lists and forms (tickets, dispatches, callbacks) from the local cache.

Like the screen pop's reads, on a read-only connection of their own (WAL: never waits for the
writer). Lists are read as plain rows with the fields a list shows, joined by SQLite; the
ticket list is read whole once, then only the rows a change touches (``tickets_by_id``, see
``agent_desktop.services.ticket_index``). Sorting and filtering happen in the UI's models, in
memory. One instance per thread.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sync.cache_schema import CUSTOMER_OF, NUMBER_OF, TICKET_OF
from sync.contract.records import DispatchStatus, Role
from sync.contract.rules import DISPATCH_OPEN, is_expert
from sync.contract.skills import level_in
from sync.contract.wire import (
    AssetOut,
    CampaignOut,
    CustomerOut,
    DispatchOut,
    InteractionOut,
    TaskOut,
    TicketOut,
    WireModel,
)
from sync.shown import InCache, shown

Json = dict[str, Any]  # a cache row's record, read here into the typed records above
M = TypeVar("M", bound=WireModel)
_IN_CHUNK = 500  # ids per "IN (…)" (SQLite's limit on parameters is higher; plans stay short)


def when(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class TicketLine:
    """One ticket as the lists show it."""

    id: int
    number: str
    customer_id: int
    customer: str
    summary: str
    status: str
    priority: str
    category: str
    complaint: bool
    handler_id: int | None
    handler: str
    opened_at: datetime | None
    sla_due_at: datetime | None  # the complaint's response deadline
    resolve_due_at: datetime | None
    escalation_level: int
    serial: str
    model: str
    state: str  # the cache's sync state: synced, pending, conflict, failed
    asset_id: int | None = None  # the product: a change to it changes this row
    # The escalation level's people and name (contract 1.6: empty from an older server).
    escalated_to: str = ""
    escalation_target: str = ""
    escalation_label_en: str = ""
    escalation_label_zh: str = ""
    # How it came in (Channel: "phone", "email", "portal"…; issue 22): the list's Channel
    # column and the "Email waiting" view.
    channel: str = "phone"


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    role: str
    skills: tuple[str, ...]
    region: str = ""
    extension: str = ""
    levels: tuple[tuple[str, int], ...] = ()  # each skill with its level (1-10)

    def level(self, skill: str) -> int:
        """Their level in ``skill``; 0 when they do not hold it."""
        return level_in(self.levels, skill)


@dataclass(frozen=True, slots=True)
class Engineer:
    """A field engineer for the dispatch form, with their load on the asked day."""

    person: Person
    workload: int  # open dispatches that day
    matches_skill: bool
    in_region: bool


@dataclass(frozen=True, slots=True)
class LinkedArticle:
    """A knowledge article linked to a ticket, by its title ("" when not in the cache)."""

    id: int
    title: str


@dataclass(frozen=True, slots=True)
class TicketDetail:
    """A ticket with what its form shows beside it; ``ticket`` is None for a new ticket
    (``customer_context``: the customer it is for, nothing saved yet)."""

    ticket: TicketOut | None
    customer_id: int
    state: str
    error: str
    customer: CustomerOut | None
    assets: list[AssetOut]  # the customer's products (the form's product list)
    calls: list[InteractionOut]  # interactions linked to the ticket
    articles: list[LinkedArticle]
    dispatches: list[DispatchOut]
    tasks: list[TaskOut]
    people: dict[int, Person] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DispatchLine:
    id: int
    ticket_id: int
    ticket_number: str
    customer: str
    technician_id: int | None
    technician: str
    window_start: datetime | None
    window_end: datetime | None
    method: str
    status: str
    result: str
    address: str
    previous_dispatch_id: int | None
    state: str


@dataclass(frozen=True, slots=True)
class TaskLine:
    """A callback, survey or campaign call for the callback list."""

    id: int
    kind: str
    customer_id: int
    customer: str
    phone: str  # E.164 of the first contact: what the agent dials
    contact: str
    ticket_id: int | None
    ticket_number: str
    campaign_id: int | None
    campaign: str
    assignee_id: int | None
    due_at: datetime | None
    status: str
    attempts: int
    notes: str
    state: str


class WorkViews:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._db.execute("PRAGMA busy_timeout=2000")

    def close(self) -> None:
        self._db.close()

    def _one(self, entity: str, record_id: int | None) -> tuple[Json, str, str] | None:
        if record_id is None:
            return None
        row = self._db.execute(
            "SELECT data, state, error FROM records WHERE entity = ? AND id = ?",
            (entity, record_id),
        ).fetchone()
        if row is None:
            return None
        return json.loads(row[0]) | {"id": record_id}, row[1], row[2]

    def _record(self, model: type[M], entity: str, record_id: int | None) -> InCache[M] | None:
        got = self._one(entity, record_id)
        if got is None:
            return None
        data, state, error = got
        return InCache(shown(model, data), state, error)

    def _many(self, model: type[M], sql: str, args: tuple[Any, ...] = ()) -> list[M]:
        return [
            shown(model, json.loads(data) | {"id": rid})
            for rid, data, _state in self._db.execute(sql, args)
        ]

    # -- tickets ------------------------------------------------------------------------------

    def tickets(self) -> list[TicketLine]:
        """Every ticket of the cache (the list's first read)."""
        return self._ticket_lines("", ())

    def tickets_by_id(self, ticket_ids: Iterable[int]) -> list[TicketLine]:
        """The rows of these tickets only (a change to a few: by primary key, never a scan);
        an id missing from the answer is a ticket no longer in the cache."""
        ids = sorted(set(ticket_ids))
        lines: list[TicketLine] = []
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            lines += self._ticket_lines(f"AND t.id IN ({marks})", tuple(chunk))
        return lines

    def _ticket_lines(self, where: str, args: tuple[Any, ...]) -> list[TicketLine]:
        # One JSON parse per ticket is faster than fifteen json_extract calls (measured in
        # bench/bench_tickets.py: 1.0 s against 0.4 s for 50,000); SQLite does the joins.
        rows = self._db.execute(
            f"""
            SELECT t.id, t.data, t.state, json_extract(c.data, '$.name'),
                   json_extract(a.data, '$.serial_number'), json_extract(a.data, '$.model'),
                   json_extract(u.data, '$.display_name')
            FROM records t
            LEFT JOIN records c ON c.entity = 'customer'
                 AND c.id = json_extract(t.data, '$.customer_id')
            LEFT JOIN records a ON a.entity = 'asset'
                 AND a.id = json_extract(t.data, '$.asset_id')
            LEFT JOIN records u ON u.entity = 'user'
                 AND u.id = json_extract(t.data, '$.handler_id')
            WHERE t.entity = 'ticket' {where}
            """,
            args,
        )
        lines = []
        for rid, data, state, customer, serial, model, handler in rows:
            t = json.loads(data)
            asset_id = t.get("asset_id")
            lines.append(
                TicketLine(
                    id=rid,
                    number=str(t.get("number") or ""),
                    customer_id=int(t.get("customer_id") or 0),
                    customer=customer or "",
                    summary=str(t.get("summary") or ""),
                    status=str(t.get("status") or ""),
                    priority=str(t.get("priority") or ""),
                    category=str(t.get("category") or ""),
                    complaint=bool(t.get("complaint")),
                    handler_id=t.get("handler_id"),
                    handler=handler or "",
                    opened_at=when(t.get("opened_at")),
                    sla_due_at=when(t.get("sla_due_at")),
                    resolve_due_at=when(t.get("resolve_due_at")),
                    escalation_level=int(t.get("escalation_level") or 0),
                    serial=serial or "",
                    model=model or "",
                    state=state,
                    asset_id=int(asset_id) if isinstance(asset_id, int) else None,
                    escalated_to=str(t.get("escalated_to") or ""),
                    escalation_target=str(t.get("escalation_target") or ""),
                    escalation_label_en=str(t.get("escalation_label_en") or ""),
                    escalation_label_zh=str(t.get("escalation_label_zh") or ""),
                    channel=str(t.get("channel") or "phone"),
                )
            )
        return lines

    def ticket(self, ticket_id: int) -> TicketDetail | None:
        got = self._record(TicketOut, "ticket", ticket_id)
        if got is None:
            return None
        ticket = got.record
        customer_id = ticket.customer_id
        customer = self.customer(customer_id)
        assets = self._assets_of(customer_id)
        interactions = self._many(
            InteractionOut,
            "SELECT id, data, state FROM records "
            f"WHERE entity = 'interaction' AND {CUSTOMER_OF} = ?",
            (customer_id,),
        )
        calls = [i for i in interactions if ticket_id in i.ticket_ids]
        calls.sort(key=lambda i: i.started_at.isoformat())
        articles = []
        for article_id in ticket.article_ids:
            article = self._one("article", int(article_id))
            title = str(article[0].get("title", "")) if article else ""
            articles.append(LinkedArticle(int(article_id), title))
        dispatches = self._many(
            DispatchOut,
            f"SELECT id, data, state FROM records WHERE entity = 'dispatch' AND {TICKET_OF} = ?",
            (ticket_id,),
        )
        dispatches.sort(key=lambda d: d.window_start.isoformat())
        tasks = self._many(
            TaskOut,
            f"SELECT id, data, state FROM records WHERE entity = 'task' AND {TICKET_OF} = ?",
            (ticket_id,),
        )
        return TicketDetail(
            ticket=ticket,
            customer_id=customer_id,
            state=got.state,
            error=got.error,
            customer=customer,
            assets=assets,
            calls=calls,
            articles=articles,
            dispatches=dispatches,
            tasks=tasks,
            people=self.people(),
        )

    def _assets_of(self, customer_id: int) -> list[AssetOut]:
        return self._many(
            AssetOut,
            f"SELECT id, data, state FROM records WHERE entity = 'asset' AND {CUSTOMER_OF} = ?",
            (customer_id,),
        )

    def server_id(self, local_id: int) -> int | None:
        """The server's id for a record this desk created, once it has been sent."""
        row = self._db.execute(
            "SELECT value FROM meta WHERE key = ?", (f"server_id:{local_id}",)
        ).fetchone()
        return int(row[0]) if row else None

    def ticket_id_of(self, number: str) -> int | None:
        row = self._db.execute(
            f"SELECT id FROM records WHERE entity = 'ticket' AND {NUMBER_OF} = ?", (number,)
        ).fetchone()
        return int(row[0]) if row else None

    def customer_context(self, customer_id: int) -> TicketDetail | None:
        """What a new ticket for this customer starts from: the customer, their products and
        the people it may go to (an empty ticket)."""
        customer = self.customer(customer_id)
        if customer is None:
            return None
        return TicketDetail(
            ticket=None,
            customer_id=customer_id,
            state="new",
            error="",
            customer=customer,
            assets=self._assets_of(customer_id),
            calls=[],
            articles=[],
            dispatches=[],
            tasks=[],
            people=self.people(),
        )

    # -- people -------------------------------------------------------------------------------

    def people(self) -> dict[int, Person]:
        found = {}
        for rid, data in self._db.execute("SELECT id, data FROM records WHERE entity = 'user'"):
            user = json.loads(data)
            found[rid] = Person(
                id=rid,
                name=str(user.get("display_name", "")),
                role=str(user.get("role", "")),
                skills=tuple(str(s.get("skill", "")) for s in user.get("skills") or []),
                levels=tuple(
                    (str(s.get("skill", "")), int(s.get("level") or 0))
                    for s in user.get("skills") or []
                ),
                region=str(user.get("region", "")),
                extension=str(user.get("extension", "")),
            )
        return found

    def experts(self, skill: str = "") -> list[Person]:
        """Second-line experts and the on-duty engineer: where a handover may go. Those who
        hold ``skill`` (the ticket's product line's) come first, by level; then on duty."""
        return sorted(
            (p for p in self.people().values() if is_expert(set(p.skills))),
            key=lambda p: (-p.level(skill), "on_duty" not in p.skills, p.name),
        )

    def engineers(self, skill: str, region: str, day: date) -> list[Engineer]:
        """Field engineers, best first: the product's skill and the level they hold it at,
        then the region, then the lightest load that day (open dispatches whose window starts
        that day, local time)."""
        load: dict[int, int] = {}
        for line in self.dispatches():
            if (
                line.technician_id is not None
                and line.window_start is not None
                and line.window_start.astimezone().date() == day
                and DispatchStatus(line.status) in DISPATCH_OPEN
            ):
                load[line.technician_id] = load.get(line.technician_id, 0) + 1
        found = [
            Engineer(
                person=p,
                workload=load.get(p.id, 0),
                matches_skill=not skill or p.level(skill) > 0,
                in_region=not region or region.lower() in p.region.lower(),
            )
            for p in self.people().values()
            if p.role == Role.TECHNICIAN.value
        ]
        found.sort(
            key=lambda e: (
                not e.matches_skill,
                -e.person.level(skill),
                not e.in_region,
                e.workload,
                e.person.name,
            )
        )
        return found

    # -- dispatches -------------------------------------------------------------------------

    def dispatches(self) -> list[DispatchLine]:
        rows = self._db.execute(
            """
            SELECT d.id, json_extract(d.data, '$.ticket_id'), json_extract(t.data, '$.number'),
                   json_extract(c.data, '$.name'), json_extract(d.data, '$.technician_id'),
                   json_extract(d.data, '$.technician'), json_extract(d.data, '$.window_start'),
                   json_extract(d.data, '$.window_end'), json_extract(d.data, '$.method'),
                   json_extract(d.data, '$.status'), json_extract(d.data, '$.result'),
                   json_extract(d.data, '$.address'),
                   json_extract(d.data, '$.previous_dispatch_id'), d.state
            FROM records d
            LEFT JOIN records t ON t.entity = 'ticket'
                 AND t.id = json_extract(d.data, '$.ticket_id')
            LEFT JOIN records c ON c.entity = 'customer'
                 AND c.id = json_extract(t.data, '$.customer_id')
            WHERE d.entity = 'dispatch'
            """
        )
        return [
            DispatchLine(
                id=r[0],
                ticket_id=int(r[1] or 0),
                ticket_number=r[2] or "",
                customer=r[3] or "",
                technician_id=r[4],
                technician=r[5] or "",
                window_start=when(r[6]),
                window_end=when(r[7]),
                method=r[8] or "",
                status=r[9] or "planned",
                result=r[10] or "",
                address=r[11] or "",
                previous_dispatch_id=r[12],
                state=r[13],
            )
            for r in rows
        ]

    def dispatch(self, dispatch_id: int) -> InCache[DispatchOut] | None:
        return self._record(DispatchOut, "dispatch", dispatch_id)

    # -- callbacks and campaigns --------------------------------------------------------------

    def tasks(self) -> list[TaskLine]:
        rows = self._db.execute(
            """
            SELECT k.id, json_extract(k.data, '$.kind'), json_extract(k.data, '$.customer_id'),
                   c.data, json_extract(k.data, '$.ticket_id'), json_extract(t.data, '$.number'),
                   json_extract(k.data, '$.campaign_id'), json_extract(p.data, '$.name'),
                   json_extract(k.data, '$.assignee_id'), json_extract(k.data, '$.due_at'),
                   json_extract(k.data, '$.status'), json_extract(k.data, '$.attempts'),
                   json_extract(k.data, '$.notes'), k.state
            FROM records k
            LEFT JOIN records c ON c.entity = 'customer'
                 AND c.id = json_extract(k.data, '$.customer_id')
            LEFT JOIN records t ON t.entity = 'ticket'
                 AND t.id = json_extract(k.data, '$.ticket_id')
            LEFT JOIN records p ON p.entity = 'campaign'
                 AND p.id = json_extract(k.data, '$.campaign_id')
            WHERE k.entity = 'task'
            """
        )
        lines = []
        for r in rows:
            customer = json.loads(r[3]) if r[3] else {}
            contacts = customer.get("contacts") or [{}]
            lines.append(
                TaskLine(
                    id=r[0],
                    kind=r[1] or "",
                    customer_id=int(r[2] or 0),
                    customer=str(customer.get("name", "")),
                    phone=str(contacts[0].get("phone_e164", "")),
                    contact=str(contacts[0].get("name", "")),
                    ticket_id=r[4],
                    ticket_number=r[5] or "",
                    campaign_id=r[6],
                    campaign=r[7] or "",
                    assignee_id=r[8],
                    due_at=when(r[9]),
                    status=r[10] or "open",
                    attempts=int(r[11] or 0),
                    notes=r[12] or "",
                    state=r[13],
                )
            )
        return lines

    def task(self, task_id: int) -> InCache[TaskOut] | None:
        return self._record(TaskOut, "task", task_id)

    def campaign(self, campaign_id: int | None) -> CampaignOut | None:
        got = self._record(CampaignOut, "campaign", campaign_id)
        return got.record if got else None

    def customer(self, customer_id: int | None) -> CustomerOut | None:
        got = self._record(CustomerOut, "customer", customer_id)
        return got.record if got else None
