"""A panel that says what will come to this place of the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.palette import ColourRole


class PlaceholderPanel(QWidget):
    def __init__(self, title: str, promise: str, parent: QWidget | None = None) -> None:
        """``title`` may be empty where a dock's title bar already names the area."""
        super().__init__(parent)
        self.title_label = QLabel(title)
        self.title_label.setVisible(bool(title))
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title_label.setFont(font)
        self.promise_label = QLabel(promise)
        self.promise_label.setWordWrap(True)
        set_tone(self.promise_label, ColourRole.MUTED)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.promise_label)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
