"""When each signed-in desk was last heard from (``presence.last_seen``), for the liveness
sweeper (``server_stub.presence_alive``) that marks a silent desk's agent as lost.

NULL: not known (a desk before contract 1.4, which sends no heartbeat; such a desk is never
marked lost). Written in batches, one UPDATE per server process every few seconds.

Revision ID: 0005_presence_seen
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_presence_seen"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("presence") as table:
        table.add_column(sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("presence") as table:
        table.drop_column("last_seen")
