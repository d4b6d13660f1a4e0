"""A listener told of changed records (``LocalCache.on_records_changed``) reads the new state
from a connection of its own: it is told after SQLite has committed, not at SQLAlchemy's
"commit" event, which comes before the database commits (a reader woken then could read the
old state and never be told again: the KB's synonyms missed a pulled change that way)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sync.cache import open_cache


def test_a_listener_reading_on_its_own_connection_sees_what_it_was_told_of(
    tmp_path: Path,
) -> None:
    cache = open_cache(tmp_path / "cache.sqlite", "test|agent").cache
    seen: list[list[str]] = []

    def read_back(touched: list[tuple[str, int]]) -> None:
        # A reader of its own, as the KB's search thread has (WAL: only committed rows).
        reader = sqlite3.connect(f"file:{cache.path}?mode=ro", uri=True)
        try:
            rows = reader.execute(
                "SELECT data FROM records WHERE entity = 'kb_synonym' ORDER BY id"
            ).fetchall()
        finally:
            reader.close()
        seen.append(sorted(json.loads(data)["spoken"] for (data,) in rows))

    cache.on_records_changed(read_back)
    try:
        for spoken in ("夹纸", "咯吱"):
            cache.create("kb_synonym", {"spoken": spoken, "words": ["卡纸"]}).result(timeout=5)
        assert seen == [["夹纸"], sorted(["夹纸", "咯吱"])]
    finally:
        cache.close()


def test_a_rolled_back_write_tells_no_one(tmp_path: Path) -> None:
    cache = open_cache(tmp_path / "cache.sqlite", "test|agent").cache
    heard: list[list[tuple[str, int]]] = []
    cache.on_records_changed(heard.append)
    try:
        failed = cache.update("kb_synonym", 999, {"words": ["x"]})  # no such record
        assert failed.exception(timeout=5) is not None
        assert heard == []
    finally:
        cache.close()
