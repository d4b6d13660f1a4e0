"""The knowledge-base index: one FTS5 table (plus a tag table) in the desktop's SQLite cache.

``KbIndex`` works on a plain ``sqlite3.Connection`` that the caller owns, on the caller's
thread: the desktop gives it the cache's writer connection for ``index``/``remove`` (each call
is one transaction, committed before it returns) and a read connection for ``search``.

Ranking is FTS5's BM25 with column weights, stored as the table's ``rank`` so that
``ORDER BY rank LIMIT n`` lets FTS5 sort internally and SQLite computes snippets for the
returned rows only.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice

from sync.kb.query import MAX_TERMS, MatchGroup, any_of, match_groups, narrowed, quoted
from sync.kb.records import Article, KbHit, Span
from sync.kb.segment import (
    BOUNDARY,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    STOPWORDS,
    Segmenter,
    is_cjk,
    plain_text,
)
from sync.kb.synonyms import SPOKEN

# Title first: a word in the title says what the article is about; tags are chosen by the
# author, the product line is a category, ``terms`` holds the derived forms (sub-words,
# characters, joined codes), which only count when nothing better matched.
WEIGHTS = {
    "title": 8.0,
    "body": 1.0,
    "tags": 4.0,
    "product_line": 2.0,
    "terms": 0.6,
    "asked": 6.0,  # the questions experts answered with it, in the askers' words
}
# The index's layout: a cache built by an older desk is dropped and rebuilt from the cached
# articles when this changes (it is derived data; the reconcile at start rebuilds it).
FORMAT = "2"
_TABLES = ("kb_fts", "kb_tags", "kb_pinyin", "kb_vocab")
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
    title, body, tags, product_line, terms, asked,
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
-- The index's Chinese words by toneless pinyin: a query word the index lacks is looked up
-- here by its sound (花平 -> hua ping -> 花屏). Words of removed articles may stay: a
-- correction is used only if the index still holds the word.
CREATE TABLE IF NOT EXISTS kb_pinyin (
    pinyin TEXT NOT NULL,
    word TEXT NOT NULL,
    PRIMARY KEY (pinyin, word)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS kb_vocab USING fts5vocab(kb_fts, 'row');
INSERT INTO kb_fts (kb_fts, rank) VALUES ('rank', 'bm25({", ".join(map(str, WEIGHTS.values()))})');
"""

_WHITESPACE = re.compile(r"\s+")
# What unicode61 keeps as a token, for reading which query words a returned article holds.
_SEPARATORS = re.compile(r"[\W_]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+(?:[-_/][a-z0-9]+)*")
# A homophone guess costs one lookup a window; a pasted paragraph stops guessing here.
_TYPO_WINDOWS = 48
# What is read of a query: a pasted e-mail says what it is about well before this, and every
# step after segmenting grows with the text.
MAX_QUERY_CHARS = 2000
# A match through a stand-in (a homophone's correction, the characters of an unknown word)
# counts this much of the word it stands for.
FALLBACK_CREDIT = 0.6
# A hit that lacks a code the query names (E-09 where the article says E-17) is at most this
# good: below ``records.WEAK_FROM``, so "no good match" when no article holds the code.
CODE_MISSING_CAP = 0.25
_CODE_SHAPE = re.compile(r"[a-z]{1,4}\d{1,4}")
# Among results that answer as much of the query, the agent's own language first, chosen from
# this many more rows than are shown.
PREFERRED_POOL = 10


