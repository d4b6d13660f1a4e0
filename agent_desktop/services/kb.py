"""The knowledge base for the panels: search as the agent types, suggestions pushed from a
ticket's summary, the article view with its counters, votes, and questions for the experts.

The index lives in the cache file beside the records (``sync.kb``). One thread keeps it in step
with the cache: a reconcile when the cache opens (the first build on a new cache), then the
article records each commit touched. Searches and reads run on a second thread with a read
connection of their own, so a build never delays what the agent typed; a search superseded by
a newer one on the same channel is skipped, and its answer, if already running, is dropped by
the panel. The server is asked (counters, the experts' report) on a third thread, never on the
UI thread. Each thread's answer comes back through ``TaskRunner.post`` (the one way back onto
the GUI thread, ``agent_desktop.tasks``): every signal here is emitted on the GUI thread. Votes,
views and questions go through the outbox: they work offline.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication, QObject, Signal

from agent_desktop.services.sync_service import CacheError, SyncService
from agent_desktop.tasks import TaskRunner
from sync.client import ApiError
from sync.contract.events import AnsweredData, payload_of
from sync.contract.kb import ArticleViews, CountsOut, KbStatsOut
from sync.contract.version import ANSWER_WITH_ARTICLE_SINCE, KB_SYNONYMS_SINCE
from sync.contract.wire import (
    ArticleFeedback,
    EventOut,
    QuestionAnswer,
    QuestionIn,
    SynonymIn,
    SynonymPatch,
)
from sync.engine import SyncStatus
from sync.entities import EDIT_VERSION, refusal, request_of
from sync.kb import KbIndex, Segmenter
from sync.kb.records import KbHit
from sync.kb.store import (
    ArticleDetail,
    Counts,
    Facets,
    KbStore,
    QuestionLine,
    Synonym,
)

log = logging.getLogger(__name__)

_BUILD_CHUNK = 200  # articles per index transaction: the cache's writer never waits long


@dataclass(frozen=True, slots=True)
class KbQuery:
    text: str
    product_line: str | None = None
    language: str | None = None
    tag: str | None = None
    limit: int = 20
    # The agent's UI language (zh | en): its articles first among near-equals when no
    # language filter is set (a code typed alone matches both languages alike).
    prefer_language: str | None = None


@dataclass(frozen=True, slots=True)
class SearchAnswer:
    request_id: int
    query: KbQuery
    hits: list[KbHit]
    elapsed_ms: float  # on the search thread: segment, match, rank, snippets


@dataclass(frozen=True, slots=True)
class IndexReport:
    articles: int  # in the index now
    written: int  # indexed by this pass
    seconds: float
    first_build: bool


@dataclass(frozen=True, slots=True)
class AnsweredNotice:
    question_id: int
    text: str
    article_id: int | None


class KbService(QObject):
    index_ready = Signal(object)  # IndexReport (after each reconcile / incremental pass)
    facets_loaded = Signal(object)  # Facets
    searched = Signal(object)  # SearchAnswer (from search())
    suggested = Signal(object)  # SearchAnswer (from suggest())
    article_loaded = Signal(object)  # ArticleDetail, or None when not in the cache
    counts_changed = Signal(int, object)  # article id, Counts
    question_sent = Signal()  # queued in the outbox (sent when online)
    question_refused = Signal(str)  # why it could not be queued
    answer_sent = Signal(int)  # an expert's answer to this question is queued
    questions_loaded = Signal(object)  # [QuestionLine]
    answered = Signal(object)  # AnsweredNotice: the experts answered this agent's question
    stats_loaded = Signal(object)  # KbStatsOut, or None when the server cannot be asked
    synonyms_loaded = Signal(object)  # [Synonym]: the centre's table as cached
    synonym_refused = Signal(str)  # why an expert's entry could not be queued

    def __init__(self, sync: SyncService, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sync = sync
        self._tasks = tasks
        self.segmenter = Segmenter()
        self._indexer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-index")
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-search")
        self._network = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-net")
        self._write_conn: tuple[Path, sqlite3.Connection] | None = None  # indexer thread only
        self._read_conn: tuple[Path, sqlite3.Connection] | None = None  # reader thread only
        self._lock = threading.Lock()
        self._next_id = 0
        self._latest: dict[str, int] = {}  # channel -> newest request id (older are skipped)
        self._closed = False
        self.index_report: IndexReport | None = None  # the last pass
        self.build_report: IndexReport | None = None  # the pass that filled an empty index
        self.voted: dict[int, bool] = {}  # this session's votes: one per article
        self._unreported: set[int] = set()  # articles with votes/views not yet confirmed
        self._last_synced: object = None
        # The centre's synonyms, read on the reader thread (replaced whole: searches on that
        # thread read one table or the next, never half of one).
        self._synonym_map: dict[str, tuple[str, ...]] = {}
        # Bumped (indexer or reader thread; an int, replaced whole) when the index or the
        # synonyms change: the reader's index object is made again.
        self._index_generation = 0
        self._read_index: tuple[int, KbIndex] | None = None  # reader thread only
        self.synonyms: list[Synonym] = []
        sync.records_changed.connect(self.records_changed)
        sync.event_received.connect(self._on_event)
        sync.status_changed.connect(self._on_status)

    # -- life ---------------------------------------------------------------------------------

    def start(self) -> None:
        """The cache is open: warm the segmenter, bring the index up to date, read facets and
        the centre's synonyms."""
        self._submit(self._indexer, self._reconcile)
        self.load_synonyms()

    def stop(self) -> None:
        """Signed out: forget this user's session state (the index stays in their cache)."""
        self.voted.clear()
        self._unreported.clear()

    def close(self) -> None:
        self._closed = True
        for pool in (self._network, self._reader, self._indexer):
            pool.shutdown(wait=True, cancel_futures=True)
        for held in (self._write_conn, self._read_conn):
            if held is not None:
                held[1].close()
        self._write_conn = self._read_conn = None

    def may(self, permission: str) -> bool:
        grant = self._sync.grant
        return grant is not None and permission in grant.permissions

    @property
    def user_id(self) -> int | None:
        grant = self._sync.grant
        return grant.user.id if grant is not None else None

    def _submit(self, pool: ThreadPoolExecutor, job: Callable[[], None]) -> None:
        def run() -> None:
            try:
                job()
            except Exception:
                log.exception("knowledge base: background job failed")

        if not self._closed:
            with contextlib.suppress(RuntimeError):  # shut down meanwhile
                pool.submit(run)

    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        """From any thread: ``callback(value)`` on the GUI thread (nothing once closed)."""
        if not self._closed:
            self._tasks.post(callback, value)

    # -- connections (each used on its own thread only) ---------------------------------------

    def _path(self) -> Path | None:
        cache = self._sync.cache
        return cache.path if cache is not None else None

    def _writer(self) -> tuple[KbIndex, KbStore] | None:
        path = self._path()
        if path is None:
            return None
        if self._write_conn is None or self._write_conn[0] != path:
            if self._write_conn is not None:
                self._write_conn[1].close()
            # Used on the index thread only; closed by close() once that thread has stopped.
            conn = sqlite3.connect(path, timeout=10, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=10000")
            self._write_conn = (path, conn)
            KbIndex(conn, self.segmenter).ensure_schema()
            KbStore(conn).ensure_schema()
        conn = self._write_conn[1]
        return KbIndex(conn, self.segmenter), KbStore(conn)

    def _reading(self) -> tuple[KbIndex, KbStore] | None:
        path = self._path()
        if path is None:
            return None
        if self._read_conn is None or self._read_conn[0] != path:
            if self._read_conn is not None:
                self._read_conn[1].close()
            conn = sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, timeout=10, check_same_thread=False
            )
            conn.execute("PRAGMA busy_timeout=10000")
            self._read_conn = (path, conn)
            self._read_index = None
        conn = self._read_conn[1]
        # One index object while the index and the synonyms stay as they are: its document
        # frequencies are remembered between searches (asked again once either changed).
        generation = self._index_generation
        held = self._read_index
        if held is None or held[0] != generation:
            held = (generation, KbIndex(conn, self.segmenter, synonyms=self._synonym_map))
            self._read_index = held
        return held[1], KbStore(conn)

    # -- the index ----------------------------------------------------------------------------

    def _reconcile(self) -> None:
        """On the index thread: make the index hold exactly the cache's published articles."""
        self.segmenter.load()
        opened = self._writer()
        if opened is None:
            return
        index, store = opened
        started = time.perf_counter()
        conn = self._write_conn[1] if self._write_conn else None
        assert conn is not None
        indexed = {int(i): int(v) for i, v in conn.execute("SELECT rowid, version FROM kb_fts")}
        first = not indexed
        records = store.versions()
        stale = [i for i, v in records.items() if indexed.get(i) != v]
        gone = [i for i in indexed if i not in records]
        written = 0
        for start in range(0, len(stale), _BUILD_CHUNK):
            articles, hidden = store.articles(stale[start : start + _BUILD_CHUNK])
            written += index.index(articles)
            gone.extend(hidden)
        if gone:
            index.remove(gone)
        self._index_generation += 1
        report = IndexReport(index.count(), written, time.perf_counter() - started, first)
        log.info(
            "knowledge base: index %s: %d articles written in %.3f s (%d in the index)",
            "built" if first else "checked",
            written,
            report.seconds,
            report.articles,
        )
        self._publish(report, store)

    def _publish(self, report: IndexReport, store: KbStore) -> None:
        facets = store.facets()

        def show(_value: object) -> None:
            self.index_report = report
            if report.first_build and report.written:
                self.build_report = report
            self.index_ready.emit(report)
            self.facets_loaded.emit(facets)

        self._deliver(show, None)

    def load_synonyms(self) -> None:
        """Read the centre's synonym table from the cache (reader thread); ``synonyms_loaded``."""

        def run() -> None:
            opened = self._reading()
            if opened is None:
                return
            try:
                found = opened[1].synonyms()
            except sqlite3.OperationalError as exc:  # no cache tables yet
                log.info("knowledge base: synonyms before the cache exists: %s", exc)
                return
            self._synonym_map = {s.spoken: s.words for s in found}
            self._index_generation += 1
            self._deliver(self._synonyms_read, found)

        self._submit(self._reader, run)

    def _synonyms_read(self, found: list[Synonym]) -> None:
        self.synonyms = found
        self.synonyms_loaded.emit(found)

    def save_synonym(self, spoken: str, words: list[str], existing: Synonym | None) -> None:
        """An expert's entry, through the outbox (offline too): new, or replacing ``existing``;
        ``synonym_refused`` says why one could not be queued."""
        if not self._sync.speaks(KB_SYNONYMS_SINCE):
            self.synonym_refused.emit(self._too_old_for_synonyms())
            return
        try:
            if existing is None:
                request = request_of(SynonymIn, {"spoken": spoken, "words": words})
                queued: Future[Any] = self._sync.create_record(request)
            else:
                edit = {"version": EDIT_VERSION, "spoken": spoken, "words": words}
                queued = self._sync.save_edit(existing.id, request_of(SynonymPatch, edit))
        except ValidationError as exc:
            self.synonym_refused.emit(refusal(exc)[1])
        except CacheError as exc:
            self.synonym_refused.emit(str(exc))
        else:
            self._reload_after(queued)

    def delete_synonym(self, synonym: Synonym) -> None:
        if not self._sync.speaks(KB_SYNONYMS_SINCE):
            self.synonym_refused.emit(self._too_old_for_synonyms())
            return
        try:
            queued = self._sync.delete("kb_synonym", synonym.id)
        except CacheError as exc:
            self.synonym_refused.emit(str(exc))
        else:
            self._reload_after(queued)

    @staticmethod
    def _too_old_for_synonyms() -> str:
        # A server before 1.6 has no synonym table: a queued entry would be refused there.
        return QCoreApplication.translate(
            "KbService",
            "The server is too old to keep the centre's synonyms; ask IT to update it.",
        )

    def _reload_after(self, queued: Future[Any]) -> None:
        # The cache commits on its writer thread; read the table again once it has (back on
        # the GUI thread first: load_synonyms asks the reader thread).
        queued.add_done_callback(lambda _f: self._deliver(lambda _v: self.load_synonyms(), None))

    def records_changed(self, touched: list[tuple[str, int]]) -> None:
        if any(entity == "kb_synonym" for entity, _ in touched):
            self.load_synonyms()
        articles = [record_id for entity, record_id in touched if entity == "article"]
        if articles:  # before start() too: a pull may commit before the desk is told
            self._submit(self._indexer, lambda: self._update(articles))
        if any(entity == "question" for entity, _ in touched):
            self.load_questions()

    def _update(self, ids: list[int]) -> None:
        opened = self._writer()
        if opened is None:
            return
        index, store = opened
        started = time.perf_counter()
        first = index.count() == 0  # the first pull of a new cache: the whole demo KB
        articles, hidden = store.articles(ids)
        written = index.index(articles)
        if hidden:
            index.remove(hidden)
        self._index_generation += 1
        report = IndexReport(index.count(), written, time.perf_counter() - started, first)
        if first and written:
            log.info("knowledge base: index built: %d articles in %.3f s", written, report.seconds)
        self._publish(report, store)

    # -- search -------------------------------------------------------------------------------

    def _request(self, channel: str) -> int:
        with self._lock:
            self._next_id += 1
            self._latest[channel] = self._next_id
            return self._next_id

    def _current(self, channel: str, request_id: int) -> bool:
        with self._lock:
            return self._latest.get(channel) == request_id

    def search(self, query: KbQuery, channel: str = "panel") -> int:
        """Search on the reader thread; ``searched`` answers with this request id."""
        request_id = self._request(channel)

        def run() -> None:
            if not self._current(channel, request_id):
                return  # the agent typed on: a newer search is queued behind this one
            opened = self._reading()
            hits: list[KbHit] = []
            started = time.perf_counter()
            if opened is not None and query.text.strip():
                try:
                    hits = opened[0].search(
                        query.text,
                        query.product_line,
                        query.language,
                        query.tag,
                        query.limit,
                        prefer_language=query.prefer_language,
                    )
                except sqlite3.OperationalError as exc:  # the index is not built yet
                    log.info("knowledge base: search before the index exists: %s", exc)
            elapsed = (time.perf_counter() - started) * 1000
            self._deliver(
                self.searched.emit, SearchAnswer(request_id, query, hits, round(elapsed, 2))
            )

        self._submit(self._reader, run)
        return request_id

    def suggest(
        self,
        text: str,
        product_line: str | None,
        channel: str = "suggest",
        limit: int = 5,
        prefer_language: str | None = None,
    ) -> int:
        """Articles to push for a summary or a product; ``suggested`` answers."""
        request_id = self._request(channel)
        query = KbQuery(text, product_line, None, None, limit, prefer_language)

        def run() -> None:
            if not self._current(channel, request_id):
                return
            opened = self._reading()
            hits: list[KbHit] = []
            started = time.perf_counter()
            words = text.strip() or (product_line or "")
            if opened is not None and words:
                try:
                    hits = opened[0].suggest(words, product_line, None, limit, prefer_language)
                    if not hits and product_line and text.strip():
                        # Nothing for this product: the words alone may still find help.
                        hits = opened[0].suggest(words, None, None, limit, prefer_language)
                except sqlite3.OperationalError as exc:
                    log.info("knowledge base: suggestion before the index exists: %s", exc)
            elapsed = (time.perf_counter() - started) * 1000
            self._deliver(
                self.suggested.emit, SearchAnswer(request_id, query, hits, round(elapsed, 2))
            )

        self._submit(self._reader, run)
        return request_id

    def load_facets(self) -> None:
        def run() -> None:
            opened = self._reading()
            if opened is not None:
                with contextlib.suppress(sqlite3.OperationalError):
                    self._deliver(self.facets_loaded.emit, opened[1].facets())

        self._submit(self._reader, run)

    # -- articles, votes, views ---------------------------------------------------------------

    def open_article(self, article_id: int) -> None:
        """Show an article (``article_loaded``) and count the view (through the outbox)."""
        cache = self._sync.cache
        if cache is None:
            self.article_loaded.emit(None)
            return
        self._unreported.add(article_id)
        queued = self._sync.call("kb.view", ArticleViews(count=1), article_id)
        queued.add_done_callback(lambda _f: self._after_queue(article_id, detail=True))

    def _after_queue(self, article_id: int, *, detail: bool) -> None:
        """On the cache's writer thread, once a vote or view is in the outbox."""
        engine = self._sync.engine
        if engine is not None:
            engine.changed_locally()

        def run() -> None:
            opened = self._reading()
            if opened is None:
                return
            if detail:
                self._deliver(self.article_loaded.emit, opened[1].detail(article_id))
            else:
                counts = opened[1].counts(article_id)
                self._deliver(lambda c: self.counts_changed.emit(article_id, c), counts)

        self._submit(self._reader, run)

    def vote(self, article_id: int, helpful: bool) -> bool:
        """Helpful / not helpful, once per article a session; shown at once, sent when online.
        False when not taken (already voted, no cache)."""
        cache = self._sync.cache
        if cache is None or article_id in self.voted:
            return False
        self.voted[article_id] = helpful
        self._unreported.add(article_id)
        queued = self._sync.call("kb.feedback", ArticleFeedback(helpful=helpful), article_id)
        queued.add_done_callback(lambda _f: self._after_queue(article_id, detail=False))
        return True

    def _on_status(self, status: SyncStatus) -> None:
        # Our votes and views reached the server (nothing waits any more): ask for the
        # counters, which now include them and everyone else's.
        if status.state == "online" and status.waiting == 0 and self._unreported:
            self.refresh_counts(sorted(self._unreported))
        if status.state == "online" and status.last_synced != self._last_synced:
            # After each completed pull, check the index against the cache: cheap (versions
            # only), and it mends any pass that failed (a locked file) or a missed commit.
            self._last_synced = status.last_synced
            self._submit(self._indexer, self._reconcile)

    def refresh_counts(self, ids: list[int] | None = None) -> None:
        """Ask the server for the counters (all published articles, or ``ids``)."""
        factory = self._sync.client_factory
        if factory is None:
            return
        wanted = list(ids or [])

        def run() -> None:
            try:
                with factory() as api:
                    counts = api.kb_counts(wanted)
            except (ApiError, OSError, ValueError) as exc:
                log.info("knowledge base: counters not refreshed: %s", exc)
                return
            self._submit(self._indexer, lambda: self._store_counts(counts))

        self._submit(self._network, run)

    def _store_counts(self, counts: CountsOut) -> None:
        opened = self._writer()
        if opened is None:
            return
        store = opened[1]
        store.save_counts(counts.articles)
        for item in counts.articles:
            shown = store.counts(item.id)
            if not shown.waiting:
                self._unreported.discard(item.id)
            self._deliver(partial(self.counts_changed.emit, item.id), shown)

    # -- questions for the experts ------------------------------------------------------------

    def ask(self, text: str, product_line: str, ticket_id: int | None) -> bool:
        """Send a question the knowledge base could not answer (queued: works offline)."""
        cache = self._sync.cache
        if cache is None:
            self.question_refused.emit(
                QCoreApplication.translate("KbService", "The local cache is not open yet.")
            )
            return False
        asked: dict[str, object] = {"text": text.strip(), "product_line": product_line}
        if ticket_id is not None:
            asked["ticket_id"] = ticket_id  # a local id is renumbered once the ticket is sent
        try:
            question = request_of(QuestionIn, asked)
        except ValidationError as exc:  # what the server would refuse: said at once
            self.question_refused.emit(refusal(exc)[1])
            return False
        future: Future[None] = self._sync.call("kb.ask", question)

        def queued(_none: None) -> None:
            engine = self._sync.engine
            if engine is not None:
                engine.changed_locally()
            self.question_sent.emit()

        self._tasks.when_done(future, queued, lambda e: self.question_refused.emit(str(e)))
        return True

    def answer(
        self,
        question_id: int,
        text: str,
        publish: bool,
        title: str,
        language: str,
        article_id: int | None = None,
        kept: str | None = None,
    ) -> bool:
        """An expert's answer (kb.answer), published as a new article when asked, or with an
        article that exists (``article_id``: a 1.6 server keeps the question with it); through
        the outbox, so an expert answering on the road loses nothing."""
        cache = self._sync.cache
        if cache is None or not self.may("kb.answer"):
            self.question_refused.emit(
                QCoreApplication.translate("KbService", "Only an expert can answer questions.")
            )
            return False
        record = cache.get("question", question_id)  # one indexed read: its version
        answered: dict[str, object] = {
            "version": record.version if record is not None else 1,
            "answer": text.strip(),
            "publish_as_article": publish,
            "language": language,
        }
        if title.strip():
            answered["title"] = title.strip()
        if article_id is not None:
            if not self._sync.speaks(ANSWER_WITH_ARTICLE_SINCE):
                # A 1.5 server refuses the field: say so rather than queue a write it refuses.
                self.question_refused.emit(
                    QCoreApplication.translate(
                        "KbService",
                        "The server is too old to answer with an existing article; "
                        "publish the answer as an article instead.",
                    )
                )
                return False
            answered["article_id"] = article_id
            answered["publish_as_article"] = False
        if kept is not None and self._sync.speaks(ANSWER_WITH_ARTICLE_SINCE):
            answered["asked_text"] = kept  # (a 1.5 server keeps nothing: nothing to send)
        try:
            answer = request_of(QuestionAnswer, answered)
        except ValidationError as exc:  # what the server would refuse: said at once
            self.question_refused.emit(refusal(exc)[1])
            return False
        future: Future[None] = self._sync.call("kb.answer", answer, question_id)

        def queued(_none: None) -> None:
            engine = self._sync.engine
            if engine is not None:
                engine.changed_locally()
            self.answer_sent.emit(question_id)

        self._tasks.when_done(future, queued, lambda e: self.question_refused.emit(str(e)))
        return True

    def load_questions(self) -> None:
        def run() -> None:
            opened = self._reading()
            found: list[QuestionLine] = opened[1].questions() if opened is not None else []
            self._deliver(self.questions_loaded.emit, found)

        self._submit(self._reader, run)

    def _on_event(self, event: EventOut) -> None:
        try:
            answered = payload_of(event)
        except ValueError:
            log.warning("knowledge base: unreadable %s event", event.kind)
            return
        if not isinstance(answered, AnsweredData):
            return
        notice = AnsweredNotice(
            question_id=answered.question_id,
            text=answered.text,
            article_id=answered.article_id,
        )
        # The answer (and the article made from it) is in the feed: pull it now, not at the
        # next poll, so the article is found when the agent searches again.
        self._sync.sync_now()
        self.answered.emit(notice)

    # -- the experts' report ------------------------------------------------------------------

    def load_stats(self) -> None:
        """Most viewed, least helpful, open questions by age, coverage (needs kb.answer)."""
        factory = self._sync.client_factory
        if factory is None or not self.may("kb.answer"):
            self.stats_loaded.emit(None)
            return

        def run() -> None:
            stats: KbStatsOut | None
            try:
                with factory() as api:
                    stats = api.kb_stats()
            except (ApiError, OSError, ValueError) as exc:
                log.info("knowledge base: the report could not be asked: %s", exc)
                stats = None
            self._deliver(self.stats_loaded.emit, stats)

        self._submit(self._network, run)


__all__ = [
    "AnsweredNotice",
    "ArticleDetail",
    "CacheError",
    "Counts",
    "Facets",
    "IndexReport",
    "KbQuery",
    "KbService",
    "QuestionLine",
    "SearchAnswer",
]
