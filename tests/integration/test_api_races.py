"""Requests fired together at a live backend (uvicorn, real sockets) on SQLite and PostgreSQL:
one Idempotency-Key claimed by several requests at once, one account's presence from several
desks, one user's votes and views at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from server_stub.seed import DEMO_PASSWORD
from sync.contract import version as contract
from tests.fakes.servers import LiveBackend

THREADS = 6


@pytest.fixture
def backend(database_url: str, tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(tmp_path / "unused.sqlite", database_url=database_url)
    try:
        yield server
    finally:
        server.stop()


def sign_in(backend: LiveBackend, user: str) -> str:
    answer = requests.post(
        f"{backend.url}/api/v1/auth/login",
        json={"username": user, "password": DEMO_PASSWORD},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


Request = tuple[str, str, str, Any, str | None]  # token, method, path, body, key


def send(
    backend: LiveBackend,
    token: str,
    method: str,
    path: str,
    body: Any = None,
    key: str | None = None,
) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return requests.request(
        method, f"{backend.url}/api/v1{path}", json=body, headers=headers, timeout=60
    )


def together(backend: LiveBackend, sent: list[Request]) -> list[requests.Response]:
    """Send each request on its own thread and connection, released at one moment."""
    barrier = threading.Barrier(len(sent))

    def run(request: Request) -> requests.Response:
        barrier.wait(timeout=60)
        return send(backend, *request)

    with ThreadPoolExecutor(len(sent)) as pool:
        return list(pool.map(run, sent))


def test_one_key_sent_at_once_writes_once(backend: LiveBackend) -> None:
    token = sign_in(backend, "wangfang")
    team = send(backend, token, "GET", "/me").json()["user"]["team"]["id"]
    same = {"code": "C-RACE-1", "name": "同时 1", "team_id": team}
    answers = together(backend, [(token, "POST", "/customers", same, "race-1")] * THREADS)
    assert [a.status_code for a in answers] == [201] * THREADS, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == THREADS - 1

    # Two different bodies under one key: one wins; its twins replay it, the others get 422.
    bodies = [
        {"code": "C-RACE-A", "name": "A", "team_id": team},
        {"code": "C-RACE-B", "name": "B", "team_id": team},
    ]
    answers = together(
        backend,
        [(token, "POST", "/customers", bodies[i % 2], "race-2") for i in range(THREADS)],
    )
    statuses = [a.status_code for a in answers]
    assert set(statuses) == {201, 422}, [a.text for a in answers]
    winner = next(a.json() for a in answers if a.status_code == 201)
    for index, answer in enumerate(answers):
        sent = bodies[index % 2]
        if sent["code"] == winner["code"]:
            assert answer.status_code == 201
            assert answer.json() == winner
        else:
            assert answer.status_code == 422
            assert answer.json()["field"] == "Idempotency-Key"
    found = send(backend, token, "GET", "/customers")
    codes = [c["code"] for c in found.json() if c["code"].startswith("C-RACE-")]
    assert sorted(codes) == sorted(["C-RACE-1", winner["code"]])


def test_a_retried_edit_racing_its_first_attempt_gets_the_first_answer(
    backend: LiveBackend,
) -> None:
    token = sign_in(backend, "wangfang")
    team = send(backend, token, "GET", "/me").json()["user"]["team"]["id"]
    body = {"code": "C-RACE-E", "name": "E", "team_id": team}
    customer = send(backend, token, "POST", "/customers", body).json()
    patch = {"version": customer["version"], "notes": "一次"}
    path = f"/customers/{customer['id']}"
    answers = together(backend, [(token, "PATCH", path, patch, "edit-race")] * THREADS)
    assert [a.status_code for a in answers] == [200] * THREADS, [a.text for a in answers]
    assert len({a.json()["version"] for a in answers}) == 1
    assert send(backend, token, "GET", path).json()["version"] == customer["version"] + 1
    gone = {"version": customer["version"] + 1}
    lead = sign_in(backend, "zhangwei")
    answers = together(backend, [(lead, "DELETE", path, gone, "delete-race")] * THREADS)
    assert [a.status_code for a in answers] == [204] * THREADS, [a.text for a in answers]


def test_one_account_on_several_desks_never_gets_a_409_for_presence(backend: LiveBackend) -> None:
    desks = [sign_in(backend, "alice") for _ in range(THREADS)]  # one session per desk
    states = ["ready", "on_call", "wrap_up"]
    for _round in range(3):
        answers = together(
            backend,
            [
                (desk, "PUT", "/presence/me", {"state": states[i % 3]}, None)
                for i, desk in enumerate(desks)
            ],
        )
        assert [a.status_code for a in answers] == [200] * THREADS, [a.text for a in answers]
    final = send(backend, desks[0], "GET", "/presence/me").json()
    assert final["state"] in states


def test_one_users_votes_and_views_sent_at_once_count_once(backend: LiveBackend) -> None:
    token = sign_in(backend, "alice")
    article = send(backend, token, "GET", "/kb/articles?limit=1").json()[0]
    path = f"/kb/articles/{article['id']}"

    def counts() -> dict[str, int]:
        found = send(backend, token, "GET", f"/kb/counts?ids={article['id']}")
        return found.json()["articles"][0]  # type: ignore[no-any-return]

    before = counts()
    answers = together(
        backend,
        [(token, "POST", f"{path}/feedback", {"helpful": True}, None)] * THREADS
        + [(token, "POST", f"{path}/views", {"count": 1}, None)] * THREADS,
    )
    assert [a.status_code for a in answers] == [204] * (2 * THREADS), [a.text for a in answers]
    after = counts()
    assert after["helpful"] == before["helpful"] + 1
    assert after["views"] == before["views"] + 1


def test_admins_changing_the_desk_settings_at_once_never_overwrite_each_other(
    backend: LiveBackend,
) -> None:
    """Every admin read version 1 (no row stored yet: each request seeds it first) and sends a
    different wrap-up time: one is stored, every other gets 409 with it, none is lost silently."""
    token = sign_in(backend, "admin")
    read = {**send(backend, token, "GET", "/desk-settings").json(), "version": 1}
    sent: list[Request] = [
        (token, "PUT", "/desk-settings", {**read, "default_wrap_up_s": 40 + n}, None)
        for n in range(THREADS)
    ]
    answers = together(backend, sent)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] + [409] * (THREADS - 1), [a.text for a in answers]
    (won,) = [a.json() for a in answers if a.status_code == 200]
    assert won["version"] == 2
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["code"] == "version_conflict"
            assert answer.json()["current"]["default_wrap_up_s"] == won["default_wrap_up_s"]
    stored = send(backend, token, "GET", "/desk-settings")  # (as a 1.0 desk: no version)
    # (nor what contract 1.6 added: each queue's and team's settings, the required checks)
    document = {k: v for k, v in won.items() if k not in contract.DESK_SETTINGS_1_6}
    assert {**stored.json(), "version": 2} == document
    assert stored.headers["ETag"] == '"2"'
