"""The desktop's face of ``sync``: one cache, one engine, one event stream and one presence
heartbeat per signed-in user.

``sync`` has no Qt; its threads (the cache's writer, the engine, the event stream) call plain
callables, which this adapter hands to ``TaskRunner.post``: every signal here is emitted on the
GUI thread (the one way back onto it, ``agent_desktop.tasks``). Opening the cache (a quick
integrity check of a possibly large file) and stopping the threads run in workers: the UI
thread never waits for them.

Forms save through ``create`` / ``save`` / ``delete``: the cache validates at once (a bad value
raises ``CacheError`` naming the field, nothing is written), then the edit and its outbox entry
commit together on the cache's writer thread, and the engine is woken to push it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, wait
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import QCoreApplication, QObject, Signal

from agent_desktop.messages import MessageBridge
from agent_desktop.tasks import TaskRunner
from sync.cache import CacheError, Conflict, LocalCache, OpenResult, OutboxEntry, open_cache
from sync.client import ApiClient, ApiError
from sync.contract.alive import HeartbeatIn
from sync.contract.events import DESK_SETTINGS_CHANGED
from sync.contract.records import AgentState, SessionGrant
from sync.contract.version import ContractVersion
from sync.contract.wire import DeskSettings, EventOut
from sync.engine import SyncEngine, SyncStatus
from sync.entities import create_payload, edit_payload, payload_of
from sync.event_stream import EventStream
from sync.heartbeat import Heartbeat

log = logging.getLogger(__name__)

__all__ = ["CacheError", "SyncService"]


def cache_path(profile_dir: Path, server_url: str, username: str) -> Path:
    """One file per server and user: two agents sharing a PC never share a cache."""
    digest = hashlib.sha256(f"{server_url}|{username}".encode()).hexdigest()[:16]
    return profile_dir / "cache" / f"{username}-{digest}.sqlite"


class SyncService(QObject):
    status_changed = Signal(object)  # SyncStatus
    records_changed = Signal(object)  # [(entity, id), …]: one commit's changed records
    event_received = Signal(object)  # EventOut
    stream_state_changed = Signal(str)  # connected | reconnecting | signed_out
    ready = Signal()  # the cache is open (empty on the first sign-in)
    desk_settings_changed = Signal(object)  # DeskSettings: reasons, dispositions, wrap-up

    def __init__(
        self,
        tasks: TaskRunner,
        messages: MessageBridge,
        profile_dir: Path,
        *,
        verify: bool | str = True,
        timeout_s: float = 10.0,
        poll_interval_s: float = 30.0,
        page_size: int = 500,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._messages = messages
        self._profile_dir = profile_dir
        self._verify = verify
        self._timeout_s = timeout_s
        self._poll_interval_s = poll_interval_s
        self._page_size = page_size
        self.cache: LocalCache | None = None
        self.engine: SyncEngine | None = None
        self.stream: EventStream | None = None
        self.heartbeat: Heartbeat | None = None
        # What the heartbeat carries: the presence last reported (replaced whole, read from
        # the heartbeat's thread), so the server restores it after marking the desk lost.
        self._presence = HeartbeatIn()
        self.client_factory: Callable[[], ApiClient] | None = None  # for lookups, off the UI
        self.grant: SessionGrant | None = None
        self.desk_settings: DeskSettings | None = None
        self._generation = 0  # a sign-out while the cache opens makes that open stale
        # The newest desk settings' version fetched in this session (not the cached copy's: a
        # server restored from a backup may go back to an older version, and is still right).
        self._fetched_version = 0
        self.status = SyncStatus(state="offline")
        self._winding_down: Future[None] | None = None

    @property
    def winding_down(self) -> Future[None] | None:
        """The last session's threads stopping (after ``stop``), if they still are."""
        winding = self._winding_down
        return None if winding is None or winding.done() else winding

    @property
    def tasks(self) -> TaskRunner:
        """The way back onto the GUI thread, for the forms that write here."""
        return self._tasks

    # -- life -------------------------------------------------------------------------------

    def start(self, server_url: str, grant: SessionGrant) -> None:
        winding = self._winding_down
        if winding is not None and not winding.done():
            # The last session's threads are still stopping: two engines on one file would
            # push the same entries twice. Start once they are gone.
            self._tasks.when_done(
                winding,
                lambda _n: self.start(server_url, grant),
                lambda _e: self.start(server_url, grant),
            )
            return
        self._generation += 1
        generation = self._generation
        path = cache_path(self._profile_dir, server_url, grant.user.username)
        owner = f"{server_url}|{grant.user.username}"
        self._tasks.run_blocking(
            lambda: open_cache(path, owner),
            lambda opened: self._opened(generation, server_url, grant, opened),
            self._open_failed,
        )

    def _opened(
        self, generation: int, server_url: str, grant: SessionGrant, opened: OpenResult
    ) -> None:
        if generation != self._generation:  # signed out meanwhile
            self._tasks.run_blocking(opened.cache.close, lambda _n: None, lambda _e: None)
            return
        if opened.notice:
            self._messages.warning(
                QCoreApplication.translate(
                    "SyncService",
                    "The local copy of your data could not be used and is being downloaded "
                    "again. (%1)",
                ).replace("%1", opened.notice)
            )
        cache = self.cache = opened.cache
        cache.on_records_changed(partial(self._tasks.post, self.records_changed.emit))
        token = grant.token

        def client() -> ApiClient:
            return ApiClient(
                server_url, token=token, verify=self._verify, timeout_s=self._timeout_s
            )

        def report(status: SyncStatus) -> None:  # on the engine's thread
            self._tasks.post(self._set_status, generation, status)

        self.engine = SyncEngine(
            cache,
            client,
            on_status=report,
            page_size=self._page_size,
            poll_interval_s=self._poll_interval_s,
        )
        last = cache.meta_value("last_event_id")
        self.stream = EventStream(
            server_url,
            token,
            on_event=self._on_event,
            on_state=lambda state: self._tasks.post(self.stream_state_changed.emit, state),
            last_id=int(last) if last else None,
            verify=self._verify,
        )
        self.heartbeat = Heartbeat(client, lambda: self._presence)
        self.client_factory = client
        self.grant = grant
        saved = cache.meta_value("desk_settings")
        if saved:  # what the server said last time: the desk works offline from the start
            with contextlib.suppress(ValueError):
                self._set_desk_settings(DeskSettings.read(json.loads(saved)))
        self.engine.start()
        self.stream.start()
        self.heartbeat.start()
        self._fetched_version = 0
        self._refresh_desk_settings()
        self.ready.emit()

    def _refresh_desk_settings(self) -> None:
        """Ask the server for the centre's settings (at start, and when an admin changed them:
        ``desk_settings.changed``); off the GUI thread, applied unless the session ended."""
        client, cache, generation = self.client_factory, self.cache, self._generation
        if client is None or cache is None:
            return

        def fetched(settings: DeskSettings | None) -> None:
            if settings is None or generation != self._generation:
                return
            if 0 < settings.version < self._fetched_version:
                return  # overtaken by a newer answer (two changes in quick succession)
            self._fetched_version = settings.version
            self._set_desk_settings(settings)

        self._tasks.run_blocking(
            lambda: _fetch_desk_settings(client, cache), fetched, lambda _e: None
        )

    def _set_desk_settings(self, settings: DeskSettings) -> None:
        self.desk_settings = settings
        self.desk_settings_changed.emit(settings)

    def report_presence(
        self, state: str, reason: str = "", sip_uri: str = ""
    ) -> Future[None] | None:
        """The agent's state for the wallboard, queued like any write (kept through an
        outage; the server takes the last one), with where the desk's phone answers."""
        self._presence = _beat_of(state, reason, sip_uri)
        if self.cache is None:
            return None
        body = {"state": state, "reason": reason, "sip_uri": sip_uri}
        future = self.cache.call("presence.set", body)
        return self._after_write(future)

    def _open_failed(self, error: BaseException) -> None:
        log.error("cache: cannot open: %s", error)
        self._messages.error(
            QCoreApplication.translate(
                "SyncService", "The local cache cannot be opened: %1. Working online only."
            ).replace("%1", str(error))
        )

    def stop(self, push_s: float = 0.0, after: Sequence[Future[Any]] = ()) -> Future[None] | None:
        """Stop syncing (sign-out, quit); the threads wind down in a worker. With ``push_s``,
        the writes just queued (``after``: their cache futures) are pushed first, within about
        that long: the desk's last words (see ``_last_words``)."""
        wind_down = self._detach(push_s, after)
        if wind_down is None:
            return None
        self._winding_down = self._tasks.run_blocking(wind_down, lambda _n: None, lambda _e: None)
        return self._winding_down

    def close_now(self, push_s: float = 0.0, after: Sequence[Future[Any]] = ()) -> None:
        """At exit: stop within a couple of seconds (plus ``push_s`` for the last writes, as
        ``stop``), letting queued local writes commit. Blocks: call it once the window is
        hidden, or on a worker (``closing``)."""
        wind_down = self._detach(push_s, after, stream_s=1.0, engine_s=2.0)
        if wind_down is not None:
            wind_down()

    def closing(
        self, push_s: float, after: Sequence[Future[Any]] = ()
    ) -> Callable[[], None] | None:
        """``close_now`` in two halves: detached here (the GUI thread), the returned blocking
        half run where the caller likes (at quit: on a worker, beside the phone's stop)."""
        return self._detach(push_s, after, stream_s=1.0, engine_s=2.0)

    def _detach(
        self,
        push_s: float,
        after: Sequence[Future[Any]],
        stream_s: float = 5.0,  # EventStream.stop's and SyncEngine.stop's defaults
        engine_s: float = 15.0,
    ) -> Callable[[], None] | None:
        self._generation += 1
        engine, stream, cache, heartbeat = self.engine, self.stream, self.cache, self.heartbeat
        self.engine = self.stream = self.cache = self.heartbeat = None
        self.client_factory = None
        self._presence = HeartbeatIn()
        if cache is None:
            return None

        def wind_down() -> None:
            if heartbeat is not None:
                heartbeat.stop(timeout_s=min(0.5, stream_s))
            if stream is not None:
                stream.stop(timeout_s=stream_s)
            if engine is not None:
                if push_s > 0:
                    _last_words(engine, after, push_s)
                else:
                    engine.stop(timeout_s=engine_s)
            cache.close()

        return wind_down

    # -- events -----------------------------------------------------------------------------

    def _on_event(self, event: EventOut) -> None:  # on the stream's thread
        cache, engine = self.cache, self.engine
        if cache is not None:
            cache.set_meta_value("last_event_id", str(event.id))
        if engine is not None and event.kind in ("escalation", "ticket", "question"):
            engine.sync_now()  # the record behind the event: fetch it now, not at the next poll
        if event.kind == DESK_SETTINGS_CHANGED:  # an admin changed them: every desk fetches
            self._tasks.post(self._refresh_desk_settings)
        self._tasks.post(self.event_received.emit, event)

    def _set_status(self, generation: int, status: SyncStatus) -> None:
        if generation != self._generation:
            return  # an old session's engine, still winding down, has nothing to say
        self.status = status
        self.status_changed.emit(status)

    # -- what forms and dialogs call --------------------------------------------------------

    def _require(self) -> LocalCache:
        if self.cache is None:
            raise CacheError(
                QCoreApplication.translate("SyncService", "The local cache is not open yet.")
            )
        return self.cache

    def _after_write(self, future: Future[Any]) -> Future[Any]:
        engine = self.engine
        if engine is not None:
            future.add_done_callback(lambda _f: engine.changed_locally())
        return future

    def create(self, entity: str, data: dict[str, Any]) -> Future[int]:
        return self._after_write(self._require().create(entity, data))

    def save(self, entity: str, record_id: int, changes: dict[str, Any]) -> Future[None]:
        return self._after_write(self._require().update(entity, record_id, changes))

    def save_edit(self, record_id: int, edit: BaseModel) -> Future[None]:
        """A form's typed edit (``wire.CustomerPatch``…), turned into the outbox's payload
        here, at the sync boundary."""
        entity, changes = edit_payload(edit)
        return self.save(entity, record_id, changes)

    def save_together(self, edits: list[tuple[str, int, dict[str, Any]]]) -> Future[None]:
        """Several records' edits in one local transaction (see ``LocalCache.update_together``)."""
        return self._after_write(self._require().update_together(edits))

    def create_record(self, request: BaseModel) -> Future[int]:
        """A form's typed new record (``wire.TicketIn``…), turned into the outbox's payload
        here, at the sync boundary; the future gives its local id."""
        entity, data = create_payload(request)
        return self.create(entity, data)

    def save_edits_together(self, edits: list[tuple[int, BaseModel]]) -> Future[None]:
        """Typed edits of several records (record id, ``wire.TaskPatch``…) in one local
        transaction: no one ever sees half of them."""
        payloads = []
        for record_id, edit in edits:
            entity, changes = edit_payload(edit)
            payloads.append((entity, record_id, changes))
        return self.save_together(payloads)

    def call(self, op: str, request: BaseModel, target_id: int | None = None) -> Future[None]:
        """A queued call of ``sync.routes.CALLS`` ("kb.ask", "monitor.end"…) with its typed
        body, kept through an outage like any write."""
        body = payload_of(request)
        return self._after_write(self._require().call(op, body, target_id))

    def delete(self, entity: str, record_id: int) -> Future[None]:
        return self._after_write(self._require().delete(entity, record_id))

    def sync_now(self) -> None:
        if self.engine is not None:
            self.engine.sync_now()

    def speaks(self, version: ContractVersion) -> bool:
        """Whether the server takes what contract ``version`` added: yes until it says it
        speaks an older one (a desk that has not reached it yet queues as usual)."""
        engine = self.engine
        heard = engine.server_contract if engine is not None else None
        return heard is None or heard >= version

    def conflicts(self) -> list[Conflict]:
        return self.cache.conflicts() if self.cache else []

    def failed(self) -> list[OutboxEntry]:
        return self.cache.outbox("failed") if self.cache else []

    def resolve(self, entity: str, record_id: int, chosen: dict[str, Any]) -> Future[None]:
        return self._after_write(self._require().resolve(entity, record_id, chosen))

    def resend(self, seq: int, payload: dict[str, Any] | None) -> Future[None]:
        return self._after_write(self._require().resend(seq, payload))

    def discard(self, seq: int) -> Future[None]:
        return self._after_write(self._require().discard(seq))


