"""The change feed and the event stream are numbered in commit order on PostgreSQL (migration
0004): a transaction that inserted its row first but commits last is numbered after the rows
committed meanwhile, so a reader's cursor never passes it; and writers do not wait for each
other while their transactions are open, only inside their commits."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel
from sqlalchemy import func, select, text

from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.feed import raise_event, record_change
from server_stub.models import ChangeRow, EventRow
from sync.contract.events import QuestionData

NOW = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)

pytestmark = pytest.mark.slow


class Note(BaseModel):
    id: int
    version: int = 1


@pytest.fixture
def database(postgres_server: object) -> Iterator[Database]:
    url = postgres_server.create_database("commit_order")  # type: ignore[attr-defined]
    database = Database(url)
    migrate(database.engine)
    yield database
    database.dispose()


def _change(session: object, team: int) -> None:
    record_change(session, "note", Note(id=team), team_id=None, now=NOW)  # type: ignore[arg-type]


def _after(database: Database, cursor: int) -> list[int]:
    with database.session() as session:
        return list(
            session.scalars(
                select(ChangeRow.entity_id).where(ChangeRow.seq > cursor).order_by(ChangeRow.seq)
            )
        )


def _high(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.max(ChangeRow.seq))) or 0)


def test_a_row_committed_last_is_numbered_last_and_a_cursor_never_passes_it(
    database: Database,
) -> None:
    slow = database._sessions()
    _change(slow, 1)
    slow.flush()  # inserted first: under numbering at insert it would get the lower number
    with database.session() as fast:
        _change(fast, 2)  # a second writer is not held up by the first one's open transaction
        fast.commit()
    assert _after(database, 0) == [2]  # the reader sees only what is committed
    cursor = _high(database)
    slow.commit()
    slow.close()
    assert _after(database, cursor) == [1]  # ... and still finds the late commit after its cursor
    assert _after(database, 0) == [2, 1]
    assert min(_after_seqs(database)) > 0


def _after_seqs(database: Database) -> list[int]:
    with database.session() as session:
        return list(session.scalars(select(ChangeRow.seq)))


def test_events_are_numbered_at_commit_too(database: Database) -> None:
    slow = database._sessions()
    raise_event(slow, QuestionData(question_id=1, text="first in"), now=NOW)
    slow.flush()
    with database.session() as fast:
        raise_event(fast, QuestionData(question_id=2, text="second in"), now=NOW)
        fast.commit()
    slow.commit()
    slow.close()
    with database.session() as session:
        order = [
            r.data["question_id"] for r in session.scalars(select(EventRow).order_by(EventRow.id))
        ]
        assert order == [2, 1]
        assert (session.scalar(select(func.min(EventRow.id))) or 0) > 0


def test_many_writers_in_parallel_leave_a_gapless_readable_feed(database: Database) -> None:
    """Eight threads commit 50 changes each while a reader follows with its cursor: the reader
    gets every row exactly once."""
    seen: list[int] = []
    done = threading.Event()

    def write(base: int) -> None:
        for n in range(50):
            with database.session() as session:
                _change(session, base + n)
                session.commit()

    def read() -> None:
        cursor = 0
        while True:
            finished = done.is_set()
            with database.session() as session:
                rows = session.execute(
                    select(ChangeRow.seq, ChangeRow.entity_id)
                    .where(ChangeRow.seq > cursor)
                    .order_by(ChangeRow.seq)
                ).all()
            for seq, entity_id in rows:
                seen.append(entity_id)
                cursor = seq
            if finished:
                return

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write, args=(1000 * w,)) for w in range(8)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    reader.join()
    assert sorted(seen) == sorted(1000 * w + n for w in range(8) for n in range(50))


def _feed(database: Database) -> list[tuple[int, int]]:
    with database.session() as session:
        return [
            (seq, entity_id)
            for seq, entity_id in session.execute(
                select(ChangeRow.seq, ChangeRow.entity_id).order_by(ChangeRow.seq)
            )
        ]


def test_a_transactions_rows_are_numbered_together_in_insert_order(database: Database) -> None:
    """Two transactions of several rows each, interleaved, come out each in its insert order,
    the one that committed first first, every number positive and given once."""
    slow = database._sessions()
    for n in (1, 2, 3):
        _change(slow, n)
    slow.flush()
    with database.session() as fast:
        for n in (10, 11):
            _change(fast, n)
        fast.commit()
    _change(slow, 4)  # inserted after the other transaction committed
    slow.commit()
    slow.close()
    feed = _feed(database)
    assert [entity for _, entity in feed] == [10, 11, 1, 2, 3, 4]
    assert all(seq > 0 for seq, _ in feed)
    assert len({seq for seq, _ in feed}) == len(feed)


def test_rows_after_constraints_fired_early_and_after_a_rolled_back_savepoint_are_numbered(
    database: Database,
) -> None:
    """A transaction whose triggers fired before its end (SET CONSTRAINTS ALL IMMEDIATE) and
    that writes more rows afterwards, some in a savepoint it rolls back: what it keeps is
    numbered, in insert order, and nothing is left with a provisional number."""
    with database.session() as session:
        _change(session, 1)
        _change(session, 2)
        session.flush()
        session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
        session.execute(text("SET CONSTRAINTS ALL DEFERRED"))
        _change(session, 3)
        session.flush()
        savepoint = session.begin_nested()
        _change(session, 99)
        session.flush()
        # Numbers 3 and 99 inside the savepoint; its rollback undoes 3's number too, and
        # PostgreSQL fires 3's trigger again at the commit.
        session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
        savepoint.rollback()
        _change(session, 4)
        session.commit()
    feed = _feed(database)
    assert [entity for _, entity in feed] == [1, 2, 3, 4]
    assert all(seq > 0 for seq, _ in feed)
