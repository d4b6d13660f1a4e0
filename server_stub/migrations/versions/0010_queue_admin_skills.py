"""The centre's queue settings, the skill catalogue and where a knowledge question was routed
(contract 1.6): each queue's wrap-up time, service-level target and announcement (NULL: the
centre's default, so the rows of an older release keep working), a ``skills`` table of the
names agents hold levels in, and ``kb_questions.routed_to`` (the experts, best first). All
added, nothing changed: an older release serving this database does not notice.

Revision ID: 0010_queue_admin_skills
Revises: 0008_sla_policies
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010_queue_admin_skills"
down_revision: str | None = "0008_sla_policies"
branch_labels: str | None = None
depends_on: str | None = None

Stamp = sa.DateTime(timezone=True)
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("queues") as queues:
        queues.add_column(sa.Column("wrap_up_s", sa.Integer(), nullable=True))
        queues.add_column(sa.Column("service_level_s", sa.Integer(), nullable=True))
        queues.add_column(sa.Column("service_level_pct", sa.Integer(), nullable=True))
        queues.add_column(
            sa.Column("announcement", sa.String(length=400), nullable=False, server_default="")
        )
    with op.batch_alter_table("kb_questions") as questions:
        questions.add_column(sa.Column("routed_to", Json, nullable=True))
    op.create_table(
        "skills",
        sa.Column("skill", sa.String(length=60), nullable=False),
        sa.Column("description", sa.String(length=400), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("skill"),
    )


def downgrade() -> None:
    op.drop_table("skills")
    with op.batch_alter_table("kb_questions") as questions:
        questions.drop_column("routed_to")
    with op.batch_alter_table("queues") as queues:
        queues.drop_column("announcement")
        queues.drop_column("service_level_pct")
        queues.drop_column("service_level_s")
        queues.drop_column("wrap_up_s")
