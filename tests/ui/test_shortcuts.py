"""The keyboard's map: no two actions share a key (nor a menu's Alt letter) in English or in
Chinese; the defaults stay clear of Qt's standard keys, the desktop's own keys and the keypad;
the cheat sheet opens with ``?`` only outside text fields and lists every action, translated;
a key the agent changes is kept in their settings, and a taken key is refused."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTranslator
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from agent_desktop.i18n import TRANSLATIONS_DIR
from agent_desktop.messages import MessageBridge
from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.directory import DirectoryService
from agent_desktop.services.session import SessionService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.shortcuts import (
    OS_KEYS,
    SHORTCUTS,
    Group,
    ShortcutId,
    ShortcutMap,
    clashes,
    portable,
    standard_keys,
)
from softphone import Phone
from tests.fakes.rig import Rig

TIMEOUT_MS = 10_000


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    translator = QTranslator()
    if request.param != "en":
        qm = TRANSLATIONS_DIR / f"agent_desktop_{request.param}.qm"
        assert translator.load(str(qm)), f"{qm} is missing: run make translations"
        QCoreApplication.installTranslator(translator)
    yield request.param
    QCoreApplication.removeTranslator(translator)


def open_window(
    qtbot: QtBot, session: SessionService, messages: MessageBridge, store: QSettings
) -> MainWindow:
    window = MainWindow(session, messages, store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT_MS)
    return window


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&\s])", text)
    return found.group(1).lower() if found else None


def test_no_two_actions_share_a_key_or_a_menu_letter(
    qtbot: QtBot,
    session: SessionService,
    messages: MessageBridge,
    layout_store: QSettings,
    language: str,
) -> None:
    window = open_window(qtbot, session, messages, layout_store)
    assert clashes(window.shortcut_map.all()) == []
    # What Qt will really match: every action the window holds, menus included.
    by_key: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        for keys in action.shortcuts():
            by_key.setdefault(portable(keys), []).append(action.text())
    assert {k: texts for k, texts in by_key.items() if len(texts) > 1} == {}
    keyed = window.shortcut_actions  # (the directory's is added with the directory)
    assert set(by_key) >= {portable(window.shortcut_map.keys(a)) for a in keyed}
    # Alt+letter: unique on the menu bar and within each menu, in this language.
    menus: list[QMenu] = [window.menuBar(), *window.menuBar().findChildren(QMenu)]  # type: ignore[list-item]
    for menu in menus:
        letters = [mnemonic(a.text()) for a in menu.actions() if a.isVisible()]
        letters = [x for x in letters if x]
        assert len(letters) == len(set(letters)), (language, menu.title(), letters)
    names = [window.shortcut_names.name(s.id) for s in SHORTCUTS]
    assert len(set(names)) == len(names)
    if language == "zh_CN":  # translated, not the English left behind
        assert all(re.search(r"[\u4e00-\u9fff]", n) for n in names), names


def test_defaults_keep_clear_of_standard_desktop_and_keypad_keys() -> None:
    standard = standard_keys()
    for shortcut in SHORTCUTS:
        keys = QKeySequence.fromString(shortcut.default, QKeySequence.SequenceFormat.PortableText)
        text = portable(keys)
        assert text == shortcut.default, shortcut  # one chord, written as Qt writes it
        if shortcut.standard is None:
            assert text not in standard, (shortcut.id, standard.get(text))
        else:
            assert shortcut.standard in QKeySequence.StandardKey
        assert text not in OS_KEYS, shortcut.id
        if shortcut.group in (Group.CALL, Group.STATE):
            # Ctrl-based: digits, * and # stay free for the keypad on a call.
            assert keys[0].keyboardModifiers() & Qt.KeyboardModifier.ControlModifier, shortcut.id
            assert not keys[0].keyboardModifiers() & Qt.KeyboardModifier.AltModifier, shortcut.id


def test_question_mark_opens_the_cheat_sheet_only_outside_text_fields(
    qtbot: QtBot,
    session: SessionService,
    messages: MessageBridge,
    layout_store: QSettings,
    language: str,
) -> None:
    window = open_window(qtbot, session, messages, layout_store)
    search = window.customer_panel.search_edit
    search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search)
    qtbot.keyClick(search, Qt.Key.Key_Question)
    assert search.text() == "?"  # typed, not taken
    assert window.shortcuts_dialog is None

    bar = window.work_area.tabBar()
    bar.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is bar)
    qtbot.keyClick(bar, Qt.Key.Key_Question)
    qtbot.waitUntil(lambda: window.shortcuts_dialog is not None, timeout=TIMEOUT_MS)
    dialog = window.shortcuts_dialog
    assert isinstance(dialog, ShortcutsDialog)
    qtbot.waitExposed(dialog)
    table = dialog.table
    shown = {
        (table.item(r, 0).text(), table.item(r, 1).text())  # type: ignore[union-attr]
        for r in range(table.rowCount())
    }
    names = window.shortcut_names
    for shortcut in SHORTCUTS:
        keys = names.keys_text(window.shortcut_map.keys(shortcut.id))
        assert (names.name(shortcut.id), keys) in shown
    title = "键盘快捷键" if language == "zh_CN" else "Keyboard shortcuts"
    assert dialog.windowTitle() == title
    dialog.activateWindow()  # (the window manager's part)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.shortcuts_dialog is None, timeout=TIMEOUT_MS)


def test_a_changed_key_is_kept_and_a_taken_key_is_refused(
    qtbot: QtBot, session: SessionService, messages: MessageBridge, tmp_path: Path
) -> None:
    store = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    window = open_window(qtbot, session, messages, store)
    window.edit_shortcuts_action.trigger()
    dialog = window.shortcuts_dialog
    assert isinstance(dialog, ShortcutsDialog)
    hold = window.shortcut_map.keys(ShortcutId.HOLD)
    assert not dialog.set_keys(ShortcutId.ANSWER, hold)
    assert "Hold / resume" in dialog.error_label.text()
    # As the agent does it: the row (selected on opening: Answer), the keys pressed, Set.
    assert dialog.selected() == ShortcutId.ANSWER
    qtbot.keyClick(
        dialog.key_edit,
        Qt.Key.Key_F9,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert portable(dialog.key_edit.keySequence()) == "Ctrl+Shift+F9"
    dialog.set_button.click()
    assert not dialog.error_label.isVisible()
    assert portable(dialog.keys[ShortcutId.ANSWER]) == "Ctrl+Shift+F9"
    assert dialog.set_keys(ShortcutId.SYNC_NOW, QKeySequence())  # no key at all is fine
    dialog.accept()
    answer = window.shortcut_actions[ShortcutId.ANSWER]
    assert portable(answer.shortcut()) == "Ctrl+Shift+F9"
    assert window.shortcut_actions[ShortcutId.SYNC_NOW].shortcut().isEmpty()

    again = ShortcutMap(QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat))
    assert portable(again.keys(ShortcutId.ANSWER)) == "Ctrl+Shift+F9"
    assert again.keys(ShortcutId.SYNC_NOW).isEmpty()
    assert portable(again.keys(ShortcutId.HOLD)) == "Ctrl+Shift+H"  # untouched: the default
    assert store.value("shortcuts/call.hold") is None  # only changes are written


def test_app_wide_keys_are_no_dialogs_own(
    qtbot: QtBot,
    make_live_desk: Callable[..., tuple[Rig, Phone, AgentStateService]],
    tasks: TaskRunner,
) -> None:
    """A key that fires from every window must not also be a key of a dialog's own (Qt would
    call it ambiguous and do neither): the colleague directory transfers on Ctrl+Return."""
    rig, phone, _agent = make_live_desk()
    window = rig.window
    service = DirectoryService(rig.sync, tasks, phone)
    window.attach_directory(service)
    try:
        window.open_directory()
        dialog = window.directory_dialog
        assert dialog is not None
        own = {portable(s.key()) for s in dialog.findChildren(QShortcut)}
        own |= {portable(k) for a in dialog.findChildren(QAction) for k in a.shortcuts()}
        assert "Ctrl+Return" in own
        everywhere = {portable(window.shortcut_map.keys(s.id)) for s in SHORTCUTS if s.everywhere}
        assert everywhere & own == set()
        dialog.close()
    finally:
        service.stop()
