"""Records that cross a boundary: frozen dataclasses and enums shared by desktop and backend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class AgentState(StrEnum):
    """Presence of an agent as a contact centre counts it."""

    LOGGED_OUT = "logged_out"
    READY = "ready"
    NOT_READY = "not_ready"
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"


@dataclass(frozen=True, slots=True)
class Team:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class UserProfile:
    """Who is signed in, as the desktop shows it."""

    id: int
    username: str
    display_name: str
    role: Role
    team: Team | None


@dataclass(frozen=True, slots=True)
class SessionGrant:
    """What a successful sign-in yields: the bearer token, its expiry and what the user may do."""

    token: str
    expires_at: datetime
    user: UserProfile
    permissions: frozenset[str]

    def __repr__(self) -> str:
        # The token is a secret: never let it reach a log line through repr().
        return (
            f"SessionGrant(token=<hidden>, expires_at={self.expires_at.isoformat()}, "
            f"user={self.user.username!r}, permissions={len(self.permissions)})"
        )
