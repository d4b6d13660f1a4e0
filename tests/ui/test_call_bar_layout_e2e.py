"""The call bar on the screens centres use, in both languages, with a SIPp call ringing on the
real main window: the window does not grow, and the caller's name, number and ring timer are
shown whole (the state button too).

150 % scaling is checked without a scaled screen: Qt lays out in logical pixels, so a
1920×1080 screen at 150 % is a 1280×720 window's worth of layout, whatever the device pixel
ratio (a 1366×768 screen at 150 % gives 910×512, below the 360 dock's own minimum height: not
checked here, see the README)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from pytestqt.qtbot import QtBot

from agent_desktop.i18n import TRANSLATIONS_DIR
from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.ui.shortcuts import ShortcutId
from softphone import Phone
from tests.fakes.rig import Rig
from tests.fakes.sipp import Sipp
from tests.ui.test_call_bar_e2e import SpyNotifier, not_elided
from tests.ui.test_keyboard_e2e import TIMEOUT_MS, finished, only_call, rings

pytestmark = pytest.mark.slow
SCREENS = {
    "1280x800 (the window's own default)": (1280, 800),
    "1366x768@100%": (1366, 768),
    "1920x1080@100%": (1920, 1080),
    "1920x1080@150%": (1280, 720),
}


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    translator = QTranslator()
    if request.param != "en":
        qm = TRANSLATIONS_DIR / f"agent_desktop_{request.param}.qm"
        assert translator.load(str(qm)), f"{qm} is missing: run make translations"
        QCoreApplication.installTranslator(translator)
    yield request.param
    QCoreApplication.removeTranslator(translator)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_call_bar_fits_without_growing_the_window(
    qtbot: QtBot,
    language: str,
    screen: str,
    make_live_desk: Callable[..., tuple[Rig, Phone, AgentStateService]],
    tmp_path: Path,
) -> None:
    rig, phone, _agent = make_live_desk(phone_panel=True)
    window = rig.window
    window.ring_notifier = SpyNotifier()
    width, height = SCREENS[screen]
    window.resize(width, height)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (width, height))
    bar = window.call_bar
    bar.set_waiting(12)  # every part of the bar shown (the directory's count in the app)
    call = only_call(phone)
    caller = Sipp("uac_declined", tmp_path, remote=phone.local_address, service="4008001234",
                  fields=["欧阳娜娜娜娜", "008613900139000"], timeout_s=60)  # fmt: skip
    try:
        rings(qtbot, caller, call)
        qtbot.waitUntil(bar.timer_label.isVisible, timeout=TIMEOUT_MS)
        qtbot.waitUntil(window.customer_in_centre, timeout=TIMEOUT_MS)  # the pop's layout too
        assert (window.width(), window.height()) == (width, height), language
        not_elided(bar)
        assert bar.number_label.full_text() == "008613900139000"
        button = bar.state_button
        assert button.width() >= button.sizeHint().width(), button.text()
        for action_id in (ShortcutId.ANSWER, ShortcutId.DECLINE, ShortcutId.HANG_UP):
            shown = bar.buttons[action_id]
            assert shown.width() >= shown.sizeHint().width(), shown.text()
        qtbot.mouseClick(bar.buttons[ShortcutId.DECLINE], Qt.MouseButton.LeftButton)
        finished(qtbot, caller)  # 603
    finally:
        caller.stop()
    assert (window.width(), window.height()) == (width, height)
