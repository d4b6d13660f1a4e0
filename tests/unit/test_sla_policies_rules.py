"""The SLA policy rules both ends read (``sync.contract.sla``): the nearest category of the tree
wins for targets and chains, the gaps between levels, today's behaviour as the default, and the
problems that make a document unusable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sync.contract.records import Priority, Role
from sync.contract.sla import (
    EscalationChain,
    EscalationLevel,
    EscalationTarget,
    SlaPolicies,
    chain_for,
    default_policies,
    level_gap,
    policy_problems,
    resolution_due,
)

OPENED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def lead(hours: float) -> EscalationLevel:
    return EscalationLevel(after_hours=hours, target=EscalationTarget.TEAM_LEAD)


POLICIES = SlaPolicies(
    resolution_hours={Priority.P1: 2, Priority.P2: 8, Priority.P3: 30, Priority.P4: 100},
    category_resolution_hours={"fault": 12, "fault.leak": 4},
    chains=[
        EscalationChain(levels=[lead(6)]),
        EscalationChain(category="complaint", levels=[lead(24), lead(48), lead(72)]),
    ],
)


@pytest.mark.parametrize(
    ("category", "priority", "hours"),
    [
        ("fault.leak", Priority.P4, 4),  # its own target
        ("fault.power", Priority.P4, 12),  # its parent's
        ("fault", Priority.P1, 12),  # a category's target overrides the priority's
        ("consultation", Priority.P1, 2),  # no category target: the priority's
        ("faulty", Priority.P3, 30),  # a prefix of the name is no parent
    ],
)
def test_the_nearest_category_then_the_priority_sets_the_resolution_target(
    category: str, priority: Priority, hours: float
) -> None:
    assert resolution_due(POLICIES, priority, category, OPENED) - OPENED == timedelta(hours=hours)


def test_the_nearest_categorys_chain_else_the_default() -> None:
    assert len(chain_for(POLICIES, "complaint.service").levels) == 3
    assert len(chain_for(POLICIES, "complaint").levels) == 3
    assert chain_for(POLICIES, "fault.power").category == ""


def test_each_level_fires_its_gap_after_the_one_before() -> None:
    levels = [lead(24), lead(48), lead(72)]
    assert [level_gap(levels, n) for n in range(4)] == [
        timedelta(hours=24),
        timedelta(hours=24),
        timedelta(hours=24),
        None,  # the chain's end
    ]


def test_the_default_is_todays_behaviour() -> None:
    policies = default_policies(timedelta(hours=24), {"complaint.quality": timedelta(hours=2)})
    default = chain_for(policies, "fault")
    assert [(lv.after_hours, lv.target, lv.role) for lv in default.levels] == [
        (24, EscalationTarget.TEAM_LEAD, None),
        (48, EscalationTarget.ROLE, Role.ADMIN),
    ]
    assert [lv.after_hours for lv in chain_for(policies, "complaint.quality").levels] == [2, 4]
    assert resolution_due(policies, Priority.P1, "fault", OPENED) - OPENED == timedelta(hours=4)
    assert (policies.survey_escalates_at, policies.repeat_complaint_days) == (None, None)


def test_problems_name_their_field() -> None:
    bad = SlaPolicies(
        resolution_hours={},
        chains=[
            EscalationChain(category="complaint", levels=[lead(48), lead(24)]),
            EscalationChain(category="complaint", levels=[lead(1)]),
            EscalationChain(
                category="fault",
                levels=[
                    EscalationLevel(after_hours=1, target=EscalationTarget.ROLE),
                    EscalationLevel(after_hours=2, target=EscalationTarget.USER),
                ],
            ),
        ],
    )
    assert [field for field, _why in policy_problems(bad)] == [
        "chains",
        "chains.0.levels",
        "chains.1.category",
        "chains.2.levels.0.role",
        "chains.2.levels.1.user_id",
    ]
    assert policy_problems(POLICIES) == []


def test_a_level_beyond_a_year_or_a_chain_without_levels_is_refused_by_the_types() -> None:
    with pytest.raises(ValueError, match="less than or equal"):
        lead(24 * 367)
    with pytest.raises(ValueError, match="at least 1"):
        EscalationChain(levels=[])
