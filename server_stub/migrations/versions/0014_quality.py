"""Quality scoring (质检, issue 20): scorecards and their kept versions, evaluations; the
``qa.*`` permissions granted to the stored roles (agents see their own evaluations, leads
score their team's calls and keep scorecards) and the shipped "qa" role (a quality analyst
scoring every team's calls).

Revision ID: 0014_quality
Revises: 0016_interaction_recording (after the recordings of issue 20; the lead may re-chain)
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014_quality"
down_revision: str | None = "0016_interaction_recording"
branch_labels: str | None = None
depends_on: str | None = None

Stamp = sa.DateTime(timezone=True)
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
RELEASED = datetime(2026, 12, 6, tzinfo=UTC)

# What each stored role gains, spelled out (a revision does not import the code it changes).
GRANTS: dict[str, tuple[str, ...]] = {
    "agent": ("qa.view_own",),
    "expert": ("qa.view_own",),
    "supervisor": ("qa.manage_scorecards", "qa.score", "qa.view_own"),
    "admin": ("qa.manage_scorecards", "qa.score", "qa.view_own"),
}
QA_ROLE = (
    "customer.read", "directory.view", "feed.read", "kb.read", "presence.set",
    "qa.manage_scorecards", "qa.score", "qa.view_own", "recording.listen",
    "recording.listen_all", "ticket.read",
)  # fmt: skip


def _grant(add: bool) -> None:
    """The stored roles gain (or lose) the quality permissions; the "qa" role is added (or
    removed). A role a centre deleted stays deleted; the rest of a role's set stays theirs."""
    roles = sa.table(
        "roles",
        sa.column("name", sa.String),
        sa.column("kind", sa.String),
        sa.column("permissions", Json),
        sa.column("scope", sa.String),
        sa.column("teams", Json),
        sa.column("version", sa.Integer),
        sa.column("updated_at", Stamp),
    )
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
    if not add:
        bind.execute(roles.delete().where(roles.c.name == "qa"))
        return
    if bind.execute(sa.select(roles.c.name).where(roles.c.name == "qa")).first() is None:
        op.bulk_insert(
            roles,
            [
                {
                    "name": "qa",
                    "kind": "supervisor",
                    "permissions": list(QA_ROLE),
                    "scope": "all",
                    "teams": [],
                    "version": 1,
                    "updated_at": RELEASED,
                }
            ],
        )


def upgrade() -> None:
    op.create_table(
        "qa_scorecards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "qa_scorecard_versions",
        sa.Column("scorecard_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("pass_pct", sa.Integer(), nullable=False),
        sa.Column("sections", Json, nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["scorecard_id"], ["qa_scorecards.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("scorecard_id", "version"),
    )
    op.create_table(
        "qa_evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recording_id", sa.String(length=32), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("evaluator_id", sa.Integer(), nullable=False),
        sa.Column("scorecard_id", sa.Integer(), nullable=False),
        sa.Column("scorecard_version", sa.Integer(), nullable=False),
        sa.Column("answers", Json, nullable=False),
        sa.Column("comments", Json, nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("score_pct", sa.Float(), nullable=False),
        sa.Column("failed", sa.Boolean(), nullable=False),
        sa.Column("critical_missed", Json, nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("shared_at", Stamp, nullable=True),
        sa.Column("agent_comment", sa.Text(), nullable=False),
        sa.Column("replied_at", Stamp, nullable=True),
        sa.Column("answer_comment", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", Stamp, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"]),
        sa.ForeignKeyConstraint(["agent_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"]),
        sa.ForeignKeyConstraint(["evaluator_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["scorecard_id"], ["qa_scorecards.id"]),
        sa.ForeignKeyConstraint(["answered_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_qa_evaluations_agent_id", "qa_evaluations", ["agent_id"])
    op.create_index("ix_qa_evaluations_recording_id", "qa_evaluations", ["recording_id"])
    op.create_index("ix_qa_evaluations_interaction_id", "qa_evaluations", ["interaction_id"])
    _grant(add=True)


def downgrade() -> None:
    _grant(add=False)
    op.drop_index("ix_qa_evaluations_interaction_id", table_name="qa_evaluations")
    op.drop_index("ix_qa_evaluations_recording_id", table_name="qa_evaluations")
    op.drop_index("ix_qa_evaluations_agent_id", table_name="qa_evaluations")
    op.drop_table("qa_evaluations")
    op.drop_table("qa_scorecard_versions")
    op.drop_table("qa_scorecards")
