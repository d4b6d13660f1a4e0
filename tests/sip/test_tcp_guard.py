"""TCP connections to the phone engine: strangers cannot connect at all, a trusted source's
pile of idle connections is capped and then ended, and the phone still answers on a new
connection."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from softphone import Phone, PhoneConfig, Transport
from softphone.engine.guard import TCP_PER_SOURCE

pytestmark = pytest.mark.slow
PBX, STRANGER = "127.0.0.1", "127.0.0.2"
IDLE_S = 3
CONNECTIONS = 80


def still_open(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


def options_over_tcp(host: str, port: int) -> str:
    """Send OPTIONS on a fresh connection; the first line of the answer."""
    with socket.create_connection((host, port), timeout=5) as sock:
        local = sock.getsockname()
        sock.sendall(
            (
                f"OPTIONS sip:agent@{host}:{port};transport=tcp SIP/2.0\r\n"
                f"Via: SIP/2.0/TCP {local[0]}:{local[1]};branch=z9hG4bK-tcp-guard\r\n"
                f"From: <sip:probe@{local[0]}>;tag=probe\r\nTo: <sip:agent@{host}>\r\n"
                "Call-ID: tcp-guard-probe\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                "Content-Length: 0\r\n\r\n"
            ).encode()
        )
        return sock.recv(4096).decode(errors="replace").split("\r\n", 1)[0]


def guard_facts(qtbot: QtBot, phone: Phone) -> dict[str, Any]:
    answers: list[dict[str, Any]] = []
    phone.inspect(answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    return dict(answers[0]["guard"])


def test_idle_tcp_connections_are_capped_and_ended_and_strangers_never_connect(
    qtbot: QtBot,
) -> None:
    phone = Phone()
    account = PhoneConfig(
        bind_address=PBX,
        domain=PBX,
        transport=Transport.TCP,
        trusted_peers=(PBX,),
        only_trusted_sources=True,
        tcp_idle_s=IDLE_S,
    )
    phone.start(account)
    address = phone.wait_ready()
    host, port = address.rsplit(":", 1)
    opened: list[socket.socket] = []
    try:
        stranger = socket.socket()
        stranger.bind((STRANGER, 0))
        stranger.settimeout(1.0)
        with pytest.raises(TimeoutError):  # its SYN is dropped by the engine's filter
            stranger.connect((host, int(port)))
        stranger.close()
        for _ in range(CONNECTIONS):  # more than pjlib's 64 ioqueue slots
            sock = socket.socket()
            sock.bind((PBX, 0))
            sock.connect((host, int(port)))
            opened.append(sock)
        qtbot.waitUntil(lambda: sum(still_open(s) for s in opened) <= TCP_PER_SOURCE,
                        timeout=10_000)  # fmt: skip
        qtbot.waitUntil(lambda: not any(still_open(s) for s in opened),
                        timeout=(IDLE_S + 5) * 1000)  # fmt: skip
        assert guard_facts(qtbot, phone)["tcp_cut"] >= len(opened) - 1
        assert phone.restarts == 0
        # The phone still takes a new connection and answers on it.
        assert "SIP/2.0 200" in options_over_tcp(host, int(port))
        # pjsip's door read that request over TCP too, and still decides (it stands aside,
        # and strangers are dropped instead, when a request is not laid out as it expects).
        assert guard_facts(qtbot, phone)["door"]
    finally:
        for sock in opened:
            sock.close()
        phone.stop()
