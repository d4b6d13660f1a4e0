"""Outside extensions' lines by SIP dialog events, against a real PBX (Debian's Kamailio with
its presence, presence_dialoginfo, pua_dialoginfo and dialog modules).

The desk's engine SUBSCRIBEs to extension 8001 (``PhoneConfig.watched_lines``). 8001 is a
real pjsua2 phone (its own engine) registered at Kamailio; a pjsua2 caller rings it through
Kamailio, 8001 answers, then hangs up: the desk's line goes ringing → busy → idle, from the
NOTIFYs Kamailio sends. A PBX that does not offer dialog events (489) is reported as such.
Then the desk's colleague directory (its real service and dialog on the real engine; the
server's colleague list is a stand-in) shows the line and blind-transfers a caller to 8001 in
one press: the lamp goes ringing, then on a call when 8001 answers the transferred caller.
"""

from __future__ import annotations

import logging
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.directory import DirectoryService
from agent_desktop.services.outside_lines import OutsideLine
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.dialogs.directory_dialog import DirectoryDialog
from softphone import CallState, LineInfo, LineState, Phone, PhoneConfig, RegistrationState
from sync.contract.directory import DirectoryOut
from tests.fakes.kamailio import Kamailio
from tests.fakes.peers import peer, read_lines
from tests.sip.conftest import Recorder
from tests.ui.test_directory_service import FakeSync, Source

pytestmark = pytest.mark.slow
WAIT_MS = 15_000
EXTENSION = "8001"
log = logging.getLogger(__name__)


def account(pbx: Kamailio, user: str, watched: tuple[str, ...] = ()) -> PhoneConfig:
    # The domain is the PBX's address: an extension is dialled (and watched) at it.
    return PhoneConfig(
        user=user,
        domain=pbx.address,
        registrar=f"sip:{pbx.address}",
        bind_address="127.0.0.1",
        watched_lines=watched,
    )


class Lines:
    """Every line state the desk's phone reported, in order."""

    def __init__(self, phone: Phone) -> None:
        self.seen: list[LineInfo] = []
        phone.line_state_changed.connect(self.seen.append)

    def states(self) -> list[LineState]:
        return [line.state for line in self.seen if line.extension == EXTENSION]

    def now(self) -> LineState | None:
        states = self.states()
        return states[-1] if states else None


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Kamailio]:
    pbx = Kamailio(tmp_path, dialog_events="serve")
    yield pbx
    pbx.stop()


def test_an_outside_extension_rings_talks_and_hangs_up_and_the_desk_follows(
    qtbot: QtBot, serving: Kamailio
) -> None:
    pbx = serving
    desk, extension = Phone(), Phone()
    lines = Lines(desk)
    at_extension = Recorder(extension)
    registered: list[RegistrationState] = []
    extension.registration_changed.connect(lambda info: registered.append(info.state))
    caller: subprocess.Popen[str] | None = None
    try:
        extension.start(account(pbx, EXTENSION))
        extension.wait_ready()
        qtbot.waitUntil(lambda: bool(pbx.contacts(EXTENSION)), timeout=WAIT_MS)
        desk.start(account(pbx, "agent1001", watched=(EXTENSION,)))
        desk.wait_ready()
        # Subscribed: Kamailio knows no call of 8001 yet, so its first NOTIFY says idle.
        qtbot.waitUntil(lambda: lines.now() is LineState.IDLE, timeout=WAIT_MS)
        assert desk.lines() == [LineInfo(EXTENSION, LineState.IDLE)]

        caller = peer(f"sip:{EXTENSION}@{pbx.address}", "--talk-s", "30", "--ring-s", "30")
        said, _ = read_lines(caller)
        qtbot.waitUntil(lambda: len(at_extension.incoming) == 1, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: lines.now() is LineState.RINGING, timeout=WAIT_MS)

        offered = at_extension.incoming[0]
        extension.answer(offered.call_id)
        qtbot.waitUntil(lambda: any(s.startswith("CONNECTED") for s in said), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: lines.now() is LineState.BUSY, timeout=WAIT_MS)

        extension.hangup(offered.call_id)
        qtbot.waitUntil(lambda: caller is not None and caller.poll() is not None, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: lines.now() is LineState.IDLE, timeout=WAIT_MS)
        # Each step was seen, in order (UNKNOWN first: subscribed, nothing notified yet).
        steps = [s for i, s in enumerate(lines.states()) if i == 0 or lines.states()[i - 1] != s]
        assert steps == [
            LineState.UNKNOWN,
            LineState.IDLE,
            LineState.RINGING,
            LineState.BUSY,
            LineState.IDLE,
        ], steps
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        raise
    finally:
        if caller is not None and caller.poll() is None:
            caller.kill()
            caller.wait()
        desk.stop()
        extension.stop()


def test_a_pbx_without_dialog_events_is_said_so(qtbot: QtBot, tmp_path: Path) -> None:
    pbx = Kamailio(tmp_path, dialog_events="refuse")
    desk = Phone()
    lines = Lines(desk)
    try:
        desk.start(account(pbx, "agent1001", watched=(EXTENSION,)))
        desk.wait_ready()
        qtbot.waitUntil(lambda: lines.now() is LineState.NOT_OFFERED, timeout=WAIT_MS)
        refused = desk.lines()[0]
        assert refused.status_code == 489, refused
        assert LineState.IDLE not in lines.states()  # never guessed
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        raise
    finally:
        desk.stop()
        pbx.stop()


