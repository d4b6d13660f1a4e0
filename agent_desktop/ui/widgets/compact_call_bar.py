"""The compact call bar: a small always-on-top strip while the main window is minimised.

It is another view of the main call bar (ui/widgets/call_bar.py), not a second one: it shows
what the bar's ``view()`` says (caller, number, ring / talk timer, hold timer, the agent's
state and time in state), redrawn on the bar's ``refreshed``; its buttons trigger the main
window's keyed QActions (ui/shortcuts.py), so button, key, menu and the main bar do one thing.

``CompactMode`` is the window's side: the View menu's option (kept in the profile's
``layout.ini``; it roams with the other layout preferences), showing the strip when the main
window is minimised or a call rings while it is, hiding it when the window comes back, and
the strip's position (remembered, kept on a screen). Clicking the name or the restore button
brings the main window back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QFont, QGuiApplication, QMouseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.ui.appearance import css
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.shortcuts import ShortcutId
from agent_desktop.ui.widgets.call_bar import CallBar, CallBarView

ENABLED_KEY = "compact_call_bar/enabled"
POSITION_KEY = "compact_call_bar/position"
# The call buttons it carries (Transfer needs the directory or a number: the main window).
BUTTONS = (
    (ShortcutId.ANSWER, "compactAnswerButton"),
    (ShortcutId.DECLINE, "compactDeclineButton"),
    (ShortcutId.HOLD, "compactHoldButton"),
    (ShortcutId.MUTE, "compactMuteButton"),
    (ShortcutId.HANG_UP, "compactHangUpButton"),
)


class CompactCallBar(QWidget):
    restore_requested = Signal()
    moved = Signal(QPoint)  # where the agent left it (top-left, global)

    def __init__(self, bar: CallBar, actions: dict[ShortcutId, QAction]) -> None:
        # A top-level tool window of its own: a child of the main window would go with it
        # when it is minimised.
        super().__init__(
            None,
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint,
        )
        self.setObjectName("compactCallBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self._bar: CallBar | None = bar
        self._drag_from: QPoint | None = None
        self.ringing = False
        self._build_labels()
        self._lay_out(actions)
        self.retranslate()
        bar.refreshed.connect(self.refresh)
        # A window of its own goes with the bar it shows (the main window's, deleted with it).
        bar.destroyed.connect(self._bar_gone)
        self.refresh()

    def _bar_gone(self) -> None:
        self._bar = None
        self.hide()
        self.deleteLater()

    def _build_labels(self) -> None:
        bold = QFont(self.font())
        bold.setBold(True)
        self.name_button = QPushButton()
        self.name_button.setObjectName("compactName")
        self.name_button.setFlat(True)
        self.name_button.setFont(bold)
        self.name_button.clicked.connect(lambda _c=False: self.restore_requested.emit())
        self.restore_button = QToolButton()
        self.restore_button.setObjectName("compactRestore")
        self.restore_button.setText("⤢")
        self.restore_button.clicked.connect(lambda _c=False: self.restore_requested.emit())
        self.number_label = QLabel()
        self.number_label.setObjectName("compactNumber")
        self.timer_label = QLabel()
        self.timer_label.setObjectName("compactTimer")
        self.timer_label.setFont(bold)
        self.hold_label = QLabel()
        self.hold_label.setObjectName("compactHold")
        self.state_label = QLabel()
        self.state_label.setObjectName("compactState")
        self.state_time_label = QLabel()
        self.state_time_label.setObjectName("compactStateTime")
        # The call's recording and its PCI pause: a card number may be read out while the
        # main window is minimised too.
        self.recording_label = QLabel()
        self.recording_label.setObjectName("compactRecording")

    def _lay_out(self, actions: dict[ShortcutId, QAction]) -> None:
        self.buttons: dict[ShortcutId, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for action_id, name in BUTTONS:
            button = QPushButton()
            button.setObjectName(name)
            # The key's action: the same as the main bar's button, the key and the menu.
            button.clicked.connect(lambda _c=False, a=actions[action_id]: a.trigger())
            self.buttons[action_id] = button
            buttons.addWidget(button)
        self.pause_recording_button = QPushButton()
        self.pause_recording_button.setObjectName("compactPauseRecordingButton")
        pause = actions[ShortcutId.PAUSE_RECORDING]
        self.pause_recording_button.clicked.connect(lambda _c=False: pause.trigger())

        top = QHBoxLayout()
        top.addWidget(self.name_button, 1)
        top.addWidget(self.timer_label)
        top.addWidget(self.restore_button)
        middle = QHBoxLayout()
        middle.addWidget(self.number_label, 1)
        middle.addWidget(self.hold_label)
        recording = QHBoxLayout()
        recording.addWidget(self.recording_label, 1)
        recording.addWidget(self.pause_recording_button)
        state = QHBoxLayout()
        state.addWidget(self.state_label, 1)
        state.addWidget(self.state_time_label)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 4, 8, 6)
        column.setSpacing(2)
        column.addLayout(top)
        column.addLayout(middle)
        column.addLayout(recording)
        column.addLayout(buttons)
        column.addLayout(state)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Compact call bar"))
        self.setAccessibleName(self.tr("Compact call bar"))
        self.name_button.setToolTip(self.tr("Show the main window"))
        self.restore_button.setAccessibleName(self.tr("Show the main window"))
        self.restore_button.setToolTip(self.tr("Show the main window"))
        self.number_label.setAccessibleName(self.tr("Number"))
        self.timer_label.setAccessibleName(self.tr("Call timer"))
        self.hold_label.setAccessibleName(self.tr("Hold timer"))
        self.state_label.setAccessibleName(self.tr("Agent state"))
        self.state_time_label.setAccessibleName(self.tr("Time in state"))
        self.recording_label.setAccessibleName(self.tr("Recording"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        """Draw what the main bar shows now (its texts are the ones translated and timed)."""
        if self._bar is not None:
            self.show_view(self._bar.view())

    def show_view(self, view: CallBarView) -> None:
        self.ringing = view.ringing
        self.name_button.setText(view.name)
        self.name_button.setAccessibleName(
            self.tr("Caller: %1 (show the main window)").replace("%1", view.name)
        )
        for label, text in (
            (self.number_label, view.number),
            (self.timer_label, view.timer),
            (self.hold_label, view.hold),
            (self.state_label, view.state),
            (self.state_time_label, view.state_time),
            (self.recording_label, view.recording),
        ):
            label.setText(text)
            label.setVisible(bool(text))
        pause_text, can_pause = view.recording_button
        self.pause_recording_button.setText(pause_text)
        self.pause_recording_button.setAccessibleName(pause_text)
        self.pause_recording_button.setEnabled(can_pause)
        self.pause_recording_button.setVisible(bool(view.recording))
        for action_id, button in self.buttons.items():
            text, can = view.buttons[action_id]
            button.setText(text)
            button.setAccessibleName(text)
            button.setEnabled(can)
        # Read from the palette each time, so a palette switch follows; ringing stands out.
        background = ColourRole.NOTICE_BACKGROUND if view.ringing else ColourRole.WINDOW
        self.setStyleSheet(
            f"QWidget#compactCallBar {{ background: {css(background)};"
            f" border: 1px solid {css(ColourRole.GRID)}; }}"
        )

    # -- moved by its body (it has no title bar) ---------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.globalPosition().toPoint() - self.pos()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            self.move(event.globalPosition().toPoint() - self._drag_from)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            self._drag_from = None
            self.moved.emit(self.pos())
        super().mouseReleaseEvent(event)


def on_screen(position: QPoint, size: tuple[int, int], screens: list[QRect]) -> QPoint:
    """``position`` moved the least so that a ``size`` window there is whole on one of
    ``screens`` (their available areas): the one under its top-left, else the first."""
    if not screens:
        return position
    area = next((s for s in screens if s.contains(position)), screens[0])
    width, height = size
    x = min(max(position.x(), area.left()), max(area.left(), area.right() - width + 1))
    y = min(max(position.y(), area.top()), max(area.top(), area.bottom() - height + 1))
    return QPoint(x, y)


class CompactMode(QObject):
    """The main window's side of the compact bar (see the module's docstring)."""

    changed = Signal()  # the agent turned the option on or off (the roaming profile)

    def __init__(
        self, window: QMainWindow, bar: CallBar, actions: dict[ShortcutId, QAction],
        store: QSettings, action: QAction,
    ) -> None:  # fmt: skip
        super().__init__(window)
        self._window = window
        self._store = store
        self.action = action
        action.setCheckable(True)
        action.setChecked(self.enabled())
        action.toggled.connect(self._toggled)
        self.strip = CompactCallBar(bar, actions)
        self.strip.restore_requested.connect(self.restore_window)
        self.strip.moved.connect(self._moved)
        bar.refreshed.connect(self._call_changed)
        window.installEventFilter(self)

    def enabled(self) -> bool:
        return str(self._store.value(ENABLED_KEY, "false")).lower() == "true"

    def set_enabled(self, on: bool) -> None:
        """From the roaming profile: the option as the agent set it at another seat."""
        self.action.setChecked(on)  # (toggled saves it and shows or hides the strip)

    def _toggled(self, on: bool) -> None:
        if on == self.enabled():
            return
        self._store.setValue(ENABLED_KEY, on)
        self._store.sync()
        self._follow_window()
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() in (
            QEvent.Type.WindowStateChange,
            QEvent.Type.Hide,
            QEvent.Type.Show,
        ):
            self._follow_window()
        return False

    def _follow_window(self) -> None:
        """Shown while the window is minimised (and the option on), hidden otherwise."""
        window = self._window
        # (A minimised window is still "visible" to Qt; a closed one is not: no strip then.)
        if self.enabled() and window.isMinimized() and window.isVisible():
            self._show_strip()
        elif self.strip.isVisible():
            self.strip.hide()

    def _call_changed(self) -> None:
        # A call rings while minimised: the strip comes back to the top even if it was
        # covered or closed by the window manager.
        strip = self.strip
        minimised = self._window.isMinimized()
        if self.enabled() and minimised and strip.ringing and not strip.isVisible():
            self._show_strip()

    def _show_strip(self) -> None:
        strip = self.strip
        strip.adjustSize()
        saved = self._store.value(POSITION_KEY)
        position = saved if isinstance(saved, QPoint) else self._default_position()
        screens = [s.availableGeometry() for s in QGuiApplication.screens()]
        strip.move(on_screen(position, (strip.width(), strip.height()), screens))
        strip.show()
        strip.raise_()

    def _default_position(self) -> QPoint:
        area = QGuiApplication.primaryScreen().availableGeometry()
        return QPoint(area.right() - self.strip.width() - 16, area.top() + 16)

    def _moved(self, position: QPoint) -> None:
        self._store.setValue(POSITION_KEY, position)
        self._store.sync()

    def restore_window(self) -> None:
        """Back to the main window: out of the minimised state, raised and active."""
        window = self._window
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()
        self.strip.hide()
