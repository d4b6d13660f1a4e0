"""Who may see which feed row or event: the one rule the change feed, the event stream and the
first-sync snapshots apply.

A row with a ``team_id`` is for that team's desks (and for callers who see every team); a row
with a ``user_id`` is for that user alone; a row with neither is for everyone. A ``Scope`` is
what one caller may see; ``Scope.shared`` is the part of it that every desk of the same teams
shares (rows for no one user), which is what a cached snapshot may hold.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_

from server_stub.api.deps import Caller


@dataclass(frozen=True, slots=True)
class Scope:
    team_ids: frozenset[int] | None  # None: every team (an admin)
    user_id: int | None  # None: no one user's own rows (a scope desks share)

    @classmethod
    def of(cls, caller: Caller) -> Scope:
        return cls(caller.team_ids, caller.user.id)

    @property
    def shared(self) -> Scope:
        return Scope(self.team_ids, None)

    def team_clauses(self, team_column: Any) -> list[ColumnElement[bool]]:
        if self.team_ids is None:
            return []
        return [or_(team_column.is_(None), team_column.in_(self.team_ids))]

    def clauses(self, team_column: Any, user_column: Any) -> list[ColumnElement[bool]]:
        clauses = self.team_clauses(team_column)
        if self.user_id is None:
            clauses.append(user_column.is_(None))
        else:
            clauses.append(or_(user_column.is_(None), user_column == self.user_id))
        return clauses

    def admits(self, team_id: int | None, user_id: int | None) -> bool:
        """``clauses`` in memory: the event broker's live path (tests/unit/test_broker.py
        checks the two agree on every combination)."""
        team_ok = team_id is None or self.team_ids is None or team_id in self.team_ids
        return team_ok and (user_id is None or user_id == self.user_id)

    @property
    def key(self) -> str:
        """A short stable name, for file names and the build-once table."""
        teams = "all" if self.team_ids is None else ",".join(map(str, sorted(self.team_ids)))
        text = f"teams={teams};user={self.user_id if self.user_id is not None else '-'}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]
