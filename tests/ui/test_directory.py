"""The colleague directory on a desk signed in to the real backend: the team with live
presence, search by name, extension or skill, keyboard use; and (slow) consult and blind
transfer of a real call with the warm note arriving in the colleague's INVITE, and a note that
comes with a call shown next to the caller.

The colleague's desk is a pjsua2 peer in its own process (two pjsua2 Endpoints cannot live in
one process) whose address the colleague's presence reports, as a signed-in desk's does.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agent_desktop.services.directory import DirectoryService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.dialogs.directory_dialog import DirectoryDialog
from agent_desktop.ui.panels.phone_panel import PhonePanel
from softphone import NOTE_HEADER, CallInfo, CallState, Phone, encode_note
from tests.fakes.gui_thread import OffThreadEmits
from tests.fakes.peers import listening_peer, peer, read_lines
from tests.ui.conftest import LiveDesk

NOTE = "王先生的输液泵报警 E-12，已重启两次 — please check the pressure sensor"


@pytest.fixture
def directory_desk(
    qtbot: QtBot,
    live_desk: LiveDesk,
    tasks: TaskRunner,
    gui_thread: OffThreadEmits,
) -> Iterator[tuple[LiveDesk, DirectoryService, DirectoryDialog]]:
    rig, phone, _agent = live_desk
    service = DirectoryService(rig.sync, tasks, phone)
    gui_thread.watch(service)
    rig.window.attach_directory(service)
    service.start()
    qtbot.waitUntil(lambda: service.loaded, timeout=10_000)
    rig.window.open_directory()
    dialog = rig.window.directory_dialog
    assert dialog is not None
    yield live_desk, service, dialog
    dialog.close()
    service.stop()


def names(dialog: DirectoryDialog) -> list[str]:
    items = [dialog.colleague_list.item(r).text() for r in range(dialog.colleague_list.count())]
    return [text.removeprefix("● ").split(" · ")[0] for text in items]


def row_of(dialog: DirectoryDialog, name: str) -> str:
    for r in range(dialog.colleague_list.count()):
        text = dialog.colleague_list.item(r).text()
        if text.removeprefix("● ").startswith(name):
            return text
    raise AssertionError(f"{name} is not listed: {names(dialog)}")


def test_the_team_is_listed_with_presence_and_searched_by_name_extension_and_skill(
    qtbot: QtBot, directory_desk: tuple[LiveDesk, DirectoryService, DirectoryDialog]
) -> None:
    (rig, _phone, _agent), _service, dialog = directory_desk
    assert sorted(names(dialog)) == sorted(["Alice Chen", "张伟", "陈杰 (二线专家)"])
    assert "Offline" in row_of(dialog, "Alice Chen")
    queues = [dialog.queue_list.item(r).text() for r in range(dialog.queue_list.count())]
    assert any("6001" in q and "waiting" in q for q in queues)  # her team's line, with its count
    assert any("6002" in q and "waiting" not in q for q in queues)  # another team's: no count
    qtbot.keyClicks(dialog.search_edit, "8101")
    assert names(dialog) == ["陈杰 (二线专家)"]
    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, "MEDICAL-EN")  # a skill, case-blind
    assert names(dialog) == ["Alice Chen"]
    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, "alice")
    assert names(dialog) == ["Alice Chen"]
    # Live: Alice signs in elsewhere; the event stream brings her presence within moments.
    rig.api("PUT", "/presence/me", "alice", json={"state": "ready", "sip_uri": ""})
    qtbot.waitUntil(lambda: "Ready" in row_of(dialog, "Alice Chen"), timeout=10_000)
    rig.api("PUT", "/presence/me", "alice", json={"state": "not_ready", "reason": "午餐"})
    qtbot.waitUntil(lambda: "Not ready (午餐)" in row_of(dialog, "Alice Chen"), timeout=10_000)
    dialog.search_edit.clear()
    assert names(dialog)[-1] != "Alice Chen" or len(names(dialog)) == 1


def test_without_a_call_nothing_can_be_transferred_and_the_keyboard_says_so(
    qtbot: QtBot, directory_desk: tuple[LiveDesk, DirectoryService, DirectoryDialog]
) -> None:
    _desk, _service, dialog = directory_desk
    assert not dialog.consult_button.isEnabled()
    assert not dialog.blind_button.isEnabled()
    qtbot.keyClicks(dialog.search_edit, "8001")  # QTest types ASCII only: 张伟's extension
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    assert dialog.message_label.text() == "There is no call to transfer."


# -- with real calls (pjsua2 here, peers in their own processes) ---------------------------------


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.kill()
        process.wait(timeout=10)


def colleague_desk(
    rig_api: Callable[..., object], started: list[subprocess.Popen[str]]
) -> tuple[subprocess.Popen[str], list[str]]:
    """Alice's desk: a peer that answers, whose address her presence reports."""
    process, address = listening_peer("--number", "alice", "--talk-s", "3")
    started.append(process)
    lines, _ = read_lines(process)
    rig_api("PUT", "/presence/me", "alice", json={"state": "ready",
                                                 "sip_uri": f"sip:alice@{address}"})  # fmt: skip
    return process, lines


