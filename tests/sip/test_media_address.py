"""Media on the configured address (issue 24): with ``bind_address`` on a second loopback
address, the INVITE's Via and Contact, the SDP's c= and the RTP socket are all on it, the RTP
port is inside the configured range, and the account's codec order is what the desk offers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallState, Phone, PhoneConfig
from tests.fakes.sipp import Sipp
from tests.sip.conftest import Recorder, finish
from tests.sip.test_hold_codec import audio_formats, received

pytestmark = pytest.mark.slow
WAIT_MS = 10_000
SECOND = "127.0.0.2"  # the whole 127.0.0.0/8 is loopback on Linux: no setup needed


def udp_sockets(pid: int) -> set[tuple[str, int]]:
    """The (address, port) of every IPv4 UDP socket process ``pid`` holds: its descriptors'
    socket inodes matched against /proc/net/udp (what ``ss -uanp`` does)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    found = set()
    with open(f"/proc/{pid}/net/udp", encoding="ascii") as table:
        for row in list(table)[1:]:
            fields = row.split()
            if fields[9] in inodes:
                hex_ip, hex_port = fields[1].split(":")
                ip = ".".join(str(int(hex_ip[i : i + 2], 16)) for i in (6, 4, 2, 0))
                found.add((ip, int(hex_port, 16)))
    return found


def sdp_line(message: str, prefix: str) -> str:
    return next(x.strip() for x in message.splitlines() if x.strip().startswith(prefix))


@pytest.fixture
def second_phone() -> Iterator[Phone]:
    phone = Phone()
    phone.start(
        PhoneConfig(
            bind_address=SECOND,
            domain=SECOND,
            rtp_port=31000,
            rtp_port_range=20,
            codecs=("PCMU", "PCMA"),  # G.722 off: the offer says so
        )
    )
    phone.wait_ready()
    yield phone
    phone.stop()


def test_sip_sdp_and_rtp_socket_use_the_bind_address(
    qtbot: QtBot, second_phone: Phone, sipps: list[Sipp], tmp_path: Path
) -> None:
    phone = second_phone
    heard = Recorder(phone)
    assert phone.local_address.startswith(f"{SECOND}:")
    far = Sipp("uas", tmp_path, trace=True)  # on 127.0.0.1
    sipps.append(far)
    far.wait_bound()
    call = phone.dial(f"sip:4000@{far.address}")
    qtbot.waitUntil(
        lambda: (s := heard.last(call.call_id)) is not None and s.state == CallState.CONNECTED,
        timeout=WAIT_MS,
    )
    (invite,) = received(far, "INVITE")
    via = sdp_line(invite, "Via:")
    contact = sdp_line(invite, "Contact:")
    assert f"SIP/2.0/UDP {SECOND}:" in via, via
    assert f"@{SECOND}:" in contact, contact
    assert sdp_line(invite, "c=") == f"c=IN IP4 {SECOND}"
    assert sdp_line(invite, "a=rtcp:").endswith(f"IN IP4 {SECOND}")
    rtp_port = int(sdp_line(invite, "m=audio").split()[1])
    assert 31000 <= rtp_port < 31020  # the configured range
    sockets = udp_sockets(phone.engine_pid)
    assert (SECOND, rtp_port) in sockets, sockets  # RTP listens on the address it advertises
    assert (SECOND, rtp_port + 1) in sockets  # and RTCP
    assert not any(ip == "0.0.0.0" for ip, _port in sockets), sockets  # nothing on every address
    # The account's order, G.722 off; then the keypad's telephone-event (its own number).
    assert audio_formats(invite)[:-1] == ["0", "8"]
    assert "telephone-event/8000" in sdp_line(invite, f"a=rtpmap:{audio_formats(invite)[-1]} ")
    phone.hangup(call.call_id)
    finish(qtbot, far)


def test_the_default_codec_order_offers_g722_first(
    qtbot: QtBot, phone: Phone, heard: Recorder, sipps: list[Sipp], tmp_path: Path
) -> None:
    far = Sipp("uas", tmp_path, trace=True)
    sipps.append(far)
    far.wait_bound()
    call = phone.dial(f"sip:4000@{far.address}")
    qtbot.waitUntil(
        lambda: (s := heard.last(call.call_id)) is not None and s.state == CallState.CONNECTED,
        timeout=WAIT_MS,
    )
    (invite,) = received(far, "INVITE")
    assert audio_formats(invite)[:3] == ["9", "8", "0"]  # G.722, PCMA, PCMU
    assert sdp_line(invite, "c=") == "c=IN IP4 127.0.0.1"  # bind_address, not the default route
    phone.hangup(call.call_id)
    finish(qtbot, far)


def test_bound_to_every_address_the_phone_advertises_the_one_that_reaches_the_registrar(
    qtbot: QtBot, sipps: list[Sipp], tmp_path: Path
) -> None:
    """bind_address 0.0.0.0 (the default): Via, Contact and c= name the interface the kernel
    routes to the registrar by (here loopback), not the default route's (this machine's LAN)."""
    registrar = Sipp("registrar", tmp_path, trace=True)
    sipps.append(registrar)
    registrar.wait_bound()
    phone = Phone()
    heard = Recorder(phone)
    phone.start(
        PhoneConfig(
            user="agent1001",
            domain="cc.test",
            registrar=f"sip:{registrar.address}",
            password="s3cret-pw",
            bind_address="0.0.0.0",
        )
    )
    phone.wait_ready()
    try:
        finish(qtbot, registrar)  # challenged, then registered
        register = received(registrar, "REGISTER")[-1]
        assert "SIP/2.0/UDP 127.0.0.1:" in sdp_line(register, "Via:")
        assert "@127.0.0.1:" in sdp_line(register, "Contact:")
        far = Sipp("uas", tmp_path, trace=True)
        sipps.append(far)
        far.wait_bound()
        call = phone.dial(f"sip:4000@{far.address}")
        qtbot.waitUntil(
            lambda: (s := heard.last(call.call_id)) is not None and s.state == CallState.CONNECTED,
            timeout=WAIT_MS,
        )
        (invite,) = received(far, "INVITE")
        assert sdp_line(invite, "c=") == "c=IN IP4 127.0.0.1"
        phone.hangup(call.call_id)
        finish(qtbot, far)
    finally:
        phone.stop()
