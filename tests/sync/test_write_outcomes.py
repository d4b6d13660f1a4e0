"""Every write ends (sent, refused with a reason, or waiting for the network), conflicts are
three-way and never against this desk's own edits; against the real backend on loopback."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from sync.client import ApiClient, NetworkError, ServerError
from sync.engine import MAX_SERVER_FAILURES
from tests.sync.conftest import Desk, Floor

pytestmark = pytest.mark.slow


def open_tickets(desk: Desk, count: int) -> list[dict[str, Any]]:
    found = [t for t in desk.records("ticket").values() if t["status"] != "closed"]
    return sorted(found, key=lambda t: int(t["id"]))[:count]


@pytest.mark.parametrize("kind", ["json500", "plain500"])
def test_a_write_the_server_always_fails_ends_failed_and_holds_up_only_its_record(
    floor: Floor, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    desk = floor.desk("wangfang")
    desk.sync()
    broken, other = open_tickets(desk, 2)
    desk.proxy.break_route("PATCH", f"/api/v1/tickets/{broken['id']}", kind)
    desk.cache.update("ticket", broken["id"], {"summary": "first edit"}).result()
    desk.cache.update("ticket", broken["id"], {"summary": "second edit"}).result()
    desk.cache.update("ticket", other["id"], {"summary": "another record, behind it"}).result()

    # The server itself in trouble (its health check fails too): everything waits, no try
    # is counted against the write.
    desk.proxy.break_route("GET", "/api/v1/health", kind)
    with pytest.raises(ServerError) as caught:
        desk.sync()
    assert caught.value.status == 500
    assert {e.attempts for e in desk.cache.outbox()} == {0}
    del desk.proxy.broken[("GET", "/api/v1/health")]

    # The server answers, only this write fails: bounded tries; the other record goes on.
    desk.sync()
    assert floor.server(f"/tickets/{other['id']}")["summary"] == "another record, behind it"
    for _ in range(MAX_SERVER_FAILURES - 1):
        assert not desk.cache.outbox("failed")
        desk.sync()
    tries = [hit for hit in desk.proxy.failed_here if hit[0] == "PATCH"]
    assert len(tries) == 1 + MAX_SERVER_FAILURES  # the round that waited, then the tries
    failed = desk.cache.outbox("failed")
    assert [(f.record_id, f.payload) for f in failed] == [(broken["id"], {"summary": "first edit"})]
    assert failed[0].error_code == "server_error"
    assert "could not take this change (HTTP 500)" in failed[0].error
    # The same record's next edit waits behind it (its order is kept) …
    assert [e.payload for e in desk.cache.outbox("queued")] == [{"summary": "second edit"}]
    assert desk.engine.status.failed == 1
    desk.sync()
    assert len(desk.proxy.failed_here) == 2 + MAX_SERVER_FAILURES  # … and it is not retried

    # The agent discards it: the record goes back to the server's copy (with the later edit),
    # and the log says what was thrown away.
    desk.proxy.mend()
    with caplog.at_level(logging.WARNING, logger="sync.cache"):
        desk.cache.discard(failed[0].seq).result()
    assert f"discarded update ticket {broken['id']} (key {failed[0].key}" in caplog.text
    desk.sync()
    on_server = floor.server(f"/tickets/{broken['id']}")
    assert on_server["summary"] == "second edit"
    assert desk.records("ticket")[broken["id"]] == on_server
    assert desk.cache.counts() == desk.cache.counts().__class__(0, 0, 0)


def test_a_failed_write_resent_unchanged_keeps_its_key_and_arrives_once(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    desk.sync()
    team = int(next(iter(desk.records("customer").values()))["team_id"])
    desk.proxy.break_route("POST", "/api/v1/customers")
    desk.cache.create("customer", {"code": "F500-1", "name": "客户 F500", "team_id": team}).result()
    for _ in range(MAX_SERVER_FAILURES):
        desk.sync()
    (failed,) = desk.cache.outbox("failed")
    desk.proxy.mend()
    desk.cache.resend(failed.seq, None).result()
    (again,) = desk.cache.outbox("queued")
    assert (again.key, again.attempts) == (failed.key, 0)
    desk.sync()
    assert len(floor.server("/customers", "wangfang", q="F500-1")) == 1
    assert desk.cache.counts().failed == 0


def test_fields_only_one_side_changed_are_no_conflict(floor: Floor) -> None:
    a, b = floor.desk("wangfang"), floor.desk("alice")
    a.sync()
    b.sync()
    ticket = next(t for t in open_tickets(a, 5) if t["priority"] != "P1")
    a.proxy.mode = b.proxy.mode = "down"
    a.cache.update("ticket", ticket["id"], {"summary": "A: 泵报警 E-17"}).result()
    b.cache.update("ticket", ticket["id"], {"priority": "P1"}).result()
    a.proxy.mode = b.proxy.mode = "pass"
    a.sync()
    b.sync()  # 409: A changed the summary, B the priority: B's is sent again on A's version
    assert b.cache.counts().conflicts == 0
    b.sync()
    on_server = floor.server(f"/tickets/{ticket['id']}")
    assert (on_server["summary"], on_server["priority"]) == ("A: 泵报警 E-17", "P1")
    assert b.records("ticket")[ticket["id"]] == on_server
    assert b.cache.counts() == b.cache.counts().__class__(0, 0, 0)


def test_only_fields_both_sides_changed_are_asked_and_the_rest_is_kept(floor: Floor) -> None:
    a, b = floor.desk("wangfang"), floor.desk("alice")
    a.sync()
    b.sync()
    ticket = next(t for t in open_tickets(a, 5) if t["priority"] != "P1")
    a.proxy.mode = b.proxy.mode = "down"
    a.cache.update("ticket", ticket["id"], {"summary": "A: 泵报警 E-17"}).result()
    b.cache.update("ticket", ticket["id"], {"summary": "B: pump alarm"}).result()
    b.cache.update("ticket", ticket["id"], {"priority": "P1"}).result()
    a.proxy.mode = b.proxy.mode = "pass"
    a.sync()
    with ApiClient(b.proxy.url, token=b.token) as api:
        b.engine.pull(api)  # B sees A's version before it pushes …
    b.sync()  # … and still knows what its own edits were based on
    conflict = b.cache.conflict("ticket", ticket["id"])
    assert conflict is not None
    assert conflict.fields == ("summary",)  # the priority only B changed: not asked
    b.cache.resolve("ticket", ticket["id"], {"summary": "A/B: pump alarm E-17"}).result()
    b.sync()
    on_server = floor.server(f"/tickets/{ticket['id']}")
    assert (on_server["summary"], on_server["priority"]) == ("A/B: pump alarm E-17", "P1")
    assert b.records("ticket")[ticket["id"]] == on_server


def test_our_own_committed_edit_is_never_a_conflict_with_ourselves(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    desk.sync()
    ticket, other = open_tickets(desk, 2)
    # The answer to the first edit is lost after the server committed it (same key on retry).
    desk.cache.update("ticket", ticket["id"], {"summary": "first, committed"}).result()
    desk.proxy.fail_next("drop_response")
    with pytest.raises(NetworkError):
        desk.sync()
    desk.cache.update("ticket", ticket["id"], {"summary": "second", "priority": "P1"}).result()
    desk.sync()
    assert desk.cache.counts() == desk.cache.counts().__class__(0, 0, 0)
    on_server = floor.server(f"/tickets/{ticket['id']}")
    assert (on_server["summary"], on_server["priority"]) == ("second", "P1")

    # Committed under a key the desk no longer has (a 409, whatever the server replays): the
    # server's record is what this desk's first edit makes, so the second goes on top of it.
    desk.cache.update("ticket", other["id"], {"summary": "mine, committed"}).result()
    desk.cache.update("ticket", other["id"], {"status": "in_progress"}).result()
    first = desk.cache.outbox("queued")[0]
    with ApiClient(desk.proxy.url, token=desk.token) as api:
        api.perform(first.operation, desk.cache.body_for(first), "another-key-1")
    desk.sync()
    assert desk.cache.counts() == desk.cache.counts().__class__(0, 0, 0)
    on_server = floor.server(f"/tickets/{other['id']}")
    assert (on_server["summary"], on_server["status"]) == ("mine, committed", "in_progress")
    assert desk.records("ticket")[other["id"]] == on_server


def test_a_recording_event_to_a_server_without_the_route_is_dropped_not_failed(
    floor: Floor,
) -> None:
    """A server of contract 1.6 has no /recordings/events (404): the desk's pause events are
    dropped, logged, and the writes around them go on; nothing waits or fails for the agent."""
    desk = floor.desk("wangfang")
    desk.sync()
    (ticket,) = open_tickets(desk, 1)
    desk.proxy.break_route("POST", "/api/v1/recordings/events", "missing")
    event = {
        "recording_id": "0123456789abcdef0123456789abcdef",
        "event": "paused",
        "reason": "agent",
        "at": "2026-12-06T09:30:00+00:00",
    }
    desk.cache.call("recording.event", event).result()
    desk.cache.update("ticket", ticket["id"], {"summary": "after the pause"}).result()
    desk.cache.call("recording.event", {**event, "event": "resumed", "reason": None}).result()
    desk.sync()
    assert desk.cache.outbox() == []
    assert floor.server(f"/tickets/{ticket['id']}")["summary"] == "after the pause"
    actions = [row["action"] for row in floor.server("/audit")]
    assert not [a for a in actions if a.startswith("recording.")]
