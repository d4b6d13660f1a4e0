"""What IT's tools read: /health/live, /health/ready (the database and its schema revision),
and /metrics (counters that move, loopback or a token only)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from server_stub.core.db import Database
from server_stub.core.schema import code_revision
from server_stub.main import create_app
from server_stub.visibility import Scope
from tests.integration.conftest import Api

LOOPBACK = ("127.0.0.1", 50000)


def _sample(exposition: str, name: str, **labels: str) -> float:
    """One sample's value (0 when the series does not exist yet)."""
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


@pytest.fixture
def local(api: Api) -> Iterator[TestClient]:
    """The same app, seen from this machine (the loopback address /metrics answers)."""
    with TestClient(api.client.app, client=LOOPBACK) as client:
        yield client


def _scrape(client: TestClient) -> str:
    answer = client.get("/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return answer.text


def test_live_and_ready_answer_without_a_token(api: Api) -> None:
    assert api.client.get("/health/live").json()["status"] == "ok"
    ready = api.client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "reason": "", "revision": code_revision()}


def test_not_ready_while_the_schema_is_not_this_codes(api: Api) -> None:
    """A rolling upgrade migrated the database past this instance (or nobody migrated it)."""
    with api.database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    answer = api.client.get("/health/ready")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "unavailable"
    assert "0099_future" in body["reason"]
    assert code_revision() in body["reason"]
    assert api.client.get("/health/live").status_code == 200  # alive: do not restart it
    with api.database.engine.begin() as connection:
        connection.execute(text("DELETE FROM alembic_version"))
    assert "revision none" in api.client.get("/health/ready").json()["reason"]


def test_not_ready_with_the_database_down(api: Api) -> None:
    app = api.client.app
    real = app.state.database  # type: ignore[attr-defined]
    # Nothing listens on port 1 of the loopback: the connection is refused at once.
    down = Database("postgresql+psycopg://agent:hunter2@127.0.0.1:1/centre")
    app.state.database = down  # type: ignore[attr-defined]
    try:
        answer = api.client.get("/health/ready")
    finally:
        app.state.database = real  # type: ignore[attr-defined]
        down.dispose()
    assert answer.status_code == 503
    assert "database unreachable" in answer.json()["reason"]
    assert "hunter2" not in answer.text
    assert api.client.get("/health/ready").status_code == 200


def test_not_ready_once_shutting_down(api: Api) -> None:
    api.client.app.state.broker.close_streams()  # type: ignore[attr-defined]
    answer = api.client.get("/health/ready")
    assert answer.status_code == 503
    assert answer.json()["reason"] == "shutting down"


def test_metrics_are_not_for_the_desks(api: Api) -> None:
    """An agent's PC is not this machine: refused without a token."""
    assert api.client.get("/metrics").status_code == 403
    assert api.client.get("/metrics", headers=api.headers("wangfang")).status_code == 403


def test_metrics_count_requests_by_route_template_and_status(api: Api, local: TestClient) -> None:
    route = "/api/v1/customers/{customer_id}"
    before = _scrape(local)
    for customer_id in (1, 2, 999_999):
        api.call("GET", f"/customers/{customer_id}", "wangfang")
    after = _scrape(local)

    def moved(name: str, **labels: str) -> float:
        return _sample(after, name, **labels) - _sample(before, name, **labels)

    assert moved("agent_server_requests_total", method="GET", route=route, status="200") == 2
    assert moved("agent_server_requests_total", method="GET", route=route, status="404") == 1
    assert moved("agent_server_request_seconds_count", method="GET", route=route) == 3
    # The id is never a label: one series a route.
    assert "/api/v1/customers/999999" not in after
    # A path no route serves makes no series of its own.
    local.get("/wp-login.php")
    assert "wp-login" not in _scrape(local)


def test_metrics_count_pushes_heartbeats_sweeps_and_streams(api: Api, local: TestClient) -> None:
    before = _scrape(local)
    operation = {"method": "PATCH", "path": "/customers/999999", "body": {"version": 1}}
    api.ok("POST", "/batch", "wangfang", {"operations": [operation, operation]})
    api.ok("POST", "/presence/heartbeat", "wangfang", {"state": "ready"})
    api.sweep()
    broker = api.client.app.state.broker  # type: ignore[attr-defined]
    stream = broker.subscribe(Scope(None, None))
    after = _scrape(local)
    broker.unsubscribe(stream)

    def moved(name: str) -> float:
        return _sample(after, name) - _sample(before, name)

    assert moved("agent_server_push_batches_total") == 1
    assert moved("agent_server_push_operations_total") == 2
    assert moved("agent_server_presence_heartbeats_total") == 1
    assert moved("agent_server_sla_sweeps_total") == 1
    assert _sample(after, "agent_server_event_streams") == broker.streams + 1
    assert _sample(_scrape(local), "agent_server_event_streams") == broker.streams


def test_a_metrics_token_is_asked_for_from_everyone(api: Api) -> None:
    app = api.client.app
    settings = app.state.settings  # type: ignore[attr-defined]
    with_token = create_app(
        replace(settings, metrics_token="scrape-9f8e"),
        api.database,
        api.clock,
        background=False,
    )
    with TestClient(with_token, client=LOOPBACK) as client:
        assert client.get("/metrics").status_code == 403
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        ok = client.get("/metrics", headers={"Authorization": "Bearer scrape-9f8e"})
        assert ok.status_code == 200
        assert "agent_server_requests_total" in ok.text


def test_metrics_off_serves_no_metrics(api: Api) -> None:
    settings = api.client.app.state.settings  # type: ignore[attr-defined]
    off = replace(settings, metrics=False)
    without = create_app(off, api.database, api.clock, background=False)
    with TestClient(without, client=LOOPBACK) as client:
        assert client.get("/metrics").status_code == 404
        assert client.get("/health/ready").status_code == 200
