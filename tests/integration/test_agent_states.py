"""The history of agents' states (``server_stub.agent_states``, issue 21), SQLite and
PostgreSQL, on a manual clock: each presence change closes the open span and opens the next, a
repeated state adds nothing, a change through ``POST /batch`` and a desk marked lost (and back)
are written too, so occupancy and adherence read one complete day."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from server_stub.agent_states import note_state
from server_stub.models import AgentStateRow
from server_stub.presence_alive import PresenceWatch, mark_lost
from sync.contract.alive import HEARTBEAT_ROUTE, LOST_CONTACT
from tests.integration.conftest import Api

Span = tuple[str, str, datetime, datetime | None]


def _spans(api: Api, user: str) -> list[Span]:
    me = api.ok("GET", "/me", user)["user"]["id"]
    with api.database.session() as session:
        rows = session.execute(
            select(
                AgentStateRow.state,
                AgentStateRow.reason,
                AgentStateRow.started_at,
                AgentStateRow.ended_at,
            )
            .where(AgentStateRow.user_id == me)
            .order_by(AgentStateRow.id)
        ).all()
    return [(r.state, r.reason, r.started_at, r.ended_at) for r in rows]


def test_each_change_closes_the_open_span_and_a_repeat_adds_nothing(api: Api) -> None:
    t0 = api.clock.now()
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})
    api.clock.advance(timedelta(minutes=5))
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})  # the desk says it again
    api.clock.advance(timedelta(minutes=5))
    api.ok("PUT", "/presence/me", "wangfang", {"state": "not_ready", "reason": "lunch"})
    api.clock.advance(timedelta(minutes=30))
    api.ok("PUT", "/presence/me", "wangfang", {"state": "not_ready", "reason": "training"})
    t1 = api.clock.now()

    assert _spans(api, "wangfang") == [
        ("ready", "", t0, t0 + timedelta(minutes=10)),
        ("not_ready", "lunch", t0 + timedelta(minutes=10), t1),
        ("not_ready", "training", t1, None),
    ]


def test_a_change_through_the_outbox_batch_is_written_once(api: Api) -> None:
    t0 = api.clock.now()
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})
    api.clock.advance(timedelta(minutes=1))
    answer = api.ok(
        "POST",
        "/batch",
        "wangfang",
        {
            "operations": [
                {
                    "method": "PUT",
                    "path": "/presence/me",
                    "key": "k-1",
                    "body": {"state": "on_call"},
                },
            ]
        },
    )
    assert answer["results"][0]["status"] == 200
    spans = _spans(api, "wangfang")
    assert [(s[0], s[2], s[3]) for s in spans] == [
        ("ready", t0, t0 + timedelta(minutes=1)),
        ("on_call", t0 + timedelta(minutes=1), None),
    ]


def test_a_desk_marked_lost_and_back_is_in_the_history(api: Api) -> None:
    api.ok("PUT", "/presence/me", "wangfang", {"state": "ready"})
    api.ok("POST", HEARTBEAT_ROUTE, "wangfang", {"state": "ready"})
    watch: PresenceWatch = api.client.app.state.presence_watch  # type: ignore[attr-defined]
    watch.flush()
    api.clock.advance(timedelta(seconds=61))
    with api.database.session() as session:
        assert len(mark_lost(session, api.clock.now(), timedelta(seconds=60))) == 1
    lost_at = api.clock.now()
    api.clock.advance(timedelta(seconds=30))
    api.ok("POST", HEARTBEAT_ROUTE, "wangfang", {"state": "ready"})
    watch.flush()
    states = [(s[0], s[1]) for s in _spans(api, "wangfang")]
    assert states == [("ready", ""), ("logged_out", LOST_CONTACT), ("ready", "")]
    assert _spans(api, "wangfang")[1][2] == lost_at


def test_a_clock_stepped_back_never_leaves_a_span_ending_before_it_began(api: Api) -> None:
    me = api.ok("GET", "/me", "wangfang")["user"]["id"]
    now = api.clock.now()
    with api.database.session() as session:
        note_state(session, user_id=me, team_id=None, state="ready", reason="", now=now)
        session.commit()
        note_state(
            session,
            user_id=me,
            team_id=None,
            state="on_call",
            reason="",
            now=now - timedelta(minutes=2),
        )
        session.commit()
    spans = _spans(api, "wangfang")
    assert all(end is None or end >= start for _, _, start, end in spans)
    assert [s[3] is None for s in spans] == [False, True]
