"""End to end, the call bar on the real main window (real phone panel and softphone, signed in
to the real backend) with SIPp callers: what it shows while a call rings and is talked on, that
the hold timer starts at the hold, that its buttons drive the real phone, the state and time in
state, that a ringing call behind another window gets attention (a spy in place of the
desktop's notifier), and what it says after a call rang out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.shortcuts import ShortcutId
from agent_desktop.ui.widgets.call_bar import CallBar
from softphone import CallInfo, CallState, Phone
from sync.contract.records import AgentState
from tests.fakes.rig import Rig
from tests.fakes.sipp import Sipp
from tests.ui.test_keyboard_e2e import (
    TIMEOUT_MS,
    activate,
    done_wrap_up_with,
    finished,
    only_call,
    press,
    reaches,
    rings,
)

pytestmark = pytest.mark.slow


class SpyNotifier:
    """Records what the window asked of the desktop (the real one flashes the taskbar)."""

    def __init__(self) -> None:
        self.alerted: list[QWidget] = []
        self.raised: list[QWidget] = []
        self.notified: list[tuple[str, str]] = []

    def alert(self, window: QWidget) -> None:
        self.alerted.append(window)

    def raise_window(self, window: QWidget) -> None:
        self.raised.append(window)

    def notify(self, title: str, text: str) -> None:
        self.notified.append((title, text))


def not_elided(bar: CallBar) -> None:
    for label in (bar.name_label, bar.number_label):
        assert not label.is_elided(), (label.objectName(), label.text(), label.full_text())
    assert bar.timer_label.width() >= bar.timer_label.fontMetrics().horizontalAdvance(
        bar.timer_label.text()
    )


def the_360_takes_the_centre(qtbot: QtBot, window: MainWindow) -> None:
    """On the pop the customer 360 is the centre, at full width; work and customer are keys."""
    # The screen pop puts the customer 360 in the centre, at full width.
    qtbot.waitUntil(window.customer_in_centre, timeout=TIMEOUT_MS)
    assert window.centre.currentWidget() is window.call_page
    assert not window.customer_dock.isVisible()
    assert window.customer_panel.width() > window.width() // 2
    activate(qtbot, window)
    press(qtbot, window, ShortcutId.TICKETS_TAB)  # the work is a key away
    assert window.centre.currentWidget() is window.work_area
    press(qtbot, window, ShortcutId.FOCUS_CUSTOMER)  # and so is the customer
    assert window.centre.currentWidget() is window.call_page


def drive_the_call_from_the_bar(
    qtbot: QtBot, window: MainWindow, agent: AgentStateService, call: Callable[[], CallInfo | None]
) -> None:
    """Answer, hold (its timer from zero), resume, mute, unmute, transfer: the bar's buttons."""
    bar = window.call_bar
    qtbot.mouseClick(bar.buttons[ShortcutId.ANSWER], Qt.MouseButton.LeftButton)
    reaches(qtbot, call, CallState.CONNECTED)
    qtbot.waitUntil(lambda: agent.status.state == AgentState.ON_CALL, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: bar.timer_label.text().startswith("Talking"))
    # Talk for two seconds on the clock, then hold: the hold timer starts from zero.
    qtbot.waitUntil(lambda: bar.timer_label.text() >= "Talking 0:02", timeout=TIMEOUT_MS)
    qtbot.mouseClick(bar.buttons[ShortcutId.HOLD], Qt.MouseButton.LeftButton)
    reaches(qtbot, call, CallState.HELD)
    qtbot.waitUntil(bar.hold_label.isVisible)
    assert bar.hold_label.text() in ("On hold 0:00", "On hold 0:01")
    assert bar.buttons[ShortcutId.HOLD].text() == "Resume"
    qtbot.waitUntil(lambda: bar.hold_label.text() == "On hold 0:01", timeout=TIMEOUT_MS)
    not_elided(bar)
    qtbot.mouseClick(bar.buttons[ShortcutId.HOLD], Qt.MouseButton.LeftButton)
    reaches(qtbot, call, CallState.CONNECTED)
    qtbot.waitUntil(lambda: not bar.hold_label.isVisible())
    qtbot.mouseClick(bar.buttons[ShortcutId.MUTE], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (c := call()) is not None and c.muted, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: bar.buttons[ShortcutId.MUTE].text() == "Unmute", timeout=TIMEOUT_MS)
    qtbot.mouseClick(bar.buttons[ShortcutId.MUTE], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (c := call()) is not None and not c.muted, timeout=TIMEOUT_MS)
    qtbot.mouseClick(bar.buttons[ShortcutId.TRANSFER], Qt.MouseButton.LeftButton)
    panel = window.phone_panel
    qtbot.waitUntil(lambda: getattr(panel, "transfer_dialog", None) is not None, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClicks(focus, "5000")
    qtbot.keyClick(focus, Qt.Key.Key_Return)


def test_the_call_bar_shows_the_call_and_drives_the_phone(
    qtbot: QtBot,
    make_live_desk: Callable[..., tuple[Rig, Phone, AgentStateService]],
    tmp_path: Path,
) -> None:
    rig, phone, agent = make_live_desk(phone_panel=True)
    window: MainWindow = rig.window
    spy = SpyNotifier()
    window.ring_notifier = spy
    bar = window.call_bar
    desk = window.work_desk
    assert desk is not None
    assert window.work_area.currentWidget() is desk.tickets  # an agent starts on Tickets
    qtbot.waitUntil(lambda: "Just signed in" in bar.state_button.text(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: bar.state_time_label.text().startswith("for 0:0"))
    assert bar.name_label.full_text() == "No call"

    # Another window in front: the ringing call must come and find the agent.
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other, timeout=TIMEOUT_MS)

    call = only_call(phone)
    caller = Sipp("uac_keyboard", tmp_path, remote=phone.local_address, service="4008001234",
                  timeout_s=90)  # fmt: skip
    try:
        rings(qtbot, caller, call)
        qtbot.waitUntil(lambda: spy.alerted == [window], timeout=TIMEOUT_MS)
        assert spy.raised == [window]
        qtbot.waitUntil(lambda: bar.timer_label.text().startswith("Ringing 0:0"))
        assert bar.number_label.full_text() == "13800138000"
        assert bar.name_label.full_text()  # the CRM's name, else the display name
        assert "4008001234" in bar.via_label.full_text()  # the number the customer dialled
        assert bar.buttons[ShortcutId.ANSWER].isEnabled()
        assert bar.buttons[ShortcutId.DECLINE].isEnabled()
        assert not bar.buttons[ShortcutId.HOLD].isEnabled()
        not_elided(bar)
        the_360_takes_the_centre(qtbot, window)

        drive_the_call_from_the_bar(qtbot, window, agent, call)
        finished(qtbot, caller)  # REFER to 5000, NOTIFY 200, our BYE: as scripted
        activate(qtbot, window)
    finally:
        caller.stop()

    assert window.customer_in_centre()  # the wrap-up is on the customer, in the centre
    done_wrap_up_with(qtbot, window, agent, "key")
    # Done: back to the work view, the 360 in its dock again.
    qtbot.waitUntil(lambda: window.centre.currentWidget() is window.work_area)
    assert not window.customer_in_centre()
    assert window.customer_dock.isVisible()
    assert window.work_area.currentWidget() is desk.tickets
    # Not back to "Not ready (Just signed in)": the agent took a call, so is at the desk.
    qtbot.waitUntil(lambda: "Just signed in" not in bar.state_button.text())
    assert (agent.status.state, agent.status.reason) == (AgentState.READY, "")
    qtbot.waitUntil(lambda: bar.day_label.text().startswith("Calls: 1 · average 0:"))


def test_a_missed_call_says_who_when_and_how_long_and_offers_the_call_back(
    qtbot: QtBot,
    make_live_desk: Callable[..., tuple[Rig, Phone, AgentStateService]],
    tmp_path: Path,
) -> None:
    rig, phone, agent = make_live_desk(phone_panel=True)
    window: MainWindow = rig.window
    window.ring_notifier = SpyNotifier()
    bar = window.call_bar
    qtbot.waitUntil(lambda: agent.status.state == AgentState.NOT_READY, timeout=TIMEOUT_MS)
    window.go_ready()
    qtbot.waitUntil(lambda: agent.status.state == AgentState.READY, timeout=TIMEOUT_MS)
    # Short, for the test (the centre's settings arriving later may set it back: see below).
    agent.settings = agent.settings.model_copy(update={"ring_no_answer_s": 2})
    call = only_call(phone)
    caller = Sipp("uac_declined", tmp_path, remote=phone.local_address,
                  fields=["李先生", "13900139000"], timeout_s=60)  # fmt: skip
    try:
        rings(qtbot, caller, call)
        finished(qtbot, caller)  # the desk declined it (603) when it rang out
    finally:
        caller.stop()
    qtbot.waitUntil(bar.missed_label.isVisible, timeout=TIMEOUT_MS)
    text = bar.missed_label.full_text()
    assert text.startswith("Missed call from ")
    assert "13900139000" in text
    rang = int(agent.settings.ring_no_answer_s)  # what the desk waited before declining
    assert f"rang {rang} s" in text or f"rang {rang + 1} s" in text, text
    assert bar.call_back_button.isVisible()
    assert (agent.status.state, agent.status.reason) == (AgentState.NOT_READY, "missed_call")
