"""The knowledge-base index: one FTS5 table (plus a tag table) in the desktop's SQLite cache.

``KbIndex`` works on a plain ``sqlite3.Connection`` that the caller owns, on the caller's
thread: the desktop gives it the cache's writer connection for ``index``/``remove`` (each call
is one transaction, committed before it returns) and a read connection for ``search``.

Ranking is FTS5's BM25 with column weights, stored as the table's ``rank`` so that
``ORDER BY rank LIMIT n`` lets FTS5 sort internally and SQLite computes snippets for the
returned rows only.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from itertools import islice

from sync.kb.query import MatchGroup, any_of, match_groups, narrowed
from sync.kb.records import Article, KbHit, Span
from sync.kb.segment import (
    BOUNDARY,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Segmenter,
    is_cjk,
    plain_text,
)

# Title first: a word in the title says what the article is about; tags are chosen by the
# author, the product line is a category, ``terms`` holds the derived forms (sub-words,
# characters, joined codes), which only count when nothing better matched.
WEIGHTS = {"title": 8.0, "body": 1.0, "tags": 4.0, "product_line": 2.0, "terms": 0.6}
SNIPPET_TOKENS = 18
_BATCH = 500
# An OR query ranks every article holding any of its words. When the words together are in
# more articles than this, only the rarest of them choose the candidates (see
# ``query.narrowed``): on 100,000 articles "换了新硒鼓还是提示碳粉不足" ranks 6,000 articles
# instead of 40,000 (6 ms instead of 70). Below it, plain OR (the test corpus never narrows).
CANDIDATE_BUDGET = 2000
# Document frequencies are cached per index object (they only steer which words narrow, so a
# stale figure costs speed, never a result); own writes clear them.
_FREQUENCY_CACHE = 20_000

_SCHEMA = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS kb_fts USING fts5(
    title, body, tags, product_line, terms,
    language UNINDEXED, product UNINDEXED, version UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE TABLE IF NOT EXISTS kb_tags (
    tag TEXT NOT NULL,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (tag, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS kb_tags_article ON kb_tags (article_id);
CREATE VIRTUAL TABLE IF NOT EXISTS kb_vocab USING fts5vocab(kb_fts, 'row');
INSERT INTO kb_fts (kb_fts, rank) VALUES ('rank', 'bm25({", ".join(map(str, WEIGHTS.values()))})');
"""

_WHITESPACE = re.compile(r"\s+")


