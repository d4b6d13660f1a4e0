"""Presence liveness on the server (``server_stub.presence_alive``), SQLite and PostgreSQL, on a
manual clock: heartbeats are noted in memory and flushed in one batch; a desk silent longer
than the timeout is marked Logged out (lost contact) with the usual presence event; its next
heartbeat restores the state it reports; a desk before contract 1.4 is never marked lost."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from server_stub.models import ChangeRow, PresenceRow
from server_stub.presence_alive import PresenceWatch, mark_lost
from sync.contract import version as contract
from sync.contract.alive import HEARTBEAT_ROUTE, LOST_CONTACT
from tests.integration.conftest import Api
from tests.integration.test_api_feed import read_events

TIMEOUT = timedelta(seconds=60)  # ServerSettings' default, which the fixture's app uses


def _watch(api: Api) -> PresenceWatch:
    watch: PresenceWatch = api.client.app.state.presence_watch  # type: ignore[attr-defined]
    return watch


def _beat(api: Api, user: str, **body: Any) -> dict[str, Any]:
    answer: dict[str, Any] = api.ok("POST", HEARTBEAT_ROUTE, user, body)
    return answer


def _presence(api: Api, user: str, lead: str = "zhangwei") -> dict[str, Any]:
    me = api.ok("GET", "/me", user)["user"]["id"]
    board = api.ok("GET", "/wallboard", lead)
    found: dict[str, Any] = next(p for p in board["presence"] if p["user_id"] == me)
    return found


def _last_seen(api: Api, user: str) -> Any:
    me = api.ok("GET", "/me", user)["user"]["id"]
    with api.database.session() as session:
        return session.scalar(select(PresenceRow.last_seen).where(PresenceRow.user_id == me))


def _sweep(api: Api) -> list[int]:
    with api.database.session() as session:
        return mark_lost(session, api.clock.now(), TIMEOUT)


def test_a_silent_desk_is_marked_lost_and_the_lead_sees_it(api: Api) -> None:
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})
    answer = _beat(api, "wangfang", state="ready")
    assert answer == {"interval_s": 15.0, "timeout_s": 60.0}
    _watch(api).flush()
    api.clock.advance(timedelta(seconds=59))
    assert _sweep(api) == []  # within the timeout
    assert _presence(api, "wangfang")["state"] == "ready"

    api.clock.advance(timedelta(seconds=2))
    me = api.ok("GET", "/me", "wangfang")["user"]["id"]
    assert _sweep(api) == [me]
    shown = _presence(api, "wangfang")
    assert (shown["state"], shown["reason"]) == ("logged_out", LOST_CONTACT)
    board = api.ok("GET", "/wallboard", "zhangwei")
    assert board["counts"]["ready"] == 0
    # The lead's stream carries it like any presence change.
    events = [e for e in read_events(api, "zhangwei", after=0) if e["kind"] == "presence"]
    assert events[-1]["data"]["reason"] == LOST_CONTACT
    assert events[-1]["data"]["user_id"] == me
    assert _sweep(api) == []  # once


def test_heartbeats_keep_a_desk_and_cost_no_write_of_their_own(api: Api) -> None:
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})
    with api.database.session() as session:
        feed_before = session.scalar(select(func.count()).select_from(ChangeRow))
    version = _presence(api, "wangfang")["version"]
    for _ in range(6):  # three minutes of heartbeats, each flushed
        api.clock.advance(timedelta(seconds=30))
        _beat(api, "wangfang", state="ready")
        _watch(api).flush()
        assert _sweep(api) == []
    assert _presence(api, "wangfang")["version"] == version  # the record did not move
    with api.database.session() as session:
        assert session.scalar(select(func.count()).select_from(ChangeRow)) == feed_before


def test_a_late_flush_never_moves_last_seen_back(api: Api) -> None:
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})
    _beat(api, "wangfang", state="ready")
    early = _watch(api).book.take()  # another process's heartbeat, flushed late
    api.clock.advance(timedelta(seconds=20))
    _beat(api, "wangfang", state="ready")
    _watch(api).flush()
    later = _last_seen(api, "wangfang")
    _watch(api).book.give_back(early)
    _watch(api).flush()
    assert _last_seen(api, "wangfang") == later


def test_a_desk_that_comes_back_is_restored_to_what_it_reports(api: Api) -> None:
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready", "sip_uri": "sip:wf@10.0.0.5"})
    _beat(api, "wangfang", state="ready")
    _watch(api).flush()
    api.clock.advance(timedelta(seconds=90))
    assert len(_sweep(api)) == 1
    lost_version = _presence(api, "wangfang")["version"]

    api.clock.advance(timedelta(seconds=30))  # the network is back
    _beat(api, "wangfang", state="not_ready", reason="午餐 lunch", sip_uri="sip:wf@10.0.0.9")
    me = api.ok("GET", "/me", "wangfang")["user"]["id"]
    assert _watch(api).flush() == [me]
    shown = _presence(api, "wangfang")
    assert (shown["state"], shown["reason"]) == ("not_ready", "午餐 lunch")
    assert shown["version"] == lost_version + 1
    events = [e for e in read_events(api, "zhangwei", after=0) if e["kind"] == "presence"]
    assert events[-1]["data"]["state"] == "not_ready"
    # Where its phone answers now (a lead's monitor leg dials it).
    with api.database.session() as session:
        row = session.get(PresenceRow, me)
        assert row is not None
        assert row.sip_uri == "sip:wf@10.0.0.9"


def test_a_heartbeat_without_a_state_does_not_restore(api: Api) -> None:
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})
    _beat(api, "wangfang")
    _watch(api).flush()
    api.clock.advance(timedelta(seconds=90))
    assert len(_sweep(api)) == 1
    _beat(api, "wangfang")
    assert _watch(api).flush() == []
    assert _presence(api, "wangfang")["reason"] == LOST_CONTACT


def test_a_signed_out_agent_is_not_lost_again(api: Api) -> None:
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})
    api.ok("PUT", "/presence/me", "wangfang", {"state": "logged_out"})
    api.clock.advance(timedelta(minutes=5))
    assert _sweep(api) == []
    assert _presence(api, "wangfang")["reason"] == ""


def test_a_desk_before_heartbeats_is_never_marked_lost(api: Api) -> None:
    headers = api.headers("alice", **{contract.HEADER: "1.3"})
    answer = api.client.put("/api/v1/presence/me", json={"state": "ready"}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert _last_seen(api, "alice") is None
    api.clock.advance(timedelta(hours=2))
    assert _sweep(api) == []
    assert _presence(api, "alice")["state"] == "ready"
    # The same agent on a desk of this release is heard from again.
    api.ok("PUT", "/presence/me", "alice", {"state": "ready"})
    assert _last_seen(api, "alice") is not None


def test_the_sweeper_waits_one_timeout_after_its_start(api: Api) -> None:
    """After a restart every desk's last_seen is old: they get one timeout to reach us."""
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})
    api.clock.advance(timedelta(minutes=10))  # the server was down
    watch = PresenceWatch(api.database, api.clock, timeout_s=60, flush_s=5, sweep_s=5)
    assert watch.sweep() == []
    api.clock.advance(timedelta(seconds=30))
    _beat(api, "wangfang", state="ready")
    _watch(api).flush()
    api.clock.advance(timedelta(seconds=31))
    assert watch.sweep() == []  # heard 31 s ago
    api.clock.advance(timedelta(seconds=30))
    assert len(watch.sweep()) == 1


