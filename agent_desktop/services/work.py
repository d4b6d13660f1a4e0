"""Work: tickets, dispatches, callbacks and campaign calls, for the lists and the forms.

Reads run on a thread of their own (kept for their order) with a read-only connection to the
cache (``WorkViews``), and come back to the GUI thread through ``TaskRunner.post`` (the one way
back, ``agent_desktop.tasks``), where the signals are emitted. The lists follow the cache by
themselves, at most four times a second, when it says records changed: the ticket list is read
whole once and then only the rows a change touches (``TicketIndex``, on the work thread), handed
to the list as a ``TicketDiff`` (``tickets_changed``); the dispatch and callback lists re-read.
Writes go through ``SyncService`` (the cache and the outbox, so they work offline). The ticket's
history is asked of the server in the background: it is the one thing only the server has.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import QObject, QTimer, Signal

from agent_desktop.services.cache_reader import CacheReader
from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.ticket_index import (
    TICKET_ENTITIES,
    TicketDiff,
    TicketIndex,
    TicketLines,
    TicketShaper,
)
from agent_desktop.tasks import TaskRunner
from sync.client import ApiError
from sync.clock import system_clock
from sync.contract.desk import DEFAULT_DESK_SETTINGS
from sync.contract.mail import EmailReplyIn
from sync.contract.rules import centre_day, desk_ticket_number, new_device_id
from sync.contract.version import EMAIL_SINCE
from sync.contract.wire import DeskSettings
from sync.work_views import TicketLine, WorkViews

log = logging.getLogger(__name__)

RELOAD_DELAY_MS = 250
MANY_ASKED = 1_000  # ticket rows re-read at once: made as the whole list is (no full collection)
DEVICE_ID_KEY = "device_id"  # in the cache's meta table
_WORK_ENTITIES = {
    "dispatches": frozenset({"dispatch", "ticket", "customer"}),
    "tasks": frozenset({"task", "customer", "ticket", "campaign"}),
}


@contextmanager
def _no_full_collections() -> Iterator[None]:
    """While the whole list is read and its rows made (hundreds of thousands of objects), no
    cyclic collection: one walks everything the process holds while holding the GIL, and the
    UI thread waited 70-110 ms for each one the read set off (bench_tickets.py, first fill).
    What was made then lives as long as the session: frozen, out of later collections' way
    (as the app does at start). Nothing made here is in a cycle: freed by reference count."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class WorkService(QObject):
    tickets_loaded = Signal(object)  # [TicketLine]: the whole list (at sign-in)
    tickets_changed = Signal(object)  # TicketDiff: the rows a change touched
    dispatches_loaded = Signal(object)  # [DispatchLine]
    tasks_loaded = Signal(object)  # [TaskLine]
    ticket_loaded = Signal(object)  # TicketDetail (None: not in the cache)
    history_loaded = Signal(int, object)  # ticket id, [TicketChangeOut] or None (offline)
    records_touched = Signal(object)  # [(entity, id)], after the lists were asked to reload

    def __init__(
        self,
        sync: SyncService,
        tasks: TaskRunner,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sync = sync
        self.tasks = tasks  # the forms' way back to the GUI thread, too
        self.now = now or system_clock().now
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="work")
        self._reader = CacheReader(sync, WorkViews)  # used on the worker thread only
        self._ticket_index = TicketIndex()  # the ticket list's rows: worker thread only
        self._ticket_views: WorkViews | None = None  # the cache file they were read from
        self._ticket_touched: list[tuple[str, int]] = []
        # The list's rows made on the work thread (set by the Tickets panel); worker thread.
        self.ticket_shaper: TicketShaper | None = None
        self._closed = False
        self._watched: set[str] = set()  # the lists shown: reloaded when their records change
        self._dirty: set[str] = set()
        self._touched: list[tuple[str, int]] = []
        self._issued: dict[str, int] = {}  # ticket numbers given this session, per prefix
        self._device: tuple[Path, str] | None = None  # a cache's id in ticket numbers
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._reload)

    def close(self) -> None:
        self._closed = True
        self._reload_timer.stop()
        self._worker.shutdown(wait=True, cancel_futures=True)
        self._reader.close()

    # -- who and what -----------------------------------------------------------------------

    @property
    def user_id(self) -> int | None:
        grant = self._sync.grant
        return grant.user.id if grant is not None else None

    @property
    def team_id(self) -> int | None:
        grant = self._sync.grant
        return grant.user.team.id if grant is not None and grant.user.team else None

    def may(self, permission: str) -> bool:
        grant = self._sync.grant
        return grant is not None and permission in grant.permissions

    @property
    def settings(self) -> DeskSettings:
        return self._sync.desk_settings or DEFAULT_DESK_SETTINGS

    # -- reads (answers come back as signals, or to ``done`` on the GUI thread) -------------

    def _open_views(self) -> WorkViews | None:
        return self._reader.views()

    def read(self, job: Callable[[WorkViews], Any], done: Callable[[Any], None]) -> None:
        """Run ``job(views)`` on the work thread; ``done(result)`` on the GUI thread (None
        when signed out)."""

        def run() -> None:
            try:
                views = self._open_views()
                value = job(views) if views is not None else None
            except Exception:
                log.exception("work read failed")
                return
            self.tasks.post(done, value)

        if not self._closed:
            self._worker.submit(run)

    def load_tickets(self) -> None:
        """The whole ticket list (``tickets_loaded``); from then on its changes come as
        ``tickets_changed``."""
        self._watched.add("tickets")
        self._ticket_touched = []  # the whole read sees them
        self.read(self._read_tickets, lambda found: self.tickets_loaded.emit(found or []))

    def _read_tickets(self, views: WorkViews) -> list[TicketLine]:
        with _no_full_collections():
            lines = TicketLines(views.tickets())
            self._ticket_index.reset(lines)
            self._ticket_views = views
            shaper = self.ticket_shaper
            if shaper is not None:
                try:
                    lines.prepared = shaper.whole(lines)
                except Exception:  # the list makes the rows itself then
                    log.exception("the ticket rows could not be made on the work thread")
        return lines

    def _refresh_tickets(self, touched: list[tuple[str, int]]) -> None:
        """Re-read the rows these records show in, and hand the list what changed."""

        def job(views: WorkViews) -> TicketDiff:
            index = self._ticket_index
            if not index.loaded or views is not self._ticket_views:
                # The whole read is still to come (it sees the change), or the list shows
                # another cache file's tickets (signed out, then in): the next read replaces it.
                return TicketDiff()
            asked = index.affected(touched)
            if not asked:
                return TicketDiff()
            # Thousands of rows (a handler renamed): made without a full collection, as the
            # whole list is.
            with _no_full_collections() if len(asked) > MANY_ASKED else nullcontext():
                diff = index.diff(asked, views.tickets_by_id(asked))
                shaper = self.ticket_shaper
                if diff and shaper is not None:
                    try:
                        diff = replace(diff, prepared=shaper.change(diff))
                    except Exception:  # the list makes the rows itself then
                        log.exception("the ticket rows could not be made on the work thread")
            return diff

        def done(diff: TicketDiff | None) -> None:
            if diff:
                self.tickets_changed.emit(diff)

        self.read(job, done)

    def load_dispatches(self) -> None:
        self._watched.add("dispatches")
        self.read(lambda v: v.dispatches(), lambda found: self.dispatches_loaded.emit(found or []))

    def load_tasks(self) -> None:
        self._watched.add("tasks")
        self.read(lambda v: v.tasks(), lambda found: self.tasks_loaded.emit(found or []))

    def load_ticket(self, ticket_id: int) -> None:
        self.read(lambda v: v.ticket(ticket_id), self.ticket_loaded.emit)

    def load_history(self, ticket_id: int) -> None:
        """The ticket's history from the server (None when it cannot be asked)."""
        factory = self._sync.client_factory
        if factory is None or ticket_id < 0:  # offline, or not on the server yet
            self.history_loaded.emit(ticket_id, None)
            return

        def run() -> None:
            try:
                with factory() as api:
                    found: Any = api.ticket_history(ticket_id)
            except (ApiError, OSError) as exc:
                log.info("ticket history: the server could not be asked: %s", exc)
                found = None
            self.tasks.post(self.history_loaded.emit, ticket_id, found)

        if not self._closed:
            self._worker.submit(run)

    def records_changed(self, touched: list[tuple[str, int]]) -> None:
        entities = {entity for entity, _ in touched}
        for name in self._watched - {"tickets"}:
            if entities & _WORK_ENTITIES[name]:
                self._dirty.add(name)
        if "tickets" in self._watched:
            self._ticket_touched += [pair for pair in touched if pair[0] in TICKET_ENTITIES]
        self._touched.extend(touched)
        if not self._reload_timer.isActive():
            self._reload_timer.start()

    def _reload(self) -> None:
        dirty, self._dirty = self._dirty, set()
        touched, self._touched = self._touched, []
        ticket_touched, self._ticket_touched = self._ticket_touched, []
        if ticket_touched:
            self._refresh_tickets(ticket_touched)
        loaders = {
            "dispatches": self.load_dispatches,
            "tasks": self.load_tasks,
        }
        for name in sorted(dirty):
            loaders[name]()
        if touched:
            self.records_touched.emit(touched)

    # -- writes (to the cache and the outbox; CacheError when refused at once) --------------

    def next_ticket_number(self, day: date | None = None) -> str:
        """A number for a new ticket, unique without the server: day, agent, this desk's
        device id, count (see sync.contract.rules.TICKET_NUMBER)."""
        user_id = self.user_id or 0
        day = day or centre_day(self.now())
        device = self.device_id()
        prefix = desk_ticket_number(day, user_id, 0, device)[: -len("000")]
        cache = self._sync.cache
        highest = self._issued.get(prefix, 0)
        if cache is not None:
            # Also past tickets of the day (the cache holds them; a restart forgets _issued).
            pattern = re.compile(re.escape(prefix) + r"(\d+)$")
            for record in cache.numbers_like("ticket", prefix):
                match = pattern.match(record)
                if match:
                    highest = max(highest, int(match.group(1)))
        self._issued[prefix] = highest + 1
        return desk_ticket_number(day, user_id, highest + 1, device)

    def device_id(self) -> str:
        """This desk's short id in its ticket numbers: made once per cache and kept in it."""
        cache = self._sync.cache
        if cache is None:
            return ""
        if self._device is not None and self._device[0] == cache.path:
            return self._device[1]  # (another user's cache after a sign-out has its own)
        device = cache.meta_value(DEVICE_ID_KEY) or ""
        if not device:
            device = new_device_id()
            # Not waited for (the GUI thread): the writer commits it before any later job,
            # and this service keeps it meanwhile.
            cache.set_meta_value(DEVICE_ID_KEY, device)
        self._device = (cache.path, device)
        return device

    def create(self, request: BaseModel) -> Future[int]:
        """A form's typed new record (``wire.TicketIn``, ``wire.DispatchIn``); its local id."""
        return self._sync.create_record(request)

    def save(self, record_id: int, edit: BaseModel) -> Future[None]:
        """A form's typed edit (``wire.TicketPatch``, ``wire.DispatchPatch``…) of a record."""
        return self._sync.save_edit(record_id, edit)

    def email_available(self) -> bool:
        """Whether the server has the email channel (contract 1.8): a 1.7 server has no
        route for a reply, and the form says so instead of offering one."""
        return self._sync.speaks(EMAIL_SINCE)

    def reply_by_email(self, ticket_id: int, reply: EmailReplyIn) -> Future[None]:
        """The agent's email answer to a ticket, through the outbox (kept through an
        outage); the server numbers, threads and sends it from the team's mailbox."""
        return self._sync.call("email.reply", reply, target_id=ticket_id)

    def save_together(self, edits: list[tuple[int, BaseModel]]) -> Future[None]:
        """Edits that must never be seen half-done (a call's outcome and the ticket it closes):
        one local transaction, pushed in order."""
        return self._sync.save_edits_together(edits)
