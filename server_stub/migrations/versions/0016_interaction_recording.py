"""An interaction names its call's recording (contract 1.7, issue 20): the desk writes the
interaction at the end of wrap-up, when the recording's id is known, so the customer 360 and QA
find a call's recording from its interaction.

Revision ID: 0016_interaction_recording
Revises: 0013_recordings
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016_interaction_recording"
down_revision: str | None = "0013_recordings"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("interactions") as table:
        table.add_column(sa.Column("recording_id", sa.String(32), nullable=True))
        table.create_index("ix_interactions_recording_id", ["recording_id"])


def downgrade() -> None:
    with op.batch_alter_table("interactions") as table:
        table.drop_index("ix_interactions_recording_id")
        table.drop_column("recording_id")
