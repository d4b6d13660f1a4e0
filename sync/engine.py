"""The sync engine: push the outbox in order, pull the change feed after the cursor.

It runs on its own thread and talks to the desktop only through ``on_status`` (a plain
callable; the Qt adapter in ``agent_desktop`` turns it into a signal). Failures are handled by
kind (STYLE habit 6):

- the network is down, a gateway answers 502/503/504, or something that is not our backend
  answers: the server is down or unreachable. Keep everything, report it, and try again after a
  capped exponential backoff with jitter;
- our backend answers one write with a 5xx while it answers a health check: that write (not
  the server) is the problem. It is tried ``MAX_SERVER_FAILURES`` times (with the loop's
  backoff between rounds), then marked failed for the agent ("the server could not take this
  change"); writes of other records go on meanwhile, writes of the same record wait behind it;
- 401: stop and ask for a new sign-in (the outbox waits);
- 409 with the current record: that record becomes a conflict for the agent to settle;
- 404 on a delete: the record is gone already (our own delete committed, its answer lost):
  done;
- another 4xx: that write is marked failed with the server's message; unrelated writes go on.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sync.cache import LocalCache, OutboxEntry, local_refs
from sync.client import (
    MAX_BATCH_BYTES,
    ApiClient,
    ApiError,
    AuthError,
    BatchItem,
    BatchUnsupportedError,
    ConflictError,
    NetworkError,
    NotTried,
    Outcome,
    ProtocolError,
    ServerError,
)
from sync.clock import system_clock
from sync.contract.errors import ErrorCode
from sync.contract.version import ContractVersion
from sync.contract.wire import MAX_BATCH_OPERATIONS
from sync.routes import DROPPED_ON_404, UnknownOperationError
from sync.snapshot import Loaded, SnapshotUnavailable, first_sync

log = logging.getLogger(__name__)

# Five tries (about 15 s of backoff in the running desk) tell a write the server cannot take
# from a passing failure, and keep a broken write from holding its record up for long.
MAX_SERVER_FAILURES = 5
_GATEWAY = (502, 503, 504)  # said by whatever stands in front of the backend: it is not there


def _settled_by_404(entry: OutboxEntry, status: int) -> bool:
    """A 404 that answers the write: a delete of a record gone already (our own delete
    committed and its answer was lost, or someone else deleted it: what the agent wanted is
    true), or a call a server of an older release does not have (``DROPPED_ON_404``)."""
    if status != 404:
        return False
    if entry.op in DROPPED_ON_404:
        log.info("sync: the server has no %s (an older release): dropped", entry.op)
        return True
    if entry.op == "delete":
        log.info("sync: %s %s was deleted already", entry.entity, entry.record_id)
        return True
    return False


@dataclass(frozen=True, slots=True)
class SyncStatus:
    # online | syncing | offline (cannot reach) | error (reached, bad answer) | signed_out
    state: str = "online"
    done: int = 0  # pull progress: changes applied this round …
    total: int = 0  # … of this many (0: not known / nothing to pull)
    unit: str = "changes"  # what done and total count: changes, or bytes (a first sync's file)
    waiting: int = 0  # writes queued
    failed: int = 0  # writes the server refused, waiting for the agent
    conflicts: int = 0
    offline_since: datetime | None = None
    last_synced: datetime | None = None
    error: str = ""  # English, for the log; ``error_reason`` for a translated message
    error_reason: str = ""


@dataclass(frozen=True, slots=True)
class Backoff:
    """Capped exponential backoff with full jitter (1 s, 2 s, 4 s … up to ``cap_s``)."""

    base_s: float = 1.0
    cap_s: float = 60.0

    def delay(self, failures: int, rng: random.Random | None = None) -> float:
        ceiling = min(self.cap_s, self.base_s * 2 ** max(0, failures - 1))
        return (rng or random).uniform(ceiling / 2, ceiling)


class SyncEngine:
    def __init__(
        self,
        cache: LocalCache,
        client_factory: Callable[[], ApiClient],
        *,
        on_status: Callable[[SyncStatus], None] = lambda _s: None,
        page_size: int = 500,
        poll_interval_s: float = 30.0,
        backoff: Backoff | None = None,
        batch_size: int = MAX_BATCH_OPERATIONS,
        snapshots: bool = True,
    ) -> None:
        self.cache = cache
        self._client_factory = client_factory
        self._client: ApiClient | None = None
        self._on_status = on_status
        self._page_size = page_size
        self._poll_interval_s = poll_interval_s
        self._backoff = backoff or Backoff()
        # Writes per request to a server with the batch route (1: one request per write).
        self._batch_size = max(1, min(batch_size, MAX_BATCH_OPERATIONS))
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._finishing = threading.Event()  # push once more, pull no more, then stop
        self._thread: threading.Thread | None = None
        self._failures = 0
        # Tries of the write the server keeps failing: the loop backs off by it.
        self._write_retries = 0
        self._status = SyncStatus()
        self._lock = threading.Lock()
        # A new cache is filled from the server's snapshot, tried once per engine (a desk
        # restarted after a failed try tries again); the feed does the rest.
        self._try_snapshot = snapshots
        self.snapshot: Loaded | None = None  # what the first sync loaded, if it used one

    @property
    def server_contract(self) -> ContractVersion | None:
        """The contract the server last said it speaks (None before it answered). Read from
        another thread: one attribute of the client, replaced whole."""
        client = self._client
        return client.server_contract if client is not None else None

    # -- control (any thread) -----------------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        return self._status

    def start(self) -> None:
        self._publish(**self._counts())
        self._thread = threading.Thread(target=self._loop, name="sync-engine", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 15.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout_s)
        if self._client is not None:
            self._client.close()

    def finish(self, timeout_s: float) -> bool:
        """The desk is going (quit, sign-out): push what is queued once more, pull nothing,
        and stop, within ``timeout_s`` (a round under way ends first; a server that does not
        answer in time is left to the next start: the outbox keeps the writes). Whether the
        loop ended in time."""
        self._finishing.set()
        self._failures = 0
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=timeout_s)
        ended = thread is None or not thread.is_alive()
        self.stop(timeout_s=0.0)
        return ended

    def sync_now(self) -> None:
        """Push and pull now (a local write, the 'Sync now' button, an event), skipping any
        backoff wait."""
        self._failures = 0
        self._wake.set()

    def changed_locally(self) -> None:
        self._publish(**self._counts())
        self._wake.set()

    # -- the loop -----------------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stopping.is_set():
            if self._finishing.is_set():
                self._last_push()
                return
            wait = self._poll_interval_s
            try:
                self.run_once()
                if self._write_retries:  # a write the server failed: try it again, later
                    wait = min(wait, self._backoff.delay(self._write_retries))
            except AuthError as exc:
                log.warning("sync: sign-in needed: %s", exc)
                self._publish(state="signed_out", error=str(exc), error_reason=exc.reason)
                wait = 3600.0  # until sync_now after a new sign-in
            except (NetworkError, ProtocolError, ServerError) as exc:
                self._failures += 1
                wait = self._backoff.delay(self._failures)
                state = "offline" if isinstance(exc, NetworkError) else "error"
                log.warning(
                    "sync: %s (attempt %d, next in %.1f s): %s",
                    state,
                    self._failures,
                    wait,
                    exc,
                )
                since = self._status.offline_since or system_clock().now()
                self._publish(
                    state=state,
                    offline_since=since,
                    error=str(exc),
                    error_reason=exc.reason,
                    done=0,
                    total=0,
                    **self._counts(),
                )
            except Exception:  # a bug: log it, keep the data, try again later
                log.exception("sync: unexpected failure")
                self._failures += 1
                wait = self._backoff.delay(self._failures)
            self._wake.wait(wait)
            self._wake.clear()

    def _last_push(self) -> None:
        """The round ``finish`` asks for: the outbox only."""
        try:
            client = self._client or self._client_factory()
            self._client = client
            sent = self.push(client)
            log.info("sync: %d write(s) pushed before stopping", sent)
        except Exception as exc:  # offline at quit: the outbox keeps them
            log.warning("sync: the last writes wait for the next start: %s", exc)

    def run_once(self) -> None:
        """One round: push everything sendable, then pull everything new. Raises on the
        failures the loop retries (network, protocol, 5xx, auth)."""
        client = self._client or self._client_factory()
        self._client = client
        if self._status.state not in ("online", "syncing"):
            self._publish(state="syncing")
        # A new cache's snapshot before the first push: what this desk wrote meanwhile (local
        # ids only) stays as it is, and the feed brings it back once the server has it.
        self._first_sync_once(client)
        self.push(client)
        if self._finishing.is_set():
            return  # the desk is going: its last push is what counts (``finish``)
        self.pull(client)
        self._failures = 0
        self._publish(
            state="online",
            offline_since=None,
            last_synced=system_clock().now(),
            error="",
            error_reason="",
            done=0,
            total=0,
            **self._counts(),
        )

    def push(self, client: ApiClient) -> int:
        """Send queued writes in order: in batches to a server with the batch route (contract
        1.2), one request per write to an older one."""
        if self._batch_size > 1 and client.batches:
            try:
                return self._push_batches(client)
            except BatchUnsupportedError:
                log.info("sync: the server has no batch route; sending writes one by one")
        return self._push_singly(client)

    def _push_batches(self, client: ApiClient) -> int:
        """Send queued writes in ordered batches; each answer is handled as ``_push_singly``
        handles a single one. A batch ends before a write that depends on one in it (the same
        record, whose base version its answer moves on; a record created here, whose id it
        brings): that write is read again once the batch's answers are recorded. The cache
        records one batch's answers while the next batch is on the wire unless the next
        depends on them."""
        pushed = _Pushed()
        published = time.monotonic()
        try:
            queue = self.cache.outbox("queued")
            for position, queued in enumerate(queue):
                if self._stopping.is_set() or pushed.stopped:
                    break
                published = self._publish_counts_every(published)
                if _order_key(queued) in pushed.held:
                    continue
                dependent = _refers_to_local(queued)
                if dependent or _order_key(queued) in pushed.keys:
                    if self._flush(client, pushed):
                        break
                    if _order_key(queued) in pushed.held:  # the write it follows failed
                        continue
                if dependent or _order_key(queued) in pushed.recording_keys:
                    pushed.recorded()
                found = pushed.reread(self.cache, queue, position, self._batch_size)
                entry, waits = found or (queued, True)
                if entry.state != "queued" or waits or not self._sendable(client, entry, pushed):
                    continue  # gone, done, waiting, or refused before any request
                body = self.cache.body_for(entry)
                weight = len(json.dumps(body)) if body is not None else 0
                if pushed.size + weight > MAX_BATCH_BYTES and self._flush(client, pushed):
                    break
                pushed.add(replace(entry, payload=body), weight)
                if len(pushed.batch) >= self._batch_size and self._flush(client, pushed):
                    break
            if not self._stopping.is_set():
                self._flush(client, pushed)
        finally:
            pushed.recorded()
        self._write_retries = pushed.retries
        self._publish(**self._counts())
        return pushed.sent

    def _sendable(self, client: ApiClient, entry: OutboxEntry, pushed: _Pushed) -> bool:
        """Whether this release has a route for it; if not, it is refused before any request,
        as when it is sent alone."""
        try:
            entry.operation.route()
        except UnknownOperationError as exc:
            self._handle(
                client, entry, ServerError(str(exc), 0, ErrorCode.UNKNOWN_OPERATION), pushed, []
            )
            return False
        return True

    def _flush(self, client: ApiClient, pushed: _Pushed) -> bool:
        """Send the batch gathered so far (if any); whether the round stops here."""
        if pushed.batch and not pushed.stopped:
            batch = pushed.batch
            pushed.batch, pushed.keys, pushed.size = [], set(), 0
            self._send_batch(client, batch, pushed)
        return pushed.stopped

    def _send_batch(self, client: ApiClient, batch: list[OutboxEntry], pushed: _Pushed) -> None:
        """One request for ``batch`` (each entry's payload is the body to send), then each
        answer handled in order. A write the server did not try (one before it failed the
        server) ends this round: it and the rest wait, in order, for the next."""
        items = [BatchItem(e.operation, e.payload, e.key) for e in batch]
        outcomes = client.perform_batch(items)
        pushed.fresh = None
        current = self.cache.entries([e.seq for e in batch])
        accepted: list[tuple[OutboxEntry, Any]] = []  # recorded together, in one transaction
        for sent, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, NotTried):
                pushed.stopped = True
                break
            found = current.get(sent.seq)
            if found is None:
                continue
            self._handle(client, found[0], outcome, pushed, accepted)
        pushed.record(self.cache, accepted)
        pushed.recording_keys = {_order_key(e) for e in batch}

    def _handle(
        self,
        client: ApiClient,
        entry: OutboxEntry,
        outcome: Outcome,
        pushed: _Pushed,
        accepted: list[tuple[OutboxEntry, Any]],
    ) -> None:
        """One write's answer, as ``_push_singly`` handles it; an accepted one joins
        ``accepted``, which is recorded (in order) before any other answer is."""
        answer: Any = outcome
        if not isinstance(outcome, ApiError):
            accepted.append((entry, answer))
            pushed.sent += 1
            return
        pushed.record(self.cache, accepted)
        if isinstance(outcome, ConflictError):
            log.info(
                "sync: %s %s: 409, the server has another version", entry.entity, entry.record_id
            )
            self.cache.push_conflicted(entry, outcome.current).result()
            self._wake.set()
            return
        if isinstance(outcome, ServerError):
            if not _settled_by_404(entry, outcome.status):
                if pushed.recording is not None:  # its answer first: the order holds
                    pushed.recording.result()
                    pushed.recording = None
                pushed.retries = max(
                    pushed.retries, self._failed(client, entry, outcome, pushed.held)
                )
                return
            answer = None
        else:
            raise outcome  # 401 inside a batch: sign in again, as for a single write
        pushed.record(self.cache, [(entry, answer)])
        pushed.sent += 1

    def _push_singly(self, client: ApiClient) -> int:
        """Send queued writes in order, one request each. The cache records one answer while the
        next request is on the wire (the writer thread is first-in first-out, so the order
        holds), except when the next write depends on that answer: the same record, or a record
        created here."""
        sent = 0
        published = time.monotonic()
        recording: Future[None] | None = None
        recording_key: tuple[str, int | None] = ("", None)
        held: set[tuple[str, object]] = set()  # records whose write the server failed: wait
        retries = 0
        try:
            for queued in self.cache.outbox("queued"):
                if self._stopping.is_set():
                    break
                published = self._publish_counts_every(published)
                if _order_key(queued) in held:
                    continue  # the order of one record's writes is kept: behind the failed one
                if recording is not None and (
                    (queued.entity, queued.record_id) == recording_key
                    or (queued.record_id or 0) < 0
                    or any(local_refs(queued.payload))
                ):
                    recording.result()
                    recording = None
                entry = self.cache.entry(queued.seq)  # re-read: ids may have been remapped
                if entry is None or entry.state != "queued" or self.cache.blocked(entry):
                    continue
                try:
                    answer = client.perform(entry.operation, self.cache.body_for(entry), entry.key)
                except ConflictError as exc:
                    log.info(
                        "sync: %s %s: 409, the server has another version",
                        entry.entity,
                        entry.record_id,
                    )
                    self.cache.push_conflicted(entry, exc.current).result()
                    # It may have queued our changes again on the server's version: another
                    # round now, not at the next poll.
                    self._wake.set()
                    continue
                except ServerError as exc:
                    if not _settled_by_404(entry, exc.status):
                        if recording is not None:  # its answer first: the order holds
                            recording.result()
                            recording = None
                        retries = max(retries, self._failed(client, entry, exc, held))
                        continue
                    answer = None
                if recording is not None:
                    recording.result()  # at most one answer waiting to be recorded
                recording = self.cache.push_succeeded(entry, answer)
                recording_key = (entry.entity, entry.record_id)
                sent += 1
        finally:
            if recording is not None:
                recording.result()
        self._write_retries = retries
        self._publish(**self._counts())
        return sent

    def _publish_counts_every(self, published: float, interval_s: float = 0.25) -> float:
        """A live count while pushing, not a query per write; when it was last published."""
        if time.monotonic() - published <= interval_s:
            return published
        self._publish(**self._counts())
        return time.monotonic()

    def _failed(
        self, client: ApiClient, entry: OutboxEntry, exc: ServerError, held: set[Any]
    ) -> int:
        """The server refused or failed a write: mark it failed, or hold it (and its record's
        later writes) for another round; the tries so far of a write held for a retry, or 0.
        Raises when the whole queue must wait (the server is in trouble, or busy)."""
        if not _write_failed(exc):
            if exc.transient:
                raise exc  # 429 or a gateway's 5xx: the server, not this write
            log.warning("sync: the server refused %s %s: %s", entry.entity, entry.op, exc)
            self.cache.push_failed(entry, str(exc), exc.field, exc.reason).result()
            return 0
        if not self._server_answers(client):
            raise exc  # the server itself is in trouble: everything waits
        held.add(_order_key(entry))
        tries = self.cache.mark_attempt(entry.seq).result()
        log.warning(
            "sync: the server failed %s %s (try %d of %d): %s",
            entry.entity,
            entry.op,
            tries,
            MAX_SERVER_FAILURES,
            exc,
        )
        if tries < MAX_SERVER_FAILURES:
            return tries
        message = f"The server could not take this change (HTTP {exc.status}): {exc}"
        self.cache.push_failed(entry, message, None, ErrorCode.SERVER_ERROR).result()
        return 0

    @staticmethod
    def _server_answers(client: ApiClient) -> bool:
        """Whether the server is up (it answers a health check): then a 5xx is this write's."""
        try:
            client.health()
        except (NetworkError, ProtocolError, ServerError) as exc:
            log.info("sync: the health check failed too: %s", exc)
            return False
        return True

    def pull(self, client: ApiClient) -> int:
        self._first_sync_once(client)
        after = self.cache.cursor()
        applied = 0
        first = True
        total = 0
        while not self._stopping.is_set():
            page = client.changes(after, self._page_size, count=first)
            if first and page.has_more and page.remaining is not None:
                total = len(page.changes) + page.remaining
            first = False
            applied += self.cache.apply_changes(page.changes, page.cursor).result()
            after = page.cursor
            if total:
                self._publish(state="syncing", done=applied, total=total)
            if not page.has_more:
                break
        return applied

    def _first_sync_once(self, client: ApiClient) -> None:
        """A new cache from the server's snapshot; on any failure the feed fills it instead."""
        if not self._try_snapshot or self.cache.cursor() != 0:
            return
        self._try_snapshot = False

        def progress(done: int, total: int) -> None:
            self._publish(state="syncing", done=done, total=total, unit="bytes")

        try:
            self.snapshot = first_sync(client, self.cache, progress, self._stopping.is_set)
        except SnapshotUnavailable as exc:
            log.warning("sync: first sync from the change feed: %s", exc)
        else:
            log.info(
                "sync: first sync from a snapshot: %d records in %.1f s, cursor %d",
                self.snapshot.records,
                self.snapshot.seconds,
                self.snapshot.cursor,
            )
        finally:
            self._publish(done=0, total=0, unit="changes")

    # -- status -------------------------------------------------------------------------------

    def _counts(self) -> dict[str, int]:
        counts = self.cache.counts()
        return {"waiting": counts.waiting, "failed": counts.failed, "conflicts": counts.conflicts}

    def _publish(self, **changes: object) -> None:
        # Reported under the lock: three threads publish, and the listener must see the
        # statuses in the order they were made (it only queues a signal, so this is quick).
        with self._lock:
            status = replace(self._status, **changes)  # type: ignore[arg-type]
            if status == self._status:
                return
            self._status = status
            self._on_status(status)


@dataclass
class _Pushed:
    """What one round of batched pushing has done so far."""

    sent: int = 0
    retries: int = 0  # the most tries so far of a write held for a retry
    held: set[tuple[str, object]] = field(default_factory=set)  # records behind a failed write
    recording: Future[None] | None = None  # the last answer being recorded
    recording_keys: set[tuple[str, object]] = field(default_factory=set)  # … of that batch
    stopped: bool = False  # the server did not try some writes: the rest wait
    batch: list[OutboxEntry] = field(default_factory=list)  # gathered, not sent yet
    keys: set[tuple[str, object]] = field(default_factory=set)  # the order keys in ``batch``
    size: int = 0  # bytes of the bodies in ``batch``

    # The outbox entries about to be gathered, read ahead (``LocalCache.entries``); None:
    # read them again (a batch was sent or its answers recorded since).
    fresh: dict[int, tuple[OutboxEntry, bool]] | None = None
    fresh_end: int = 0  # the position in the round's queue up to which ``fresh`` was read

    def recorded(self) -> None:
        """Wait until the last batch's answers are recorded."""
        self.fresh = None
        if self.recording is not None:
            self.recording.result()
            self.recording = None

    def reread(
        self, cache: LocalCache, queue: list[OutboxEntry], position: int, ahead: int
    ) -> tuple[OutboxEntry, bool] | None:
        """The queue's entry at ``position`` as it is now (ids may have been remapped) and
        whether it waits; None if it left the outbox. Read a batch's worth at a time, and again
        after a batch is sent and after its answers are recorded."""
        if self.fresh is None or position >= self.fresh_end:
            self.fresh_end = position + ahead
            self.fresh = cache.entries([q.seq for q in queue[position : self.fresh_end]])
        return self.fresh.get(queue[position].seq)

    def record(self, cache: LocalCache, accepted: list[tuple[OutboxEntry, Any]]) -> None:
        """Record ``accepted`` answers in one cache transaction, after those before them (the
        cache's writer keeps the order), and empty the list."""
        if accepted:
            self.recording = cache.push_succeeded_many(list(accepted))
            accepted.clear()

    def add(self, entry: OutboxEntry, weight: int) -> None:
        self.batch.append(entry)
        self.keys.add(_order_key(entry))
        self.size += weight


def _refers_to_local(entry: OutboxEntry) -> bool:
    """Whether a write names a record created here (by its local, negative id): it is sent
    after that record's creation is confirmed and the id replaced by the server's."""
    return (
        any(local_refs(entry.payload))
        or ((entry.record_id or 0) < 0 and entry.op != "create")
        or (entry.target_id or 0) < 0
    )


def _write_failed(exc: ServerError) -> bool:
    """A 5xx from the backend itself (a gateway's 502/503/504 or a 429 say: wait)."""
    return exc.status >= 500 and exc.status not in _GATEWAY


def _order_key(entry: OutboxEntry) -> tuple[str, object]:
    """What a write keeps its order with: its record, or (calls) its call and target."""
    if entry.record_id is not None:
        return (entry.entity, entry.record_id)
    return (entry.entity, (entry.op, entry.target_id))
