"""Business rules both ends must agree on.

Permissions are named per action and granted to roles; the backend returns them at sign-in so
the desktop enables only what a user may press, and enforces them again on every route.
"""

from __future__ import annotations

from types import MappingProxyType

from sync.records import Role

AGENT_PERMISSIONS: frozenset[str] = frozenset(
    {
        "customer.read",
        "customer.update",
        "interaction.create",
        "ticket.create",
        "ticket.update",
        "dispatch.create",
        "callback.create",
        "kb.read",
        "kb.ask",
    }
)

SUPERVISOR_PERMISSIONS: frozenset[str] = AGENT_PERMISSIONS | {
    "ticket.reassign",
    "ticket.escalate",
    "wallboard.view",
    "monitor.listen",
    "monitor.whisper",
    "monitor.barge",
    "monitor.takeover",
    "kb.publish",
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
