"""Screen pop: when the phone rings (or the agent dials), find the caller and build the 360.

The lookup runs on a thread of its own with a read-only connection to the cache file (WAL:
it never waits for the sync writer); the result comes back to the GUI thread through
``TaskRunner.post`` (the one way back, ``agent_desktop.tasks``) and is emitted there as
``popped``.
A number the cache does not know is asked of the server in the background (a customer created
at another desk a moment ago); offline, the answer is "unknown" at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from agent_desktop.services.cache_reader import CacheReader
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from softphone import CallDirection, CallInfo, CallState, Phone
from softphone.dial_plan import DialPlan
from sync.client import ApiError
from sync.clock import system_clock
from sync.contract.wire import CustomerOut
from sync.customer_view import Customer360, CustomerViews, Lookup, profile_only

log = logging.getLogger(__name__)

# What a 360 shows besides the customer record itself; a change to any may change the panel.
_SHOWN_ENTITIES = frozenset({"customer", "asset", "ticket", "dispatch", "task", "interaction"})
REFRESH_DELAY_MS = 250  # a pull commits page after page: read the customer again once


@dataclass(frozen=True, slots=True)
class ScreenPop:
    raw: str  # the caller id (or search text) as it came
    call: CallInfo | None  # the call that rang, None for a customer opened by hand
    lookup: Lookup | None
    view: Customer360 | None  # one customer: the 360; several: None and ``candidates``
    candidates: list[CustomerOut] = field(default_factory=list)
    from_server: bool = False  # the cache did not know them; the server did
    offline: bool = False  # the server could not be asked (only the cache's answer)
    started: float = 0.0  # perf_counter() when the call reached the app (for the benchmark)
    refreshed: bool = False  # the customer shown, read again after their records changed


class ScreenPopService(QObject):
    popped = Signal(object)  # ScreenPop
    searched = Signal(str, object)  # text, [CustomerOut]

    def __init__(
        self,
        sync: SyncService,
        tasks: TaskRunner,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
        dial_plan: DialPlan | None = None,
    ) -> None:
        super().__init__(parent)
        # Local numbers, extensions and IP-dialling prefixes as the site's trunk sends them,
        # made into what the CRM is searched by (the lookup then makes it E.164).
        self.dial_plan = dial_plan or DialPlan()
        self._sync = sync
        self._tasks = tasks
        self._now = now or system_clock().now
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="screen-pop")
        self._reader = CacheReader(sync, CustomerViews)  # used on the worker thread only
        self._popped_calls: set[int] = set()
        self._latest = 0  # a newer pop makes an older one's late answer moot
        self._shown: ScreenPop | None = None  # the last pop delivered with one customer
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh)
        self._closed = False  # after close() (quitting), late requests are dropped

    def attach(self, phone: Phone) -> None:
        phone.incoming_call.connect(self.on_incoming)
        phone.call_state_changed.connect(self._on_call)

    def close(self) -> None:
        self._closed = True
        self._refresh_timer.stop()
        self._worker.shutdown(wait=True, cancel_futures=True)
        self._reader.close()

    # -- requests (GUI thread) --------------------------------------------------------------

    def on_incoming(self, call: CallInfo) -> None:
        self._popped_calls.add(call.call_id)
        self.pop_number(self.dial_plan.lookup_number(call.remote_number), call, time.perf_counter())

    def _on_call(self, call: CallInfo) -> None:
        # Outbound calls get the same 360 (click-to-dial or typed), once per call.
        if call.state == CallState.ENDED:
            self._popped_calls.discard(call.call_id)
            return
        if call.direction == CallDirection.OUTBOUND and call.call_id not in self._popped_calls:
            self._popped_calls.add(call.call_id)
            number = self.dial_plan.lookup_number(call.remote_number)
            self.pop_number(number, call, time.perf_counter())

    def pop_number(self, raw: str, call: CallInfo | None = None, started: float = 0.0) -> None:
        self._latest += 1
        ticket = self._latest
        started = started or time.perf_counter()
        self._submit(lambda: self._find(ticket, raw, call, started))

    def open_customer(self, customer_id: int, call: CallInfo | None = None) -> None:
        """The agent picked one of several matches, or a search result."""
        self._latest += 1
        ticket = self._latest
        key = None
        started = time.perf_counter()

        def job() -> tuple[int, ScreenPop]:
            views = self._open_views()
            view = views.view(customer_id, key, self._now()) if views else None
            return ticket, ScreenPop("", call, None, view, started=started)

        self._submit(job)

    def records_changed(self, touched: list[tuple[str, int]]) -> None:
        """Records changed in the cache (an edit here, a pull from the server): the customer
        on screen is read again, so the panel never shows what this desk knows is outdated."""
        if self._shown is None or not any(entity in _SHOWN_ENTITIES for entity, _ in touched):
            return
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _refresh(self) -> None:
        shown = self._shown
        if shown is None or shown.view is None:
            return
        ticket = self._latest  # a pop asked meanwhile wins over this refresh
        customer_id = shown.view.customer.id
        key = shown.lookup.key if shown.lookup is not None else None

        def job() -> tuple[int, ScreenPop]:
            views = self._open_views()
            view = views.view(customer_id, key, self._now()) if views else None
            if view is None:  # gone from the cache (or renumbered by the server): keep it
                return -1, shown
            return ticket, replace(shown, view=view, refreshed=True)

        self._submit(job)

    def search(self, text: str) -> None:
        def job() -> None:
            views = self._open_views()
            found = views.search(text) if views else []
            self._tasks.post(self.searched.emit, text, found)

        if not self._closed:
            self._worker.submit(job)

    # -- worker -----------------------------------------------------------------------------

    def _submit(self, job: Callable[[], tuple[int, ScreenPop]]) -> None:
        def run() -> None:
            try:
                result = job()
            except Exception:
                log.exception("screen pop failed")
                return
            self._tasks.post(self._deliver, result)

        if not self._closed:
            self._worker.submit(run)

    def _open_views(self) -> CustomerViews | None:
        return self._reader.views()

    def _find(
        self, ticket: int, raw: str, call: CallInfo | None, started: float
    ) -> tuple[int, ScreenPop]:
        views = self._open_views()
        if views is None:  # signed out: nothing to look in
            return ticket, ScreenPop(raw, call, None, None, started=started)
        lookup = views.lookup(raw)
        customers = lookup.customers
        from_server = offline = False
        if not customers and lookup.key is not None:
            customers, offline = self._ask_server(lookup.key)
            from_server = bool(customers)
            lookup = Lookup(lookup.raw, lookup.key, lookup.withheld, customers)
        view = None
        if len(customers) == 1:
            view = views.view(customers[0].id, lookup.key, self._now())
            if view is None and from_server:  # not in the cache yet: the profile alone
                view = profile_only(customers[0], lookup.key, self._now())
        pop = ScreenPop(
            raw,
            call,
            lookup,
            view,
            candidates=customers if len(customers) > 1 else [],
            from_server=from_server,
            offline=offline,
            started=started,
        )
        return ticket, pop

    def _ask_server(self, key: str) -> tuple[list[CustomerOut], bool]:
        factory = self._sync.client_factory
        if factory is None:
            return [], True
        try:
            with factory() as api:
                return api.lookup_customers(key), False
        except (ApiError, OSError) as exc:
            log.info("screen pop: the server could not be asked: %s", exc)
            return [], True

    # -- back on the GUI thread -------------------------------------------------------------

    def _deliver(self, result: tuple[int, ScreenPop]) -> None:
        ticket, pop = result
        if ticket != self._latest:
            return  # the agent moved on (another call, another pick)
        self._shown = pop if pop.view is not None else None
        self.popped.emit(pop)
