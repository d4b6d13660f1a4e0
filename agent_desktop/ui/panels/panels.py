"""The window's areas. Each says what it will hold until its feature lands."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from agent_desktop.ui.panels.placeholder import PlaceholderPanel


class PhonePanel(PlaceholderPanel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "",
            self.tr(
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
            self.tr("Service requests"),
            self.tr(
                "Your team's tickets with SLA clocks: create one from a call, escalate a "
                "complaint, and follow every change."
            ),
        )
        self.dispatch = PlaceholderPanel(
            self.tr("Field dispatch"),
            self.tr("Work orders for technicians: time window, method, result and re-dispatch."),
        )
        self.knowledge = PlaceholderPanel(
            self.tr("Knowledge base"),
            self.tr(
                "Search answers in Chinese and English; likely articles are suggested while "
                "you type, and unanswered questions go to experts."
            ),
        )
        self.callbacks = PlaceholderPanel(
            self.tr("Callbacks and surveys"),
            self.tr("Callbacks after a ticket is resolved, satisfaction surveys and campaigns."),
        )
        for panel in (self.tickets, self.dispatch, self.callbacks, self.knowledge):
            self.addTab(panel, "")
        self.retranslate()

    def retranslate(self) -> None:
        """The four work tabs' names, in the language in use (the main window calls this when
        the language changes, before its menus read them)."""
        for index, text in enumerate(
            (
                self.tr("&Tickets"),
                self.tr("&Dispatch"),
                self.tr("&Callbacks"),
                self.tr("&Knowledge base"),
            )
        ):
            self.setTabText(index, text)

    def install(self, index: int, panel: QWidget) -> None:
        """Put the real panel in place of a tab's placeholder (once its feature is wired)."""
        text = self.tabText(index)
        old = self.widget(index)
        self.removeTab(index)
        self.insertTab(index, panel, text)
        if old is not None:
            old.deleteLater()
