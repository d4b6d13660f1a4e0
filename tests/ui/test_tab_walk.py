"""Tab walks: from the first focusable widget, Tab alone visits every focusable widget of the
window (the main window signed in with its tickets, dispatch, callbacks and knowledge base; each
form and dialog), never stays in one (a table, a text box), and comes back to the start."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDateTimeEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from agent_desktop.config import Settings
from agent_desktop.services.account_settings import PhoneAccount
from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.session import SessionService
from agent_desktop.services.work import WorkService
from agent_desktop.ui.dialogs.answer_dialog import AnswerDialog
from agent_desktop.ui.dialogs.dispatch_form import DispatchForm
from agent_desktop.ui.dialogs.handover_dialog import HandoverDialog
from agent_desktop.ui.dialogs.login_dialog import LoginDialog
from agent_desktop.ui.dialogs.new_customer_dialog import NewCustomerDialog
from agent_desktop.ui.dialogs.phone_account_dialog import PhoneAccountDialog
from agent_desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from agent_desktop.ui.dialogs.ticket_form import TicketForm
from agent_desktop.ui.dialogs.unsent_dialog import UnsentDialog
from agent_desktop.ui.dialogs.visit_report_dialog import VisitReportDialog
from agent_desktop.ui.shortcuts import ShortcutMap, ShortcutNames
from softphone import Phone
from tests.fakes.rig import Rig

TIMEOUT_MS = 10_000
MAX_STEPS = 400  # far more than any window here has widgets: a bound, not a guess


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    return f"{type(widget).__name__}({widget.objectName() or '?'})"


def focusable(window: QWidget) -> list[QWidget]:
    """What Tab should reach: shown, enabled, taking focus by Tab, in this window."""
    return [
        w
        for w in window.findChildren(QWidget)
        if w.window() is window
        and w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.focusProxy() is None
        and not unchecked_in_a_choice(w)
    ]


def unchecked_in_a_choice(widget: QWidget) -> bool:
    """One of a set of exclusive buttons, not the chosen one: Tab lands on the chosen one and
    the arrow keys move within the set (as with radio buttons)."""
    if not isinstance(widget, QAbstractButton) or widget.isChecked():
        return False
    group = widget.group()
    return (group is not None and group.exclusive()) or widget.autoExclusive()


def tab_walk(qtbot: QtBot, window: QWidget) -> list[QWidget]:
    """Press Tab until the focus is back where it started; what it visited, in order."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT_MS)
    targets = focusable(window)
    assert targets, f"nothing to focus in {describe(window)}"
    start = targets[0]
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    visited = [start]
    stays = 0
    for _step in range(MAX_STEPS):
        here = QApplication.focusWidget()
        assert here is not None
        qtbot.keyClick(here, Qt.Key.Key_Tab)
        there = QApplication.focusWidget()
        if there is here:
            # A date/time box takes Tab from one section to the next (day, month, year), as
            # everywhere; after its last section Tab moves on. Anything else must move on.
            stays += 1
            sections = here.sectionCount() if isinstance(here, QDateTimeEdit) else 0
            assert stays < sections, f"Tab stays in {describe(here)}"
            continue
        stays = 0
        if there is start:
            break
        assert there is not None
        visited.append(there)
    else:
        pytest.fail(f"Tab never came back to {describe(start)}: {[describe(w) for w in visited]}")
    missed = [describe(w) for w in targets if w not in visited]
    assert missed == [], f"Tab never reaches {missed}"
    return visited


def left_every_table(visited: list[QWidget]) -> None:
    views = [w for w in visited if isinstance(w, QAbstractItemView)]
    for view in views:
        assert not view.tabKeyNavigation(), describe(view)


def test_tab_walks_the_signed_in_main_window_and_leaves_every_table(
    qtbot: QtBot, make_live_desk: Callable[..., tuple[Rig, Phone, AgentStateService]]
) -> None:
    rig, _phone, _agent = make_live_desk(with_kb=True, phone_panel=True)
    window = rig.window
    desk = window.work_desk
    assert desk is not None
    tables = {
        "tickets": desk.tickets.table,
        "dispatch": desk.dispatch.table,
        "callbacks": desk.callbacks.table,
    }
    qtbot.waitUntil(lambda: desk.tickets.table.model().rowCount() > 0, timeout=TIMEOUT_MS)
    for index in range(window.work_area.count()):  # each tab's page in turn
        window.work_area.setCurrentIndex(index)
        visited = tab_walk(qtbot, window)
        left_every_table(visited)
    for name, table in tables.items():
        assert not table.tabKeyNavigation(), name
    # The dialogs that work with the desk's sync: a new customer, the refused changes.
    for dialog in (NewCustomerDialog(rig.sync, "13800138000", window), UnsentDialog(rig.sync)):
        qtbot.addWidget(dialog)
        dialog.show()
        left_every_table(tab_walk(qtbot, dialog))


def test_tab_walks_the_ticket_and_dispatch_forms(qtbot: QtBot, work: WorkService) -> None:
    form = TicketForm(work, customer_id=1, contact_id=None)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitUntil(lambda: form.asset_combo.count() > 1, timeout=TIMEOUT_MS)
    for index in range(form.tabs.count()):
        form.tabs.setCurrentIndex(index)
        left_every_table(tab_walk(qtbot, form))
    dispatch = DispatchForm(work, 21)
    qtbot.addWidget(dispatch)
    dispatch.show()
    left_every_table(tab_walk(qtbot, dispatch))
    report = VisitReportDialog(work, 31)  # the planned visit
    qtbot.addWidget(report)
    report.show()
    qtbot.waitUntil(report.save_button.isEnabled, timeout=TIMEOUT_MS)
    left_every_table(tab_walk(qtbot, report))
    for dialog in (HandoverDialog([], "T-1", call_active=True), AnswerDialog("Alarm E07?", "")):
        qtbot.addWidget(dialog)
        dialog.show()
        tab_walk(qtbot, dialog)


def test_tab_walks_the_sign_in_account_and_shortcut_dialogs(
    qtbot: QtBot, session: SessionService, layout_store: QSettings
) -> None:
    login = LoginDialog(session, server_url="http://127.0.0.1:9")
    qtbot.addWidget(login)
    login.show()
    tab_walk(qtbot, login)
    account = PhoneAccountDialog(PhoneAccount.of(Settings()))
    qtbot.addWidget(account)
    account.show()
    tab_walk(qtbot, account)
    for editable in (False, True):
        dialog = ShortcutsDialog(ShortcutMap(layout_store), ShortcutNames(), editable)
        qtbot.addWidget(dialog)
        dialog.show()
        left_every_table(tab_walk(qtbot, dialog))
