"""View > Language at run time (i18n.LanguageSwitcher, ui/live_texts.py): the main window's
menus, docks, tabs and status bar, and the customer 360 (every visible widget's text,
tooltip, header and item), change language without a restart, and back; the desk
codes are labelled by the translation; a language locked by machine policy cannot be
switched and says who set it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from agent_desktop.desk_labels import desk_code_label
from agent_desktop.i18n import LanguageSwitcher
from agent_desktop.messages import MessageBridge
from agent_desktop.services.session import SessionService
from agent_desktop.ui.main_window import MainWindow
from sync.contract.wire import DeskCode
from tests.ui.test_translations import TS, messages

TIMEOUT_MS = 10_000


def translated_sources() -> dict[str, str]:
    """Each English source string that has a Chinese translation different from it (what
    must not be seen once the desk is in Chinese), without its mnemonic '&'."""
    return {
        src.replace("&", ""): text.replace("&", "")
        for _ctx, src, text, _kind in messages(TS)
        if text and text != src and "%" not in src
    }


def texts_of(window: MainWindow) -> list[str]:
    """What the agent can read: menu titles and their actions, dock titles, tab names, the
    status bar's labels and buttons, and tooltips."""
    seen: list[str] = []
    for action in window.menuBar().actions():
        seen.append(action.text())
        menu = action.menu()
        if isinstance(menu, QMenu):
            for item in menu.actions():
                seen.append(item.text())
                sub = item.menu()
                if isinstance(sub, QMenu):
                    seen.append(sub.title())
    seen += [dock.windowTitle() for dock in window.findChildren(QDockWidget)]
    area = window.work_area
    seen += [area.tabText(i) for i in range(area.count())]
    for widget in window.statusBar().findChildren(QWidget):
        if isinstance(widget, QLabel | QAbstractButton):
            seen += [widget.text(), widget.toolTip()]
    seen += visible_texts(window.customer_panel)
    return [t.replace("&", "") for t in seen if t]


def visible_texts(root: QWidget) -> list[str]:
    """Every text a visible widget under ``root`` shows: labels, buttons, placeholders,
    tooltips, tab names, table and tree headers, combo box items."""
    seen: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        seen.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            seen.append(widget.text())
        elif isinstance(widget, QLineEdit | QPlainTextEdit):
            seen.append(widget.placeholderText())
        elif isinstance(widget, QTabWidget):
            seen += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QComboBox):
            seen += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            seen += [header.text(i) for i in range(header.columnCount())]
        elif isinstance(widget, QTableWidget):
            for column in range(widget.columnCount()):
                item = widget.horizontalHeaderItem(column)
                if item is not None:
                    seen.append(item.text())
    return seen


@pytest.fixture
def switcher() -> Iterator[LanguageSwitcher]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    language = LanguageSwitcher(app, "en")
    yield language
    language.switch("en")  # the translators are the application's: leave it in English
    language.deleteLater()


def make_window(
    qtbot: QtBot, session: SessionService, messages: MessageBridge, store: QSettings
) -> MainWindow:
    window = MainWindow(session, messages, store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_switching_retranslates_the_window_and_back(
    qtbot: QtBot,
    session: SessionService,
    messages: MessageBridge,
    layout_store: QSettings,
    switcher: LanguageSwitcher,
) -> None:
    window = make_window(qtbot, session, messages, layout_store)
    window.attach_language(switcher)
    english = texts_of(window)
    assert "View" in english
    assert "Search: name, customer code, serial number, ticket number, phone" in english  # 360
    sources = translated_sources()

    window.language_actions["zh_CN"].trigger()
    assert switcher.language == "zh_CN"
    qtbot.waitUntil(lambda: window.view_menu.title() == "视图(&V)", timeout=TIMEOUT_MS)
    left = [t for t in texts_of(window) if t in sources]
    assert left == [], f"still in English after the switch: {left}"
    assert window.language_actions["zh_CN"].isChecked()

    window.language_actions["en"].trigger()
    qtbot.waitUntil(lambda: texts_of(window) == english, timeout=TIMEOUT_MS)


def test_a_language_locked_by_policy_cannot_be_switched(
    qtbot: QtBot, session: SessionService, messages: MessageBridge, layout_store: QSettings
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    locked = LanguageSwitcher(app, "en", locked=True)
    window = make_window(qtbot, session, messages, layout_store)
    window.attach_language(locked)
    assert all(not a.isEnabled() for a in window.language_actions.values())
    assert window.language_menu.property("lockedByPolicy") is True
    assert "IT department" in window.language_menu.toolTip()
    window.switch_language("zh_CN")  # (a key or a script: refused all the same)
    assert locked.language == "en"


def test_desk_codes_come_from_the_translation(switcher: LanguageSwitcher) -> None:
    shipped = DeskCode(code="lunch", en="Lunch", zh="午饭 (server)")
    custom = DeskCode(code="coaching", en="Coaching", zh="辅导")
    renamed = DeskCode(code="break", en="Short break", zh="小憩")
    assert [desk_code_label(c) for c in (shipped, custom, renamed)] == [
        "Lunch",
        "Coaching",
        "Short break",
    ]
    switcher.switch("zh_CN")
    # The shipped code from the translation (not the server's zh field); the centre's own
    # codes, and one it renamed, from the labels the server sent.
    assert [desk_code_label(c) for c in (shipped, custom, renamed)] == ["用餐", "辅导", "小憩"]
