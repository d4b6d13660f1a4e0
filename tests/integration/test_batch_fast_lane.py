"""The batch's fast lane against the routes: the same operations give the same answers and the
same rows (records, contacts, change feed, idempotency keys, audit), whether a batch writes
them in bulk, a batch sends each through its route, or each is a request of its own."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from server_stub.api import fast_lane
from server_stub.models import (
    AuditRow,
    ChangeRow,
    ContactRow,
    CustomerRow,
    IdempotencyRow,
    InteractionRow,
    TicketRow,
)
from tests.integration.conftest import Api, SeededTemplates, close, serve

_names = itertools.count()
fast_lane_write = fast_lane.write_group
Factory = Callable[[], Api]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def new_api(
    request: pytest.FixtureRequest, tmp_path: Path, seeded_templates: SeededTemplates
) -> Iterator[Factory]:
    """Fresh backends, each seeded alike on a database of its own (as ``api`` is)."""
    made: list[Api] = []

    def make() -> Api:
        if request.param == "sqlite":
            url = seeded_templates.sqlite(tmp_path / f"lane{next(_names)}.sqlite")
        else:
            server = request.getfixturevalue("postgres_server")
            url = seeded_templates.postgresql(server, f"lane_{next(_names)}")
        made.append(serve(url))
        return made[-1]

    yield make
    for api in made:
        close(api)


def _customer(team: int, code: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "name": f"客户 {code}", "team_id": team, **extra}


def _operations(api: Api) -> list[dict[str, Any]]:
    """Successes the lane writes, and in between each way an operation can be refused,
    replayed, or fail while writing (which ends the lane's group)."""
    mine, theirs = api.team_of("zhangwei"), api.team_of("liuyang")
    contacts = [
        {"name": "林医生", "phone": "+86 139 2345 6789", "salutation": "dr"},
        {"name": "前台", "phone": "010-6552 9988 ext. 12", "kind": "office", "email": "a@b.cn"},
    ]

    def create(key: str | None, body: dict[str, Any]) -> dict[str, Any]:
        return {"method": "POST", "path": "/customers", "key": key, "body": body}

    return [
        create("c1", _customer(mine, "L-1", contacts=contacts, vip=True, notes="首次")),
        create("c2", _customer(mine, "L-2", do_not_contact_by=["sms"], language="en")),
        create(None, _customer(mine, "L-3")),  # no key: written, nothing stored
        create("c4", _customer(mine, "L-1")),  # a duplicate code: the group falls back
        create("c5", _customer(mine, "L-5")),
        create("c6", _customer(theirs, "L-6")),  # another team's: 403, audited
        create("c7", _customer(mine, "L-7", contacts=[{"name": "x", "phone": "abc"}])),  # 422
        create("c1", _customer(mine, "L-1", contacts=contacts, vip=True, notes="首次")),  # replay
        create("c2", _customer(mine, "L-2-other")),  # the key on another body: 422
        create("c10", {"code": "L-10"}),  # the request model refuses it: 422
        create("c11", _customer(99_999, "L-11")),  # no such team: 422
        create("c12", _customer(mine, "L-12", preferred_channel="fax")),  # no such channel
        {"method": "PATCH", "path": "/customers/1", "key": "p1", "body": {"version": 1}},
        create("c14", _customer(mine, "L-14", segment="government", address="北京")),
        create("c15", _customer(mine, "L-15")),
    ]


def _as_batch(api: Api, user: str, operations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    answer = api.call("POST", "/batch", user, {"operations": operations})
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]  # type: ignore[no-any-return]


def _alone(api: Api, user: str, operations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    results = []
    for op in operations:
        answer = api.call(op["method"], op["path"], user, op["body"], op["key"])
        results.append(
            {
                "status": answer.status_code,
                "body": answer.json() if answer.content else None,
                "replayed": answer.headers.get("Idempotent-Replayed") == "true",
            }
        )
    return results


def _rows(api: Api) -> dict[str, list[dict[str, Any]]]:
    def table(model: Any, *skip: str) -> list[dict[str, Any]]:
        columns = [c for c in model.__table__.columns if c.name not in skip]
        with api.database.engine.connect() as conn:
            rows = conn.execute(select(*columns).order_by(*columns)).mappings()
            return [dict(r) for r in rows]

    return {
        "customers": table(CustomerRow),
        "contacts": table(ContactRow),
        "changes": table(ChangeRow),
        "keys": table(IdempotencyRow, "id"),  # claimed before or after the record: no matter
        "audit": table(AuditRow, "id"),
    }


_IDS = frozenset({"id", "customer_id", "entity_id", "target", "seq"})


def _ids_aside(value: Any) -> Any:
    """``value`` without ids, sorted: PostgreSQL does not give back the ids of a group rolled
    back (SQLite does), so there only the rest is compared; SQLite compares the ids too."""
    if isinstance(value, dict):
        return {k: _ids_aside(v) for k, v in value.items() if k not in _IDS}
    if isinstance(value, list):
        return sorted((_ids_aside(v) for v in value), key=repr)
    return value


def _same(api: Api, value: Any) -> Any:
    return _ids_aside(value) if api.database.engine.dialect.name == "postgresql" else value


# A supervisor (whose writes are audited), an agent, an admin (every team), and a technician
# (who may not create customers: every create a 403, audited).
EXPECTED = {
    "zhangwei": (201, 201, 201, 409, 201, 403, 422, 201, 422, 422, 403, 422, 200, 201, 201),
    "wangfang": (201, 201, 201, 409, 201, 403, 422, 201, 422, 422, 403, 422, 200, 201, 201),
    "admin": (201, 201, 201, 409, 201, 201, 422, 201, 422, 422, 422, 422, 200, 201, 201),
    "zhanggong": (403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("user", EXPECTED)
def test_the_lane_answers_and_writes_as_the_routes_do(
    new_api: Factory, user: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[int] = []  # the size of each group the lane wrote

    def spy(batch: Any, lane: Any, group: list[Any], now: datetime) -> list[dict[str, Any]]:
        written.append(len(group))
        return fast_lane_write(batch, lane, group, now)

    monkeypatch.setattr(fast_lane, "write_group", spy)
    lane, routes, alone = new_api(), new_api(), new_api()
    routes.client.app.state.fast_lane = False  # type: ignore[attr-defined]
    operations = _operations(lane)
    for api in (lane, routes, alone):
        api.headers(user)  # signed in alike before the writes (sign-in writes rows too)
    in_lane = _as_batch(lane, user, operations)
    in_routes = _as_batch(routes, user, operations)
    one_by_one = _alone(alone, user, operations)
    assert _same(lane, in_lane) == _same(lane, in_routes) == _same(lane, one_by_one)
    assert tuple(r["status"] for r in in_lane) == EXPECTED[user]
    # The lane took the creates it could, in groups the refusals and the edit split; the first
    # group (with the duplicate code) was rolled back and went through the routes one by one.
    assert written == {"zhanggong": [], "admin": [6, 2]}.get(user, [5, 2])
    assert in_lane[7]["replayed"] == (user != "zhanggong")
    assert _same(lane, _rows(lane)) == _same(lane, _rows(routes)) == _same(lane, _rows(alone))


def test_a_write_the_lane_stored_is_replayed_to_a_request_alone(new_api: Factory) -> None:
    api = new_api()
    body = _customer(
        api.team_of("wangfang"), "R-1", contacts=[{"name": "甲", "phone": "13912345678"}]
    )
    (first,) = _as_batch(
        api, "wangfang", [{"method": "POST", "path": "/customers", "key": "once", "body": body}]
    )
    again = api.call("POST", "/customers", "wangfang", body, key="once")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first["body"]
    reused = api.call("POST", "/customers", "wangfang", {**body, "name": "乙"}, key="once")
    assert reused.status_code == 422


def _first(api: Api, model: Any, team: int) -> int:
    with api.database.engine.connect() as conn:
        found = conn.scalar(select(model.id).where(model.team_id == team).order_by(model.id))
        assert found is not None, f"the seed has no {model.__tablename__} in team {team}"
        return int(found)


def _call(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "call_in",
        "started_at": "2026-11-02T08:50:00+08:00",
        "answered_at": "2026-11-02T08:50:12+08:00",
        "ended_at": "2026-11-02T08:56:40+08:00",
        "talk_s": 388,
        "queue": "医疗设备热线",
        "remote_number": "+8613912345678",
        "disposition": "resolved",
        "notes": "电源指示灯不亮，已指导复位",
        **extra,
    }


def _interaction_operations(api: Api) -> list[dict[str, Any]]:
    mine, theirs = api.team_of("zhangwei"), api.team_of("liuyang")
    customer, other = _first(api, CustomerRow, mine), _first(api, CustomerRow, theirs)
    ticket, other_ticket = _first(api, TicketRow, mine), _first(api, TicketRow, theirs)

    def create(key: str | None, body: dict[str, Any]) -> dict[str, Any]:
        return {"method": "POST", "path": "/interactions", "key": key, "body": body}

    return [
        create("i1", _call(customer_id=customer, ticket_ids=[ticket])),
        create("i2", _call()),  # no customer: the caller's own team (an admin has none: 422)
        create(None, _call(customer_id=customer, kind="email", answered_at=None, talk_s=0)),
        create("i4", _call(customer_id=other)),  # another team's customer: 403, audited
        create("i5", _call(ended_at="2026-11-02T08:40:00+08:00")),  # ends before it starts
        create("i6", _call(customer_id=customer, ticket_ids=[other_ticket])),  # not our ticket
        create("i7", _call(customer_id=99_999)),  # no such customer: 422
        create("i1", _call(customer_id=customer, ticket_ids=[ticket])),  # a replay
        create("i9", _call(kind="carrier_pigeon")),  # the request model refuses it
        create("i10", _call(customer_id=customer, hold_s=42, notes="")),
        create("i11", _call(customer_id=customer, queue="Q" * 201)),  # too long: 422
        create("i12", _call(customer_id=customer, remote_number="")),
    ]


@pytest.mark.parametrize("user", ["wangfang", "zhangwei", "admin", "zhanggong"])
def test_call_records_in_the_lane_answer_and_write_as_the_route_does(
    new_api: Factory, user: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[int] = []

    def spy(batch: Any, lane: Any, group: list[Any], now: datetime) -> list[dict[str, Any]]:
        written.append(len(group))
        return fast_lane_write(batch, lane, group, now)

    monkeypatch.setattr(fast_lane, "write_group", spy)
    lane, routes, alone = new_api(), new_api(), new_api()
    routes.client.app.state.fast_lane = False  # type: ignore[attr-defined]
    operations = _interaction_operations(lane)
    for api in (lane, routes, alone):
        api.headers(user)
    in_lane = _as_batch(lane, user, operations)
    in_routes = _as_batch(routes, user, operations)
    one_by_one = _alone(alone, user, operations)
    assert _same(lane, in_lane) == _same(lane, in_routes) == _same(lane, one_by_one)
    statuses = [r["status"] for r in in_lane]
    if user == "zhanggong":  # a technician may not log interactions
        assert written == []
        return
    assert statuses[4:7] == [422, 422, 422]
    assert statuses[7] == 201
    assert in_lane[7]["replayed"]
    assert statuses[0] == statuses[9] == 201
    assert sum(written) == statuses.count(201) - 1  # every new record but the replay, in bulk
    tables = {
        name: rows
        for name, rows in {**_rows(lane), "interactions": _table(lane, InteractionRow)}.items()
    }
    expected = {**_rows(routes), "interactions": _table(routes, InteractionRow)}
    assert _same(lane, tables) == _same(lane, expected)


def _table(api: Api, model: Any) -> list[dict[str, Any]]:
    columns = list(model.__table__.columns)
    with api.database.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(*columns).order_by(model.id)).mappings()]