def answered_customer(qtbot: QtBot, phone: Phone, started: list[subprocess.Popen[str]]) -> CallInfo:
    offered: list[CallInfo] = []
    phone.incoming_call.connect(offered.append)
    customer = peer(
        f"sip:agent@{phone.local_address}",
        "--number", "13900000001", "--accept-transfer", "--talk-s", "8",
    )  # fmt: skip
    started.append(customer)
    qtbot.waitUntil(lambda: bool(offered), timeout=10_000)
    phone.answer(offered[0].call_id)
    qtbot.waitUntil(
        lambda: (
            (c := phone.call(offered[0].call_id)) is not None and c.state == CallState.CONNECTED
        ),
        timeout=10_000,
    )
    return offered[0]


def choose_alice(qtbot: QtBot, dialog: DirectoryDialog) -> None:
    qtbot.waitUntil(lambda: "Ready" in row_of(dialog, "Alice Chen"), timeout=10_000)
    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, "alice")
    qtbot.waitUntil(dialog.consult_button.isEnabled, timeout=5000)
    dialog.note_edit.setText(NOTE)  # QTest cannot type Chinese (an input method does)


@pytest.mark.slow
def test_a_consult_carries_the_note_to_the_colleague_and_completes(
    qtbot: QtBot,
    directory_desk: tuple[LiveDesk, DirectoryService, DirectoryDialog],
    processes: list[subprocess.Popen[str]],
) -> None:
    (rig, phone, _agent), service, dialog = directory_desk
    _alice, heard = colleague_desk(rig.api, processes)
    call = answered_customer(qtbot, phone, processes)
    choose_alice(qtbot, dialog)
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)  # Enter: consult
    qtbot.waitUntil(lambda: f"NOTE {NOTE}" in heard, timeout=10_000)  # in Alice's INVITE
    qtbot.waitUntil(lambda: any(line.startswith("CONNECTED") for line in heard), timeout=10_000)
    assert phone.call(call.call_id).state == CallState.HELD  # type: ignore[union-attr]
    consult = service.consulting
    assert consult is not None
    assert phone.call(consult.consult_call_id).note == NOTE  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: (
            (c := phone.call(consult.consult_call_id)) is not None
            and c.state == CallState.CONNECTED
        ),
        timeout=10_000,
    )
    qtbot.waitUntil(dialog.complete_button.isEnabled, timeout=5000)
    qtbot.mouseClick(dialog.complete_button, Qt.MouseButton.LeftButton)
    # The caller meets Alice; the agent's desk is out of both calls.
    qtbot.waitUntil(lambda: not phone.calls(), timeout=15_000)
    qtbot.waitUntil(lambda: service.consulting is None, timeout=5000)


@pytest.mark.slow
def test_a_blind_transfer_carries_the_note_in_the_refer_to_the_colleague(
    qtbot: QtBot,
    directory_desk: tuple[LiveDesk, DirectoryService, DirectoryDialog],
    processes: list[subprocess.Popen[str]],
) -> None:
    (rig, phone, _agent), _service, dialog = directory_desk
    _alice, heard = colleague_desk(rig.api, processes)
    answered_customer(qtbot, phone, processes)
    choose_alice(qtbot, dialog)
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # The customer's phone followed the REFER and put the note in its INVITE to Alice.
    qtbot.waitUntil(lambda: f"NOTE {NOTE}" in heard, timeout=15_000)
    qtbot.waitUntil(lambda: "CONNECTED 13900000001" in heard, timeout=10_000)
    qtbot.waitUntil(lambda: not phone.calls(), timeout=15_000)


@pytest.mark.slow
def test_a_note_that_comes_with_a_call_is_shown_next_to_the_caller(
    qtbot: QtBot, live_desk: LiveDesk, processes: list[subprocess.Popen[str]]
) -> None:
    _rig, phone, _agent = live_desk
    panel = PhonePanel(phone)  # the live desk's window holds a placeholder
    qtbot.addWidget(panel)
    panel.show()
    offered: list[CallInfo] = []
    phone.incoming_call.connect(offered.append)
    hostile = "\x00\u202e" + NOTE + "\r\nInjected: header"
    from_colleague = peer(
        f"sip:agent@{phone.local_address}",
        "--number", "8101", "--name", "陈杰", "--ring-s", "20",
        "--header", f"{NOTE_HEADER}:{encode_note(NOTE)}",
    )  # fmt: skip
    processes.append(from_colleague)
    qtbot.waitUntil(lambda: bool(offered), timeout=10_000)
    assert offered[0].note == NOTE
    label = panel.note_label
    qtbot.waitUntil(label.isVisible, timeout=5000)
    assert label.text() == f"Note from your colleague: {NOTE}"
    row = panel.call_list.item(0).text()
    assert "8101" in row
    assert NOTE in row
    spoken = str(panel.call_list.item(0).data(Qt.ItemDataRole.AccessibleTextRole))
    assert spoken.startswith("Incoming call: 陈杰 8101 · Ringing")  # words, not "↓"
    assert NOTE in spoken
    # A header that is not a note (here raw text with control characters) shows nothing.
    not_a_note = peer(
        f"sip:agent@{phone.local_address}",
        "--number", "13900000002", "--ring-s", "20",
        "--header", f"{NOTE_HEADER}:{hostile.encode('unicode_escape').decode()}",
    )  # fmt: skip
    processes.append(not_a_note)
    qtbot.waitUntil(lambda: len(offered) == 2, timeout=10_000)
    assert offered[1].note == ""
