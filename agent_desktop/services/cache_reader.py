"""A read-only connection to the signed-in user's cache file, for one worker thread.

The screen pop's and the work lists' reads each run on a thread of their own with views of
their own (SQLite in WAL: they never wait for the writer). The views are reopened when the
cache file changes (another user signed in) and closed with their service.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Generic, Protocol, TypeVar


class Closable(Protocol):
    def close(self) -> None: ...


class HasCache(Protocol):
    @property
    def cache(self) -> object | None: ...


V = TypeVar("V", bound=Closable)


class CacheReader(Generic[V]):
    def __init__(self, sync: HasCache, open_views: Callable[[Path], V]) -> None:
        self._sync = sync
        self._open = open_views
        self._views: V | None = None
        self._path: Path | None = None

    def views(self) -> V | None:
        """The views on the current cache file (None when signed out). Worker thread only."""
        cache = self._sync.cache
        path = getattr(cache, "path", None)
        if not isinstance(path, Path):
            return None
        if self._views is None or self._path != path:
            self.close()
            self._views, self._path = self._open(path), path
        return self._views

    def close(self) -> None:
        if self._views is not None:
            self._views.close()
            self._views = None
