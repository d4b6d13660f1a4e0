"""Leaving the desk honestly (issue 26): the real ``Workstation`` signed in to the real backend
over HTTP (its real SQLite cache), its phone registered at Kamailio, a customer played by SIPp.
Quitting (``Workstation.shutdown``, where the menu's Quit, the window closed and SIGTERM/SIGINT
all end) or signing out during a ring, a call or a wrap-up: the customer is declined (603) or
hung up on (BYE), the server holds exactly one interaction for the call (with the notes typed
so far), shows the agent Logged out, and Kamailio's location table no longer has the desk.
With the backend unreachable at quit, the next start pushes what the outbox kept."""

from __future__ import annotations

import logging
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from pytestqt.qtbot import QtBot

from server_stub.models import InteractionRow
from sync.contract.desk import ENDED_BY_SIGN_OUT
from sync.contract.records import AgentState
from tests.fakes import signing_in_desk
from tests.fakes.leaving_desk import (
    AGENT,
    CALLER,
    DESK,
    Site,
    open_site,
    ready,
    ringing,
    talking,
)
from tests.fakes.ports import free_udp_port
from tests.fakes.sipp import Sipp
from tests.fakes.waiting import wait_until
from tests.sync.conftest import login

pytestmark = pytest.mark.slow
WAIT_MS = 20_000
log = logging.getLogger(__name__)


@pytest.fixture
def site(qtbot: QtBot, tmp_path: Path) -> Iterator[Site]:
    with open_site(tmp_path) as site:
        yield site


def left_honestly(qtbot: QtBot, site: Site, caller: Sipp, notes: str = "") -> InteractionRow:
    """The customer's SIPp got what it waited for (603 or BYE), the desk is gone from the
    registrar, the agent is Logged out, and the call has exactly one interaction."""
    qtbot.waitUntil(lambda: caller.finished, timeout=WAIT_MS)
    assert caller.process.returncode == 0, caller.report()
    assert site.pbx.contacts(DESK) == []
    # The desk's last push may land a moment after its un-REGISTER: both run at once.
    qtbot.waitUntil(lambda: site.presence() == "logged_out", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(site.interactions()) > 0, timeout=WAIT_MS)
    [written] = site.interactions()
    assert written.notes == notes
    return written


def test_quit_during_a_ring_declines_the_call_and_logs_the_agent_out(
    qtbot: QtBot, site: Site
) -> None:
    desk = site.desk()
    ready(site, desk)
    caller = site.customer("uac_declined", desk)
    ringing(desk)
    desk.shutdown()  # what Quit, the window's close and SIGTERM end in
    written = left_honestly(qtbot, site, caller)
    assert written.answered_at is None
    assert written.disposition == ENDED_BY_SIGN_OUT


def test_quit_during_a_call_hangs_up_and_writes_the_call(qtbot: QtBot, site: Site) -> None:
    desk = site.desk()
    ready(site, desk)
    caller = site.customer("uac_hung_up", desk)
    talking(site, desk)
    desk.shutdown()
    written = left_honestly(qtbot, site, caller)
    assert written.answered_at is not None
    assert written.disposition == ENDED_BY_SIGN_OUT


def test_quit_during_a_wrap_up_keeps_the_notes_typed(qtbot: QtBot, site: Site) -> None:
    desk = site.desk()
    ready(site, desk)
    caller = site.customer("uac_queue", desk)  # talks 1.5 s, then hangs up
    talking(site, desk)
    panel = desk.main_window.customer_panel
    qtbot.waitUntil(panel.wrap_notes.isVisible, timeout=WAIT_MS)
    panel.wrap_notes.insertPlainText("客户明天再打来")  # as typed: textChanged, the draft
    desk.shutdown()
    written = left_honestly(qtbot, site, caller, notes="客户明天再打来")
    assert written.disposition == ENDED_BY_SIGN_OUT  # none was chosen
    assert written.talk_s >= 1


def test_sign_out_during_a_call_hangs_up_writes_it_and_unregisters(
    qtbot: QtBot, site: Site
) -> None:
    desk = site.desk()
    ready(site, desk)
    caller = site.customer("uac_hung_up", desk)
    talking(site, desk)
    desk.session.sign_out()
    qtbot.waitUntil(lambda: bool(site.interactions()), timeout=WAIT_MS)
    written = left_honestly(qtbot, site, caller)
    assert written.disposition == ENDED_BY_SIGN_OUT
    desk.shutdown()  # quit after the sign-out: nothing written twice
    assert len(site.interactions()) == 1
    assert site.presence() == "logged_out"


