"""The knowledge base's reads and counters in the desktop's cache file, beside the index.

Articles themselves are cache records (entity ``article``, pulled with everything else); this
module reads them for the index and the article view, keeps the last counters the server
reported (``kb_counts``: views and votes change without a new article version, so the change
feed does not carry them) and adds the desk's own votes and views still waiting in the outbox,
so that a vote shows at once, offline too. Plain ``sqlite3``, one instance per thread.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sync.contract.kb import ArticleCounts
from sync.kb.content import article_from_record, safe_html
from sync.kb.records import Article
from sync.routes import FEEDBACK_ENTITY, VIEWS_ENTITY

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kb_counts (
    article_id INTEGER PRIMARY KEY,
    views INTEGER NOT NULL,
    helpful INTEGER NOT NULL,
    not_helpful INTEGER NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Synonym:
    """A spoken form and the article words it stands for, as the experts set it."""

    id: int
    spoken: str
    words: tuple[str, ...]
    version: int


@dataclass(frozen=True, slots=True)
class Counts:
    views: int = 0
    helpful: int = 0
    not_helpful: int = 0
    waiting: int = 0  # of these, votes and views not yet sent


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """One article as the article view shows it: the body already made safe."""

    id: int
    title: str
    html: str
    language: str
    tags: tuple[str, ...]
    product_lines: tuple[str, ...]
    version: int
    updated_at: str
    counts: Counts


@dataclass(frozen=True, slots=True)
class Facets:
    """What the filters offer: the values the indexed articles have."""

    product_lines: tuple[str, ...]
    languages: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuestionLine:
    id: int
    text: str
    product_line: str
    ticket_id: int | None
    asked_by: int
    status: str
    answer: str
    article_id: int | None
    updated_at: str


class KbStore:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def ensure_schema(self) -> None:
        self._db.executescript(_SCHEMA)

    # -- articles -----------------------------------------------------------------------------

    def _records(self, entity: str, ids: Iterable[int] | None) -> Iterator[tuple[int, Any]]:
        if ids is None:
            rows: Iterable[Any] = self._db.execute(
                "SELECT id, data FROM records WHERE entity = ? ORDER BY id", (entity,)
            )
            for record_id, data in rows:
                yield int(record_id), json.loads(data)
            return
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for record_id, data in self._db.execute(
                f"SELECT id, data FROM records WHERE entity = ? AND id IN ({marks})",
                (entity, *chunk),
            ):
                yield int(record_id), json.loads(data)

    def articles(self, ids: Iterable[int] | None = None) -> tuple[list[Article], list[int]]:
        """Articles to index, and the ids asked for that are not to be found (gone, drafts)."""
        found: list[Article] = []
        seen: set[int] = set()
        for record_id, data in self._records("article", ids):
            article = article_from_record(data)
            if article is not None:
                found.append(article)
                seen.add(record_id)
        hidden = [i for i in ids if i not in seen] if ids is not None else []
        return found, hidden

    def synonyms(self) -> list[Synonym]:
        """The centre's synonym table as cached: the experts' own entries, pending ones
        included, less those whose removal is queued (removed here, at once, offline too)."""
        found: list[Synonym] = []
        for record_id, data in self._db.execute(
            "SELECT r.id, r.data FROM records r WHERE r.entity = 'kb_synonym' AND NOT EXISTS "
            "(SELECT 1 FROM outbox o WHERE o.entity = r.entity AND o.record_id = r.id "
            "AND o.op = 'delete') ORDER BY r.id"
        ):
            record = json.loads(data)
            words = tuple(str(w) for w in record.get("words") or [] if w)
            spoken = str(record.get("spoken") or "")
            if spoken and words:
                version = int(record.get("version") or 1)
                found.append(Synonym(int(record_id), spoken, words, version))
        return found

    def versions(self) -> dict[int, int]:
        """Article id -> version, of every article record (drafts included)."""
        return {
            int(i): int(v)
            for i, v in self._db.execute("SELECT id, version FROM records WHERE entity='article'")
        }

    def detail(self, article_id: int) -> ArticleDetail | None:
        for _id, data in self._records("article", [article_id]):
            return ArticleDetail(
                id=article_id,
                title=str(data.get("title") or ""),
                html=safe_html(str(data.get("body") or "")),
                language=str(data.get("language") or ""),
                tags=tuple(str(t) for t in data.get("tags") or []),
                product_lines=tuple(str(p) for p in data.get("product_lines") or []),
                version=int(data.get("version") or 1),
                updated_at=str(data.get("updated_at") or ""),
                counts=self._counts(article_id, data),
            )
        return None

    def facets(self) -> Facets:
        lines: set[str] = set()
        languages: set[str] = set()
        tags: dict[str, str] = {}
        for _id, data in self._records("article", None):
            if data.get("status", "published") != "published":
                continue
            lines.update(str(p) for p in (data.get("product_lines") or [])[:1] if p)
            if data.get("language"):
                languages.add(str(data["language"]))
            for tag in data.get("tags") or []:
                tags.setdefault(str(tag).strip().casefold(), str(tag).strip())
        return Facets(
            tuple(sorted(lines)),
            tuple(sorted(languages)),
            tuple(sorted(tags.values(), key=str.casefold)),
        )

    # -- counters -----------------------------------------------------------------------------

    def counts(self, article_id: int) -> Counts:
        for _id, data in self._records("article", [article_id]):
            return self._counts(article_id, data)
        return Counts()

    def _counts(self, article_id: int, data: dict[str, Any]) -> Counts:
        # Counters only grow: the larger of the record's (the last pull) and the last report.
        views = int(data.get("views") or 0)
        helpful = int(data.get("helpful") or 0)
        not_helpful = int(data.get("not_helpful") or 0)
        row = self._db.execute(
            "SELECT views, helpful, not_helpful FROM kb_counts WHERE article_id = ?",
            (article_id,),
        ).fetchone()
        if row is not None:
            views, helpful, not_helpful = (
                max(views, row[0]),
                max(helpful, row[1]),
                max(not_helpful, row[2]),
            )
        waiting = 0
        for op, payload in self._db.execute(
            "SELECT op, payload FROM outbox WHERE entity IN (?, ?) AND state = 'queued' "
            "AND target_id = ?",
            (FEEDBACK_ENTITY, VIEWS_ENTITY, article_id),
        ):
            body = json.loads(payload) if payload else {}
            waiting += 1
            if op == "kb.view":
                views += int(body.get("count", 1))
            elif body.get("helpful"):
                helpful += 1
            else:
                not_helpful += 1
        return Counts(views, helpful, not_helpful, waiting)

    def save_counts(self, counts: Iterable[ArticleCounts]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO kb_counts (article_id, views, helpful, not_helpful) "
                "VALUES (?, ?, ?, ?)",
                [(c.id, c.views, c.helpful, c.not_helpful) for c in counts],
            )

    # -- questions ----------------------------------------------------------------------------

    def questions(self) -> list[QuestionLine]:
        """The team's questions for the experts, newest first."""
        lines = [
            QuestionLine(
                id=record_id,
                text=str(data.get("text") or ""),
                product_line=str(data.get("product_line") or ""),
                ticket_id=data.get("ticket_id"),
                asked_by=int(data.get("asked_by") or 0),
                status=str(data.get("status") or "open"),
                answer=str(data.get("answer") or ""),
                article_id=data.get("article_id"),
                updated_at=str(data.get("updated_at") or ""),
            )
            for record_id, data in self._records("question", None)
        ]
        return sorted(lines, key=lambda q: q.id, reverse=True)
