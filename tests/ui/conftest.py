"""Fixtures for UI tests: real services wired as the composition root does, on fakes or reals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agent_desktop.config import Settings
from agent_desktop.credentials import CredentialStore
from agent_desktop.i18n import LanguageSwitcher
from agent_desktop.messages import MessageBridge
from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.dialler import Dialler
from agent_desktop.services.kb import KbService
from agent_desktop.services.screen_pop import ScreenPopService
from agent_desktop.services.session import SessionService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.work import WorkService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.panels.customer_panel import CustomerPanel
from agent_desktop.ui.panels.phone_panel import PhonePanel
from server_stub.channels.mail_settings import MailboxSettings
from server_stub.clock import Clock
from softphone import Phone, PhoneConfig
from softphone.dial_plan import DialPlan
from sync.cache import LocalCache, open_cache
from sync.clock import system_clock
from sync.contract.wire import ChangeOut
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.customers import NOW, Desk, FakePhone, records
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.proxy import FaultProxy
from tests.fakes.rig import Rig
from tests.fakes.servers import LiveBackend
from tests.fakes.work import DeskSync, work_records


@pytest.fixture
def messages() -> MessageBridge:
    bridge = MessageBridge()
    bridge.ui_connected()
    return bridge


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def gui_thread() -> Iterator[OffThreadEmits]:
    """The threads rule, checked: the services a test hands to ``gui_thread.watch`` must emit
    every public signal on the GUI thread, through the test and its teardown."""
    watch = OffThreadEmits()
    yield watch
    watch.check()


@pytest.fixture
def credentials() -> MemoryCredentialStore:
    return MemoryCredentialStore()


@pytest.fixture
def make_session(
    tasks: TaskRunner, messages: MessageBridge
) -> Iterator[type[SessionService] | object]:
    made: list[SessionService] = []

    def make(store: CredentialStore, settings: Settings | None = None) -> SessionService:
        session = SessionService(tasks, store, messages, settings or Settings(request_timeout_s=3))
        made.append(session)
        return session

    yield make
    for session in made:
        session.deleteLater()


@pytest.fixture
def session(make_session, credentials: MemoryCredentialStore) -> SessionService:  # type: ignore[no-untyped-def]
    return make_session(credentials)  # type: ignore[no-any-return]


@pytest.fixture
def layout_store(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)


# -- screen pop: the real panel on a real cache, driven by a stand-in phone ------------------


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[LocalCache]:
    opened = open_cache(tmp_path / "cache.sqlite", "test|agent")
    changes = [
        ChangeOut(seq=n + 1, entity=entity, id=rid, op="upsert", version=1, data=data)
        for n, (entity, rid, data) in enumerate(records())
    ]
    opened.cache.apply_changes(changes, len(changes)).result(timeout=10)
    yield opened.cache
    opened.cache.close()


@pytest.fixture
def desk(
    qtbot: QtBot, cache: LocalCache, tasks: TaskRunner
) -> Iterator[tuple[FakePhone, CustomerPanel, ScreenPopService]]:
    phone = FakePhone()
    service = ScreenPopService(cast(SyncService, Desk(cache)), tasks, now=lambda: NOW)
    service.attach(phone)  # type: ignore[arg-type]
    panel = CustomerPanel(lambda: NOW)
    qtbot.addWidget(panel)
    service.popped.connect(panel.show_pop)
    service.searched.connect(panel.show_results)
    panel.search_requested.connect(service.search)
    panel.customer_chosen.connect(service.open_customer)
    panel.show()
    yield phone, panel, service
    service.close()


# -- a desk signed in to the real backend: window, sync, screen pop, agent state, phone ------


LiveDesk = tuple[Rig, Phone, AgentStateService]


@pytest.fixture
def make_live_desk(
    qtbot: QtBot,
    tmp_path: Path,
    session: SessionService,
    messages: MessageBridge,
    tasks: TaskRunner,
    layout_store: QSettings,
    gui_thread: OffThreadEmits,
) -> Iterator[Callable[..., LiveDesk]]:
    """A desk signed in to the real backend, wired as the app wires it. Options: the server's
    clock (SLA sweeps every ``sla_interval_s``), and a fault proxy between desk and server
    (``rig.proxy.mode = "down"`` takes the desk offline); the phone's account."""
    made: list[tuple[LiveBackend, FaultProxy | None, Phone, ScreenPopService, WorkService]] = []
    syncs: list[SyncService] = []
    kbs: list[KbService] = []

    def make(
        clock: Clock | None = None,
        sla_interval_s: float = 30.0,
        proxy: bool = False,
        complaint_limit: timedelta = timedelta(hours=24),
        user: str = "wangfang",
        with_kb: bool = False,
        phone_config: PhoneConfig | None = None,
        dial_plan: DialPlan | None = None,
        phone_panel: bool = False,
        mailboxes: tuple[MailboxSettings, ...] = (),
    ) -> LiveDesk:
        backend = LiveBackend(
            tmp_path / "server.sqlite",
            mailboxes=mailboxes,
            clock=clock,
            sla_interval_s=sla_interval_s,
            complaint_limit=complaint_limit,
        )
        fault = FaultProxy(backend.url) if proxy else None
        sync = SyncService(tasks, messages, tmp_path / "profile", poll_interval_s=3600)
        phone = Phone(wall_clock=system_clock().timestamp)  # the run's clock, pinned or not
        phone.start(phone_config or PhoneConfig(bind_address="127.0.0.1"))
        phone.wait_ready()  # the engine's process is up
        window = MainWindow(
            session, messages, layout_store, phone_panel=PhonePanel(phone) if phone_panel else None
        )
        window.attach_sync(sync)
        pop = ScreenPopService(sync, tasks, dial_plan=dial_plan)
        pop.attach(phone)
        agent = AgentStateService(phone, sync, dial_plan=dial_plan)
        window.attach_desk(pop, agent, phone)
        window.attach_dialler(Dialler(phone, dial_plan or DialPlan(), window))
        work = WorkService(sync, tasks)
        sync.records_changed.connect(work.records_changed)
        kb = KbService(sync, tasks) if with_kb else None
        desk = window.attach_work(work, kb)
        sync.ready.connect(desk.start)
        gui_thread.watch(sync, session, messages, phone, pop, agent, work, *([kb] if kb else []))
        qtbot.addWidget(window)
        session.signed_in.connect(lambda grant: sync.start(session.server_url, grant))
        sync.ready.connect(agent.sign_in)
        window.show()
        url = fault.url if fault is not None else backend.url
        session.sign_in(url, user, "demo1234", remember=False)
        qtbot.waitUntil(
            lambda: sync.status.state == "online" and sync.status.last_synced is not None,
            timeout=15_000,
        )
        made.append((backend, fault, phone, pop, work))
        if kb is not None:
            kbs.append(kb)
        syncs.append(sync)
        return Rig(backend, fault, window, sync, session, []), phone, agent  # type: ignore[arg-type]

    yield make
    for kb in kbs:
        kb.close()
    for (backend, fault, phone, pop, work), sync in zip(made, syncs, strict=True):
        phone.stop()
        pop.close()
        work.close()
        sync.close_now()
        if fault is not None:
            fault.stop()
        backend.stop()


