"""The change feed and the event stream numbered at commit, not at insert (PostgreSQL).

Readers go "after the last number I saw", so a row must never commit after a row with a
higher number. Until now each writer took one advisory lock before its first feed row and held
it to the end of its transaction: every write of the centre queued on it, for as long as its
transaction lasted, client round trips and a busy Python thread included. At 400 desks the
transactions waited on that lock far longer than they worked (write p95 15–18 s).

Now a row is inserted with a provisional negative number (``-nextval`` of a pending
sequence, invisible to readers, who look for numbers above a cursor) and a deferred constraint
trigger gives it its real number at COMMIT, under the same advisory lock. The lock is held
only inside the database's own commit: microseconds, not a client's transaction. PostgreSQL
releases transaction locks after the commit is visible, so the next writer's numbers are
always higher than every visible row's. Rows written with an explicit positive number (the
seeds, one writer at a time) skip the trigger.

SQLite has one writer at a time: insert order is commit order, nothing to do.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

FEED_LOCK_ID = 7_243_001  # the one lock every commit that wrote feed rows takes
_NUMBERED = (("changes", "seq"), ("events", "id"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in _NUMBERED:
        op.execute(f"CREATE SEQUENCE {table}_pending_seq")
        op.execute(
            f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT -nextval('{table}_pending_seq')"
        )
        op.execute(
            f"""
            CREATE FUNCTION aw_number_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock({FEED_LOCK_ID});
                UPDATE {table} SET {column} = nextval('{table}_{column}_seq')
                    WHERE {column} = NEW.{column};
                RETURN NULL;
            END $$
            """
        )
        op.execute(
            f"""
            CREATE CONSTRAINT TRIGGER {table}_numbered_at_commit AFTER INSERT ON {table}
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.{column} < 0)
            EXECUTE FUNCTION aw_number_{table}()
            """
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in _NUMBERED:
        op.execute(f"DROP TRIGGER {table}_numbered_at_commit ON {table}")
        op.execute(f"DROP FUNCTION aw_number_{table}()")
        op.execute(
            f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT nextval('{table}_{column}_seq')"
        )
        op.execute(f"DROP SEQUENCE {table}_pending_seq")
