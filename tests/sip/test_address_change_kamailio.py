"""The desk's PC changes address under a registered phone, against a real SIP proxy (Kamailio):
the engine runs in a network namespace the test creates (a veth pair, private 10.213.N.x
addresses), the test moves the PC's address with ``ip addr del/add`` as a new DHCP lease does,
and the engine notices by itself (softphone/engine/address_watch.py), re-registers from the new
address (Kamailio's location table shows it, the old one gone), keeps the guard's filter on
its new socket and strangers answered 403, and the first call Kamailio routes to the desk
after the change rings and is answered."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallState, Phone, PhoneConfig, RegistrationState
from tests.fakes.kamailio import Kamailio
from tests.fakes.netns import PcNamespace
from tests.fakes.sipp import Sipp
from tests.sip.conftest import Recorder, finish

pytestmark = pytest.mark.slow
WAIT_MS = 15_000
USER = "agent1001"
MOVES = (3, 4, 5)  # the PC's address becomes 10.213.N.3, then .4, then .5
log = logging.getLogger(__name__)


@pytest.fixture
def pc() -> Iterator[PcNamespace]:
    namespace = PcNamespace()
    try:
        yield namespace
    finally:
        namespace.close()  # the namespace, its veth pair, any engine left inside


def options(source: str, target: str, port: int) -> bytes:
    """An out-of-dialog OPTIONS from ``source`` (a UA answers it 200 without ringing)."""
    local = f"{source}:{port}"
    return (
        f"OPTIONS sip:{USER}@{target} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP {local};rport;branch=z9hG4bK-{port}-{time.monotonic_ns()}\r\n"
        f"From: <sip:probe@{local}>;tag={port}\r\n"
        f"To: <sip:{USER}@{target}>\r\n"
        f"Call-ID: probe-{port}-{time.monotonic_ns()}@{source}\r\n"
        "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
    ).encode()


def guard_facts(qtbot: QtBot, phone: Phone) -> dict[str, Any]:
    answers: list[dict[str, Any]] = []
    phone.inspect(answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=WAIT_MS)
    return dict(answers[0]["guard"])


def move_and_wait(qtbot: QtBot, pc: PcNamespace, pbx: Kamailio, host: int) -> float:
    """Move the PC to ``10.213.N.<host>``; until Kamailio has the new contact and not the old
    one. Returns the seconds that took."""
    old = pc.address
    changed = time.monotonic()
    new = pc.move(host)
    qtbot.waitUntil(lambda: any(f"@{new}:" in c for c in pbx.contacts(USER)), timeout=WAIT_MS)
    took = time.monotonic() - changed
    log.warning(
        "contact %s registered at Kamailio %.0f ms after the address changed", new, took * 1000
    )
    contacts = pbx.contacts(USER)
    assert not any(f"@{old}:" in c for c in contacts), contacts  # the old one is gone
    return took


def assert_only_the_pbx_is_heard(qtbot: QtBot, phone: Phone, pc: PcNamespace, port: int) -> None:
    """The guard follows the new socket, and a stranger on the PBX's network is still told
    403 by pjsip's door (softphone/_stranger.py) while the PBX is answered."""
    qtbot.waitUntil(lambda: guard_facts(qtbot, phone)["rebinds"] >= 1, timeout=WAIT_MS)
    facts = guard_facts(qtbot, phone)
    assert facts["address_changes"] == len(MOVES)
    assert facts["address_netlink"]  # told by the kernel, not found by the 2 s poll
    stranger_ip = pc.add_outside(9)
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stranger,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as trusted,
    ):
        stranger.bind((stranger_ip, 0))
        trusted.bind((pc.gateway, 0))
        for probe in (stranger, trusted):  # the stranger first
            source, source_port = probe.getsockname()
            probe.sendto(options(source, pc.address, source_port), (pc.address, port))
        trusted.settimeout(WAIT_MS / 1000)
        assert trusted.recv(65536).startswith(b"SIP/2.0 200")
        stranger.settimeout(WAIT_MS / 1000)
        assert stranger.recv(65536).startswith(b"SIP/2.0 403")
    assert guard_facts(qtbot, phone)["403_stateless"] == 1


