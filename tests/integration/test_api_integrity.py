"""Issue 15 on the backend: bad input is a 4xx in the one error shape naming the field (never a
500), a retried write gets its first answer whatever the method, deletes check versions,
counters cannot be inflated, presence is last-writer-wins, a ticket stays where its customer
can be read. On SQLite and PostgreSQL (the ``api`` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

import server_stub
from server_stub.api.deps import DeskContract, get_desk_contract
from sync.contract import version as contract
from sync.contract.errors import ErrorCode
from sync.contract.wire import ErrorBody
from tests.integration.conftest import Api
from tests.integration.test_api_writes import new_customer

FAR_INSTANTS = (
    "0001-01-01T00:00:00+14:00",  # overflows when turned to UTC
    "9999-12-31T23:59:59-14:00",  # overflows the other way
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "1899-12-31T23:59:59+00:00",
)


def error_shape(answer: httpx.Response) -> dict[str, Any]:
    """The answer is an error in the project's one shape; its body."""
    assert answer.headers["content-type"].startswith("application/json"), answer.text
    body = answer.json()
    assert set(body) == {"code", "message", "field"}, body
    assert isinstance(body["code"], str)
    assert body["code"]
    assert isinstance(body["message"], str)
    return body  # type: ignore[no-any-return]


def raw(
    api: Api, method: str, path: str, user: str, content: bytes, **headers: Any
) -> httpx.Response:
    all_headers = {**api.headers(user), "Content-Type": "application/json", **headers}
    return api.client.request(method, f"/api/v1{path}", content=content, headers=all_headers)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/customers", {"code": "C-NUL-1", "name": "深圳\x00医院"}, "name"),
        ("/customers", {"code": "C-NUL-2", "name": "ok", "notes": "a\x01b"}, "notes"),
        (
            "/customers",
            {"code": "C-NUL-3", "name": "ok", "contacts": [{"name": "林", "phone": "139\x00"}]},
            "contacts.0.phone",
        ),
        ("/kb/questions", {"text": "为什么\x00"}, "text"),
    ],
)
def test_control_characters_in_text_are_a_422_naming_the_field(
    api: Api, path: str, body: dict[str, Any], field: str
) -> None:
    if path == "/customers":
        body["team_id"] = api.team_of("wangfang")
    before = len(api.ok("GET", "/customers", "admin"))
    answer = api.call("POST", path, "wangfang", body, key=f"nul-{field}")
    assert answer.status_code == 422, answer.text
    error = error_shape(answer)
    assert error["field"] == field
    assert "U+00" in error["message"]
    assert len(api.ok("GET", "/customers", "admin")) == before
    # Tab, newline and carriage return are text.
    if path == "/customers":
        fine = {**body, "code": body["code"] + "-ok", "name": "a\tb", "notes": "l1\r\nl2"}
        fine.pop("contacts", None)
        assert api.ok("POST", path, "wangfang", fine)["notes"] == "l1\r\nl2"


@pytest.mark.parametrize("instant", FAR_INSTANTS)
def test_far_instants_are_a_422_naming_the_field(api: Api, instant: str) -> None:
    body = {"kind": "call_in", "started_at": "2026-11-02T09:00:00+08:00", "ended_at": instant}
    answer = api.call("POST", "/interactions", "wangfang", body)
    assert answer.status_code == 422, answer.text
    assert error_shape(answer)["field"] == "ended_at"
    customer = new_customer(api)
    ticket = api.ok(
        "POST",
        "/tickets",
        "wangfang",
        {"customer_id": customer["id"], "category": "fault", "summary": "x"},
    )
    window = {"window_start": instant, "window_end": "2026-11-03T12:00:00Z"}
    answer = api.call(
        "POST",
        "/dispatches",
        "wangfang",
        {"ticket_id": ticket["id"], "technician": "周工", **window},
    )
    assert answer.status_code == 422, answer.text
    assert error_shape(answer)["field"] == "window_start"
    asset = {
        "customer_id": customer["id"],
        "product_line": "Monitors",
        "model": "PM-8000",
        "serial_number": "SN-FAR-1",
        "purchase_date": instant[:10],
        "warranty_end": "2027-01-01",
    }
    answer = api.call("POST", "/assets", "wangfang", asset)
    assert answer.status_code == 422, answer.text
    assert error_shape(answer)["field"] == "purchase_date"


