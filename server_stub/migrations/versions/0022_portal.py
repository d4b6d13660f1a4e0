"""The customer portal and SMS notices (issue 22): one-time sign-in codes, rate-limit marks,
portal sessions, customers' photos, ratings and complaints, self-service counts, the SMS log
and opt-outs.

Revision ID: 0022_portal
Revises: 0021_mail
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0022_portal"
down_revision: str | None = "0021_mail"
branch_labels: str | None = None
depends_on: str | None = None

Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "portal_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("phone_e164", sa.String(20), nullable=False, index=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("expires_at", Stamp, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "portal_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", Stamp, nullable=False),
    )
    op.create_index("ix_portal_attempts_kind_key_at", "portal_attempts", ["kind", "key", "at"])
    op.create_table(
        "portal_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("phone_e164", sa.String(20), nullable=False),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("expires_at", Stamp, nullable=False),
    )
    op.create_table(
        "portal_files",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
    )
    op.create_index("ix_portal_files_ticket_id", "portal_files", ["ticket_id"])
    op.create_table(
        "portal_feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("at", Stamp, nullable=False),
    )
    op.create_index("ix_portal_feedback_ticket_id", "portal_feedback", ["ticket_id"])
    op.create_table(
        "kb_self_service",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("kb_articles.id"), nullable=False),
        sa.Column("phone_e164", sa.String(20), nullable=True),
        sa.Column("at", Stamp, nullable=False),
    )
    op.create_index("ix_kb_self_service_article_id", "kb_self_service", ["article_id"])
    op.create_table(
        "sms_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("phone_e164", sa.String(20), nullable=False),
        sa.Column("template", sa.String(32), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("at", Stamp, nullable=False),
    )
    op.create_index("ix_sms_messages_phone_e164", "sms_messages", ["phone_e164"])
    op.create_table(
        "sms_opt_outs",
        sa.Column("phone_e164", sa.String(20), primary_key=True),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("via", sa.String(16), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sms_opt_outs")
    op.drop_index("ix_sms_messages_phone_e164", table_name="sms_messages")
    op.drop_table("sms_messages")
    op.drop_index("ix_kb_self_service_article_id", table_name="kb_self_service")
    op.drop_table("kb_self_service")
    op.drop_index("ix_portal_feedback_ticket_id", table_name="portal_feedback")
    op.drop_table("portal_feedback")
    op.drop_index("ix_portal_files_ticket_id", table_name="portal_files")
    op.drop_table("portal_files")
    op.drop_table("portal_sessions")
    op.drop_index("ix_portal_attempts_kind_key_at", table_name="portal_attempts")
    op.drop_table("portal_attempts")
    op.drop_index("ix_portal_codes_phone_e164", table_name="portal_codes")
    op.drop_table("portal_codes")
