"""Roles stored as editable permission sets (issue 27): the ``roles`` table, seeded with the
shipped roles (agent, supervisor, admin, technician: the permissions they had in code; plus
"expert": an agent who answers knowledge questions and publishes), ``users.role_name`` (which
stored role a user has; NULL: the one named like ``users.role``) and
``users.must_change_password`` (a temporary password set by an admin).

Revision ID: 0007_roles
Revises: 0006_desk_settings
Create Date: 2026-12-05
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007_roles"
down_revision: str | None = "0006_desk_settings"
branch_labels: str | None = None
depends_on: str | None = None

Stamp = sa.DateTime(timezone=True)
RELEASED = datetime(2026, 12, 5, tzinfo=UTC)

# The shipped roles as this release made them, spelled out (a revision does not import the
# code it would change with), each set as the one it extends plus what it adds, as the rules
# build them: name, kind, scope, permissions.
_AGENT = (
    "asset.write", "customer.create", "customer.read", "customer.update", "directory.view",
    "dispatch.create", "dispatch.feedback", "dispatch.update", "feed.read",
    "interaction.create", "kb.ask", "kb.feedback", "kb.read", "presence.set", "task.create",
    "task.update", "ticket.create", "ticket.read", "ticket.update",
)  # fmt: skip
_EXPERT = (*_AGENT, "kb.answer", "kb.publish")
_SUPERVISOR = (
    *_EXPERT, "audit.read", "customer.delete", "monitor.barge", "monitor.listen",
    "monitor.takeover", "monitor.whisper", "presence.view", "ticket.escalate",
    "ticket.reassign", "user.manage.team", "wallboard.view",
)  # fmt: skip
_ADMIN = (
    *(p for p in _SUPERVISOR if p != "user.manage.team"),
    "settings.manage", "team.manage", "user.manage",
)  # fmt: skip
SHIPPED: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("agent", "agent", "own", tuple(sorted(_AGENT))),
    ("supervisor", "supervisor", "own", tuple(sorted(_SUPERVISOR))),
    ("admin", "admin", "all", tuple(sorted(_ADMIN))),
    ("technician", "technician", "own", ("dispatch.feedback", "dispatch.own")),
    ("expert", "agent", "own", tuple(sorted(_EXPERT))),
)
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    roles = op.create_table(
        "roles",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("permissions", Json, nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("teams", Json, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    # Once stored they are the centre's: a later release changing its defaults does not
    # change them. The stamp is the migration's date: no clock is read here.
    now = RELEASED
    op.bulk_insert(
        roles,
        [
            {
                "name": name,
                "kind": kind,
                "permissions": list(permissions),
                "scope": scope,
                "teams": [],
                "version": 1,
                "updated_at": now,
            }
            for name, kind, scope, permissions in SHIPPED
        ],
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("role_name", sa.String(length=40), nullable=True))
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
        batch.drop_column("role_name")
    op.drop_table("roles")
