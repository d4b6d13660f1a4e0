"""Every request body the backend accepts checks its texts and instants on the wire: each
string passes ``refuse_control_characters`` and each datetime or date is range-checked, so a
new field cannot bring back a NUL (a 500 on PostgreSQL) or an instant that overflows in UTC."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError

import server_stub.api.routes
from sync.contract import wire

CHECKS = {
    "str": wire.refuse_control_characters,
    "datetime": wire.refuse_far_instants,
    "date": wire.refuse_far_dates,
}


def request_models() -> list[type[BaseModel]]:
    """The model of every route's request body, in every module of ``api/routes``."""
    found: list[type[BaseModel]] = []
    package = server_stub.api.routes
    routers = [
        getattr(importlib.import_module(f"{package.__name__}.{info.name}"), "router", None)
        for info in pkgutil.iter_modules(package.__path__)
    ]
    for router in routers:
        for route in getattr(router, "routes", []):
            if isinstance(route, APIRoute) and route.body_field is not None:
                kind = route.body_field.field_info.annotation
                for member in getattr(kind, "__args__", (kind,)):
                    if isinstance(member, type) and issubclass(member, BaseModel):
                        found.append(member)
    return found


def unchecked(schema: Any, path: str, checked: frozenset[str] = frozenset()) -> Iterator[str]:
    """Paths of str / datetime / date schemas not wrapped in their check."""
    if isinstance(schema, list):
        for item in schema:
            yield from unchecked(item, path, checked)
        return
    if not isinstance(schema, dict):
        return
    kind = schema.get("type")
    if kind in CHECKS and kind not in checked:
        yield f"{path}: {kind}"
    if kind == "function-after":
        function = schema.get("function", {}).get("function")
        now_checked = checked | {k for k, f in CHECKS.items() if f is function}
        yield from unchecked(schema.get("schema"), path, now_checked)
        return
    for name, value in schema.items():
        if name in ("function", "ref", "metadata", "serialization"):
            continue
        where = f"{path}.{schema.get('model_name', name)}" if kind == "model" else path
        # a check holds for the one schema it wraps, not for siblings further down
        yield from unchecked(value, where, frozenset() if kind != "nullable" else checked)


def test_every_request_text_and_instant_is_checked() -> None:
    models = request_models()
    assert len(models) >= 25
    missing = [
        f"{model.__name__}{gap}"
        for model in models
        for gap in unchecked(model.__pydantic_core_schema__, "")
    ]
    assert missing == []


@pytest.mark.parametrize("text", ["a\x00b", "\x1b[2J", "\x7f\x08", "a\x0bb"])
def test_control_characters_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValidationError, match="control character U\\+00"):
        TypeAdapter(wire.Name).validate_python(text)


def test_tab_newline_and_return_are_text() -> None:
    assert TypeAdapter(wire.LongText).validate_python("a\tb\r\nc") == "a\tb\r\nc"


@pytest.mark.parametrize(
    "sent",
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "1899-12-31T23:59:59+00:00",
        "2201-01-01T00:00:00+00:00",
        "1900-01-01T00:00:00+14:00",  # 1899 in UTC
    ],
)
def test_far_instants_are_refused(sent: str) -> None:
    with pytest.raises(ValidationError, match="between the years 1900 and 2200"):
        TypeAdapter(wire.Instant).validate_python(sent)


def test_near_instants_and_dates_pass() -> None:
    assert TypeAdapter(wire.Instant).validate_python("2026-11-02T09:00:00+08:00").year == 2026
    assert TypeAdapter(wire.Day).validate_python("2200-12-31") == date(2200, 12, 31)
    with pytest.raises(ValidationError):
        TypeAdapter(wire.Day).validate_python("0001-01-01")