def test_the_leads_log_out_during_a_call_signs_the_desk_out_now(qtbot: QtBot, site: Site) -> None:
    desk = site.desk(direct=True)  # the lead's order comes on the event stream
    ready(site, desk)
    qtbot.waitUntil(lambda: desk.sync.stream is not None, timeout=WAIT_MS)
    caller = site.customer("uac_hung_up", desk)
    talking(site, desk)
    lead = login(site.backend.url, "zhangwei")  # wangfang's team lead
    agent_id = desk.session.grant.user.id if desk.session.grant else 0
    answer = requests.post(
        f"{site.backend.url}/api/v1/presence/{agent_id}/command",
        json={"state": "logged_out"},
        headers={"Authorization": f"Bearer {lead}"},
        timeout=10,
    )
    assert answer.status_code == 202, answer.text
    qtbot.waitUntil(lambda: desk.session.grant is None, timeout=WAIT_MS)  # not after the call
    qtbot.waitUntil(lambda: bool(site.interactions()), timeout=WAIT_MS)
    written = left_honestly(qtbot, site, caller)
    assert written.disposition == ENDED_BY_SIGN_OUT
    assert desk.login_dialog is not None  # the agent (or the next one) signs in again


def test_quit_offline_the_next_start_pushes_the_call_and_logged_out_first(
    qtbot: QtBot, site: Site
) -> None:
    desk = site.desk()
    ready(site, desk)
    caller = site.customer("uac_hung_up", desk)
    talking(site, desk)
    site.proxy.mode = "down"  # the server is out of reach as the agent quits
    desk.shutdown()
    qtbot.waitUntil(lambda: caller.finished, timeout=WAIT_MS)
    assert caller.process.returncode == 0, caller.report()  # the BYE needs no server
    assert site.pbx.contacts(DESK) == []
    assert site.interactions() == []
    assert site.presence() == "on_call"  # all the server knows, until the desk is back

    site.proxy.mode = "pass"
    again = site.desk()  # the same profile: the same cache and its outbox
    qtbot.waitUntil(lambda: len(site.interactions()) == 1, timeout=WAIT_MS)
    [written] = site.interactions()
    assert written.disposition == ENDED_BY_SIGN_OUT
    # The stale Logged out went first (the outbox is in order), the new sign-in's state after.
    qtbot.waitUntil(lambda: again.agent_state.status.state == AgentState.NOT_READY, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: site.presence() == "not_ready", timeout=WAIT_MS)
    assert site.presence_history()[-3:] == ["on_call", "logged_out", "not_ready"]


# Its own budget: the app's whole start may take 120 s on a loaded machine (below), then the
# call and the quit; the suite's 120 s per test would cut the start's own wait short, and with
# it the message that says what the app was doing.
@pytest.mark.timeout(240)
def test_sigterm_during_a_call_the_real_app_leaves_honestly(
    qtbot: QtBot, site: Site, tmp_path: Path
) -> None:
    """The real app (``python -m agent_desktop`` through ``signing_in_desk``), auto-answer on,
    told to quit by SIGTERM (a logout, IT's kill) mid-call: its own quit path, end to end."""
    port = free_udp_port()
    config = tmp_path / "user.toml"
    config.write_text(
        f"""[phone]
user = "{DESK}"
domain = "{site.pbx.domain}"
registrar = "sip:{site.pbx.address}"
bind_address = "127.0.0.1"
port = {port}
auto_answer = true
""",
        encoding="utf-8",
    )
    command = signing_in_desk.command(
        tmp_path / "app", site.backend.url, AGENT, config=config, extra=("--lang", "en")
    )
    errors = tmp_path / "app-stderr.txt"  # a file: a full pipe would stop the app mid-start
    with errors.open("w") as sink:
        app = subprocess.Popen(
            command,
            cwd=signing_in_desk.ROOT,
            env=signing_in_desk.environment(),
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
    try:

        def signed_in() -> bool:
            assert app.poll() is None, f"the app exited: {errors.read_text()[-2000:]}"
            return bool(site.pbx.contacts(DESK)) and site.presence() == "not_ready"

        wait_until(
            signed_in,
            120,  # a whole start of the app, on a loaded 2-core machine
            lambda: (
                f"the app signed in ({site.presence()!r}) and its phone registered "
                f"({site.pbx.contacts(DESK)}); the app said: {errors.read_text()[-3000:]}"
            ),
        )
        caller = Sipp("uac_hung_up", tmp_path, remote=f"127.0.0.1:{port}", fields=["客户", CALLER])
        site.customers.append(caller)
        wait_until(lambda: site.presence() == "on_call", 30, "the app answered by itself")
        began = time.monotonic()
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)
        log.warning("SIGTERM to exit mid-call: %.1f s", time.monotonic() - began)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(timeout=10)
    stderr = errors.read_text(errors="replace")
    assert app.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]
    written = left_honestly(qtbot, site, caller)
    assert written.answered_at is not None
    assert written.disposition == ENDED_BY_SIGN_OUT
