"""Each inbound call's customer's next inbound call (``interactions.next_call_at``, migration
0018): first-contact resolution in the reports is then a test on the call's own row (no next
call within 7 days) instead of a probe for every call of a year.

Kept at write time: whenever an inbound call of a customer is written, or a call moves from
one customer to another, that customer's inbound calls are linked again (one UPDATE by the
index on (customer_id, started_at); a customer has a few calls, and a late write from a desk
that was offline lands in its place like any other).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Connection, Table, func, select, update

from server_stub.models import InteractionRow

_CALLS = cast(Table, InteractionRow.__table__)


def _next_of(outer: Any) -> Any:
    later = _CALLS.alias("later").c
    return (
        select(func.min(later.started_at))
        .where(
            later.customer_id == outer.customer_id,
            later.kind == "call_in",
            later.started_at > outer.started_at,
        )
        .scalar_subquery()
    )


def relink(connection: Connection, customer_ids: Iterable[int | None]) -> None:
    """Set ``next_call_at`` on every inbound call of these customers."""
    wanted = sorted({c for c in customer_ids if c is not None})
    if not wanted:
        return
    c = _CALLS.c
    connection.execute(
        update(_CALLS)
        .where(c.customer_id.in_(wanted), c.kind == "call_in")
        .values(next_call_at=_next_of(c))
    )


def relink_all(connection: Connection) -> None:
    """Every customer's calls at once (the migration's backfill, a generated history)."""
    c = _CALLS.c
    connection.execute(
        update(_CALLS)
        .where(c.customer_id.is_not(None), c.kind == "call_in")
        .values(next_call_at=_next_of(c))
    )
