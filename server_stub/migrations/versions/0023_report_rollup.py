"""Report summaries (issue 21): the calls of each UTC quarter hour per team, queue, kind and
product line, the repeat callers of each, and the quarter hours whose calls changed since
(written by triggers on ``interactions``, in the writer's transaction, on every write path).

The backfill marks every quarter hour that holds calls as changed: the first report
recomputes them (a year of calls: tens of seconds), or the operator runs
``python -m server_stub.reports.rollup --database-url URL`` after the migration.

Revision ID: 0023_report_rollup
Revises: 0022_portal
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0023_report_rollup"
down_revision: str | None = "0022_portal"
branch_labels: str | None = None
depends_on: str | None = None

# Spelled out here: a revision does not import the code it changes.
THRESHOLDS_S = (10, 15, 20, 30, 45, 60, 90, 120, 180, 300)
KEYS = (
    ("team_id", sa.Integer()),
    ("queue", sa.String(200)),
    ("kind", sa.String(16)),
    ("product_line", sa.String(200)),
)
COUNTS = (
    "calls",
    "offered",
    "answered",
    "abandoned",
    "ab0",
    "ab1",
    "ab2",
    "ab3",
    "ab4",
    "outbound",
)
LATER = ("handled",)
SECONDS = ("talk_s", "hold_s", "wrap_up_s")
TAIL = ("transferred", "transfers", "contacts", "first_contact_resolved")

SQLITE_SLOT = "CAST(strftime('%s', {row}.started_at) AS INTEGER) / 900"
SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER report_dirty_insert AFTER INSERT ON interactions BEGIN
        INSERT INTO report_dirty_slots (slot) VALUES ({SQLITE_SLOT.format(row="NEW")}); END""",
    f"""CREATE TRIGGER report_dirty_update AFTER UPDATE ON interactions BEGIN
        INSERT INTO report_dirty_slots (slot) VALUES ({SQLITE_SLOT.format(row="NEW")});
        INSERT INTO report_dirty_slots (slot) SELECT {SQLITE_SLOT.format(row="OLD")}
            WHERE OLD.started_at IS NOT NEW.started_at; END""",
    f"""CREATE TRIGGER report_dirty_delete AFTER DELETE ON interactions BEGIN
        INSERT INTO report_dirty_slots (slot) VALUES ({SQLITE_SLOT.format(row="OLD")}); END""",
)
PG_SLOT = "floor(extract(epoch FROM {row}.started_at) / 900)::bigint"
PG_FUNCTION = f"""CREATE FUNCTION report_mark_dirty() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO report_dirty_slots (slot) VALUES ({PG_SLOT.format(row="NEW")});
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.started_at IS DISTINCT FROM NEW.started_at)
    THEN
        INSERT INTO report_dirty_slots (slot) VALUES ({PG_SLOT.format(row="OLD")});
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql"""
PG_TRIGGER = """CREATE TRIGGER report_dirty AFTER INSERT OR UPDATE OR DELETE ON interactions
    FOR EACH ROW EXECUTE FUNCTION report_mark_dirty()"""


def _bucket_key_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slot", sa.BigInteger(), nullable=False),
        *(sa.Column(name, kind, nullable=False) for name, kind in KEYS),
    ]


def upgrade() -> None:
    op.create_table(
        "report_call_buckets",
        *_bucket_key_columns(),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.Column("wait_s", sa.Float(), nullable=False),
        *(sa.Column(f"within_{s}", sa.Integer(), nullable=False) for s in THRESHOLDS_S),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in LATER),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in SECONDS),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in TAIL),
    )
    op.create_index("ix_report_call_buckets_slot", "report_call_buckets", ["slot"])
    op.create_table(
        "report_repeat_buckets",
        *_bucket_key_columns(),
        sa.Column("customer_id", sa.Integer(), nullable=False),
    )
    op.create_index("ix_report_repeat_buckets_slot", "report_repeat_buckets", ["slot"])
    op.create_table(
        "report_dirty_slots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slot", sa.BigInteger(), nullable=False),
    )
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
        slot = PG_SLOT.format(row="interactions")
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
        slot = SQLITE_SLOT.format(row="interactions")
    # The backfill: every quarter hour with calls is recomputed before a report reads it.
    op.execute(f"INSERT INTO report_dirty_slots (slot) SELECT DISTINCT {slot} FROM interactions")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS report_dirty ON interactions")
        op.execute("DROP FUNCTION IF EXISTS report_mark_dirty()")
    else:
        for name in ("report_dirty_insert", "report_dirty_update", "report_dirty_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("report_dirty_slots")
    op.drop_index("ix_report_repeat_buckets_slot", table_name="report_repeat_buckets")
    op.drop_table("report_repeat_buckets")
    op.drop_index("ix_report_call_buckets_slot", table_name="report_call_buckets")
    op.drop_table("report_call_buckets")
