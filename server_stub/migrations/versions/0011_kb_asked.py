"""The questions the experts answered with an article, kept with it (``kb_articles.asked``):
the desks search them like the article's title, so the next agent who asks in the same words
finds it (issue 25's self-learning knowledge base).

Revision ID: 0011_kb_asked
Revises: 0008_sla_policies
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011_kb_asked"
down_revision: str | None = "0008_sla_policies"
branch_labels: str | None = None
depends_on: str | None = None

Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("kb_articles") as table:
        table.add_column(sa.Column("asked", Json, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("kb_articles") as table:
        table.drop_column("asked")
