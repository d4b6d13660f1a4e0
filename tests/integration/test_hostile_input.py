"""A property-based run of hostile input against every write route and GET /events, on SQLite
and PostgreSQL: each request is a minimal valid body (built from the OpenAPI document) with one
text, instant or date replaced by something a hostile tester sends (NUL and other control
characters, lone surrogates, year 1 or 9999 with offsets of ±14:00), sometimes with an odd
Idempotency-Key; and Last-Event-ID headers of any bytes. No answer may be a 5xx, and every
refusal has the one error shape. (The TestClient raises a server exception, so a 500 fails
with its traceback.)"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.conftest import Api

pytestmark = pytest.mark.slow

EXAMPLES_PER_ROUTE = 12
WRITES = ("post", "put", "patch", "delete")
# Signing out would end the run's own sessions; the rest is fair game.
SKIPPED = {("post", "/api/v1/auth/logout")}
Leaf = tuple[tuple[str | int, ...], str]  # where in the body, and what kind of value


def resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while True:
        if "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[1]]
        elif "anyOf" in schema:  # X | None: the X
            schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        elif "allOf" in schema and len(schema["allOf"]) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


def minimal(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """The smallest value the schema accepts (required properties only)."""
    schema = resolve(schema, components)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: minimal(props[name], components) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if schema.get("format") == "date-time":
        return "2026-11-02T09:00:00+08:00"
    if schema.get("format") == "date":
        return "2026-11-02"
    if kind == "string":
        return "x" * max(1, schema.get("minLength", 1))
    return None


def leaves(
    schema: dict[str, Any], components: dict[str, Any], at: tuple[str | int, ...] = ()
) -> list[Leaf]:
    """Every place a text, an instant or a date goes, required or not."""
    schema = resolve(schema, components)
    if "enum" in schema or "const" in schema:
        return []
    kind = schema.get("type")
    if kind == "object":
        found = [
            leaf
            for name, sub in schema.get("properties", {}).items()
            for leaf in leaves(sub, components, (*at, name))
        ]
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and resolve(extra, components).get("type") == "string":
            found.append((at, "key"))
        return found
    if kind == "array":
        return leaves(schema.get("items", {}), components, (*at, 0))
    if schema.get("format") == "date-time":
        return [(at, "instant")]
    if schema.get("format") == "date":
        return [(at, "date")]
    if kind == "string":
        return [(at, "text")]
    return []


def inject(
    body: Any, schema: dict[str, Any], components: dict[str, Any], leaf: Leaf, value: Any
) -> Any:
    """``body`` with ``value`` at the leaf (making the containers on the way valid)."""
    path, kind = leaf
    schema = resolve(schema, components)
    if not path:
        return {value: "x"} if kind == "key" else value
    step, rest = path[0], path[1:]
    if isinstance(step, int):
        item_schema = schema.get("items", {})
        return [
            inject(minimal(item_schema, components), item_schema, components, (rest, kind), value)
        ]
    sub = schema["properties"][step]
    current = body.get(step) if isinstance(body, dict) else None
    if current is None:
        current = minimal(sub, components)
    return {**body, step: inject(current, sub, components, (rest, kind), value)}


CONTROLS = st.sampled_from(["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\ud800", "\udfff"])
TEXT = st.one_of(
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=8), CONTROLS, st.text(max_size=8)),
    st.text(max_size=40),
)
OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
INSTANT = st.one_of(
    st.sampled_from(
        [
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-14:00",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999Z",
            "1900-01-01T00:00:00+14:00",
            "2200-12-31T23:59:59-14:00",
            "2026-11-02T09:00:00",  # no zone
            "2026-02-30T09:00:00Z",
        ]
    ),
    st.builds(
        lambda moment, zone: moment.replace(tzinfo=zone).isoformat(),
        st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
        OFFSETS,
    ),
)
DATE = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "0000-01-01", "2026-02-30"]),
    st.dates().map(str),
)
HOSTILE = {"text": TEXT, "key": TEXT, "instant": INSTANT, "date": DATE}
ODD_BYTES = st.binary(min_size=1, max_size=24).filter(lambda b: b"\r" not in b and b"\n" not in b)
KEYS = st.one_of(st.none(), st.just("fine-key-1"), ODD_BYTES)


def refused_in_shape(answer: Any) -> None:
    assert answer.status_code < 500, answer.text
    if answer.status_code >= 400:
        body = answer.json()
        assert {"code", "message", "field"} <= set(body), body


def write_routes(api: Api) -> list[tuple[str, str, dict[str, Any] | None]]:
    document = api.client.get("/openapi.json").json()
    routes = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if method not in WRITES or (method, path) in SKIPPED:
                continue
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            routes.append((method, path, schema))
    assert len(routes) >= 25, routes
    return routes


def hostile_requests(
    api: Api,
    components: dict[str, Any],
    method: str,
    path: str,
    schema: dict[str, Any] | None,
    users: list[dict[str, str]],
) -> Any:
    """A hypothesis test of one route: a minimal body with one hostile value in it."""
    places = (leaves(schema, components) if schema else []) or [((), "none")]

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        leaf = data.draw(st.sampled_from(places), label="leaf")
        body: Any = None
        if schema is not None:
            body = minimal(schema, components)
            if leaf[1] != "none":
                value = data.draw(HOSTILE[leaf[1]], label="value")
                body = inject(body, schema, components, leaf, value)
        headers: dict[str, Any] = dict(data.draw(st.sampled_from(users), label="user"))
        key = data.draw(KEYS, label="key")
        if key is not None:
            headers["Idempotency-Key"] = key
        content = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            # ASCII escapes, so lone surrogates travel as the JSON a client could send.
            content = json.dumps(body, ensure_ascii=True).encode()
        answer = api.client.request(method.upper(), path, content=content, headers=headers)
        refused_in_shape(answer)

    return run


def test_hostile_values_in_every_write_never_get_a_5xx(api: Api) -> None:
    components = api.client.get("/openapi.json").json()["components"]["schemas"]
    users = [api.headers("wangfang"), api.headers("zhangwei")]
    for method, template, schema in write_routes(api):
        path = re.sub(r"\{[^}]+\}", "1", template)
        hostile_requests(api, components, method, path, schema, users)()


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(sent=st.one_of(ODD_BYTES, st.integers(-(2**70), 2**70).map(lambda n: str(n).encode())))
def test_any_last_event_id_never_gets_a_5xx(api: Api, sent: bytes) -> None:
    headers = {**api.headers("wangfang"), "Last-Event-ID": sent}
    answer = api.client.get("/api/v1/events", params={"timeout_s": 0.01}, headers=headers)
    refused_in_shape(answer)