def test_odd_query_parameters_and_headers_are_4xx_in_the_error_shape(api: Api) -> None:
    answer = api.get("/customers", "wangfang", q="a\x00b")
    assert answer.status_code == 422
    assert error_shape(answer)["field"] == "q"
    answer = api.get("/customers/lookup", "wangfang", phone="\x00")
    assert error_shape(answer)["field"] == "phone"
    # Change and event ids are 32-bit on PostgreSQL: a larger cursor is refused, not overflowed.
    for route in ("/changes", "/events"):
        answer = api.get(route, "wangfang", after=2**40, timeout_s=0.05)
        assert answer.status_code == 422
        assert error_shape(answer)["field"] == "after"
    events = "/api/v1/events"
    for sent in (b"\xb2", b"\xd9\xa3", b"\xff\xfe", b"9" * 40, b"4294967296", b"12abc", b"-1"):
        answer = api.client.get(
            events,
            params={"timeout_s": 0.05},
            headers={**api.headers("wangfang"), "Last-Event-ID": sent},
        )
        assert answer.status_code == 422, (sent, answer.text)
        assert error_shape(answer)["field"] == "Last-Event-ID"
    fine = api.client.get(
        events,
        params={"timeout_s": 0.05},
        headers={**api.headers("wangfang"), "Last-Event-ID": "0"},
    )
    assert fine.status_code == 200
    body = {"code": "C-KEY-1", "name": "x", "team_id": api.team_of("wangfang")}
    for key in (b"\xff\xfe", "a b", "k" * 201, "ключ".encode()):
        answer = api.client.post(
            "/api/v1/customers",
            json=body,
            headers={**api.headers("wangfang"), "Idempotency-Key": key},
        )
        assert answer.status_code == 422, answer.text
        assert error_shape(answer)["field"] == "Idempotency-Key"
    for token in (b"Bearer \xff\xfe", b"Bearer \x00", b"\xc3\x28", b"Basic abc"):
        answer = api.client.post("/api/v1/customers", json=body, headers={"Authorization": token})
        assert answer.status_code == 401
        error_shape(answer)


def test_framework_errors_have_the_one_error_shape_and_the_servers_date(api: Api) -> None:
    date = format_datetime(api.clock.now(), usegmt=True)
    checks: list[tuple[httpx.Response, int, str | None]] = [
        (api.get("/no-such-thing", "wangfang"), 404, None),
        (api.client.delete("/api/v1/health"), 405, None),
        (raw(api, "POST", "/customers", "wangfang", b'{"code": '), 422, "body"),
        (raw(api, "POST", "/customers", "wangfang", b"[1, 2]"), 422, "body"),
        (
            raw(
                api,
                "POST",
                "/customers",
                "wangfang",
                b'{"code":"x"}',
                **{"Content-Type": "text/plain"},
            ),
            415,
            "Content-Type",
        ),
        (
            raw(
                api,
                "POST",
                "/customers",
                "wangfang",
                b"a=b",
                **{"Content-Type": "application/x-www-form-urlencoded"},
            ),
            415,
            "Content-Type",
        ),
        (api.get("/customers", "wangfang", limit="many"), 422, "limit"),
        (api.get("/customers/abc", "wangfang"), 422, "customer_id"),
        (api.get("/customers/99999999999", "wangfang"), 422, "customer_id"),
        (api.get("/tickets", "wangfang", status="nonsense"), 422, "status.0"),
        (api.client.get("/api/v1/customers"), 401, None),
    ]
    for answer, status, field in checks:
        assert answer.status_code == status, (answer.request.url, answer.text)
        assert error_shape(answer)["field"] == field, answer.text
        assert answer.headers["Date"] == date  # the Date middleware answers errors too


