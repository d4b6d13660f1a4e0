"""The centre's SLA policies and escalation chains (contract 1.6): what an administrator sets,
and the rules both ends read them by.

- **Resolution targets** per priority, overridden per category. The category tree is the desk
  settings' (codes with dots: ``complaint.service`` is a child of ``complaint``); the nearest
  category with its own target wins, then the priority's.
- **Escalation chains**: a default chain and chains per category (the nearest category again).
  Each level fires a fixed time after the complaint's clock started (level 1 after 24 h, level
  2 after 48 h, ...), to a target: the team's lead, the team's manager, everyone of a role, or
  one named user. Besides time, a level is also climbed at once by an unsatisfactory survey
  answer and by a repeated complaint (the same customer again within N days).
- **Running clocks are not rewritten**: a ticket keeps the chain it was given when its clock
  started (the server stores a copy on the ticket), so a changed policy applies to tickets
  whose clock starts afterwards. The admin page says so.

Pure rules, no I/O: the server stores the document (``server_stub/sla_policies.py``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Annotated

from pydantic import Field, StringConstraints

from sync.contract.records import Priority, Role
from sync.contract.rules import RESOLUTION_LIMITS
from sync.contract.wire import Plain, WireModel

SLA_POLICIES_ROUTE = "/sla-policies"
TEAM_MANAGER_ROUTE = "/teams/{team_id}/manager"
MAX_LEVELS = 9
MAX_HOURS = 24 * 366  # a level beyond a year would never fire in a ticket's life

_Text = Annotated[str, StringConstraints(max_length=120), Plain]
_Hours = Annotated[float, Field(gt=0, le=MAX_HOURS)]


class EscalationTarget(StrEnum):
    TEAM_LEAD = "team_lead"  # the ticket's team's lead
    TEAM_MANAGER = "team_manager"  # the ticket's team's manager (teams.manager_id)
    ROLE = "role"  # every active user of ``role``
    USER = "user"  # one named user (``user_id``)


class EscalationLevel(WireModel):
    after_hours: _Hours  # since the complaint's clock started
    target: EscalationTarget
    role: Role | None = None  # for target "role"
    user_id: int | None = None  # for target "user"
    # What the desks call this level ("service manager", "服务经理"); empty: the target's name.
    label_en: _Text = ""
    label_zh: _Text = ""


class EscalationChain(WireModel):
    category: _Text = ""  # empty: the default chain
    levels: Annotated[list[EscalationLevel], Field(min_length=1, max_length=MAX_LEVELS)]


class SlaPolicies(WireModel):
    """The whole document, read and replaced as one (``GET``/``PUT /sla-policies``)."""

    resolution_hours: dict[Priority, _Hours]
    category_resolution_hours: Annotated[dict[_Text, _Hours], Field(max_length=1000)] = Field(
        default_factory=dict
    )
    chains: Annotated[list[EscalationChain], Field(min_length=1, max_length=1000)]
    # A survey answered with this satisfaction (1-5) or lower climbs its ticket one level at
    # once; None (the default, today's behaviour until an admin sets it): never.
    survey_escalates_at: Annotated[int, Field(ge=1, le=5)] | None = None
    # A complaint from a customer who complained within this many days climbs one level at
    # once; None (the default): repeats do not escalate.
    repeat_complaint_days: Annotated[int, Field(ge=1, le=366)] | None = None
    # The stored document's version; an admin's change sends back the one it read.
    version: Annotated[int, Field(ge=0, le=2_147_483_647)] = 0


class TeamManagerIn(WireModel):
    """``PUT /teams/{id}/manager``: the team's manager (a lead or an admin), or none."""

    manager_id: Annotated[int, Field(ge=1, le=2_147_483_647)] | None


class TeamManagerOut(WireModel):
    team_id: int
    manager_id: int | None
    version: int


def default_policies(
    complaint_limit: timedelta = timedelta(hours=24),
    category_limits: dict[str, timedelta] | None = None,
) -> SlaPolicies:
    """Today's behaviour as a policy: the priority targets of ``RESOLUTION_LIMITS``; the
    complaint climbs to the team lead after ``complaint_limit`` and to the administrators after
    twice that (the server's ``--complaint-limit-hours`` and ``--category-limit``)."""

    def chain(category: str, limit: timedelta) -> EscalationChain:
        hours = limit.total_seconds() / 3600
        return EscalationChain(
            category=category,
            levels=[
                EscalationLevel(after_hours=hours, target=EscalationTarget.TEAM_LEAD),
                EscalationLevel(
                    after_hours=2 * hours, target=EscalationTarget.ROLE, role=Role.ADMIN
                ),
            ],
        )

    return SlaPolicies(
        resolution_hours={p: t.total_seconds() / 3600 for p, t in RESOLUTION_LIMITS.items()},
        chains=[
            chain("", complaint_limit),
            *(chain(c, t) for c, t in sorted((category_limits or {}).items())),
        ],
    )


def _lineage(category: str) -> list[str]:
    """``a.b.c`` → ``a.b.c``, ``a.b``, ``a``: the nearest first."""
    parts = category.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


def chain_for(policies: SlaPolicies, category: str) -> EscalationChain:
    """The chain of the nearest category that has one, else the default chain."""
    by_category = {c.category: c for c in policies.chains}
    for name in _lineage(category):
        if name in by_category:
            return by_category[name]
    return by_category.get("", policies.chains[0])


def resolution_due(
    policies: SlaPolicies, priority: Priority, category: str, opened_at: datetime
) -> datetime:
    """When a ticket must be resolved: the nearest category's target, else its priority's."""
    for name in _lineage(category):
        if name in policies.category_resolution_hours:
            return opened_at + timedelta(hours=policies.category_resolution_hours[name])
    hours = policies.resolution_hours.get(priority)
    if hours is None:
        return opened_at + RESOLUTION_LIMITS[priority]
    return opened_at + timedelta(hours=hours)


def level_gap(levels: list[EscalationLevel], level: int) -> timedelta | None:
    """How long after level ``level`` (0: the clock's start) the next one fires; None when
    ``level`` is the chain's last."""
    if level >= len(levels):
        return None
    before = levels[level - 1].after_hours if level > 0 else 0.0
    return timedelta(hours=levels[level].after_hours - before)


def policy_problems(policies: SlaPolicies) -> list[tuple[str, str]]:
    """What makes a policy document unusable beyond its types: (field, why)."""
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    if not any(c.category == "" for c in policies.chains):
        problems.append(("chains", "a default chain (no category) is needed"))
    for n, chain in enumerate(policies.chains):
        if chain.category in seen:
            problems.append((f"chains.{n}.category", f"two chains for {chain.category!r}"))
        seen.add(chain.category)
        hours = [level.after_hours for level in chain.levels]
        if any(b <= a for a, b in pairwise(hours)):
            problems.append((f"chains.{n}.levels", "each level fires later than the one before"))
        for m, level in enumerate(chain.levels):
            where = f"chains.{n}.levels.{m}"
            if level.target is EscalationTarget.ROLE and level.role is None:
                problems.append((f"{where}.role", "say which role"))
            if level.target is EscalationTarget.USER and level.user_id is None:
                problems.append((f"{where}.user_id", "say which user"))
    return problems
