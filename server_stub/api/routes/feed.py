"""The change feed (catch up after days offline) and the event stream (live, resumable)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from server_stub.api.deps import Caller, DbSession, require
from server_stub.api.routes.common import bad_field
from server_stub.clock import utc
from server_stub.core.db import Database
from server_stub.events import EventHub
from server_stub.models import ChangeRow, EventRow
from server_stub.visibility import Scope
from sync.contract.wire import ChangeOut, ChangesPage, EventOut

router = APIRouter(tags=["sync"])
# Desks read the feed and the events; a field engineer's account reads neither.
FeedReader = Annotated[Caller, Depends(require("feed.read"))]

FEED_PAGE_MAX = 1000
# Change and event ids are 32-bit columns on PostgreSQL: a larger cursor is a client error
# (422), never an overflow in the query (500).
EVENT_ID_MAX = 2_147_483_647
KEEPALIVE_S = 15.0


@router.get("/changes", response_model=ChangesPage)
def changes(
    caller: FeedReader,
    session: DbSession,
    after: Annotated[int, Query(ge=0, le=EVENT_ID_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=FEED_PAGE_MAX)] = 500,
    count: Annotated[bool, Query(description="also count the changes still to come")] = False,
) -> ChangesPage:
    """Records changed after ``after`` that the caller may see, tombstones included.

    Page with the returned ``cursor`` until ``has_more`` is false; keep the cursor for next
    time. Rows the caller may not see are skipped but still move the cursor on.
    """
    high = int(session.scalar(select(func.max(ChangeRow.seq))) or 0)
    rows = list(
        session.scalars(
            select(ChangeRow)
            .where(
                ChangeRow.seq > after,
                ChangeRow.seq <= high,
                *Scope.of(caller).clauses(ChangeRow.team_id, ChangeRow.user_id),
            )
            .order_by(ChangeRow.seq)
            .limit(limit + 1)
        )
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    cursor = rows[-1].seq if has_more else max(high, after)
    remaining = None
    if count:  # for a progress bar ("12,000 of 80,000"): one indexed count, asked for once
        remaining = int(
            session.scalar(
                select(func.count())
                .select_from(ChangeRow)
                .where(
                    ChangeRow.seq > cursor,
                    ChangeRow.seq <= high,
                    *Scope.of(caller).clauses(ChangeRow.team_id, ChangeRow.user_id),
                )
            )
            or 0
        )
    return ChangesPage(
        changes=[
            ChangeOut(
                seq=r.seq,
                entity=r.entity,
                id=r.entity_id,
                op=r.op,  # type: ignore[arg-type]
                version=r.version,
                data=r.data,
            )
            for r in rows
        ],
        cursor=cursor,
        has_more=has_more,
        remaining=remaining,
    )


def _event_id(sent: str) -> int:
    """The id in a Last-Event-ID header: ASCII digits we could have sent (``str.isdigit``
    also takes "²" and "٣", and a header arrives as Latin-1, so odd bytes look like those)."""
    if not re.fullmatch(r"[0-9]{1,10}", sent) or int(sent) > EVENT_ID_MAX:
        raise bad_field("Last-Event-ID", "must be the id of an event this server sent")
    return int(sent)


def _events_after(database: Database, caller: Caller, after: int) -> list[EventOut]:
    with database.session() as session:
        rows = session.scalars(
            select(EventRow)
            .where(
                EventRow.id > after, *Scope.of(caller).clauses(EventRow.team_id, EventRow.user_id)
            )
            .order_by(EventRow.id)
            .limit(500)
        )
        return [EventOut(id=r.id, kind=r.kind, at=utc(r.at), data=r.data) for r in rows]


def _latest_event_id(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.max(EventRow.id))) or 0)


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def events(
    request: Request,
    caller: FeedReader,
    after: Annotated[int | None, Query(ge=0, le=EVENT_ID_MAX)] = None,
    timeout_s: Annotated[float, Query(gt=0, le=3600)] = 300.0,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Server-sent events: presence, queue counters, escalations, questions, grants.

    Resume with the ``Last-Event-ID`` header (browsers and SSE clients send it) or ``after``;
    with neither, the stream starts with what happens from now on. The server closes the
    stream after ``timeout_s``; clients reconnect with the last id, losing nothing.
    """
    database: Database = request.app.state.database
    hub: EventHub = request.app.state.event_hub
    start = after
    if start is None and last_event_id is not None and last_event_id.strip():
        start = _event_id(last_event_id.strip())
    if start is None:
        start = await run_in_threadpool(_latest_event_id, database)

    async def stream() -> AsyncIterator[str]:
        last = start
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        yield f"retry: 2000\n: resuming after {last}\n\n"
        while not hub.closing and loop.time() < deadline and not await request.is_disconnected():
            batch = await run_in_threadpool(_events_after, database, caller, last)
            for event in batch:
                last = event.id
                payload = json.dumps(event.model_dump(mode="json"), ensure_ascii=False)
                yield f"id: {event.id}\nevent: {event.kind}\ndata: {payload}\n\n"
            if not batch:
                await hub.wait(min(KEEPALIVE_S, max(0.0, deadline - loop.time())))
                if not hub.closing and not await request.is_disconnected():
                    yield ": keep-alive\n\n"

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
