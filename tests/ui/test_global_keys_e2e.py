"""System-wide answer and hang-up keys (issue 19) on a real X server (a private Xvfb): the
desk's keys grabbed on the root window through libX11, another X client's window holding the
focus, the keys sent through XTest as a keyboard sends them; a SIPp customer's call answered
and hung up (SIPp takes our BYE) on the real main window signed in to the real backend. A key
another program holds is said in the editor and nothing crashes; sign-out lets the keys go.
Where the desktop is not X11 (this run's Qt is offscreen) the option is disabled, with why."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from agent_desktop.ui.global_keys import (
    GlobalKeysOption,
    GrabOutcome,
    X11GlobalKeys,
    keysym_and_mask,
)
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.shortcuts import ShortcutId, ShortcutMap, ShortcutNames
from softphone import CallState, Phone
from tests.fakes.rig import Rig
from tests.fakes.sipp import Sipp
from tests.fakes.x11 import OtherXClient
from tests.fakes.xvfb import private_display
from tests.ui.test_keyboard_e2e import TIMEOUT_MS, finished, only_call, reaches, rings

BOTH = (ShortcutId.ANSWER, ShortcutId.HANG_UP)


@pytest.fixture
def x_display() -> Iterator[str]:
    with private_display() as name:
        yield name


@pytest.mark.slow
def test_the_keys_answer_and_hang_up_while_another_program_has_the_focus(
    qtbot: QtBot,
    make_live_desk: Callable[..., tuple[Rig, Phone, AgentStateService]],
    tmp_path: Path,
    x_display: str,
) -> None:
    rig, phone, _agent = make_live_desk(phone_panel=True)
    window: MainWindow = rig.window
    other = OtherXClient(x_display)
    keys = X11GlobalKeys(x_display)
    try:
        assert other.has_focus()
        window.global_keys.set_on(True)  # what the editor's tick and OK save
        window.attach_global_keys(keys)
        assert keys.last == GrabOutcome(grabbed=BOTH)

        call = only_call(phone)
        caller = Sipp("uac_headset", tmp_path, remote=phone.local_address,
                      fields=["王先生", "13800138000"], timeout_s=60)  # fmt: skip
        try:
            rings(qtbot, caller, call)
            other.press("ctrl", "shift", "a")  # Ctrl+Shift+A, typed into the other program
            reaches(qtbot, call, CallState.CONNECTED)
            other.press("ctrl", "shift", "e")  # Ctrl+Shift+E: hang up
            finished(qtbot, caller)  # SIPp took our BYE
        finally:
            caller.stop()
        qtbot.waitUntil(lambda: call() is None, timeout=TIMEOUT_MS)
        assert other.has_focus()  # the desk took the keys, not the focus

        # Signed out: the keys go back to the other programs (a second client may take them).
        rig.session.sign_out()
        qtbot.waitUntil(lambda: keys.last == GrabOutcome(), timeout=TIMEOUT_MS)
        second = X11GlobalKeys(x_display)
        try:
            assert second.grab(window.shortcut_map.all()).grabbed == BOTH
        finally:
            second.close()
    finally:
        keys.close()
        other.close()


def test_a_key_another_program_holds_is_said_in_the_editor(
    qtbot: QtBot, tmp_path: Path, x_display: str
) -> None:
    store = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    shortcuts, names = ShortcutMap(store), ShortcutNames()
    actions = {action: QAction() for action in BOTH}
    option = GlobalKeysOption(store, actions, names)
    other = OtherXClient(x_display)
    keys = X11GlobalKeys(x_display)
    try:
        other.grab_ctrl_shift("a")  # another program has Ctrl+Shift+A already
        option.attach(keys)
        dialog = ShortcutsDialog(shortcuts, names, True, global_keys=option)
        qtbot.addWidget(dialog)
        assert dialog.global_check.isEnabled()
        assert not dialog.global_check.isChecked()  # off by default
        dialog.global_check.setChecked(True)  # tried at once
        assert keys.last == GrabOutcome(grabbed=(ShortcutId.HANG_UP,), taken=(ShortcutId.ANSWER,))
        status = dialog.global_status.text()
        assert "Ctrl+Shift+A" in status
        assert "another program" in status
        assert dialog.global_status.isVisibleTo(dialog)
        dialog.accept()
        assert option.on()
        # The other program lets it go: the next grab has both (nothing was left half-held).
        other.ungrab_ctrl_shift("a")
        assert option.apply(shortcuts.all(), signed_in=True) == GrabOutcome(grabbed=BOTH)
        assert option.apply(shortcuts.all(), signed_in=False) == GrabOutcome()
    finally:
        keys.close()
        other.close()


@pytest.mark.slow
def test_next_to_qts_own_x_connection(x_display: str) -> None:
    """Qt on xcb (its own X connection, and Xlib's error handler as Qt leaves it): a refused
    key does not end the process and a typed key still arrives."""
    env = dict(os.environ, DISPLAY=x_display, QT_QPA_PLATFORM="xcb")
    run = subprocess.run(
        [sys.executable, "-m", "tests.fakes.global_keys_on_xcb"],
        env=env,
        cwd=Path(__file__).resolve().parents[2],  # the checkout: ``tests`` importable
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result == {
        "platform": "xcb",
        "unavailable": "",
        "grabbed": ["call.answer"],
        "taken": ["call.hang_up"],
        "pressed": ["call.answer"],
    }


def test_where_the_desktop_is_not_x11_the_option_is_disabled_and_says_why(
    qtbot: QtBot, tmp_path: Path
) -> None:
    store = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    names = ShortcutNames()
    option = GlobalKeysOption(store, {}, names)  # this run's Qt: offscreen
    dialog = ShortcutsDialog(ShortcutMap(store), names, True, global_keys=option)
    qtbot.addWidget(dialog)
    assert not dialog.global_check.isEnabled()
    assert "X11" in dialog.global_check.toolTip()
    assert "offscreen" in dialog.global_check.toolTip()


def test_which_keys_x_can_grab() -> None:
    assert keysym_and_mask(QKeySequence("Ctrl+Shift+A")) == (0x61, 4 | 1)
    assert keysym_and_mask(QKeySequence("Alt+F9")) == (0xFFC6, 8)
    assert keysym_and_mask(QKeySequence("Ctrl+Return")) == (0xFF0D, 4)
    assert keysym_and_mask(QKeySequence()) is None
    assert keysym_and_mask(QKeySequence("Ctrl+Home")) is None
