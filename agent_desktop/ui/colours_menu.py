"""View > Colours: Follow system, Light, Dark, High contrast (one checked), for Appearance."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from agent_desktop.ui.appearance import Appearance


class ColoursMenu(QMenu):
    def __init__(self, appearance: Appearance, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("&Colours"), parent)
        self.setObjectName("coloursMenu")
        self.appearance = appearance
        group = QActionGroup(self)
        labels = {
            "auto": self.tr("Follow &system"),
            "light": self.tr("&Light"),
            "dark": self.tr("&Dark"),
            "high_contrast": self.tr("&High contrast"),
        }
        self.choices: dict[str, QAction] = {}
        for choice, label in labels.items():
            action = QAction(label, self)
            action.setCheckable(True)
            action.setChecked(choice == appearance.choice)
            action.setObjectName(f"palette_{choice}")
            action.triggered.connect(lambda _checked=False, c=choice: appearance.choose(c))
            group.addAction(action)
            self.addAction(action)
            self.choices[choice] = action
