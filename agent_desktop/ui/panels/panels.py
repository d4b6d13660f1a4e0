"""The window's areas. Each says what it will hold until its feature lands."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.panels.placeholder import PlaceholderPanel


class PhonePanel(PlaceholderPanel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            None,
            lambda: self.tr(
                "The softphone will live here: incoming calls with the caller's number, "
                "answer, hold, mute, transfer, conference and a dial pad."
            ),
            parent,
        )
        self.setObjectName("phonePanel")


class WorkArea(QTabWidget):
    """Tickets, dispatch, callbacks and the knowledge base, one tab each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workArea")
        self.setDocumentMode(True)
        self.tickets = PlaceholderPanel(
            lambda: self.tr("Service requests"),
            lambda: self.tr(
                "Your team's tickets with SLA clocks: create one from a call, escalate a "
                "complaint, and follow every change."
            ),
        )
        self.dispatch = PlaceholderPanel(
            lambda: self.tr("Field dispatch"),
            lambda: self.tr(
                "Work orders for technicians: time window, method, result and re-dispatch."
            ),
        )
        self.knowledge = PlaceholderPanel(
            lambda: self.tr("Knowledge base"),
            lambda: self.tr(
                "Search answers in Chinese and English; likely articles are suggested while "
                "you type, and unanswered questions go to experts."
            ),
        )
        self.callbacks = PlaceholderPanel(
            lambda: self.tr("Callbacks and surveys"),
            lambda: self.tr(
                "Callbacks after a ticket is resolved, satisfaction surveys and campaigns."
            ),
        )
        self._texts = LiveTexts()
        for panel, name in (
            (self.tickets, lambda: self.tr("&Tickets")),
            (self.dispatch, lambda: self.tr("&Dispatch")),
            (self.callbacks, lambda: self.tr("&Callbacks")),
            (self.knowledge, lambda: self.tr("&Knowledge base")),
        ):
            self._texts.tab(self, panel, name)

    def retranslate(self) -> None:
        """The four work tabs' names, in the language in use (the main window calls this from
        its own retranslate, before its menus read them: its LanguageChange comes first)."""
        self._texts.retranslate()

    def install(self, index: int, panel: QWidget) -> None:
        """Put the real panel in place of a tab's placeholder (once its feature is wired)."""
        text = self.tabText(index)
        old = self.widget(index)
        self.removeTab(index)
        self.insertTab(index, panel, text)
        if old is not None:
            old.deleteLater()