def test_a_field_engineer_is_told_no(api: Api) -> None:
    answer = api.call("POST", HEARTBEAT_ROUTE, "zhanggong", {})
    assert answer.status_code == 403
    assert answer.json()["code"] == "forbidden"


def test_a_heartbeat_needs_a_valid_token(api: Api) -> None:
    answer = api.client.post(
        f"/api/v1{HEARTBEAT_ROUTE}", json={}, headers={"Authorization": "Bearer nope"}
    )
    assert answer.status_code == 401


def test_two_processes_sweeping_at_once_mark_an_agent_lost_once(api: Api) -> None:
    """Several instances and workers sweep the same database: one presence event, one change."""
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})
    api.clock.advance(timedelta(seconds=90))
    start = threading.Barrier(2)
    found: list[list[int]] = []

    def sweep() -> None:
        start.wait(timeout=30)
        found.append(_sweep(api))

    sweepers = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in sweepers:
        thread.start()
    for thread in sweepers:
        thread.join(timeout=60)
    me = api.ok("GET", "/me", "wangfang")["user"]["id"]
    assert sorted(found) == [[], [me]]
    lost = [
        e
        for e in read_events(api, "zhangwei", after=0)
        if e["kind"] == "presence" and e["data"]["reason"] == LOST_CONTACT
    ]
    assert len(lost) == 1
