"""End to end, keyboard only: on the real main window (real phone panel, real softphone, signed
in to the real backend), SIPp customers call and the agent works every call and state action
with key presses alone -- Ready, answer, hold, resume, mute, transfer, wrap-up Done (Enter and
its own key), answer and hang up, decline, Not ready with a reason. Each step is checked on the
phone's own call state, on what SIPp received, and on the agent state the server holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QWidget
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.ui.main_window import CALL_ACTIONS, MainWindow
from agent_desktop.ui.panels.phone_panel import PhonePanel
from agent_desktop.ui.shortcuts import ShortcutId
from softphone import CallInfo, CallState, Phone
from sync.contract.records import AgentState
from tests.fakes.rig import Rig
from tests.fakes.sipp import Sipp

pytestmark = pytest.mark.slow
TIMEOUT_MS = 20_000


def key_target(window: MainWindow) -> QWidget:
    """Where a real key press would go: the focused widget of the active window."""
    return QApplication.focusWidget() or QApplication.activeWindow() or window


def activate(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT_MS)


def press(qtbot: QtBot, window: MainWindow, action: ShortcutId) -> None:
    """The action's configured keys, pressed as the agent would (no method is called)."""
    keys = window.shortcut_map.keys(action)
    assert not keys.isEmpty(), action
    combo = keys[0]
    qtbot.keyClick(key_target(window), combo.key(), combo.keyboardModifiers())


def only_call(phone: Phone) -> Callable[[], CallInfo | None]:
    def call() -> CallInfo | None:
        live = [c for c in phone.calls() if c.state != CallState.ENDED]
        return live[0] if len(live) == 1 else None

    return call


def server_state(rig: Rig) -> str:
    presence = rig.api("GET", "/presence/me")
    assert isinstance(presence, dict)
    return str(presence["state"])


def rings(qtbot: QtBot, caller: Sipp, call: Callable[[], CallInfo | None]) -> None:
    """Until the desk rings (fails at once, with SIPp's report, if SIPp gave up first)."""

    def ringing() -> bool:
        assert not caller.finished, caller.report()
        found = call()
        return found is not None and found.state == CallState.INCOMING

    qtbot.waitUntil(ringing, timeout=TIMEOUT_MS)


def finished(qtbot: QtBot, caller: Sipp) -> None:
    qtbot.waitUntil(lambda: caller.finished, timeout=TIMEOUT_MS)
    assert caller.process.returncode == 0, caller.report()