class KbIndex:
    """Index articles and search them: ``ensure_schema`` once, then ``index``/``search``."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        segmenter: Segmenter | None = None,
        candidate_budget: int = CANDIDATE_BUDGET,
        synonyms: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._db = connection
        self._segmenter = segmenter or Segmenter()
        # The seed table, and over it the centre's own (an expert's entry for a seeded spoken
        # form replaces it), folded as queries are (an entry made offline is as typed).
        self._synonyms: Mapping[str, tuple[str, ...]] = SPOKEN
        if synonyms:
            fold = Segmenter.folded
            own = {fold(k): tuple(fold(w) for w in v) for k, v in synonyms.items()}
            self._synonyms = {**SPOKEN, **own}
        self._budget = candidate_budget
        self._frequencies: dict[tuple[str, bool], int] = {}
        self._documents: int | None = None
        self._known_words: set[str] = set()  # in kb_pinyin already (written by this object)

    @property
    def segmenter(self) -> Segmenter:
        return self._segmenter

    def ensure_schema(self) -> None:
        with self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            row = self._db.execute("SELECT value FROM kb_meta WHERE key = 'format'").fetchone()
            # Older (or none: the first release's) is rebuilt; a newer desk's index is kept as
            # it is (its extra columns are ignored here; a desk rolled back must not rebuild
            # the index at every start).
            if row is None or int(row[0]) < int(FORMAT):
                for table in reversed(_TABLES):
                    self._db.execute(f"DROP TABLE IF EXISTS {table}")
                self._db.execute(
                    "INSERT OR REPLACE INTO kb_meta (key, value) VALUES ('format', ?)", (FORMAT,)
                )
        self._db.executescript(_SCHEMA)

    def index(self, articles: Iterable[Article]) -> int:
        """Add or replace articles by id (one transaction); returns how many were written."""
        written = 0
        # Segmented before the transaction: the write lock on the cache file is held for the
        # inserts only, not for the word splitting (the sync's writer waits for it).
        rows = [(article, *self._row(article)) for article in articles]
        iterator = iter(rows)
        with self._db:
            while triples := list(islice(iterator, _BATCH)):
                batch = [article for article, _row, _words in triples]
                self._delete([article.id for article in batch])
                self._db.executemany(
                    "INSERT INTO kb_fts (rowid, title, body, tags, product_line, terms, asked, "
                    "language, product, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [row for _article, row, _words in triples],
                )
                fresh = {w for _a, _r, words in triples for w in words} - self._known_words
                self._db.executemany(
                    "INSERT OR IGNORE INTO kb_pinyin (pinyin, word) VALUES (?, ?)",
                    [(self._segmenter.pinyin(word), word) for word in sorted(fresh)],
                )
                self._known_words |= fresh
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
        prefer_language: str | None = None,
    ) -> list[KbHit]:
        """Articles for what an agent typed, best first; the last word counts as a prefix.
        ``prefer_language`` (the agent's UI language) ranks that language's articles first
        among near-equals when no ``language`` filter is set."""
        return self._run(text, product_line, language, tag, limit, prefer_language, prefix=True)

    def suggest(
        self,
        text: str,
        product_line: str | None = None,
        language: str | None = None,
        limit: int = 5,
        prefer_language: str | None = None,
    ) -> list[KbHit]:
        """Articles to push for a ticket summary: whole words only, the product line's first."""
        return self._run(text, product_line, language, None, limit, prefer_language, prefix=False)

    def match_expression(self, text: str, *, prefix: bool = True) -> str:
        """The FTS5 expression ``search`` runs for ``text`` (the benchmark's floor uses it)."""
        return self._expression(self._groups(text, prefix=prefix))

    def _groups(self, text: str, *, prefix: bool) -> list[MatchGroup]:
        """The query's groups: words the index lacks given their fallbacks, a long text cut
        down to its codes and rarest words (before the costlier steps, then again after)."""
        text = text[:MAX_QUERY_CHARS]
        terms, open_end = self._segmenter.query_terms(text)
        groups = self._weightiest(match_groups(terms, open_end=open_end, prefix=prefix), 2)
        if not groups:
            return groups
        runs = self._segmenter.cjk_runs(text)
        return self._weightiest(self._repaired(self._with_synonyms(groups, text, runs), runs), 1)

    def _weightiest(self, groups: list[MatchGroup], times: int) -> list[MatchGroup]:
        """At most ``times`` × ``MAX_TERMS`` groups, in the order typed. A pasted e-mail keeps
        what identifies the problem (codes and model numbers, then the rarest words);
        greetings and common words go."""
        if len(groups) <= MAX_TERMS * times:
            return groups

        def weight(group: MatchGroup) -> tuple[bool, int]:
            code = any(ch.isdigit() for run in group.alternatives for ch in "".join(run))
            found = self._group_frequency(group)
            return (not code, found if found else self._document_count() + 1)

        kept = {id(g) for g in sorted(groups, key=weight)[: MAX_TERMS * times]}
        return [group for group in groups if id(group) in kept]

    def _with_synonyms(
        self, groups: list[MatchGroup], text: str, runs: Sequence[str]
    ) -> list[MatchGroup]:
        """Spoken forms (``synonyms.SPOKEN``, the centre's over it) found in the query: their
        article words become alternatives of the query words they overlap (夹纸 → 卡纸), or a
        group of their own when the query words there were all dropped; a word some article
        uses keeps its own."""
        folded = " ".join(runs) + " " + self._segmenter.folded(text)
        latin = set(_LATIN_WORD.findall(folded))
        extra: list[MatchGroup] = []
        for spoken, targets in self._synonyms.items():
            # A Latin spoken form is a whole word ("x" is not in "fax"); a Chinese one is
            # found inside the run, as agents write without spaces.
            if spoken not in latin if spoken.isascii() else spoken not in folded:
                continue
            runs_of: list[tuple[str, ...]] = []
            for target in targets:
                # The target through the query's own steps (E-17 is a phrase of e and 17);
                # a stopword or nothing left says nothing.
                for term in self._segmenter.query_terms(target)[0]:
                    runs_of.append(term.phrase)
                    if term.joined:
                        runs_of.append((term.joined,))
            words = list(dict.fromkeys(runs_of))
            if not words:
                continue
            touched = [
                i for i, g in enumerate(groups) if g.word and (g.word in spoken or spoken in g.word)
            ]
            for i in touched:
                # Only where the agent's word is in no article: where it is, the articles that
                # use it are the better answer (没反应 is the remote's own wording).
                if not self._group_frequency(groups[i]):
                    groups[i] = groups[i].with_synonyms(words)
            if not touched:
                extra.append(
                    MatchGroup(" OR ".join(quoted(run) for run in words), tuple(words), False)
                )
        return groups + extra

    def _repaired(self, groups: list[MatchGroup], runs: Sequence[str]) -> list[MatchGroup]:
        """Chinese words no article holds, given what the agent probably meant: a word of
        the index that sounds the same (花平 → 花屏; 卡只, cut as 卡 + 只, → 卡纸), else all
        of the word's characters (网慢 → 网 AND 慢; each character of a word is indexed)."""
        groups = [g for g in groups if not (g.variant and not self._group_frequency(g))]
        lacking = {id(g) for g in groups if g.word and not self._group_frequency(g)}
        if not lacking:
            return groups
        singles = {id(g) for g in groups if len(g.word) == 1}
        unsure = {g.word for g in groups if id(g) in lacking or id(g) in singles}
        known = {ch for g in groups if len(g.word) > 1 and id(g) not in lacking for ch in g.word}
        corrections = self._homophones(runs, unsure, known)
        repaired: list[MatchGroup] = []
        for group in groups:
            if id(group) in lacking or id(group) in singles:
                sounds: list[tuple[str, ...]] = [
                    (w,) for window, w in corrections if set(window) & set(group.word)
                ]
                if id(group) in lacking and not sounds and len(group.word) > 1:
                    sounds = [tuple(group.word)]
                repaired.append(group.with_fallbacks(list(dict.fromkeys(sounds))))
            else:
                repaired.append(group)
        return repaired

    def _homophones(
        self, runs: Sequence[str], unsure: set[str], known: set[str]
    ) -> list[tuple[str, str]]:
        """(window, word) pairs: two- to four-character windows of the query's Chinese runs
        that touch an ``unsure`` word (unknown, or a lone character), hold no character of a
        ``known`` word (咯吱响 must not become 指向), and sound like a word of the index that
        is a different word and is in some article."""
        found: list[tuple[str, str]] = []
        seen: set[str] = set()
        for window in _windows_touching(runs, unsure):
            if window in seen or known & set(window):
                continue
            seen.add(window)
            if len(seen) > _TYPO_WINDOWS:
                break  # a pasted paragraph: enough guessing
            if self._frequency(window, False):
                continue  # a word the index has is not a typo
            key = self._segmenter.pinyin(window)
            for (word,) in self._db.execute(
                "SELECT word FROM kb_pinyin WHERE pinyin = ? LIMIT 8", (key,)
            ):
                if word != window and self._frequency(word, False):
                    found.append((window, word))
        return found

    def _run(
        self,
        text: str,
        product_line: str | None,
        language: str | None,
        tag: str | None,
        limit: int,
        prefer_language: str | None,
        *,
        prefix: bool,
    ) -> list[KbHit]:
        groups = self._groups(text, prefix=prefix)
        expression = self._expression(groups)
        if not expression or limit <= 0:
            return []
        # With a preferred language, a few more rows to choose from than are shown.
        wanted = limit + PREFERRED_POOL if prefer_language and language is None else limit
        # No ``rank`` (nor ``bm25()``) among the columns: FTS5 orders by it internally, but
        # reading it back makes bm25 count every query word's articles again (a second walk
        # of each posting list: +25 % on the 100,000-article benchmark). Order is all we use.
        sql = [
            "SELECT rowid, highlight(kb_fts, 0, :start, :end), "
            f"snippet(kb_fts, 1, :start, :end, '…', {SNIPPET_TOKENS}), language, product "
            "FROM kb_fts WHERE kb_fts MATCH :match"
        ]
        params: dict[str, object] = {
            "start": HIGHLIGHT_START,
            "end": HIGHLIGHT_END,
            "match": expression,
            "limit": wanted,
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
            for group in groups
            for word in (*(run[0] for run in group.alternatives), *(f[0] for f in group.fallbacks))
            if is_cjk(word)
        ]
        rows: list[_Row] = self._db.execute(" ".join(sql), params).fetchall()
        weights = [self._weight(group) for group in groups]
        # The columns the match quality reads, by rowid from the table's own content (no
        # second MATCH).
        held = self._stored([row[0] for row in rows])
        known: dict[int, float] = {}

        def quality(rowid: int) -> float:
            # Read for the rows shown and the rows the language preference compares only.
            if rowid not in known:
                known[rowid] = _coverage(groups, weights, _tokens(held.get(rowid, ())))
            return known[rowid]

        if wanted != limit and prefer_language is not None:
            rows = _preferring(rows, prefer_language, quality)[:limit]
        pattern = _needle_pattern(needles)
        return [
            KbHit(
                article_id=row[0],
                title=_readable(row[1]).replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, ""),
                title_spans=_spans(row[1], pattern),
                snippet=_spans(_WHITESPACE.sub(" ", row[2]).strip(), pattern),
                language=str(row[3]),
                product_line=str(row[4]),
                score=1.0 / (1 + position),
                quality=quality(row[0]),
            )
            for position, row in enumerate(rows)
        ]

    def _stored(self, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        """Title, body, tags, product line, terms and asked of ``ids``, as stored."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {
            int(row[0]): tuple(row[1:])
            for row in self._db.execute(
                f"SELECT id, c0, c1, c2, c3, c4, c5 FROM kb_fts_content WHERE id IN ({marks})",
                list(ids),
            )
        }

    def _weight(self, group: MatchGroup) -> float:
        """How much a query word says (inverse document frequency; a word no article holds
        says the most: a query about something the knowledge base does not cover)."""
        documents = self._document_count()
        return math.log(1 + documents / (1 + self._group_frequency(group)))

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
        for tokens in group.fallbacks:
            total += min(self._frequency(token, False) for token in tokens)
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

    def _asked_words(self, question: str) -> str:
        """What a kept question adds to its article: its first ``MAX_TERMS`` distinct words that
        say something (a pasted e-mail must not make the article match everything)."""
        words: list[str] = []
        for word in self._segmenter.cut(Segmenter.folded(question)):
            if word.strip() and word not in STOPWORDS and any(ch.isalnum() for ch in word):
                if word not in words:
                    words.append(word)
                if len(words) >= MAX_TERMS:
                    break
        return " ".join(words)

    def _row(self, article: Article) -> tuple[tuple[object, ...], frozenset[str]]:
        """The row for ``kb_fts`` and the article's Chinese words (for ``kb_pinyin``)."""
        segment = self._segmenter.index_text
        title = segment(article.title.translate(_NO_RESERVED))
        body = segment(plain_text(article.body))
        tags = segment(" ; ".join(article.tags).translate(_NO_RESERVED))
        product = segment(article.product_line.translate(_NO_RESERVED))
        asked = segment(" ; ".join(self._asked_words(q) for q in article.asked))
        terms = sorted(title.terms | body.terms | tags.terms | product.terms)
        row = (
            article.id,
            title.marked,
            body.marked,
            tags.marked,
            product.marked,
            " ".join(terms),
            # The askers' words and their derived forms, all at the column's weight.
            " ".join([asked.marked, *sorted(asked.terms)]) if article.asked else "",
            article.language,
            article.product_line,
            article.version,
        )
        return row, title.words | body.words | tags.words

    def _delete(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        self._db.execute(f"DELETE FROM kb_fts WHERE rowid IN ({marks})", list(ids))
        self._db.execute(f"DELETE FROM kb_tags WHERE article_id IN ({marks})", list(ids))


_NO_RESERVED = str.maketrans("", "", BOUNDARY + HIGHLIGHT_START + HIGHLIGHT_END)


# A returned row: rowid, highlighted title, snippet, language, product line.
_Row = tuple[int, str, str, str, str]


def _preferring(rows: Sequence[_Row], language: str, quality: Callable[[int], float]) -> list[_Row]:
    """``rows`` (best first) with each row in the agent's ``language`` moved above the rows
    of other languages just before it that answer no more of the query than it does (a
    code alone, E-17, matches an article and its translation alike): near-equals are told
    by the match quality, as BM25's own figure is not read (see ``_run``)."""
    ordered: list[_Row] = []
    for row in rows:
        place = len(ordered)
        if row[3] == language:
            mine = quality(row[0])
            while (
                place
                and ordered[place - 1][3] != language
                and quality(ordered[place - 1][0]) <= mine
            ):
                place -= 1
        ordered.insert(place, row)
    return ordered


def _tag_key(tag: str) -> str:
    return tag.strip().casefold()


def _readable(marked: str) -> str:
    """Text as the author wrote it: adjacent highlights joined, word boundaries removed."""
    for glue in (HIGHLIGHT_END + BOUNDARY + HIGHLIGHT_START, HIGHLIGHT_END + HIGHLIGHT_START):
        marked = marked.replace(glue, "")
    return marked.replace(BOUNDARY, "")


def _needle_pattern(needles: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern a search for the Chinese query words (longest first), or None."""
    if not needles:
        return None
    return re.compile("|".join(re.escape(n) for n in sorted(set(needles), key=len, reverse=True)))


def _spans(marked: str, needles: re.Pattern[str] | None) -> tuple[Span, ...]:
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


def _mark_needles(text: str, pattern: re.Pattern[str] | None) -> list[Span]:
    if pattern is None:
        return [Span(text)]
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


def _windows_touching(runs: Sequence[str], words: set[str]) -> Iterator[str]:
    """Two- to four-character windows of ``runs`` that overlap an occurrence of one of
    ``words`` (found where each word is, not by trying every window against every word)."""
    for run in runs:
        for word in words:
            start = run.find(word)
            while start >= 0:
                end = start + len(word)
                for size in (2, 3, 4):
                    for first in range(max(0, start - size + 1), min(end, len(run) - size + 1)):
                        yield run[first : first + size]
                start = run.find(word, start + 1)


def _tokens(columns: Sequence[object]) -> tuple[set[str], str]:
    """A returned article's tokens (as unicode61 would split them, lower-cased) and its text
    as one space-separated token string (for phrases: tokens next to each other)."""
    # One pass in C over the whole row (U+200B, the word boundary, is a separator too).
    text = _SEPARATORS.sub(" ", " ".join(str(c or "") for c in columns).lower()).strip()
    return set(text.split()), " " + text + " "


def _holds(run: tuple[str, ...], tokens: tuple[set[str], str], prefix: bool) -> bool:
    present, joined = tokens
    if len(run) == 1:
        word = run[0]
        return word in present or (prefix and any(t.startswith(word) for t in present))
    return (" " + " ".join(run) + " ") in joined or (prefix and (" " + " ".join(run)) in joined)


def _coverage(
    groups: Sequence[MatchGroup], weights: Sequence[float], tokens: tuple[set[str], str]
) -> float:
    """How much of the query an article answers: its query words weighted by how much each
    says (idf), a stand-in's match counting ``FALLBACK_CREDIT``."""
    total = sum(weights)
    if not total:
        return 0.0
    got = 0.0
    for group, weight in zip(groups, weights, strict=True):
        if any(_holds(run, tokens, group.prefix) for run in group.alternatives):
            got += weight
        elif any(all(t in tokens[0] for t in fallback) for fallback in group.fallbacks):
            got += weight * FALLBACK_CREDIT
        elif is_code(group):
            # The agent named a model or an error code (E-09, IPv6) this article does not
            # hold: whatever else it shares, it answers another question.
            return min(got / total, CODE_MISSING_CAP)
    return got / total


def is_code(group: MatchGroup) -> bool:
    """A model or error code as typed: a few letters then a few digits (E-09, IP-300, ipv6),
    not a quantity (500M) nor a long serial number."""
    return any(_CODE_SHAPE.fullmatch("".join(run)) for run in group.alternatives)
