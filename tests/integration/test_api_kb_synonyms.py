"""The knowledge base's synonym table on the server (contract 1.6): every user reads it, only
experts (``kb.answer``) change it, each change audited with what it was before and carried to
every desk by the change feed (a deletion as a tombstone); bad entries refused with a message
naming the field. SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from server_stub.models import AuditRow
from sync.contract.errors import ErrorCode
from tests.integration.conftest import Api


def feed(api: Api, user: str) -> list[dict[str, object]]:
    page = api.ok("GET", "/changes", user, after=0, limit=1000)
    return [c for c in page["changes"] if c["entity"] == "kb_synonym"]


def test_an_expert_adds_changes_and_removes_a_synonym_and_every_desk_hears_of_it(
    api: Api,
) -> None:
    made = api.ok("POST", "/kb/synonyms", "zhangwei", {"spoken": "ＪＩＡ纸 ", "words": ["卡纸"]},
                  key="syn-1")  # fmt: skip
    assert (made["spoken"], made["words"], made["version"]) == ("jia纸", ["卡纸"], 1)
    assert api.ok("GET", "/kb/synonyms", "wangfang") == [made]  # an agent reads it
    changed = api.ok("PATCH", f"/kb/synonyms/{made['id']}", "zhangwei",
                     {"version": 1, "words": ["卡纸", "进纸", "卡纸"]}, key="syn-2")  # fmt: skip
    assert (changed["words"], changed["version"]) == (["卡纸", "进纸"], 2)
    assert [c["data"]["words"] for c in feed(api, "wangfang")] == [["卡纸"], ["卡纸", "进纸"]]
    stale = api.call("PATCH", f"/kb/synonyms/{made['id']}", "zhangwei",
                     {"version": 1, "words": ["夹"]}, key="syn-3")  # fmt: skip
    assert stale.status_code == 409
    gone = api.call("DELETE", f"/kb/synonyms/{made['id']}", "zhangwei", {"version": 2},
                    key="syn-4")  # fmt: skip
    assert gone.status_code == 204
    assert api.ok("GET", "/kb/synonyms", "wangfang") == []
    assert feed(api, "lina")[-1]["op"] == "delete"  # the tombstone reaches every team
    with api.database.session() as session:
        trail = session.scalars(
            select(AuditRow).where(AuditRow.action.like("kb.synonym.%")).order_by(AuditRow.id)
        ).all()
    assert [row.action for row in trail] == [
        "kb.synonym.create", "kb.synonym.update", "kb.synonym.delete",
    ]  # fmt: skip
    assert '"words": ["卡纸"]} -> {' in trail[1].detail  # before -> after
    assert {row.user_id for row in trail} == {api.ok("GET", "/me", "zhangwei")["user"]["id"]}


def test_an_agent_may_read_but_not_change_the_table(api: Api) -> None:
    refused = api.call("POST", "/kb/synonyms", "wangfang", {"spoken": "夹纸", "words": ["卡纸"]})
    assert refused.status_code == 403
    assert refused.json()["code"] == ErrorCode.FORBIDDEN
    assert api.ok("GET", "/kb/synonyms", "wangfang") == []


def test_bad_entries_are_refused_naming_the_field(api: Api) -> None:
    for body, field in (
        ({"spoken": "夹\x00纸", "words": ["卡纸"]}, "spoken"),
        ({"spoken": "夹纸", "words": []}, "words"),
        ({"spoken": "夹纸", "words": [" "]}, "words"),
        ({"spoken": "卡纸", "words": ["卡纸"]}, "words"),  # only itself
        ({"spoken": "x" * 41, "words": ["卡纸"]}, "spoken"),
        ({"spoken": "ﷺﷺﷺ", "words": ["卡纸"]}, "spoken"),  # 3 characters, 54 once folded
        ({"spoken": "的", "words": ["卡纸"]}, "spoken"),  # a stopword: in every query
        ({"spoken": "卡", "words": ["卡纸"]}, "spoken"),  # one character: too much
        ({"spoken": "x", "words": ["卡纸"]}, "spoken"),
        ({"spoken": "哐哐", "words": ["的"]}, "words"),
        ({"spoken": "哐哐", "words": ["！！"]}, "words"),  # nothing to search for
    ):
        answer = api.call("POST", "/kb/synonyms", "zhangwei", body)
        assert answer.status_code == 422, (body, answer.text)
        assert field in answer.text, (body, answer.text)
    api.ok("POST", "/kb/synonyms", "zhangwei", {"spoken": "夹纸", "words": ["卡纸"]})
    twice = api.call("POST", "/kb/synonyms", "zhangwei", {"spoken": "夹纸", "words": ["进纸"]})
    assert twice.status_code == 409
    assert twice.json()["code"] == ErrorCode.DUPLICATE
    assert twice.json()["field"] == "spoken"
