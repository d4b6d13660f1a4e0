"""The FAQ search: the desk's own segmented zh+en search (``sync.kb``: rjieba words, BM25
with a title boost, Traditional forms, homophone typos) over the server's published articles.

``sync.kb``'s search engine is plain Python on ``sqlite3`` with no cache, outbox or HTTP in it,
so the server may use it (pyproject's import-linter contract forbids the server only
``sync.kb.store``, the desk's cache adapter). The index lives in an in-memory SQLite database
per server process, rebuilt when the articles change (their count and newest change are
compared on each search: one indexed query)."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server_stub.models import ArticleRow
from sync.kb import KbHit, KbIndex
from sync.kb.content import article_from_record

MAX_QUERY = 500


class PortalFaq:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: KbIndex | None = None
        self._seen: tuple[int, datetime | None, int] | None = None

    def _fresh(self, session: Session) -> KbIndex:
        seen = session.execute(
            select(func.count(), func.max(ArticleRow.updated_at), func.sum(ArticleRow.version))
        ).one()
        key = (int(seen[0] or 0), seen[1], int(seen[2] or 0))
        if self._index is None or key != self._seen:
            # check_same_thread off: the lock above serialises every use.
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            index = KbIndex(connection)
            index.ensure_schema()
            rows = session.scalars(select(ArticleRow).where(ArticleRow.status == "published"))
            articles = [
                a
                for a in (
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
                )
                if a is not None
            ]
            index.index(articles)
            self._index, self._seen = index, key
        return self._index

    def search(self, session: Session, text: str, language: str, limit: int = 8) -> list[KbHit]:
        """Articles for what a customer typed in the FAQ box (the last word a prefix)."""
        text = text[:MAX_QUERY]
        if not text.strip():
            return []
        with self._lock:
            return self._fresh(session).search(text, limit=limit, prefer_language=language)

    def suggest(self, session: Session, text: str, language: str, limit: int = 3) -> list[KbHit]:
        """Articles to push while a customer describes their problem (whole words only)."""
        text = text[:MAX_QUERY]
        if not text.strip():
            return []
        with self._lock:
            hits = self._fresh(session).suggest(text, limit=limit, prefer_language=language)
        return [h for h in hits if h.quality >= 0.5]

    def article(self, session: Session, article_id: int) -> ArticleRow | None:
        row = session.get(ArticleRow, article_id)
        return row if row is not None and row.status == "published" else None
