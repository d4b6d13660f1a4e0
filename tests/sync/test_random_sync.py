"""A seeded random walk: two desks edit offline, the server restarts, answers are dropped or
garbled; at the end both caches equal the server, and each intended write exists once."""

from __future__ import annotations

import contextlib
import os
import random
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from sync.client import NetworkError, ProtocolError
from tests.fakes.servers import LiveBackend
from tests.sync.conftest import Desk, Floor

pytestmark = pytest.mark.slow
STEPS = 70
# Two walks in CI; a soak run sets more: SYNC_WALK_SEEDS="$(seq 1 200)" pytest tests/sync.
SEEDS = [int(s) for s in os.environ.get("SYNC_WALK_SEEDS", "7 20261123").split()]


def settle(desks: list[Desk]) -> None:
    """Everyone online: sync, settle conflicts keeping this desk's values, until quiet."""
    for desk in desks:
        desk.proxy.mode = "pass"

    def sync(desk: Desk) -> None:
        # A fault may still be queued in the proxy: the next round retries.
        with contextlib.suppress(NetworkError, ProtocolError):
            desk.sync()

    for _ in range(12):
        for desk in desks:
            sync(desk)
            for conflict in desk.cache.conflicts():
                chosen = {name: conflict.mine[name] for name in conflict.fields}
                desk.cache.resolve(conflict.entity, conflict.id, chosen).result()
        for desk in desks:
            sync(desk)
        if all(desk.cache.counts() == desk.cache.counts().__class__(0, 0, 0) for desk in desks):
            for desk in desks:  # one more pull each, so both saw the last push of the other
                for _attempt in range(3):
                    try:
                        desk.sync()
                        break
                    except (NetworkError, ProtocolError):
                        continue
            return
    raise AssertionError([desk.cache.counts() for desk in desks])


class Walk:
    """The random walk's state and its moves (each a method named after the action)."""

    def __init__(self, floor: Floor, db: Path, seed: int) -> None:
        self.floor, self.db, self.seed = floor, db, seed
        self.rng = random.Random(seed)
        self.port = urlsplit(floor.backend.url).port or 0
        self.desks = [floor.desk("wangfang"), floor.desk("alice")]
        for desk in self.desks:
            desk.sync()
        first = next(iter(self.desks[0].records("customer").values()))
        self.team = int(first["team_id"])
        self.tickets = sorted(self.desks[0].records("ticket"))[:3]  # few, so edits collide
        self.intended: list[str] = []
        self.log: list[str] = []

    def step(self, n: int) -> None:
        desk = self.rng.choice(self.desks)
        action = self.rng.choices(
            ["create", "edit_ticket", "edit_mine", "offline", "online", "fault", "restart", "sync"],
            weights=[4, 4, 3, 2, 2, 2, 1, 5],
        )[0]
        self.log.append(f"{n} {desk.user} {action}")
        getattr(self, action)(desk, n)

    def create(self, desk: Desk, n: int) -> None:
        code = f"R{self.seed}-{n}"
        desk.cache.create(
            "customer", {"code": code, "name": f"随机 {code}", "team_id": self.team}
        ).result()
        self.intended.append(code)

    def edit_ticket(self, desk: Desk, n: int) -> None:
        ticket = self.rng.choice(self.tickets)
        desk.cache.update("ticket", ticket, {"summary": f"{desk.user} 第{n}步 edit"}).result()

    def edit_mine(self, desk: Desk, n: int) -> None:
        mine = [r.id for r in desk.cache.all("customer") if r.data["code"].startswith("R")]
        if mine:
            desk.cache.update(
                "customer", self.rng.choice(mine), {"notes": f"{desk.user} step {n}"}
            ).result()

    def offline(self, desk: Desk, _n: int) -> None:
        desk.proxy.mode = "down"

    def online(self, desk: Desk, _n: int) -> None:
        desk.proxy.mode = "pass"

    def fault(self, desk: Desk, _n: int) -> None:
        desk.proxy.fail_next(self.rng.choice(["drop_response", "html", "truncated", "http502"]))

    def restart(self, _desk: Desk, _n: int) -> None:
        self.floor.backend.stop()
        self.floor.backend = LiveBackend(self.db, seed=False, port=self.port)

    def sync(self, desk: Desk, _n: int) -> None:
        try:
            desk.sync()
        except (NetworkError, ProtocolError) as exc:
            self.log.append(f"   {type(exc).__name__}")


@pytest.mark.parametrize("seed", SEEDS)
def test_random_offline_work_converges(tmp_path: Path, seed: int) -> None:
    db = tmp_path / "server.sqlite"
    floor = Floor(LiveBackend(db), tmp_path)
    try:
        walk = Walk(floor, db, seed)
        for n in range(STEPS):
            walk.step(n)
        settle(walk.desks)
        on_server: dict[str, Any] = {
            "customer": {c["id"]: c for c in floor.server("/customers", "wangfang", limit=200)},
            "ticket": {t["id"]: t for t in floor.server("/tickets", "wangfang", limit=200)},
        }
        codes = [c["code"] for c in on_server["customer"].values()]
        for code in walk.intended:
            assert codes.count(code) == 1, (code, walk.log)
        for entity, records in on_server.items():
            for desk in walk.desks:
                assert desk.records(entity) == records, (desk.user, entity, walk.log)
    finally:
        for desk in floor.desks:
            desk.close()
        for proxy in floor.proxies:
            proxy.stop()
        floor.backend.stop()
