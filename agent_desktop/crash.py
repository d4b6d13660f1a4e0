"""Last-resort exception hook: log every uncaught exception, report each distinct one once.

Tells our bugs from the user's environment (STYLE habit 2): expected failures are handled where
they happen and never get here; what does get here is a bug, logged with its traceback.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

log = logging.getLogger(__name__)


class CrashReporter:
    def __init__(self, report: Callable[[str, str], None]) -> None:
        """``report(summary, details)`` is called once per distinct traceback."""
        self._report = report
        self._seen: set[str] = set()
        self.count = 0
        self._previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self.hook

    def uninstall(self) -> None:
        sys.excepthook = self._previous

    def hook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous(kind, error, tb)
            return
        self.count += 1
        details = "".join(traceback.format_exception(kind, error, tb))
        log.error("uncaught exception:\n%s", details)
        frames = traceback.extract_tb(tb)
        fingerprint = hashlib.sha1(
            repr([(f.filename, f.lineno) for f in frames] + [kind.__name__]).encode(),
            usedforsecurity=False,
        ).hexdigest()
        if fingerprint in self._seen:
            return
        self._seen.add(fingerprint)
        self._report(f"{kind.__name__}: {error}", details)
