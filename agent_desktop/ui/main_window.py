"""The main window: phone and customer 360 docks around the work area, menus, status bar.

Dock positions, sizes and visibility persist in QSettings; View > Reset layout brings back the
built-in arrangement.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QPoint,
    QSettings,
    Qt,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop import APP_NAME, __version__
from agent_desktop.desk_labels import desk_code_label
from agent_desktop.messages import Level, Message, MessageBridge
from agent_desktop.services.administration import Administration
from agent_desktop.services.agent_state import AgentStateService, AgentStatus
from agent_desktop.services.kb import KbService
from agent_desktop.services.monitoring import MonitorService
from agent_desktop.services.paused_calls import PausedCalls
from agent_desktop.services.quality import QualityService
from agent_desktop.services.recording_playback import RecordingPlayback
from agent_desktop.services.recording_ports import RecordingControl
from agent_desktop.services.reports import ReportsService
from agent_desktop.services.reports import may_open as may_open_reports
from agent_desktop.services.screen_pop import ScreenPop, ScreenPopService
from agent_desktop.services.session import ConnectionState, SessionService
from agent_desktop.services.sync_service import CacheError, SyncService
from agent_desktop.services.wallboard import WallboardService
from agent_desktop.services.work import WorkService
from agent_desktop.services.workforce import WorkforceService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.admin.area import AdministrationArea
from agent_desktop.ui.admin.pages import ADMIN_PERMISSIONS
from agent_desktop.ui.appearance import Appearance, set_tone
from agent_desktop.ui.colours_menu import ColoursMenu
from agent_desktop.ui.dialogs.conflict_dialog import ConflictDialog
from agent_desktop.ui.dialogs.new_customer_dialog import NewCustomerDialog
from agent_desktop.ui.dialogs.password_dialog import PasswordDialog
from agent_desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from agent_desktop.ui.dialogs.unsent_dialog import UnsentDialog
from agent_desktop.ui.fit import FitScroll
from agent_desktop.ui.global_keys import GlobalKeysOption, X11GlobalKeys
from agent_desktop.ui.live_texts import LiveTexts, refresh_models
from agent_desktop.ui.locked import locked_note
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.panels.customer_panel import CustomerPanel
from agent_desktop.ui.panels.panels import PhonePanel, WorkArea
from agent_desktop.ui.panels.phone_panel import PhonePanel as RealPhonePanel
from agent_desktop.ui.quality.player import CallPlayer, MomentField, PlayerFactory
from agent_desktop.ui.quality.window import QualityWindow
from agent_desktop.ui.quality.window import may_open as may_open_quality
from agent_desktop.ui.ring_attention import DesktopRingNotifier, RingNotifier, in_background
from agent_desktop.ui.sensitive_fields import SensitiveFocusWatcher
from agent_desktop.ui.shortcuts import BY_ID, ShortcutId, ShortcutMap, ShortcutNames
from agent_desktop.ui.widgets.call_bar import CallBar
from agent_desktop.ui.widgets.compact_call_bar import CompactMode
from agent_desktop.ui.work_desk import KNOWLEDGE_TAB, TICKETS_TAB, WorkDesk
from softphone import CallInfo, CallState, Phone, PhoneError
from sync.clock import system_clock
from sync.contract.desk import AUTOMATIC_REASONS
from sync.contract.errors import ErrorCode
from sync.contract.events import payload_of
from sync.contract.quality import EvaluationNotice, EvaluationStatus
from sync.contract.recordings import RecordingMeta
from sync.contract.records import AgentState, Role, SessionGrant
from sync.contract.wallboard import AgentCommandOut, TeamMessageOut
from sync.contract.wfm import PLAN as WFM_PLAN
from sync.contract.wfm import VIEW_OWN as WFM_VIEW_OWN
from sync.contract.wfm import RosterPublishedData
from sync.contract.wire import CustomerPatch, DeskSettings, EventOut
from sync.engine import SyncStatus

if TYPE_CHECKING:
    from agent_desktop.i18n import LanguageSwitcher
    from agent_desktop.services.account_settings import AccountSettings
    from agent_desktop.services.adherence import AdherenceService
    from agent_desktop.services.diagnostics import DiagnosticsService
    from agent_desktop.services.dialler import Dialler
    from agent_desktop.services.directory import DirectoryService
    from agent_desktop.ui.dialogs.directory_dialog import DirectoryDialog
    from agent_desktop.ui.dialogs.recording_dialog import RecordingDialog
    from agent_desktop.ui.panels.wallboard_panel import WallboardPanel
    from agent_desktop.ui.reports.window import ReportsWindow

LAYOUT_VERSION = 1  # bump when docks are added or renamed, so old saved states are ignored
SUPERVISOR_STATE = "window/supervisor_state"  # a lead's own layout (the board's), kept apart
CALL_ACTIONS = (
    ShortcutId.ANSWER,
    ShortcutId.DECLINE,
    ShortcutId.HANG_UP,
    ShortcutId.HOLD,
    ShortcutId.MUTE,
    ShortcutId.TRANSFER,
)


@runtime_checkable
class CallControls(Protocol):
    """What the call keys drive: the real phone panel (which knows the selected call)."""

    def answer_ringing(self) -> None: ...
    def decline_ringing(self) -> None: ...
    def hangup(self) -> None: ...
    def toggle_hold(self) -> None: ...
    def toggle_mute(self) -> None: ...
    def ask_transfer(self) -> None: ...
    def possible(self) -> frozenset[str]: ...


class MainWindow(QMainWindow):
    # Recordings (issue 20), once attached: the desk's recorder (attach_recordings), the
    # focus watcher, the 360's playback (attach_recording_playback) and its dialog.
    recordings: RecordingControl | None = None
    sensitive_focus: SensitiveFocusWatcher | None = None
    _playback: RecordingPlayback | None = None
    _playback_tasks: TaskRunner | None = None
    recording_dialog: RecordingDialog | None = None
    _playback_device = ""
    _call_was_live = False
    layout_changed = Signal()  # the agent moved, floated, hid or reset a dock (roaming profile)
    shortcuts_changed = Signal()  # the agent saved new keys (roaming profile)
    _recordings_waiting = 0  # call recordings the server has not confirmed yet (per window)

    def __init__(
        self,
        session: SessionService,
        messages: MessageBridge,
        layout_store: QSettings,
        parent: QWidget | None = None,
        phone_panel: QWidget | None = None,
        ring_notifier: RingNotifier | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._messages = messages
        self._layout_store = layout_store
        self._sync: SyncService | None = None
        self.work_desk: WorkDesk | None = None
        self.wallboard_panel: WallboardPanel | None = None  # supervisor mode, for leads only
        self._wallboard: WallboardService | None = None
        self._work_state: QByteArray | None = None  # the work layout, while a lead's is shown
        self._monitor: MonitorService | None = None
        self._paused_calls: PausedCalls | None = None
        self._dialler: Dialler | None = None  # the site's dial plan (attach_dialler)
        self.team_message: TeamMessageOut | None = None  # the lead's last message to the team
        self._reason_labels: dict[str, str] = {}
        self.new_customer_dialog: NewCustomerDialog | None = None
        self._sync_status: SyncStatus | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self.refused_dialog: UnsentDialog | None = None
        self.shortcut_map = ShortcutMap(layout_store)
        self.shortcut_names = ShortcutNames(self)
        self.shortcut_actions: dict[ShortcutId, QAction] = {}
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self._not_ready_menu: QMenu | None = None
        self._agent_service: AgentStateService | None = None  # (attach_desk)
        self._texts = LiveTexts()  # what changeEvent translates again (ui/live_texts.py)
        self._language: LanguageSwitcher | None = None  # (attach_language)
        self._desk_settings: DeskSettings | None = None  # the last the server sent
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 800)

        self.work_area = WorkArea()
        self._build_centre()
        # The real phone when the app has one; tests of the shell get the placeholder.
        self.phone_panel = phone_panel or PhonePanel()
        self.customer_panel = CustomerPanel(self._now)
        self.phone_dock = self._dock(
            "phoneDock",
            lambda: self.tr("Phone"),
            self.phone_panel,
            Qt.DockWidgetArea.LeftDockWidgetArea,
        )
        self.customer_dock = self._dock(
            "customerDock",
            lambda: self.tr("Customer 360"),
            self.customer_panel,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.resizeDocks(
            [self.phone_dock, self.customer_dock], [260, 360], Qt.Orientation.Horizontal
        )

        self._build_menus()
        # System-wide answer / hang-up keys: the option; its X11 means come from attach_global_keys.
        self.global_keys = GlobalKeysOption(
            layout_store, self.shortcut_actions, self.shortcut_names, self
        )
        self._build_status_bar()
        self._build_call_bar()
        self._default_state = self.saveState(LAYOUT_VERSION)
        # How a ringing call gets attention behind other windows (tests pass a spy).
        self.ring_notifier: RingNotifier = ring_notifier or DesktopRingNotifier(
            self, self.shortcut_actions[ShortcutId.ANSWER]
        )

        session.connection_changed.connect(self._show_connection)
        session.signed_in.connect(self._show_user)
        session.signed_out.connect(self._on_signed_out)
        messages.posted.connect(self._show_message)
        self._show_connection(session.connection)
        self._show_user(session.grant)
        self.restore_layout()

    def _build_centre(self) -> None:
        """The centre: the work tabs, or during a call the customer 360 at full width."""
        self.centre = QStackedWidget()
        self.centre.setObjectName("centre")
        self.centre.addWidget(self.work_area)
        self.call_page = QWidget()
        self.call_page.setObjectName("callPage")
        self._call_page_layout = QVBoxLayout(self.call_page)
        self._call_page_layout.setContentsMargins(0, 0, 0, 0)
        self.centre.addWidget(self.call_page)
        self._dock_was_visible = True
        # A tab or a pop whose minimum is more than the screen has scrolls in place rather than
        # widening the window (ui/fit.py).
        self.setCentralWidget(FitScroll("centreScroll", self.centre))

    def _dock(
        self, name: str, title: Callable[[], str], panel: QWidget, area: Qt.DockWidgetArea
    ) -> QDockWidget:
        dock = QDockWidget(self)
        self._texts.bind(dock.setWindowTitle, title)
        dock.setObjectName(name)  # saveState() keys docks by object name
        dock.setWidget(FitScroll(name + "Scroll", panel, sideways=False))  # (ui/fit.py)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        dock.dockLocationChanged.connect(lambda _area: self.layout_changed.emit())
        dock.topLevelChanged.connect(lambda _floating: self.layout_changed.emit())
        # (visibilityChanged also fires for a tabbed dock brought forward: the toggle's
        # triggered is the agent's own show/hide.)
        dock.toggleViewAction().triggered.connect(lambda _c=False: self.layout_changed.emit())
        return dock

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = self._menu(bar, lambda: self.tr("&File"))
        self.sync_now_action = self._action(lambda: self.tr("&Sync now"))
        self._keyed(ShortcutId.SYNC_NOW, self.sync_now_action)
        self.sync_now_action.setEnabled(False)
        file_menu.addAction(self.sync_now_action)
        self.conflicts_action = self._action(lambda: self.tr("Settle &conflicts…"))
        self.conflicts_action.setEnabled(False)
        self.conflicts_action.triggered.connect(self.show_conflicts)
        file_menu.addAction(self.conflicts_action)
        self.refused_action = self._action(lambda: self.tr("&Refused changes…"))
        self.refused_action.setEnabled(False)
        self.refused_action.triggered.connect(self.show_refused)
        file_menu.addAction(self.refused_action)
        file_menu.addSeparator()
        self.sign_out_action = self._action(lambda: self.tr("Sign &out"))
        self.sign_out_action.triggered.connect(lambda _checked=False: self._session.sign_out())
        file_menu.addAction(self.sign_out_action)
        file_menu.addSeparator()
        self.quit_action = self._action(lambda: self.tr("&Quit"))
        self._keyed(ShortcutId.QUIT, self.quit_action)
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        self._build_call_menu(bar)
        self._build_view_menu(bar)
        self._build_tools_menu(bar)
        self._build_help_menu(bar)

    def _build_tools_menu(self, bar: QMenuBar) -> None:
        """Tools ▸ Administration: shown only to a user holding a permission of an admin page
        (``ui/admin/pages.py``), and hidden with the menu for everyone else."""
        self.tools_menu = self._menu(bar, lambda: self.tr("&Tools"))
        self.administration_action = self._action(lambda: self.tr("&Administration…"))
        self.administration_action.triggered.connect(lambda _c=False: self.open_administration())
        self.tools_menu.addAction(self.administration_action)
        self.administration_area: AdministrationArea | None = None
        # Tools ▸ Quality (质检, issue 20): scorers, scorecard keepers and agents (their own).
        self.quality_action = self._action(lambda: self.tr("&Quality…"))
        self.quality_action.triggered.connect(lambda _c=False: self.open_quality())
        self.tools_menu.addAction(self.quality_action)
        self.quality: QualityService | None = None  # (attach_sync)
        self.quality_window: QualityWindow | None = None
        self.quality_player: PlayerFactory = MomentField  # the recording player, once wired
        self._quality_permissions: frozenset[str] = frozenset()
        self.last_quality_notice = ""  # the last evaluation news said on the status bar
        # The picker's "last week" (the phone's clock may be absent: no phone, no call bar).
        self.quality_now: Callable[[], datetime] = system_clock().now
        # Tools ▸ Workforce (leads: shift patterns, staffing, roster) and Tools ▸ My shifts
        # (agents), issue 21. Their windows load on first use (pyqtgraph: the lead's only).
        self.workforce_action = self._action(lambda: self.tr("&Workforce…"))
        self._keyed(ShortcutId.WORKFORCE, self.workforce_action)
        self.workforce_action.triggered.connect(lambda _c=False: self.open_workforce())
        self.tools_menu.addAction(self.workforce_action)
        self.my_shifts_action = self._action(lambda: self.tr("My &shifts…"))
        self._keyed(ShortcutId.MY_SHIFTS, self.my_shifts_action)
        self.my_shifts_action.triggered.connect(lambda _c=False: self.open_my_shifts())
        self.tools_menu.addAction(self.my_shifts_action)
        self.workforce: WorkforceService | None = None  # (attach_sync)
        self.workforce_window: QWidget | None = None
        self.my_shifts_window: QWidget | None = None
        self.last_roster_notice = ""  # the last "roster published" said on the status bar
        # Tools ▸ Reports (issue 21): a lead's team figures, an agent's own. The window (and
        # pyqtgraph with it) loads with its first opening.
        self.reports_action = self._action(lambda: self.tr("&Reports…"))
        self._keyed(ShortcutId.REPORTS, self.reports_action)
        self.reports_action.triggered.connect(lambda _c=False: self.open_reports())
        self.tools_menu.addAction(self.reports_action)
        self.reports: ReportsService | None = None  # (attach_sync)
        self.reports_window: ReportsWindow | None = None
        self._show_tools(frozenset())

    def _build_view_menu(self, bar: QMenuBar) -> None:
        view_menu = self.view_menu = self._menu(bar, lambda: self.tr("&View"))
        for dock, action_id in (
            (self.phone_dock, ShortcutId.PHONE_DOCK),
            (self.customer_dock, ShortcutId.CUSTOMER_DOCK),
        ):
            toggle = dock.toggleViewAction()
            self._keyed(action_id, toggle)
            view_menu.addAction(toggle)
        view_menu.addSeparator()
        for index, action_id in enumerate(
            (ShortcutId.TICKETS_TAB, ShortcutId.DISPATCH_TAB, ShortcutId.CALLBACKS_TAB)
        ):
            action = self._action(partial(self._tab_name, index))
            self._keyed(action_id, action)
            action.triggered.connect(lambda _c=False, i=index: self.show_work_tab(i))
            view_menu.addAction(action)
        # The knowledge base's key puts the cursor in its search box, not just on its tab.
        kb = self._action(partial(self._tab_name, KNOWLEDGE_TAB))
        self._keyed(ShortcutId.FOCUS_KB_SEARCH, kb)
        kb.triggered.connect(self.focus_kb_search)
        view_menu.addAction(kb)
        customer = self._action(lambda: self.tr("Customer &360"))
        self._keyed(ShortcutId.FOCUS_CUSTOMER, customer)
        customer.triggered.connect(self.focus_customer)
        view_menu.addAction(customer)
        view_menu.addSeparator()
        self.audio_action = self._action(lambda: self.tr("&Audio devices…"))
        self.audio_action.setEnabled(False)  # enabled when the app has a headset
        view_menu.addAction(self.audio_action)
        self.reset_layout_action = self._action(lambda: self.tr("&Reset layout"))
        self.reset_layout_action.triggered.connect(self.reset_layout)
        view_menu.addAction(self.reset_layout_action)
        self.edit_shortcuts_action = self._action(lambda: self.tr("&Keyboard shortcuts…"))
        self.edit_shortcuts_action.triggered.connect(self.edit_shortcuts)
        view_menu.addAction(self.edit_shortcuts_action)
        # (CompactMode, made with the call bar, makes it checkable and acts on it.)
        self.compact_bar_action = self._action(lambda: self.tr("Compact call bar &when minimised"))
        view_menu.addAction(self.compact_bar_action)
        self._build_language_menu(view_menu)

    def _build_help_menu(self, bar: QMenuBar) -> None:
        help_menu = self.help_menu = self._menu(bar, lambda: self.tr("&Help"))
        self.cheat_sheet_action = self._action(lambda: self.tr("&Keyboard shortcuts"))
        self._keyed(ShortcutId.CHEAT_SHEET, self.cheat_sheet_action)
        self.cheat_sheet_action.triggered.connect(self.show_cheat_sheet)
        help_menu.addAction(self.cheat_sheet_action)
        about = self._action(lambda: self.tr("&About %1").replace("%1", APP_NAME))
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_call_menu(self, bar: QMenuBar) -> None:
        """The call and the agent's state, each a key away (ui/shortcuts.py has the keys)."""
        menu = self.call_menu = self._menu(bar, lambda: self.tr("&Call"))
        call = (
            (ShortcutId.ANSWER, lambda: self.tr("&Answer"), lambda c: c.answer_ringing()),
            (ShortcutId.DECLINE, lambda: self.tr("&Decline"), lambda c: c.decline_ringing()),
            (ShortcutId.HANG_UP, lambda: self.tr("&Hang up"), lambda c: c.hangup()),
            (ShortcutId.HOLD, lambda: self.tr("H&old / resume"), lambda c: c.toggle_hold()),
            (ShortcutId.MUTE, lambda: self.tr("&Mute / unmute"), lambda c: c.toggle_mute()),
            (ShortcutId.TRANSFER, lambda: self.tr("&Transfer…"), lambda c: c.ask_transfer()),
        )
        for action_id, text, act in call:
            action = self._action(text)
            self._keyed(action_id, action)
            action.triggered.connect(lambda _c=False, a=act: self._on_call_controls(a))
            menu.addAction(action)
        # PCI: the recorder's, not the phone's (the call bar's recording state says which call).
        pause = self._action(lambda: self.tr("&Pause / resume recording"))
        self._keyed(ShortcutId.PAUSE_RECORDING, pause)
        pause.triggered.connect(lambda _c=False: self.toggle_recording_pause())
        menu.addAction(pause)
        # Greyed in the menu when there is nothing to do; the keys stay live (a key pressed
        # the instant a call rings must not depend on when the menu was last drawn).
        menu.aboutToShow.connect(self._show_possible_call_actions)
        menu.aboutToHide.connect(self._call_menu_closed)
        menu.addSeparator()
        state = (
            (ShortcutId.READY, lambda: self.tr("&Ready"), self.go_ready),
            (ShortcutId.NOT_READY, lambda: self.tr("&Not ready…"), self.choose_not_ready),
            (
                ShortcutId.WRAP_UP_DONE,
                lambda: self.tr("&Wrap-up done"),
                self.customer_panel.confirm_wrap_up,
            ),
            (ShortcutId.NEW_TICKET, lambda: self.tr("New tic&ket…"), self.new_ticket),
        )
        for action_id, text, slot in state:
            action = self._action(text)
            self._keyed(action_id, action)
            action.triggered.connect(lambda _c=False, s=slot: s())
            menu.addAction(action)
            if action_id == ShortcutId.WRAP_UP_DONE:
                menu.addSeparator()

    def _tab_name(self, index: int) -> str:
        return self.work_area.tabText(index).replace("&", "")

    def _action(self, text: Callable[[], str]) -> QAction:
        """An action of this window whose text follows the language."""
        action = QAction(self)
        self._texts.bind(action.setText, text)
        return action

    def _menu(self, bar: QMenuBar, title: Callable[[], str]) -> QMenu:
        menu = bar.addMenu("")
        self._texts.bind(menu.setTitle, title)
        return menu

    def _build_language_menu(self, view_menu: QMenu) -> None:
        """View > Language: English or 简体中文, switched at once (each name in its own
        language, so an agent who cannot read the current one still finds theirs)."""
        menu = self.language_menu = view_menu.addMenu("")
        self._texts.bind(menu.setTitle, lambda: self.tr("&Language"))
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in (("en", "English"), ("zh_CN", "简体中文")):
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setData(code)
            group.addAction(action)
            action.triggered.connect(lambda _c=False, c=code: self.switch_language(c))
            self.language_actions[code] = action
        menu.setEnabled(False)  # until attach_language

    def attach_language(self, switcher: LanguageSwitcher) -> None:
        """The app's language switcher; locked by machine policy, the menu says who set it."""
        self._language = switcher
        self.language_actions[switcher.language].setChecked(True)
        self.language_menu.setEnabled(True)
        if switcher.locked:
            for action in self.language_actions.values():
                action.setEnabled(False)
            self._texts.bind(self.language_menu.setToolTip, locked_note)
            self._texts.bind(self.language_menu.menuAction().setStatusTip, locked_note)
            self.language_menu.setToolTipsVisible(True)
            self.language_menu.setProperty("lockedByPolicy", True)
        switcher.changed.connect(self._language_switched)

    def switch_language(self, language: str) -> None:
        switcher = self._language
        if switcher is None or switcher.locked:
            return
        problem = switcher.switch(language)
        if problem:
            self._messages.warning(problem)

    def _language_switched(self, language: str) -> None:
        self.language_actions[language].setChecked(True)
        refresh_models(self)  # the tables' headers and cells (models get no LanguageChange)
        # Labels that come from the server's codes are rebuilt (the widgets had their
        # LanguageChange already; these menus are made from data, not from bound texts).
        if self._desk_settings is not None and self._agent_service is not None:
            self._use_desk_settings(self._desk_settings)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Every text of the window's own, in the language now in use."""
        self.work_area.retranslate()
        if self.wallboard_panel is not None:
            index = self.work_area.indexOf(self.wallboard_panel)
            self.work_area.setTabText(index, self.tr("&Supervisor"))
        self._texts.retranslate()
        # The Quality window is made again in the new language, and reads the server again
        # (as the Administration area does: it holds what was read, not edits in progress).
        if self._close_quality():
            self.open_quality()
        if self._close_window("workforce_window"):
            self.open_workforce()
        if self._close_window("my_shifts_window"):
            self.open_my_shifts()
        if self._close_window(
            "reports_window"
        ):  # its titles are the book's, read in the old language
            self.open_reports()
        self._show_connection(self._session.connection)
        self._show_user(self._session.grant)
        if self._sync_status is not None:
            self._show_sync(self._sync_status)
        if self._agent_service is not None:
            self._show_agent_status(self._agent_service.status)

    def _keyed(self, action_id: ShortcutId, action: QAction) -> None:
        """Give an action its key from the shortcut map (and again when the agent changes it)."""
        self.shortcut_actions[action_id] = action
        action.setShortcut(self.shortcut_map.keys(action_id))
        if BY_ID[action_id].everywhere:
            # A ticket form in front or a floating dock: the call is still a key away.
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.addAction(action)  # (works with the menu bar hidden too)

    # -- the keyboard's actions --------------------------------------------------------------

    def _on_call_controls(self, act: Callable[[CallControls], None]) -> None:
        panel = self.phone_panel
        if isinstance(panel, CallControls):  # the placeholder of shell tests has no calls
            act(panel)

    def _show_possible_call_actions(self) -> None:
        panel = self.phone_panel
        can = panel.possible() if isinstance(panel, CallControls) else frozenset[str]()
        for action_id in CALL_ACTIONS:
            self.shortcut_actions[action_id].setEnabled(action_id.value.split(".")[1] in can)

    def _call_menu_closed(self) -> None:
        for action_id in CALL_ACTIONS:
            self.shortcut_actions[action_id].setEnabled(True)

    def go_ready(self) -> None:
        if self._agent_service is not None:
            self._agent_service.request(AgentState.READY)

    def choose_not_ready(self) -> None:
        """The reasons as a menu under the state button: arrows to choose, Enter to confirm,
        Esc to change one's mind."""
        menu = self._not_ready_menu
        if menu is None or not menu.actions():
            return
        menu.popup(self.agent_state_button.mapToGlobal(QPoint(0, 0)))
        menu.setActiveAction(menu.actions()[0])

    def new_ticket(self) -> None:
        """As the Tickets tab's New ticket button: for the customer on screen (none: nothing)."""
        if self.work_desk is not None:
            self.work_desk.tickets.new_button.click()

    def focus_kb_search(self) -> None:
        self.show_work_tab(KNOWLEDGE_TAB)
        box = getattr(self.work_area.widget(KNOWLEDGE_TAB), "search_edit", None)
        if isinstance(box, QLineEdit):
            box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            box.selectAll()

    def focus_customer(self) -> None:
        if self.customer_in_centre():
            self.centre.setCurrentWidget(self.call_page)
        else:
            self.customer_dock.show()
            self.customer_dock.raise_()
        self.customer_panel.take_focus()

    def customer_in_centre(self) -> bool:
        return self.customer_panel.parent() is self.call_page

    def show_customer_centre(self) -> None:
        """A call popped a customer: the 360 leaves its side dock for the centre (full width;
        the work tabs are a key away, the customer key brings it back)."""
        if not self.customer_in_centre():
            self._dock_was_visible = self.customer_dock.isVisible()
            self._customer_scroll().takeWidget()
            self._call_page_layout.addWidget(self.customer_panel)  # out of the dock
            self.customer_dock.hide()
        self.centre.setCurrentWidget(self.call_page)
        # At full width now, not a few layout passes later: the centre sits in a scroll area
        # (ui/fit.py), one more step between the window's layout and the 360's.
        for layout in (self.layout(), self._call_page_layout):
            if layout is not None:
                layout.activate()

    def show_work_view(self) -> None:
        """After the call (wrap-up Done): the work tabs in the centre, the 360 back in its dock
        as the agent had it."""
        if self.customer_in_centre():
            self._customer_scroll().setWidget(self.customer_panel)
            self.customer_dock.setVisible(self._dock_was_visible)
        self.centre.setCurrentWidget(self.work_area)

    def _customer_scroll(self) -> FitScroll:
        scroll = self.customer_dock.widget()
        assert isinstance(scroll, FitScroll)
        return scroll

    def show_work_tab(self, index: int) -> None:
        self.centre.setCurrentWidget(self.work_area)
        self.work_area.setCurrentIndex(index)

    def apply_shortcuts(self) -> None:
        for action_id, action in self.shortcut_actions.items():
            action.setShortcut(self.shortcut_map.keys(action_id))
        self.apply_global_keys()

    def attach_recordings(
        self, control: RecordingControl, auto_pause: bool, sensitive_names: tuple[str, ...] = ()
    ) -> None:
        """The desk's recorder: the call bar shows the call's recording and its pause button;
        with ``auto_pause`` (config ``recording.auto_pause_sensitive_fields``) a field marked
        sensitive, or named in ``sensitive_names`` (``recording.sensitive_fields``), pauses the
        recording when it gets the focus (ui/sensitive_fields.py)."""
        self.recordings = control
        self.call_bar.attach_recordings(control)
        self.sensitive_focus = SensitiveFocusWatcher(
            control, self.call_bar.recording.current_call, self
        )
        self.sensitive_focus.set_enabled(auto_pause)
        self.sensitive_focus.set_names(sensitive_names)

    def toggle_recording_pause(self) -> None:
        self.call_bar.recording.toggle()

    def attach_recording_playback(
        self, playback: RecordingPlayback, tasks: TaskRunner, output_device: str = ""
    ) -> None:
        """Recordings in the customer 360's history: the calls that have one are marked ▶; one
        plays in the recording dialog once its audio is fetched (off the GUI thread), on the
        agent's playback device (config ``audio.playback_device``; "" the system's)."""
        self._playback_tasks = tasks
        self._playback_device = output_device
        # A call that rings or starts while a recording plays pauses it: the agent hears the
        # caller, not a replay over them.
        self.call_bar.refreshed.connect(self._pause_replay_for_a_call)
        panel = self.customer_panel
        panel.recordings_wanted.connect(playback.look_up)
        playback.found.connect(panel.set_recordings)
        panel.play_recording_requested.connect(self._fetch_recording)
        playback.ready.connect(self.show_recording)
        playback.failed.connect(
            lambda why: self._messages.warning(
                self.tr("The recording could not be fetched: %1").replace("%1", why)
            )
        )
        self._playback = playback
        # The Quality window plays the call it scores from the same recordings.
        self.quality_player = lambda: _recorded_call_player(playback, tasks)
        self._close_quality()

    def _fetch_recording(self, meta: RecordingMeta) -> None:
        if self._playback is not None:
            self._messages.info(self.tr("Fetching the recording…"))
            self._playback.fetch(meta)

    def show_recording(self, path: str, meta: RecordingMeta) -> None:
        if self.recording_dialog is None:
            # The player (pyqtgraph, numpy, libsndfile) loads with the first replay, not
            # with every agent's desk.
            from agent_desktop.ui.dialogs.recording_dialog import RecordingDialog  # noqa: PLC0415

            self.recording_dialog = RecordingDialog(self._playback_tasks, self)
            if self._playback_device:
                self.recording_dialog.player.set_output_device(self._playback_device)
        self.recording_dialog.show_recording(path, meta)

    def _pause_replay_for_a_call(self) -> None:
        live = self.call_bar.recording.current_call() is not None
        dialog = self.recording_dialog
        if live and not self._call_was_live and dialog is not None and dialog.player.playing():
            dialog.player.pause()
        self._call_was_live = live

    def attach_global_keys(self, keys: X11GlobalKeys | None, unavailable: str = "") -> None:
        """The seat's system-wide keys (X11), or why it has none (the editor says so)."""
        self.global_keys.attach(keys, unavailable)
        if keys is not None:  # held while signed in, released at sign-out
            self._session.signed_in.connect(lambda _grant: self.apply_global_keys())
            self._session.signed_out.connect(lambda _reason: self.global_keys.release())
        self.apply_global_keys()

    def apply_global_keys(self) -> None:
        """The answer / hang-up keys from any application, as the option says (released when
        nobody is signed in); a key another program holds is said in the status bar."""
        keys = self.shortcut_map.all()
        outcome = self.global_keys.apply(keys, self._session.grant is not None)
        problem = self.global_keys.describe(outcome, keys)
        if problem:
            self._messages.warning(problem)

    def show_cheat_sheet(self) -> None:
        self._shortcuts_dialog(editable=False)

    def edit_shortcuts(self) -> None:
        self._shortcuts_dialog(editable=True)

    def _shortcuts_dialog(self, editable: bool) -> None:
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.close()
        dialog = ShortcutsDialog(
            self.shortcut_map,
            self.shortcut_names,
            editable,
            self,
            global_keys=self.global_keys if editable else None,
        )
        dialog.accepted.connect(self.apply_shortcuts)
        dialog.rejected.connect(self.apply_global_keys)  # what the editor tried is undone
        dialog.accepted.connect(self.shortcuts_changed.emit)
        dialog.finished.connect(lambda _r: self._shortcuts_closed(dialog))
        self.shortcuts_dialog = dialog
        dialog.open()

    def _shortcuts_closed(self, dialog: ShortcutsDialog) -> None:
        if self.shortcuts_dialog is dialog:
            self.shortcuts_dialog = None
        dialog.deleteLater()

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connectionLabel")
        self.agent_state_label = QLabel()
        self.agent_state_label.setObjectName("agentStateLabel")
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        # The label's text is the status a screen reader says; the description says of what.
        self.connection_label.setAccessibleDescription(self.tr("Connection to the server"))
        self.agent_state_label.setAccessibleDescription(self.tr("Your agent state"))
        self.user_label.setAccessibleDescription(self.tr("Signed in as"))
        for label in (self.user_label, self.agent_state_label, self.connection_label):
            label.setContentsMargins(8, 0, 8, 0)
            status.addPermanentWidget(label)
        self.sync_progress = QProgressBar()
        self.sync_progress.setObjectName("syncProgress")
        self.sync_progress.setAccessibleName(self.tr("Sync progress"))
        self.sync_progress.setMaximumWidth(160)
        self.sync_progress.setVisible(False)
        status.addPermanentWidget(self.sync_progress)
        self.conflicts_button = self._status_button("conflictsButton", self.show_conflicts)
        self.refused_button = self._status_button("refusedButton", self.show_refused)
        self.sync_button = self._status_button("syncButton", self.sync_now_action.trigger)
        self.agent_state_button = QToolButton()
        self.agent_state_button.setObjectName("agentStateButton")
        self.agent_state_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.agent_state_button.setVisible(False)
        self._texts.bind(
            self.agent_state_button.setToolTip,
            lambda: self.tr("Your state for the queue; a choice made on a call applies after it"),
        )
        # (Shown in the call bar, at the top: one click away, not in the status bar's corner.)
        self._texts.bind(self.sync_button.setText, lambda: self.tr("Sync now"))
        self.sync_button.setVisible(False)

    def _build_call_bar(self) -> None:
        """The call bar, always at the top: a fixed tool bar the agent cannot close or move."""
        self.call_bar = CallBar(self.shortcut_actions, self.agent_state_button, self._clock)
        bar = self.call_bar_tool_bar = QToolBar(self.tr("Call bar"), self)
        bar.setObjectName("callBarToolBar")  # saveState() keys tool bars by object name
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.toggleViewAction().setVisible(False)  # not in the context menu: it is the desk
        bar.addWidget(self.call_bar)
        # Qt's own "more" button, shown when the bar is cut short: a checkable tool button
        # without a name, which a screen reader reads as an unnamed check box (the AT-SPI walk).
        extension = bar.findChild(QToolButton, "qt_toolbar_ext_button")
        if extension is not None:
            self._texts.bind(extension.setAccessibleName, lambda: self.tr("More call bar buttons"))
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        # The always-on-top strip while minimised: the same bar's texts, the same actions.
        self.compact = CompactMode(
            self, self.call_bar, self.shortcut_actions, self._layout_store, self.compact_bar_action
        )

    def _clock(self) -> float:
        """The desk's clock: the phone's (it stamps the calls), once attached."""
        phone = getattr(self, "_phone", None)
        return phone.wall_clock() if phone is not None else 0.0

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def _call_is_live(self, call_id: int) -> bool:
        return any(
            call.call_id == call_id and call.state != CallState.ENDED
            for call in self._phone.calls()
        )

    def _after_the_call(self, status: AgentStatus) -> None:
        if status.state not in (AgentState.ON_CALL, AgentState.WRAP_UP) and not self._agent.busy:
            self.show_work_view()

    def _ring_attention(self, call: CallInfo) -> None:
        """A call rings while the agent looks elsewhere: flash, raise, and a tray message."""
        if self.isActiveWindow():
            return
        self.ring_notifier.alert(self)
        self.ring_notifier.raise_window(self)
        if in_background():
            who = call.display_name or call.remote_number
            if call.caller_withheld:
                who = self.tr("Withheld number")
            keys = self.shortcut_map.keys(ShortcutId.ANSWER).toString()
            self.ring_notifier.notify(
                self.tr("Incoming call"),
                self.tr("%1 is calling. Answer: %2, or Answer in the tray menu.")
                .replace("%1", who)
                .replace("%2", keys),
            )

    # -- the desk: screen pop, agent state, wrap-up ------------------------------------------

    def attach_desk(self, pop: ScreenPopService, agent: AgentStateService, phone: Phone) -> None:
        panel = self.customer_panel
        self._pop, self._agent, self._phone = pop, agent, phone
        self._agent_service = agent

        def popped(result: ScreenPop) -> None:
            panel.show_pop(result)
            if self.work_desk is not None:
                self.work_desk.show_pop(result)
            if result.call is not None and result.view is not None:
                agent.set_customer(result.call.call_id, result.view.customer.id)
                view = result.view
                name = view.contact.name if view.contact is not None else view.customer.name
                if hasattr(self.phone_panel, "name_call"):  # the real phone panel
                    self.phone_panel.name_call(result.call.call_id, name)
            if result.call is not None and self._call_is_live(result.call.call_id):
                # Known, several, or a new customer: the call's 360 takes the centre. A pop
                # refreshed after the call ended (a synced change) stays in the dock: the
                # agent is back at the work view.
                self.show_customer_centre()
            elif result.view is not None or result.candidates:
                self.customer_dock.raise_()

        pop.popped.connect(popped)
        pop.searched.connect(panel.show_results)
        panel.search_requested.connect(pop.search)
        panel.customer_chosen.connect(
            lambda customer_id: pop.open_customer(
                customer_id, panel.pop.call if panel.pop is not None else None
            )
        )
        panel.dial_requested.connect(self._dial)
        panel.wrap_up_done.connect(agent.finish_wrap_up)
        panel.wrap_up_draft.connect(agent.keep_wrap_up_draft)
        panel.wrap_up_extend.connect(agent.extend_wrap_up)
        panel.new_customer_requested.connect(self._new_customer)
        panel.profile_edited.connect(self._save_profile)
        panel.checks_changed.connect(self._note_checks)
        agent.wrap_up_started.connect(panel.start_wrap_up)
        agent.changed.connect(panel.show_status)
        agent.changed.connect(self._show_agent_status)
        agent.commanded.connect(self._commanded)
        if self._sync is not None:
            self._sync.desk_settings_changed.connect(self._use_desk_settings)
            self._sync.records_changed.connect(pop.records_changed)
        self._use_desk_settings(agent.settings)
        self.agent_state_button.setVisible(True)
        agent.changed.connect(self._after_the_call)
        bar = self.call_bar
        if isinstance(self.phone_panel, RealPhonePanel):
            bar.attach_phone(self.phone_panel)
        bar.dial_back = self._dial
        agent.changed.connect(bar.show_status)
        agent.missed.connect(bar.show_missed)
        agent.wrap_up_ended.connect(bar.wrap_up_done)
        self._session.signed_out.connect(bar.signed_out)
        phone.incoming_call.connect(self._ring_attention)
        bar.set_state_since(agent.status.since)

    def attach_work(self, work: WorkService, kb: KbService | None = None) -> WorkDesk:
        """Tickets, dispatch, callbacks and the knowledge base in the work area (after
        attach_desk)."""
        zh = self.tr("Ready") != "Ready"  # the Chinese translation is loaded
        desk = WorkDesk(
            work,
            self.work_area,
            self.customer_panel,
            self._agent,
            self._phone,
            lambda text: self._show_message(Message(Level.INFO, text)),
            self._dial,
            "zh" if zh else "en",
            parent=self,
            kb=kb,
        )
        self.work_desk = desk
        self.work_area.setCurrentIndex(TICKETS_TAB)  # an agent starts on Tickets
        return desk

    def attach_wallboard(self, service: WallboardService) -> None:
        """Supervisor mode: a Supervisor tab while a lead is signed in (agents never see it)."""
        self._wallboard = service
        service.active_changed.connect(self._supervisor_mode)
        service.dial_requested.connect(self._dial)
        service.action_done.connect(lambda text: self._show_message(Message(Level.INFO, text)))
        service.action_failed.connect(lambda text: self._show_message(Message(Level.WARNING, text)))

    def attach_appearance(self, appearance: Appearance) -> None:
        """View > Colours: the palette choice, applied to every open window at once."""
        self.colours_menu = ColoursMenu(appearance, self)
        self.view_menu.insertMenu(self.reset_layout_action, self.colours_menu)

    def attach_diagnostics(self, service: DiagnosticsService) -> None:
        """Help > Save diagnostics: the zip IT asks for (logs and the SIP trace)."""
        self._diagnostics = service
        self.diagnostics_action = self._action(lambda: self.tr("Save &diagnostics…"))
        self.diagnostics_action.triggered.connect(self.save_diagnostics)
        self.help_menu.addAction(self.diagnostics_action)
        service.saved.connect(
            lambda path: self._messages.info(self.tr("Diagnostics saved to %1").replace("%1", path))
        )
        service.failed.connect(
            lambda why: self._messages.warning(
                self.tr("Could not save the diagnostics: %1").replace("%1", why)
            )
        )

    def attach_account(self, service: AccountSettings) -> None:
        """View > Phone account: domain, registrar and outbound proxy, each on its own."""
        self._account = service
        self.account_action = self._action(lambda: self.tr("&Phone account…"))
        self.account_action.triggered.connect(self.open_account)
        self.view_menu.insertAction(self.audio_action, self.account_action)
        service.saved.connect(
            lambda: self._messages.info(
                self.tr("Phone account saved; the phone uses it the next time the app starts.")
            )
        )
        service.failed.connect(
            lambda why: self._messages.warning(
                self.tr("Could not save the phone account: %1").replace("%1", why)
            )
        )

    def open_account(self) -> None:
        from agent_desktop.ui.dialogs.phone_account_dialog import (  # noqa: PLC0415 (once opened)
            PhoneAccountDialog,
        )

        self.account_dialog = PhoneAccountDialog(
            self._account.account, self, locked=self._account.settings.locked
        )
        self.account_dialog.accepted.connect(
            lambda: self._account.save(self.account_dialog.changes())
        )
        self.account_dialog.open()

    def save_diagnostics(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save diagnostics"),
            "agent-desktop-diagnostics.zip",
            self.tr("Zip archives (*.zip)"),
        )
        if path:
            self._diagnostics.save(Path(path))

    def attach_directory(self, service: DirectoryService) -> None:
        """The colleague directory (View menu, Ctrl+Shift+L): consult or transfer the call."""
        self._directory = service
        self.directory_dialog: DirectoryDialog | None = None
        self.directory_action = self._action(lambda: self.tr("Colleague &directory…"))
        self._keyed(ShortcutId.DIRECTORY, self.directory_action)
        self.directory_action.setEnabled(service.active)
        self.directory_action.triggered.connect(self.open_directory)
        service.active_changed.connect(self.directory_action.setEnabled)
        service.changed.connect(self._show_waiting)
        service.active_changed.connect(self._show_waiting)

    def _show_waiting(self, _active: bool = False) -> None:
        """Callers waiting in the agent's own queues: the directory has them (the server
        gives the count for the agent's own teams only); unknown, the bar says nothing."""
        counts = [q.waiting for q in self._directory.queues() if q.waiting is not None]
        known = self._directory.active and bool(counts)
        self.call_bar.set_waiting(sum(counts) if known else None)
        self.view_menu.insertAction(self.audio_action, self.directory_action)

    def open_directory(self) -> None:
        from agent_desktop.ui.dialogs.directory_dialog import (  # noqa: PLC0415 (once opened)
            DirectoryDialog,
        )

        if self.directory_dialog is None:
            self.directory_dialog = DirectoryDialog(self._directory, self)
        self.directory_dialog.show()
        self.directory_dialog.raise_()
        self.directory_dialog.activateWindow()
        self.directory_dialog.search_edit.setFocus()
        self.directory_dialog.search_edit.selectAll()

    _adherence: AdherenceService | None = None  # (attach_adherence)

    def attach_adherence(self, adherence: AdherenceService) -> None:
        """The lead's board shows adherence to the published roster (issue 21)."""
        self._adherence = adherence
        if self.wallboard_panel is not None:
            self.wallboard_panel.attach_adherence(adherence)

    def attach_paused_calls(self, paused: PausedCalls) -> None:
        """The lead's board lists the calls whose recording is paused now (issue 20)."""
        self._paused_calls = paused
        if self.wallboard_panel is not None:
            self.wallboard_panel.attach_paused_calls(paused)

    def attach_monitor(self, monitor: MonitorService) -> None:
        """Call monitoring: the lead's controls on the board, the agent's indicator."""
        self._monitor = monitor
        self.monitor_label = QLabel()
        self.monitor_label.setObjectName("monitorIndicator")
        set_tone(self.monitor_label, ColourRole.ERROR, strong=True)
        self.monitor_label.setVisible(False)
        self.monitor_label.setMaximumWidth(300)  # the status bar must not widen the window
        self.statusBar().insertPermanentWidget(0, self.monitor_label)
        monitor.indicator_changed.connect(self._show_monitored)
        if self.wallboard_panel is not None:
            self.wallboard_panel.attach_monitor(monitor)

    def _show_monitored(self, text: str) -> None:
        self.monitor_label.setText(text)
        self.monitor_label.setToolTip(text)
        self.monitor_label.setVisible(bool(text))

    def _supervisor_mode(self, on: bool) -> None:
        panel = self.wallboard_panel
        if panel is not None:
            self.work_area.removeTab(self.work_area.indexOf(panel))
            panel.deleteLater()
            self.wallboard_panel = None
        if on and self._wallboard is not None:
            # pyqtgraph and numpy (about 0.4 s of imports) are for a lead's board only: an
            # agent's desk never loads them (tests/unit/test_lazy_imports.py).
            from agent_desktop.ui.panels.wallboard_panel import WallboardPanel  # noqa: PLC0415

            zh = self.tr("Ready") != "Ready"  # the Chinese translation is loaded
            panel = WallboardPanel(
                self._wallboard,
                lambda text: self._show_message(Message(Level.WARNING, text)),
                "zh" if zh else "en",
            )
            self.wallboard_panel = panel
            if self._monitor is not None:
                panel.attach_monitor(self._monitor)
            if self._paused_calls is not None:
                panel.attach_paused_calls(self._paused_calls)
            if self._adherence is not None:
                panel.attach_adherence(self._adherence)
            self.work_area.addTab(panel, self.tr("&Supervisor"))
            self._supervisor_layout()
        elif not on and self._work_state is not None:
            # Signed out (or no longer a lead): the next user at this seat gets the work layout.
            self._layout_store.setValue(SUPERVISOR_STATE, self.saveState(LAYOUT_VERSION))
            self.restoreState(self._work_state, LAYOUT_VERSION)
            self._work_state = None

    def _supervisor_layout(self) -> None:
        """A lead's layout of its own: they start on the board, at the width of the window;
        the phone keeps to a narrow strip (a monitor leg and the lead's own calls still need
        it) and the customer 360 stays closed until a call pops a customer (the pop opens it).
        The lead's changes are kept apart from the work layout (``SUPERVISOR_STATE``)."""
        assert self.wallboard_panel is not None
        self._work_state = self.saveState(LAYOUT_VERSION)
        saved = self._layout_store.value(SUPERVISOR_STATE)
        if not (isinstance(saved, QByteArray) and self.restoreState(saved, LAYOUT_VERSION)):
            self.customer_dock.hide()
            self.phone_dock.show()
            self.resizeDocks(
                [self.phone_dock],
                [self.phone_panel.minimumSizeHint().width()],
                Qt.Orientation.Horizontal,
            )
        self.work_area.setCurrentWidget(self.wallboard_panel)

    def _commanded(self, command: AgentCommandOut) -> None:
        after = self.tr(" (after this call)") if self._agent.busy else ""
        self._show_message(
            Message(
                Level.WARNING,
                self.tr("Your team lead %1 set you to %2%3")
                .replace("%1", command.by_name)
                .replace("%2", self.agent_state_text(command.state))
                .replace("%3", after),
            )
        )

    def _on_event(self, event: EventOut) -> None:
        try:
            message = payload_of(event)
        except ValueError:
            return
        if not isinstance(message, TeamMessageOut):
            return
        # Kept on the status bar until the next message replaces it: the lead means it.
        self.statusBar().showMessage(
            self.tr("Message from %1: %2")
            .replace("%1", message.by_name)
            .replace("%2", message.text)
        )
        self.team_message = message

    def attach_dialler(self, dialler: Dialler) -> None:
        """Click-to-dial from every panel, and the keypad, through the site's dial plan."""
        self._dialler = dialler
        if hasattr(self.phone_panel, "dial_with"):  # the real phone panel (not a placeholder)
            self.phone_panel.dial_with = dialler.dial

    def _dial(self, number: str) -> None:
        try:
            if self._dialler is not None:
                self._dialler.dial(number)
                return
            self._phone.dial(number)
        except PhoneError as exc:
            self._show_message(Message(Level.WARNING, str(exc)))

    def _note_checks(self, checks: list[str]) -> None:
        """The 360's identity ticks belong to the call it shows (recorded with its
        interaction)."""
        pop = self.customer_panel.pop
        if self._agent is not None and pop is not None and pop.call is not None:
            self._agent.note_checks(pop.call.call_id, checks)

    def _new_customer(self, number: str) -> None:
        if self._sync is None or self._sync.grant is None:
            return
        dialog = NewCustomerDialog(self._sync, number, self)
        dialog.created.connect(self._pop.open_customer)
        dialog.open()
        self.new_customer_dialog = dialog

    def _save_profile(self, customer_id: int, changes: CustomerPatch) -> None:
        """The inline edit: to the cache and the outbox (the panel refreshes when the cache
        says the record changed)."""
        if self._sync is None:
            return
        try:
            future = self._sync.save_edit(customer_id, changes)
        except CacheError as exc:
            self.customer_panel.edit_refused(exc.field or "", str(exc))
            return
        # Refused by the writer (the record left the cache meanwhile): said on the GUI thread.
        self._sync.tasks.when_done(future, lambda _none: None, self._profile_refused, owner=self)
        self.customer_panel.end_edit()
        self._show_message(Message(Level.INFO, self.tr("Profile saved; it syncs when online.")))

    def _profile_refused(self, error: BaseException) -> None:
        why = str(error)
        self._show_message(
            Message(Level.WARNING, self.tr("The profile was not saved: %1").replace("%1", why))
        )

    def _use_desk_settings(self, settings: DeskSettings) -> None:
        self._desk_settings = settings
        zh = self.tr("Ready") != "Ready"  # the Chinese translation is loaded
        self.customer_panel.set_language("zh" if zh else "en")
        self.customer_panel.set_dispositions(settings.dispositions)
        self.customer_panel.set_required_checks(settings.required_checks)
        menu = QMenu(self)
        ready = menu.addAction(self.tr("Ready"))
        ready.triggered.connect(lambda: self._agent.request(AgentState.READY))
        not_ready = menu.addMenu(self.tr("Not ready"))
        self._not_ready_menu = not_ready
        # Labels are added, never dropped: a reason the centre removed while the agent is away
        # for it keeps its label; an unknown one shows its code.
        for code in settings.not_ready_reasons:
            label = desk_code_label(code)
            self._reason_labels[code.code] = label
            if code.code in AUTOMATIC_REASONS:
                continue  # set by the desk itself, not chosen
            action = not_ready.addAction(label)
            action.triggered.connect(
                lambda _c=False, c=code.code: self._agent.request(AgentState.NOT_READY, c)
            )
        self.agent_state_button.setMenu(menu)
        self._show_agent_status(self._agent.status)

    def _show_agent_status(self, status: AgentStatus) -> None:
        text = self.agent_state_text(status.state)
        if status.reason:
            text += f" ({self._reason_labels.get(status.reason, status.reason)})"
        if status.pending is not None and status.state in (AgentState.ON_CALL, AgentState.WRAP_UP):
            state, reason = status.pending
            after = self.agent_state_text(state)
            if reason:
                after += f" ({self._reason_labels.get(reason, reason)})"
            text += " → " + self.tr("then %1").replace("%1", after)
        self.call_bar.show_state_text(self.tr("Agent state: %1").replace("%1", text))
        self.agent_state_label.setVisible(False)

    def _status_button(self, name: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setAutoRaise(True)
        button.setVisible(False)
        button.clicked.connect(lambda _checked=False: slot())
        self.statusBar().addPermanentWidget(button)
        return button

    # -- status ------------------------------------------------------------------------------

    def connection_text(self, state: ConnectionState) -> tuple[str, ColourRole]:
        """The label and its colour for a connection state."""
        return {
            ConnectionState.SIGNED_OUT: (self.tr("● Signed out"), ColourRole.MUTED),
            ConnectionState.CONNECTING: (self.tr("● Connecting…"), ColourRole.WARNING),
            ConnectionState.ONLINE: (self.tr("● Online"), ColourRole.SUCCESS),
            ConnectionState.OFFLINE: (self.tr("● Offline — retrying"), ColourRole.ERROR),
        }[state]

    def agent_state_text(self, state: AgentState) -> str:
        return {
            AgentState.LOGGED_OUT: self.tr("Logged out"),
            AgentState.READY: self.tr("Ready"),
            AgentState.NOT_READY: self.tr("Not ready"),
            AgentState.ON_CALL: self.tr("On call"),
            AgentState.WRAP_UP: self.tr("Wrap-up"),
        }[state]

    def role_text(self, role: Role) -> str:
        return {
            Role.AGENT: self.tr("Agent"),
            Role.SUPERVISOR: self.tr("Team lead"),
            Role.ADMIN: self.tr("Administrator"),
        }[role]

    @Slot(object)
    def _show_connection(self, state: ConnectionState) -> None:
        if self._sync_status is not None and state in (
            ConnectionState.ONLINE,
            ConnectionState.OFFLINE,
        ):
            return  # while signed in, the sync engine's view is the more precise one
        text, colour = self.connection_text(state)
        self.connection_label.setText(text)
        set_tone(self.connection_label, colour)
        if self._session.server_url:
            self.connection_label.setToolTip(self._session.server_url)

    @Slot(object)
    def _show_user(self, grant: SessionGrant | None) -> None:
        if grant is None:
            self.user_label.setText("")
            state = AgentState.LOGGED_OUT
        else:
            user = grant.user
            parts = [user.display_name, self.role_text(user.role)]
            if user.team is not None:
                parts.append(user.team.name)
            self.user_label.setText(" · ".join(parts))
            # Presence comes from the backend's agent-state service; until it is set, a
            # freshly signed-in agent is not ready, as in every ACD.
            state = AgentState.NOT_READY
        self.agent_state_label.setText(
            self.tr("Agent state: %1").replace("%1", self.agent_state_text(state))
        )
        self.sign_out_action.setEnabled(grant is not None)
        self._show_tools(grant.permissions if grant is not None else frozenset())
        if grant is not None and grant.must_change_password:
            self.ask_new_password()

    def ask_new_password(self) -> PasswordDialog:
        """After a temporary password an admin set: the user chooses their own (not modal:
        a call may ring meanwhile)."""
        dialog = self.password_dialog = PasswordDialog(self._session, self)
        dialog.accepted.connect(
            lambda: self._show_message(Message(Level.INFO, self.tr("Your new password is set.")))
        )
        dialog.show()
        return dialog

    def _show_tools(self, permissions: frozenset[str]) -> None:
        may = bool(permissions & ADMIN_PERMISSIONS)
        self.administration_action.setVisible(may)
        quality = may_open_quality(permissions)
        self.quality_action.setVisible(quality)
        plans, own_shifts = WFM_PLAN in permissions, WFM_VIEW_OWN in permissions
        self.workforce_action.setVisible(plans)
        self.my_shifts_action.setVisible(own_shifts)
        reports = may_open_reports(permissions)
        self.reports_action.setVisible(reports)
        self.reports_action.setEnabled(reports)
        self.tools_menu.menuAction().setVisible(may or quality or plans or own_shifts or reports)
        if not plans:
            self._close_window("workforce_window")
        if not own_shifts:
            self._close_window("my_shifts_window")
        if not reports:
            self._close_window("reports_window")
        if permissions != self._quality_permissions:  # its pages are made for a set
            self._quality_permissions = permissions
            self._close_quality()
            self._close_window(
                "reports_window"
            )  # a lead's filters or an agent's own: made for a set too
        area = self.administration_area
        if area is not None:
            if may:
                area.apply_permissions(permissions)
            else:  # signed out, or the role lost its admin permissions: the area closes
                area.close()
                area.deleteLater()
                self.administration_area = None

    def open_administration(self) -> AdministrationArea | None:
        """The Administration window (made on first use, raised after)."""
        sync = self._sync
        grant = sync.grant if sync is not None else None
        if sync is None or grant is None or not grant.permissions & ADMIN_PERMISSIONS:
            return None
        if self.administration_area is None:
            service = Administration(sync, sync.tasks, self)
            sync.event_received.connect(service.on_event)
            self.administration_area = AdministrationArea(service, grant.permissions, parent=self)
        self.administration_area.show()
        self.administration_area.raise_()
        self.administration_area.activateWindow()
        return self.administration_area

    def _close_quality(self) -> bool:
        """Close the Quality window (if open); whether it was shown."""
        window, self.quality_window = self.quality_window, None
        if window is None:
            return False
        shown = window.isVisible()
        window.close()
        window.deleteLater()
        return shown

    def _close_window(self, name: str) -> bool:
        """Close a window kept in attribute ``name`` (if open); whether it was shown."""
        window = getattr(self, name)
        setattr(self, name, None)
        if window is None:
            return False
        shown = bool(window.isVisible())
        window.close()
        window.deleteLater()
        return shown

    def open_workforce(self) -> QWidget | None:
        """The Workforce window (made on first use, raised after): leads with ``wfm.plan``."""
        service = self.workforce
        grant = self._sync.grant if self._sync is not None else None
        if service is None or grant is None or WFM_PLAN not in grant.permissions:
            return None
        if self.workforce_window is None:
            # pyqtgraph is the lead's: loaded when the window first opens.
            from agent_desktop.ui.workforce.window import WorkforceWindow  # noqa: PLC0415

            self.workforce_window = WorkforceWindow(service, self.quality_now().date(), parent=self)
        return self._raise(self.workforce_window)

    def open_my_shifts(self) -> QWidget | None:
        """My shifts (this week and next): everyone with ``wfm.view_own``."""
        service = self.workforce
        grant = self._sync.grant if self._sync is not None else None
        if service is None or grant is None or WFM_VIEW_OWN not in grant.permissions:
            return None
        if self.my_shifts_window is None:
            from agent_desktop.ui.workforce.my_shifts import MyShiftsWindow  # noqa: PLC0415

            self.my_shifts_window = MyShiftsWindow(
                service, lambda: self.quality_now().date(), parent=self
            )
        return self._raise(self.my_shifts_window)

    @staticmethod
    def _raise(window: QWidget) -> QWidget:
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _roster_published(self, notice: RosterPublishedData) -> None:
        """A week of this user's team was published: said on the status bar."""
        self.last_roster_notice = self.tr(
            "Your team's roster for the week of %1 was published (Tools ▸ My shifts)."
        ).replace("%1", notice.week.isoformat())
        self._show_message(Message(Level.INFO, self.last_roster_notice))

    def open_reports(self) -> ReportsWindow | None:
        """The Reports window (made on first use, raised after)."""
        service = self.reports
        grant = self._sync.grant if self._sync is not None else None
        if service is None or grant is None or not may_open_reports(grant.permissions):
            return None
        if self.reports_window is None:
            # pyqtgraph and numpy load here, not with every agent's desk (test_lazy_imports).
            from agent_desktop.ui.reports.window import ReportsWindow  # noqa: PLC0415

            service.forget()  # another user may have signed in since: nothing of theirs shows
            self.reports_window = ReportsWindow(
                service, self._open_report_ticket, grant.user.display_name, parent=self
            )
        self.reports_window.show()
        self.reports_window.raise_()
        self.reports_window.activateWindow()
        return self.reports_window

    def _open_report_ticket(self, ticket_id: int) -> None:
        """A ticket behind a report's number, in the desk's ticket form."""
        if self.work_desk is not None:
            self.work_desk.tickets.open_ticket(ticket_id)

    def open_quality(self) -> QualityWindow | None:
        """The Quality window (made on first use, raised after)."""
        service = self.quality
        grant = self._sync.grant if self._sync is not None else None
        if service is None or grant is None or not may_open_quality(grant.permissions):
            return None
        if self.quality_window is None:
            self.quality_window = QualityWindow(
                service, self.quality_now().date(), self.quality_player, parent=self
            )
        self.quality_window.show()
        self.quality_window.raise_()
        self.quality_window.activateWindow()
        return self.quality_window

    def _quality_noticed(self, notice: EvaluationNotice) -> None:
        """An evaluation reached this desk: shared with this agent, disputed for this lead,
        answered, acknowledged. Said on the status bar; the Quality window shows it."""
        me = self.quality.user_id if self.quality is not None else None
        texts = {
            EvaluationStatus.SHARED: self.tr(
                "A new evaluation of your call: %1 % (Tools ▸ Quality)."
            ),
            EvaluationStatus.DISPUTED: self.tr(
                "An agent disputed an evaluation (Tools ▸ Quality)."
            ),
            EvaluationStatus.ANSWERED: self.tr("Your dispute was answered (Tools ▸ Quality).")
            if notice.agent_id == me
            else self.tr("A dispute was answered (Tools ▸ Quality)."),
            EvaluationStatus.ACKNOWLEDGED: self.tr("An agent acknowledged an evaluation."),
        }
        text = texts.get(notice.status)
        if text is not None:
            self.last_quality_notice = text.replace("%1", f"{notice.score_pct:g}")
            self._show_message(Message(Level.INFO, self.last_quality_notice))

    @Slot(object)
    def _permissions_changed(self, permissions: frozenset[str]) -> None:
        """The user's role changed while signed in: menus, pages and panels follow at once."""
        self._show_tools(permissions)
        desk = self.work_desk
        if desk is not None and desk.knowledge is not None:
            desk.knowledge.apply_permissions()
        self._show_message(
            Message(Level.INFO, self.tr("Your permissions were changed by an administrator."))
        )

    @Slot(str)
    def _on_signed_out(self, _reason: str) -> None:
        self._sync_status = None
        for widget in (self.sync_progress, self.conflicts_button, self.refused_button):
            widget.setVisible(False)
        self.sync_button.setVisible(False)
        for action in (self.sync_now_action, self.conflicts_action, self.refused_action):
            action.setEnabled(False)
        self._show_user(None)

    # -- sync --------------------------------------------------------------------------------

    def attach_sync(self, sync: SyncService) -> None:
        self._sync = sync
        sync.status_changed.connect(self._show_sync)
        sync.event_received.connect(self._on_event)
        sync.permissions_changed.connect(self._permissions_changed)
        self.quality = QualityService(sync, sync.tasks, self)
        sync.event_received.connect(self.quality.on_event)
        self.quality.noticed.connect(self._quality_noticed)
        self.workforce = WorkforceService(sync, sync.tasks, self)
        sync.event_received.connect(self.workforce.on_event)
        self.workforce.published.connect(self._roster_published)
        # (a lambda: the clock is read through the window, which a test or the tour may set later)
        self.reports = ReportsService(sync, sync.tasks, lambda: self.quality_now(), self)  # noqa: PLW0108
        self.sync_now_action.triggered.connect(lambda _checked=False: sync.sync_now())

    def attach_recording_uploads(self, pending_changed: SignalInstance) -> None:
        """The recordings' outbox (issue 20): how many wait for the server, beside the
        records' count. Quitting with some waiting is safe: they stay in the spool and go
        at the next sign-in, so the quit dialog does not hold the agent for them."""
        pending_changed.connect(self._recordings_pending)

    @Slot(int)
    def _recordings_pending(self, count: int) -> None:
        self._recordings_waiting = count
        if self._sync_status is not None:
            self._show_sync(self._sync_status)

    def sync_text(self, status: SyncStatus) -> tuple[str, ColourRole]:
        """The connection label while signed in: online, syncing n of m, offline since…"""
        waiting = (
            self.tr(" · waiting to send: %1").replace("%1", str(status.waiting))
            if status.waiting
            else ""
        )
        if self._recordings_waiting:
            waiting += self.tr(" · recordings to upload: %1").replace(
                "%1", str(self._recordings_waiting)
            )
        if status.state == "syncing" and status.total and status.unit == "bytes":
            # A new desk's first sync: its records arrive as one file (sync.snapshot).
            text = (
                self.tr("● Downloading your data: %1 of %2 MB")
                .replace("%1", f"{status.done / 1e6:,.1f}")
                .replace("%2", f"{status.total / 1e6:,.1f}")
            )
            return text, ColourRole.INFO
        if status.state == "syncing" and status.total:
            text = (
                self.tr("● Syncing %1 of %2")
                .replace("%1", f"{status.done:,}")
                .replace("%2", f"{status.total:,}")
            )
            return text, ColourRole.INFO
        if status.state == "syncing":
            return self.tr("● Syncing…") + waiting, ColourRole.INFO
        if status.state == "error" and status.error_reason == ErrorCode.DESK_TOO_OLD:
            return self.tr(
                "● Update needed: ask IT — your changes are kept"
            ) + waiting, ColourRole.ERROR
        if status.state in ("offline", "error"):
            since = status.offline_since.astimezone() if status.offline_since else None
            text = (
                self.tr("● Offline since %1").replace("%1", since.strftime("%H:%M"))
                if since and status.state == "offline"
                else self.tr("● Server not answering properly — retrying")
            )
            return text + waiting, ColourRole.ERROR
        if status.state == "signed_out":
            return self.tr("● Session ended — sign in again") + waiting, ColourRole.ERROR
        return self.tr("● Online") + waiting, ColourRole.SUCCESS

    @Slot(object)
    def _show_sync(self, status: SyncStatus) -> None:
        self._sync_status = status
        if status.state in ("offline", "error"):
            last = status.last_synced.astimezone().strftime("%H:%M") if status.last_synced else "—"
            self.customer_panel.set_stale(
                self.tr(
                    "Offline: this is the copy on this PC, last synced at %1; it may be out "
                    "of date. Your changes are kept and sent when the server is back."
                ).replace("%1", last)
            )
        else:
            self.customer_panel.set_stale("")
        text, colour = self.sync_text(status)
        self.connection_label.setText(text)
        set_tone(self.connection_label, colour)
        tip = [self._session.server_url]
        if status.last_synced:
            tip.append(
                self.tr("Last synced at %1").replace(
                    "%1", status.last_synced.astimezone().strftime("%H:%M:%S")
                )
            )
        if status.error:
            tip.append(status.error)
        self.connection_label.setToolTip("\n".join(t for t in tip if t))
        self.sync_progress.setVisible(status.state == "syncing" and status.total > 0)
        if status.total:
            self.sync_progress.setRange(0, status.total)
            self.sync_progress.setValue(min(status.done, status.total))
        self.conflicts_button.setText(self.tr("Conflicts: %1").replace("%1", str(status.conflicts)))
        set_tone(self.conflicts_button, ColourRole.ERROR, strong=True)
        self.conflicts_button.setVisible(status.conflicts > 0)
        self.refused_button.setText(self.tr("Refused: %1").replace("%1", str(status.failed)))
        set_tone(self.refused_button, ColourRole.ERROR)
        self.refused_button.setVisible(status.failed > 0)
        self.sync_button.setVisible(True)
        self.sync_now_action.setEnabled(True)
        self.conflicts_action.setEnabled(status.conflicts > 0)
        self.refused_action.setEnabled(status.failed > 0)

    @Slot()
    def show_conflicts(self) -> None:
        """Settle the conflicts one after another; 'Decide later' leaves the rest for later."""
        if self._sync is None or self.conflict_dialog is not None:
            return
        conflicts = self._sync.conflicts()
        if not conflicts:
            self._sync.sync_now()
            return
        dialog = ConflictDialog(conflicts[0], self)
        self.conflict_dialog = dialog
        dialog.finished.connect(lambda result, d=dialog: self._conflict_settled(d, result))
        dialog.open()

    def _conflict_settled(self, dialog: ConflictDialog, result: int) -> None:
        self.conflict_dialog = None
        dialog.deleteLater()
        if self._sync is None or result != ConflictDialog.DialogCode.Accepted:
            return
        conflict = dialog.conflict
        future = self._sync.resolve(conflict.entity, conflict.id, dialog.chosen())
        # Next one once this one is written (the writer thread answers in milliseconds).
        again = self.show_conflicts
        self._sync.tasks.when_done(future, lambda _n: again(), lambda _e: again(), owner=self)

    @Slot()
    def show_refused(self) -> None:
        if self._sync is None or self.refused_dialog is not None:
            return
        dialog = UnsentDialog(self._sync, self)
        self.refused_dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: self._refused_closed(d))
        dialog.open()

    def _refused_closed(self, dialog: UnsentDialog) -> None:
        self.refused_dialog = None
        dialog.deleteLater()

    @Slot(object)
    def _show_message(self, message: Message) -> None:
        timeout = 10_000 if message.level is Level.INFO else 0
        self.statusBar().showMessage(message.text, timeout)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About %1").replace("%1", APP_NAME),
            "\n\n".join(
                (
                    f"{APP_NAME} {__version__}",
                    self.tr("The desktop for contact-centre agents and team leads."),
                    self.tr("Licensed under the GNU GPL, version 2 or later."),
                )
            ),
        )

    # -- layout ------------------------------------------------------------------------------

    def restore_layout(self) -> None:
        geometry = self._layout_store.value("window/geometry")
        state = self._layout_store.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state, LAYOUT_VERSION)

    def save_layout(self) -> None:
        self._layout_store.setValue("window/geometry", self.saveGeometry())
        if self._work_state is not None:  # a lead on the supervisor layout: each kept apart
            self._layout_store.setValue(SUPERVISOR_STATE, self.saveState(LAYOUT_VERSION))
            self._layout_store.setValue("window/state", self._work_state)
        else:
            self._layout_store.setValue("window/state", self.saveState(LAYOUT_VERSION))
        self._layout_store.sync()

    @Slot()
    def reset_layout(self) -> None:
        self.show_work_view()
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in (self.phone_dock, self.customer_dock):
            dock.setFloating(False)
            dock.show()
        if self._work_state is not None:  # a lead: back to the supervisor layout's defaults
            self._layout_store.remove(SUPERVISOR_STATE)
            self._supervisor_layout()
        self.layout_changed.emit()

    def dock_state(self) -> str:
        """The docks' arrangement (not the window's geometry: that belongs to this PC's
        screens), as text for the roaming profile."""
        return bytes(self.saveState(LAYOUT_VERSION).toBase64().data()).decode("ascii")

    def restore_dock_state(self, text: str) -> bool:
        """Arrange the docks as ``dock_state`` said (False: not a state of this version)."""
        if not text:
            return False
        state = QByteArray.fromBase64(text.encode("ascii"))
        return self.restoreState(state, LAYOUT_VERSION)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.global_keys.release()
        super().closeEvent(event)


def _recorded_call_player(playback: RecordingPlayback, tasks: TaskRunner) -> CallPlayer:
    """The Quality window's player, loaded when the window opens: the recording player brings
    pyqtgraph, numpy and libsndfile, which an agent's desk does not load until it replays."""
    from agent_desktop.ui.quality.recorded_player import RecordedCallPlayer  # noqa: PLC0415

    return RecordedCallPlayer(playback, tasks)
