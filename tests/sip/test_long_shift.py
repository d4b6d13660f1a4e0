"""A shift's worth of calls: memory and file descriptors stay flat, every Call object is
released (pjsua2 aborts at shutdown if one is left)."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallState, Phone, PhoneConfig
from tests.fakes.sipp import Sipp
from tests.sip.conftest import Recorder

pytestmark = pytest.mark.slow
CALLS = 200


def rss_mb(pid: int) -> float:
    """The engine's process: where pjsua2 and its calls live."""
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def test_two_hundred_calls_leave_no_trace(qtbot: QtBot, tmp_path: Path) -> None:
    far = Sipp("uas", tmp_path, calls=CALLS, timeout_s=300)
    far.wait_bound()
    phone = Phone()
    phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1"))
    phone.wait_ready()  # the engine's process is up
    heard = Recorder(phone)
    try:
        marks: dict[int, tuple[float, int]] = {}
        for n in range(CALLS):
            call = phone.dial(f"sip:4000@{far.address}")
            qtbot.waitUntil(
                lambda c=call: (
                    (s := heard.last(c.call_id)) is not None and s.state == CallState.CONNECTED
                ),
                timeout=5000,
            )
            phone.hangup(call.call_id)
            qtbot.waitUntil(lambda: phone.calls() == [], timeout=5000)
            heard.states.clear()
            # deliberate: pacing, not synchronisation. pjlib keeps a closed socket's ioqueue
            # slot for a fixed 500 ms before reuse and aborts when all 64 are taken; each call
            # takes two (RTP, RTCP). Nothing observable says when a slot is free again, so the
            # shift is paced below 64 slots per 500 ms (a burst of 200 calls aborts pjlib).
            qtbot.wait(40)
            if n + 1 in (20, CALLS):
                pid = phone.engine_pid
                marks[n + 1] = (rss_mb(pid), len(os.listdir(f"/proc/{pid}/fd")))
        (rss_20, fds_20), (rss_end, fds_end) = marks[20], marks[CALLS]
        assert fds_end == fds_20, f"file descriptors grew from {fds_20} to {fds_end}"
        assert rss_end - rss_20 < 8, f"memory grew from {rss_20:.1f} MB to {rss_end:.1f} MB"
        inside: list[dict[str, object]] = []
        phone.inspect(inside.append)
        qtbot.waitUntil(lambda: bool(inside), timeout=5000)
        assert inside[0]["call_objects"] == 0  # every Call object deleted, in the engine
    finally:
        phone.stop()
        far.stop()
