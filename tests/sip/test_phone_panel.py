"""The phone panel driven by the real ``Phone`` against SIPp: ring, answer, hold, mute, the
keypad's tones, the transfer dialog, and a refusal explained in words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit
from pytestqt.qtbot import QtBot

from agent_desktop.services.ringer import Ringer
from agent_desktop.ui.panels.phone_panel import PhonePanel
from softphone import CallInfo, CallState, DtmfMethod, Phone, PhoneConfig
from tests.fakes.sipp import Sipp
from tests.sip.conftest import finish

pytestmark = pytest.mark.slow
WAIT_MS = 10_000


@pytest.fixture
def panel(qtbot: QtBot) -> Iterator[PhonePanel]:
    phone = Phone()
    phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1", dtmf=DtmfMethod.SIP_INFO))
    phone.wait_ready()  # the engine's process is up
    widget = PhonePanel(phone)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    phone.stop()


def rows(panel: PhonePanel) -> list[str]:
    return [panel.call_list.item(i).text() for i in range(panel.call_list.count())]


def click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_ringing_call_is_answered_with_the_button_and_ends_when_the_caller_hangs_up(
    qtbot: QtBot, panel: PhonePanel, tmp_path: Path
) -> None:
    assert panel.registration_label.text().startswith("● Direct calls to 127.0.0.1:")
    caller = Sipp(
        "uac_caller_id",
        tmp_path,
        remote=panel.phone.local_address,
        fields=["王先生", "13800138000"],
    )
    try:
        qtbot.waitUntil(panel.answer_button.isEnabled, timeout=WAIT_MS)
        assert rows(panel) == ["↓ 王先生 13800138000 · Ringing — incoming call"]
        assert panel.reject_button.isEnabled()
        assert not panel.hold_button.isEnabled()
        click(qtbot, panel.answer_button)
        qtbot.waitUntil(lambda: "Talking 0:0" in rows(panel)[0], timeout=WAIT_MS)
        assert panel.hold_button.isEnabled()
        assert panel.mute_button.isEnabled()
        finish(qtbot, caller)
        qtbot.waitUntil(lambda: "Ended:" in rows(panel)[0], timeout=WAIT_MS)
        assert not panel.hangup_button.isEnabled()
    finally:
        caller.stop()


def test_an_outgoing_call_is_held_resumed_muted_and_hung_up_from_the_buttons(
    qtbot: QtBot, panel: PhonePanel, tmp_path: Path
) -> None:
    far = Sipp("uas_hold", tmp_path)
    try:
        far.wait_bound()
        qtbot.keyClicks(panel.number_edit, f"sip:13800138000@{far.address}")
        click(qtbot, panel.call_button)
        assert panel.number_edit.text() == ""
        qtbot.waitUntil(lambda: "Talking" in rows(panel)[0], timeout=WAIT_MS)
        assert rows(panel)[0].startswith("↑ 13800138000")
        media: list[CallInfo] = []
        panel.phone.call_media_changed.connect(media.append)
        click(qtbot, panel.hold_button)
        qtbot.waitUntil(lambda: "On hold" in rows(panel)[0], timeout=WAIT_MS)
        assert panel.hold_button.text() == "Resume"
        # The hold's SDP answer arrived (and our ACK left): SIPp expects the resume after it.
        qtbot.waitUntil(
            lambda: any(m.state == CallState.HELD and not m.media_active for m in media),
            timeout=WAIT_MS,
        )
        held = len(media)
        click(qtbot, panel.hold_button)
        qtbot.waitUntil(lambda: "Talking" in rows(panel)[0], timeout=WAIT_MS)
        # The resume's answer arrived: our BYE must not cross the re-INVITE.
        qtbot.waitUntil(
            lambda: any(m.state == CallState.CONNECTED and m.media_active for m in media[held:]),
            timeout=WAIT_MS,
        )
        click(qtbot, panel.mute_button)
        qtbot.waitUntil(lambda: "muted" in rows(panel)[0], timeout=WAIT_MS)
        assert panel.mute_button.isChecked()
        click(qtbot, panel.hangup_button)
        finish(qtbot, far)  # SIPp checked sendonly, then sendrecv, then got our BYE
    finally:
        far.stop()


def test_keypad_sends_tones_on_a_call_and_the_transfer_dialog_refers_it(
    qtbot: QtBot, panel: PhonePanel, tmp_path: Path
) -> None:
    far = Sipp("uas_keys_refer", tmp_path, trace=True)
    try:
        far.wait_bound()
        panel.number_edit.setText(f"sip:4000@{far.address}")
        click(qtbot, panel.call_button)
        qtbot.waitUntil(lambda: "Talking" in rows(panel)[0], timeout=WAIT_MS)
        click(qtbot, panel.key_buttons["7"])  # on a call: a tone, not a typed digit
        assert panel.number_edit.text() == ""

        # SIPp answers the tone's INFO before it takes the REFER.
        qtbot.waitUntil(lambda: far.sent("SIP/2.0 200", "INFO"), timeout=WAIT_MS)
        looks: list[None] = []

        def fill_in_dialog() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, QInputDialog):  # not open yet: look again (bounded)
                looks.append(None)
                if len(looks) < 1000:
                    QTimer.singleShot(10, fill_in_dialog)
                return
            dialog.findChild(QLineEdit).setText("5000")  # type: ignore[union-attr]
            dialog.accept()

        QTimer.singleShot(0, fill_in_dialog)
        click(qtbot, panel.transfer_button)
        qtbot.waitUntil(
            lambda: panel.message_label.text() == "Transfer completed.", timeout=WAIT_MS
        )
        finish(qtbot, far)  # SIPp checked Signal=7, Refer-To 5000, and our BYE after NOTIFY
    finally:
        far.stop()


def test_a_busy_line_is_explained_and_keys_type_when_idle(
    qtbot: QtBot, panel: PhonePanel, tmp_path: Path
) -> None:
    click(qtbot, panel.call_button)  # nothing typed
    assert panel.message_label.text() == "Enter a number to call."
    for key in "800":
        click(qtbot, panel.key_buttons[key])
    assert panel.number_edit.text() == "800"
    far = Sipp("uas_486", tmp_path)
    try:
        far.wait_bound()
        panel.number_edit.setText(f"sip:800@{far.address}")
        click(qtbot, panel.call_button)
        qtbot.waitUntil(lambda: "Ended: busy (486)" in rows(panel)[0], timeout=WAIT_MS)
        finish(qtbot, far)
    finally:
        far.stop()


def test_attended_transfer_joins_the_held_caller_to_the_consulted_party(
    qtbot: QtBot, panel: PhonePanel, tmp_path: Path
) -> None:
    customer = Sipp("uas_refer_replaces", tmp_path)
    expert = Sipp("uas", tmp_path)
    try:
        customer.wait_bound()
        expert.wait_bound()
        phone = panel.phone
        first = phone.dial(f"sip:13800138000@{customer.address}")
        qtbot.waitUntil(lambda: phone.active_call() is not None, timeout=WAIT_MS)
        phone.hold(first.call_id)
        qtbot.waitUntil(  # the hold's SDP answer arrived: the customer's SIPp moves on to REFER
            lambda: (c := phone.call(first.call_id)) is not None and not c.media_active,
            timeout=WAIT_MS,
        )
        consult = phone.dial(f"sip:2001@{expert.address}")
        qtbot.waitUntil(
            lambda: (c := phone.call(consult.call_id)) is not None and c.state.value == "connected",
            timeout=WAIT_MS,
        )
        qtbot.waitUntil(panel.join_button.isEnabled, timeout=WAIT_MS)
        click(qtbot, panel.join_button)
        qtbot.waitUntil(
            lambda: panel.message_label.text() == "Transfer completed.", timeout=WAIT_MS
        )
        finish(qtbot, customer)  # REFER carried Replaces; NOTIFY 200; then our BYE
        phone.hangup(consult.call_id)  # here the expert's phone would end it after Replaces
        finish(qtbot, expert)
    finally:
        customer.stop()
        expert.stop()


def test_an_incoming_call_rings_until_answered(
    qtbot: QtBot, panel: PhonePanel, tmp_path: Path
) -> None:
    ringer = Ringer(panel.phone)
    caller = Sipp(
        "uac_caller_id",
        tmp_path,
        remote=panel.phone.local_address,
        fields=["王先生", "13800138000"],
    )
    try:
        qtbot.waitUntil(lambda: ringer.ringing, timeout=WAIT_MS)
        click(qtbot, panel.answer_button)
        qtbot.waitUntil(lambda: not ringer.ringing, timeout=WAIT_MS)
        finish(qtbot, caller)
        assert not ringer.ringing
    finally:
        caller.stop()


def test_a_redial_that_connects_while_the_last_call_is_still_listed_is_selected(
    qtbot: QtBot, panel: PhonePanel, tmp_path: Path
) -> None:
    """Issue 24: the ended call stays listed (and was still selected) for 4 s; a redial that
    connected in that window left Hold, Hang up and Transfer greyed out until a click."""
    far = Sipp("uas", tmp_path, calls=2)
    try:
        far.wait_bound()
        qtbot.keyClicks(panel.number_edit, f"sip:13800138000@{far.address}")
        click(qtbot, panel.call_button)
        qtbot.waitUntil(lambda: "Talking" in rows(panel)[0], timeout=WAIT_MS)
        first = panel.selected()
        assert first is not None
        click(qtbot, panel.hangup_button)
        qtbot.waitUntil(lambda: "Ended:" in rows(panel)[0], timeout=WAIT_MS)
        qtbot.keyClicks(panel.number_edit, f"sip:13800138000@{far.address}")
        click(qtbot, panel.call_button)
        qtbot.waitUntil(
            lambda: len(rows(panel)) == 2 and "Talking" in rows(panel)[1],
            timeout=WAIT_MS,
        )
        assert "Ended:" in rows(panel)[0]  # the first call is still listed: inside the window
        selected = panel.selected()
        assert selected is not None
        assert selected.call_id != first.call_id
        assert selected.state == CallState.CONNECTED
        assert panel.hold_button.isEnabled()
        assert panel.hangup_button.isEnabled()
        assert panel.transfer_button.isEnabled()
        # When the listed ended call is forgotten, the live one stays selected.
        qtbot.waitUntil(lambda: len(rows(panel)) == 1, timeout=WAIT_MS)
        assert panel.hold_button.isEnabled()
        click(qtbot, panel.hangup_button)
        finish(qtbot, far)
    finally:
        far.stop()
