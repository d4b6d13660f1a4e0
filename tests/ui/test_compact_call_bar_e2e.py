"""End to end, the compact always-on-top call bar on the real main window (real phone panel and
softphone, signed in to the real backend) with a SIPp caller: the View option on, the window
minimised, a call rings and the strip shows it; Answer, Hold (its timer from the hold),
Resume and Hang up from the strip's buttons drive the real phone (SIPp checks the re-INVITEs
and takes our BYE); restoring the window hides it; its position is kept on a screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.shortcuts import ShortcutId
from agent_desktop.ui.widgets.compact_call_bar import (
    ENABLED_KEY,
    POSITION_KEY,
    CompactCallBar,
    on_screen,
)
from softphone import CallInfo, CallState, Phone
from sync.contract.records import AgentState
from tests.fakes.rig import Rig
from tests.fakes.sipp import Sipp
from tests.ui.test_keyboard_e2e import TIMEOUT_MS, finished, only_call, reaches, rings

pytestmark = pytest.mark.slow


def strip_shows_the_ringing_call(qtbot: QtBot, window: MainWindow) -> None:
    """The strip shows the ringing call as the main bar words it (the same texts)."""
    strip = window.compact.strip
    qtbot.waitUntil(lambda: strip.timer_label.text().startswith("Ringing 0:0"))
    assert strip.ringing
    assert strip.number_label.text() == "13800138000"
    assert strip.name_button.text() == window.call_bar.name_label.full_text()
    assert strip.name_button.accessibleName().startswith("Caller: ")
    assert strip.buttons[ShortcutId.ANSWER].isEnabled()
    assert strip.buttons[ShortcutId.DECLINE].isEnabled()
    assert not strip.buttons[ShortcutId.HOLD].isEnabled()
    assert window.isMinimized()  # the ring did not bring the window up under the strip


def answer_hold_resume_from_the_strip(
    qtbot: QtBot,
    strip: CompactCallBar,
    agent: AgentStateService,
    call: Callable[[], CallInfo | None],
) -> None:
    qtbot.mouseClick(strip.buttons[ShortcutId.ANSWER], Qt.MouseButton.LeftButton)
    reaches(qtbot, call, CallState.CONNECTED)
    qtbot.waitUntil(lambda: agent.status.state == AgentState.ON_CALL, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: strip.timer_label.text().startswith("Talking"))
    qtbot.waitUntil(strip.buttons[ShortcutId.HOLD].isEnabled)
    qtbot.mouseClick(strip.buttons[ShortcutId.HOLD], Qt.MouseButton.LeftButton)
    reaches(qtbot, call, CallState.HELD)
    qtbot.waitUntil(lambda: strip.hold_label.text().startswith("On hold 0:0"))
    assert strip.buttons[ShortcutId.HOLD].text() == "Resume"
    assert strip.buttons[ShortcutId.HOLD].accessibleName() == "Resume"
    qtbot.mouseClick(strip.buttons[ShortcutId.HOLD], Qt.MouseButton.LeftButton)
    reaches(qtbot, call, CallState.CONNECTED)
    qtbot.waitUntil(lambda: not strip.hold_label.isVisibleTo(strip))


def test_the_compact_bar_shows_a_call_while_minimised_and_drives_it(
    qtbot: QtBot,
    make_live_desk: Callable[..., tuple[Rig, Phone, AgentStateService]],
    tmp_path: Path,
    layout_store: QSettings,
) -> None:
    rig, phone, agent = make_live_desk(phone_panel=True)
    window: MainWindow = rig.window
    strip = window.compact.strip
    qtbot.waitUntil(lambda: agent.status.state == AgentState.NOT_READY, timeout=TIMEOUT_MS)

    # Off by default: minimising shows nothing.
    assert not window.compact_bar_action.isChecked()
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    assert not strip.isVisible()
    window.showNormal()
    qtbot.waitUntil(lambda: not window.isMinimized())

    # View > Compact call bar when minimised: kept in layout.ini (and a roaming change).
    with qtbot.waitSignal(window.compact.changed):
        window.compact_bar_action.trigger()
    assert str(layout_store.value(ENABLED_KEY)).lower() == "true"
    assert not strip.isVisible()  # the window is up: no strip
    window.showMinimized()
    qtbot.waitUntil(strip.isVisible, timeout=TIMEOUT_MS)
    assert strip.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    qtbot.waitUntil(lambda: "Agent state: Not ready" in strip.state_label.text())
    assert strip.state_time_label.text().startswith("for ")
    assert strip.name_button.text() == "No call"
    assert not strip.buttons[ShortcutId.ANSWER].isEnabled()
    for control in strip.findChildren(QAbstractButton) + strip.findChildren(QLabel):
        assert control.accessibleName(), control.objectName()
    # Put away (a window manager may close a tool window): a ringing call brings it back.
    strip.hide()

    call = only_call(phone)
    caller = Sipp("uac_pcmu_hold", tmp_path, remote=phone.local_address, timeout_s=90)
    try:
        rings(qtbot, caller, call)
        qtbot.waitUntil(strip.isVisible, timeout=TIMEOUT_MS)
        strip_shows_the_ringing_call(qtbot, window)
        answer_hold_resume_from_the_strip(qtbot, strip, agent, call)
        qtbot.mouseClick(strip.buttons[ShortcutId.HANG_UP], Qt.MouseButton.LeftButton)
        finished(qtbot, caller)  # SIPp saw hold, resume, and took our BYE
    finally:
        caller.stop()
    qtbot.waitUntil(lambda: call() is None, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: agent.status.state == AgentState.WRAP_UP, timeout=TIMEOUT_MS)
    assert strip.isVisible()  # still minimised: still there

    # Dragged somewhere: the position is kept for next time.
    strip.moved.emit(QPoint(40, 50))
    assert layout_store.value(POSITION_KEY) == QPoint(40, 50)

    # A click on the name brings back the main window; the strip goes.
    qtbot.mouseClick(strip.name_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isMinimized(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not strip.isVisible())

    # Minimised again: back where it was left, whole on the screen.
    window.showMinimized()
    qtbot.waitUntil(strip.isVisible, timeout=TIMEOUT_MS)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert screen.contains(strip.frameGeometry())
    assert strip.pos() == on_screen(QPoint(40, 50), (strip.width(), strip.height()), [screen])
    window.showNormal()
    qtbot.waitUntil(lambda: not strip.isVisible())


def test_a_position_off_every_screen_comes_back_onto_one() -> None:
    screens = [QRect(0, 0, 1920, 1080), QRect(1920, 0, 1366, 768)]
    assert on_screen(QPoint(100, 100), (300, 120), screens) == QPoint(100, 100)
    # Left on a second monitor that is gone: onto the first, at its edge.
    assert on_screen(QPoint(4000, 900), (300, 120), screens[:1]) == QPoint(1620, 900)
    # Half over the right edge of the second screen: pulled in.
    assert on_screen(QPoint(3200, 700), (300, 120), screens) == QPoint(2986, 648)
    assert on_screen(QPoint(-50, -50), (300, 120), screens) == QPoint(0, 0)
