"""Business rules both ends must agree on: permissions, ticket workflow, SLA and escalation.

Permissions are named per action and granted to roles; the backend returns them at sign-in so
the desktop enables only what a user may press, and enforces them again on every route.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from sync.contract.records import (
    CallOutcome,
    DispatchResult,
    DispatchStatus,
    MonitorMode,
    Priority,
    Role,
    TaskStatus,
    TicketStatus,
)

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
        "dispatch.feedback",  # an engineer's report taken over the phone
        "feed.read",
        "task.create",
        "task.update",
        "kb.read",
        "kb.ask",
        "kb.feedback",
        "presence.set",
        "directory.view",  # the team's colleagues, their presence, the queues to transfer to
        "recording.upload",  # the desk sends its calls' recordings (issue 20)
        "recording.listen",  # own calls' recordings; a lead's role: the team's
        "qa.view_own",  # 1.7: their own evaluations (质检): acknowledge or dispute them
        "report.view_own",  # 1.8: their own figures in the reports
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
    "qa.score",  # 1.7: score their team's calls, answer its agents' disputes
    "qa.manage_scorecards",
    "report.view",  # 1.8: the reports of the teams they see
}

ADMIN_PERMISSIONS: frozenset[str] = SUPERVISOR_PERMISSIONS | {
    "user.manage",
    "team.manage",
    "settings.manage",  # the centre's desk settings: reasons, dispositions, wrap-up times
    "sla.manage",  # SLA policies, escalation chains and team managers (sync.contract.sla)
    "recording.listen_all",  # every team's recordings (a QA role may be given it too)
}

# Field engineers report on their own dispatches (from a phone or tablet app); they read no
# customer list, ticket queue or change feed.
TECHNICIAN_PERMISSIONS: frozenset[str] = frozenset({"dispatch.own", "dispatch.feedback"})

ROLE_PERMISSIONS: MappingProxyType[Role, frozenset[str]] = MappingProxyType(
    {
        Role.AGENT: AGENT_PERMISSIONS,
        Role.SUPERVISOR: SUPERVISOR_PERMISSIONS,
        Role.ADMIN: ADMIN_PERMISSIONS,
        Role.TECHNICIAN: TECHNICIAN_PERMISSIONS,
    }
)


def permissions_for(role: Role) -> frozenset[str]:
    """The shipped permissions of a role kind: what the stored roles are seeded with (the
    server reads a user's permissions from their stored role, ``server_stub.roles``)."""
    return ROLE_PERMISSIONS[role]


# A quality analyst (质检员, contract 1.7): reads what a call's evaluation needs and scores
# every team's calls; no monitoring, no board, no ticket changes.
QA_PERMISSIONS: frozenset[str] = frozenset(
    {
        "customer.read",
        "ticket.read",
        "feed.read",
        "kb.read",
        "presence.set",
        "directory.view",
        "qa.score",
        "qa.manage_scorecards",
        "qa.view_own",
        "recording.listen",  # the calls they score, in every team (with listen_all)
        "recording.listen_all",
        "report.view",  # 1.8: every team's reports
    }
)

# -- roles as stored, editable sets (contract 1.6) ---------------------------------------------

# A lead's delegated part of user administration: the users of the teams they lead (disable,
# enable, move between those teams, reset a password, sign out). Not: create users, change
# roles, or touch anyone outside those teams.
TEAM_USERS_PERMISSION = "user.manage.team"

# The second-line experts: an agent who also answers "not found" questions and publishes.
EXPERT_PERMISSIONS: frozenset[str] = AGENT_PERMISSIONS | {"kb.answer", "kb.publish"}


class RecordScope(StrEnum):
    """Which teams' records a role sees: the user's own (and those they lead), the teams the
    role lists, or all."""

    OWN = "own"
    LISTED = "listed"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class ShippedRole:
    name: str
    kind: Role  # what the rest of the product treats the user as (an agent on the board, …)
    permissions: frozenset[str]
    scope: RecordScope


SHIPPED_ROLES: tuple[ShippedRole, ...] = (
    ShippedRole("agent", Role.AGENT, AGENT_PERMISSIONS, RecordScope.OWN),
    ShippedRole(
        "supervisor",
        Role.SUPERVISOR,
        SUPERVISOR_PERMISSIONS | {TEAM_USERS_PERMISSION},
        RecordScope.OWN,
    ),
    ShippedRole("admin", Role.ADMIN, ADMIN_PERMISSIONS, RecordScope.ALL),
    ShippedRole("technician", Role.TECHNICIAN, TECHNICIAN_PERMISSIONS, RecordScope.OWN),
    ShippedRole("expert", Role.AGENT, EXPERT_PERMISSIONS, RecordScope.OWN),
    # 1.7: quality analysts score every team's calls and keep the scorecards (质检员).
    ShippedRole("qa", Role.SUPERVISOR, QA_PERMISSIONS, RecordScope.ALL),
)

# Every permission a role may be given: the admin's editor offers these, the server refuses
# any other name.
KNOWN_PERMISSIONS: frozenset[str] = frozenset().union(*(r.permissions for r in SHIPPED_ROLES))


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


def next_statuses(current: TicketStatus, may_escalate: bool) -> list[TicketStatus]:
    """The moves to offer on a ticket, in workflow order; escalating by hand is a lead's."""
    order = list(TicketStatus)
    return [
        s
        for s in order
        if s in TICKET_TRANSITIONS[current] and (may_escalate or s is not TicketStatus.ESCALATED)
    ]


# Ticket numbers are given by the desk that creates the ticket, so an agent can read the number
# to the caller at once, offline too: day, the agent's user id, the desk's device id and the
# desk's own count of the day. One agent signed in on two PCs offline counts on each PC: the
# device id (random, made once per cache) keeps their numbers apart without the network, so
# the server never has to renumber a ticket whose number the caller was told. (Leased blocks
# of numbers would need the server before the first ticket of a first offline start.) Numbers
# without a device id (before it) stay valid; the server checks the shape and uniqueness.
DEVICE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read over the phone
DEVICE_ID_LENGTH = 3  # 29,791 ids per agent: two PCs of one agent almost never share one
TICKET_NUMBER_PATTERN = r"^SR-\d{8}-\d{1,7}-(?:[A-HJKMNP-Z2-9]{3}-)?\d{1,4}$"
TICKET_NUMBER = re.compile(TICKET_NUMBER_PATTERN)


# The demo centre's zone: its days (ticket numbers, the wallboard's "today") begin at its
# midnight, not the PC's or UTC's. A request may name another zone.
CENTRE_ZONE = "Asia/Shanghai"


def centre_day(moment: datetime, zone: str = CENTRE_ZONE) -> date:
    """The centre's calendar day at ``moment``: 00:30 in Shanghai is already tomorrow in UTC
    terms of a ticket number."""
    return moment.astimezone(ZoneInfo(zone)).date()


def desk_ticket_number(day: date, user_id: int, count: int, device: str = "") -> str:
    if not device:  # the old form, still read
        return f"SR-{day:%Y%m%d}-{user_id}-{count:03d}"
    return f"SR-{day:%Y%m%d}-{user_id}-{device}-{count:03d}"


def new_device_id(rng: random.Random | None = None) -> str:
    """A desk's short id for its ticket numbers (made once, kept in its cache)."""
    pick = rng or random.SystemRandom()
    return "".join(pick.choice(DEVICE_ALPHABET) for _ in range(DEVICE_ID_LENGTH))


# Resolution targets by priority: the clock a ticket is resolved against (the complaint
# response clock below is the one that escalates).
RESOLUTION_LIMITS: Mapping[Priority, timedelta] = MappingProxyType(
    {
        Priority.P1: timedelta(hours=4),
        Priority.P2: timedelta(hours=24),
        Priority.P3: timedelta(hours=72),
        Priority.P4: timedelta(days=7),
    }
)


def resolution_deadline(priority: Priority, opened_at: datetime) -> datetime:
    return opened_at + RESOLUTION_LIMITS[priority]


# One threshold for "the SLA is due soon": the 360's "SLA due" flag and the Tickets list's
# orange countdown both use it (issue 19: a P1 with 59 min left was orange in Tickets but
# had no flag in the 360, which looked at complaints' response clock only).
SLA_DUE_WITHIN = timedelta(hours=2)


def ticket_deadline(
    status: str, response_due: datetime | None, resolve_due: datetime | None
) -> datetime | None:
    """The deadline a ticket works against: the earlier of the complaint's response clock
    (stopped while the customer is the one to answer) and the priority's resolution target.
    Whether the ticket is still open is the caller's question."""
    dues = [due for due in (response_due, resolve_due) if due is not None]
    if status == "waiting_customer" and response_due is not None:
        dues.remove(response_due)
    return min(dues, default=None)


def sla_due_soon(deadline: datetime, now: datetime) -> bool:
    """Not yet past, but within ``SLA_DUE_WITHIN``."""
    return now < deadline <= now + SLA_DUE_WITHIN


def ticket_problems(complaint: bool, handler_id: int | None) -> list[tuple[str, str]]:
    """What makes a ticket unsavable beyond its fields' own limits: (field, why)."""
    problems = []
    if complaint and handler_id is None:
        problems.append(("handler_id", "a complaint must have a handler"))
    return problems


# A handover to a second-line expert or the on-duty engineer: the target must hold one of
# these skills; an agent may hand over without the lead's reassign right, with a note.
HANDOVER_SKILLS = frozenset({"second_line", "on_duty"})


def is_expert(skills: set[str] | frozenset[str]) -> bool:
    return bool(HANDOVER_SKILLS & set(skills))


# -- monitoring -----------------------------------------------------------------------------

MONITOR_PERMISSIONS: Mapping[MonitorMode, str] = MappingProxyType(
    {
        MonitorMode.LISTEN: "monitor.listen",
        MonitorMode.WHISPER: "monitor.whisper",
        MonitorMode.BARGE: "monitor.barge",
        MonitorMode.TAKEOVER: "monitor.takeover",
    }
)
# A grant is good for one leg, which must connect this soon; it ends with the call anyway.
MONITOR_CONNECT_WINDOW = timedelta(seconds=60)


# -- recurring issues -------------------------------------------------------------------------

RECURRING_WINDOW = timedelta(days=7)
RECURRING_THRESHOLD = 5  # open tickets of one category and product model within the window


# -- dispatch ---------------------------------------------------------------------------------

DISPATCH_OPEN = frozenset({DispatchStatus.PLANNED, DispatchStatus.EN_ROUTE, DispatchStatus.ON_SITE})


def dispatch_status_after(result: DispatchResult) -> DispatchStatus:
    """A visit that did not resolve the fault ends as failed: the ticket needs a re-dispatch."""
    return DispatchStatus.FAILED if result is DispatchResult.NOT_RESOLVED else DispatchStatus.DONE


# -- callbacks and surveys --------------------------------------------------------------------

MAX_CALL_ATTEMPTS = 3
RETRY_AFTER = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class CallResult:
    status: TaskStatus
    attempts: int
    due_at: datetime


def after_call(
    outcome: CallOutcome,
    attempts: int,
    due_at: datetime,
    now: datetime,
    call_back_at: datetime | None,
) -> CallResult:
    """Where a callback or survey task goes after one call: reached is done; no answer is
    tried again later, up to MAX_CALL_ATTEMPTS, then unreachable; a wrong number is
    unreachable at once; "call back at" moves the task to the time the customer asked for."""
    tried = attempts + 1
    if outcome is CallOutcome.REACHED:
        return CallResult(TaskStatus.DONE, tried, due_at)
    if outcome is CallOutcome.WRONG_NUMBER:
        return CallResult(TaskStatus.UNREACHABLE, tried, due_at)
    if outcome is CallOutcome.CALL_BACK_LATER:
        return CallResult(TaskStatus.OPEN, tried, call_back_at or now + RETRY_AFTER)
    if tried >= MAX_CALL_ATTEMPTS:
        return CallResult(TaskStatus.UNREACHABLE, tried, due_at)
    return CallResult(TaskStatus.OPEN, tried, now + RETRY_AFTER)


CALLBACK_AFTER = ("all", "complaints", "none")


def callback_wanted(after: str, complaint: bool) -> bool:
    """Whether a resolved ticket gets a callback (回访) under a team's policy."""
    return after == "all" or (after == "complaints" and complaint)


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
