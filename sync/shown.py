"""Cache rows as the wire's typed records, for the views that hand them to the desk's UI.

The cache stores each record as the server sent it (read with the wire's ``…Out`` models,
tolerantly: a newer server's extra fields are dropped) or, while a record made on this desk
waits to be sent, as ``sync.entities`` shows it: without what only the server fills in (its
team, its ``updated_at``, a new contact's id, a task's status). Those are given placeholders
here (the value a new record gets on the server where there is one, else zero, empty, the
epoch), so the UI handles one typed record whatever its sync state. The ``Json`` of the cache
stops here and in the views; nothing above ``sync`` indexes a record by a string.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sync.contract.wire import WireModel, known_fields

M = TypeVar("M", bound=WireModel)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# What the server gives a new record that its create did not name (server_stub's defaults).
_AS_NEW: dict[str, dict[str, Any]] = {
    "TaskOut": {"status": "open", "outcome": "", "satisfaction": None, "attempts": 0},
    "DispatchOut": {"status": "planned", "cause": "", "resolution": ""},
    "TicketOut": {"status": "new", "source": "hotline"},
}


def _placeholder(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _placeholder(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        args = get_args(annotation)
        return None if type(None) in args else _placeholder(args[0])
    if origin in (list, tuple, set, frozenset):
        return []
    if origin is dict:
        return {}
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return next(iter(annotation)).value
        if issubclass(annotation, bool):
            return False
        if issubclass(annotation, int | float):
            return 0
        if issubclass(annotation, str):
            return ""
        if issubclass(annotation, datetime):
            return EPOCH.isoformat()
        if issubclass(annotation, date):
            return EPOCH.date().isoformat()
    return None


def _filled(model: type[BaseModel], data: Any) -> Any:
    """``data`` with every required field of ``model`` it lacks given a placeholder, at every
    depth (a new contact in a customer made here has no id yet)."""
    if not isinstance(data, dict):
        return data
    filled = dict(data)
    defaults = _AS_NEW.get(model.__name__, {})
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key not in filled:
            if key in defaults:
                filled[key] = defaults[key]
            elif field.is_required():
                filled[key] = _placeholder(field.annotation)
            continue
        inner = _model_in(field.annotation)
        if inner is not None:
            value = filled[key]
            filled[key] = (
                [_filled(inner, item) for item in value]
                if isinstance(value, list)
                else _filled(inner, value)
            )
    return filled


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (itself, in a list, or optional), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def shown(model: type[M], data: Any) -> M:
    """A cache row's record as ``model``: unknown fields dropped, placeholders for what a
    record made here does not have yet, and for a value this release cannot read (a kind a
    newer server added): one odd field must not keep the agent from the rest of the record."""
    filled = _filled(model, known_fields(model, data))
    for _attempt in range(20):
        try:
            return model.model_validate(filled)
        except ValidationError as exc:
            for error in exc.errors():
                filled = _mended(model, filled, tuple(error["loc"]))
    return model.model_validate(filled)


def _mended(model: type[BaseModel], data: Any, loc: tuple[int | str, ...]) -> Any:
    """``data`` with the value at ``loc`` replaced by its field's default or placeholder."""
    if not loc or not isinstance(data, dict) or loc[0] not in model.model_fields:
        return data
    name = str(loc[0])
    field = model.model_fields[name]
    mended = dict(data)
    inner = _model_in(field.annotation)
    rest = loc[1:]
    if rest and isinstance(rest[0], int) and isinstance(data.get(name), list) and inner:
        items = list(data[name])
        if 0 <= rest[0] < len(items):
            items[rest[0]] = _mended(inner, items[rest[0]], rest[1:])
        mended[name] = items
    elif rest and inner is not None:
        mended[name] = _mended(inner, data.get(name), rest)
    elif field.is_required():
        mended[name] = _placeholder(field.annotation)
    else:
        mended[name] = field.get_default(call_default_factory=True)
    return mended


@dataclass(frozen=True, slots=True)
class InCache(Generic[M]):
    """A record with its sync state in the cache (synced, pending, conflict, failed) and, when
    the server refused its last change, why."""

    record: M
    state: str = "synced"
    error: str = ""
