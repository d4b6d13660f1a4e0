"""``POST /presence/heartbeat`` (contract 1.4): a signed-in desk says it is alive.

Cheap on purpose: 400 desks send one every quarter of the timeout. The token is resolved from
the process's cache (``server_stub.auth_cache``; the database only on a miss, on the thread
pool) and the heartbeat is noted in memory (``server_stub.presence_alive.SeenBook``), which
each process writes in one batched UPDATE every few seconds. Not part of the batch route's
table: it is no outbox write, and it answers on the event loop.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from server_stub.api.deps import authenticated, permissions_of, token_of
from server_stub.api.errors import ApiProblem
from server_stub.auth import token_digest
from server_stub.auth_cache import AuthCache, Resolved
from server_stub.clock import Clock
from server_stub.core.db import Database
from server_stub.presence_alive import Beat, PresenceWatch
from sync.contract.alive import HEARTBEAT_ROUTE, HeartbeatIn, HeartbeatOut
from sync.contract.errors import ErrorCode

router = APIRouter(tags=["people, presence and queues"])
# When the server does not watch (timeout 0): desks may ask again this much later.
_IDLE_INTERVAL_S = 300.0


def _resolve(request: Request, token: str) -> Resolved:
    database: Database = request.app.state.database
    clock: Clock = request.app.state.clock
    with database.session() as session:
        return authenticated(request, session, token, clock.now())


@router.post(HEARTBEAT_ROUTE, response_model=HeartbeatOut)
async def heartbeat(body: HeartbeatIn, request: Request) -> HeartbeatOut:
    """The desk is alive, in the state it last reported. Answers how often to say so."""
    clock: Clock = request.app.state.clock
    watch: PresenceWatch = request.app.state.presence_watch
    cache: AuthCache = request.app.state.revocations.cache
    token = token_of(request)
    now = clock.now()
    found = cache.get(token_digest(token))
    if found is None or found.expires_at <= now:
        found = await run_in_threadpool(_resolve, request, token)
    if "presence.set" not in permissions_of(found):
        # Not audited: a desk that may not set presence (a field engineer's) is told once
        # and stops; an audit row per heartbeat would be the write this route avoids.
        raise ApiProblem(403, ErrorCode.FORBIDDEN, "Your role does not report presence.")
    if not watch.enabled:
        return HeartbeatOut(interval_s=_IDLE_INTERVAL_S, timeout_s=0)
    watch.note(found.user.id, Beat(now, body.state, body.reason, body.sip_uri))
    return HeartbeatOut(interval_s=watch.interval_s, timeout_s=watch.timeout.total_seconds())
