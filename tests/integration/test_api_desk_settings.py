"""The centre's desk settings on the server: every user reads them, only admins replace them
(whole, at the version they read), each rule refused with a message naming the problem, and
every desk told at once (``desk_settings.changed``). SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from server_stub.models import AuditRow, EventRow
from sync.contract.desk import DEFAULT_DESK_SETTINGS
from sync.contract.errors import ErrorCode
from tests.integration.conftest import Api


def document(**changes: Any) -> dict[str, Any]:
    data = DEFAULT_DESK_SETTINGS.model_dump(mode="json")
    data["version"] = 1
    data.update(changes)
    return data


def without_rows(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("queues", "team_policies")}


def reasons_with(*extra: dict[str, str]) -> list[dict[str, str]]:
    return [*document()["not_ready_reasons"], *extra]


def test_everyone_reads_the_defaults_until_an_admin_changes_them(api: Api) -> None:
    for user in ("wangfang", "zhangwei", "admin"):
        answer = api.get("/desk-settings", user)
        assert answer.status_code == 200
        read = answer.json()
        # Each queue's own settings and the caller's teams' policies ride along (1.6).
        assert "医疗设备热线 Medical hotline" in read.pop("queues")
        assert read.pop("team_policies")
        assert read == without_rows(document())
        assert answer.headers["ETag"] == '"1"'


def test_a_desk_of_contract_1_0_gets_the_document_it_reads_strictly(api: Api) -> None:
    """Before contract 1.1 desks refused an answer with a field they did not know."""
    token = api.headers("wangfang")["Authorization"]
    answer = api.client.get("/api/v1/desk-settings", headers={"Authorization": token})
    assert answer.status_code == 200
    # Nor the fields added since (1.6: queues, team_policies, required_checks).
    assert answer.json() == DEFAULT_DESK_SETTINGS.model_dump(
        mode="json", exclude={"version", "queues", "team_policies", "required_checks"}
    )


def test_an_admin_changes_the_settings_and_every_desk_hears_of_it(api: Api) -> None:
    changed = document(
        wrap_up_s={"VIP hotline": 120, "Complaints": 90},
        not_ready_reasons=reasons_with({"code": "coaching", "en": "Coaching", "zh": "辅导"}),
    )
    stored = api.ok("PUT", "/desk-settings", "admin", changed)
    assert stored["version"] == 2
    assert stored["wrap_up_s"]["VIP hotline"] == 120
    read = api.get("/desk-settings", "wangfang")
    # The same, but for the team policies: an agent reads their own team's (1.6).
    assert without_rows(read.json()) == without_rows(stored)
    assert read.json()["queues"] == stored["queues"]
    assert set(read.json()["team_policies"]) < set(stored["team_policies"])
    assert read.headers["ETag"] == '"2"'
    with api.database.session() as session:
        events = session.scalars(select(EventRow).where(EventRow.kind == "desk_settings.changed"))
        (event,) = list(events)
        assert (event.team_id, event.user_id, event.data) == (None, None, {"version": 2})
        audited = session.scalars(
            select(AuditRow).where(AuditRow.action == "PUT /api/v1/desk-settings")
        ).all()
        assert [row.allowed for row in audited] == [True]


@pytest.mark.parametrize("user", ["wangfang", "zhangwei"])
def test_agents_and_leads_may_not_change_them(api: Api, user: str) -> None:
    answer = api.call("PUT", "/desk-settings", user, document(default_wrap_up_s=10))
    assert answer.status_code == 403
    assert answer.json()["code"] == ErrorCode.FORBIDDEN
    assert api.get("/desk-settings", user).json()["default_wrap_up_s"] == 30
    with api.database.session() as session:
        refused = session.scalars(select(AuditRow).where(AuditRow.allowed.is_(False))).all()
        assert [row.action for row in refused] == ["settings.manage"]


def test_two_admins_do_not_overwrite_each_other(api: Api) -> None:
    api.ok("PUT", "/desk-settings", "admin", document(default_wrap_up_s=45))
    # The second admin read version 1 too and sends it back: refused, with what is there now.
    stale = api.call("PUT", "/desk-settings", "admin", document(default_wrap_up_s=20))
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == ErrorCode.VERSION_CONFLICT
    assert body["field"] == "version"
    assert "changed by someone else" in body["message"]
    assert body["current"]["default_wrap_up_s"] == 45
    assert body["current"]["version"] == 2
    # The same with If-Match: 412.
    answer = api.client.put(
        "/api/v1/desk-settings",
        json=document(default_wrap_up_s=20, version=2),
        headers=api.headers("admin", **{"If-Match": '"1"'}),
    )
    assert answer.status_code == 412
    assert answer.json()["code"] == ErrorCode.VERSION_CONFLICT
    # At the current version it goes through.
    answer = api.client.put(
        "/api/v1/desk-settings",
        json=document(default_wrap_up_s=20, version=2),
        headers=api.headers("admin", **{"If-Match": '"2"'}),
    )
    assert answer.status_code == 200
    assert answer.headers["ETag"] == '"3"'
    assert api.get("/desk-settings", "wangfang").json()["default_wrap_up_s"] == 20


def _without(section: str, code: str) -> list[dict[str, str]]:
    return [c for c in document()[section] if c["code"] != code]


BREAK = {"code": "break", "en": "Break", "zh": "休息"}

REFUSED = [
    (
        document(not_ready_reasons=reasons_with(BREAK)),
        "not_ready_reasons.7.code",
        "the code 'break' is listed twice",
    ),
    (
        document(not_ready_reasons=reasons_with({"code": "nap", "en": " ", "zh": "小睡"})),
        "not_ready_reasons.7.en",
        "'nap' needs a label",
    ),
    (
        document(not_ready_reasons=_without("not_ready_reasons", "missed_call")),
        "not_ready_reasons",
        "the reason 'missed_call' is set by the desk itself and cannot be removed",
    ),
    (
        document(not_ready_reasons=_without("not_ready_reasons", "signed_in")),
        "not_ready_reasons",
        "the reason 'signed_in' is set by the desk itself and cannot be removed",
    ),
    (
        document(
            dispositions=[
                *document()["dispositions"],
                {"code": "timed_out", "en": "T", "zh": "超时"},
            ]
        ),
        "dispositions.8.code",
        "'timed_out' is written by the desk when a wrap-up runs out",
    ),
    (document(dispositions=[]), "dispositions", "agents need at least one disposition"),
    (
        document(default_wrap_up_s=3601),
        "default_wrap_up_s",
        "the wrap-up time must be from 0 to 3600 seconds, not 3601",
    ),
    (
        document(wrap_up_s={"VIP hotline": -1}),
        "wrap_up_s.VIP hotline",
        "the wrap-up time of 'VIP hotline' must be from 0 to 3600 seconds, not -1",
    ),
    (
        document(ring_no_answer_s=4),
        "ring_no_answer_s",
        "the ring-no-answer time must be from 5 to 300 seconds, not 4",
    ),
    (
        document(ring_no_answer_s=301),
        "ring_no_answer_s",
        "the ring-no-answer time must be from 5 to 300 seconds, not 301",
    ),
    (
        document(not_ready_reasons=reasons_with({"code": "nap", "en": "N" * 81, "zh": "小睡"})),
        "not_ready_reasons.7.en",
        "the label of 'nap' is longer than 80 characters",
    ),
    (
        document(not_ready_reasons=reasons_with({"code": "Coffee Break", "en": "C", "zh": "C"})),
        "not_ready_reasons.7.code",
        "the code 'Coffee Break' must be an identifier",
    ),
    (
        document(
            ticket_categories=[
                *document()["ticket_categories"],
                {"code": "billing.refund", "en": "Refund", "zh": "退款"},
            ]
        ),
        "ticket_categories.20.code",
        "'billing.refund' is under 'billing', which is not listed",
    ),
    (
        document(not_ready_reasons=reasons_with({"code": "nap", "en": "N\x7fap", "zh": "小睡"})),
        "not_ready_reasons.7.en",
        "the label of 'nap' contains the control character U+007F",
    ),
]


@pytest.mark.parametrize(("sent", "field", "message"), REFUSED)
def test_each_rule_is_refused_with_its_message(
    api: Api, sent: dict[str, Any], field: str, message: str
) -> None:
    answer = api.call("PUT", "/desk-settings", "admin", sent)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == ErrorCode.INVALID_REQUEST
    assert body["field"] == field
    assert message in body["message"]
    assert api.get("/desk-settings", "admin").json()["version"] == 1


@pytest.mark.parametrize("text", ["N\x00ap", "\x1b[2J"])
def test_control_characters_are_refused_on_the_wire(api: Api, text: str) -> None:
    sent = document(not_ready_reasons=reasons_with({"code": "nap", "en": text, "zh": "小睡"}))
    answer = api.call("PUT", "/desk-settings", "admin", sent)
    assert answer.status_code == 422
    assert answer.json()["code"] == ErrorCode.INVALID_REQUEST
    assert "control character" in answer.json()["message"]


def test_a_removed_code_is_gone_from_the_list_but_old_records_keep_it(api: Api) -> None:
    sent = document(not_ready_reasons=_without("not_ready_reasons", "training"))
    api.ok("PUT", "/desk-settings", "admin", sent)
    # An agent whose desk still offers it (not yet updated) may still set it: presence keeps
    # whatever code it is given, and the board shows the code itself for a label it lacks.
    answer = api.call(
        "PUT", "/presence/me", "wangfang", {"state": "not_ready", "reason": "training"}
    )
    assert answer.status_code == 200, answer.text
