"""The customer 360 as read from the local cache: who is calling, what they own, what is open,
what happened before, and what matters on this call.

Everything here is a read on the cache file with plain SQL on indexes (the screen pop's hot
path: see the README's figures); nothing here is Qt or worded for the agent: flags and next
actions are codes with data, which the panel words in the agent's language. The greeting is
the exception: it is in the *customer's* language, whatever language the agent's screen is in.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from sync.cache_schema import CUSTOMER_OF, TICKET_OF
from sync.contract.phone import lookup_key
from sync.contract.rules import sla_due_soon, ticket_deadline
from sync.contract.wire import (
    AssetOut,
    ContactOut,
    CustomerOut,
    DispatchOut,
    InteractionOut,
    TaskOut,
    TicketOut,
    WireModel,
)
from sync.shown import EPOCH, shown

Json = dict[str, Any]  # a cache row's JSON, before it is read as its record
M = TypeVar("M", bound=WireModel)

REPEAT_WINDOW = timedelta(days=7)
TIMELINE_LIMIT = 200
OPEN_TICKET = ("new", "in_progress", "waiting_customer", "escalated")
OPEN_DISPATCH = ("planned", "en_route", "on_site")
# What trunks and PBXs put in the From header when the caller hides the number.
WITHHELD = {"", "anonymous", "unknown", "private", "restricted", "unavailable", "withheld"}


class FlagKind(StrEnum):
    VIP = "vip"
    OPEN_COMPLAINT = "open_complaint"
    SLA_BREACHING = "sla_breaching"  # detail: ticket number; due: when it runs out
    SLA_BREACHED = "sla_breached"
    WARRANTY_EXPIRED = "warranty_expired"  # detail: model and serial
    REPEAT_CALLER = "repeat_caller"  # count: calls in the last 7 days


@dataclass(frozen=True, slots=True)
class Flag:
    kind: FlagKind
    detail: str = ""
    count: int = 0
    due: datetime | None = None


class ActionKind(StrEnum):
    FOLLOW_UP_TICKET = "follow_up_ticket"  # detail: ticket number
    OFFER_REORDER = "offer_reorder"  # detail: consumable, model
    PENDING_SURVEY = "pending_survey"
    PENDING_CALLBACK = "pending_callback"
    RENEW_WARRANTY = "renew_warranty"  # detail: model


@dataclass(frozen=True, slots=True)
class Action:
    kind: ActionKind
    detail: str = ""
    record: tuple[str, int] | None = None


@dataclass(frozen=True, slots=True)
class TimelineItem:
    at: datetime
    entity: str  # interaction | ticket | dispatch | task
    record_id: int
    kind: str  # call_in, call_out, email…; the ticket's or task's status; the dispatch method
    title: str
    detail: str = ""
    # A ticket's channel (issue 22): the 360 shows what a customer did on the portal as such.
    channel: str = ""


@dataclass(frozen=True, slots=True)
class ConsumableDue:
    asset_id: int
    model: str
    serial: str
    name: str
    due: date


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the caller id found: ``key`` is the E.164 form, None when it was no number."""

    raw: str
    key: str | None
    withheld: bool
    customers: list[CustomerOut]


@dataclass(frozen=True, slots=True)
class CustomerDispatch:
    """A dispatch in the 360, with the number of the ticket it is for."""

    record: DispatchOut
    ticket_number: str


@dataclass(frozen=True, slots=True)
class Customer360:
    customer: CustomerOut
    pending: bool  # the customer record has edits not yet on the server
    contact: ContactOut | None  # the contact the caller id matched, if any
    greeting: str
    assets: list[AssetOut]
    tickets: list[TicketOut]  # open first, newest first
    dispatches: list[CustomerDispatch]
    tasks: list[TaskOut]
    interactions: list[InteractionOut]
    timeline: list[TimelineItem]
    flags: list[Flag]
    consumables_due: list[ConsumableDue]
    actions: list[Action]
    warranty: dict[int, bool] = field(default_factory=dict)  # asset id -> still covered

    @property
    def open_tickets(self) -> list[TicketOut]:
        return [t for t in self.tickets if t.status in OPEN_TICKET]


# -- greeting ------------------------------------------------------------------------------