def _last_words(engine: SyncEngine, after: Sequence[Future[Any]], push_s: float) -> None:
    """Off the GUI thread: once the desk's last writes are in the cache (their futures), push
    the outbox once more and stop, all within ``push_s``. Whatever the server did not take in
    that time (offline, slow) stays queued in the cache for the next start."""
    deadline = time.monotonic() + push_s
    wait(list(after), timeout=push_s / 2)
    pushed = engine.finish(timeout_s=max(0.1, deadline - time.monotonic()))
    if not pushed:
        log.warning("sync: the server did not take the last writes in %.1f s; kept", push_s)


def _beat_of(state: str, reason: str, sip_uri: str) -> HeartbeatIn:
    """What the heartbeat carries for a reported presence: the state even when the address or
    the reason is one the server refuses (the outbox shows that refusal), nothing for a state
    this release does not know."""
    try:
        known = AgentState(state)
    except ValueError:
        return HeartbeatIn()
    for kept in ((reason, sip_uri), (reason, ""), ("", "")):
        try:
            return HeartbeatIn(state=known, reason=kept[0], sip_uri=kept[1])
        except ValueError:
            continue
    return HeartbeatIn(state=known)


def _fetch_desk_settings(client: Callable[[], ApiClient], cache: LocalCache) -> DeskSettings | None:
    """On a worker: the centre's codes, kept in the cache for the next offline start."""
    try:
        with client() as api:
            settings = api.desk_settings()
    except (ApiError, OSError):
        return None  # offline or an older server: what the cache had stays
    cache.set_meta_value("desk_settings", settings.model_dump_json())
    return settings
