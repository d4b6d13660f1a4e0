"""A panel that says what will come to this place of the window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.palette import ColourRole


class PlaceholderPanel(QWidget):
    def __init__(
        self,
        title: Callable[[], str] | None,
        promise: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        """``title`` may be None where a dock's title bar already names the area."""
        super().__init__(parent)
        self._texts = LiveTexts()  # (changeEvent)
        self.title_label = self._texts.label(title or str)
        self.title_label.setVisible(title is not None)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title_label.setFont(font)
        self.promise_label = self._texts.label(promise)
        self.promise_label.setWordWrap(True)
        set_tone(self.promise_label, ColourRole.MUTED)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.promise_label)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
        super().changeEvent(event)