@pytest.fixture
def live_desk(make_live_desk: Callable[..., LiveDesk]) -> LiveDesk:
    return make_live_desk()


# -- work: tickets, dispatches, callbacks on a real cache, offline ------------------------------


@pytest.fixture
def work_cache(tmp_path: Path) -> Iterator[LocalCache]:
    opened = open_cache(tmp_path / "work.sqlite", "test|wangfang")
    changes = [
        ChangeOut(seq=n + 1, entity=entity, id=rid, op="upsert", version=1, data=data)
        for n, (entity, rid, data) in enumerate(work_records())
    ]
    opened.cache.apply_changes(changes, len(changes)).result(timeout=10)
    yield opened.cache
    opened.cache.close()


class CacheSignals(QObject):
    """What SyncService does for the app: the cache's commits, as a signal on the GUI thread."""

    records_changed = Signal(object)


@pytest.fixture
def work(work_cache: LocalCache, tasks: TaskRunner) -> Iterator[WorkService]:
    """WorkService over the real cache (no server: offline), told of the cache's commits."""
    service = WorkService(cast(SyncService, DeskSync(work_cache)), tasks, now=lambda: NOW)
    signals = CacheSignals()
    signals.records_changed.connect(service.records_changed)
    work_cache.on_records_changed(partial(tasks.post, signals.records_changed.emit))
    yield service
    service.close()
    del signals


@pytest.fixture
def switcher() -> Iterator[LanguageSwitcher]:
    """The application's language, switched at run time by a test; English again after."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    language = LanguageSwitcher(app, "en")
    yield language
    language.switch("en")  # the translators are the application's: leave it in English
    language.deleteLater()
