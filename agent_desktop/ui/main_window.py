"""The main window: phone and customer 360 docks around the work area, menus, status bar.

Dock positions, sizes and visibility persist in QSettings; View > Reset layout brings back the
built-in arrangement.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox, QWidget

from agent_desktop import APP_NAME, __version__
from agent_desktop.messages import Level, Message, MessageBridge
from agent_desktop.services.session import ConnectionState, SessionService
from agent_desktop.ui.panels.panels import CustomerPanel, PhonePanel, WorkArea
from sync.records import AgentState, Role, SessionGrant

LAYOUT_VERSION = 1  # bump when docks are added or renamed, so old saved states are ignored


class MainWindow(QMainWindow):
    def __init__(
        self,
        session: SessionService,
        messages: MessageBridge,
        layout_store: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._layout_store = layout_store
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 800)

        self.work_area = WorkArea()
        self.setCentralWidget(self.work_area)
        self.phone_panel = PhonePanel()
        self.customer_panel = CustomerPanel()
        self.phone_dock = self._dock(
            "phoneDock", self.tr("Phone"), self.phone_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.customer_dock = self._dock(
            "customerDock",
            self.tr("Customer 360"),
            self.customer_panel,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.resizeDocks(
            [self.phone_dock, self.customer_dock], [300, 380], Qt.Orientation.Horizontal
        )
        self._default_state = self.saveState(LAYOUT_VERSION)

        self._build_menus()
        self._build_status_bar()

        session.connection_changed.connect(self._show_connection)
        session.signed_in.connect(self._show_user)
        session.signed_out.connect(self._on_signed_out)
        messages.posted.connect(self._show_message)
        self._show_connection(session.connection)
        self._show_user(session.grant)
        self.restore_layout()

    def _dock(self, name: str, title: str, panel: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState() keys docks by object name
        dock.setWidget(panel)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.sign_out_action = QAction(self.tr("Sign &out"), self)
        self.sign_out_action.triggered.connect(lambda _checked=False: self._session.sign_out())
        file_menu.addAction(self.sign_out_action)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        view_menu = self.view_menu = bar.addMenu(self.tr("&View"))
        for dock, key in ((self.phone_dock, "Ctrl+1"), (self.customer_dock, "Ctrl+2")):
            toggle = dock.toggleViewAction()
            toggle.setShortcut(QKeySequence(key))
            view_menu.addAction(toggle)
        view_menu.addSeparator()
        for index, key in enumerate(("Ctrl+Shift+T", "Ctrl+Shift+D", "Ctrl+Shift+K")):
            action = QAction(self.work_area.tabText(index).replace("&", ""), self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _c=False, i=index: self.work_area.setCurrentIndex(i))
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.reset_layout_action = QAction(self.tr("&Reset layout"), self)
        self.reset_layout_action.triggered.connect(self.reset_layout)
        view_menu.addAction(self.reset_layout_action)

        help_menu = bar.addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About %1").replace("%1", APP_NAME), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connectionLabel")
        self.agent_state_label = QLabel()
        self.agent_state_label.setObjectName("agentStateLabel")
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        for label in (self.user_label, self.agent_state_label, self.connection_label):
            label.setContentsMargins(8, 0, 8, 0)
            status.addPermanentWidget(label)

    # -- status ------------------------------------------------------------------------------

    def connection_text(self, state: ConnectionState) -> tuple[str, str]:
        """The label and its colour for a connection state."""
        return {
            ConnectionState.SIGNED_OUT: (self.tr("● Signed out"), "#777777"),
            ConnectionState.CONNECTING: (self.tr("● Connecting…"), "#b8860b"),
            ConnectionState.ONLINE: (self.tr("● Online"), "#1b7f3b"),
            ConnectionState.OFFLINE: (self.tr("● Offline — retrying"), "#b00020"),
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
        text, colour = self.connection_text(state)
        self.connection_label.setText(text)
        self.connection_label.setStyleSheet(f"color: {colour};")
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

    @Slot(str)
    def _on_signed_out(self, _reason: str) -> None:
        self._show_user(None)

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
        self._layout_store.setValue("window/state", self.saveState(LAYOUT_VERSION))
        self._layout_store.sync()

    @Slot()
    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in (self.phone_dock, self.customer_dock):
            dock.setFloating(False)
            dock.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
