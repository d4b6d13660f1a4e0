"""The history of agents' states (issue 21): one span per state, for occupancy in the reports
and adherence against a roster. Each agent's present state (the presence table) opens the
history, from its ``since``.

Revision ID: 0017_agent_states
Revises: 0014_quality
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0017_agent_states"
down_revision: str | None = "0014_quality"
branch_labels: str | None = None
depends_on: str | None = None

Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "agent_states",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id"), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("started_at", Stamp, nullable=False),
        sa.Column("ended_at", Stamp, nullable=True),
    )
    op.create_index("ix_agent_states_team_started", "agent_states", ["team_id", "started_at"])
    op.create_index("ix_agent_states_user_started", "agent_states", ["user_id", "started_at"])
    op.execute(
        "INSERT INTO agent_states (user_id, team_id, state, reason, started_at, ended_at) "
        "SELECT user_id, team_id, state, reason, since, NULL FROM presence"
    )


def downgrade() -> None:
    op.drop_index("ix_agent_states_user_started", table_name="agent_states")
    op.drop_index("ix_agent_states_team_started", table_name="agent_states")
    op.drop_table("agent_states")
