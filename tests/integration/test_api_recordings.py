"""Recordings' pauses on the server (contract 1.7, issue 20): each pause and resume of a desk's
recording is audited and reaches the team's lead; the lead's board reads which calls are
paused now; poison input is a 422 naming the field."""

from __future__ import annotations

import json

from tests.integration.conftest import Api
from tests.integration.test_api_feed import read_events
from tests.integration.test_api_monitor import user_id

REC = "0123456789abcdef0123456789abcdef"


def event(kind: str, recording_id: str = REC, **extra: object) -> dict[str, object]:
    return {
        "recording_id": recording_id,
        "sip_call_id": "abc@pbx",
        "event": kind,
        "at": "2026-12-06T01:00:00+08:00",
        **extra,
    }


def test_pause_and_resume_are_audited_and_shown_to_the_lead(api: Api) -> None:
    api.ok("POST", "/recordings/events", "wangfang", event("paused", reason="agent"))
    audit = api.ok("GET", "/audit", "admin")
    (paused,) = [a for a in audit if a["action"] == "recording.paused"]
    assert paused["user_id"] == user_id(api, "wangfang")
    assert paused["target"] == f"recording {REC}"
    detail = json.loads(paused["detail"])
    assert detail["sip_call_id"] == "abc@pbx"
    assert detail["reason"] == "agent"
    now = api.ok("GET", "/recordings/paused", "zhangwei")
    assert [(p["recording_id"], p["agent_name"], p["reason"]) for p in now] == [
        (REC, "王芳", "agent")
    ]
    assert api.ok("GET", "/recordings/paused", "liuyang") == []  # another team's lead
    told = [e for e in read_events(api, "zhangwei", after=0) if e["kind"] == "recording.pause"]
    assert [e["data"]["paused"] for e in told] == [True]

    api.ok("POST", "/recordings/events", "wangfang", event("resumed", auto=True))
    assert "recording.resumed" in [a["action"] for a in api.ok("GET", "/audit", "admin")]
    assert api.ok("GET", "/recordings/paused", "zhangwei") == []


def test_agents_do_not_read_the_board_and_poison_is_refused(api: Api) -> None:
    assert api.call("GET", "/recordings/paused", "wangfang").status_code == 403
    for bad in (
        event("paused", recording_id="../etc/passwd"),
        event("paused", sip_call_id="a\x00b"),
        event("paused", at="0001-01-01T00:00:00+14:00"),
        event("stopped"),
        event("paused", sip_call_id="x" * 201),
    ):
        answer = api.call("POST", "/recordings/events", "wangfang", bad)
        assert answer.status_code == 422, bad
