from __future__ import annotations

import sys

from agent_desktop.crash import CrashReporter


def raise_here() -> None:
    raise ValueError("boom")


def test_each_distinct_bug_is_reported_once() -> None:
    reports: list[str] = []
    reporter = CrashReporter(lambda summary, _details: reports.append(summary))
    for _ in range(3):
        try:
            raise_here()
        except ValueError:
            reporter.hook(*sys.exc_info())  # type: ignore[arg-type]
    assert reports == ["ValueError: boom"]
    assert reporter.count == 3
