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
from typing import Any

from sync.cache_schema import CUSTOMER_OF, TICKET_OF
from sync.contract.phone import lookup_key

Json = dict[str, Any]

REPEAT_WINDOW = timedelta(days=7)
SLA_WARNING = timedelta(hours=4)  # an SLA that runs out within this is "about to breach"
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
    customers: list[Json]


@dataclass(frozen=True, slots=True)
class Customer360:
    customer: Json
    pending: bool  # the customer record has edits not yet on the server
    contact: Json | None  # the contact the caller id matched, if any
    greeting: str
    assets: list[Json]
    tickets: list[Json]  # open first, newest first
    dispatches: list[Json]
    tasks: list[Json]
    interactions: list[Json]
    timeline: list[TimelineItem]
    flags: list[Flag]
    consumables_due: list[ConsumableDue]
    actions: list[Action]
    warranty: dict[int, bool] = field(default_factory=dict)  # asset id -> still covered

    @property
    def open_tickets(self) -> list[Json]:
        return [t for t in self.tickets if t.get("status") in OPEN_TICKET]


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


def greeting(contact: Json | None, customer: Json) -> str:
    """ "您好，王先生" / "Hello, Mr. Wang": in the customer's language, with the family name and
    the title on file; the organisation's name when the caller is not a known contact."""
    language = str(customer.get("language") or "zh")
    name = str((contact or {}).get("name") or "").strip()
    salutation = str((contact or {}).get("salutation") or "")
    if language == "zh":
        if name and _is_chinese(name) and salutation in _ZH_TITLE:
            surname = next((s for s in _COMPOUND_SURNAMES if name.startswith(s)), name[:1])
            return f"您好，{surname}{_ZH_TITLE[salutation]}"
        if name:
            return f"您好，{name}"
        return f"您好，这里是客服热线。请问是{customer.get('name', '')}吗？"
    if name and name.lower().startswith(_EN_TITLES_IN_NAMES):
        return f"Hello, {name}"
    if name and salutation in _EN_TITLE:
        family = name.split()[-1] if not _is_chinese(name) else name[:1]
        return f"Hello, {_EN_TITLE[salutation]} {family}"
    if name:
        return f"Hello, {name}"
    return f"Hello, is this {customer.get('name', '')}?"


# -- reading the cache ---------------------------------------------------------------------


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


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

    def _of_customer(self, entity: str, customer_id: int) -> list[Json]:
        rows = self._records(
            f"SELECT id, data, state FROM records WHERE entity = ? AND {CUSTOMER_OF} = ?",
            (entity, customer_id),
        )
        return [data | {"id": rid, "_state": state} for rid, data, state in rows]

    def customer(self, customer_id: int) -> tuple[Json, bool] | None:
        rows = self._records(
            "SELECT id, data, state FROM records WHERE entity = 'customer' AND id = ?",
            (customer_id,),
        )
        if not rows:
            return None
        rid, data, state = rows[0]
        return data | {"id": rid}, state != "synced"

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
        return Lookup(raw, key, False, [data | {"id": rid} for rid, data, _s in rows])

    def search(self, text: str, limit: int = 30) -> list[Json]:
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
        found: list[Json] = []
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
        assets = self._of_customer("asset", customer_id)
        tickets = self._of_customer("ticket", customer_id)
        open_first = [t for t in tickets if t.get("status") in OPEN_TICKET]
        open_first.sort(key=lambda t: str(t.get("opened_at")), reverse=True)
        closed = [t for t in tickets if t.get("status") not in OPEN_TICKET]
        closed.sort(key=lambda t: str(t.get("opened_at")), reverse=True)
        tickets = open_first + closed
        numbers = {t["id"]: t.get("number", "") for t in tickets}
        marks = ",".join("?" * len(numbers))
        rows = self._records(
            "SELECT id, data, state FROM records "
            f"WHERE entity = 'dispatch' AND {TICKET_OF} IN ({marks})",
            tuple(numbers),
        ) if numbers else []  # fmt: skip
        dispatches = [
            d | {"id": rid, "ticket_number": numbers.get(d.get("ticket_id"), "")}
            for rid, d, _s in rows
        ]
        tasks = self._of_customer("task", customer_id)
        interactions = self._of_customer("interaction", customer_id)
        interactions.sort(key=lambda i: str(i.get("started_at")), reverse=True)
        interactions = interactions[:TIMELINE_LIMIT]
        today = now.date()
        warranty = {a["id"]: (_day(a.get("warranty_end")) or today) >= today for a in assets}
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


def caller_contact(customer: Json, key: str | None) -> Json | None:
    """The contact whose number is calling, if the caller id is one of theirs."""
    contacts = customer.get("contacts") or []
    return next((c for c in contacts if key and c.get("phone_e164") == key), None)


def profile_only(customer: Json, key: str | None, now: datetime) -> Customer360:
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