def directory_of(qtbot: QtBot, desk: Phone) -> tuple[DirectoryService, DirectoryDialog]:
    """The desk's directory on its real phone, with 8001 configured as the reception desk."""
    source = Source()
    source.answers = [DirectoryOut(colleagues=[], queues=[])]
    service = DirectoryService(
        cast(SyncService, FakeSync()),
        TaskRunner(),
        desk,
        source=source,
        outside=[OutsideLine(EXTENSION, "前台 Reception")],
    )
    dialog = DirectoryDialog(service)
    qtbot.addWidget(dialog)
    return service, dialog


def test_the_directory_shows_the_line_and_transfers_a_caller_to_the_extension(
    qtbot: QtBot, serving: Kamailio
) -> None:
    pbx = serving
    desk, extension = Phone(), Phone()
    at_desk, at_extension = Recorder(desk), Recorder(extension)
    service, dialog = directory_of(qtbot, desk)

    def lamp() -> str:
        return dialog.outside_list.item(0).text() if dialog.outside_list.count() else ""

    caller: subprocess.Popen[str] | None = None
    try:
        extension.start(account(pbx, EXTENSION))
        extension.wait_ready()
        qtbot.waitUntil(lambda: bool(pbx.contacts(EXTENSION)), timeout=WAIT_MS)
        desk.start(account(pbx, "agent1001", watched=(EXTENSION,)))
        desk.wait_ready()
        qtbot.waitUntil(lambda: bool(pbx.contacts("agent1001")), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: lamp().endswith("· Idle"), timeout=WAIT_MS)

        # A customer rings the agent through the PBX; the agent answers.
        caller = peer(
            f"sip:agent1001@{pbx.address}",
            "--number", "13900000001", "--accept-transfer", "--talk-s", "30", "--ring-s", "30",
        )  # fmt: skip
        said, _ = read_lines(caller)
        qtbot.waitUntil(lambda: len(at_desk.incoming) == 1, timeout=WAIT_MS)
        desk.answer(at_desk.incoming[0].call_id)
        qtbot.waitUntil(lambda: service.call_to_transfer() is not None, timeout=WAIT_MS)

        # One press: the reception desk, blind transfer.
        dialog.outside_list.setCurrentRow(0)
        assert dialog.chosen() == (EXTENSION, "前台 Reception")
        assert dialog.blind_button.isEnabled()
        dialog.blind_button.click()
        qtbot.waitUntil(lambda: len(at_extension.incoming) == 1, timeout=WAIT_MS)
        assert at_extension.incoming[0].remote_number == "13900000001"
        qtbot.waitUntil(lambda: lamp().endswith("· Ringing"), timeout=WAIT_MS)

        extension.answer(at_extension.incoming[0].call_id)
        qtbot.waitUntil(lambda: lamp().endswith("· On a call"), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not desk.calls(), timeout=WAIT_MS)  # the agent is out of it
        connected = [s for s in said if s.startswith("CONNECTED")]
        assert len(connected) == 2, said  # the agent, then the reception desk
        extension.hangup(at_extension.incoming[0].call_id)
        qtbot.waitUntil(lambda: lamp().endswith("· Idle"), timeout=WAIT_MS)
        ended = at_extension.last(at_extension.incoming[0].call_id)
        assert ended is not None
        assert ended.state == CallState.ENDED
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        raise
    finally:
        if caller is not None and caller.poll() is None:
            caller.kill()
            caller.wait()
        dialog.close()
        desk.stop()
        extension.stop()


def test_a_pbx_that_never_answers_is_said_so_too(qtbot: QtBot) -> None:
    """No answer to the SUBSCRIBE at all (a PBX that drops it): after pjsip's transaction
    timeout (Timer B, 64 × T1 = 32 s; the wheel does not let T1 be set) the line is NOT_OFFERED
    with 408, never guessed meanwhile."""
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))  # reads nothing, answers nothing
    address = f"127.0.0.1:{silent.getsockname()[1]}"
    desk = Phone()
    lines = Lines(desk)
    try:
        desk.start(
            PhoneConfig(
                user="agent1001", domain=address, bind_address="127.0.0.1",
                watched_lines=(EXTENSION,),
            )
        )  # fmt: skip
        desk.wait_ready()
        qtbot.waitUntil(lambda: lines.now() is LineState.NOT_OFFERED, timeout=60_000)
        assert desk.lines()[0].status_code == 408
        assert set(lines.states()) == {LineState.UNKNOWN, LineState.NOT_OFFERED}
    finally:
        desk.stop()
        silent.close()


def test_after_an_engine_restart_the_line_is_unknown_then_reported_again(
    qtbot: QtBot, serving: Kamailio
) -> None:
    pbx = serving
    desk = Phone()
    lines = Lines(desk)
    try:
        desk.start(account(pbx, "agent1001", watched=(EXTENSION,)))
        desk.wait_ready()
        qtbot.waitUntil(lambda: lines.now() is LineState.IDLE, timeout=WAIT_MS)
        before = len(lines.seen)
        desk.kill_engine()  # SIGKILL: what it said of the line dies with it
        qtbot.waitUntil(lambda: desk.restarts == 1 and desk.running, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: lines.now() is LineState.IDLE, timeout=WAIT_MS)
        after = [line.state for line in lines.seen[before:]]
        assert after[0] is LineState.UNKNOWN, after  # never the dead engine's word
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        raise
    finally:
        desk.stop()
