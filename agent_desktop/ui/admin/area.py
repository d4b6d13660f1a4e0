"""The Administration area: one window (Tools ▸ Administration) with a page per entry of
``pages.ADMIN_PAGES`` the signed-in user's permissions allow. When those change while it is
open (``SyncService.permissions_changed``) pages appear or go; a page is made the first time
it is shown.

A status line under the pages says what was just done, why a request failed, or that the
server has no administration (a server before contract 1.6).

A language switched at run time makes the pages again (their factories, in the new language)
and reads the server again: a page's texts are its own, and an admin's page holds what was
read, not edits in progress (each change is saved by its own button at once)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from agent_desktop.services.administration import Administration
from agent_desktop.ui.admin.pages import ADMIN_PAGES, AdminPage, PageContext
from agent_desktop.ui.live_texts import LiveTexts


class AdministrationArea(QWidget):
    def __init__(
        self,
        administration: Administration,
        permissions: frozenset[str],
        pages: Sequence[AdminPage] = ADMIN_PAGES,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("administrationArea")
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("Administration"))
        self.resize(900, 640)
        self.admin = administration
        self._entries = tuple(pages)
        self._made: dict[int, QWidget] = {}  # entry index → its page
        self.tabs = QTabWidget()
        self._texts.bind(self.tabs.setAccessibleName, lambda: self.tr("Administration pages"))
        self.status_label = QLabel()
        self.status_label.setObjectName("adminStatus")
        self.status_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status_label)
        administration.done.connect(self.status_label.setText)
        administration.failed.connect(self.status_label.setText)
        administration.unavailable.connect(self._unavailable)
        self.apply_permissions(permissions)
        administration.reload()

    def apply_permissions(self, permissions: frozenset[str]) -> None:
        """Show the pages ``permissions`` allow, hide the others (made once, kept)."""
        for index, entry in enumerate(self._entries):
            shown = entry.shown_to(permissions)
            page = self._made.get(index)
            if page is None and shown:
                page = self._made[index] = entry.factory(PageContext(self.admin))
                self.tabs.insertTab(self._tab_position(index), page, entry.title())
            if page is not None:
                self.tabs.setTabVisible(self.tabs.indexOf(page), shown)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Every page made again in the language now in use, where it was, then read again."""
        self._texts.retranslate()
        current = self.tabs.currentIndex()
        for index, old in list(self._made.items()):
            position = self.tabs.indexOf(old)
            visible = self.tabs.isTabVisible(position)
            page = self._made[index] = self._entries[index].factory(PageContext(self.admin))
            self.tabs.removeTab(position)
            self.tabs.insertTab(position, page, self._entries[index].title())
            self.tabs.setTabVisible(position, visible)
            old.deleteLater()
        self.tabs.setCurrentIndex(current)
        self.admin.reload()

    def _tab_position(self, index: int) -> int:
        """Where entry ``index`` goes among the pages made so far: in ``ADMIN_PAGES`` order."""
        return sum(1 for made in self._made if made < index)

    def page(self, kind: type[QWidget]) -> QWidget | None:
        """The page of that class, if made and shown (for tests and the tour)."""
        for page in self._made.values():
            if isinstance(page, kind) and self.tabs.isTabVisible(self.tabs.indexOf(page)):
                return page
        return None

    def visible_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count()) if self.tabs.isTabVisible(i)]

    def _unavailable(self, sentence: str) -> None:
        self.status_label.setText(sentence)
        self.tabs.setEnabled(False)
