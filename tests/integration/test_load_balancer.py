"""The shipped HAProxy config (deploy/haproxy/agent-server.cfg) in front of two instances on
one PostgreSQL: desks sign in through it, and a write served by one instance reaches an event
stream held through the other."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.fakes.haproxy import Haproxy, HaproxyUnavailableError
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def balanced(postgres_server: Any) -> Iterator[Haproxy]:
    url = postgres_server.create_database("balanced")
    first = LiveBackend(database_url=url)
    second = LiveBackend(database_url=url, seed=False)
    try:
        try:
            proxy = Haproxy([b.url.removeprefix("http://") for b in (first, second)])
        except HaproxyUnavailableError as exc:
            pytest.skip(str(exc))
        yield proxy
        proxy.stop()
    finally:
        first.stop()
        second.stop()


def test_write_through_one_instance_reaches_a_stream_through_the_other(
    balanced: Haproxy,
) -> None:
    base = f"{balanced.url}/api/v1"
    signed_in = requests.post(
        f"{base}/auth/login", json={"username": "zhangwei", "password": "demo1234"}, timeout=10
    )
    assert signed_in.status_code == 200
    lead = {"Authorization": f"Bearer {signed_in.json()['token']}"}
    reasons: list[str] = []
    held_by: list[str] = []
    live = threading.Event()

    def listen() -> None:
        with requests.get(
            f"{base}/events", params={"timeout_s": 10}, headers=lead, stream=True, timeout=30
        ) as stream:
            held_by.append(stream.headers["X-AW-Instance"])
            assert stream.headers["Content-Type"].startswith("text/event-stream")
            for line in stream.iter_lines(decode_unicode=True):
                if line.startswith("retry: "):
                    live.set()  # the first words came through at once: nothing buffers them
                elif line.startswith("data: "):
                    reasons.append(json.loads(line[6:])["data"].get("reason", ""))

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    assert live.wait(15), "the stream's first words did not come through the balancer"
    agent_login = requests.post(
        f"{base}/auth/login", json={"username": "alice", "password": "demo1234"}, timeout=10
    ).json()
    agent = {"Authorization": f"Bearer {agent_login['token']}"}
    # leastconn sends the next requests to the instance not holding the stream; try a few
    # until one is served there (each is a presence change the lead's stream should carry).
    served_elsewhere = None
    for n in range(10):
        answer = requests.put(
            f"{base}/presence/me",
            json={"state": "not_ready", "reason": f"balanced-{n}"},
            headers=agent,
            timeout=10,
        )
        assert answer.status_code == 200
        if answer.headers["X-AW-Instance"] != held_by[0]:
            served_elsewhere = f"balanced-{n}"
            break
    assert served_elsewhere is not None, "every write went to the instance holding the stream"
    wait_until(
        lambda: served_elsewhere in reasons,
        10,
        "the write served by the other instance to reach the stream",
    )
    thread.join(timeout=30)
