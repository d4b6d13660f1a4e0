"""The change feed (catch up after days offline) and the event stream (live, resumable)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server_stub.api.deps import Caller, DbSession, current_caller, require, token_of
from server_stub.api.routes.common import bad_field
from server_stub.broker import EventBroker, read_page
from server_stub.clock import Clock
from server_stub.core.db import Database
from server_stub.feed_tail import FeedTail, render
from server_stub.models import ChangeRow, EventRow
from server_stub.visibility import Scope
from sync.contract.wire import ChangesPage

router = APIRouter(tags=["sync"])
# Desks read the feed and the events; a field engineer's account reads neither.
FeedReader = Annotated[Caller, Depends(require("feed.read"))]

FEED_PAGE_MAX = 1000
# A page's columns: the record as JSON text (``page_json``), on SQLite and PostgreSQL alike.
_PAGE_COLUMNS = (
    ChangeRow.seq,
    ChangeRow.entity,
    ChangeRow.entity_id,
    ChangeRow.op,
    ChangeRow.version,
    cast(ChangeRow.data, Text),
)
# What the feed tail keeps of a row (``feed_tail.RawRow``).
_TAIL_COLUMNS = (
    ChangeRow.seq,
    ChangeRow.entity,
    ChangeRow.entity_id,
    ChangeRow.team_id,
    ChangeRow.user_id,
    ChangeRow.op,
    ChangeRow.version,
    cast(ChangeRow.data, Text),
)
# Change and event ids are 32-bit columns on PostgreSQL: a larger cursor is a client error
# (422), never an overflow in the query (500).
EVENT_ID_MAX = 2_147_483_647
KEEPALIVE_S = 15.0
# The end of a stream that fell too far behind: reconnect soon, from the last id (``id:`` for
# browsers' EventSource; our desks resume from the last event they read).
RESYNC = "retry: 250\nid: {last}\n: resync: this stream fell behind; reconnect to catch up\n\n"


@router.get("/changes", response_model=ChangesPage)
def changes(
    request: Request,
    caller: FeedReader,
    session: DbSession,
    after: Annotated[int, Query(ge=0, le=EVENT_ID_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=FEED_PAGE_MAX)] = 500,
    count: Annotated[bool, Query(description="also count the changes still to come")] = False,
) -> Response:
    """Records changed after ``after`` that the caller may see, tombstones included.

    Page with the returned ``cursor`` until ``has_more`` is false; keep the cursor for next
    time. Rows the caller may not see are skipped but still move the cursor on.
    """
    high = int(session.scalar(select(func.max(ChangeRow.seq))) or 0)
    scope = Scope.of(caller)
    tail: FeedTail = request.app.state.feed_tail
    return Response(
        feed_page(tail, session, scope, after, high, limit, count), media_type="application/json"
    )


def feed_page(
    tail: FeedTail, session: Session, scope: Scope, after: int, high: int, limit: int, count: bool
) -> bytes:
    """The page of rows ``scope`` may see in ``(after, high]``: from this process's memory
    (``server_stub/feed_tail.py``) when it keeps them, else from the database; the same bytes
    either way (``tests/integration/test_feed_tail.py``)."""

    def read(top: int, upto: int) -> Iterable[Sequence[Any]]:
        return session.execute(
            select(*_TAIL_COLUMNS)
            .where(ChangeRow.seq > top, ChangeRow.seq <= upto)
            .order_by(ChangeRow.seq)
        )

    kept = tail.page(scope, after, high, limit, read, count=count)
    if kept is None:
        return database_page(session, scope, after, high, limit, count)
    has_more = len(kept.rows) > limit
    shown = kept.rows[:limit]
    # The head, also for a cursor beyond it (``database_page``).
    cursor = shown[-1].seq if has_more else high
    return page_text([r.text for r in shown], cursor, has_more, kept.remaining)


def database_page(
    session: Session, scope: Scope, after: int, high: int, limit: int, count: bool
) -> bytes:
    """The page as the database gives it: rows above ``after`` up to ``high``."""
    rows = list(
        session.execute(
            select(*_PAGE_COLUMNS)
            .where(
                ChangeRow.seq > after,
                ChangeRow.seq <= high,
                *scope.clauses(ChangeRow.team_id, ChangeRow.user_id),
            )
            .order_by(ChangeRow.seq)
            .limit(limit + 1)
        )
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    # The head, also for a cursor beyond it. No feed row is deleted and none is numbered at or
    # below a head a reader saw, so such a cursor was handed out by a database this one is not:
    # one restored from a backup taken after the desk's last pull (or another server's). Kept,
    # the desk would skip every row written here until the numbering passed it; answered with
    # the head, it takes every row written since the restore.
    cursor = int(rows[-1][0]) if has_more else high
    remaining = None
    if count:  # for a progress bar ("12,000 of 80,000"): one indexed count, asked for once
        remaining = int(
            session.scalar(
                select(func.count())
                .select_from(ChangeRow)
                .where(
                    ChangeRow.seq > cursor,
                    ChangeRow.seq <= high,
                    *scope.clauses(ChangeRow.team_id, ChangeRow.user_id),
                )
            )
            or 0
        )
    return page_json(rows, cursor, has_more, remaining)


def page_json(
    rows: Sequence[Sequence[Any]], cursor: int, has_more: bool, remaining: int | None
) -> bytes:
    """A ``ChangesPage`` as JSON, each record as the database keeps its JSON text.

    Parsing every record into dicts only to validate and serialise them again was most of a
    page's cost (about 55 µs a row on this machine), and a desk back from an outage pulls
    hundreds of rows at once. The text is the server's own (written from validated records),
    and the desk validates the page as before; ``tests/integration/test_feed_page.py`` checks
    it equals the models' own serialisation."""
    return page_text([render(*row) for row in rows], cursor, has_more, remaining)


