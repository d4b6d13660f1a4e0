"""Monitor grants on the backend: only a team lead of the agent's team, only on a live call,
one-time tokens whose hash reaches only the agent's desk, mode changes by the same lead, the
grant ending with the call, and every session and refusal in the audit log."""

from __future__ import annotations

import hashlib
from typing import Any

from tests.integration.conftest import Api
from tests.integration.test_api_feed import read_events


def on_call(api: Api, user: str, sip_uri: str = "sip:agent@127.0.0.1:5062") -> None:
    api.ok("PUT", "/presence/me", user, {"state": "on_call", "sip_uri": sip_uri})


def user_id(api: Api, username: str) -> int:
    return int(api.ok("GET", "/me", username)["user"]["id"])


def audit_actions(api: Api) -> list[tuple[str, bool]]:
    return [(a["action"], a["allowed"]) for a in api.ok("GET", "/audit", "admin")]


def test_a_lead_listens_to_an_agent_of_the_team_on_a_call(api: Api) -> None:
    agent = user_id(api, "wangfang")
    not_yet = api.call("POST", "/monitor", "zhangwei", {"agent_id": agent, "mode": "listen"})
    assert not_yet.status_code == 409  # not on a call
    assert not_yet.json()["code"] == "not_on_call"
    on_call(api, "wangfang")
    grant: dict[str, Any] = api.ok(
        "POST", "/monitor", "zhangwei", {"agent_id": agent, "mode": "listen"}
    )
    assert grant["token"]
    assert grant["agent_sip_uri"] == "sip:agent@127.0.0.1:5062"
    events = [e for e in read_events(api, "wangfang", after=0) if e["kind"] == "monitor.grant"]
    [told] = events
    assert told["data"]["token_sha256"] == hashlib.sha256(grant["token"].encode()).hexdigest()
    assert "token" not in told["data"]  # the agent's desk never sees the token itself
    assert told["data"]["mode"] == "listen"
    assert told["data"]["indicator"] is True  # the team's setting
    # Another lead sees nothing of it; the lead moves to whisper explicitly.
    assert not [e for e in read_events(api, "liuyang", after=0) if e["kind"].startswith("monitor")]
    moved = api.ok("POST", f"/monitor/{grant['id']}/mode", "zhangwei", {"mode": "whisper"})
    assert [m["mode"] for m in moved["modes"]] == ["listen", "whisper"]
    assert any(
        e["kind"] == "monitor.mode" and e["data"]["mode"] == "whisper"
        for e in read_events(api, "wangfang", after=0)
    )
    # The call ends: the grant ends with it, and the lead is told.
    api.ok("PUT", "/presence/me", "wangfang", {"state": "wrap_up"})
    ended = [e for e in read_events(api, "zhangwei", after=0) if e["kind"] == "monitor.end"]
    assert [e["data"]["reason"] for e in ended] == ["the call ended"]
    late = api.call("POST", f"/monitor/{grant['id']}/mode", "zhangwei", {"mode": "barge"})
    assert late.status_code == 409
    [session] = api.ok("GET", "/monitor/sessions", "zhangwei")
    assert (session["lead_id"], session["agent_id"], session["end_reason"]) == (
        user_id(api, "zhangwei"),
        agent,
        "the call ended",
    )
    assert ("monitor.start", True) in audit_actions(api)
    assert ("monitor.mode", True) in audit_actions(api)
    assert ("monitor.end", True) in audit_actions(api)


def test_an_agent_can_never_monitor(api: Api) -> None:
    on_call(api, "alice")
    for mode in ("listen", "whisper", "barge", "takeover"):
        refused = api.call(
            "POST", "/monitor", "wangfang", {"agent_id": user_id(api, "alice"), "mode": mode}
        )
        assert refused.status_code == 403, mode
    assert ("monitor.listen", False) in audit_actions(api)
    assert api.get("/monitor/sessions", "wangfang").status_code == 403


def test_a_lead_of_another_team_is_refused_and_audited(api: Api) -> None:
    on_call(api, "wangfang")
    refused = api.call(
        "POST", "/monitor", "liuyang", {"agent_id": user_id(api, "wangfang"), "mode": "listen"}
    )
    assert refused.status_code == 403
    assert ("monitor.listen", False) in audit_actions(api)
    assert not [e for e in read_events(api, "wangfang", after=0) if e["kind"] == "monitor.grant"]


def test_another_lead_cannot_steer_a_session_and_a_desk_reports_refused_legs(api: Api) -> None:
    on_call(api, "wangfang")
    grant = api.ok(
        "POST", "/monitor", "zhangwei", {"agent_id": user_id(api, "wangfang"), "mode": "listen"}
    )
    steer = api.call("POST", f"/monitor/{grant['id']}/mode", "liuyang", {"mode": "barge"})
    assert steer.status_code == 403
    api.ok("POST", "/monitor/refused", "wangfang", {"reason": "no valid grant"})
    assert ("monitor.refused", False) in audit_actions(api)
    left = api.ok("POST", f"/monitor/{grant['id']}/end", "zhangwei", {"reason": "the lead left"})
    assert left["end_reason"] == "the lead left"
    told = [e for e in read_events(api, "wangfang", after=0) if e["kind"] == "monitor.end"]
    assert [e["data"]["reason"] for e in told] == ["the lead left"]


def test_nobody_monitors_a_user_without_a_team_or_an_account_that_is_no_agent(api: Api) -> None:
    admin = user_id(api, "admin")
    on_call(api, "admin")
    for lead in ("zhangwei", "liuyang"):
        refused = api.call("POST", "/monitor", lead, {"agent_id": admin, "mode": "barge"})
        assert refused.status_code == 403, lead
    on_call(api, "zhangwei")  # a lead is not monitored by another lead either
    refused = api.call(
        "POST", "/monitor", "liuyang", {"agent_id": user_id(api, "zhangwei"), "mode": "listen"}
    )
    assert refused.status_code == 403


def test_a_desk_reports_only_a_plain_sip_address_for_its_phone(api: Api) -> None:
    for odd in ("tel:+900123", "sip:agent@pbx;transport=tcp", "sip:a b@host", "http://x"):
        answer = api.call("PUT", "/presence/me", "wangfang", {"state": "on_call", "sip_uri": odd})
        assert answer.status_code == 422, odd
