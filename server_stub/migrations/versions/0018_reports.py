"""Reports (issue 21): what the calls lacked (after-call work, transfers, the product line),
the region of a ticket, the indexes a year of data is read by, and the ``report.*``
permissions (agents their own figures; leads, admins and QA the teams they see).

Revision ID: 0018_reports
Revises: 0017_agent_states
Create Date: 2026-12-06
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0018_reports"
down_revision: str | None = "0017_agent_states"
branch_labels: str | None = None
depends_on: str | None = None

Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# What each stored role gains, spelled out (a revision does not import the code it changes).
GRANTS: dict[str, tuple[str, ...]] = {
    "agent": ("report.view_own",),
    "expert": ("report.view_own",),
    "supervisor": ("report.view", "report.view_own"),
    "admin": ("report.view", "report.view_own"),
    "qa": ("report.view",),
}
INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ix_interactions_team_started", "interactions", ("team_id", "started_at")),
    ("ix_interactions_agent_started", "interactions", ("agent_id", "started_at")),
    ("ix_interactions_started", "interactions", ("started_at",)),
    ("ix_interactions_customer_started", "interactions", ("customer_id", "started_at")),
    ("ix_tickets_team_opened", "tickets", ("team_id", "opened_at")),
    ("ix_tickets_opened", "tickets", ("opened_at",)),
    ("ix_tasks_ticket", "tasks", ("ticket_id",)),
)


def _grant(add: bool) -> None:
    """The stored roles gain (or lose) the report permissions; a role a centre deleted stays
    deleted, the rest of a role's set stays theirs."""
    roles = sa.table("roles", sa.column("name", sa.String), sa.column("permissions", Json))
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


def upgrade() -> None:
    with op.batch_alter_table("interactions") as table:
        table.add_column(sa.Column("wrap_up_s", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(sa.Column("transfers", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(
            sa.Column("product_line", sa.String(200), nullable=False, server_default="")
        )
    with op.batch_alter_table("tickets") as table:
        table.add_column(sa.Column("region", sa.String(60), nullable=False, server_default=""))
    for name, table_name, columns in INDEXES:
        op.create_index(name, table_name, list(columns))
    _grant(add=True)


def downgrade() -> None:
    _grant(add=False)
    for name, table_name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table_name)
    with op.batch_alter_table("tickets") as table:
        table.drop_column("region")
    with op.batch_alter_table("interactions") as table:
        table.drop_column("product_line")
        table.drop_column("transfers")
        table.drop_column("wrap_up_s")
