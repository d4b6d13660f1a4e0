"""Strangers answered 403 by pjsip itself (softphone/_stranger.py), through the real engine:
SIPp from 127.0.0.2 gets 403 for every INVITE, the desk never rings, no media socket is ever
opened for it, and the trusted PBX (127.0.0.1) still rings the desk. IPv6 strangers are
decided the same way (a bare pjsua2 endpoint on ``[::1]`` behind the same door and guard: the
desk's own listener is IPv4)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallState, Phone, PhoneConfig
from softphone.engine.guard import STRANGER_403_PER_S
from tests.fakes.engine import engine_facts
from tests.fakes.ports import free_rtp_pair
from tests.fakes.sipp import Sipp
from tests.sip.conftest import Recorder, finish

pytestmark = pytest.mark.slow
PBX, STRANGER = "127.0.0.1", "127.0.0.2"
STRANGER_CALLS = 6  # at 6 a second: within the 403 budget, so every one is answered


def udp_ports(pid: int) -> set[int]:
    """The local ports of process ``pid``'s UDP sockets (its fds matched to /proc/net/udp)."""
    inodes: set[str] = set()
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(entry)
        except OSError:
            continue  # closed while we looked
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports: set[int] = set()
    for line in Path("/proc/net/udp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[9] in inodes:
            ports.add(int(fields[1].split(":")[1], 16))
    return ports


def test_a_stranger_gets_403_with_no_media_and_the_pbx_still_rings(
    qtbot: QtBot, tmp_path: Path
) -> None:
    rtp_port = free_rtp_pair()  # the account's first RTP port: the first call's media takes it
    phone = Phone()
    heard = Recorder(phone)
    traced: list[str] = []  # the SIP trace the desk keeps for the diagnostics bundle
    phone.sip_message.connect(lambda text: traced.append(text.lstrip().split("\n", 1)[0]))
    phone.start(
        PhoneConfig(
            bind_address=PBX,
            domain=PBX,
            trusted_peers=(PBX,),
            only_trusted_sources=True,
            rtp_port=rtp_port,
            rtp_port_range=100,
        )
    )
    stranger: Sipp | None = None
    caller: Sipp | None = None
    try:
        phone.wait_ready()
        assert engine_facts(qtbot, phone)["guard"]["door"]  # pjsip took the module
        pid = phone.engine_pid
        before = udp_ports(pid)
        assert rtp_port not in before
        assert STRANGER_CALLS <= STRANGER_403_PER_S
        # Sockets opened and closed between two looks would be missed here: the RTP port of
        # the PBX's call below is the proof that none was opened.
        seen: set[int] = set()

        def stranger_done() -> bool:
            seen.update(udp_ports(pid) - before)  # every look while SIPp runs
            return stranger is not None and stranger.finished

        (tmp_path / "stranger").mkdir()
        stranger = Sipp(
            "uac_forbidden",
            tmp_path / "stranger",
            remote=phone.local_address,
            host=STRANGER,
            calls=STRANGER_CALLS,
            extra=["-r", str(STRANGER_CALLS)],
        )
        qtbot.waitUntil(stranger_done, timeout=30_000)
        assert stranger.process.returncode == 0, stranger.report()  # each INVITE got 403
        assert seen == set(), f"the engine opened sockets for a stranger: {sorted(seen)}"
        facts = engine_facts(qtbot, phone)
        guard = facts["guard"]
        assert guard["403_stateless"] >= STRANGER_CALLS, guard
        assert guard["403"] == 0, guard  # none reached pjsua's call layer
        assert facts["calls"] == []  # no pjsua2 call object was ever made for them
        assert heard.incoming == []  # the desk never rang
        # The door sits before pjsua's message logger: a stranger's requests never fill the
        # trace nor cross to the desk; only the 403s it sent are traced.
        assert [line for line in traced if line.startswith("RX") and STRANGER in line] == []
        assert any(line.startswith("TX") and " 403/INVITE" in line for line in traced), traced

        # The PBX's customer rings, and its media is the account's first: no RTP port was
        # taken for the strangers' offers (pjsua moves to the next pair for every call).
        (tmp_path / "pbx").mkdir()
        caller = Sipp("uac_caller_id", tmp_path / "pbx", remote=phone.local_address,
                      fields=["王先生", "13800138000"])  # fmt: skip
        qtbot.waitUntil(lambda: len(heard.incoming) == 1, timeout=20_000)
        offered = heard.incoming[0]
        assert offered.remote_number == "13800138000"
        assert {rtp_port, rtp_port + 1} <= udp_ports(pid) - before
        phone.answer(offered.call_id)
        qtbot.waitUntil(
            lambda: (
                (s := heard.last(offered.call_id)) is not None
                and s.state in (CallState.CONNECTED, CallState.ENDED)
            ),
            timeout=10_000,
        )
        finish(qtbot, caller)
    finally:
        for sipp in (stranger, caller):
            if sipp is not None:
                sipp.stop()
        phone.stop()


def request(method: str, port: int, sock: socket.socket, branch: str) -> bytes:
    host, local_port = sock.getsockname()[:2]
    return (
        f"{method} sip:agent@[::1]:{port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP [{host}]:{local_port};rport;branch=z9hG4bK{branch}\r\n"
        f"From: <sip:probe@[{host}]>;tag=v6\r\nTo: <sip:agent@[::1]>\r\n"
        f"Call-ID: v6-{branch}\r\nCSeq: 1 {method}\r\nMax-Forwards: 70\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()


def said(stream: IO[str], word: str) -> str:
    """The rest of the child's first line that starts with ``word`` (pjlib prints too)."""
    for line in stream:
        if line.startswith(f"{word} "):
            return line[len(word) + 1 :].strip()
    raise AssertionError(f"the child never said {word!r}")


def ask_over_ipv6(trusted: str, methods: list[str]) -> tuple[list[str], str]:
    """Each request from [::1] to a door trusting ``trusted``: its answer's status line; and
    what the door said it did ("refused dropped")."""
    door = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.ipv6_door", trusted],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert door.stdin is not None
    assert door.stdout is not None
    answers: list[str] = []
    try:
        port = int(said(door.stdout, "port"))
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
            sock.bind(("::1", 0))
            sock.settimeout(10)
            for number, method in enumerate(methods):
                sock.sendto(request(method, port, sock, f"v6{number}"), ("::1", port))
                answers.append(sock.recv(65536).decode(errors="replace").split("\r\n", 1)[0])
        door.stdin.close()
        counts = said(door.stdout, "door")
        assert door.wait(timeout=10) == 0
    finally:
        if door.poll() is None:
            door.kill()
            door.wait(timeout=5)
    return answers, counts


def test_an_ipv6_stranger_gets_403_from_the_door_and_a_trusted_ipv6_peer_does_not() -> None:
    answers, counts = ask_over_ipv6("127.0.0.1", ["INVITE", "OPTIONS"])
    assert answers == ["SIP/2.0 403 Forbidden", "SIP/2.0 403 Forbidden"]
    assert counts == "2 0"
    answers, counts = ask_over_ipv6("::1", ["OPTIONS"])
    assert answers == ["SIP/2.0 200 OK"]  # pjsua's own answer: the door let it through
    assert counts == "0 0"
