"""Sleep and wake against a real SIP proxy (Kamailio): the PC sleeps, the binding expires at the
PBX; on wake the desk's heartbeat sees the gap, the engine registers again, and the first call
routed through Kamailio to the desk rings."""

from __future__ import annotations

import logging
import signal
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallState, Phone, PhoneConfig, RegistrationState
from softphone.proxy import WAKE_GAP_S
from tests.fakes.kamailio import Kamailio
from tests.fakes.sipp import Sipp
from tests.sip.conftest import Recorder, finish

pytestmark = pytest.mark.slow
WAIT_MS = 15_000
USER = "agent1001"
log = logging.getLogger(__name__)


class SleepingClock:
    """The boot-time clock (it counts suspended time): a sleep is a jump forward."""

    def __init__(self) -> None:
        self.slept = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.slept


def test_after_wake_the_engine_registers_again_and_the_first_call_rings(
    qtbot: QtBot, tmp_path: Path
) -> None:
    pbx = Kamailio(tmp_path)
    clock = SleepingClock()
    phone = Phone(awake_clock=clock)
    heard = Recorder(phone)
    seen: list[RegistrationState] = []
    phone.registration_changed.connect(lambda info: seen.append(info.state))
    # A long expiry, as a site's: pjsua's own refresh is minutes away, so only the wake path
    # can bring the binding back in this test.
    phone.start(
        PhoneConfig(
            user=USER,
            domain=pbx.domain,
            registrar=f"sip:{pbx.address}",
            bind_address="127.0.0.1",
            register_expires_s=600,
        )
    )
    caller: Sipp | None = None
    try:
        phone.wait_ready()
        qtbot.waitUntil(lambda: seen[-1:] == [RegistrationState.REGISTERED], timeout=WAIT_MS)
        qtbot.waitUntil(lambda: bool(pbx.contacts(USER)), timeout=WAIT_MS)
        assert phone.local_address.split(":")[-1] in pbx.contacts(USER)[0]

        # The PC sleeps: the engine's process is frozen, the binding expires at the PBX (its
        # expiry is minutes, the night is longer), and the boot-time clock runs on.
        phone.kill_engine(signal.SIGSTOP)
        pbx.forget(USER)
        assert pbx.contacts(USER) == []
        clock.slept += WAKE_GAP_S + 60
        woke = time.monotonic()
        phone.kill_engine(signal.SIGCONT)

        qtbot.waitUntil(lambda: bool(pbx.contacts(USER)), timeout=WAIT_MS)
        registered_s = time.monotonic() - woke
        log.warning("re-registered at Kamailio %.0f ms after wake", registered_s * 1000)
        assert phone.restarts == 0  # the frozen engine was not taken for a hung one

        # The first call after wake, routed by Kamailio from its location table, rings.
        caller = Sipp(
            "uac_caller_id", tmp_path, remote=pbx.address, service=USER,
            fields=["Wang Fang", "13800138000"],
        )  # fmt: skip
        qtbot.waitUntil(lambda: len(heard.incoming) == 1, timeout=WAIT_MS)
        log.warning("first call rang %.0f ms after wake", (time.monotonic() - woke) * 1000)
        offered = heard.incoming[0]
        phone.answer(offered.call_id)
        qtbot.waitUntil(
            lambda: (s := heard.last(offered.call_id)) is not None and s.state == CallState.ENDED,
            timeout=WAIT_MS,
        )
        finish(qtbot, caller)
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        raise
    finally:
        if caller is not None:
            caller.stop()
        phone.stop()
        pbx.stop()
