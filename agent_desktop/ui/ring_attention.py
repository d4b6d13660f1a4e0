"""A ringing call gets the agent's attention when the desk is not in front: the taskbar
flashes (``QApplication.alert``), the window comes to the top (raised, not activated: the
agent's typing elsewhere is not taken), and, with the app in the background, the tray says who
is calling with an Answer in its menu (where the desktop has a tray).

``RingNotifier`` is the seam tests spy on; ``DesktopRingNotifier`` is the real one.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QStyle, QSystemTrayIcon, QWidget


class RingNotifier(Protocol):
    def alert(self, window: QWidget) -> None: ...
    def raise_window(self, window: QWidget) -> None: ...
    def notify(self, title: str, text: str) -> None: ...


class DesktopRingNotifier:
    """The desktop's own means: taskbar flash, raise, tray message."""

    def __init__(self, window: QWidget, answer: QAction) -> None:
        self._window = window
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            tray = QSystemTrayIcon(
                window.style().standardIcon(QStyle.StandardPixmap.SP_ComputerIcon), window
            )
            menu = QMenu(window)
            menu.addAction(answer)  # the Answer key's own action
            tray.setContextMenu(menu)
            tray.messageClicked.connect(self._bring_back)
            tray.show()
            self.tray = tray

    def alert(self, window: QWidget) -> None:
        QApplication.alert(window, 0)  # flashes until the window is activated

    def raise_window(self, window: QWidget) -> None:
        if not window.isMinimized():
            window.raise_()

    def notify(self, title: str, text: str) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 15_000)

    def _bring_back(self) -> None:
        window = self._window
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()


def in_background() -> bool:
    return QGuiApplication.applicationState() != Qt.ApplicationState.ApplicationActive
