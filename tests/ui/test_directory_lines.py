"""Extensions outside the product in the colleague directory: their line as the phone engine
reports it (dialog events; the engine's side against Kamailio is
``tests/sip/test_lines_kamailio.py``), "presence not available" when the PBX does not offer
it, search, and one press to consult or blind-transfer to them. The phone and the server are
stand-ins (``test_directory_service``'s)."""

from __future__ import annotations

from typing import cast

from pytestqt.qtbot import QtBot

from agent_desktop.services.directory import DirectoryService
from agent_desktop.services.outside_lines import OutsideLine
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.dialogs.directory_dialog import DirectoryDialog
from softphone import CallDirection, CallInfo, CallState, LineInfo, LineState, Phone
from sync.contract.directory import DirectoryOut
from tests.ui.test_directory_service import FakePhone, FakeSync, Source

OUTSIDE = (OutsideLine("8001", "前台 Reception"), OutsideLine("8002", "Engineer on call"))


def make(
    qtbot: QtBot, known: list[LineInfo] | None = None
) -> tuple[DirectoryService, FakePhone, DirectoryDialog]:
    source = Source()
    source.answers = [DirectoryOut(colleagues=[], queues=[])]
    phone = FakePhone()
    phone.known_lines = known or []
    service = DirectoryService(
        cast(SyncService, FakeSync()),
        TaskRunner(),
        cast(Phone, phone),
        source=source,
        outside=OUTSIDE,
    )
    dialog = DirectoryDialog(service)
    qtbot.addWidget(dialog)
    return service, phone, dialog


def rows(dialog: DirectoryDialog) -> list[str]:
    return [dialog.outside_list.item(r).text() for r in range(dialog.outside_list.count())]


def test_the_lines_follow_the_engine_and_a_refusal_is_said_not_guessed(qtbot: QtBot) -> None:
    service, phone, dialog = make(qtbot)
    # Not signed in: the PBX's extensions are listed all the same, unknown until reported.
    assert not service.active
    assert rows(dialog) == [
        "● 前台 Reception · ext. 8001 · Line state unknown",
        "● Engineer on call · ext. 8002 · Line state unknown",
    ]
    for state, text in [
        (LineState.IDLE, "Idle"),
        (LineState.RINGING, "Ringing"),
        (LineState.BUSY, "On a call"),
        (LineState.IDLE, "Idle"),
    ]:
        phone.line_state_changed.emit(LineInfo("8001", state))
        assert rows(dialog)[0].endswith(f"· {text}")
    phone.line_state_changed.emit(LineInfo("8002", LineState.NOT_OFFERED, 489, "Bad Event"))
    refused = dialog.outside_list.item(1)
    assert refused.text().endswith("· Presence not available")
    assert "SIP 489" in refused.toolTip()
    phone.line_state_changed.emit(LineInfo("9999", LineState.BUSY))  # not configured: ignored
    assert len(rows(dialog)) == 2
    # The engine restarted: what it said is no longer known.
    phone.line_state_changed.emit(LineInfo("8001", LineState.UNKNOWN))
    assert rows(dialog)[0].endswith("· Line state unknown")


def test_lines_reported_before_the_directory_opened_are_shown(qtbot: QtBot) -> None:
    _service, _phone, dialog = make(qtbot, [LineInfo("8002", LineState.BUSY)])
    assert rows(dialog)[1].endswith("· On a call")


def test_searched_and_transferred_to_in_one_press(qtbot: QtBot) -> None:
    service, phone, dialog = make(qtbot)
    qtbot.keyClicks(dialog.search_edit, "engineer")
    assert rows(dialog) == ["● Engineer on call · ext. 8002 · Line state unknown"]
    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, "8001")
    assert [line.extension for line in service.outside_lines("8001")] == ["8001"]
    assert len(rows(dialog)) == 1
    assert dialog.outside_list.currentRow() == 0  # no colleague matches: the line is chosen
    assert not dialog.blind_button.isEnabled()  # no call to transfer yet

    phone.live = [CallInfo(5, CallDirection.INBOUND, CallState.CONNECTED, "sip:c@h", "138")]
    phone.call_state_changed.emit(phone.live[0])
    assert dialog.blind_button.isEnabled()
    dialog.blind_button.click()
    assert phone.done[-1] == ("blind", 5, "8001", "")

    dialog.outside_list.setCurrentRow(0)
    dialog.consult_button.click()
    assert phone.done[-2:] == [("hold", 5), ("dial", "8001", None)]
    assert service.consulting is not None
    assert service.consulting.name == "前台 Reception"
