"""The FAQ search: the desk's own segmented zh+en search (``sync.kb``: rjieba words, BM25
with a title boost, Traditional forms, homophone typos) over the server's published articles.

``sync.kb``'s search engine is plain Python on ``sqlite3`` with no cache, outbox or HTTP in it,
so the server may use it (pyproject's import-linter contract forbids the server only
``sync.kb.store``, the desk's cache adapter). The index lives in an in-memory SQLite database
per server process, kept up to the articles: their count, newest change and versions are
compared on each search (one aggregate query) and the changed articles alone indexed again."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server_stub.core.db import Database
from server_stub.models import ArticleRow
from sync.kb import Article, KbHit, KbIndex
from sync.kb.content import article_from_record

MAX_QUERY = 500
log = logging.getLogger(__name__)


class FaqWarmUp:
    """The server's start-up round that warms the FAQ index off the event loop."""

    def __init__(self, faq: PortalFaq, database: Database) -> None:
        self._faq, self._database = faq, database
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="faq-warm-up")

    async def _run(self) -> None:
        try:
            await run_in_threadpool(self._faq.warm, self._database)
        except Exception:  # a database blip: the first search builds it instead
            log.warning("the FAQ index was not built at start", exc_info=True)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


class PortalFaq:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: KbIndex | None = None
        self._seen: tuple[int, datetime | None, int] | None = None
        self._versions: dict[int, int] = {}  # what the index holds: article id -> version

    def _fresh(self, session: Session) -> KbIndex:
        """The index, brought up to the articles: built whole the first time, then only the
        articles whose version changed are indexed again (an expert's edit costs one
        article's segmenting, not the whole knowledge base's) and the unpublished removed."""
        seen = session.execute(
            select(func.count(), func.max(ArticleRow.updated_at), func.sum(ArticleRow.version))
        ).one()
        key = (int(seen[0] or 0), seen[1], int(seen[2] or 0))
        if self._index is not None and key == self._seen:
            return self._index
        if self._index is None:
            # check_same_thread off: the lock around every use serialises it.
            self._index = KbIndex(sqlite3.connect(":memory:", check_same_thread=False))
            self._index.ensure_schema()
        rows = session.execute(select(ArticleRow.id, ArticleRow.version, ArticleRow.status)).all()
        current = {r.id: r.version for r in rows if r.status == "published"}
        changed = [i for i, version in current.items() if self._versions.get(i) != version]
        gone = [i for i in self._versions if i not in current]
        if gone:
            self._index.remove(gone)
        if changed:
            self._index.index(self._articles(session, changed))
        self._versions, self._seen = current, key
        return self._index

    @staticmethod
    def _articles(session: Session, ids: list[int]) -> list[Article]:
        found: list[Article] = []
        for start in range(0, len(ids), 500):
            rows = session.scalars(
                select(ArticleRow).where(ArticleRow.id.in_(ids[start : start + 500]))
            )
            for r in rows:
                article = article_from_record(
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
                if article is not None:
                    found.append(article)
        return found

    def warm(self, database: Database) -> None:
        """Build the index now (rjieba's dictionary loaded, every article segmented): the
        server does it at start, so no customer's first keystroke waits seconds for it."""
        with database.session() as session, self._lock:
            self._fresh(session)

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