def _consumables_due(assets: list[Json], today: date) -> list[ConsumableDue]:
    due: list[ConsumableDue] = []
    for asset in assets:
        for item in asset.get("consumables") or []:
            last = _day(item.get("last_replaced")) or _day(asset.get("purchase_date"))
            cycle = int(item.get("cycle_days") or 0)
            if last is None or cycle <= 0:
                continue
            when = last + timedelta(days=cycle)
            if when <= today + timedelta(days=14):  # due now or within two weeks: offer it
                due.append(
                    ConsumableDue(
                        asset["id"],
                        str(asset.get("model", "")),
                        str(asset.get("serial_number", "")),
                        str(item.get("name", "")),
                        when,
                    )
                )
    return sorted(due, key=lambda d: d.due)


def _flags(
    customer: Json,
    assets: list[Json],
    tickets: list[Json],
    interactions: list[Json],
    warranty: dict[int, bool],
    now: datetime,
) -> list[Flag]:
    flags: list[Flag] = []
    if customer.get("vip"):
        flags.append(Flag(FlagKind.VIP))
    open_tickets = [t for t in tickets if t.get("status") in OPEN_TICKET]
    for ticket in open_tickets:
        if ticket.get("complaint"):
            flags.append(Flag(FlagKind.OPEN_COMPLAINT, str(ticket.get("number", ""))))
            break
    for ticket in open_tickets:
        due = _when(ticket.get("sla_due_at"))
        if due is None:
            continue
        if due <= now:
            flags.append(Flag(FlagKind.SLA_BREACHED, str(ticket.get("number", "")), due=due))
        elif due - now <= SLA_WARNING:
            flags.append(Flag(FlagKind.SLA_BREACHING, str(ticket.get("number", "")), due=due))
    for asset in assets:
        if not warranty.get(asset["id"], True):
            flags.append(
                Flag(
                    FlagKind.WARRANTY_EXPIRED,
                    f"{asset.get('model', '')} {asset.get('serial_number', '')}".strip(),
                )
            )
    recent = [
        i
        for i in interactions
        if i.get("kind") == "call_in"
        and (at := _when(i.get("started_at")))
        and now - at <= REPEAT_WINDOW
    ]
    if recent:
        flags.append(Flag(FlagKind.REPEAT_CALLER, count=len(recent)))
    return flags


def _actions(
    tickets: list[Json],
    tasks: list[Json],
    consumables: list[ConsumableDue],
    assets: list[Json],
    warranty: dict[int, bool],
) -> list[Action]:
    actions: list[Action] = []
    for ticket in tickets:
        if ticket.get("status") in OPEN_TICKET:
            actions.append(
                Action(
                    ActionKind.FOLLOW_UP_TICKET,
                    str(ticket.get("number", "")),
                    ("ticket", ticket["id"]),
                )
            )
    for task in tasks:
        if task.get("status") != "open":
            continue
        kind = (
            ActionKind.PENDING_SURVEY
            if task.get("kind") == "survey"
            else ActionKind.PENDING_CALLBACK
        )
        actions.append(Action(kind, str(task.get("notes", ""))[:80], ("task", task["id"])))
    for item in consumables:
        actions.append(
            Action(
                ActionKind.OFFER_REORDER, f"{item.name} · {item.model}", ("asset", item.asset_id)
            )
        )
    for asset in assets:
        if not warranty.get(asset["id"], True):
            actions.append(
                Action(
                    ActionKind.RENEW_WARRANTY, str(asset.get("model", "")), ("asset", asset["id"])
                )
            )
    return actions


def _timeline(
    interactions: list[Json], tickets: list[Json], dispatches: list[Json], tasks: list[Json]
) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for i in interactions:
        at = _when(i.get("started_at"))
        if at:
            items.append(
                TimelineItem(
                    at,
                    "interaction",
                    i["id"],
                    str(i.get("kind", "")),
                    str(i.get("disposition", "")),
                    str(i.get("notes", "")),
                )
            )
    for t in tickets:
        at = _when(t.get("opened_at"))
        if at:
            items.append(
                TimelineItem(
                    at,
                    "ticket",
                    t["id"],
                    str(t.get("status", "")),
                    f"{t.get('number', '')} {t.get('summary', '')}".strip(),
                    str(t.get("category", "")),
                )
            )
    for d in dispatches:
        at = _when(d.get("window_start"))
        if at:
            items.append(
                TimelineItem(
                    at,
                    "dispatch",
                    d["id"],
                    str(d.get("status", "")),
                    f"{d.get('ticket_number', '')} · {d.get('technician', '')}",
                    str(d.get("method", "")),
                )
            )
    for k in tasks:
        at = _when(k.get("due_at"))
        if at:
            items.append(
                TimelineItem(
                    at,
                    "task",
                    k["id"],
                    str(k.get("kind", "")),
                    str(k.get("status", "")),
                    str(k.get("outcome", "") or k.get("notes", "")),
                )
            )
    return sorted(items, key=lambda item: item.at, reverse=True)
