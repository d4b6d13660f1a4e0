"""View > Colours: Follow system, Light, Dark, High contrast (one checked), for Appearance."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from agent_desktop.ui.appearance import Appearance
from agent_desktop.ui.live_texts import LiveTexts


class ColoursMenu(QMenu):
    def __init__(self, appearance: Appearance, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.setTitle, lambda: self.tr("&Colours"))
        self.setObjectName("coloursMenu")
        self.appearance = appearance
        group = QActionGroup(self)
        labels = {
            "auto": lambda: self.tr("Follow &system"),
            "light": lambda: self.tr("&Light"),
            "dark": lambda: self.tr("&Dark"),
            "high_contrast": lambda: self.tr("&High contrast"),
        }
        self.choices: dict[str, QAction] = {}
        for choice, label in labels.items():
            action = QAction(self)
            self._texts.bind(action.setText, label)
            action.setCheckable(True)
            action.setChecked(choice == appearance.choice)
            action.setObjectName(f"palette_{choice}")
            action.triggered.connect(lambda _checked=False, c=choice: appearance.choose(c))
            group.addAction(action)
            self.addAction(action)
            self.choices[choice] = action

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
        super().changeEvent(event)
