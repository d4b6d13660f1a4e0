"""The phone engine's guard without pjsua2: its decisions, and its kernel filter on real
loopback sockets."""

from __future__ import annotations

import socket

import pytest

from softphone.engine import guard as guard_module
from softphone.engine.dns import (
    host_of,
    in_hosts_file,
    nameservers_for,
    nameservers_for_account,
    system_nameservers,
)
from softphone.engine.guard import FLOOD_OFFERS, Guard, attach, drain, program


def test_strangers_get_403_when_a_pbx_is_configured() -> None:
    guard = Guard("sip:127.0.0.1:5060", (), max_per_s=10, port=0)
    assert guard.screen("127.0.0.2:5060") == (403, "Forbidden")
    assert guard.screen("127.0.0.1:5060") == (0, "")


def test_without_a_registrar_everyone_may_call_unless_asked() -> None:
    # Peers alone say whose caller identity is believed (softphone.identity), not who calls.
    guard = Guard("", ("127.0.0.1",), max_per_s=10, port=0)
    assert guard.screen("192.0.2.7:5060") == (0, "")
    only = Guard("", ("127.0.0.1", "10.20.0.0/16"), max_per_s=10, port=0, only_trusted=True)
    assert only.screen("192.0.2.7:5060")[0] == 403
    assert only.screen("10.20.3.4:5060") == (0, "")  # a network of the PBX's nodes


def test_offers_over_the_rate_get_503_and_a_burst_starts_a_cool_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(guard_module.time, "monotonic", lambda: now[0])
    guard = Guard("", ("127.0.0.1",), max_per_s=5, port=0)
    answers = []
    for _ in range(FLOOD_OFFERS):
        answers.append(guard.screen("127.0.0.1:5060")[0])
        now[0] += 0.01
    assert answers[:5] == [0] * 5
    assert set(answers[5:]) == {503}
    assert guard.cooling
    assert guard.shed["bursts"] == 1
    now[0] += guard_module.COOL_S + 0.1
    guard.tick()
    assert not guard.cooling


def test_host_names_are_taken_from_uris() -> None:
    assert host_of("sip:pbx.example.com:5060;transport=tcp") == "pbx.example.com"
    assert host_of("sips:agent@[::1]:5061") == "::1"
    assert host_of("10.0.0.5") == "10.0.0.5"


def test_name_servers_only_for_a_registrar_named_by_dns() -> None:
    assert nameservers_for("") == []
    assert nameservers_for("sip:127.0.0.1") == []
    assert nameservers_for("sip:localhost") == []  # /etc/hosts: the quick local lookup
    assert in_hosts_file("localhost")
    assert nameservers_for("sip:pbx.example.test") == system_nameservers()


def test_name_servers_for_an_account_whose_domain_is_a_dns_name() -> None:
    """Registered by address, calls to ``2001`` still name the domain (issue 24)."""
    assert nameservers_for_account("sip:127.0.0.1:5060", "", "127.0.0.1") == []
    assert nameservers_for_account("sip:127.0.0.1:5060", "", "cc.example.test") == (
        system_nameservers()
    )
    assert nameservers_for_account("sip:127.0.0.1", "", "cc.example.test:5070") == (
        system_nameservers()
    )
    # One name only /etc/hosts knows: pjsip's resolver would miss it, so the local lookup.
    assert nameservers_for_account("sip:localhost", "", "cc.example.test") == []


def test_the_kernel_filter_passes_only_trusted_sources_and_drops_invites_in_a_burst() -> None:
    phone = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    phone.bind(("127.0.0.1", 0))
    address = phone.getsockname()
    pbx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    pbx.bind(("127.0.0.1", 0))
    stranger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    stranger.bind(("127.0.0.2", 0))
    try:
        attach(phone.fileno(), program(["10.0.0.0/8", "127.0.0.1"], drop_invites=False, udp=True))
        stranger.sendto(b"INVITE sip:agent@x SIP/2.0\r\n", address)
        pbx.sendto(b"INVITE sip:agent@x SIP/2.0\r\n", address)
        phone.settimeout(2)
        data, source = phone.recvfrom(4096)
        assert source[0] == "127.0.0.1"
        assert data.startswith(b"INVITE")
        attach(phone.fileno(), program(["127.0.0.1"], drop_invites=True, udp=True))
        pbx.sendto(b"INVITE sip:agent@x SIP/2.0\r\n", address)
        pbx.sendto(b"OPTIONS sip:agent@x SIP/2.0\r\n", address)
        data, _ = phone.recvfrom(4096)
        assert data.startswith(b"OPTIONS")  # the INVITE before it never arrived
        pbx.sendto(b"BYE sip:agent@x SIP/2.0\r\n", address)
        pbx.sendto(b"ACK sip:agent@x SIP/2.0\r\n", address)
        phone.settimeout(2)
        phone.recvfrom(4096)  # wait until one is queued, then throw the rest away
        assert drain(phone.fileno()) <= 1
    finally:
        for sock in (phone, pbx, stranger):
            sock.close()
