"""A feed page served from a process's memory (``server_stub/feed_tail.py``) is, byte for byte,
the page the database gives (``routes.feed.database_page``): for every kind of scope (one team,
several, none, every team; with and without a user's own rows), every cursor in and below what
is kept, page sizes that cut the rows anywhere, with and without the count, while rows keep
arriving and the tail is trimmed; on SQLite and on PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server_stub.api.routes.feed import database_page, feed_page
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.feed_tail import FeedTail
from server_stub.models import ChangeRow
from server_stub.visibility import Scope

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
TEAMS = [None, 1, 2, 3]
USERS = [None, None, None, 10, 11]  # most rows are for everyone who sees their team
SCOPES = [
    Scope(frozenset({1}), 10),
    Scope(frozenset({1}), 11),
    Scope(frozenset({1, 2}), 10),
    Scope(frozenset({2, 3}), None),
    Scope(frozenset({4}), 10),  # a team with no rows at all
    Scope(frozenset(), 11),  # no team: the rows for everyone, and their own
    Scope(None, 10),  # an admin
    Scope(None, None),
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = ServerSettings.sqlite_file(tmp_path / "server.sqlite")
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.create_database(f"tail_{tmp_path.name[-20:]}".replace("-", "_"))
    database = Database(url)
    migrate(database.engine)
    yield database
    database.dispose()


def _add_rows(database: Database, rng: random.Random, n: int) -> None:
    with database.session() as session:
        for _ in range(n):
            entity_id = rng.randrange(1, 50)
            deleted = rng.random() < 0.1
            session.add(
                ChangeRow(
                    entity="customer" if entity_id % 2 else "ticket",
                    entity_id=entity_id,
                    team_id=rng.choice(TEAMS),
                    user_id=rng.choice(USERS),
                    op="delete" if deleted else "upsert",
                    version=rng.randrange(1, 9),
                    data=None
                    if deleted
                    else {"id": entity_id, "name": f'客户 "{entity_id}"\n', "n": [1, {"k": None}]},
                    at=NOW,
                )
            )
        session.commit()


def _high(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.max(ChangeRow.seq))) or 0)


def test_a_page_from_the_tail_is_the_databases_page(database: Database) -> None:
    rng = random.Random(16)
    _add_rows(database, rng, 40)  # before the tail starts: served by the database
    tail = FeedTail(rows=60)  # small: trimmed several times over the run
    compared = 0
    for _round in range(25):
        _add_rows(database, rng, rng.randrange(0, 30))
        high = _high(database)
        with database.session() as session:
            for scope in SCOPES:
                for _ in range(6):
                    # Mostly near the head, as desks pull; now and then from far behind.
                    low = 0 if rng.random() < 0.2 else max(0, high - 80)
                    after = rng.randrange(low, high + 2)
                    limit = rng.choice([1, 2, 5, 17, 500])
                    count = rng.random() < 0.5
                    kept = feed_page(tail, session, scope, after, high, limit, count)
                    made = database_page(session, scope, after, high, limit, count)
                    assert kept == made, (scope, after, high, limit, count)
                    compared += 1
    assert compared == 25 * len(SCOPES) * 6
    # Most pages came from memory; cursors below what is kept went to the database.
    assert tail.served > compared // 2
    assert tail.missed > 0


def test_the_first_pull_near_the_head_starts_the_tail_at_its_cursor(database: Database) -> None:
    rng = random.Random(7)
    _add_rows(database, rng, 30)
    tail = FeedTail(rows=100)
    scope = Scope(frozenset({1}), 10)
    with database.session() as session:
        high = _high(database)
        assert feed_page(tail, session, scope, 5, high, 500, True) == database_page(
            session, scope, 5, high, 500, True
        )
    assert tail.served == 1  # the 25 rows above the cursor were read into memory
    with database.session() as session:  # a cursor below the start: the database's
        assert feed_page(tail, session, scope, 2, high, 500, False) == database_page(
            session, scope, 2, high, 500, False
        )
    assert tail.missed == 1


def test_a_first_pull_beyond_the_head_does_not_move_the_start(database: Database) -> None:
    rng = random.Random(5)
    _add_rows(database, rng, 20)
    tail = FeedTail(rows=100)
    scope = Scope(frozenset({2}), 11)
    with database.session() as session:
        high = _high(database)
        for after in (high + 50, high - 3, high):
            assert feed_page(tail, session, scope, after, high, 500, True) == database_page(
                session, scope, after, high, 500, True
            )
    # It started at the head: the pull below it went to the database, the one at it was served
    # (started beyond the head, no desk near the head would ever have been).
    assert (tail.served, tail.missed) == (2, 1)


def test_a_tail_of_no_rows_is_off(database: Database) -> None:
    rng = random.Random(3)
    _add_rows(database, rng, 10)
    tail = FeedTail(rows=0)
    scope = Scope(None, None)
    with database.session() as session:
        high = _high(database)
        assert feed_page(tail, session, scope, 0, high, 3, True) == database_page(
            session, scope, 0, high, 3, True
        )
    assert tail.served == tail.missed == 0
