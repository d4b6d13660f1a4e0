"""Knowledge-base search at scale: N generated articles (default 100,000) in an SQLite file.

Builds the index with ``KbIndex.index`` (timed), then runs both query sets (the original:
Chinese words, phrases, English, prefixes, codes, filters; the field set: Traditional, typos,
spoken forms, glued codes, pasted e-mails, unanswerable questions) round after round, as the
desk does (the agent's language preferred), and reports ``KbIndex.search``
beside a bare FTS5 ``MATCH`` ranked by the same BM25 on the same table with the same
expression and filters (the floor: no segmentation, no highlight or snippet, no records).

    python -m bench.bench_kb --articles 100000 --queries 500
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path
from typing import Any

from bench.results import Figure, record
from sync.kb import Article, KbIndex, Segmenter
from sync.kb.query import any_of, match_groups
from tests.data.kb.make_corpus import HERE, generate


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def floor_sql(filters: dict[str, str]) -> str:
    sql = "SELECT rowid FROM kb_fts WHERE kb_fts MATCH :match"
    if "product_line" in filters:
        sql += " AND product = :product_line"
    if "language" in filters:
        sql += " AND language = :language"
    if "tag" in filters:
        sql += " AND rowid IN (SELECT article_id FROM kb_tags WHERE tag = lower(:tag))"
    return sql + " ORDER BY rank LIMIT 10"


def build(db: sqlite3.Connection, count: int) -> tuple[Segmenter, KbIndex, float, float]:
    """The index of ``count`` generated articles; the segmenter's load and the build timed."""
    segmenter = Segmenter()
    t0 = time.perf_counter()
    segmenter.load()
    load_s = time.perf_counter() - t0
    index = KbIndex(db, segmenter)
    index.ensure_schema()
    articles = [
        Article(a["id"], a["title"], a["body"], tuple(a["tags"]), a["product_line"],
                a["language"], a["version"])
        for a in generate(count)
    ]  # fmt: skip
    t0 = time.perf_counter()
    index.index(articles)
    build_s = time.perf_counter() - t0
    db.execute("INSERT INTO kb_fts (kb_fts) VALUES ('optimize')")
    db.commit()
    return segmenter, index, load_s, build_s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    queries: list[dict[str, Any]] = [
        {"query": q["query"], "filters": q.get("filters", {})}
        for name in ("queries.json", "queries_field.json")
        for q in json.loads((HERE / name).read_text("utf-8"))
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cache.sqlite"
        db = sqlite3.connect(path)
        db.execute("PRAGMA journal_mode=WAL")
        segmenter, index, load_s, build_s = build(db, args.articles)
        size_mb = path.stat().st_size / 1e6
        print(f"segmenter loaded in {load_s:.2f} s; indexed {args.articles:,} articles in "
              f"{build_s:.1f} s ({args.articles / build_s:,.0f}/s), {size_mb:.0f} MB")  # fmt: skip
        ours: list[float] = []
        floor: list[float] = []
        plain: list[float] = []
        hits = 0
        for query in islice(cycle(queries), len(queries)):  # warm the page cache
            index.search(query["query"], prefer_language="zh", **query["filters"])
        # A new index object, as at the desk's start: its first round through the queries
        # looks up their words, later rounds remember them (as a desk does all shift).
        index = KbIndex(db, segmenter)
        for query in islice(cycle(queries), args.queries):
            text, filters = query["query"], query["filters"]
            # Ours first, as the desk searches (one index object on the reader thread: what
            # earlier searches looked up is remembered, this query's words are not yet).
            t0 = time.perf_counter()
            found = index.search(text, prefer_language="zh", **filters)
            ours.append((time.perf_counter() - t0) * 1000)
            expression = index.match_expression(text)
            hits += bool(found)
            t0 = time.perf_counter()
            db.execute(floor_sql(filters), {"match": expression, **filters}).fetchall()
            floor.append((time.perf_counter() - t0) * 1000)
            terms, open_end = segmenter.query_terms(text)
            every_word = any_of(match_groups(terms, open_end=open_end, prefix=True))
            t0 = time.perf_counter()
            db.execute(floor_sql(filters), {"match": every_word, **filters}).fetchall()
            plain.append((time.perf_counter() - t0) * 1000)
        db.close()
    f50, f95 = statistics.median(floor), pct(floor, 0.95)
    o50, o95 = statistics.median(ours), pct(ours, 0.95)
    # The machine is shared: the load says how far the absolute figures are from a quiet one's.
    print(f"{args.queries} queries, {hits} with results; load average {os.getloadavg()[0]:.1f}")
    print("| what | p50 ms | p95 ms | ratio to floor |")
    print("| --- | --- | --- | --- |")
    print(f"| bare FTS5 MATCH + bm25, same expression (floor) | {f50:.2f} | {f95:.2f} | 1.00 |")
    print(f"| `KbIndex.search` (segment, match, highlight, snippet) | {o50:.2f} | {o95:.2f} | "
          f"{o50 / f50:.2f} (p95 {o95 / f95:.2f}) |")  # fmt: skip
    print(f"| bare FTS5, every word OR'ed (no narrowing) | {statistics.median(plain):.2f} | "
          f"{pct(plain, 0.95):.2f} | {statistics.median(plain) / f50:.2f} |")  # fmt: skip
    print(f"| index build, {args.articles:,} articles | {build_s:.1f} s | | |")
    floor_what = "bare FTS5 MATCH + bm25, same expression"
    figures = [
        Figure(
            "KbIndex.search (segment, match, highlight, snippet), p50",
            o50,
            "ms",
            f50,
            floor_what,
            detail={"p95": o95, "floor_p95": f95, "queries_with_results": hits},
        ),
        Figure(
            "KbIndex.search, p95",
            o95,
            "ms",
            f95,
            "bare FTS5 MATCH + bm25, same expression, p95",
            aim="≤ 1.5× floor",
            detail={"load_average_1min": os.getloadavg()[0]},
        ),
        Figure(
            "bare FTS5, every word OR'ed (no narrowing), p50",
            statistics.median(plain),
            "ms",
            f50,
            floor_what,
            detail={"p95": pct(plain, 0.95)},
        ),
        Figure(
            f"index build, {args.articles:,} articles",
            build_s,
            "s",
            detail={"segmenter_load_s": load_s, "file_mb": size_mb},
        ),
    ]
    record("kb", figures, vars(args))


if __name__ == "__main__":
    main()
