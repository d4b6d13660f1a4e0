"""Business rules both ends must agree on: permissions, ticket workflow, SLA and escalation.

Permissions are named per action and granted to roles; the backend returns them at sign-in so
the desktop enables only what a user may press, and enforces them again on every route.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType

from sync.records import Role, TicketStatus

AGENT_PERMISSIONS: frozenset[str] = frozenset(
    {
        "customer.read",
        "customer.create",
        "customer.update",
        "asset.write",
        "interaction.create",
        "ticket.read",
        "ticket.create",
        "ticket.update",
        "dispatch.create",
        "dispatch.update",
        "task.create",
        "task.update",
        "kb.read",
        "kb.ask",
        "kb.feedback",
        "presence.set",
    }
)

SUPERVISOR_PERMISSIONS: frozenset[str] = AGENT_PERMISSIONS | {
    "ticket.reassign",
    "ticket.escalate",
    "customer.delete",
    "wallboard.view",
    "presence.view",
    "monitor.listen",
    "monitor.whisper",
    "monitor.barge",
    "monitor.takeover",
    "kb.publish",
    "kb.answer",
    "audit.read",
}

ADMIN_PERMISSIONS: frozenset[str] = SUPERVISOR_PERMISSIONS | {"user.manage", "team.manage"}

ROLE_PERMISSIONS: MappingProxyType[Role, frozenset[str]] = MappingProxyType(
    {
        Role.AGENT: AGENT_PERMISSIONS,
        Role.SUPERVISOR: SUPERVISOR_PERMISSIONS,
        Role.ADMIN: ADMIN_PERMISSIONS,
    }
)


def permissions_for(role: Role) -> frozenset[str]:
    return ROLE_PERMISSIONS[role]


# -- ticket workflow --------------------------------------------------------------------------

_OPEN = (
    TicketStatus.NEW,
    TicketStatus.IN_PROGRESS,
    TicketStatus.WAITING_CUSTOMER,
    TicketStatus.ESCALATED,
)

TICKET_TRANSITIONS: Mapping[TicketStatus, frozenset[TicketStatus]] = MappingProxyType(
    {
        TicketStatus.NEW: frozenset(
            {
                TicketStatus.IN_PROGRESS,
                TicketStatus.WAITING_CUSTOMER,
                TicketStatus.ESCALATED,
                TicketStatus.RESOLVED,
                TicketStatus.CANCELLED,
            }
        ),
        TicketStatus.IN_PROGRESS: frozenset(
            {
                TicketStatus.WAITING_CUSTOMER,
                TicketStatus.ESCALATED,
                TicketStatus.RESOLVED,
                TicketStatus.CANCELLED,
            }
        ),
        TicketStatus.WAITING_CUSTOMER: frozenset(
            {
                TicketStatus.IN_PROGRESS,
                TicketStatus.ESCALATED,
                TicketStatus.RESOLVED,
                TicketStatus.CANCELLED,
            }
        ),
        TicketStatus.ESCALATED: frozenset(
            {TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED, TicketStatus.CANCELLED}
        ),
        # A customer who calls back about a resolved ticket reopens it; closing is final.
        TicketStatus.RESOLVED: frozenset({TicketStatus.CLOSED, TicketStatus.IN_PROGRESS}),
        TicketStatus.CLOSED: frozenset(),
        TicketStatus.CANCELLED: frozenset(),
    }
)


def is_open(status: TicketStatus) -> bool:
    return status in _OPEN


def can_transition(current: TicketStatus, target: TicketStatus) -> bool:
    return current == target or target in TICKET_TRANSITIONS[current]


# -- SLA and escalation -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EscalationPolicy:
    """How long a complaint may wait for an answer before it climbs a level.

    Level 1 goes to the handler's team lead; level 2 to the next level (the administrators).
    Each level gets the same limit again. Limits are per category, with a default.
    """

    default_limit: timedelta = timedelta(hours=24)
    limits: Mapping[str, timedelta] = field(default_factory=dict)
    max_level: int = 2

    @staticmethod
    def clock_runs(status: TicketStatus, complaint: bool) -> bool:
        """A complaint's clock runs until the customer has an answer: once we wait on the
        customer, or the ticket is resolved, closed or cancelled, it stops."""
        return complaint and status in (
            TicketStatus.NEW,
            TicketStatus.IN_PROGRESS,
            TicketStatus.ESCALATED,
        )

    def limit_for(self, category: str) -> timedelta:
        return self.limits.get(category, self.default_limit)

    def deadline(self, category: str, since: datetime) -> datetime:
        """When a complaint opened (or last escalated) at ``since`` is due."""
        return since + self.limit_for(category)

    def next_level(self, level: int) -> int | None:
        return level + 1 if level < self.max_level else None

    def remaining(self, category: str, since: datetime, now: datetime) -> timedelta:
        """Time left on the clock (negative when overdue): what a desktop counts down."""
        return self.deadline(category, since) - now
