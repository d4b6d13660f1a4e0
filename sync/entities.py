"""Which records the desktop may write, how each is shown while pending, and its editable
fields. Where each lives on the server is ``sync.routes`` (read when a write is sent)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sync.clock import system_clock
from sync.contract import wire
from sync.contract.phone import PhoneNumberError, normalise_phone
from sync.contract.records import Priority, TicketStatus
from sync.contract.rules import EscalationPolicy, resolution_deadline

Json = dict[str, Any]  # a record or a write as the cache and the outbox store it
P = TypeVar("P", bound=BaseModel)
# An edit's version is the cache's business: it sends the version its copy of the record is at
# when the edit leaves (LocalCache.body_for), whatever the form saw. A typed edit carries this.
EDIT_VERSION = 1


def _as_is(data: Json) -> Json:
    return data


def ticket_as_created(data: Json) -> Json:
    """A new ticket as the server opens it, so lists and clocks show it right away, offline:
    status new, opened now, the resolution target of its priority, a complaint's clock."""
    now = system_clock().now()
    priority = Priority(data.get("priority", Priority.P3.value))
    complaint = bool(data.get("complaint", False))
    category = str(data.get("category", ""))
    return {
        "status": TicketStatus.NEW.value,
        "opened_at": now.isoformat(),
        "closed_at": None,
        "escalation_level": 0,
        "resolve_due_at": resolution_deadline(priority, now).isoformat(),
        "sla_due_at": EscalationPolicy().deadline(category, now).isoformat() if complaint else None,
        "article_ids": [],
        "attachments": [],
        **data,
    }


def customer_as_stored(data: Json) -> Json:
    """A customer write as the server will store it, for the cache to show until it answers:
    contacts are sent as typed (``phone``) but stored and looked up as E.164 plus extension, so
    an edited or new number pops the customer at once, offline too."""
    contacts = data.get("contacts")
    if not isinstance(contacts, list):
        return data
    shown = []
    for contact in contacts:
        if not isinstance(contact, dict) or "phone_e164" in contact:
            shown.append(contact)
            continue
        try:
            number = normalise_phone(str(contact.get("phone", "")))
            e164, extension = number.e164, number.extension
        except PhoneNumberError:  # refused on push; shown as typed meanwhile
            e164, extension = "", ""
        shown.append(
            {
                "email": "",
                "kind": "mobile",
                "salutation": "",
                **{k: v for k, v in contact.items() if k != "phone"},
                "phone_e164": e164,
                "extension": extension,
            }
        )
    return {**data, "contacts": shown}


def task_as_applied(current: Json, changes: Json) -> Json:
    """A task after a local edit, as the server will store it: a call's outcome counts one
    more attempt (sync.contract.rules.after_call), so the next call's status is worked out from the
    right count while the first is still waiting to sync (three no-answers offline)."""
    applied = {**current, **changes}
    if changes.get("outcome_code"):
        applied["attempts"] = int(current.get("attempts") or 0) + 1
    return applied


@dataclass(frozen=True, slots=True)
class Writable:
    entity: str
    create: type[BaseModel]
    patch: type[BaseModel]
    deletable: bool = False
    # The record as the server will store it, from what was sent (shown while pending).
    as_stored: Callable[[Json], Json] = _as_is
    # A new record as the server will create it (defaults it fills in); then as_stored.
    as_created: Callable[[Json], Json] = _as_is
    # The record after an edit, from the record before and what was sent (None: merged as is).
    as_applied: Callable[[Json, Json], Json] | None = None

    def applied(self, current: Json, changes: Json) -> Json:
        shown = self.as_stored(changes)
        if self.as_applied is None:
            return {**current, **shown}
        return self.as_applied(current, shown)

    @property
    def editable_fields(self) -> tuple[str, ...]:
        return tuple(name for name in self.patch.model_fields if name != "version")


WRITABLE: dict[str, Writable] = {
    w.entity: w
    for w in (
        Writable(
            "customer",
            wire.CustomerIn,
            wire.CustomerPatch,
            deletable=True,
            as_stored=customer_as_stored,
        ),
        Writable("asset", wire.AssetIn, wire.AssetPatch),
        Writable("interaction", wire.InteractionIn, wire.InteractionPatch),
        Writable("ticket", wire.TicketIn, wire.TicketPatch, as_created=ticket_as_created),
        Writable("dispatch", wire.DispatchIn, wire.DispatchPatch),
        Writable("task", wire.TaskIn, wire.TaskPatch, as_applied=task_as_applied),
        Writable("article", wire.ArticleIn, wire.ArticlePatch),
        Writable("kb_synonym", wire.SynonymIn, wire.SynonymPatch, deletable=True),
    )
}


