"""A round of background work repeated on the server's event loop (the SLA sweeper, the
snapshot keeper, the demo caller): started and stopped by the app's lifespan; a round that
fails is logged and the next one tries again, so a database blip never ends the work."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Periodic:
    def __init__(
        self,
        name: str,
        every_s: float,
        round_: Callable[[], Awaitable[object]],
        *,
        failed: str,
        after_failure: Callable[[], None] = lambda: None,
    ) -> None:
        self._name = name
        self._every_s = every_s
        self._round = round_
        self._failed = failed  # what the log says when a round raises
        self._after_failure = after_failure
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self._name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self._round()
            except Exception:
                log.warning("%s; next try in %.0f s", self._failed, self._every_s, exc_info=True)
                self._after_failure()
            await asyncio.sleep(self._every_s)
