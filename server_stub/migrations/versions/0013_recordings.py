"""Call recordings (issue 20): one row per recording the desks uploaded (the file itself is in
the server's recordings directory, named by its SHA-256), a retention in days per team, and
the permissions to upload and to listen granted to the stored roles that the code ships with
them (since 0007 the roles table, not the code, says what a role may do).

Revision ID: 0013_recordings
Revises: 0009_team_alerts
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_recordings"
down_revision: str | None = "0009_team_alerts"
branch_labels: str | None = None
depends_on: str | None = None

Stamp = sa.DateTime(timezone=True)
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
DEFAULT_RETENTION_DAYS = 180

# What each shipped role gains (sync.contract.rules names the same).
GRANTS: dict[str, tuple[str, ...]] = {
    "agent": ("recording.upload", "recording.listen"),
    "expert": ("recording.upload", "recording.listen"),
    "supervisor": ("recording.upload", "recording.listen"),
    "admin": ("recording.upload", "recording.listen", "recording.listen_all"),
}


def upgrade() -> None:
    op.create_table(
        "recordings",
        sa.Column("recording_id", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("pbx_recording_id", sa.String(length=200), nullable=True),
        sa.Column("sip_call_id", sa.String(length=200), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("queue", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("started_at", Stamp, nullable=False),
        sa.Column("ended_at", Stamp, nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=200), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pauses", Json, nullable=False),
        sa.Column("holds", Json, nullable=False),
        sa.Column("stored_at", Stamp, nullable=False),
        sa.Column("deleted_at", Stamp, nullable=True),
        sa.ForeignKeyConstraint(["agent_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"]),
        sa.PrimaryKeyConstraint("recording_id"),
    )
    op.create_index("ix_recordings_started_at", "recordings", ["started_at"])
    op.create_index("ix_recordings_interaction_id", "recordings", ["interaction_id"])
    op.create_index("ix_recordings_team_id", "recordings", ["team_id"])
    op.create_index("ix_recordings_sha256", "recordings", ["sha256"])
    with op.batch_alter_table("teams") as table:
        table.add_column(
            sa.Column(
                "recording_retention_days",
                sa.Integer(),
                nullable=False,
                server_default=str(DEFAULT_RETENTION_DAYS),
            )
        )
    _grant(True)


def _grant(granted: bool) -> None:
    """The stored shipped roles gain (or lose) the recording permissions; a role the centre
    removed or renamed is left as the centre made it."""
    roles = sa.table("roles", sa.column("name", sa.String), sa.column("permissions", Json))
    bind = op.get_bind()
    for name, added in GRANTS.items():
        row = bind.execute(sa.select(roles.c.permissions).where(roles.c.name == name)).first()
        if row is None:
            continue
        kept = [p for p in row[0] if p not in added]
        bind.execute(
            roles.update()
            .where(roles.c.name == name)
            .values(permissions=sorted([*kept, *added]) if granted else kept)
        )


def downgrade() -> None:
    _grant(False)
    with op.batch_alter_table("teams") as table:
        table.drop_column("recording_retention_days")
    op.drop_index("ix_recordings_sha256", table_name="recordings")
    op.drop_index("ix_recordings_team_id", table_name="recordings")
    op.drop_index("ix_recordings_interaction_id", table_name="recordings")
    op.drop_index("ix_recordings_started_at", table_name="recordings")
    op.drop_table("recordings")