class NotWritableError(ValueError):
    pass


def writable(entity: str) -> Writable:
    try:
        return WRITABLE[entity]
    except KeyError:
        raise NotWritableError(f"'{entity}' records cannot be edited on the desktop.") from None


def remap_ids(value: Any, old: int, new: int, key: str = "") -> Any:
    """Replace a local id by the server's in ``*_id`` fields and ``*_ids`` lists."""
    if isinstance(value, dict):
        return {k: remap_ids(v, old, new, k) for k, v in value.items()}
    if isinstance(value, list):
        if key.endswith("_ids"):  # linked twice (by the local id, then the server's): once
            return list(dict.fromkeys(new if item == old else item for item in value))
        return [remap_ids(item, old, new) for item in value]
    if key.endswith("_id") and value == old:
        return new
    return value


def local_ids_in(value: Any, key: str = "") -> Iterator[int]:
    """Local (negative) ids a payload refers to: it waits until they exist on the server."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from local_ids_in(v, k)
    elif isinstance(value, list):
        for item in value:
            if key.endswith("_ids") and isinstance(item, int) and item < 0:
                yield item
            else:
                yield from local_ids_in(item)
    elif key.endswith("_id") and isinstance(value, int) and value < 0:
        yield value


def request_of(model: type[P], data: Mapping[str, Any]) -> P:
    """A form's record as its typed request (``wire.TicketIn``, ``wire.DispatchPatch``…),
    checked as the server will check it; raises ``ValidationError`` (see ``refusal``).

    A record made on this desk has a local (negative) id until the server numbers it, and the
    contract's ids are positive: the request is checked with each local id standing in for a
    server's (as the cache checks a write), then holds the local ids again, which the outbox
    replaces by the server's before the write is sent. Only fields the form set are set."""
    locals_ = set(local_ids_in(dict(data)))
    checked: dict[str, Any] = dict(data)
    for local in locals_:
        checked = remap_ids(checked, local, 1)
    request = model.model_validate(checked)
    if not locals_:
        return request
    restored = {k: v for k, v in data.items() if set(local_ids_in({k: v})) & locals_}
    return request.model_copy(update=restored)


def edit_of(model: type[P], changes: Json) -> P:
    """A form's edit as its typed patch (``wire.CustomerPatch``…): checked here, as the server
    will check it; raises ``ValidationError`` (see ``refusal``)."""
    return request_of(model, {**changes, "version": EDIT_VERSION})


def not_editable(entity: str, changes: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first field of an edit that this entity's edits cannot carry, and a message saying
    so (the cache refuses such an edit with it; a form says it before it tries), or None."""
    unknown = sorted(set(changes) - set(writable(entity).editable_fields) - {"version"})
    if not unknown:
        return None
    return unknown[0], f"'{unknown[0]}' cannot be changed on a {entity}."


def refusal(exc: ValidationError) -> tuple[str, str]:
    """The first problem of a refused write: the field it names and a message saying so."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "record"
    return where, f"{where}: {first['msg']}"


def _plain(value: Any) -> Any:
    """A dumped value as the outbox has always stored it: instants and days in Python's ISO
    form (``+00:00``, as the forms wrote them before they were typed), kinds as their value."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def payload_of(request: BaseModel) -> Json:
    """A typed request as the outbox stores it: the fields set, JSON-ready."""
    return dict(_plain(request.model_dump(mode="python", exclude_unset=True)))


def create_payload(request: BaseModel) -> tuple[str, Json]:
    """A typed new record (``wire.TicketIn``…) as the outbox stores it: its entity and the
    fields the form set (a local id it holds stays, for the outbox to replace)."""
    entity = next((w.entity for w in WRITABLE.values() if type(request) is w.create), None)
    if entity is None:
        raise NotWritableError(f"{type(request).__name__} is not a record the desktop makes.")
    return entity, payload_of(request)


def edit_payload(edit: BaseModel) -> tuple[str, Json]:
    """A typed edit as the outbox stores it: its entity and the fields the form set (the
    version is laid on when it is sent)."""
    entity = next((w.entity for w in WRITABLE.values() if type(edit) is w.patch), None)
    if entity is None:
        raise NotWritableError(f"{type(edit).__name__} is not an edit the desktop makes.")
    changes = payload_of(edit)
    changes.pop("version", None)
    return entity, changes
