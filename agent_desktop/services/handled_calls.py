"""The agent's own calls since sign-in, as the call bar shows them: how many were handled and
their average handle time (answer to wrap-up Done: talk, hold and after-call work, as a contact
centre counts it). Counted on this desk from the calls it wrapped up; no Qt."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class HandledCalls:
    count: int = 0
    total_s: float = 0.0

    def add(self, handle_s: float) -> None:
        self.count += 1
        self.total_s += max(0.0, handle_s)

    def average_s(self) -> float:
        return self.total_s / self.count if self.count else 0.0

    def clear(self) -> None:
        self.count, self.total_s = 0, 0.0
