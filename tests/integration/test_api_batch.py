"""POST /batch: a desk's outbox in one request, each operation answered as it would be alone."""

from __future__ import annotations

from typing import Any

from server_stub.auth import disable_user
from server_stub.models import AuditRow, UserRow
from sync.contract.wire import MAX_BATCH_OPERATIONS
from tests.integration.conftest import Api


def customer_body(api: Api, code: str, user: str = "wangfang", **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"客户 {code}",
        "team_id": api.team_of(user),
        "contacts": [{"name": "林医生", "phone": "+86 139 2345 6789"}],
        **extra,
    }


def batch(api: Api, user: str, operations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    answer = api.call("POST", "/batch", user, {"operations": operations})
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert len(results) == len(operations)
    return results  # type: ignore[no-any-return]


def codes(api: Api, user: str = "wangfang") -> list[str]:
    return sorted(c["code"] for c in api.ok("GET", "/customers", user, limit=500))


def test_mixed_outcomes_each_answered_the_others_applied(api: Api) -> None:
    existing = api.ok("POST", "/customers", "wangfang", customer_body(api, "B-OLD"))
    api.ok("PATCH", f"/customers/{existing['id']}", "wangfang", {"version": 1, "vip": True})
    other_team = api.team_of("lina")
    operations = [
        {"method": "POST", "path": "/customers", "key": "k1", "body": customer_body(api, "B-1")},
        {  # a phone number that is none: 422 naming the field
            "method": "POST",
            "path": "/customers",
            "key": "k2",
            "body": customer_body(api, "B-2", contacts=[{"name": "x", "phone": "abc"}]),
        },
        {  # a stale version: 409 with the current record
            "method": "PATCH",
            "path": f"/customers/{existing['id']}",
            "key": "k3",
            "body": {"version": 1, "notes": "旧版本"},
        },
        {  # another team's: 403
            "method": "POST",
            "path": "/customers",
            "key": "k4",
            "body": customer_body(api, "B-4", team_id=other_team),
        },
        {"method": "PATCH", "path": "/customers/999999", "key": "k5", "body": {"version": 1}},
        {"method": "POST", "path": "/customers", "key": "k6", "body": customer_body(api, "B-6")},
        {"method": "POST", "path": "/nowhere", "key": "k7", "body": {}},
    ]
    results = batch(api, "wangfang", operations)
    assert [r["status"] for r in results] == [201, 422, 409, 403, 404, 201, 404]
    assert results[0]["body"]["code"] == "B-1"
    assert results[1]["body"]["field"] == "contacts.0.phone"
    assert results[2]["body"]["code"] == "version_conflict"
    assert results[2]["body"]["current"]["version"] == 2
    assert results[3]["body"]["code"] == "forbidden"
    assert results[4]["body"]["code"] == "not_found"
    assert codes(api) == sorted(["B-OLD", "B-1", "B-6", *seeded(api)])
    # The refusal is audited, as a single request's is, though its operation was rolled back.
    with api.database.session() as session:
        denied = [a for a in session.query(AuditRow).all() if not a.allowed]
    assert any("another team" in a.detail for a in denied)


def seeded(api: Api) -> list[str]:
    return [c for c in codes(api) if not c.startswith("B-")]


def test_a_batch_sent_again_gets_the_same_answers_and_creates_nothing_twice(api: Api) -> None:
    before = codes(api)
    operations = [
        {
            "method": "POST",
            "path": "/customers",
            "key": f"r{i}",
            "body": customer_body(api, f"R-{i}"),
        }
        for i in range(5)
    ]
    operations.insert(2, {"method": "POST", "path": "/customers", "key": "bad", "body": {}})
    first = batch(api, "wangfang", operations)
    again = batch(api, "wangfang", operations)  # the answer was lost: the desk sends it again
    assert [r["status"] for r in first] == [201, 201, 422, 201, 201, 201]
    assert [r["body"] for r in again if r["status"] == 201] == [
        r["body"] for r in first if r["status"] == 201
    ]
    assert [r["replayed"] for r in again] == [True, True, False, True, True, True]
    assert len(codes(api)) == len(before) + 5
    # A write sent alone whose answer was lost, then in a batch: the same request, replayed.
    alone = customer_body(api, "R-ALONE")
    single = api.call("POST", "/customers", "wangfang", alone, key="alone-1")
    assert single.status_code == 201
    (replayed,) = batch(
        api, "wangfang", [{"method": "POST", "path": "/customers", "key": "alone-1", "body": alone}]
    )
    assert replayed == {"status": 201, "body": single.json(), "replayed": True}
    assert len(codes(api)) == len(before) + 6


def test_the_same_key_on_another_body_is_refused(api: Api) -> None:
    body = customer_body(api, "K-1")
    (first,) = batch(
        api, "wangfang", [{"method": "POST", "path": "/customers", "key": "same", "body": body}]
    )
    assert first["status"] == 201
    (reused,) = batch(
        api,
        "wangfang",
        [{"method": "POST", "path": "/customers", "key": "same", "body": {**body, "name": "x"}}],
    )
    assert reused["status"] == 422
    assert reused["body"]["code"] == "idempotency_key_reused"


def test_too_big_a_batch_is_refused_with_a_clear_error(api: Api) -> None:
    operation = {"method": "PUT", "path": "/presence/me", "body": {"state": "ready"}}
    answer = api.call(
        "POST", "/batch", "wangfang", {"operations": [operation] * (MAX_BATCH_OPERATIONS + 1)}
    )
    assert answer.status_code == 422
    assert answer.json()["field"] == "operations"
    assert str(MAX_BATCH_OPERATIONS) in answer.json()["message"]
    big = {"method": "POST", "path": "/customers", "body": {"notes": "x" * 1_100_000}}
    answer = api.call("POST", "/batch", "wangfang", {"operations": [big]})
    assert answer.status_code == 413
    assert answer.json()["code"] == "body_too_large"


def test_sign_in_is_checked_once_for_the_batch_and_sign_out_is_not_batched(api: Api) -> None:
    operation = {"method": "PUT", "path": "/presence/me", "body": {"state": "ready"}}
    answer = api.client.post(
        "/api/v1/batch",
        json={"operations": [operation]},
        headers={"Authorization": "Bearer nonsense"},
    )
    assert answer.status_code == 401
    (logout,) = batch(api, "wangfang", [{"method": "POST", "path": "/auth/logout"}])
    assert logout["status"] == 400
    assert api.call("GET", "/me", "wangfang").status_code == 200


def test_revocation_takes_effect_at_once_despite_the_cache(api: Api) -> None:
    assert api.call("GET", "/me", "wangfang").status_code == 200  # resolved, now cached
    assert api.call("POST", "/auth/logout", "wangfang").status_code == 204
    assert api.call("GET", "/me", "wangfang").status_code == 401
    api.tokens.pop("wangfang")
    assert api.call("GET", "/me", "wangfang").status_code == 200  # a new sign-in
    with api.database.session() as session:
        user_id = session.query(UserRow.id).filter(UserRow.username == "wangfang").scalar()
        disable_user(session, user_id, api.client.app.state.revocations.cache)  # type: ignore[attr-defined]
    assert api.call("GET", "/me", "wangfang").status_code == 401
