"""View > Language at run time (i18n.LanguageSwitcher, ui/live_texts.py): the main window's
menus, docks, tabs and status bar, and the customer 360 (every visible widget's text,
tooltip, header and item), change language without a restart, and back; the desk
codes are labelled by the translation; a language locked by machine policy cannot be
switched and says who set it.

End to end (issue 19, "no string left in the old language"): a team lead's desk as the app
builds it, signed in to the real backend over HTTP, with the board, a customer popped and a
ticket form open, read in full (every visible widget of every top-level window, each work tab
in turn: labels, buttons, placeholders, tooltips, window titles, group and tab names, combo
items, table headers and cells), switched to Chinese and back to exactly the English; and
the agent's call bar in a call from a SIPp caller, drawn again at once (its ticker stopped)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from agent_desktop.app import LaunchOptions, Workstation
from agent_desktop.config import Settings
from agent_desktop.desk_labels import desk_code_label
from agent_desktop.i18n import SUPPORTED, LanguageSwitcher
from agent_desktop.messages import MessageBridge
from agent_desktop.services.session import SessionService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.dialogs.ticket_form import TicketForm
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.shortcuts import ShortcutId
from softphone import CallState
from sync.contract.wire import DeskCode
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.servers import LiveBackend
from tests.fakes.sipp import Sipp
from tests.ui.conftest import LiveDesk
from tests.ui.test_keyboard_e2e import finished, only_call, reaches, rings
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


def translated_patterns() -> list[re.Pattern[str]]:
    """The translated sources with arguments ("Talking %1", "%1 of %2 tickets"), as patterns
    of a whole text: a text made from data in the old language matches one. Only those with
    words of their own (three letters at least besides the arguments)."""
    found = []
    for _ctx, src, text, _kind in messages(TS):
        if not text or text == src or "%" not in src:
            continue
        if len(re.findall(r"[A-Za-z]", re.sub(r"%\d", "", src))) < 3:
            continue
        parts = re.split(r"%\d", src.replace("&", ""))
        found.append(re.compile(".+?".join(map(re.escape, parts)), re.DOTALL))
    return found


def left_in_english(texts: list[str]) -> list[str]:
    sources, patterns = translated_sources(), translated_patterns()
    return [t for t in texts if t in sources or any(p.fullmatch(t) for p in patterns)]


def readable_texts(top: QWidget) -> list[str]:
    """What the agent can read in the window ``top`` (not in other windows it owns: each is
    read as a top-level of its own): its title and menus, and for every visible widget what
    ``widget_texts`` reads."""
    seen: list[str] = [top.windowTitle()]
    if isinstance(top, QMainWindow):
        for action in top.menuBar().actions():
            seen.append(action.text())
            menu = action.menu()
            if isinstance(menu, QMenu):
                seen += menu_texts(menu)
    for widget in [top, *top.findChildren(QWidget)]:
        if widget.isVisible() and widget.window() is top:
            seen += widget_texts(widget)
    return [t.replace("&", "") for t in seen if t]


def widget_texts(widget: QWidget) -> list[str]:
    """A widget's tooltip and accessible name (what a screen reader says), a dock's title, its
    text, placeholder, group title, tab names and tips, combo items, a
    chart's title, and the headers and cells of item views (text and tooltip)."""
    seen = [widget.toolTip()]
    if not widget.objectName().startswith("qt_"):  # (Qt's own parts: Qt's translation)
        seen.append(widget.accessibleName())
    if isinstance(widget, QDockWidget):
        seen.append(widget.windowTitle())
    chart = widget.property("chartTitle")  # a board's chart (drawn by pyqtgraph)
    if isinstance(chart, str):
        seen.append(chart)
    if isinstance(widget, QLabel | QAbstractButton):
        seen.append(widget.text())
        menu = widget.menu() if isinstance(widget, QPushButton | QToolButton) else None
        if menu is not None:  # a button's menu: the agent state, the board's Set state
            seen += menu_texts(menu)
    elif isinstance(widget, QGroupBox):
        seen.append(widget.title())
    elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        seen.append(widget.placeholderText())
    elif isinstance(widget, QTabBar):
        for i in range(widget.count()):
            seen += [widget.tabText(i), widget.tabToolTip(i)]
    elif isinstance(widget, QComboBox):
        seen += [widget.itemText(i) for i in range(widget.count())]
    elif isinstance(widget, QAbstractItemView):
        seen += view_texts(widget)
    return seen


def texts_under(root: QWidget) -> list[str]:
    """What ``widget_texts`` reads of ``root`` and every visible widget under it."""
    widgets = [root, *root.findChildren(QWidget)]
    return [t.replace("&", "") for w in widgets if w.isVisible() for t in widget_texts(w) if t]


def menu_texts(menu: QMenu) -> list[str]:
    """A menu's title, its actions' texts and tips, and its submenus', all the way down."""
    seen = [menu.title()]
    for action in menu.actions():
        if action.data() in SUPPORTED:
            continue  # View > Language names each language in its own (English, 简体中文)
        seen += [action.text(), action.toolTip() if action.toolTip() != action.text() else ""]
        sub = action.menu()
        if isinstance(sub, QMenu):
            seen += menu_texts(sub)
    return seen


