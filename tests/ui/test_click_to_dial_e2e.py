"""End to end: click-to-dial from the real desk through the site's dial plan. The 360's
contact "陈建国 +861065295114 ext. 2301" is double-clicked on a desk in Beijing behind a PBX
whose outside line is 9: SIPp (the far office) gets ``INVITE sip:965295114@…``, answers, and
receives the extension 2, 3, 0, 1 as DTMF (SIP INFO) — not ``…ext.2301@…`` in the URI. The
keypad and the other panels' numbers (callbacks, dispatch, a lead's "call the customer")
take the same path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.ui.panels.phone_panel import PhonePanel
from softphone import CallState, DtmfMethod, PhoneConfig
from softphone.dial_plan import DialPlan
from tests.fakes.sipp import Sipp
from tests.sip.conftest import finish
from tests.ui.conftest import LiveDesk

pytestmark = pytest.mark.slow
TIMEOUT_MS = 15_000
SITE = DialPlan(area_code="10", outside_line="9")


def received_invites(sipp: Sipp) -> list[str]:
    """The request lines of the INVITEs SIPp (started with trace=True) received."""
    try:
        log = sipp.messages.read_text(errors="replace")
    except FileNotFoundError:
        return []
    lines = []
    for block in log.split("-----------------------------------------------")[1:]:
        head, _, message = block.partition("\n\n")
        first = message.strip().splitlines()[:1]
        if "message received" in head and first and first[0].startswith("INVITE "):
            lines.append(first[0])
    return lines


def desk_dialling_into(make_live_desk: Callable[..., LiveDesk], far: Sipp) -> LiveDesk:
    config = PhoneConfig(bind_address="127.0.0.1", domain=far.address, dtmf=DtmfMethod.SIP_INFO)
    return make_live_desk(phone_config=config, dial_plan=SITE, phone_panel=True)


def test_a_contact_with_an_extension_is_dialled_then_the_extension_sent_as_keys(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk], tmp_path: Path
) -> None:
    far = Sipp("uas_extension", tmp_path, trace=True)
    try:
        far.wait_bound()
        rig, phone, _agent = desk_dialling_into(make_live_desk, far)
        panel = rig.window.customer_panel
        found = rig.api("GET", "/customers/lookup?phone=%2B8613800138000")
        assert isinstance(found, list)
        panel.customer_chosen.emit(found[0]["id"])  # the agent opens 北京协和医院's 360
        table = panel.contacts_table

        def contact_row() -> int:
            for row in range(table.rowCount()):
                item = table.item(row, 1)
                if item is not None and item.text() == "陈建国":
                    return row
            return -1

        qtbot.waitUntil(lambda: contact_row() >= 0, timeout=TIMEOUT_MS)
        assert "ext. 2301" in table.item(contact_row(), 2).text()  # type: ignore[union-attr]
        table.cellDoubleClicked.emit(contact_row(), 2)

        qtbot.waitUntil(lambda: bool(received_invites(far)), timeout=TIMEOUT_MS)
        assert received_invites(far)[0].startswith("INVITE sip:965295114@")
        calls = phone.calls()
        assert len(calls) == 1
        qtbot.waitUntil(
            lambda: (
                (c := phone.call(calls[0].call_id)) is not None and c.state == CallState.CONNECTED
            ),
            timeout=TIMEOUT_MS,
        )
        # SIPp checks each INFO's Signal in order (2, 3, 0, 1) and answers it 200.
        qtbot.waitUntil(
            lambda: far.messages.exists() and far.messages.read_text().count("Signal=") >= 4,
            timeout=TIMEOUT_MS,
        )
        phone.hangup(calls[0].call_id)
        finish(qtbot, far)  # every INFO matched its digit, then our BYE
    finally:
        far.stop()


def test_the_keypad_and_the_callbacks_list_dial_through_the_plan(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk], tmp_path: Path
) -> None:
    far = Sipp("uas", tmp_path, trace=True, calls=2)
    try:
        far.wait_bound()
        rig, phone, _agent = desk_dialling_into(make_live_desk, far)
        keypad = rig.window.phone_panel
        assert isinstance(keypad, PhonePanel)
        keypad.number_edit.setText("+86 138 0013 8000")
        keypad.call_button.click()
        qtbot.waitUntil(lambda: len(received_invites(far)) == 1, timeout=TIMEOUT_MS)
        assert received_invites(far)[0].startswith("INVITE sip:913800138000@")
        first = phone.calls()[0]
        qtbot.waitUntil(
            lambda: (c := phone.call(first.call_id)) is not None and c.state == CallState.CONNECTED,
            timeout=TIMEOUT_MS,
        )
        phone.hangup(first.call_id)
        qtbot.waitUntil(lambda: phone.calls() == [], timeout=TIMEOUT_MS)
        work_desk = rig.window.work_desk
        assert work_desk is not None
        # The callbacks list's "call back" (dispatch, the 360 and the board emit the same).
        work_desk.callbacks.dial_requested.emit("+862165295114")
        qtbot.waitUntil(lambda: len(received_invites(far)) == 2, timeout=TIMEOUT_MS)
        assert received_invites(far)[1].startswith("INVITE sip:902165295114@")
        second = phone.calls()[0]
        qtbot.waitUntil(
            lambda: (
                (c := phone.call(second.call_id)) is not None and c.state == CallState.CONNECTED
            ),
            timeout=TIMEOUT_MS,
        )
        phone.hangup(second.call_id)
        finish(qtbot, far)
    finally:
        far.stop()