_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
)
_ZH_TITLE = {"mr": "先生", "ms": "女士", "dr": "医生"}
_EN_TITLE = {"mr": "Mr.", "ms": "Ms.", "dr": "Dr."}
_EN_TITLES_IN_NAMES = ("mr.", "mrs.", "ms.", "miss", "dr.", "prof.")


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def greeting(contact: ContactOut | None, customer: CustomerOut) -> str:
    """ "您好，王先生" / "Hello, Mr. Wang": in the customer's language, with the family name and
    the title on file; the organisation's name when the caller is not a known contact."""
    language = customer.language or "zh"
    name = (contact.name if contact else "").strip()
    salutation = contact.salutation if contact else ""
    if language == "zh":
        if name and _is_chinese(name) and salutation in _ZH_TITLE:
            surname = next((s for s in _COMPOUND_SURNAMES if name.startswith(s)), name[:1])
            return f"您好，{surname}{_ZH_TITLE[salutation]}"
        if name:
            return f"您好，{name}"
        return f"您好，这里是客服热线。请问是{customer.name}吗？"
    if name and name.lower().startswith(_EN_TITLES_IN_NAMES):
        return f"Hello, {name}"
    if name and salutation in _EN_TITLE:
        family = name.split()[-1] if not _is_chinese(name) else name[:1]
        return f"Hello, {_EN_TITLE[salutation]} {family}"
    if name:
        return f"Hello, {name}"
    return f"Hello, is this {customer.name}?"


# -- reading the cache ---------------------------------------------------------------------


def _aware(stamp: datetime | None) -> datetime | None:
    """An instant as the cache holds it; one stored without a zone is UTC."""
    if stamp is None or stamp == EPOCH:  # EPOCH: not known yet (a record made here)
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


