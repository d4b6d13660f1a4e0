"""The pull gate on the real backend under a herd of pulls (server_stub/api/pull_gate.py): never
more than ``pull_at_once`` run at once, every waiting pull is answered with the page it would
get alone, writes sent meanwhile are answered, and with a full queue the extra pulls are told
503 ``server_busy`` with Retry-After and get their page when they come back."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from server_stub.api.pull_gate import PullGate
from tests.fakes.servers import LiveBackend
from tests.sync.conftest import login

HERD = 40


def _gate(live: LiveBackend) -> PullGate:
    layer: Any = live.app.middleware_stack
    while not isinstance(layer, PullGate):
        layer = layer.app
    return layer


def _pull(url: str, token: str, after: int) -> requests.Response:
    return requests.get(
        f"{url}/api/v1/changes",
        params={"after": str(after), "limit": "7", "count": "true"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )


def _write(url: str, token: str, n: int) -> requests.Response:
    return requests.post(
        f"{url}/api/v1/customers",
        json={"code": f"HERD-{n}", "name": f"客户 {n}", "team_id": 1, "contacts": []},
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"herd-{n}"},
        timeout=60,
    )


def _herd(live: LiveBackend, token: str, cursors: list[int]) -> list[requests.Response]:
    with ThreadPoolExecutor(max_workers=HERD) as pool:
        pulls = [pool.submit(_pull, live.url, token, c) for c in cursors]
        writes = [pool.submit(_write, live.url, token, n) for n in range(5)]
        assert [w.result().status_code for w in writes] == [201] * 5
        return [p.result() for p in pulls]


def _until_served(ask: Callable[[], requests.Response]) -> requests.Response:
    for _ in range(50):  # the desk's engine tries again on its backoff; here at once
        answer = ask()
        if answer.status_code != 503:
            return answer
        assert answer.headers["Retry-After"] == "1"
        assert answer.json()["code"] == "server_busy"
    raise AssertionError("a pull stayed busy")


def test_a_herd_of_pulls_takes_turns_and_each_gets_its_page(tmp_path: Path) -> None:
    live = LiveBackend(tmp_path / "server.sqlite", pull_at_once=2)
    try:
        token = login(live.url, "wangfang")
        cursors = [n % 20 for n in range(HERD)]
        herd = _herd(live, token, cursors)
        assert [a.status_code for a in herd] == [200] * HERD
        gate = _gate(live)
        assert gate.peak <= 2
        assert gate.refused == 0
        assert (gate.running, gate.waiting) == (0, 0)
        # Each page is the page alone, rows up to the head it read: the same rows from its
        # cursor (new writes only ever come after them).
        for cursor, answer in zip(cursors, herd, strict=True):
            alone = _pull(live.url, token, cursor).json()
            page = answer.json()
            assert page["changes"] == alone["changes"][: len(page["changes"])]
    finally:
        live.stop()


def test_a_full_queue_says_busy_and_the_pull_comes_back(tmp_path: Path) -> None:
    live = LiveBackend(tmp_path / "server.sqlite", pull_at_once=1, pull_waiting=0)
    try:
        token = login(live.url, "wangfang")
        herd = _herd(live, token, [0] * HERD)
        assert {a.status_code for a in herd} <= {200, 503}
        gate = _gate(live)
        assert gate.peak == 1
        assert gate.refused == sum(a.status_code == 503 for a in herd)
        served = [_until_served(lambda: _pull(live.url, token, 0)) for _ in range(3)]
        assert [a.status_code for a in served] == [200] * 3
        assert all(a.json()["changes"] for a in served)
    finally:
        live.stop()
