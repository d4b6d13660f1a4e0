"""Each team's offered calls per interval over its last year, kept a few minutes in the server
process: counting a year of a busy line's calls costs most of a second (``bench_wfm_routes``),
and a lead moving between the forecast, the staffing and a proposal asks for the same year
again and again. A call synced late from an offline desk counts once the entry expires (at most
``ttl`` later); the forecast plans weeks ahead, where minutes do not matter."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime, timedelta

History = dict[date, list[int]]
TTL = timedelta(minutes=5)
MAX_ENTRIES = 64  # teams × days asked within the TTL; the oldest goes first


class OfferedHistoryCache:
    def __init__(self, ttl: timedelta = TTL, max_entries: int = MAX_ENTRIES) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._kept: OrderedDict[tuple[int, date, date], tuple[datetime, History]] = OrderedDict()
        self._lock = threading.Lock()  # routes run on the thread pool

    def get(
        self, team_id: int, first: date, last: date, now: datetime, load: Callable[[], History]
    ) -> History:
        """The kept history, or ``load()``'s (kept from ``now``). Callers must not change it."""
        key = (team_id, first, last)
        with self._lock:
            found = self._kept.get(key)
            if found is not None and now - found[0] < self._ttl:
                return found[1]
        loaded = load()  # outside the lock: two first askers may both load; both are right
        with self._lock:
            self._kept[key] = (now, loaded)
            self._kept.move_to_end(key)
            while len(self._kept) > self._max:
                self._kept.popitem(last=False)
        return loaded
