"""The reports' summaries recomputed in the background (issue 21).

Every write to ``interactions`` marks its quarter hour dirty (``server_stub.reports.rollup``)
and a report recomputes the marked ones before it reads. Left to reports alone, a centre where
nobody opens one for weeks would keep a mark per call written and the next report would pay
for all of them; this round recomputes them every few minutes instead, so the marks stay few
and the morning's first report is quick. Several processes may run it: refreshes take turns
(``rollup.refresh``).
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool

from server_stub.core.db import Database
from server_stub.periodic import Periodic
from server_stub.reports.rollup import refresh

log = logging.getLogger(__name__)

EVERY_S = 300.0


class SummaryKeeper:
    def __init__(self, database: Database, every_s: float = EVERY_S) -> None:
        self._database = database
        self._every_s = every_s
        self._rounds = Periodic(
            "report-summaries",
            every_s,
            lambda: run_in_threadpool(self.round),
            failed="recomputing the reports' summaries failed",
        )

    def round(self) -> int:
        """Recompute the dirty quarter hours now; how many there were."""
        done = refresh(self._database.engine)
        if done:
            log.info("reports: %d quarter hours recomputed", done)
        return done

    async def start(self) -> None:
        if self._every_s > 0:
            self._rounds.start()

    async def stop(self) -> None:
        await self._rounds.stop()
