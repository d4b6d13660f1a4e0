"""The knowledge base's synonym table, managed by the experts from the desk: a spoken form
agents type (夹纸) and the article words it stands for (卡纸). The desks search with it
beside the seed table they ship with (``sync/kb/synonyms.py``).

Revision ID: 0012_kb_synonyms
Revises: 0011_kb_asked
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012_kb_synonyms"
down_revision: str | None = "0011_kb_asked"
branch_labels: str | None = None
depends_on: str | None = None

Stamp = sa.DateTime(timezone=True)
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "kb_synonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spoken", sa.String(length=40), nullable=False),
        sa.Column("words", Json, nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("spoken"),
    )


def downgrade() -> None:
    op.drop_table("kb_synonyms")