def test_a_retry_of_a_committed_edit_or_delete_gets_the_first_answer(api: Api) -> None:
    customer = new_customer(api)
    path = f"/customers/{customer['id']}"
    patch = {"version": customer["version"], "vip": True}
    first = api.call("PATCH", path, "zhangwei", patch, key="edit-1")
    assert first.status_code == 200
    again = api.call("PATCH", path, "zhangwei", patch, key="edit-1")  # the answer was lost
    assert again.status_code == 200, again.text  # not a 409 on its own old version
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Date"] == format_datetime(api.clock.now(), usegmt=True)
    assert api.ok("GET", path, "zhangwei")["version"] == first.json()["version"]
    # The same key on another request is refused, whatever its method.
    other = api.call("PATCH", path, "zhangwei", {**patch, "vip": False}, key="edit-1")
    assert other.status_code == 422
    assert error_shape(other)["field"] == "Idempotency-Key"
    assert api.call("DELETE", path, "zhangwei", {"version": 2}, key="edit-1").status_code == 422

    gone = {"version": first.json()["version"]}
    deleted = api.call("DELETE", path, "zhangwei", gone, key="delete-1")
    assert deleted.status_code == 204
    retried = api.call("DELETE", path, "zhangwei", gone, key="delete-1")
    assert retried.status_code == 204, retried.text  # not a 404 for the record it deleted
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert api.call("DELETE", path, "zhangwei", gone).status_code == 404  # without a key: gone

    # PUT and POST too; key order and spacing do not make the same body another request.
    put = b'{"state": "not_ready", "reason": "lunch"}'
    first = raw(api, "PUT", "/presence/me", "alice", put, **{"Idempotency-Key": "put-1"})
    assert first.status_code == 200
    api.ok("PUT", "/presence/me", "alice", {"state": "ready"})
    reordered = b'{"reason":"lunch","state":"not_ready"}'
    again = raw(api, "PUT", "/presence/me", "alice", reordered, **{"Idempotency-Key": "put-1"})
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert api.ok("GET", "/presence/me", "alice")["state"] == "ready"  # replayed, not re-done


def test_deleting_a_customer_checks_its_version(api: Api) -> None:
    customer = new_customer(api)
    path = f"/customers/{customer['id']}"
    missing = api.call("DELETE", path, "zhangwei")
    assert missing.status_code == 422
    assert error_shape(missing)["field"] == "version"
    assert api.call("DELETE", path, "zhangwei", {}).json()["field"] == "version"
    edited = api.ok("PATCH", path, "wangfang", {"version": customer["version"], "notes": "改过"})
    stale = api.call("DELETE", path, "zhangwei", {"version": customer["version"]})
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "version_conflict"
    assert body["field"] == "version"
    assert body["current"]["notes"] == "改过"
    assert api.ok("GET", path, "zhangwei")["version"] == edited["version"]
    assert api.call("DELETE", path, "zhangwei", {"version": edited["version"]}).status_code == 204
    assert api.call("GET", path, "zhangwei").status_code == 404
    # A desk of contract 1.0 (no header) deleted without a version and is still served so.
    older = new_customer(api)
    headers = {"Authorization": api.headers("zhangwei")["Authorization"]}
    legacy = api.client.request("DELETE", f"/api/v1/customers/{older['id']}", headers=headers)
    assert legacy.status_code == 204


def test_the_desk_contract_is_read_once_by_the_middleware_and_routes_take_it_from_there(
    api: Api,
) -> None:
    """The delete's 1.0 case follows ``api.deps.DeskContract`` (what the middleware put on
    ``request.state``), not a second reading of the header in the route."""
    app = api.client.app
    assert isinstance(app, FastAPI)
    older = new_customer(api)
    app.dependency_overrides[get_desk_contract] = lambda: contract.LEGACY
    try:  # the header says this release; the dependency says 1.0: 1.0 is served
        answer = api.call("DELETE", f"/customers/{older['id']}", "zhangwei")
    finally:
        app.dependency_overrides.clear()
    assert answer.status_code == 204, answer.text
    seen: list[contract.ContractVersion] = []

    @app.get("/api/v1/test-desk-contract")
    def desk_contract(desk: DeskContract) -> dict[str, str]:
        seen.append(desk)
        return {"desk": str(desk)}

    assert api.ok("GET", "/test-desk-contract", "zhangwei") == {"desk": str(contract.CONTRACT)}
    no_header = api.client.get("/api/v1/test-desk-contract")
    assert no_header.json() == {"desk": str(contract.LEGACY)}
    assert seen == [contract.CONTRACT, contract.LEGACY]


def test_only_the_middleware_parses_the_contract_header() -> None:
    server = Path(server_stub.__file__).parent
    parsing = sorted(
        str(path.relative_to(server))
        for path in server.rglob("*.py")
        if "parse_version(" in path.read_text(encoding="utf-8")
    )
    assert parsing == ["api/gate.py"]


