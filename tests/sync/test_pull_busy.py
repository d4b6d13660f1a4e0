"""A desk whose pull is turned away as busy (503 ``server_busy`` with Retry-After: the server's
pull gate's queue is full, server_stub/api/pull_gate.py) backs off and pulls again: its
cursor stays where it was, nothing is applied twice or lost, and a later round brings every
change. Against the real backend on loopback."""

from __future__ import annotations

from typing import Any

import pytest

from sync.client import ServerError
from sync.contract.errors import ErrorCode
from tests.fakes.waiting import wait_until
from tests.sync.conftest import Floor

pytestmark = pytest.mark.slow


def _customer(code: str, team_id: int) -> dict[str, Any]:
    return {"code": code, "name": f"客户 {code}", "team_id": team_id, "contacts": []}


def test_a_busy_pull_is_tried_again_later_from_the_same_cursor(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    other = floor.desk("alice")  # the same team: what alice writes is in desk's feed
    desk.sync()
    other.sync()
    team = int(next(iter(desk.records("customer").values()))["team_id"])
    other.cache.create("customer", _customer("BUSY-1", team)).result()
    other.sync()
    cursor = desk.cache.cursor()

    desk.proxy.fail_next("busy")  # the next request: the pull (nothing queued to push)
    with pytest.raises(ServerError) as refused:
        desk.sync()
    assert refused.value.status == 503
    assert refused.value.reason == ErrorCode.SERVER_BUSY
    assert refused.value.transient
    assert [m for m, _ in desk.proxy.failed_here] == ["GET"]
    assert desk.proxy.failed_here[0][1].startswith(f"/api/v1/changes?after={cursor}&")
    assert desk.cache.cursor() == cursor  # nothing taken from a page it never got

    desk.sync()
    assert "BUSY-1" in {r["code"] for r in desk.records("customer").values()}
    assert desk.cache.cursor() > cursor


def test_the_engine_backs_off_from_busy_pulls_and_catches_up(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    other = floor.desk("alice")  # the same team: what alice writes is in desk's feed
    desk.sync()
    other.sync()
    team = int(next(iter(desk.records("customer").values()))["team_id"])
    other.cache.create("customer", _customer("BUSY-2", team)).result()
    other.sync()
    # Three pulls in a row turned away: each round fails and the loop waits its backoff (the
    # status says why), then a pull gets through and brings the change, once.
    desk.proxy.fail_next("busy", times=3)
    desk.engine.start()
    wait_until(
        lambda: "BUSY-2" in {r["code"] for r in desk.records("customer").values()},
        30,
        "the change pulled after the busy answers",
    )
    assert [m for m, _ in desk.proxy.failed_here] == ["GET"] * 3
    assert all(p.startswith("/api/v1/changes?") for _, p in desk.proxy.failed_here)
    assert {s.error_reason for s in desk.statuses if s.state == "error"} == {"server_busy"}
    wait_until(lambda: desk.engine.status.state == "online", 30, "the desk online again")
    codes = [r["code"] for r in desk.records("customer").values()]
    assert codes.count("BUSY-2") == 1