def view_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    top = QModelIndex()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(top)
    seen = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)]
    for row in range(min(model.rowCount(top), 200)):
        for column in range(columns):
            index = model.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str):
                    seen.append(value)
    return seen


def desk_texts(window: MainWindow) -> list[str]:
    """Every top-level window of the desk, read with each work tab shown in turn (the board
    is one of them); the tab shown before is shown again."""
    area, shown = window.work_area, window.work_area.currentIndex()
    seen: list[str] = []
    for index in range(area.count()):
        area.setCurrentIndex(index)
        seen += readable_texts(window)
    area.setCurrentIndex(shown)
    for top in QApplication.topLevelWidgets():
        if top is not window and top.isVisible() and not isinstance(top, QMenu):
            seen += readable_texts(top)
    return seen


def reads_again(qtbot: QtBot, read: Callable[[], list[str]], english: list[str]) -> None:
    """Until ``read`` gives the English texts again (but the clocks); else fail with the
    texts that differ."""
    wanted = same_but_clocks(english)
    last: list[str] = []

    def same() -> bool:
        last[:] = same_but_clocks(read())
        return last == wanted

    try:
        qtbot.waitUntil(same, timeout=TIMEOUT)
    except qtbot.TimeoutError:
        diff = difflib.unified_diff(wanted, last, "before", "after", lineterm="", n=1)
        pytest.fail("not the English texts again:\n" + "\n".join(diff))


def same_but_clocks(texts: list[str]) -> list[str]:
    """Texts with their digits as 0: clocks and timers move on between two readings."""
    return [re.sub(r"\d", "0", t) for t in texts]


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
    english = readable_texts(window)
    assert "View" in english
    assert "Search: name, customer code, serial number, ticket number, phone" in english  # 360
    sources = translated_sources()

    window.language_actions["zh_CN"].trigger()
    assert switcher.language == "zh_CN"
    qtbot.waitUntil(lambda: window.view_menu.title() == "视图(&V)", timeout=TIMEOUT_MS)
    left = [t for t in readable_texts(window) if t in sources]
    assert left == [], f"still in English after the switch: {left}"
    assert window.language_actions["zh_CN"].isChecked()

    window.language_actions["en"].trigger()
    qtbot.waitUntil(lambda: readable_texts(window) == english, timeout=TIMEOUT_MS)


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


# -- end to end -----------------------------------------------------------------------------

SEEDED_CALLER = "13800138000"
TIMEOUT = 20_000


