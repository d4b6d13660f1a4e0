"""The colleague directory route: role and team checked on the route; presence events reach the
agents of the same team only."""

from __future__ import annotations

from typing import Any

from sync.contract.directory import DirectoryOut
from tests.integration.conftest import Api
from tests.integration.test_api_feed import read_events


def directory(api: Api, user: str) -> DirectoryOut:
    return DirectoryOut.read(api.ok("GET", "/directory", user))


def by_name(found: DirectoryOut) -> dict[str, Any]:
    return {c.username: c for c in found.colleagues}


def test_an_agent_sees_the_own_team_with_presence_skills_and_extensions(api: Api) -> None:
    api.ok(
        "PUT",
        "/presence/me",
        "alice",
        {"state": "ready", "sip_uri": "sip:alice@127.0.0.1:5070"},
    )
    api.ok("PUT", "/presence/me", "lina", {"state": "on_call", "sip_uri": "sip:lina@127.0.0.1"})
    found = directory(api, "wangfang")
    people = by_name(found)
    # Her own team's phone users, never herself, another team or the field engineers.
    assert set(people) == {"alice", "zhangwei", "chenjie"}
    assert people["alice"].state.value == "ready"
    assert people["alice"].sip_uri == "sip:alice@127.0.0.1:5070"
    assert people["alice"].presence_version >= 1
    assert people["zhangwei"].state.value == "logged_out"
    assert people["zhangwei"].extension == "8001"
    assert people["chenjie"].extension == "8101"
    assert people["chenjie"].skills  # skills are stored on users and travel with them
    # Every queue with a number; the waiting count only for her own team's.
    queues = {q.extension: q for q in found.queues}
    assert set(queues) == {"6001", "6002"}
    mine = api.team_of("wangfang")
    assert all((q.waiting is not None) == (q.team_id == mine) for q in found.queues)


def test_a_signed_out_desk_address_is_not_handed_out(api: Api) -> None:
    api.ok("PUT", "/presence/me", "alice", {"state": "ready", "sip_uri": "sip:alice@127.0.0.1"})
    api.ok("PUT", "/presence/me", "alice", {"state": "logged_out"})
    alice = by_name(directory(api, "wangfang"))["alice"]
    assert alice.state.value == "logged_out"
    assert alice.sip_uri == ""


def test_a_lead_sees_the_team_led_and_an_admin_everyone(api: Api) -> None:
    assert set(by_name(directory(api, "liuyang"))) == {"lina", "tom", "zhaolei"}
    everyone = set(by_name(directory(api, "admin")))
    assert {"wangfang", "alice", "lina", "tom", "zhangwei", "liuyang"} <= everyone
    assert "zhanggong" not in everyone  # a field engineer is not transferred to
    assert all(q.waiting is not None for q in directory(api, "admin").queues)


def test_a_field_engineer_may_not_read_the_directory(api: Api) -> None:
    answer = api.get("/directory", "zhanggong")
    assert answer.status_code == 403
    assert answer.json()["code"] == "forbidden"


def test_presence_events_reach_the_same_team_only(api: Api) -> None:
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})
    api.ok("PUT", "/presence/me", "lina", {"state": "not_ready", "reason": "午餐 lunch"})
    ids = {u: api.ok("GET", "/me", u)["user"]["id"] for u in ("wangfang", "lina")}

    def presence_seen(user: str) -> set[int]:
        events = read_events(api, user, after=0)
        return {e["data"]["user_id"] for e in events if e["kind"] == "presence"}

    assert presence_seen("alice") == {ids["wangfang"]}  # her colleague, not lina
    assert presence_seen("tom") == {ids["lina"]}
