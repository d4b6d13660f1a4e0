"""Records that cross a boundary: frozen dataclasses and enums shared by desktop and backend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    # A field engineer: reports on the dispatches assigned to them, sees nothing else.
    TECHNICIAN = "technician"


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
    # An admin set a temporary password (contract 1.6): the desk asks for a new one.
    must_change_password: bool = False

    def __repr__(self) -> str:
        # The token is a secret: never let it reach a log line through repr().
        return (
            f"SessionGrant(token=<hidden>, expires_at={self.expires_at.isoformat()}, "
            f"user={self.user.username!r}, permissions={len(self.permissions)})"
        )


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    WEB = "web"
    SMS = "sms"
    WECHAT = "wechat"
    # 1.8: a ticket a customer registered on the customer portal (issue 22).
    PORTAL = "portal"


class InteractionKind(StrEnum):
    CALL_IN = "call_in"
    CALL_OUT = "call_out"
    EMAIL = "email"
    WEB = "web"
    SMS = "sms"


class TicketStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING_CUSTOMER = "waiting_customer"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Priority(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class Urgency(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class DispatchMethod(StrEnum):
    ON_SITE = "on_site"
    REMOTE = "remote"
    PHONE = "phone"


class DispatchResult(StrEnum):
    """What the technician reports: a not-resolved visit is followed by a re-dispatch."""

    RESOLVED = "resolved"
    PARTLY = "partly"
    NOT_RESOLVED = "not_resolved"


class DispatchStatus(StrEnum):
    PLANNED = "planned"
    EN_ROUTE = "en_route"
    ON_SITE = "on_site"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TaskKind(StrEnum):
    CALLBACK = "callback"
    SURVEY = "survey"
    PROACTIVE = "proactive"


class MonitorMode(StrEnum):
    """How a lead joins an agent's call (the desk's softphone routes the audio per mode)."""

    LISTEN = "listen"
    WHISPER = "whisper"
    BARGE = "barge"
    TAKEOVER = "takeover"


class CallOutcome(StrEnum):
    """How a callback or survey call went."""

    REACHED = "reached"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    CALL_BACK_LATER = "call_back_later"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class QuestionStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