def page_text(changes: list[str], cursor: int, has_more: bool, remaining: int | None) -> bytes:
    """A page around its changes, each already written (``feed_tail.render``)."""
    tail = "null" if remaining is None else str(int(remaining))
    return (
        f'{{"changes":[{",".join(changes)}],"cursor":{int(cursor)},'
        f'"has_more":{"true" if has_more else "false"},"remaining":{tail}}}'
    ).encode()


def _event_id(sent: str) -> int:
    """The id in a Last-Event-ID header: ASCII digits we could have sent (``str.isdigit``
    also takes "²" and "٣", and a header arrives as Latin-1, so odd bytes look like those)."""
    if not re.fullmatch(r"[0-9]{1,10}", sent) or int(sent) > EVENT_ID_MAX:
        raise bad_field("Last-Event-ID", "must be the id of an event this server sent")
    return int(sent)


def _stream_caller(request: Request, database: Database) -> tuple[Caller, int]:
    """The caller of an event stream, signed in with one short session on one thread, and the
    newest event id in the database.

    Not the usual dependencies: they take a connection on one pool thread and give it back on
    others, so a burst of desks reconnecting at once (more than the pool has connections)
    could leave every pool thread waiting for a connection held by a request that waits for
    a thread. The stream itself then holds no connection."""
    clock: Clock = request.app.state.clock
    with database.session() as session:
        caller = current_caller(request, session, token_of(request), clock, None)
        caller = require("feed.read")(request, caller, session, clock)
        return caller, int(session.scalar(select(func.max(EventRow.id))) or 0)


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def events(
    request: Request,
    after: Annotated[int | None, Query(ge=0, le=EVENT_ID_MAX)] = None,
    timeout_s: Annotated[float, Query(gt=0, le=3600)] = 300.0,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Server-sent events: presence, queue counters, escalations, questions, grants.

    Resume with the ``Last-Event-ID`` header (browsers and SSE clients send it) or ``after``;
    with neither, the stream starts with what happens from now on. The server closes the
    stream after ``timeout_s``; clients reconnect with the last id, losing nothing. A client
    that falls far behind is sent a resync (``: resync``) and the stream ends: it reconnects
    with its last id and catches up.
    """
    database: Database = request.app.state.database
    broker: EventBroker = request.app.state.broker
    caller, newest = await run_in_threadpool(_stream_caller, request, database)
    start = after
    if start is None and last_event_id is not None and last_event_id.strip():
        start = _event_id(last_event_id.strip())
    if start is not None and start > newest:
        # An id this database never committed (a desk saw it, so it had committed there): the
        # database was restored from a backup taken before it. Resume from the newest event
        # here, so the events raised since the restore, numbered at or below the desk's id,
        # are not skipped. (Not the broker's ``last_id``: another instance's broker may be
        # ahead of this one's for a moment, and its ids are in the database.)
        start = newest
    audience = Scope.of(caller)
    # Subscribed before the catch-up reads: every event after ``horizon`` reaches the queue,
    # every one up to it is in the database.
    subscription = broker.subscribe(audience)
    horizon = broker.last_id
    if start is None:
        start = horizon

    async def stream() -> AsyncIterator[bytes | str]:
        last = start  # the last id sent (or skipped as not the caller's): never send it again
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        try:
            yield f"retry: 2000\n: resuming after {last}\n\n"
            while last < horizon:  # catch up from the database, a page at a time
                page = await run_in_threadpool(
                    read_page, database, last, upto=horizon, audience=audience
                )
                last = page.scanned_to
                if page.frames:
                    yield b"".join(f.data for f in page.frames)
                if not page.full:
                    break
            last = max(last, horizon)
            while not broker.closing and loop.time() < deadline:
                frames = await subscription.take(min(KEEPALIVE_S, deadline - loop.time()))
                if subscription.overflowed:
                    yield RESYNC.format(last=last)
                    return
                if subscription.closed:
                    return
                fresh = [f.data for f in frames if f.id > last]
                if fresh:
                    last = frames[-1].id
                    yield b"".join(fresh)
                elif not frames and not await request.is_disconnected():
                    yield ": keep-alive\n\n"
        finally:
            broker.unsubscribe(subscription)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
