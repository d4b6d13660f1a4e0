"""Verify-on-file on the server (issue 27), on SQLite and PostgreSQL: the identity checks an
agent ticked are stored with the interaction and come back with it (answer, feed, batch); the
centre's rule (desk settings) makes the server refuse an address change without them."""

from __future__ import annotations

from typing import Any

from tests.integration.conftest import SEEDED_AT, Api


def a_customer(api: Api) -> dict[str, Any]:
    return api.ok("GET", "/customers", "wangfang")[0]  # type: ignore[no-any-return]


def call_record(customer_id: int, checks: list[str]) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "kind": "call_in",
        "started_at": SEEDED_AT.isoformat(),
        "ended_at": SEEDED_AT.isoformat(),
        "disposition": "info",
        "checks": checks,
    }


def test_the_ticks_are_saved_with_the_interaction(api: Api) -> None:
    customer = a_customer(api)
    made = api.ok(
        "POST", "/interactions", "wangfang", call_record(customer["id"], ["name", "serial"])
    )
    assert made["checks"] == ["name", "serial"]
    feed = api.ok("GET", "/changes", "wangfang", since=0, limit=1000)
    kept = [c for c in feed["changes"] if c["entity"] == "interaction" and c["id"] == made["id"]]
    assert kept[-1]["data"]["checks"] == ["name", "serial"]
    # Through a batch (the fast lane) as the desk's outbox sends it.
    batch = api.ok(
        "POST",
        "/batch",
        "wangfang",
        {
            "operations": [
                {
                    "method": "POST",
                    "path": "/interactions",
                    "body": call_record(customer["id"], ["phone"]),
                    "key": "verify-on-file-1",
                }
            ]
        },
    )
    assert batch["results"][0]["body"]["checks"] == ["phone"]
    # Nothing ticked, or a desk before 1.6: none.
    bare = call_record(customer["id"], [])
    del bare["checks"]
    assert api.ok("POST", "/interactions", "wangfang", bare)["checks"] == []
    # Only the known checks.
    assert (
        api.call(
            "POST", "/interactions", "wangfang", call_record(customer["id"], ["dob"])
        ).status_code
        == 422
    )


def test_an_address_change_needs_the_required_checks(api: Api) -> None:
    settings = api.ok("GET", "/desk-settings", "admin")
    bad = settings | {"required_checks": {"order_taking": ["name"]}}
    assert api.call("PUT", "/desk-settings", "admin", bad).status_code == 422
    rule = settings | {"required_checks": {"address_change": ["name", "address"]}}
    stored = api.ok("PUT", "/desk-settings", "admin", rule)
    assert stored["required_checks"] == {"address_change": ["name", "address"]}
    assert (
        api.ok("GET", "/desk-settings", "wangfang")["required_checks"] == stored["required_checks"]
    )

    customer = a_customer(api)
    path = f"/customers/{customer['id']}"
    move = {"version": customer["version"], "address": "上海市浦东新区世纪大道 1 号"}
    refused = api.call("PATCH", path, "wangfang", move | {"checks": ["name"]})
    assert refused.status_code == 422
    assert refused.json()["code"] == "checks_required"
    assert refused.json()["field"] == "checks"
    assert "address" in refused.json()["message"]
    assert api.call("PATCH", path, "wangfang", move).status_code == 422  # a desk before 1.6
    # Other fields need no checks; the address with them does.
    notes = api.ok("PATCH", path, "wangfang", {"version": customer["version"], "notes": "x"})
    moved = api.ok(
        "PATCH",
        path,
        "wangfang",
        move | {"version": notes["version"], "checks": ["address", "name"]},
    )
    assert moved["address"] == move["address"]
    assert "checks" not in moved
