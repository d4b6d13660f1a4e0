"""What a screen reader gets from a widget tree: every interactive control and status indicator
with the name Qt's accessibility bridge gives it (``QAccessibleInterface.text(Name)``: the
accessibleName, else the button's text or the buddy/form label Qt finds for it).

Used by ``tests/ui/test_accessible_names.py`` on the real main window; the AT-SPI side of the
same question is ``tests/data/atspi_walk.py``, run against a desk in its own process.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

# What an agent operates (and a screen reader announces as a control).
INTERACTIVE: tuple[type[QWidget], ...] = (
    QAbstractButton,  # push, tool (toolbar actions), check, radio buttons
    QLineEdit,
    QComboBox,
    QAbstractItemView,  # tables, lists, trees
    QAbstractSpinBox,  # spin boxes, date/time edits
    QAbstractSlider,
    QPlainTextEdit,
    QTextEdit,
    QTabBar,
    QProgressBar,  # a status indicator
)


@dataclass(frozen=True)
class Control:
    path: str  # objectName chain, for the failure message
    kind: str
    name: str
    description: str


def _path(widget: QWidget) -> str:
    parts = []
    node: QWidget | None = widget
    while node is not None:
        parts.append(node.objectName() or type(node).__name__)
        node = node.parentWidget()
    return "/".join(reversed(parts))


def _inner(widget: QWidget) -> bool:
    """Parts of a compound control that a screen reader reaches through the compound: a combo
    box's line edit and popup list, a spin box's line edit, a scroll area's scroll bars, a
    table's corner button, a tab widget's scroll arrows, a date edit's calendar."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            return True
        if isinstance(parent, QAbstractItemView) and widget is not parent:
            return True  # the corner button, the header, editors made by delegates
        if parent.inherits("QComboBoxPrivateContainer") or parent.inherits("QCalendarWidget"):
            return True
        if isinstance(parent, QLineEdit) and widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            return True  # Qt's own clear button (QLineEditIconButton): the line edit clears
        parent = parent.parentWidget()
    name = type(widget).__name__
    return (
        widget.inherits("QScrollBar")
        or (isinstance(widget, QAbstractButton) and widget.parentWidget() is not None
            and isinstance(widget.parentWidget(), QTabBar))
        or name in ("QToolBarExtension", "QDockWidgetTitleButton", "QLineEditIconButton")
        or (isinstance(widget, QAbstractButton) and widget.objectName().startswith("qt_"))
    )  # fmt: skip


def controls(root: QWidget) -> list[Control]:
    """Every interactive control under ``root`` (itself included), shown or not."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or _inner(widget):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        description = interface.text(QAccessible.Text.Description) if interface is not None else ""
        found.append(
            Control(_path(widget), type(widget).__name__, name.strip(), description.strip())
        )
    return found


def unnamed(root: QWidget) -> list[Control]:
    return [c for c in controls(root) if not c.name]


# Status indicators that are labels: their text is the status (the name); the description
# says what the status is of, since "● Online" alone does not.
INDICATORS = ("connectionLabel", "agentStateLabel", "userLabel", "registrationLabel")


def undescribed_indicators(root: QWidget) -> list[str]:
    missing = []
    for name in INDICATORS:
        label = root.findChild(QLabel, name)
        if label is None:
            missing.append(f"{name}: not found")
            continue
        interface = QAccessible.queryAccessibleInterface(label)
        if interface is None or not interface.text(QAccessible.Text.Description).strip():
            missing.append(name)
    return missing
