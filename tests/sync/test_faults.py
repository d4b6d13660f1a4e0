"""The faults offline resilience must survive, each against the real backend on loopback."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from sync.cache import CacheError, open_cache
from sync.client import NetworkError, ProtocolError
from sync.customer_view import CustomerViews
from tests.sync.conftest import Desk, Floor

pytestmark = pytest.mark.slow


def customer(code: str, team_id: int, phone: str = "") -> dict[str, Any]:
    contacts = [{"name": "联系人", "phone": phone}] if phone else []
    return {"code": code, "name": f"客户 {code}", "team_id": team_id, "contacts": contacts}


def team_of(desk: Desk) -> int:
    return int(next(iter(desk.records("customer").values()))["team_id"])


def snapshot(path: Path) -> tuple[list[Any], list[Any], list[Any]]:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT * FROM records ORDER BY entity, id").fetchall(),
            conn.execute("SELECT * FROM outbox ORDER BY seq").fetchall(),
            conn.execute("SELECT * FROM meta ORDER BY key").fetchall(),
        )
    finally:
        conn.close()


def test_first_pull_fills_the_cache_then_resumes_from_the_cursor(floor: Floor) -> None:
    desk = floor.desk("wangfang", page_size=7)
    desk.sync()
    on_server = floor.server("/customers", "wangfang", limit=200)
    assert set(desk.records("customer")) == {c["id"] for c in on_server}
    assert desk.cache.count("ticket") > 0
    assert desk.cache.count("article") > 0
    # Only the agent's team: nothing of the other team's customers.
    assert {c["team_id"] for c in desk.records("customer").values()} == {team_of(desk)}
    progress = [s for s in desk.statuses if s.state == "syncing" and s.total]
    assert progress
    assert progress[-1].done == progress[-1].total
    cursor = desk.cache.cursor()
    pulls_before = len(desk.proxy.forwarded)
    desk.sync()
    assert desk.cache.cursor() == cursor
    assert len(desk.proxy.forwarded) == pulls_before + 1  # one page: nothing new
    number = on_server[0]["contacts"][0]["phone_e164"]
    assert customer_ids_by_phone(desk, number) == [on_server[0]["id"]]


def customer_ids_by_phone(desk: Desk, number: str) -> list[int]:
    """What the screen pop finds for this number in the desk's cache."""
    views = CustomerViews(desk.cache.path)
    try:
        return [c.id for c in views.lookup(number).customers]
    finally:
        views.close()


