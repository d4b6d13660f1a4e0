"""A signed-in desk killed with SIGKILL (a crash, a power cut) shows as lost on the lead's board
within the server's configured timeout: the wallboard route says Logged out, reason
lost_contact, and the lead's event stream carries the presence event the board applies. The
desk is its sync layer in a process of its own (``tests.fakes.alive_child``: the sync engine,
the event stream and the heartbeat, as a signed-in desk runs them) against the real backend
over HTTP. The same agent signing in again is Ready again."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.contract.alive import LOST_CONTACT
from sync.contract.events import payload_of
from sync.contract.wire import EventOut, PresenceOut
from sync.event_stream import EventStream
from tests.fakes import signing_in_desk
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until
from tests.sync.conftest import login

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 3.0
FLUSH_S = SWEEP_S = 0.5
# What the server promises (timeout + one flush + one sweep), plus the time the lead's GET
# and a loaded 2-core machine take.
BOUND_S = TIMEOUT_S + FLUSH_S + SWEEP_S
SLACK_S = 10.0


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(
        tmp_path / "lost.sqlite",
        presence_timeout_s=TIMEOUT_S,
        presence_flush_s=FLUSH_S,
        presence_sweep_s=SWEEP_S,
    )
    yield server
    server.stop()


def desk(url: str, user: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.alive_child", url, user, "ready"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # blocks until the child says so, or exits
    if line.strip() != "alive":
        process.kill()
        raise AssertionError(f"the desk did not start: {line!r} {process.stderr.read()!r}")
    return process


def board_presence(url: str, token: str, user_id: int) -> dict[str, Any]:
    board = requests.get(
        f"{url}/api/v1/wallboard", headers={"Authorization": f"Bearer {token}"}, timeout=10
    ).json()
    never = {"state": "logged_out", "reason": ""}  # no presence reported yet
    found: dict[str, Any] = next((p for p in board["presence"] if p["user_id"] == user_id), never)
    return found


def test_a_killed_desk_is_lost_on_the_board_within_the_timeout(backend: LiveBackend) -> None:
    lead = login(backend.url, "zhangwei")
    me = requests.get(
        f"{backend.url}/api/v1/me",
        headers={"Authorization": f"Bearer {login(backend.url, 'wangfang')}"},
        timeout=10,
    ).json()["user"]["id"]
    seen: list[PresenceOut] = []
    lock = threading.Lock()

    def on_event(event: EventOut) -> None:  # the lead's stream, as the lead's desk reads it
        payload = payload_of(event)
        if isinstance(payload, PresenceOut) and payload.user_id == me:
            with lock:
                seen.append(payload)

    stream = EventStream(backend.url, lead, on_event=on_event)
    stream.start()
    process = desk(backend.url, "wangfang")
    try:
        wait_until(lambda: board_presence(backend.url, lead, me)["state"] == "ready", 15, "Ready")
        os.kill(process.pid, signal.SIGKILL)
        killed = time.monotonic()
        process.wait(timeout=10)
        wait_until(
            lambda: board_presence(backend.url, lead, me)["reason"] == LOST_CONTACT,
            BOUND_S + SLACK_S,
            "the lead's board to show the killed desk lost",
        )
        took = time.monotonic() - killed
        print(f"lost on the board {took:.2f} s after SIGKILL (timeout {TIMEOUT_S:g} s)")  # noqa: T201
        # Not sooner than the timeout after its last heartbeat (at most an interval, a
        # quarter of the timeout, before the kill): a desk that is merely slow is not lost.
        assert took >= TIMEOUT_S * 3 / 4 - 0.1, took
        assert board_presence(backend.url, lead, me)["state"] == "logged_out"

        def lost_event() -> bool:
            with lock:
                return any(p.reason == LOST_CONTACT for p in seen)

        wait_until(lost_event, SLACK_S, "the presence event on the lead's stream")
        with lock:
            last = seen[-1]
        assert (last.state.value, last.reason) == ("logged_out", LOST_CONTACT)

        again = desk(backend.url, "wangfang")  # the agent signs in again
        try:
            wait_until(
                lambda: board_presence(backend.url, lead, me)["state"] == "ready",
                15,
                "Ready again",
            )
        finally:
            again.kill()
            again.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        stream.stop()


def test_a_running_desk_is_never_lost(backend: LiveBackend) -> None:
    """Two timeouts of a live desk: still Ready (its heartbeats keep it)."""
    lead = login(backend.url, "zhangwei")
    process = desk(backend.url, "alice")
    try:
        token = login(backend.url, "alice")
        me = requests.get(
            f"{backend.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
        ).json()["user"]["id"]
        start = time.monotonic()

        def two_timeouts_ready() -> bool:
            assert board_presence(backend.url, lead, me)["state"] == "ready", "marked lost"
            return time.monotonic() - start > 2 * TIMEOUT_S + FLUSH_S + SWEEP_S

        wait_until(
            two_timeouts_ready, 4 * TIMEOUT_S + SLACK_S, "two timeouts to pass", interval_s=0.1
        )
    finally:
        process.kill()
        process.wait(timeout=10)


def test_the_real_desk_killed_after_sign_in_is_lost(tmp_path: Path, backend: LiveBackend) -> None:
    """The whole desk (``python -m agent_desktop``, signed in through its dialog, offscreen):
    Not ready after sign-in on the lead's board; SIGKILL; lost within the timeout."""
    lead = login(backend.url, "zhangwei")
    token = login(backend.url, "alice")
    me = requests.get(
        f"{backend.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    ).json()["user"]["id"]
    process = subprocess.Popen(
        signing_in_desk.command(tmp_path, backend.url, "alice"),
        cwd=ROOT,
        env=signing_in_desk.environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its phone engine too: nothing outlives the test
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:  # each line as the desk prints it: no sleep
            if line.startswith("aw-startup synced"):
                break
        else:
            raise AssertionError(f"the desk exited ({process.wait()}) before its first sync")
        wait_until(
            lambda: board_presence(backend.url, lead, me)["state"] == "not_ready",
            30,
            "the signed-in desk's Not ready on the board",
        )
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        wait_until(
            lambda: board_presence(backend.url, lead, me)["reason"] == LOST_CONTACT,
            BOUND_S + SLACK_S,
            "the lead's board to show the killed desk lost",
        )
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        # The phone engine ends when its channel closes; the group, to be sure.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