def leads_desk(qtbot: QtBot, backend: LiveBackend, tmp_path: Path) -> Workstation:
    """A team lead's desk as the composition root builds it, signed in over HTTP."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    settings = Settings(
        server_url=backend.url, sip_bind_address="127.0.0.1", sip_port=0,
        request_timeout_s=3, remember_sign_in=False,
    )  # fmt: skip
    desk = Workstation(
        app,
        settings,
        LaunchOptions(profile_dir=tmp_path / "profile", headless=True),
        credentials=MemoryCredentialStore(),
        tasks=TaskRunner(),
        language=LanguageSwitcher(app, "en"),
    )
    desk.session.sign_in(backend.url, "zhangwei", "demo1234", remember=False)
    qtbot.waitUntil(
        lambda: desk.desk_built and desk.sync.status.state == "online"
        and desk.sync.status.last_synced is not None,
        timeout=TIMEOUT,
    )  # fmt: skip
    return desk


def open_everything(qtbot: QtBot, desk: Workstation) -> TicketForm:
    """The lead's desk shown on the board with a customer popped, a new ticket's form open
    (returned), and the dialogs a desk may have open: the directory and the phone account
    (View), the cheat sheet (Help), a question to the KB's experts, the board's alert
    thresholds, and a team ticket in its form with its handover and a dispatch form."""
    window = desk.main_window
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: desk.wallboard.loaded, timeout=TIMEOUT)
    board = window.wallboard_panel
    assert board is not None, "a team lead's desk shows the board"
    desk.screen_pop.pop_number(SEEDED_CALLER)
    qtbot.waitUntil(lambda: window.customer_panel.view is not None, timeout=TIMEOUT)
    window.customer_dock.show()
    window.customer_panel.new_ticket_button.click()
    qtbot.waitUntil(lambda: bool(window.findChildren(TicketForm)), timeout=TIMEOUT)
    form = next(f for f in window.findChildren(TicketForm) if f.ticket_id is None)
    qtbot.waitUntil(lambda: form.isVisible() and form.detail is not None, timeout=TIMEOUT)
    window.open_directory()
    window.open_account()
    window.show_cheat_sheet()
    panels = window.work_desk
    assert panels is not None
    assert panels.knowledge is not None
    question = panels.knowledge.ask_experts()
    thresholds = board.open_thresholds()
    tickets = panels.tickets.model
    qtbot.waitUntil(lambda: tickets.rowCount() > 0, timeout=TIMEOUT)
    ticket_id = tickets.line(0).id
    opened = panels.tickets.open_ticket(ticket_id)
    qtbot.waitUntil(lambda: opened.detail is not None, timeout=TIMEOUT)
    # Its summary finds articles (seeded): read once they are in, not as they arrive.
    suggestions = opened.suggestions
    assert suggestions is not None
    qtbot.waitUntil(lambda: bool(suggestions.titles()), timeout=TIMEOUT)
    opened.hand_over()
    qtbot.waitUntil(lambda: opened.handover_dialog is not None, timeout=TIMEOUT)
    handover = opened.handover_dialog
    assert handover is not None
    dispatch_form = panels.dispatch.new_dispatch(ticket_id)
    qtbot.waitUntil(lambda: dispatch_form.engineers() != [], timeout=TIMEOUT)
    for dialog in (question, thresholds, handover, dispatch_form):
        qtbot.waitUntil(dialog.isVisible, timeout=TIMEOUT)
    return form


def test_a_leads_desk_with_the_board_a_pop_and_a_ticket_form_switches_and_back(
    qtbot: QtBot, tmp_path: Path, app_look: None
) -> None:
    backend = LiveBackend(tmp_path / "server.sqlite")
    desk = leads_desk(qtbot, backend, tmp_path)
    try:
        window = desk.main_window
        form = open_everything(qtbot, desk)
        english = desk_texts(window)
        for expected in ("Supervisor", "Agents by state", "New ticket", "Service level", "Ready"):
            assert expected in english, f"the walk did not read {expected!r}"
        assert len(english) > 300, "the walk reached the board, the 360 and the form"

        window.switch_language("zh_CN")
        qtbot.waitUntil(lambda: form.windowTitle() != "New ticket", timeout=TIMEOUT)
        QCoreApplication.processEvents()  # (the LanguageChange events Qt posted)
        chinese = desk_texts(window)
        assert "监控看板(S)" in chinese  # the board's tab
        left = left_in_english(chinese)
        assert left == [], f"still in English after the switch: {sorted(set(left))}"

        window.switch_language("en")
        QCoreApplication.processEvents()
        reads_again(qtbot, lambda: desk_texts(window), english)
        # The switch roams (the profile's language); written before the desk closes.
        qtbot.waitUntil(lambda: not desk.profile.pending(), timeout=TIMEOUT)
    finally:
        desk.language.switch("en")
        if not desk.tasks.closed:
            desk.shutdown()
        if desk.desk_built:
            desk.main_window.deleteLater()
        QCoreApplication.processEvents()
        backend.stop()


@pytest.mark.slow
def test_the_call_bar_in_a_call_is_drawn_again_at_once(
    qtbot: QtBot,
    make_live_desk: Callable[..., LiveDesk],
    switcher: LanguageSwitcher,
    tmp_path: Path,
) -> None:
    rig, phone, _agent = make_live_desk(phone_panel=True)
    window: MainWindow = rig.window
    window.attach_language(switcher)
    bar = window.call_bar
    call = only_call(phone)
    caller = Sipp("uac_hung_up", tmp_path, remote=phone.local_address,
                  fields=["Zhao Min", "13800138000"], timeout_s=60)  # fmt: skip
    try:
        rings(qtbot, caller, call)
        bar.buttons[ShortcutId.ANSWER].click()
        reaches(qtbot, call, CallState.CONNECTED)
        qtbot.waitUntil(lambda: bar.timer_label.text().startswith("Talking"), timeout=TIMEOUT)
        qtbot.waitUntil(lambda: bar.state_time_label.text().startswith("for "), timeout=TIMEOUT)
        # The screen pop names the caller as the 360 knows them (their contact, 赵敏, not the
        # SIP display name): wait for it, or it lands between the two snapshots (seen in CI).
        qtbot.waitUntil(lambda: "赵敏" in texts_under(bar), timeout=TIMEOUT)
        # No tick may do it: only the language change draws the bar (and the phone) again.
        bar._ticker.stop()
        window.phone_panel._ticker.stop()  # type: ignore[attr-defined]
        english = texts_under(bar) + texts_under(window.phone_panel)
        window.switch_language("zh_CN")
        qtbot.waitUntil(lambda: bar.timer_label.text().startswith("通话"), timeout=TIMEOUT)
        assert bar.state_time_label.text().startswith("已持续 ")
        assert bar.buttons[ShortcutId.HANG_UP].text() == "挂断"
        assert bar.buttons[ShortcutId.HOLD].accessibleName() == "保持"
        left = left_in_english(readable_texts(window))
        assert left == [], f"still in English after the switch: {sorted(set(left))}"
        window.switch_language("en")
        qtbot.waitUntil(lambda: bar.timer_label.text().startswith("Talking"), timeout=TIMEOUT)
        # The call's own texts as they were (the rest of the window moves on with the call:
        # the sync line counts the interaction's writes).
        again = texts_under(bar) + texts_under(window.phone_panel)
        assert same_but_clocks(again) == same_but_clocks(english)
        bar.buttons[ShortcutId.HANG_UP].click()
        finished(qtbot, caller)
    finally:
        caller.stop()
