"""Quality scoring on the server (质检, issue 20), on SQLite and PostgreSQL: the score is the
server's (weights, N/A left out, a missed critical item fails the call), scorecards keep their
versions, the evaluation's life (shared → disputed → answered) reaches whom it concerns as
events, access by role and team (an agent of another team, a technician, a revoked token),
calibration, the reproducible sample and poison input. Every change is audited."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from server_stub.models import AuditRow, EventRow, InteractionRow, UserRow
from tests.fakes.servers import LiveBackend
from tests.integration.conftest import SEEDED_AT, Api
from tests.integration.test_api_races import sign_in

# Four items over two sections; "greeting" weighs 2, "verify" is critical, "upsell" may be N/A.
CARD: dict[str, Any] = {
    "name": "Hotline call 热线通话",
    "pass_pct": 80,
    "sections": [
        {
            "title": "Opening 开场",
            "items": [
                {"key": "greeting", "label": "Greets by script", "weight": 2},
                {"key": "verify", "label": "Verifies identity", "weight": 1, "critical": True,
                 "allow_na": False},
            ],
        },
        {
            "title": "Resolution 解决",
            "items": [
                {"key": "solved", "label": "Solves or routes", "weight": 3},
                {"key": "upsell", "label": "Offers the service plan", "weight": 4},
            ],
        },
    ],
}  # fmt: skip


def user_id(api: Api, username: str) -> int:
    with api.database.session() as session:
        return int(session.scalars(select(UserRow.id).where(UserRow.username == username)).one())


def a_call_of(api: Api, username: str) -> int:
    """One of the agent's calls: the seed's history (team 0), else one made now."""
    agent = user_id(api, username)
    with api.database.session() as session:
        found = session.scalars(
            select(InteractionRow.id)
            .where(InteractionRow.agent_id == agent, InteractionRow.kind == "call_in")
            .order_by(InteractionRow.id)
        ).first()
        if found is not None:
            return int(found)
        user = session.get(UserRow, agent)
        assert user is not None
        assert user.team_id is not None
        row = InteractionRow(
            team_id=user.team_id,
            agent_id=agent,
            kind="call_in",
            started_at=SEEDED_AT - timedelta(hours=1),
            ended_at=SEEDED_AT - timedelta(minutes=55),
            talk_s=300,
            queue="printers",
            updated_at=SEEDED_AT,
        )
        session.add(row)
        session.commit()
        return row.id


def scorecard(api: Api, user: str = "zhangwei") -> dict[str, Any]:
    card: dict[str, Any] = api.ok("POST", "/qa/scorecards", user, CARD)
    return card


def evaluation(
    card: dict[str, Any], call: int, agent: int, share: bool = True, **answers: str
) -> dict[str, Any]:
    given = {"greeting": "met", "verify": "met", "solved": "met", "upsell": "met", **answers}
    return {
        "interaction_id": call,
        "agent_id": agent,
        "scorecard_id": card["id"],
        "scorecard_version": card["version"],
        "answers": [{"key": k, "answer": v} for k, v in given.items()],
        "comments": [{"at_ms": 61_500, "text": "没有核实身份 identity not checked"}],
        "share": share,
    }


def audited(api: Api, action: str) -> list[AuditRow]:
    with api.database.session() as session:
        return list(session.scalars(select(AuditRow).where(AuditRow.action == action)))


def events_to(api: Api, username: str) -> list[dict[str, Any]]:
    who = user_id(api, username)
    with api.database.session() as session:
        rows = session.scalars(
            select(EventRow).where(EventRow.kind == "qa.evaluation", EventRow.user_id == who)
        )
        return [row.data for row in rows]


@pytest.mark.parametrize(
    ("answers", "score", "failed"),
    [
        ({}, 100.0, False),
        ({"upsell": "missed"}, 60.0, True),  # 6 of 10: below the pass mark of 80
        ({"upsell": "na"}, 100.0, False),  # N/A left out: 6 of 6
        ({"upsell": "na", "greeting": "missed"}, 66.7, True),
        ({"verify": "missed"}, 90.0, True),  # 9 of 10, but a critical item is missed
    ],
)
def test_the_server_scores_by_weight_leaving_na_out_and_a_missed_critical_item_fails(
    api: Api, answers: dict[str, str], score: float, failed: bool
) -> None:
    card = scorecard(api)
    body = evaluation(card, a_call_of(api, "wangfang"), user_id(api, "wangfang"), **answers)
    out = api.ok("POST", "/qa/evaluations", "zhangwei", body)
    assert (out["score_pct"], out["failed"]) == (score, failed)
    assert out["critical_missed"] == (["verify"] if "verify" in answers else [])
    assert out["status"] == "shared"
    assert out["comments"][0]["at_ms"] == 61_500


def test_answers_that_do_not_fit_the_scorecard_are_refused_naming_the_item(api: Api) -> None:
    card = scorecard(api)
    call, agent = a_call_of(api, "wangfang"), user_id(api, "wangfang")
    body = evaluation(card, call, agent, verify="na")
    answer = api.call("POST", "/qa/evaluations", "zhangwei", body)
    assert answer.status_code == 422
    assert "verify" in answer.json()["message"]
    body = evaluation(card, call, agent)
    body["answers"] = body["answers"][:-1]
    answer = api.call("POST", "/qa/evaluations", "zhangwei", body)
    assert answer.status_code == 422
    assert "upsell" in answer.json()["message"]


def test_a_scorecard_edit_is_a_new_version_and_an_old_evaluation_keeps_its_own(api: Api) -> None:
    card = scorecard(api)
    call, agent = a_call_of(api, "wangfang"), user_id(api, "wangfang")
    first = api.ok("POST", "/qa/evaluations", "zhangwei", evaluation(card, call, agent))
    changed = {**CARD, "version": 1, "sections": CARD["sections"][:1]}
    v2 = api.ok("PUT", f"/qa/scorecards/{card['id']}", "zhangwei", changed)
    assert v2["version"] == 2
    stale = api.call("PUT", f"/qa/scorecards/{card['id']}", "zhangwei", changed)
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2
    again = api.ok("GET", f"/qa/evaluations/{first['id']}", "zhangwei")
    assert again["scorecard"]["version"] == 1
    assert len(again["scorecard"]["sections"]) == 2
    assert [a.detail for a in audited(api, "qa.scorecard.version")] == ["v1 -> v2 (2 items)"]


def test_a_dispute_reaches_the_leads_and_the_answer_reaches_the_agent(api: Api) -> None:
    card = scorecard(api)
    agent = user_id(api, "wangfang")
    made = api.ok(
        "POST",
        "/qa/evaluations",
        "zhangwei",
        evaluation(card, a_call_of(api, "wangfang"), agent, share=False, verify="missed"),
    )
    assert made["status"] == "draft"
    # A draft is the evaluator's: the agent neither lists nor reads it.
    assert api.ok("GET", "/qa/evaluations", "wangfang") == []
    assert api.call("GET", f"/qa/evaluations/{made['id']}", "wangfang").status_code == 403
    body = evaluation(card, a_call_of(api, "wangfang"), agent, verify="missed")
    shared = api.ok("PUT", f"/qa/evaluations/{made['id']}", "zhangwei", body)
    assert shared["status"] == "shared"
    assert [e["id"] for e in events_to(api, "wangfang")] == [made["id"]]

    mine = api.ok("GET", "/qa/evaluations", "wangfang")
    assert [e["id"] for e in mine] == [made["id"]]
    empty = api.call("POST", f"/qa/evaluations/{made['id']}/dispute", "wangfang", {"comment": " "})
    assert empty.status_code == 422
    assert empty.json()["field"] == "comment"
    disputed = api.ok(
        "POST",
        f"/qa/evaluations/{made['id']}/dispute",
        "wangfang",
        {"comment": "我核实了身份, 在 1:05 I did verify"},
    )
    assert disputed["status"] == "disputed"
    assert events_to(api, "zhangwei")[-1]["status"] == "disputed"
    # Only the agent replies; only a scorer of the team answers.
    assert (
        api.call("POST", f"/qa/evaluations/{made['id']}/acknowledge", "alice", {}).status_code
        == 403
    )
    assert (
        api.call("POST", f"/qa/evaluations/{made['id']}/answer", "liuyang", {"comment": "x"})
    ).status_code == 403
    answered = api.ok(
        "POST", f"/qa/evaluations/{made['id']}/answer", "zhangwei", {"comment": "复听确认, 维持"}
    )
    assert (answered["status"], answered["answered_by_name"]) == ("answered", "张伟")
    assert events_to(api, "wangfang")[-1]["status"] == "answered"
    twice = api.call("POST", f"/qa/evaluations/{made['id']}/dispute", "wangfang", {"comment": "再"})
    assert twice.status_code == 422
    for action in ("qa.evaluation.create", "qa.evaluation.update", "qa.evaluation.dispute",
                   "qa.evaluation.answer"):  # fmt: skip
        assert audited(api, action), action
    refused = [a for a in audited(api, "qa.evaluation.answer") if not a.allowed]
    assert refused


def test_another_team_a_technician_and_a_revoked_token_see_nothing(api: Api) -> None:
    card = scorecard(api)
    call, agent = a_call_of(api, "wangfang"), user_id(api, "wangfang")
    made = api.ok("POST", "/qa/evaluations", "zhangwei", evaluation(card, call, agent))
    path = f"/qa/evaluations/{made['id']}"
    # 李娜 is an agent of the other team; 刘洋 leads it; 张工 is a technician.
    assert api.call("GET", path, "lina").status_code == 403
    assert api.ok("GET", "/qa/evaluations", "lina") == []
    assert api.call("GET", path, "liuyang").status_code == 403
    assert api.ok("GET", "/qa/evaluations", "liuyang") == []
    assert (
        api.call("POST", "/qa/evaluations", "liuyang", evaluation(card, call, agent)).status_code
        == 403
    )
    assert all(c["team_id"] != made["team_id"] for c in api.ok("GET", "/qa/calls", "liuyang"))
    for route in ("/qa/evaluations", path, "/qa/scorecards", "/qa/calls"):
        assert api.call("GET", route, "zhanggong").status_code == 403, route
    assert api.call("POST", "/qa/scorecards", "wangfang", CARD).status_code == 403
    # A token signed out is refused like none.
    api.ok("GET", path, "wangfang")
    api.call("POST", "/auth/logout", "wangfang")
    assert api.call("GET", path, "wangfang").status_code == 401
    assert [a for a in audited(api, "qa.evaluation.read") if not a.allowed]


def test_the_qa_role_scores_every_team(api: Api) -> None:
    """A user given the shipped "qa" role (migration 0014) scores a call of either team."""
    admin_users = api.ok("GET", "/admin/users", "admin")
    lina = next(u for u in admin_users if u["username"] == "lina")
    api.ok("PATCH", f"/admin/users/{lina['id']}", "admin", {"role_name": "qa"})
    card = scorecard(api, "admin")
    for username in ("wangfang", "tom"):
        body = evaluation(card, a_call_of(api, username), user_id(api, username))
        assert api.call("POST", "/qa/evaluations", "lina", body).status_code == 201, username


def test_calibration_compares_two_evaluators_item_by_item(api: Api) -> None:
    card = scorecard(api)
    call, agent = a_call_of(api, "wangfang"), user_id(api, "wangfang")
    first = api.ok("POST", "/qa/evaluations", "zhangwei", evaluation(card, call, agent))
    second = api.ok(
        "POST", "/qa/evaluations", "admin", evaluation(card, call, agent, upsell="missed")
    )
    out = api.ok("GET", "/qa/calibration", "zhangwei", first=first["id"], second=second["id"])
    assert out["score_difference"] == -40.0
    assert out["same_call"]
    assert out["same_version"]
    differ = [i["key"] for i in out["items"] if i["first"] != i["second"]]
    assert differ == ["upsell"]
    other = api.ok(
        "POST", "/qa/evaluations", "zhangwei",
        evaluation(card, a_call_of(api, "alice"), user_id(api, "alice")),
    )  # fmt: skip
    assert (
        api.call("GET", "/qa/calibration", "zhangwei", first=first["id"], second=other["id"])
    ).status_code == 422


def test_the_weekly_sample_is_reproducible_and_per_agent(api: Api) -> None:
    week = "2026-10-26"  # the week before the seed's day: both agents took calls
    one = api.ok("GET", "/qa/sample", "zhangwei", week=week, per_agent=3, seed=7)
    again = api.ok("GET", "/qa/sample", "zhangwei", week=week, per_agent=3, seed=7)
    other = api.ok("GET", "/qa/sample", "zhangwei", week=week, per_agent=3, seed=8)
    assert [c["interaction_id"] for c in one] == [c["interaction_id"] for c in again]
    assert [c["interaction_id"] for c in one] != [c["interaction_id"] for c in other]
    per_agent: dict[int, int] = {}
    for call in one:
        per_agent[call["agent_id"]] = per_agent.get(call["agent_id"], 0) + 1
        assert "2026-10-25T16:00" <= call["started_at"] < "2026-11-01T16:00"  # Mon–Sun, +08:00
    assert sorted(per_agent.values()) == [3, 3]
    # Filters narrow the picker.
    short = api.ok("GET", "/qa/calls", "zhangwei", max_talk_s=60, since="2026-10-26")
    assert short
    assert all(c["talk_s"] <= 60 for c in short)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/qa/calls", {"since": "9999-12-31"}, "since"),
        ("/qa/calls", {"queue": "a\x00b"}, "queue"),
        ("/qa/calls", {"since": "2026-11-02", "until": "2026-11-01"}, "until"),
        ("/qa/sample", {"week": "0001-01-01"}, "week"),
    ],
)
def test_poison_queries_get_a_4xx_naming_the_field(
    api: Api, path: str, params: dict[str, str], field: str
) -> None:
    answer = api.call("GET", path, "zhangwei", **params)
    assert answer.status_code == 422
    assert field in answer.text


@pytest.mark.parametrize(
    "change",
    [
        {"comments": [{"at_ms": 86_400_001, "text": "after a day"}]},
        {"comments": [{"at_ms": 5, "text": "nul\x00byte"}]},
        {"summary": "x" * 2_001},
        {"recording_id": "../../etc/passwd"},
        {"interaction_id": None},
        {"answers": [{"key": "greeting", "answer": "perfect"}]},
    ],
)
def test_poison_evaluations_are_refused(api: Api, change: dict[str, Any]) -> None:
    card = scorecard(api)
    body = {**evaluation(card, a_call_of(api, "wangfang"), user_id(api, "wangfang")), **change}
    answer = api.call("POST", "/qa/evaluations", "zhangwei", body)
    assert answer.status_code == 422, answer.text


def test_replies_fired_together_settle_once(database_url: str, tmp_path: Path) -> None:
    """Three acknowledgements and three disputes of one evaluation at once, over real sockets:
    exactly one is taken; the others are refused (409, or 422 once it is no longer shared);
    the evaluator is told once."""
    backend = LiveBackend(tmp_path / "unused.sqlite", database_url=database_url)
    try:
        tokens = {u: sign_in(backend, u) for u in ("zhangwei", "wangfang")}

        def send(user: str, method: str, path: str, body: Any) -> requests.Response:
            return requests.request(
                method,
                f"{backend.url}/api/v1{path}",
                json=body,
                headers={"Authorization": f"Bearer {tokens[user]}", "X-AW-Contract": "1.7"},
                timeout=60,
            )

        card = send("zhangwei", "POST", "/qa/scorecards", CARD).json()
        with backend.database.session() as session:
            agent = session.scalars(select(UserRow.id).where(UserRow.username == "wangfang")).one()
            call = session.scalars(
                select(InteractionRow.id).where(InteractionRow.agent_id == agent)
            ).first()
        made = send("zhangwei", "POST", "/qa/evaluations", evaluation(card, call, agent)).json()
        steps = ["acknowledge", "dispute"] * 3
        with ThreadPoolExecutor(len(steps)) as pool:
            answers = list(
                pool.map(
                    lambda step: send(
                        "wangfang",
                        "POST",
                        f"/qa/evaluations/{made['id']}/{step}",
                        {"comment": "同时 at once"},
                    ),
                    steps,
                )
            )
        codes = sorted(a.status_code for a in answers)
        assert codes.count(200) == 1, codes
        assert set(codes) <= {200, 409, 422}, codes
        with backend.database.session() as session:
            evaluator = session.scalars(
                select(UserRow.id).where(UserRow.username == "zhangwei")
            ).one()
            told = session.scalars(
                select(EventRow.data).where(
                    EventRow.kind == "qa.evaluation", EventRow.user_id == evaluator
                )
            ).all()
        assert len(told) == 1
    finally:
        backend.stop()
