"""Two server processes' worth of app on one PostgreSQL: events cross instances, escalation
fires once. (Each instance is a full uvicorn server on its own port with its own event hub,
SLA sweeper and connection pool; only the database is shared.)"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests

from server_stub.clock import ManualClock
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def two_instances(postgres_server: Any) -> Iterator[tuple[LiveBackend, LiveBackend, ManualClock]]:
    url = postgres_server.create_database("scale_out")
    clock = ManualClock()
    # The test moves the clock by a day: sessions outlive it.
    lifetime = timedelta(days=30)
    first = LiveBackend(database_url=url, clock=clock, sla_interval_s=0.05, token_lifetime=lifetime)
    second = LiveBackend(
        database_url=url, clock=clock, sla_interval_s=0.05, seed=False, token_lifetime=lifetime
    )
    yield first, second, clock
    first.stop()
    second.stop()


def count_sweeps(backend: LiveBackend) -> list[None]:
    """A list that grows by one each time the instance's SLA sweeper finishes a sweep."""
    sweeper = backend.app.state.sla
    done: list[None] = []
    sweep = sweeper.sweep

    def counted() -> list[int]:
        try:
            return sweep()  # type: ignore[no-any-return]
        finally:
            done.append(None)

    sweeper.sweep = counted
    return done


def login(base: str, user: str) -> dict[str, str]:
    answer = requests.post(
        f"{base}/api/v1/auth/login", json={"username": user, "password": "demo1234"}, timeout=10
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def listen(
    base: str,
    headers: dict[str, str],
    into: list[dict[str, Any]],
    ready: threading.Event,
    seconds: float,
) -> None:
    with requests.get(
        f"{base}/api/v1/events",
        params={"timeout_s": seconds},
        headers=headers,
        stream=True,
        timeout=seconds + 10,
    ) as stream:
        event: dict[str, Any] = {}
        for line in stream.iter_lines(decode_unicode=True):
            if line.startswith("retry: "):  # the stream's first words: it is live
                ready.set()
            elif line.startswith("event: "):
                event["kind"] = line[7:]
            elif line.startswith("data: "):
                event.update(json.loads(line[6:]))
            elif not line and "kind" in event:
                into.append(event)
                event = {}


def test_event_raised_on_b_reaches_a_desktop_on_a(
    two_instances: tuple[LiveBackend, LiveBackend, ManualClock],
) -> None:
    a, b, _clock = two_instances
    lead = login(a.url, "zhangwei")
    received: list[dict[str, Any]] = []
    ready = threading.Event()
    thread = threading.Thread(target=listen, args=(a.url, lead, received, ready, 4.0))
    thread.start()
    assert ready.wait(10)  # the stream answered: from here on, every event reaches it
    answer = requests.put(
        f"{b.url}/api/v1/presence/me",
        json={"state": "ready"},
        headers=login(b.url, "alice"),
        timeout=10,
    )
    assert answer.status_code == 200
    wait_until(
        lambda: any(e["kind"] == "presence" for e in list(received)),
        5,
        "the lead on instance A to see the presence change made on B",
    )
    thread.join(timeout=10)
    presence = [e for e in received if e["kind"] == "presence"]
    assert presence[0]["data"]["state"] == "ready"


def test_escalation_fires_exactly_once_across_instances(
    two_instances: tuple[LiveBackend, LiveBackend, ManualClock],
) -> None:
    a, b, clock = two_instances
    agent = login(a.url, "wangfang")
    customers = requests.get(f"{a.url}/api/v1/customers", headers=agent, timeout=10).json()
    created = requests.post(
        f"{a.url}/api/v1/tickets",
        headers=agent,
        timeout=10,
        json={
            "customer_id": customers[0]["id"],
            "category": "complaint",
            "summary": "投诉",
            "complaint": True,
        },
    ).json()
    sweeps = {a.url: count_sweeps(a), b.url: count_sweeps(b)}
    clock.advance(timedelta(hours=25))  # both sweepers (every 50 ms) now see it due

    def escalated() -> dict[str, Any] | None:
        ticket: dict[str, Any] = requests.get(
            f"{b.url}/api/v1/tickets/{created['id']}", headers=agent, timeout=10
        ).json()
        return ticket if ticket["escalation_level"] >= 1 else None

    ticket = wait_until(escalated, 10, "the complaint to be escalated")
    # Each sweeper has had its chance to fire a second time: three more sweeps each.
    since = {url: len(done) for url, done in sweeps.items()}
    wait_until(
        lambda: all(len(done) >= since[url] + 3 for url, done in sweeps.items()),
        10,
        "both instances' SLA sweepers to run three more times",
    )
    history = requests.get(
        f"{a.url}/api/v1/tickets/{created['id']}/history", headers=agent, timeout=10
    ).json()
    assert ticket["escalation_level"] == 1
    assert [h["field"] for h in history].count("escalation_level") == 1
    admin = login(b.url, "admin")
    audit = requests.get(f"{b.url}/api/v1/audit", headers=admin, timeout=10).json()
    assert (
        sum(x["action"] == "sla.escalate" and x["target"] == created["number"] for x in audit) == 1
    )
