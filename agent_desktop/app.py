"""Composition root: the only module that constructs and wires the concrete objects."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import tempfile
from collections.abc import Mapping
from concurrent.futures import Future, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from agent_desktop import __version__
from agent_desktop.config import Origin, Settings, user_config_path
from agent_desktop.crash import CrashReporter
from agent_desktop.credentials import (
    CredentialStore,
    NoCredentialStore,
    open_os_keychain,
)
from agent_desktop.i18n import LanguageSwitcher, resolve_language
from agent_desktop.messages import MessageBridge
from agent_desktop.policy import server_to_sign_in
from agent_desktop.services.session import ConnectionState, SessionService
from agent_desktop.startup import mark, mark_first_paint, on_first_paint
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.appearance import Appearance
from agent_desktop.ui.dialogs.login_dialog import LoginDialog
from sync.clock import DeskClock, SystemClock, system_clock
from sync.contract.records import AgentState, SessionGrant

if TYPE_CHECKING:
    from PySide6.QtNetwork import QNetworkInformation

    from agent_desktop.demo_backend import DemoBackend
    from agent_desktop.diagnostics_bundle import LiveDesk
    from agent_desktop.services.adherence import AdherenceService
    from agent_desktop.services.agent_state import AgentStateService
    from agent_desktop.services.dialler import Dialler
    from agent_desktop.services.directory import DirectoryService
    from agent_desktop.services.headset_buttons import HeadsetButtons
    from agent_desktop.services.kb import KbService
    from agent_desktop.services.monitoring import MonitorService
    from agent_desktop.services.paused_calls import PausedCalls
    from agent_desktop.services.recording import RecordingService
    from agent_desktop.services.ringer import Ringer
    from agent_desktop.services.screen_pop import ScreenPop, ScreenPopService
    from agent_desktop.services.sync_service import SyncService
    from agent_desktop.services.wallboard import WallboardService
    from agent_desktop.services.work import WorkService
    from agent_desktop.ui.dialogs.audio_dialog import AudioDialog
    from agent_desktop.ui.main_window import MainWindow
    from agent_desktop.ui.panels.phone_panel import PhonePanel
    from agent_desktop.ui.work_desk import WorkDesk
    from softphone import Phone
    from softphone.events import RecordingInfo, RecordingSettings

log = logging.getLogger(__name__)

# Leaving the desk: how long its last writes (the calls' interactions, Logged out) may take to
# reach the server, at quit beside the phone's un-registration (``STOP_WAIT_S``, 2 s too) and
# at sign-out before the token is revoked. What the server has not taken by then stays in the
# outbox (SQLite) and is pushed at the next start.
LAST_PUSH_S = 2.0


@dataclass(frozen=True, slots=True)
class LaunchOptions:
    profile_dir: Path
    demo: bool = False
    demo_calls: bool = False  # the demo backend rings this desk while the agent is Ready
    demo_call_every_s: float = 45.0
    tour_dir: Path | None = None
    headless: bool = False
    config_file: Path | None = None  # the per-user file (--config); None: the platform's
    palette: str | None = None  # --palette: this run's colours (not saved); None: View > Colours
    # Where each setting came from (config.LoadedConfig.origins): the diagnostics show it.
    config_origins: Mapping[str, Origin] = field(default_factory=dict)
    config_problems: tuple[str, ...] = ()  # files skipped, policy values refused


class Workstation(QObject):
    """Owns every long-lived object of one run of the desktop.

    It starts in two steps, so the sign-in dialog shows in a fraction of a second: first what
    the dialog needs (session, credentials, tasks); then, when a sign-in starts (or at once
    for a remembered sign-in and the demo), the desk: the main window, its services and the
    phone, whose modules are only imported then (``build_desk``). ``tests/unit/
    test_lazy_imports.py`` keeps the first step's imports small.
    """

    # The desk: set by build_desk (desk_built says whether it ran).
    sync: SyncService
    phone: Phone
    phone_panel: PhonePanel
    ringer: Ringer
    main_window: MainWindow
    screen_pop: ScreenPopService
    agent_state: AgentStateService
    dialler: Dialler
    work: WorkService
    kb: KbService
    work_desk: WorkDesk
    wallboard: WallboardService
    monitor: MonitorService
    recording: RecordingService
    paused_calls: PausedCalls
    adherence: AdherenceService
    directory: DirectoryService

    def __init__(
        self,
        qapp: QApplication,
        settings: Settings,
        options: LaunchOptions,
        messages: MessageBridge | None = None,
        credentials: CredentialStore | None = None,
        tasks: TaskRunner | None = None,
        clock: SystemClock | None = None,
        language: LanguageSwitcher | None = None,
    ) -> None:
        super().__init__()
        # The language in use, switched at run time from View > Language (i18n.py).
        self.language = language or LanguageSwitcher(
            qapp, resolve_language(settings.language), locked="language" in settings.locked
        )
        # Every "now" of the desk: the real clock (or AGENT_WORKSTATION_CLOCK's pinned instant),
        # corrected to the server's when the PC's is off.
        self.clock = DeskClock(clock or system_clock())
        self.qapp = qapp
        if (
            options.demo
            and settings.recording_mode == "off"
            and "recording_mode" not in settings.locked
        ):
            # The demo shows a centre that records its calls (a centre's own default is off:
            # recording is its decision, and its announcement).
            settings = replace(
                settings,
                recording_mode="desk",
                recording_auto_resume_s=settings.recording_auto_resume_s or 120,
            )
        self.settings = settings
        self.options = options
        self.messages = messages or MessageBridge(self)
        self.crash = CrashReporter(self._report_bug)
        if credentials is None:
            credentials = (
                NoCredentialStore(self.tr("the demo does not remember sign-ins"))
                if options.demo
                else open_os_keychain()
            )
        self.tasks = tasks or TaskRunner(parent=self)
        self.credentials = credentials
        self.session = SessionService(
            self.tasks, credentials, self.messages, settings, parent=self, clock=self.clock
        )
        options.profile_dir.mkdir(parents=True, exist_ok=True)
        self.layout_store = QSettings(
            str(options.profile_dir / "layout.ini"), QSettings.Format.IniFormat
        )
        # Colours before the first window: the sign-in dialog is drawn in them too.
        self.appearance = Appearance(qapp, self.layout_store, options.palette, parent=self)
        self.desk_built = False
        self._phone_started = False
        self._phone_signed_out = False  # stopped (un-registered) at sign-out: start at sign-in
        self._phone_stopping = False  # that stop still under way (in the background)
        self._phone_start_waiting = False  # a sign-in came meanwhile: start when it is over
        self.login_dialog: LoginDialog | None = None
        self.demo_backend: DemoBackend | None = None
        self._finished: asyncio.Future[int] | None = None
        self.session.connection_changed.connect(self._connecting)
        self.session.signed_in.connect(self._on_signed_in)
        self.session.signed_out.connect(self._on_signed_out)
        self.session.restore_failed.connect(self._on_restore_failed)
        self.session.farewell = self._farewell
        self.messages.ui_connected()

    def build_desk(self) -> None:
        """Construct and wire the main window, the services and the phone (once).

        Their modules are imported here, not at start: SQLAlchemy, pydantic's wire models,
        Qt Multimedia, pjsua2 and the panels are most of the desk's start-up time and memory,
        and the sign-in dialog needs none of them.
        """
        if self.desk_built:
            return
        self.desk_built = True
        # Local imports, all of them: this is the second step of the start (see the class).
        from agent_desktop.services.agent_state import AgentStateService  # noqa: PLC0415
        from agent_desktop.services.dialler import Dialler  # noqa: PLC0415
        from agent_desktop.services.kb import KbService  # noqa: PLC0415
        from agent_desktop.services.phone_setup import dial_plan  # noqa: PLC0415
        from agent_desktop.services.ringer import Ringer  # noqa: PLC0415
        from agent_desktop.services.screen_pop import ScreenPopService  # noqa: PLC0415
        from agent_desktop.services.sync_service import SyncService  # noqa: PLC0415
        from agent_desktop.services.work import WorkService  # noqa: PLC0415
        from agent_desktop.ui.main_window import MainWindow  # noqa: PLC0415
        from agent_desktop.ui.panels.phone_panel import PhonePanel  # noqa: PLC0415
        from softphone import Phone  # noqa: PLC0415

        settings = self.settings
        self.sync = SyncService(
            self.tasks,
            self.messages,
            self.options.profile_dir,
            verify=settings.tls_verify(),
            timeout_s=settings.request_timeout_s,
            parent=self,
        )
        self._attach_recording_uploads()
        self.phone = Phone(self, wall_clock=self.clock.timestamp)
        self.phone_panel = PhonePanel(self.phone, auto_answer=settings.auto_answer)
        self.ringer = Ringer(self.phone, settings.ringing_device, parent=self)
        self.main_window = MainWindow(
            self.session, self.messages, self.layout_store, phone_panel=self.phone_panel
        )
        self.main_window.attach_sync(self.sync)
        self.main_window.attach_recording_uploads(self.recording_uploads.pending_changed)
        self.main_window.attach_appearance(self.appearance)
        plan = dial_plan(settings)
        self.screen_pop = ScreenPopService(
            self.sync, self.tasks, parent=self, now=self.clock.now, dial_plan=plan
        )
        self.screen_pop.attach(self.phone)
        self.screen_pop.popped.connect(self._log_pop)
        self.agent_state = AgentStateService(
            self.phone, self.sync, parent=self, clock=self.clock.timestamp, dial_plan=plan
        )
        self.main_window.attach_desk(self.screen_pop, self.agent_state, self.phone)
        self.agent_state.logged_out_by_lead.connect(self._logged_out_by_lead)
        self.dialler = Dialler(self.phone, plan, parent=self)
        self.main_window.attach_dialler(self.dialler)
        self.phone_panel.queue_of = self.agent_state.queue_of
        self.work = WorkService(self.sync, self.tasks, parent=self, now=self.clock.now)
        self.sync.records_changed.connect(self.work.records_changed)
        self.kb = KbService(self.sync, self.tasks, parent=self)
        self.work_desk = self.main_window.attach_work(self.work, self.kb)
        self._attach_supervision()
        self._attach_recording()
        self._attach_profile()
        self.headset_buttons: HeadsetButtons | None = None  # started with the phone
        self._attach_directory()
        self._attach_diagnostics()
        self._attach_global_keys()
        self.main_window.quit_action.triggered.connect(lambda: self.finish(0))
        self.main_window.destroyed.connect(lambda: self.finish(0))
        mark_first_paint(self.main_window, "window-painted")
        gc.freeze()  # see run(): the desk, too, lives as long as the app
        mark("desk-built")

    def _attach_recording(self) -> None:
        """Call recording (issue 20): the call bar's state and PCI pause, the customer the
        screen pop found on each recording."""
        from agent_desktop.services.recording import RecordingService  # noqa: PLC0415
        from agent_desktop.services.recording_library import ServerRecordings  # noqa: PLC0415
        from agent_desktop.services.recording_playback import RecordingPlayback  # noqa: PLC0415

        self.recording = RecordingService(
            self.phone, self.sync, self.tasks, now=self.clock.now, parent=self
        )
        self.screen_pop.popped.connect(self.recording.on_pop)
        self.agent_state.recording_of = self.recording.recording_id
        self.main_window.attach_recordings(
            self.recording,
            self.settings.recording_auto_pause,
            self.settings.recording_sensitive_fields,
        )
        self.recording.changed.connect(self._recording_changed)
        # The 360's ▶: recordings fetched from the server into a cache of their own (not the
        # spool, whose files are this desk's recordings waiting for upload).
        playback = RecordingPlayback(
            ServerRecordings(self.sync), self.tasks, self.options.profile_dir / "played", self
        )
        self.main_window.attach_recording_playback(
            playback, self.tasks, self.settings.playback_device
        )

    def _recording_changed(self, info: RecordingInfo) -> None:
        from softphone.events import RecordingState  # noqa: PLC0415 - with the phone

        if info.state in (RecordingState.FINISHED, RecordingState.LINKED):
            self.recording_uploads.kick()  # sealed (or linked): its metadata is in the spool

    def _recording(self) -> RecordingSettings:
        from agent_desktop.services.recording import recording_settings  # noqa: PLC0415

        return recording_settings(self.settings, self.options.profile_dir)

    def _attach_recording_uploads(self) -> None:
        """The recordings' outbox (issue 20): the spool emptied to the server in the
        background, with the agent told when it nears its bound."""
        from agent_desktop.services.recording_uploads import RecordingUploads  # noqa: PLC0415
        from sync.recording_upload import RecordingSpool, spool_dir_default  # noqa: PLC0415

        settings = self.settings
        directory = (
            Path(settings.recording_spool_dir)
            if settings.recording_spool_dir
            else spool_dir_default(self.options.profile_dir)
        )
        self.recording_uploads = RecordingUploads(
            self.tasks,
            self.messages,
            RecordingSpool(directory, settings.recording_spool_max_mb * 1024 * 1024),
            verify=settings.tls_verify(),
            timeout_s=settings.request_timeout_s,
            parent=self,
        )

    def _attach_global_keys(self) -> None:
        """System-wide answer / hang-up keys where the desktop is X11 (off until the agent
        turns them on in the shortcut editor); elsewhere the editor says why not."""
        from agent_desktop.ui.global_keys import (  # noqa: PLC0415
            X11GlobalKeys,
            XlibUnavailableError,
            no_xlib_reason,
            unavailable_reason,
        )

        self.global_keys: X11GlobalKeys | None = None
        if unavailable_reason(QApplication.platformName()):
            return
        try:
            self.global_keys = X11GlobalKeys(parent=self)
        except XlibUnavailableError as exc:
            log.warning("system-wide keys: %s", exc)
            self.main_window.attach_global_keys(None, no_xlib_reason())
            return
        self.main_window.attach_global_keys(self.global_keys)

    def _attach_profile(self) -> None:
        """View > Language, and the roaming profile: read at sign-in, each change here
        written back."""
        self.main_window.attach_language(self.language)
        from agent_desktop.services.roaming_profile import RoamingProfile  # noqa: PLC0415
        from agent_desktop.ui.desk_preferences import DeskPreferences  # noqa: PLC0415

        self.desk_preferences = DeskPreferences(
            self.main_window, self.language, self.layout_store, self.wallboard
        )
        profile = self.profile = RoamingProfile(
            self.tasks, self.layout_store, self.desk_preferences.collect, parent=self
        )
        profile.arrived.connect(self.desk_preferences.apply)
        self.language.changed.connect(lambda _language: profile.changed("language"))
        self.main_window.layout_changed.connect(lambda: profile.changed("layout"))
        self.main_window.shortcuts_changed.connect(lambda: profile.changed("shortcuts"))
        self.main_window.compact.changed.connect(lambda: profile.changed("compact_call_bar"))
        self.wallboard.thresholds_changed.connect(lambda: profile.changed("wallboard_thresholds"))

    def _start_profile(self) -> None:
        grant, client = self.sync.grant, self.sync.client_factory
        if grant is not None and client is not None:
            self.desk_preferences.username = grant.user.username
            self.profile.start(grant.user.username, client)

    def _attach_directory(self) -> None:
        """The colleague directory, with the outside extensions the site configured."""
        from agent_desktop.services.directory import DirectoryService  # noqa: PLC0415
        from agent_desktop.services.outside_lines import outside_extensions  # noqa: PLC0415

        self.directory = DirectoryService(
            self.sync,
            self.tasks,
            self.phone,
            parent=self,
            outside=outside_extensions(self.settings),
        )
        self.main_window.attach_directory(self.directory)

    def _attach_supervision(self) -> None:
        """The lead's board and listen / whisper / barge, wired to the main window."""
        from agent_desktop.services.monitoring import MonitorService  # noqa: PLC0415
        from agent_desktop.services.wallboard import WallboardService  # noqa: PLC0415

        self.wallboard = WallboardService(
            self.sync, self.tasks, self.messages, self.layout_store, parent=self, now=self.clock.now
        )
        self.main_window.attach_wallboard(self.wallboard)
        self.monitor = MonitorService(
            self.phone, self.sync, self.tasks, parent=self, now=self.clock.now
        )
        self.main_window.attach_monitor(self.monitor)
        from agent_desktop.services.paused_calls import PausedCalls  # noqa: PLC0415

        self.paused_calls = PausedCalls(self.sync, self.tasks, parent=self)
        self.main_window.attach_paused_calls(self.paused_calls)
        from agent_desktop.services.adherence import AdherenceService  # noqa: PLC0415

        sync = self.sync
        self.adherence = AdherenceService(
            lambda: sync.grant, lambda: sync.client_factory, self.tasks, parent=self
        )
        sync.event_received.connect(self.adherence.on_event)
        self.main_window.attach_adherence(self.adherence)

    def _attach_diagnostics(self) -> None:
        """Help > Save diagnostics, and View > Phone account (what IT asks for and sets)."""
        from agent_desktop.services.account_settings import AccountSettings  # noqa: PLC0415
        from agent_desktop.services.diagnostics import DiagnosticsService  # noqa: PLC0415

        self.account = AccountSettings(
            self.tasks,
            self.options.config_file or user_config_path(),
            self.settings,
            parent=self,
            origins=self.options.config_origins,
        )
        self.main_window.attach_account(self.account)
        self.diagnostics = DiagnosticsService(
            self.tasks,
            self.options.profile_dir,
            lambda: self.account.settings,  # as loaded, then as changed in View > Phone account
            lambda: self.account.origins,
            self._live_desk,
            parent=self,
            problems=self.options.config_problems,
        )
        self.main_window.attach_diagnostics(self.diagnostics)

    def _live_desk(self) -> LiveDesk:
        """What the diagnostics bundle needs from the running desk (on the GUI thread): the
        phone, audio, sync and update state, the SIP trace, and the secrets to keep out."""
        from agent_desktop.diagnostics_bundle import LiveDesk  # noqa: PLC0415

        phone, config, headset = self.phone, self.phone.config, self.phone.headset
        status = self.sync.status
        release = self.session.desk_release
        settings = self.account.settings
        desk = {
            "session": {
                "server": self.session.server_url or settings.server_url,
                "user": self.session.grant.user.username if self.session.grant else "",
                "connection": self.session.connection.value,
                "profile": str(self.options.profile_dir),
            },
            "phone": {
                "engine": f"{phone.engine_state.value} (pid {phone.engine_pid})",
                "listens_on": f"{phone.local_address} ({config.transport.value})",
                "user": config.user,
                "auth_user": config.auth_user or config.user,
                "password_set": bool(config.password),
                "domain": config.domain,
                "registrar": config.registrar or "(none)",
                "outbound_proxy": config.outbound_proxy or "(none)",
                "registration": f"{phone.registration.state.value} {phone.registration.reason}",
            },
            "audio": {
                "playback_in_use": headset.output.description() if headset else "",
                "capture_in_use": headset.input.description() if headset else "",
                "chosen": {
                    "playback": settings.playback_device or "(system default)",
                    "capture": settings.capture_device or "(system default)",
                    "ringing": settings.ringing_device or "(system default)",
                },
                "outputs": headset.outputs() if headset else [],
                "inputs": headset.inputs() if headset else [],
            },
            "sync": {
                "state": status.state,
                "outbox_waiting": status.waiting,
                "outbox_refused": status.failed,
                "conflicts": status.conflicts,
                "offline_since": status.offline_since,
                "last_synced": status.last_synced,
                "error": status.error,
            },
            "update": {
                "urgency": self.session.update_urgency.value,
                "desk_version": __version__,
                "newest_desk": release.newest if release else "",
                "oldest_contract_served": str(release.oldest) if release and release.oldest else "",
                "oldest_contract_next": str(release.oldest_next)
                if release and release.oldest_next
                else "",
                "oldest_contract_next_from": release.next_from if release else "",
            },
        }
        secrets = [config.password]
        if self.session.grant is not None:
            secrets.append(self.session.grant.token)
        return LiveDesk(
            qt_platform=self.qapp.platformName(),
            desk=desk,
            sip_trace=phone.sip_trace.text(),
            secrets=tuple(s for s in secrets if s),
        )

    def _connecting(self, state: ConnectionState) -> None:
        """A sign-in started: build the desk while the server answers (the dialog says
        "Signing in…"; the timer lets it paint that first)."""
        if state == ConnectionState.CONNECTING and not self.desk_built:
            QTimer.singleShot(0, self, self.build_desk)

    # -- life cycle --------------------------------------------------------------------------

    async def run(self) -> int:
        """Start, then wait until the user quits (or the tour ends); returns the exit code."""
        loop = asyncio.get_running_loop()
        self._finished = loop.create_future()
        self.crash.install()
        self._handle_termination(loop)
        # Everything built so far lives as long as the app: move it out of the collector's
        # way. A full collection otherwise walks all of it while holding the GIL, which froze
        # the UI thread for 50-65 ms during a big sync (10-16 ms with this; bench_sync.py).
        gc.freeze()
        self.qapp.setQuitOnLastWindowClosed(False)
        self.qapp.lastWindowClosed.connect(self._maybe_quit)
        try:
            if self.options.demo:
                self._start_demo()
            else:
                self._start_normal()
            return await self._finished
        finally:
            self.shutdown()

    def _handle_termination(self, loop: asyncio.AbstractEventLoop) -> None:
        """Quit cleanly on Ctrl+C or SIGTERM (a logout, IT's kill): save layout, stop the demo."""
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: loop.call_soon_threadsafe(self.finish, 0))
        # Python runs signal handlers only when it gets control; Qt's loop is C++, so wake it.
        self._signal_wakeup = QTimer(self)
        self._signal_wakeup.timeout.connect(lambda: None)
        self._signal_wakeup.start(250)

    def finish(self, code: int) -> None:
        if self._finished is not None and not self._finished.done():
            self._finished.set_result(code)

    def _maybe_quit(self) -> None:
        window_shown = self.desk_built and self.main_window.isVisible()
        if not window_shown and self.login_dialog is None:
            self.finish(0)

    def shutdown(self) -> None:
        """Quit (the menu, the window closed, SIGTERM/SIGINT): leave the desk honestly, then
        close. The window goes first; then the calls are ended (a ring declined, a call hung
        up), their interactions and Logged out queued in the outbox, and pushed on a worker
        while the phone un-registers (each bounded at about 2 s): the server never shows a
        closed desk Ready or on a call. Offline, the outbox carries it all to the next start."""
        # A phone start still pending (the first-paint hook, its one-second fallback) must not
        # start SIP on a desk that is going away.
        self._phone_started = True
        self.crash.uninstall()
        if self.desk_built:
            if self.main_window.isVisible():
                self.main_window.save_layout()
                self.main_window.hide()  # the agent sees the desk go now; the rest is bounded
            # A change still to roam stays pending for the next start: no write may read the
            # window while it goes (a language switch or a layout change in the last moment).
            self.profile.stop()
            self.monitor.close()
            self.recording_uploads.stop()  # an upload under way ends after its chunk
            if self.headset_buttons is not None:
                self.headset_buttons.close()
            if self.global_keys is not None:
                self.global_keys.close()  # the keys go back to the other programs
            last_words = self.agent_state.close_out()  # in the outbox: kept whatever follows
            pushed = self._push_last_words(last_words)
            self.phone.stop()  # live calls get their BYE while SIP is still polled; un-REGISTER
            for future in (pushed, self.sync.winding_down):
                if future is not None:  # a sign-out's push may still be under way, too
                    wait([future], timeout=LAST_PUSH_S + 1.5)
            self.screen_pop.close()
            self.work.close()
            self.kb.close()
        self.tasks.shutdown()
        if self.demo_backend is not None:
            self.demo_backend.stop()
            self.demo_backend = None

    def _push_last_words(self, written: list[Future[Any]]) -> Future[None] | None:
        """At quit: the sync engine's last push and the cache's close, on a worker (the phone
        stops meanwhile on this thread)."""
        closing = self.sync.closing(LAST_PUSH_S, written)
        if closing is None:
            return None
        return self.tasks.run_blocking(closing, lambda _n: None, lambda _e: None)

    def _farewell(self) -> Future[None] | None:
        """As a sign-out starts (the token still good): the calls ended and written, Logged
        out reported, and the push of those last writes started; the session revokes its
        token once that is over (bounded)."""
        if not self.desk_built:
            return None
        last_words = self.agent_state.close_out()
        return self.sync.stop(push_s=LAST_PUSH_S, after=last_words)

    def _logged_out_by_lead(self, _command: object) -> None:
        """The team lead logged this desk out: a sign-out like the agent's own, now."""
        if self.session.grant is not None:
            self.session.sign_out(self.tr("Your team lead signed you out."), revoke=True)

    def _start_phone(self) -> None:
        """Start SIP and the audio devices: after the main window shows (demo: before the
        demo backend, which needs the phone's address)."""
        if self._phone_started:
            return
        self._phone_started = True
        # pjsua2 and Qt Multimedia load here, not before the sign-in dialog.
        from agent_desktop.services.phone_setup import phone_config  # noqa: PLC0415
        from softphone import PhoneError, RemoteHeadset  # noqa: PLC0415

        s = self.settings
        config = phone_config(
            s, self.credentials, self.options.demo, self.messages.warning, self._recording()
        )
        # pjsua2 and the headset's audio run in the phone engine's process; the desk keeps
        # the device names and the signals.
        headset: RemoteHeadset | None = None
        if RemoteHeadset.outputs() or RemoteHeadset.inputs():
            headset = RemoteHeadset(self)
            headset.device_lost.connect(self._device_lost)
            # The agent's own pick on this PC beats the configured default.
            output = str(self.layout_store.value("audio/playback", "") or s.playback_device)
            input_ = str(self.layout_store.value("audio/capture", "") or s.capture_device)
            headset.open(output, input_)
            self.main_window.audio_action.setEnabled(True)
            self.main_window.audio_action.triggered.connect(self.show_audio_dialog)
        else:  # a server, a test box, a remote session without audio: calls still connect
            log.info("audio: no devices; the phone runs on the null device")
        self._watch_network()
        self.phone.command_failed.connect(self._phone_failed)
        try:
            self.phone.start(config, headset=headset)  # returns at once; the engine follows
        except PhoneError as exc:
            self.messages.error(self.tr("The phone could not start: %1").replace("%1", str(exc)))
        self._start_headset_buttons()

    def _start_headset_buttons(self) -> None:
        """The headset's hook, mute and flash buttons (USB HID; read on a thread of its own)."""
        from agent_desktop.services.headset_buttons import HeadsetButtons  # noqa: PLC0415

        self.headset_buttons = HeadsetButtons(self.phone, self.tasks, parent=self)
        # The agent's pick on this PC (the Audio devices dialog) beats the configured one.
        choice = str(self.layout_store.value("audio/hid", "") or self.settings.headset_buttons)
        self.headset_buttons.start(choice)

    def _phone_failed(self, text: str, reason: str) -> None:
        """The engine refused to start (the configuration), or kept dying: say so once."""
        if reason == "start":
            self.messages.error(self.tr("The phone could not start: %1").replace("%1", text))
        elif reason == "engine":
            self.messages.error(
                self.tr("The phone keeps failing and has stopped. Restart the app.")
            )

    def _watch_network(self) -> None:
        """Tell the phone when the network comes back or changes (where the OS says so)."""
        from PySide6.QtNetwork import QNetworkInformation  # noqa: PLC0415 - with the phone

        if not QNetworkInformation.loadDefaultBackend():
            log.info("network: no reachability information here; sleep detection only")
            return
        info = QNetworkInformation.instance()
        info.reachabilityChanged.connect(self._reachability)

    def _reachability(self, reach: QNetworkInformation.Reachability) -> None:
        if reach == QNetworkInformation.Reachability.Online:
            self.phone.network_changed()

    def show_audio_dialog(self) -> AudioDialog | None:
        from agent_desktop.ui.dialogs.audio_dialog import AudioDialog  # noqa: PLC0415 - on use

        headset = self.phone.headset
        if headset is None:
            return None
        dialog = AudioDialog(headset, self.main_window, buttons=self.headset_buttons)

        def chosen(result: int) -> None:
            if result == AudioDialog.DialogCode.Accepted:
                output, input_ = dialog.choice()
                self.layout_store.setValue("audio/playback", output)
                self.layout_store.setValue("audio/capture", input_)
                self.profile.changed("playback_device")
                self.profile.changed("capture_device")
                headset.reopen(output, input_)
                hid = dialog.buttons_choice()
                if self.headset_buttons is not None and hid != self.headset_buttons.choice:
                    self.layout_store.setValue("audio/hid", hid)
                    self.headset_buttons.start(hid)
            dialog.deleteLater()

        dialog.finished.connect(chosen)
        dialog.open()
        return dialog

    def _device_lost(self, description: str) -> None:
        headset = self.phone.headset
        now = headset.replacement(description) if headset else ""  # a microphone's, for one
        self.messages.warning(
            self.tr("The audio device %1 is gone; now using %2.")
            .replace("%1", description)
            .replace("%2", now or self.tr("no device"))
        )

    # -- start -------------------------------------------------------------------------------

    def _last_sign_in(self) -> tuple[str, str]:
        server = str(self.layout_store.value("session/server_url", "") or "")
        user = str(self.layout_store.value("session/username", "") or "")
        return server, user

    def _start_normal(self) -> None:
        server, user = self._last_sign_in()
        # A sign-in remembered on another server than the one the machine policy locks is
        # not resumed: the dialog opens on the policy's server.
        if server != server_to_sign_in(self.settings, server):
            server = ""
        if self.settings.remember_sign_in and server and user and self.session.can_remember:
            self.session.restore(server, user)  # ends in signed_in or restore_failed
        else:
            self.show_login()

    def _start_demo(self) -> None:
        from agent_desktop.demo_backend import DemoBackend  # noqa: PLC0415 - the demo's only
        from softphone import EngineState  # noqa: PLC0415 - with the phone

        self.build_desk()
        self._start_phone()
        # The demo caller needs the phone's address: the backend starts once the engine runs
        # (or could not start: the demo goes on without calls).
        self._demo_started = False

        def engine(state: object) -> None:
            if state in (EngineState.RUNNING, EngineState.FAILED) and not self._demo_started:
                self._demo_started = True
                self._start_demo_backend(DemoBackend)

        self.phone.engine_state_changed.connect(engine)
        engine(self.phone.engine_state)

    def _start_demo_backend(self, backend_class: type[DemoBackend]) -> None:
        calls_to = ""
        if self.options.demo_calls and self.phone.running:
            calls_to = f"sip:{self.settings.sip_user}@{self.phone.local_address}"
        backend = backend_class(calls_to, self.options.demo_call_every_s)
        self.demo_backend = backend
        backend.start()
        self.messages.info(self.tr("Starting the demo backend…"))
        self.tasks.run_blocking(backend.wait_ready, self._demo_ready, self._demo_failed)

    def _demo_ready(self, url: str) -> None:
        if self.options.tour_dir is not None:
            from agent_desktop.tour import Tour  # noqa: PLC0415 - the tour's only

            tour = Tour(self, url, self.options.tour_dir)
            task = asyncio.ensure_future(tour.run())
            task.add_done_callback(lambda t: self.finish(t.result() if not t.exception() else 1))
            return
        from agent_desktop.demo_backend import DEMO_PASSWORD, DEMO_USER  # noqa: PLC0415

        self.main_window.show()
        self.session.sign_in(url, DEMO_USER, DEMO_PASSWORD, remember=False)

    def _demo_failed(self, error: BaseException) -> None:
        log.error("demo backend failed: %s", error)
        if not self.options.headless:
            QMessageBox.critical(None, self.tr("Demo"), str(error))
        self.finish(1)

    # -- sign-in flow ------------------------------------------------------------------------

    def show_login(
        self, message: str = "", server_url: str = "", username: str = ""
    ) -> LoginDialog:
        if self.login_dialog is not None:
            self.login_dialog.show_error(message)
            return self.login_dialog
        last_server, last_user = self._last_sign_in()
        dialog = LoginDialog(
            self.session,
            server_url=server_to_sign_in(self.settings, server_url, last_server),
            username=username or last_user or self.settings.username,
            remember=self.settings.remember_sign_in,
            server_locked="server_url" in self.settings.locked,
            parent=self.main_window if self.desk_built and self.main_window.isVisible() else None,
        )
        dialog.show_error(message)
        dialog.finished.connect(self._login_closed)
        mark_first_paint(dialog, "login-painted")
        self.login_dialog = dialog
        dialog.open()
        return dialog

    def _login_closed(self, result: int) -> None:
        dialog, self.login_dialog = self.login_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if result != LoginDialog.DialogCode.Accepted and self.session.grant is None:
            self.finish(0)  # the user chose Quit at the sign-in dialog

    def _on_signed_in(self, grant: SessionGrant) -> None:
        self.build_desk()  # built while the server answered, unless it answered first
        self.layout_store.setValue("session/server_url", self.session.server_url)
        self.layout_store.setValue("session/username", grant.user.username)
        self.sync.start(self.session.server_url, grant)
        self.recording_uploads.start(self.session.server_url, grant.token, grant.user.username)
        self.sync.ready.connect(self.agent_state.sign_in, Qt.ConnectionType.SingleShotConnection)
        self.sync.ready.connect(self.work_desk.start, Qt.ConnectionType.SingleShotConnection)
        self.sync.ready.connect(self.wallboard.start, Qt.ConnectionType.SingleShotConnection)
        self.sync.ready.connect(self.paused_calls.start, Qt.ConnectionType.SingleShotConnection)
        self.sync.ready.connect(self.adherence.start, Qt.ConnectionType.SingleShotConnection)
        self.sync.ready.connect(self.directory.start, Qt.ConnectionType.SingleShotConnection)
        self.sync.ready.connect(self._start_profile, Qt.ConnectionType.SingleShotConnection)
        if self.demo_backend is not None and self.demo_backend.calls_to:
            self.sync.ready.connect(self._demo_go_ready, Qt.ConnectionType.SingleShotConnection)
        self.main_window.show()
        self._phone_on_after_sign_in()
        if not self._phone_started:
            # SIP and the audio devices start once the window has painted (at the latest
            # after a second, should a hidden window never paint).
            on_first_paint(self.main_window, self._start_phone)
            QTimer.singleShot(1000, self, self._start_phone)

    def _demo_go_ready(self) -> None:
        """A newcomer should not have to find the Ready button before the demo shows a call:
        the demo agent goes Ready at sign-in, and the demo caller rings soon after."""
        self.agent_state.request(AgentState.READY)
        self.messages.info(
            self.tr(
                "Demo: you are Ready, so demo customers will call this desk: the first in a "
                "few seconds, then about every %1 s. Choose Not Ready to stop them."
            ).replace("%1", f"{self.options.demo_call_every_s:g}")
        )

    def _log_pop(self, pop: ScreenPop) -> None:
        """Who the screen pop found, for support (the customer's code, not their details)."""
        if pop.call is None:
            return
        if pop.view is not None:
            found = f"customer {pop.view.customer.code}"
        elif pop.candidates:
            found = f"{len(pop.candidates)} candidates"
        elif pop.lookup is not None and pop.lookup.withheld:
            found = "number withheld"
        else:
            found = "unknown caller"
        log.info("screen pop: call %d: %s", pop.call.call_id, found)

    def _on_signed_out(self, reason: str) -> None:
        self._phone_off_for_sign_out()
        self.agent_state.sign_out()
        self.work_desk.stop()
        self.monitor.reset()
        self.wallboard.stop()
        self.paused_calls.stop()
        self.adherence.stop()
        self.directory.stop()
        self.profile.stop()
        self.recording_uploads.stop()
        self.sync.stop()
        QTimer.singleShot(0, self, lambda: self.show_login(reason))

    def _phone_off_for_sign_out(self) -> None:
        """Un-register at sign-out (the engine stops: REGISTER Expires: 0, the challenge
        answered, live calls ended with BYE): the PBX must not route customers to a desk
        nobody is signed in at. The next sign-in starts the phone again. Registrar-less
        (the demo) the phone stays: nothing routes to it but direct calls."""
        if not (self.desk_built and self._phone_started and self.phone.config.registrar):
            return
        from softphone import EngineState  # noqa: PLC0415 - with the phone

        if self.phone.engine_state in (EngineState.STOPPED, EngineState.FAILED):
            return
        # In the background: the PBX may take its time to answer, the window must not wait.
        self._phone_stopping = True
        self.phone.stop_soon(self._phone_stopped)
        self._phone_signed_out = True

    def _phone_stopped(self) -> None:
        self._phone_stopping = False
        if self._phone_start_waiting:  # signed in again while the old account un-registered
            self._phone_start_waiting = False
            self._phone_on_after_sign_in()

    def _phone_on_after_sign_in(self) -> None:
        """The phone stopped at sign-out starts again with this user's account (once the
        old account's un-registration is over: one engine at a time)."""
        if not self._phone_signed_out:
            return
        if self._phone_stopping:
            self._phone_start_waiting = True
            return
        self._phone_signed_out = False
        from agent_desktop.services.phone_setup import phone_config  # noqa: PLC0415
        from softphone import PhoneError  # noqa: PLC0415

        config = phone_config(
            self.settings,
            self.credentials,
            self.options.demo,
            self.messages.warning,
            self._recording(),
        )
        try:
            self.phone.start(config, headset=self.phone.headset)
        except PhoneError as exc:
            self.messages.error(self.tr("The phone could not start: %1").replace("%1", str(exc)))

    def _on_restore_failed(self, message: str) -> None:
        self.show_login(message)

    # -- bugs --------------------------------------------------------------------------------

    def _report_bug(self, summary: str, details: str) -> None:
        if self.options.headless:
            return  # logged by the reporter; the tour checks the count
        text = "\n\n".join(
            (
                self.tr("Something went wrong: %1").replace("%1", summary),
                self.tr("The details are in the log."),
            )
        )
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Unexpected error"), text)
        box.setDetailedText(details)
        box.open()


def temporary_profile() -> Path:
    return Path(tempfile.mkdtemp(prefix="agent-profile-"))