class KbIndex:
    """Index articles and search them: ``ensure_schema`` once, then ``index``/``search``."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        segmenter: Segmenter | None = None,
        candidate_budget: int = CANDIDATE_BUDGET,
    ) -> None:
        self._db = connection
        self._segmenter = segmenter or Segmenter()
        self._budget = candidate_budget
        self._frequencies: dict[tuple[str, bool], int] = {}
        self._documents: int | None = None

    @property
    def segmenter(self) -> Segmenter:
        return self._segmenter

    def ensure_schema(self) -> None:
        self._db.executescript(_SCHEMA)

    def index(self, articles: Iterable[Article]) -> int:
        """Add or replace articles by id (one transaction); returns how many were written."""
        written = 0
        # Segmented before the transaction: the write lock on the cache file is held for the
        # inserts only, not for the word splitting (the sync's writer waits for it).
        rows = [(article, self._row(article)) for article in articles]
        iterator = iter(rows)
        with self._db:
            while pairs := list(islice(iterator, _BATCH)):
                batch = [article for article, _row in pairs]
                self._delete([article.id for article in batch])
                self._db.executemany(
                    "INSERT INTO kb_fts (rowid, title, body, tags, product_line, terms, "
                    "language, product, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [row for _article, row in pairs],
                )
                self._db.executemany(
                    "INSERT OR IGNORE INTO kb_tags (tag, article_id) VALUES (?, ?)",
                    [(_tag_key(tag), article.id) for article in batch for tag in article.tags],
                )
                written += len(batch)
        self._forget_frequencies()
        return written

    def remove(self, ids: Iterable[int]) -> None:
        wanted = list(ids)
        with self._db:
            for start in range(0, len(wanted), _BATCH):
                self._delete(wanted[start : start + _BATCH])
        self._forget_frequencies()

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM kb_fts").fetchone()[0])

    def search(
        self,
        text: str,
        product_line: str | None = None,
        language: str | None = None,
        tag: str | None = None,
        limit: int = 10,
    ) -> list[KbHit]:
        """Articles for what an agent typed, best first; the last word counts as a prefix."""
        return self._run(text, product_line, language, tag, limit, prefix=True)

    def suggest(
        self,
        text: str,
        product_line: str | None = None,
        language: str | None = None,
        limit: int = 5,
    ) -> list[KbHit]:
        """Articles to push for a ticket summary: whole words only, the product line's first."""
        return self._run(text, product_line, language, None, limit, prefix=False)

    def match_expression(self, text: str, *, prefix: bool = True) -> str:
        """The FTS5 expression ``search`` runs for ``text`` (the benchmark's floor uses it)."""
        terms, open_end = self._segmenter.query_terms(text)
        return self._expression(match_groups(terms, open_end=open_end, prefix=prefix))

    def _run(
        self,
        text: str,
        product_line: str | None,
        language: str | None,
        tag: str | None,
        limit: int,
        *,
        prefix: bool,
    ) -> list[KbHit]:
        terms, open_end = self._segmenter.query_terms(text)
        expression = self._expression(match_groups(terms, open_end=open_end, prefix=prefix))
        if not expression or limit <= 0:
            return []
        sql = [
            "SELECT rowid, highlight(kb_fts, 0, :start, :end), "
            f"snippet(kb_fts, 1, :start, :end, '…', {SNIPPET_TOKENS}), language, product, rank "
            "FROM kb_fts WHERE kb_fts MATCH :match"
        ]
        params: dict[str, object] = {
            "start": HIGHLIGHT_START,
            "end": HIGHLIGHT_END,
            "match": expression,
            "limit": limit,
        }
        if product_line is not None:
            sql.append("AND product = :product")
            params["product"] = product_line
        if language is not None:
            sql.append("AND language = :language")
            params["language"] = language
        if tag is not None:
            sql.append("AND rowid IN (SELECT article_id FROM kb_tags WHERE tag = :tag)")
            params["tag"] = _tag_key(tag)
        sql.append("ORDER BY rank LIMIT :limit")
        needles = [
            word
            for term in terms
            for word in (term.phrase[0], *term.alternatives)
            if term.cjk and is_cjk(word)
        ]
        return [
            KbHit(
                article_id=int(row[0]),
                title=_readable(row[1]).replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, ""),
                title_spans=_spans(row[1], needles),
                snippet=_spans(_WHITESPACE.sub(" ", row[2]).strip(), needles),
                language=str(row[3]),
                product_line=str(row[4]),
                score=-float(row[5]),
            )
            for row in self._db.execute(" ".join(sql), params)
        ]

    def _expression(self, groups: list[MatchGroup]) -> str:
        # OR, not AND: agents type symptoms in their own words ("电视有声音没图像"), and one word
        # the article does not use must not hide it; BM25 ranks articles holding more of the
        # words first. On the query set AND gave recall@5 0.82, OR 1.00.
        if len(groups) < 2 or self._document_count() <= self._budget:
            return any_of(groups)
        frequency = {id(group): self._group_frequency(group) for group in groups}
        narrowing: list[MatchGroup] = []
        total = 0
        for group in sorted(groups, key=lambda group: frequency[id(group)]):
            if not frequency[id(group)]:
                continue  # in no article: it would narrow to nothing
            if narrowing and total + frequency[id(group)] > self._budget:
                break
            narrowing.append(group)
            total += frequency[id(group)]
        return narrowed(narrowing or groups, groups)

    def _document_count(self) -> int:
        if self._documents is None:
            self._documents = int(
                self._db.execute("SELECT count(*) FROM kb_fts_docsize").fetchone()[0]
            )
        return self._documents

    def _group_frequency(self, group: MatchGroup) -> int:
        # A phrase is in at most as many articles as its rarest word; alternatives add up.
        total = 0
        for run in group.alternatives:
            total += min(self._frequency(token, group.prefix and token == run[-1]) for token in run)
        return min(total, self._document_count())

    def _frequency(self, token: str, prefix: bool) -> int:
        key = (token, prefix)
        if key in self._frequencies:
            return self._frequencies[key]
        if len(self._frequencies) >= _FREQUENCY_CACHE:
            self._frequencies.clear()
        if prefix and len(token) < 3:
            # Two letters match a good part of the vocabulary: counting would cost more than
            # it saves, and the answer is "many".
            count = self._document_count()
        elif prefix:
            # Counts an article once per matching word: an over-estimate, which is the safe side.
            upper = token[:-1] + chr(ord(token[-1]) + 1)
            count = int(
                self._db.execute(
                    "SELECT total(doc) FROM kb_vocab WHERE term >= ? AND term < ?", (token, upper)
                ).fetchone()[0]
            )
        else:
            row = self._db.execute("SELECT doc FROM kb_vocab WHERE term = ?", (token,)).fetchone()
            count = int(row[0]) if row else 0
        self._frequencies[key] = count
        return count

    def _forget_frequencies(self) -> None:
        self._frequencies.clear()
        self._documents = None

    def _row(self, article: Article) -> tuple[object, ...]:
        segment = self._segmenter.index_text
        title = segment(article.title.translate(_NO_RESERVED))
        body = segment(plain_text(article.body))
        tags = segment(" ; ".join(article.tags).translate(_NO_RESERVED))
        product = segment(article.product_line.translate(_NO_RESERVED))
        terms = sorted(title.terms | body.terms | tags.terms | product.terms)
        return (
            article.id,
            title.marked,
            body.marked,
            tags.marked,
            product.marked,
            " ".join(terms),
            article.language,
            article.product_line,
            article.version,
        )

    def _delete(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        self._db.execute(f"DELETE FROM kb_fts WHERE rowid IN ({marks})", list(ids))
        self._db.execute(f"DELETE FROM kb_tags WHERE article_id IN ({marks})", list(ids))


_NO_RESERVED = str.maketrans("", "", BOUNDARY + HIGHLIGHT_START + HIGHLIGHT_END)


def _tag_key(tag: str) -> str:
    return tag.strip().casefold()


def _readable(marked: str) -> str:
    """Text as the author wrote it: adjacent highlights joined, word boundaries removed."""
    for glue in (HIGHLIGHT_END + BOUNDARY + HIGHLIGHT_START, HIGHLIGHT_END + HIGHLIGHT_START):
        marked = marked.replace(glue, "")
    return marked.replace(BOUNDARY, "")


def _spans(marked: str, needles: Sequence[str]) -> tuple[Span, ...]:
    """Split FTS5's marked-up text into spans; Chinese query words the index matched through
    a derived form (泵 inside 输液泵) are highlighted here, where FTS5 could not."""
    spans: list[Span] = []
    for index, part in enumerate(
        re.split(f"[{HIGHLIGHT_START}{HIGHLIGHT_END}]", _readable(marked))
    ):
        if not part:
            continue
        if index % 2:
            spans.append(Span(part, highlighted=True))
        else:
            spans.extend(_mark_needles(part, needles))
    return tuple(spans)


def _mark_needles(text: str, needles: Sequence[str]) -> list[Span]:
    if not needles:
        return [Span(text)]
    pattern = re.compile(
        "|".join(re.escape(n) for n in sorted(set(needles), key=len, reverse=True))
    )
    spans: list[Span] = []
    position = 0
    for found in pattern.finditer(text):
        if found.start() > position:
            spans.append(Span(text[position : found.start()]))
        spans.append(Span(found.group(), highlighted=True))
        position = found.end()
    if position < len(text):
        spans.append(Span(text[position:]))
    return spans
