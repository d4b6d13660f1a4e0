"""Change-feed pulls take turns, so that writes never queue behind them.

After an outage every desk pushes its backlog and then pulls the feed, within seconds of the
others. Each pull is a sync route: it holds a thread of the pool, a database connection and the
process's interpreter while it signs the caller in, reads the head and writes its page, and a
herd of them left the writes (the agent's work, and the figure the centre is judged on) waiting
for the same threads, connections and cores. A desk does not wait on its pull (the engine pulls
in the background, after its push), so the pull is what can wait.

``PullGate`` lets ``at_once`` pulls run in a process; the others wait here, on the event loop,
before any dependency runs (holding no thread and no connection), and go in arrival order. If
more than ``waiting`` are already waiting, the pull is answered 503 ``server_busy`` with
``Retry-After`` (the answer the desk already takes as "come back shortly": its engine keeps its
cursor and tries again on its backoff; tests/sync/test_pull_busy.py).

Plain ASGI, like ``api.gate.Gate``: no task per request and nothing on the streams' path.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

from server_stub.api.errors import error_response
from sync.contract.errors import ErrorCode
from sync.contract.wire import API_PREFIX

PULL_PATH = f"{API_PREFIX}/changes"


class PullGate:
    def __init__(self, app: ASGIApp, at_once: int, waiting: int) -> None:
        self.app = app
        self.at_once = at_once
        self.waiting_max = waiting
        self.running = 0
        self.waiting = 0
        self.refused = 0  # pulls answered 503 (tests)
        self.peak = 0  # the most pulls that ran at once (tests)
        self._turns: asyncio.Semaphore | None = None  # made on the server's loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PULL_PATH or self.at_once <= 0:
            await self.app(scope, receive, send)
            return
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.at_once)
        turns = self._turns
        if turns.locked() and self.waiting >= self.waiting_max:
            self.refused += 1
            answer = error_response(
                503, ErrorCode.SERVER_BUSY, "The server is busy; the request will be sent again."
            )
            answer.headers["Retry-After"] = "1"
            await answer(scope, receive, send)
            return
        self.waiting += 1
        try:
            await turns.acquire()
        finally:
            self.waiting -= 1
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            await self.app(scope, receive, send)
        finally:
            self.running -= 1
            turns.release()
