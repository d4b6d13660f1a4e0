"""The email channel (issue 22): the team mailboxes' read positions, the mails in and out, and
the files that came with them.

Revision ID: 0021_mail
Revises: 0019_wfm
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0021_mail"
down_revision: str | None = "0019_wfm"
branch_labels: str | None = None
depends_on: str | None = None

Stamp = sa.DateTime(timezone=True)
Json = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "mailbox_cursors",
        sa.Column("mailbox", sa.String(200), primary_key=True),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
    )
    op.create_table(
        "mail_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("mailbox", sa.String(200), nullable=False),
        sa.Column("direction", sa.String(4), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=True),
        sa.Column("uid", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.String(250), nullable=False),
        sa.Column("in_reply_to", sa.Text(), nullable=False),
        sa.Column("references", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id"), nullable=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("sender", sa.String(254), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("attachments", Json, nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("sent_at", Stamp, nullable=True),
        sa.Column("claimed_at", Stamp, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.UniqueConstraint("mailbox", "uidvalidity", "uid", name="uq_mail_uid"),
    )
    op.create_index("ix_mail_messages_status", "mail_messages", ["status"])
    op.create_index("ix_mail_messages_message_id", "mail_messages", ["message_id"])
    op.create_index("ix_mail_messages_ticket_id", "mail_messages", ["ticket_id"])
    op.create_index("ix_mail_messages_sender", "mail_messages", ["sender"])
    op.create_index("ix_mail_messages_at", "mail_messages", ["at"])
    op.create_table(
        "mail_attachments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("mail_id", sa.Integer(), sa.ForeignKey("mail_messages.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_mail_attachments_mail_id", "mail_attachments", ["mail_id"])


def downgrade() -> None:
    op.drop_index("ix_mail_attachments_mail_id", table_name="mail_attachments")
    op.drop_table("mail_attachments")
    for name in ("at", "sender", "ticket_id", "message_id", "status"):
        op.drop_index(f"ix_mail_messages_{name}", table_name="mail_messages")
    op.drop_table("mail_messages")
    op.drop_table("mailbox_cursors")