def done_wrap_up_with(qtbot: QtBot, window: MainWindow, agent: AgentStateService, how: str) -> None:
    """Choose the first disposition with the arrow key (the combo has the focus when wrap-up
    starts) and confirm with Enter or with the wrap-up Done key."""
    panel = window.customer_panel
    qtbot.waitUntil(lambda: agent.status.state == AgentState.WRAP_UP, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not panel.wrap_up.isHidden(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.disposition_combo)
    qtbot.keyClick(panel.disposition_combo, Qt.Key.Key_Down)
    assert panel.disposition_combo.currentData() == "resolved"
    if how == "enter":
        qtbot.keyClick(key_target(window), Qt.Key.Key_Return)
    else:
        press(qtbot, window, ShortcutId.WRAP_UP_DONE)
    qtbot.waitUntil(lambda: agent.status.state == AgentState.READY, timeout=TIMEOUT_MS)
    assert panel.wrap_up.isHidden()


def reaches(qtbot: QtBot, call: Callable[[], CallInfo | None], state: CallState) -> None:
    qtbot.waitUntil(lambda: (c := call()) is not None and c.state == state, timeout=TIMEOUT_MS)


def answer_hold_mute_and_transfer(
    qtbot: QtBot, window: MainWindow, phone: Phone, agent: AgentStateService, tmp_path: Path
) -> None:
    """SIPp checks the two re-INVITEs (hold, resume) and the REFER to 5000."""
    panel = window.phone_panel
    assert isinstance(panel, PhonePanel)
    call = only_call(phone)
    caller = Sipp("uac_keyboard", tmp_path, remote=phone.local_address, timeout_s=90)
    try:
        rings(qtbot, caller, call)
        press(qtbot, window, ShortcutId.ANSWER)
        reaches(qtbot, call, CallState.CONNECTED)
        qtbot.waitUntil(lambda: agent.status.state == AgentState.ON_CALL, timeout=TIMEOUT_MS)
        menu_shows_what_is_possible(qtbot, window, {"hang_up", "hold", "mute", "transfer"})
        press(qtbot, window, ShortcutId.HOLD)
        reaches(qtbot, call, CallState.HELD)
        press(qtbot, window, ShortcutId.HOLD)  # the same key resumes
        reaches(qtbot, call, CallState.CONNECTED)
        press(qtbot, window, ShortcutId.MUTE)
        qtbot.waitUntil(lambda: (c := call()) is not None and c.muted, timeout=TIMEOUT_MS)
        press(qtbot, window, ShortcutId.MUTE)
        qtbot.waitUntil(lambda: (c := call()) is not None and not c.muted, timeout=TIMEOUT_MS)
        press(qtbot, window, ShortcutId.TRANSFER)
        qtbot.waitUntil(
            lambda: panel.transfer_dialog is not None and panel.transfer_dialog.isVisible(),
            timeout=TIMEOUT_MS,
        )
        qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
        qtbot.keyClicks(key_target(window), "5000")
        qtbot.keyClick(key_target(window), Qt.Key.Key_Return)
        finished(qtbot, caller)  # REFER to 5000, NOTIFY 200, our BYE: all as scripted
        activate(qtbot, window)  # the window manager's part when a dialog closes
    finally:
        caller.stop()


def answer_and_hang_up(qtbot: QtBot, window: MainWindow, phone: Phone, tmp_path: Path) -> None:
    call = only_call(phone)
    caller = Sipp("uac_headset", tmp_path, remote=phone.local_address,
                  fields=["王先生", "13800138000"], timeout_s=60)  # fmt: skip
    try:
        rings(qtbot, caller, call)
        press(qtbot, window, ShortcutId.ANSWER)
        reaches(qtbot, call, CallState.CONNECTED)
        press(qtbot, window, ShortcutId.HANG_UP)
        finished(qtbot, caller)  # SIPp took our BYE
    finally:
        caller.stop()
    qtbot.waitUntil(lambda: call() is None, timeout=TIMEOUT_MS)


def decline(qtbot: QtBot, window: MainWindow, phone: Phone, tmp_path: Path) -> None:
    """The customer hears 603 (the queue offers the call elsewhere)."""
    call = only_call(phone)
    caller = Sipp("uac_declined", tmp_path, remote=phone.local_address,
                  fields=["李先生", "13900139000"], timeout_s=60)  # fmt: skip
    try:
        rings(qtbot, caller, call)
        menu_shows_what_is_possible(qtbot, window, {"answer", "decline"})
        press(qtbot, window, ShortcutId.DECLINE)
        finished(qtbot, caller)
    finally:
        caller.stop()
    qtbot.waitUntil(lambda: call() is None, timeout=TIMEOUT_MS)


def menu_shows_what_is_possible(qtbot: QtBot, window: MainWindow, possible: set[str]) -> None:
    """The Call menu greys what cannot be done now; once closed, the keys are all live."""
    menu = window.call_menu
    menu.popup(window.mapToGlobal(QPoint(0, 0)))
    qtbot.waitUntil(menu.isVisible)
    enabled = {
        a.value.split(".")[1] for a in CALL_ACTIONS if window.shortcut_actions[a].isEnabled()
    }
    assert enabled == possible
    menu.close()
    qtbot.waitUntil(lambda: all(window.shortcut_actions[a].isEnabled() for a in CALL_ACTIONS))
    activate(qtbot, window)


def not_ready_for_lunch(qtbot: QtBot, window: MainWindow, agent: AgentStateService) -> None:
    """The chooser opens on the first reason; Down, Enter."""
    press(qtbot, window, ShortcutId.NOT_READY)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    first = menu.activeAction()
    assert first is not None
    assert first.text() == "Break"
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: agent.status.state == AgentState.NOT_READY and agent.status.reason == "lunch",
        timeout=TIMEOUT_MS,
    )


def test_every_call_and_state_action_from_the_keyboard(
    qtbot: QtBot,
    make_live_desk: Callable[..., tuple[Rig, Phone, AgentStateService]],
    tmp_path: Path,
) -> None:
    rig, phone, agent = make_live_desk(phone_panel=True)
    window = rig.window
    activate(qtbot, window)

    press(qtbot, window, ShortcutId.READY)
    qtbot.waitUntil(lambda: agent.status.state == AgentState.READY, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: server_state(rig) == "ready", timeout=TIMEOUT_MS)

    answer_hold_mute_and_transfer(qtbot, window, phone, agent, tmp_path)
    done_wrap_up_with(qtbot, window, agent, "enter")  # back to Ready, as before the call

    answer_and_hang_up(qtbot, window, phone, tmp_path)
    done_wrap_up_with(qtbot, window, agent, "key")

    decline(qtbot, window, phone, tmp_path)
    qtbot.waitUntil(lambda: agent.status.state == AgentState.READY, timeout=TIMEOUT_MS)

    not_ready_for_lunch(qtbot, window, agent)
    qtbot.waitUntil(lambda: server_state(rig) == "not_ready", timeout=TIMEOUT_MS)
    presence = rig.api("GET", "/presence/me")
    assert isinstance(presence, dict)
    assert presence["reason"] == "lunch"


def test_focus_keys_reach_the_kb_search_box_and_the_customer(
    qtbot: QtBot, make_live_desk: Callable[..., tuple[Rig, Phone, AgentStateService]]
) -> None:
    rig, _phone, _agent = make_live_desk(with_kb=True)
    window = rig.window
    activate(qtbot, window)
    desk = window.work_desk
    assert desk is not None
    assert desk.knowledge is not None
    window.work_area.setCurrentIndex(0)
    press(qtbot, window, ShortcutId.FOCUS_KB_SEARCH)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is desk.knowledge.search_edit)  # type: ignore[union-attr]
    assert window.work_area.currentWidget() is desk.knowledge
    qtbot.keyClicks(key_target(window), "alarm")  # typing goes straight into the search
    assert desk.knowledge.search_edit.text() == "alarm"
    press(qtbot, window, ShortcutId.FOCUS_CUSTOMER)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.customer_panel.search_edit)
    press(qtbot, window, ShortcutId.TICKETS_TAB)
    assert window.work_area.currentWidget() is desk.tickets