def test_an_address_change_re_registers_and_the_first_call_after_it_rings(
    qtbot: QtBot, tmp_path: Path, pc: PcNamespace
) -> None:
    pbx = Kamailio(tmp_path, host=pc.gateway)
    phone = Phone(engine_prefix=pc.prefix)  # the engine runs on the PC, inside the namespace
    heard = Recorder(phone)
    seen: list[RegistrationState] = []
    phone.registration_changed.connect(lambda info: seen.append(info.state))
    moved: list[str] = []
    phone.address_changed.connect(moved.append)
    # A long expiry, as a site's: pjsua's own refresh is minutes away, so only the address
    # watch can bring the binding to the new address in this test. Bound to any address, as
    # a desk is: pjsip publishes the address the PC has now.
    phone.start(
        PhoneConfig(
            user=USER, domain=pbx.domain, registrar=f"sip:{pbx.address}", register_expires_s=600
        )
    )
    caller: Sipp | None = None
    try:
        phone.wait_ready()
        qtbot.waitUntil(lambda: seen[-1:] == [RegistrationState.REGISTERED], timeout=WAIT_MS)
        qtbot.waitUntil(lambda: bool(pbx.contacts(USER)), timeout=WAIT_MS)
        assert f"@{pc.address}:" in pbx.contacts(USER)[0]
        port = int(phone.local_address.rsplit(":", 1)[1])

        for host in MOVES:
            move_and_wait(qtbot, pc, pbx, host)
            qtbot.waitUntil(lambda: phone.local_address == f"{pc.address}:{port}", timeout=WAIT_MS)
        assert moved == [f"{pc.net}.{host}:{port}" for host in MOVES]
        assert phone.restarts == 0  # re-registered in place: the engine was not restarted

        assert_only_the_pbx_is_heard(qtbot, phone, pc, port)

        # The first call after the change, routed by Kamailio from its location table, rings.
        caller = Sipp(
            "uac_caller_id", tmp_path, remote=pbx.address, service=USER,
            fields=["Wang Fang", "13800138000"], host=pc.gateway,
        )  # fmt: skip
        qtbot.waitUntil(lambda: len(heard.incoming) == 1, timeout=WAIT_MS)
        offered = heard.incoming[0]
        phone.answer(offered.call_id)
        qtbot.waitUntil(
            lambda: (s := heard.last(offered.call_id)) is not None and s.state == CallState.ENDED,
            timeout=WAIT_MS,
        )
        assert any(s.state == CallState.CONNECTED for s in heard.states)
        finish(qtbot, caller)
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        raise
    finally:
        if caller is not None:
            caller.stop()
        phone.stop()
        pbx.stop()


def received(sipp: Sipp, method: str) -> list[str]:
    """The requests ``method`` SIPp (started with ``trace=True``) received, whole."""
    try:
        log_text = sipp.messages.read_text(errors="replace")
    except FileNotFoundError:
        return []
    found = []
    for block in log_text.split("-----------------------------------------------")[1:]:
        head, _, message = block.partition("\n\n")
        if "message received" in head and message.strip().startswith(f"{method} "):
            found.append(message.strip())
    return found


def test_a_call_in_progress_moves_with_the_desk(
    qtbot: QtBot, tmp_path: Path, pc: PcNamespace
) -> None:
    """The customer stays on while the PC's address changes: the phone re-INVITEs from its new
    address (Contact and media), the call stays up, and the customer's BYE, routed by Kamailio
    to the new contact, ends it."""
    pbx = Kamailio(tmp_path, host=pc.gateway)
    phone = Phone(engine_prefix=pc.prefix)
    heard = Recorder(phone)
    phone.start(
        PhoneConfig(
            user=USER, domain=pbx.domain, registrar=f"sip:{pbx.address}", register_expires_s=600
        )
    )
    caller: Sipp | None = None
    try:
        phone.wait_ready()
        qtbot.waitUntil(lambda: bool(pbx.contacts(USER)), timeout=WAIT_MS)
        caller = Sipp(
            "uac_moved", tmp_path, remote=pbx.address, service=USER,
            fields=["Wang Fang", "13800138000"], host=pc.gateway, trace=True,
        )  # fmt: skip
        qtbot.waitUntil(lambda: len(heard.incoming) == 1, timeout=WAIT_MS)
        call_id = heard.incoming[0].call_id
        phone.answer(call_id)
        qtbot.waitUntil(
            lambda: (s := heard.last(call_id)) is not None and s.state == CallState.CONNECTED,
            timeout=WAIT_MS,
        )

        move_and_wait(qtbot, pc, pbx, 3)
        finish(qtbot, caller)  # the re-INVITE accepted, then the BYE answered
        invites = received(caller, "INVITE")
        assert len(invites) == 1, invites
        assert f"c=IN IP4 {pc.address}" in invites[0]
        assert f"@{pc.address}:" in next(
            line for line in invites[0].splitlines() if line.lower().startswith("contact:")
        )
        ends = [s for s in heard.states if s.call_id == call_id and s.state == CallState.ENDED]
        assert len(ends) == 1
        assert ends[0].status_code in (0, 200), ends[0]  # the customer's BYE, nothing lost
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        raise
    finally:
        if caller is not None:
            caller.stop()
        phone.stop()
        pbx.stop()


def test_cable_out_then_back_registers_again_at_once(
    qtbot: QtBot, tmp_path: Path, pc: PcNamespace
) -> None:
    """The PC loses its address for longer than the binding lives (the PBX forgets it); with
    no route the phone waits, and the moment the address is back (the same one) it registers
    again, long before its own refresh."""
    pbx = Kamailio(tmp_path, host=pc.gateway)
    phone = Phone(engine_prefix=pc.prefix)
    phone.start(
        PhoneConfig(
            user=USER, domain=pbx.domain, registrar=f"sip:{pbx.address}", register_expires_s=600
        )
    )
    try:
        phone.wait_ready()
        qtbot.waitUntil(lambda: bool(pbx.contacts(USER)), timeout=WAIT_MS)
        address = pc.address
        pc.unplug()
        qtbot.waitUntil(lambda: guard_facts(qtbot, phone)["address_lost"], timeout=WAIT_MS)
        pbx.forget(USER)  # the binding lapsed at the PBX while the cable was out
        assert guard_facts(qtbot, phone)["address_changes"] == 0  # nothing to register from
        pc.plug(int(address.rsplit(".", 1)[1]))
        qtbot.waitUntil(
            lambda: any(f"@{address}:" in c for c in pbx.contacts(USER)), timeout=WAIT_MS
        )
        assert guard_facts(qtbot, phone)["address_changes"] == 1
        assert phone.restarts == 0
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        raise
    finally:
        phone.stop()
        pbx.stop()
