"""The call bar's recording state, for each state of a fake recorder (the RecordingControl
protocol; the real recorder is tested with its engine): ● REC, paused with the countdown to
the automatic resume, PBX records, not recorded, failed with its reason; the button and the
key pause and resume the shown call; the compact strip says the same; the states read in
Chinese; a narrow bar shows the short form; a field marked
sensitive (or named by the centre) pauses the recording when it gets the focus (or when the
recording starts there), only while the setting is on; the key works from another window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from agent_desktop.i18n import TRANSLATIONS_DIR
from agent_desktop.messages import MessageBridge
from agent_desktop.services.session import SessionService
from agent_desktop.ui.main_window import MainWindow
from agent_desktop.ui.sensitive_fields import mark_sensitive
from agent_desktop.ui.shortcuts import ShortcutId
from agent_desktop.ui.widgets.recording_status import RecordingStatus
from softphone import CallInfo, CallState
from softphone.events import CallDirection, RecordingInfo, RecordingState
from sync.contract.recordings import PauseReason
from tests.fakes.recordings import FakeRecordingControl
from tests.ui.test_shortcuts import TIMEOUT_MS, open_window

CALL_ID = 7


def on_a_call(window: MainWindow) -> None:
    """The bar shows call 7 (the shell has no phone: the bar is told its call)."""
    call = CallInfo(
        call_id=CALL_ID,
        direction=CallDirection.INBOUND,
        state=CallState.CONNECTED,
        remote_uri="sip:13800138000@127.0.0.1",
        remote_number="13800138000",
    )
    window.call_bar.shown_call = lambda: call  # type: ignore[method-assign]
    window.call_bar.refresh()


@pytest.fixture
def window(
    qtbot: QtBot, session: SessionService, messages: MessageBridge, layout_store: QSettings
) -> MainWindow:
    return open_window(qtbot, session, messages, layout_store)


def test_each_state_is_shown_and_button_and_key_pause_and_resume(
    qtbot: QtBot, window: MainWindow
) -> None:
    recorder = FakeRecordingControl(now=0.0)  # (the shell's clock reads 0 without a phone)
    status = window.call_bar.recording
    assert not status.isVisibleTo(window)  # no recorder: nothing said
    window.attach_recordings(recorder, auto_pause=True)
    on_a_call(window)
    assert status.isVisibleTo(window)
    assert status.text() == "Not recorded"
    assert not status.button.isEnabled()

    recorder.set(RecordingInfo(CALL_ID, RecordingState.RECORDING, recording_id="ab" * 16))
    assert status.text() == "● REC"
    assert status.state_label.accessibleName() == "Recording"
    assert status.button.isEnabled()
    assert status.button.accessibleName() == "Pause the recording (a card number is read out)"

    qtbot.mouseClick(status.button, Qt.MouseButton.LeftButton)
    assert recorder.calls == [("pause", CALL_ID, "agent")]
    assert status.text() == "❚❚ Paused, resumes in 1:00"
    assert status.button.accessibleName() == "Resume the recording"
    strip = window.compact.strip
    assert strip.recording_label.text() == "❚❚ Paused, resumes in 1:00"
    assert strip.pause_recording_button.text() == "Resume rec."

    keys = window.shortcut_map.keys(ShortcutId.PAUSE_RECORDING)
    assert keys.toString() == "Ctrl+Shift+J"
    focus = QApplication.focusWidget() or window
    qtbot.keyClick(
        focus, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: len(recorder.calls) == 2, timeout=TIMEOUT_MS)
    assert recorder.calls[1] == ("resume", CALL_ID, "")
    assert status.text() == "● REC"
    qtbot.mouseClick(strip.pause_recording_button, Qt.MouseButton.LeftButton)
    assert recorder.calls[2] == ("pause", CALL_ID, "agent")

    recorder.set(RecordingInfo(CALL_ID, RecordingState.LINKED, pbx_recording_id="pbx-1"))
    assert status.text() == "PBX records"
    assert not status.button.isEnabled()
    recorder.set(RecordingInfo(CALL_ID, RecordingState.FAILED, reason="the disk is full"))
    assert status.text() == "Recording failed: the disk is full"
    assert strip.recording_label.text() == "Recording failed: the disk is full"
    # Another call's change leaves this one's state alone.
    recorder.set(RecordingInfo(CALL_ID + 1, RecordingState.RECORDING))
    assert status.text() == "Recording failed: the disk is full"


def test_the_countdown_follows_the_clock() -> None:
    now = [100.0]
    status = RecordingStatus(QAction(), lambda: now[0])
    recorder = FakeRecordingControl(now=100.0)
    status.attach(recorder)
    status.show_call(CALL_ID)
    recorder.set(RecordingInfo(CALL_ID, RecordingState.RECORDING))
    recorder.pause(CALL_ID, PauseReason.AGENT)
    status.refresh()
    assert status.text() == "❚❚ Paused, resumes in 1:00"
    now[0] = 158.4
    status.refresh()
    assert status.text() == "❚❚ Paused, resumes in 0:02"  # (rounded up)
    # A narrow bar (1366×768 at 150 %): the short form, the whole in the tooltip.
    label = status.state_label
    label.resize(label.fontMetrics().horizontalAdvance("❚❚ 0:02") + 4, 20)
    assert label.text() == "❚❚ 0:02"
    assert label.toolTip() == "❚❚ Paused, resumes in 0:02"
    label.resize(label.fontMetrics().horizontalAdvance(label.toolTip()) + 4, 20)
    assert label.text() == "❚❚ Paused, resumes in 0:02"
    recorder.set(RecordingInfo(CALL_ID, RecordingState.PAUSED, paused_at=100.0, resume_at=None))
    status.refresh()
    assert status.text() == "❚❚ Paused"  # no automatic resume at this centre
    status.deleteLater()


def test_focusing_a_sensitive_field_pauses_the_recording(qtbot: QtBot, window: MainWindow) -> None:
    recorder = FakeRecordingControl(now=0.0)
    window.attach_recordings(recorder, auto_pause=True, sensitive_names=("centreMarked",))
    on_a_call(window)
    recorder.set(RecordingInfo(CALL_ID, RecordingState.RECORDING))
    form = QWidget()
    qtbot.addWidget(form)
    column = QVBoxLayout(form)
    plain, card, named = QLineEdit(), QLineEdit(), QLineEdit()
    mark_sensitive(card)
    named.setObjectName("centreMarked")
    for field in (plain, card, named):
        column.addWidget(field)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form, timeout=TIMEOUT_MS)

    plain.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is plain, timeout=TIMEOUT_MS)
    assert recorder.calls == []
    card.setFocus()
    qtbot.waitUntil(lambda: recorder.calls != [], timeout=TIMEOUT_MS)
    assert recorder.calls == [("pause", CALL_ID, "sensitive_field")]
    assert window.call_bar.recording.text() == "❚❚ Paused, resumes in 1:00"
    # Paused already: tabbing on to the next sensitive field asks nothing more.
    named.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is named, timeout=TIMEOUT_MS)
    assert len(recorder.calls) == 1
    # The key from the form's own window (a ticket form in front): resumes the call's recording.
    qtbot.keyClick(
        named, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: len(recorder.calls) == 2, timeout=TIMEOUT_MS)
    assert recorder.calls[1] == ("resume", CALL_ID, "")
    assert named.text() == ""  # taken by the key, not typed
    plain.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is plain, timeout=TIMEOUT_MS)
    named.setFocus()  # the centre's own field, by name
    qtbot.waitUntil(lambda: len(recorder.calls) == 3, timeout=TIMEOUT_MS)
    assert recorder.calls[2] == ("pause", CALL_ID, "sensitive_field")

    # The setting off: focus pauses nothing.
    recorder.resume(CALL_ID)
    assert window.sensitive_focus is not None
    window.sensitive_focus.set_enabled(False)
    plain.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is plain, timeout=TIMEOUT_MS)
    card.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is card, timeout=TIMEOUT_MS)
    assert [c[0] for c in recorder.calls] == ["pause", "resume", "pause", "resume"]


def test_a_recording_that_starts_in_a_sensitive_field_pauses_at_once(
    qtbot: QtBot, window: MainWindow
) -> None:
    recorder = FakeRecordingControl(now=0.0)
    window.attach_recordings(recorder, auto_pause=True)
    on_a_call(window)
    form = QWidget()
    qtbot.addWidget(form)
    card = QLineEdit(form)
    mark_sensitive(card)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    card.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is card, timeout=TIMEOUT_MS)
    assert recorder.calls == []  # nothing recorded yet: nothing to pause
    recorder.set(RecordingInfo(CALL_ID, RecordingState.RECORDING))  # the call connects
    assert recorder.calls == [("pause", CALL_ID, "sensitive_field")]
    # The agent resumes in the field: the resume stands.
    window.toggle_recording_pause()
    assert recorder.calls[1] == ("resume", CALL_ID, "")
    assert recorder.state(CALL_ID).state == RecordingState.RECORDING  # type: ignore[union-attr]


def test_the_states_read_in_chinese() -> None:
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS_DIR / "agent_desktop_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        status = RecordingStatus(QAction(), lambda: 30.0)
        recorder = FakeRecordingControl(now=0.0)
        status.attach(recorder)
        status.show_call(CALL_ID)
        recorder.set(RecordingInfo(CALL_ID, RecordingState.RECORDING))
        status.refresh()
        assert (status.text(), status.button.text()) == ("● 录音中", "暂停录音")
        recorder.pause(CALL_ID, PauseReason.SENSITIVE_FIELD)
        status.refresh()
        assert (status.text(), status.button.text()) == ("❚❚ 录音已暂停，0:30 后恢复", "恢复录音")
        recorder.set(RecordingInfo(CALL_ID, RecordingState.LINKED))
        status.refresh()
        assert status.text() == "交换机录音"
        status.deleteLater()
    finally:
        QCoreApplication.removeTranslator(translator)