def test_server_down_all_session_then_up_every_write_arrives_once_in_order(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    desk.sync()
    team = team_of(desk)
    ticket = next(iter(desk.records("ticket").values()))
    desk.proxy.mode = "down"
    codes = [f"OFF-{n}" for n in range(5)]
    local_ids = [
        desk.cache.create("customer", customer(c, team, f"1390000000{n}")).result()
        for n, c in enumerate(codes)
    ]
    assert all(i < 0 for i in local_ids)
    desk.cache.update("customer", local_ids[0], {"notes": "first edit"}).result()
    desk.cache.update("customer", local_ids[0], {"notes": "second edit", "vip": True}).result()
    desk.cache.create(
        "ticket", {"customer_id": local_ids[1], "category": "repair", "summary": "开机报警 E-17"}
    ).result()
    desk.cache.update("ticket", ticket["id"], {"summary": "更新: 漏液"}).result()
    for _ in range(3):
        with pytest.raises(NetworkError):
            desk.sync()
    assert desk.engine.status.waiting == 9 or desk.cache.counts().waiting == 9
    assert desk.cache.get("customer", local_ids[0]).state == "pending"  # type: ignore[union-attr]

    desk.proxy.mode = "pass"
    desk.sync()
    assert desk.cache.counts().waiting == 0
    posts = [p for m, p, s in desk.proxy.writes()]
    assert posts == ["/api/v1/customers"] * 5 + [
        f"/api/v1/customers/{customer_ids_by_phone(desk, '13900000000')[0]}",
        f"/api/v1/customers/{customer_ids_by_phone(desk, '13900000000')[0]}",
        "/api/v1/tickets",
        f"/api/v1/tickets/{ticket['id']}",
    ]
    on_server = {c["code"]: c for c in floor.server("/customers", "wangfang", limit=200)}
    assert all(list(on_server).count(c) == 1 for c in codes)
    ids = [on_server[c]["id"] for c in codes]
    assert ids == sorted(ids)  # created in the order they were made
    assert on_server["OFF-0"]["notes"] == "second edit"
    assert on_server["OFF-0"]["vip"]
    mine = desk.records("customer")
    assert all(i > 0 for i in mine)
    assert mine[on_server["OFF-0"]["id"]]["notes"] == "second edit"
    new_ticket = [t for t in desk.records("ticket").values() if t["summary"] == "开机报警 E-17"]
    assert new_ticket[0]["customer_id"] == on_server["OFF-1"]["id"]  # local id remapped
    assert desk.cache.get("ticket", ticket["id"]).data["summary"] == "更新: 漏液"  # type: ignore[union-attr]
    assert {r.state for r in desk.cache.all("customer")} == {"synced"}


def test_an_answer_lost_after_the_commit_is_not_applied_twice(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    desk.sync()
    desk.cache.create("customer", customer("LOST-1", team_of(desk))).result()
    desk.proxy.fail_next("drop_response")
    with pytest.raises(NetworkError):
        desk.sync()
    assert [c for c in floor.server("/customers", "wangfang", q="LOST-1")]  # it did commit
    desk.sync()
    assert len(floor.server("/customers", "wangfang", q="LOST-1")) == 1
    mine = [r for r in desk.cache.all("customer") if r.data["code"] == "LOST-1"]
    assert len(mine) == 1
    assert mine[0].id > 0
    assert mine[0].state == "synced"


@pytest.mark.parametrize("fault", ["html", "truncated", "wrong_type", "http502"])
def test_garbage_from_the_server_leaves_the_cache_untouched(floor: Floor, fault: str) -> None:
    desk = floor.desk("wangfang")
    desk.sync()
    desk.cache.create("customer", customer(f"G-{fault}", team_of(desk))).result()
    before = snapshot(desk.path)
    desk.proxy.fail_next(fault)
    with pytest.raises((ProtocolError, NetworkError)):
        desk.sync()
    assert snapshot(desk.path) == before
    assert desk.engine.status.state in ("error", "offline") or desk.statuses  # reported
    desk.sync()  # retried with the same key: exactly once
    assert len(floor.server("/customers", "wangfang", q=f"G-{fault}")) == 1
    assert desk.cache.counts().waiting == 0


def test_a_refused_write_waits_for_the_agent_and_blocks_nothing_else(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    desk.sync()
    team = team_of(desk)
    existing = next(iter(desk.records("customer").values()))
    desk.cache.create("customer", customer(existing["code"], team)).result()  # duplicate code
    desk.cache.create("customer", customer("FINE-1", team)).result()
    desk.sync()
    failed = desk.cache.outbox("failed")
    assert len(failed) == 1
    assert "code" in failed[0].error
    assert len(floor.server("/customers", "wangfang", q="FINE-1")) == 1
    desk.cache.resend(failed[0].seq, {**(failed[0].payload or {}), "code": "FIXED-1"}).result()
    desk.sync()
    assert len(floor.server("/customers", "wangfang", q="FIXED-1")) == 1
    assert desk.cache.counts().failed == 0


def test_bad_input_is_refused_locally_with_the_field_named(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    with pytest.raises(CacheError, match="name") as caught:
        desk.cache.create("customer", {"code": "X", "name": "", "team_id": 1})
    assert caught.value.field == "name"
    with pytest.raises(CacheError, match="number"):
        desk.cache.update("ticket", 1, {"number": "T-1"})
    assert desk.cache.counts().waiting == 0


def test_two_agents_edit_one_ticket_offline_and_settle_it(floor: Floor) -> None:
    a, b = floor.desk("wangfang"), floor.desk("alice")
    a.sync()
    b.sync()
    ticket = next(
        t for t in a.records("ticket").values() if t["status"] != "closed" and t["priority"] != "P1"
    )
    a.proxy.mode = b.proxy.mode = "down"
    a.cache.update("ticket", ticket["id"], {"summary": "A: 泵报警 E-17"}).result()
    b.cache.update("ticket", ticket["id"], {"summary": "B: pump alarm", "priority": "P1"}).result()
    a.proxy.mode = b.proxy.mode = "pass"
    a.sync()
    b.sync()  # the server now has A's version: B's stale edit is a conflict, not an overwrite
    conflict = b.cache.conflict("ticket", ticket["id"])
    assert conflict is not None
    assert conflict.mine["summary"] == "B: pump alarm"
    assert conflict.theirs is not None
    assert conflict.theirs["summary"] == "A: 泵报警 E-17"
    assert conflict.fields == ("summary",)  # the priority only B changed: not asked (3-way)
    assert b.engine.status.conflicts == 1
    b.cache.resolve(
        "ticket", ticket["id"], {"summary": "A: 泵报警 E-17 / pump alarm", "priority": "P1"}
    ).result()
    b.sync()
    a.sync()
    on_server = floor.server(f"/tickets/{ticket['id']}", "wangfang")
    assert a.records("ticket")[ticket["id"]] == b.records("ticket")[ticket["id"]] == on_server
    assert on_server["summary"] == "A: 泵报警 E-17 / pump alarm"
    assert on_server["priority"] == "P1"


@pytest.mark.parametrize("damage", ["garbage", "newer_schema", "truncated"])
def test_an_unusable_cache_is_moved_aside_and_rebuilt(floor: Floor, damage: str) -> None:
    desk = floor.desk("wangfang")
    desk.sync()
    count = desk.cache.count()
    desk.cache.create("customer", customer("UNSENT-1", team_of(desk))).result()
    desk.close()
    if damage == "garbage":
        desk.path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        data = desk.path.read_bytes()
        desk.path.write_bytes(data[: len(data) // 3])
    else:
        conn = sqlite3.connect(desk.path)
        conn.execute("PRAGMA user_version = 99")  # written by a newer release
        conn.commit()
        conn.close()
    desk.open()
    assert desk.opened.notice is not None
    assert str(desk.opened.moved_to) in desk.opened.notice
    assert desk.opened.moved_to is not None
    assert desk.opened.moved_to.exists()
    if damage == "newer_schema":
        assert desk.opened.lost_writes == 1
        assert "1 unsent" in desk.opened.notice
    # A damaged file's writes that could still be read are queued again (the new customer).
    replayed = desk.opened.replayed_writes
    assert desk.cache.count() == replayed
    desk.sync()
    assert desk.cache.count() == count + replayed
    # Opening the rebuilt file again is quiet: no crash loop, no second move.
    desk.close()
    again = open_cache(desk.path, f"{desk.proxy.url}|wangfang")
    again.cache.close()
    assert again.notice is None


def test_the_same_change_on_two_desks_is_no_conflict(floor: Floor) -> None:
    a, b = floor.desk("wangfang"), floor.desk("alice")
    a.sync()
    b.sync()
    ticket = next(t for t in a.records("ticket").values() if t["status"] != "closed")
    for desk in (a, b):
        desk.cache.update("ticket", ticket["id"], {"summary": "客户已确认：更换电池"}).result()
    a.sync()
    b.sync()
    assert b.cache.counts() == a.cache.counts()
    assert b.cache.counts().conflicts == 0
    assert b.records("ticket")[ticket["id"]] == a.records("ticket")[ticket["id"]]


def test_a_record_deleted_on_the_server_while_edited_here_is_a_conflict(floor: Floor) -> None:
    desk = floor.desk("wangfang")
    desk.sync()
    doomed = desk.cache.create("customer", customer("GONE-1", team_of(desk))).result()
    desk.sync()
    server_id = next(r.id for r in desk.cache.all("customer") if r.data["code"] == "GONE-1")
    assert doomed < 0 < server_id
    desk.proxy.mode = "down"
    desk.cache.update("customer", server_id, {"notes": "still talking to them"}).result()
    lead = floor.desk("zhangwei")
    lead.sync()
    lead.cache.delete("customer", server_id).result()
    lead.sync()
    desk.proxy.mode = "pass"
    desk.sync()
    conflict = desk.cache.conflict("customer", server_id)
    assert conflict is not None
    assert conflict.theirs is None  # deleted there
    desk.cache.resolve("customer", server_id, {}).result()  # accept the deletion
    desk.sync()
    assert desk.cache.get("customer", server_id) is None
    assert desk.cache.counts() == desk.cache.counts().__class__(0, 0, 0)


def test_a_new_record_deleted_while_its_creation_is_on_the_way_is_deleted_there(
    floor: Floor,
) -> None:
    desk = floor.desk("zhangwei")  # a team lead: may delete customers
    desk.sync()
    local = desk.cache.create("customer", customer("BRIEF-1", team_of(desk))).result()
    entry = desk.cache.outbox("queued")[0]
    from sync.client import ApiClient

    with ApiClient(desk.proxy.url, token=desk.token) as client:  # the POST is on the wire …
        answer = client.perform(entry.operation, desk.cache.body_for(entry), entry.key)
    desk.cache.delete("customer", local).result()  # … when the agent deletes the new record
    desk.cache.push_succeeded(entry, answer).result()  # then the answer arrives
    desk.sync()
    assert floor.server("/customers", "wangfang", q="BRIEF-1") == []
    assert not [r for r in desk.cache.all("customer") if r.data["code"] == "BRIEF-1"]