class CustomerViews:
    """Reads for the screen pop on their own SQLite connection (read-only, WAL: never blocks
    the cache's writer, never blocked by it). One instance per thread."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._db.execute("PRAGMA busy_timeout=2000")

    def close(self) -> None:
        self._db.close()

    def _records(self, sql: str, args: tuple[Any, ...]) -> list[tuple[int, Json, str]]:
        rows = self._db.execute(sql, args).fetchall()
        return [(row[0], json.loads(row[1]), row[2]) for row in rows]

    def _of_customer(self, model: type[M], entity: str, customer_id: int) -> list[M]:
        rows = self._records(
            f"SELECT id, data, state FROM records WHERE entity = ? AND {CUSTOMER_OF} = ?",
            (entity, customer_id),
        )
        return [shown(model, data | {"id": rid}) for rid, data, _state in rows]

    def customer(self, customer_id: int) -> tuple[CustomerOut, bool] | None:
        rows = self._records(
            "SELECT id, data, state FROM records WHERE entity = 'customer' AND id = ?",
            (customer_id,),
        )
        if not rows:
            return None
        rid, data, state = rows[0]
        return shown(CustomerOut, data | {"id": rid}), state != "synced"

    def lookup(self, raw: str) -> Lookup:
        """Screen pop: the customers with this caller id on file (any written form)."""
        text = raw.strip()
        if text.lower().strip("<>\"' ") in WITHHELD or text.lower().startswith(
            ("sip:anonymous@", "sips:anonymous@")
        ):
            return Lookup(raw, None, True, [])
        key = lookup_key(text)
        if key is None:
            return Lookup(raw, None, False, [])
        rows = self._records(
            "SELECT id, data, state FROM records WHERE entity = 'customer' AND id IN "
            "(SELECT customer_id FROM phones WHERE e164 = ?) ORDER BY id",
            (key,),
        )
        found = [shown(CustomerOut, data | {"id": rid}) for rid, data, _s in rows]
        return Lookup(raw, key, False, found)

    def search(self, text: str, limit: int = 30) -> list[CustomerOut]:
        """Customers by code, ticket number, serial number, phone or name (in that order of
        exactness). For the "not the right caller / unknown caller" search box."""
        needle = text.strip()
        if not needle:
            return []
        ids: list[int] = []
        key = lookup_key(needle) if any(ch.isdigit() for ch in needle) else None
        if key:
            ids += [
                r[0]
                for r in self._db.execute("SELECT customer_id FROM phones WHERE e164 = ?", (key,))
            ]
        ids += [
            r[0]
            for r in self._db.execute(
                "SELECT id FROM records WHERE entity = 'customer' "
                "AND json_extract(data, '$.code') = ? COLLATE NOCASE",
                (needle,),
            )
        ]
        for entity, column in (("ticket", "number"), ("asset", "serial_number")):
            ids += [
                r[0]
                for r in self._db.execute(
                    f"SELECT {CUSTOMER_OF} FROM records WHERE entity = ? "
                    f"AND json_extract(data, '$.{column}') = ? COLLATE NOCASE",
                    (entity, needle),
                )
            ]
        if len(needle) >= 2:
            ids += [
                r[0]
                for r in self._db.execute(
                    "SELECT id FROM records WHERE entity = 'customer' "
                    "AND json_extract(data, '$.name') LIKE ? LIMIT ?",
                    (f"%{needle}%", limit),
                )
            ]
        found: list[CustomerOut] = []
        for customer_id in dict.fromkeys(i for i in ids if i is not None):
            got = self.customer(int(customer_id))
            if got is not None:
                found.append(got[0])
            if len(found) >= limit:
                break
        return found

    def view(self, customer_id: int, caller_key: str | None, now: datetime) -> Customer360 | None:
        got = self.customer(customer_id)
        if got is None:
            return None
        customer, pending = got
        contact = caller_contact(customer, caller_key)
        assets = self._of_customer(AssetOut, "asset", customer_id)
        tickets = self._of_customer(TicketOut, "ticket", customer_id)
        open_first = [t for t in tickets if t.status in OPEN_TICKET]
        open_first.sort(key=lambda t: _aware(t.opened_at) or EPOCH, reverse=True)
        closed = [t for t in tickets if t.status not in OPEN_TICKET]
        closed.sort(key=lambda t: _aware(t.opened_at) or EPOCH, reverse=True)
        tickets = open_first + closed
        numbers = {t.id: t.number for t in tickets}
        marks = ",".join("?" * len(numbers))
        rows = self._records(
            "SELECT id, data, state FROM records "
            f"WHERE entity = 'dispatch' AND {TICKET_OF} IN ({marks})",
            tuple(numbers),
        ) if numbers else []  # fmt: skip
        dispatches = [
            CustomerDispatch(
                shown(DispatchOut, d | {"id": rid}), numbers.get(int(d.get("ticket_id") or 0), "")
            )
            for rid, d, _s in rows
        ]
        tasks = self._of_customer(TaskOut, "task", customer_id)
        interactions = self._of_customer(InteractionOut, "interaction", customer_id)
        interactions.sort(key=lambda i: _aware(i.started_at) or EPOCH, reverse=True)
        interactions = interactions[:TIMELINE_LIMIT]
        today = now.date()
        warranty = {a.id: a.warranty_end >= today for a in assets}
        consumables = _consumables_due(assets, today)
        return Customer360(
            customer=customer,
            pending=pending,
            contact=contact,
            greeting=greeting(contact, customer),
            assets=assets,
            tickets=tickets,
            dispatches=dispatches,
            tasks=tasks,
            interactions=interactions,
            timeline=_timeline(interactions, tickets, dispatches, tasks),
            flags=_flags(customer, assets, tickets, interactions, warranty, now),
            consumables_due=consumables,
            actions=_actions(tickets, tasks, consumables, assets, warranty),
            warranty=warranty,
        )


def caller_contact(customer: CustomerOut, key: str | None) -> ContactOut | None:
    """The contact whose number is calling, if the caller id is one of theirs."""
    return next((c for c in customer.contacts if key and c.phone_e164 == key), None)


def profile_only(customer: CustomerOut, key: str | None, now: datetime) -> Customer360:
    """A 360 of the customer record alone (the server knew them, the cache not yet)."""
    contact = caller_contact(customer, key)
    return Customer360(
        customer=customer,
        pending=False,
        contact=contact,
        greeting=greeting(contact, customer),
        assets=[],
        tickets=[],
        dispatches=[],
        tasks=[],
        interactions=[],
        timeline=[],
        flags=_flags(customer, [], [], [], {}, now),
        consumables_due=[],
        actions=[],
    )


def _consumables_due(assets: list[AssetOut], today: date) -> list[ConsumableDue]:
    due: list[ConsumableDue] = []
    for asset in assets:
        for item in asset.consumables:
            last = item.last_replaced or asset.purchase_date
            if item.cycle_days <= 0:
                continue
            when = last + timedelta(days=item.cycle_days)
            if when <= today + timedelta(days=14):  # due now or within two weeks: offer it
                due.append(
                    ConsumableDue(asset.id, asset.model, asset.serial_number, item.name, when)
                )
    return sorted(due, key=lambda d: d.due)


def _flags(
    customer: CustomerOut,
    assets: list[AssetOut],
    tickets: list[TicketOut],
    interactions: list[InteractionOut],
    warranty: dict[int, bool],
    now: datetime,
) -> list[Flag]:
    flags: list[Flag] = []
    if customer.vip:
        flags.append(Flag(FlagKind.VIP))
    open_tickets = [t for t in tickets if t.status in OPEN_TICKET]
    for ticket in open_tickets:
        if ticket.complaint:
            flags.append(Flag(FlagKind.OPEN_COMPLAINT, ticket.number))
            break
    for ticket in open_tickets:
        # The same deadline and threshold as the Tickets list (a P1's resolution target
        # counts, not only a complaint's response clock).
        due = ticket_deadline(
            ticket.status, _aware(ticket.sla_due_at), _aware(ticket.resolve_due_at)
        )
        if due is None:
            continue
        if due <= now:
            flags.append(Flag(FlagKind.SLA_BREACHED, ticket.number, due=due))
        elif sla_due_soon(due, now):
            flags.append(Flag(FlagKind.SLA_BREACHING, ticket.number, due=due))
    for asset in assets:
        if not warranty.get(asset.id, True):
            flags.append(
                Flag(FlagKind.WARRANTY_EXPIRED, f"{asset.model} {asset.serial_number}".strip())
            )
    recent = [
        i
        for i in interactions
        if i.kind == "call_in" and (at := _aware(i.started_at)) and now - at <= REPEAT_WINDOW
    ]
    if recent:
        flags.append(Flag(FlagKind.REPEAT_CALLER, count=len(recent)))
    return flags


def _actions(
    tickets: list[TicketOut],
    tasks: list[TaskOut],
    consumables: list[ConsumableDue],
    assets: list[AssetOut],
    warranty: dict[int, bool],
) -> list[Action]:
    actions: list[Action] = []
    for ticket in tickets:
        if ticket.status in OPEN_TICKET:
            actions.append(
                Action(ActionKind.FOLLOW_UP_TICKET, ticket.number, ("ticket", ticket.id))
            )
    for task in tasks:
        if task.status != "open":
            continue
        kind = ActionKind.PENDING_SURVEY if task.kind == "survey" else ActionKind.PENDING_CALLBACK
        actions.append(Action(kind, task.notes[:80], ("task", task.id)))
    for item in consumables:
        actions.append(
            Action(
                ActionKind.OFFER_REORDER, f"{item.name} · {item.model}", ("asset", item.asset_id)
            )
        )
    for asset in assets:
        if not warranty.get(asset.id, True):
            actions.append(Action(ActionKind.RENEW_WARRANTY, asset.model, ("asset", asset.id)))
    return actions


def _timeline(
    interactions: list[InteractionOut],
    tickets: list[TicketOut],
    dispatches: list[CustomerDispatch],
    tasks: list[TaskOut],
) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for i in interactions:
        at = _aware(i.started_at)
        if at:
            items.append(
                TimelineItem(at, "interaction", i.id, i.kind.value, i.disposition, i.notes)
            )
    for t in tickets:
        at = _aware(t.opened_at)
        if at:
            items.append(
                TimelineItem(
                    at,
                    "ticket",
                    t.id,
                    t.status.value,
                    f"{t.number} {t.summary}".strip(),
                    t.category,
                    t.channel.value,
                )
            )
    for d in dispatches:
        at = _aware(d.record.window_start)
        if at:
            items.append(
                TimelineItem(
                    at,
                    "dispatch",
                    d.record.id,
                    d.record.status.value,
                    f"{d.ticket_number} · {d.record.technician}",
                    d.record.method.value,
                )
            )
    for k in tasks:
        at = _aware(k.due_at)
        if at:
            items.append(
                TimelineItem(at, "task", k.id, k.kind.value, k.status.value, k.outcome or k.notes)
            )
    return sorted(items, key=lambda item: item.at, reverse=True)
