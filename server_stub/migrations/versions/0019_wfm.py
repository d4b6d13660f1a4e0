"""Workforce planning (issue 21): a team's shift patterns, its weekly rosters and their
assignments; the ``wfm.*`` permissions granted to the stored roles (agents see their own
published shifts; leads and admins plan).

Revision ID: 0019_wfm
Revises: 0018_reports
Create Date: 2026-12-06
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019_wfm"
down_revision: str | None = "0018_reports"
branch_labels: str | None = None
depends_on: str | None = None

Stamp = sa.DateTime(timezone=True)
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# What each stored role gains, spelled out (a revision does not import the code it changes).
GRANTS: dict[str, tuple[str, ...]] = {
    "agent": ("wfm.view_own",),
    "expert": ("wfm.view_own",),
    "supervisor": ("wfm.plan", "wfm.view_own"),
    "admin": ("wfm.plan", "wfm.view_own"),
}


def _grant(add: bool) -> None:
    """The stored roles gain (or lose) the planning permissions. A role a centre deleted stays
    deleted; the rest of a role's set stays theirs."""
    roles = sa.table("roles", sa.column("name", sa.String), sa.column("permissions", Json))
    bind = op.get_bind()
    for name, granted in GRANTS.items():
        row = bind.execute(sa.select(roles.c.permissions).where(roles.c.name == name)).first()
        if row is None:
            continue
        held = json.loads(row[0]) if isinstance(row[0], str) else list(row[0])
        kept = [p for p in held if p not in granted]
        bind.execute(
            roles.update()
            .where(roles.c.name == name)
            .values(permissions=sorted([*kept, *granted]) if add else kept)
        )


def upgrade() -> None:
    op.create_table(
        "wfm_shift_patterns",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("patterns", Json, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"]),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_table(
        "wfm_rosters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("required", Json, nullable=False),
        sa.Column("solve_status", sa.String(length=20), nullable=False),
        sa.Column("solve_seconds", sa.Float(), nullable=False),
        sa.Column("objective", sa.Float(), nullable=True),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("published_at", Stamp, nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"]),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "week", name="uq_wfm_rosters_team_week"),
    )
    op.create_table(
        "wfm_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("pattern", Json, nullable=False),
        sa.Column("start_at", Stamp, nullable=False),
        sa.Column("end_at", Stamp, nullable=False),
        sa.Column("break_starts_min", Json, nullable=False),
        sa.Column("lunch_start_min", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["roster_id"], ["wfm_rosters.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["agent_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_wfm_assignments_roster_id", "wfm_assignments", ["roster_id"])
    op.create_index("ix_wfm_assignments_agent_start", "wfm_assignments", ["agent_id", "start_at"])
    # The forecast reads a team's inbound calls of a year by instant: from this index alone.
    op.create_index(
        "ix_interactions_team_kind_started", "interactions", ["team_id", "kind", "started_at"]
    )
    _grant(add=True)


def downgrade() -> None:
    _grant(add=False)
    op.drop_index("ix_interactions_team_kind_started", table_name="interactions")
    op.drop_index("ix_wfm_assignments_agent_start", table_name="wfm_assignments")
    op.drop_index("ix_wfm_assignments_roster_id", table_name="wfm_assignments")
    op.drop_table("wfm_assignments")
    op.drop_table("wfm_rosters")
    op.drop_table("wfm_shift_patterns")
