"""The customer portal's FAQ push (issue 22): what one ``GET /portal/suggest`` costs while a
customer types, through the whole app (routing, the index freshness check, the segmented
search, the escaped HTML fragment), beside its floor measured in the same run: the same
search (``KbIndex.suggest``) on the same index, called bare. And what the first request after
an article changed costs (the server's index rebuilt), beside indexing the same articles bare.

A seeded demo database with ``--articles`` more articles (the demo's, varied), the app served
in process (Starlette's TestClient: no sockets, so the figure is the server's own work).

Usage: ``python -m bench.bench_portal --articles 2000 --rounds 200``.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select
from starlette.testclient import TestClient

from bench.results import Figure, record
from server_stub.clock import ManualClock
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.main import create_app
from server_stub.models import ArticleRow
from server_stub.seed import seed_demo
from sync.clock import system_clock
from sync.kb import KbIndex
from sync.kb.content import article_from_record

TYPED = ["监护仪", "监护仪血氧", "监护仪血氧读数丢失", "printer paper jam", "打印机卡纸怎么办"]


def build(path: Path, articles: int, clock: ManualClock) -> Database:
    database = Database(ServerSettings.sqlite_file(path))
    migrate(database.engine)
    with database.session() as session:
        seed_demo(session, now=clock.now())
        seeded = list(session.scalars(select(ArticleRow)))
        for n in range(articles):
            model = seeded[n % len(seeded)]
            session.add(
                ArticleRow(
                    title=f"{model.title}（{n}）",
                    body=model.body,
                    language=model.language,
                    tags=model.tags,
                    product_lines=model.product_lines,
                    status="published",
                    asked=[],
                    updated_at=clock.now(),
                )
            )
        session.commit()
    return database


def bare_index(database: Database) -> tuple[KbIndex, float]:
    """The floor's index, and what indexing every article bare took (ms)."""
    with database.session() as session:
        rows = list(session.scalars(select(ArticleRow)))
        records = [
            article_from_record(
                {
                    "id": r.id,
                    "title": r.title,
                    "body": r.body,
                    "tags": r.tags,
                    "product_lines": r.product_lines,
                    "language": r.language,
                    "version": r.version,
                    "asked": r.asked,
                    "status": r.status,
                }
            )
            for r in rows
        ]
    index = KbIndex(sqlite3.connect(":memory:"))
    index.ensure_schema()
    began = time.perf_counter()
    index.index([a for a in records if a is not None])
    return index, (time.perf_counter() - began) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    clock = ManualClock(system_clock().now())
    with tempfile.TemporaryDirectory() as folder:
        database = build(Path(folder) / "portal.sqlite", args.articles, clock)
        settings = ServerSettings(database_url=str(database.engine.url))
        app = create_app(settings, database, clock, background=False)
        with TestClient(app) as client:
            began = time.perf_counter()
            assert client.get("/portal/suggest", params={"q": TYPED[0]}).status_code == 200
            first_ms = (time.perf_counter() - began) * 1000
            index, bare_build_ms = bare_index(database)
            # An expert edits one article: the next request indexes it again, alone.
            with database.session() as session:
                edited = session.scalars(select(ArticleRow).limit(1)).one()
                edited.body += " 更新"
                edited.updated_at = clock.now()
                session.commit()
            began = time.perf_counter()
            client.get("/portal/suggest", params={"q": TYPED[1]})
            edit_ms = (time.perf_counter() - began) * 1000
            served: list[float] = []
            floors: list[float] = []
            for n in range(args.rounds):  # interleaved: the machine's load falls on both
                text = TYPED[n % len(TYPED)]
                began = time.perf_counter()
                client.get("/portal/suggest", params={"q": text})
                served.append((time.perf_counter() - began) * 1000)
                began = time.perf_counter()
                index.suggest(text, limit=3, prefer_language="zh")
                floors.append((time.perf_counter() - began) * 1000)
        database.dispose()
    total = len(served)
    figures = [
        Figure(
            f"GET /portal/suggest while typing, {args.articles:,} + demo articles "
            f"(median of {total})",
            statistics.median(served),
            "ms",
            floor=statistics.median(floors),
            floor_what="KbIndex.suggest on the same index, bare",
            aim="≤ 100 ms (a pause in typing)",
            detail={
                "p95_ms": statistics.quantiles(served, n=20)[-1],
                "floor_p95_ms": statistics.quantiles(floors, n=20)[-1],
            },
        ),
        Figure(
            "building the whole index (rjieba's dictionary loaded; a server does it at start)",
            first_ms,
            "ms",
            floor=bare_build_ms,
            floor_what="indexing the same articles bare",
        ),
        Figure(
            "the first request after an expert edited one article (that one indexed again)",
            edit_ms,
            "ms",
            floor=statistics.median(served),
            floor_what="a request with nothing changed (median)",
        ),
    ]
    record("portal", figures, {"articles": args.articles, "rounds": args.rounds})


if __name__ == "__main__":
    main()