def test_views_count_once_a_day_and_votes_once_per_user(api: Api) -> None:
    article = api.ok("GET", "/kb/articles", "wangfang", limit=1)[0]
    path = f"/kb/articles/{article['id']}"

    def counts() -> dict[str, int]:
        return api.ok("GET", "/kb/counts", "wangfang", ids=[article["id"]])["articles"][0]  # type: ignore[no-any-return]

    start = counts()
    for _ in range(3):
        api.ok("GET", path, "alice")
        api.ok("POST", f"{path}/views", "alice", {"count": 50})
    assert counts()["views"] == start["views"] + 1
    api.ok("GET", path, "lina")  # another user's view counts
    assert counts()["views"] == start["views"] + 2
    api.clock.advance(timedelta(days=1))  # a new day: a view again
    api.ok("POST", f"{path}/views", "alice", {"count": 1})
    api.ok("GET", path, "alice")
    assert counts()["views"] == start["views"] + 3

    for _ in range(3):
        api.ok("POST", f"{path}/feedback", "alice", {"helpful": True})
    after = counts()
    assert (after["helpful"], after["not_helpful"]) == (start["helpful"] + 1, start["not_helpful"])
    api.ok("POST", f"{path}/feedback", "alice", {"helpful": False})  # she changed her mind
    after = counts()
    assert (after["helpful"], after["not_helpful"]) == (start["helpful"], start["not_helpful"] + 1)
    api.ok("POST", f"{path}/feedback", "tom", {"helpful": False})
    assert counts()["not_helpful"] == start["not_helpful"] + 2
    assert api.ok("GET", path, "alice")["version"] == article["version"]  # counters, not edits


def test_a_ticket_moves_only_to_a_team_that_can_read_its_customer(api: Api) -> None:
    customer = new_customer(api)
    ticket = api.ok(
        "POST",
        "/tickets",
        "wangfang",
        {"customer_id": customer["id"], "category": "fault", "summary": "x"},
    )
    other_team = api.team_of("lina")
    for user in ("zhangwei", "admin"):
        moved = api.call(
            "PATCH",
            f"/tickets/{ticket['id']}",
            user,
            {"version": ticket["version"], "team_id": other_team},
        )
        assert moved.status_code == 422, moved.text
        error = error_shape(moved)
        assert error["field"] == "team_id"
        assert "customer" in error["message"]
    assert api.ok("GET", f"/tickets/{ticket['id']}", "wangfang")["team_id"] == customer["team_id"]
    # The customer moves first; then its ticket may follow.
    api.ok(
        "PATCH",
        f"/customers/{customer['id']}",
        "admin",
        {"version": customer["version"], "team_id": other_team},
    )
    moved = api.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        "admin",
        {"version": ticket["version"], "team_id": other_team},
    )
    assert moved["team_id"] == other_team


def test_a_time_with_an_offset_is_read_back_as_the_same_instant(api: Api) -> None:
    """SQLite keeps the wall-clock digits without the zone: 09:00+08:00 came back as 09:00Z
    before every stamp was stored in UTC."""
    customer = new_customer(api)
    made = api.ok(
        "POST",
        "/interactions",
        "wangfang",
        {
            "customer_id": customer["id"],
            "kind": "call_in",
            "started_at": "2026-12-01T09:00:00+08:00",
            "answered_at": "2026-12-01T09:00:05+08:00",
            "ended_at": "2026-12-01T09:04:05+08:00",
        },
    )
    found = api.ok("GET", f"/customers/{customer['id']}/interactions", "wangfang")
    stored = next(i for i in found if i["id"] == made["id"])
    for answer in (made, stored):
        started = datetime.fromisoformat(answer["started_at"])
        assert started == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
        assert datetime.fromisoformat(answer["ended_at"]) - started == timedelta(
            minutes=4, seconds=5
        )
    # The centre's day boundary holds on the stored instant: the call is on the wallboard's
    # 1 December (Shanghai), not the UTC day before or after.
    board = api.ok("GET", "/wallboard/today", "zhangwei", day="2026-12-01")
    assert any(c["id"] == made["id"] for c in board["calls"])


def test_no_free_database_connection_is_a_503_to_come_back_to(api: Api) -> None:
    """A burst that keeps every pooled connection busy past the pool's timeout is the server
    being busy, not a bug: 503 server_busy with Retry-After, which desks and load balancers
    wait out (the desk keeps the write)."""
    app = api.client.app
    assert isinstance(app, FastAPI)

    @app.get("/api/v1/test-pool-exhausted")
    def exhausted() -> None:
        raise PoolTimeoutError("QueuePool limit of size 5 overflow 10 reached")

    answer = api.client.get("/api/v1/test-pool-exhausted", headers=api.headers("zhangwei"))
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    assert ErrorBody.model_validate(answer.json()).code == ErrorCode.SERVER_BUSY
