"""SLA policies and escalation chains set by the centre's admins (issue 27): the policy
document (one row, like the desk settings: no row means the shipped defaults), a manager per
team (an escalation level may go to "the team's manager"), and on each ticket the chain its
clock was started with (so a changed policy never rewrites a running clock) and to whom its
current level went.

Revision ID: 0008_sla_policies
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008_sla_policies"
down_revision: str | None = "0006_desk_settings"
branch_labels: str | None = None
depends_on: str | None = None

Stamp = sa.DateTime(timezone=True)
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "sla_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data", Json, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("teams") as table:
        table.add_column(sa.Column("manager_id", sa.Integer(), nullable=True))
        table.create_foreign_key("fk_teams_manager_id_users", "users", ["manager_id"], ["id"])
    with op.batch_alter_table("tickets") as table:
        table.add_column(sa.Column("escalation_chain", Json, nullable=True))
        table.add_column(sa.Column("escalated_to", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as table:
        table.drop_column("escalated_to")
        table.drop_column("escalation_chain")
    with op.batch_alter_table("teams") as table:
        table.drop_constraint("fk_teams_manager_id_users", type_="foreignkey")
        table.drop_column("manager_id")
    op.drop_table("sla_policies")
