"""A team's alert thresholds and the alerts the server raises (issue 27), and the identity
checks ticked on an interaction (verify-on-file, ``interactions.checks``).

``alerts.open_key`` is unique and set only while an alert holds: the conditional insert that
makes a breach raise once however many server processes sweep.

Revision ID: 0009_team_alerts
Revises: 0012_kb_synonyms (after main's KB migrations, merged from main)
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009_team_alerts"
down_revision: str | None = "0012_kb_synonyms"
branch_labels: str | None = None
depends_on: str | None = None

Stamp = sa.DateTime(timezone=True)
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "team_alert_thresholds",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("data", Json, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"]),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("limit_value", sa.Float(), nullable=False),
        sa.Column("raised_at", Stamp, nullable=False),
        sa.Column("cleared_at", Stamp, nullable=True),
        sa.Column("acked_at", Stamp, nullable=True),
        sa.Column("acked_by", sa.Integer(), nullable=True),
        sa.Column("open_key", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"]),
        sa.ForeignKeyConstraint(["acked_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("open_key"),
    )
    op.create_index("ix_alerts_team_id", "alerts", ["team_id"])
    op.create_index("ix_alerts_raised_at", "alerts", ["raised_at"])
    with op.batch_alter_table("interactions") as table:
        table.add_column(sa.Column("checks", Json, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("interactions") as table:
        table.drop_column("checks")
    op.drop_index("ix_alerts_raised_at", table_name="alerts")
    op.drop_index("ix_alerts_team_id", table_name="alerts")
    op.drop_table("alerts")
    op.drop_table("team_alert_thresholds")
