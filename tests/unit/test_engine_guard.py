"""The phone engine's guard without pjsua2: its decisions, and its kernel filter on real
loopback sockets."""

from __future__ import annotations

import ctypes
import socket

import pytest

from softphone._stranger import PJ_FALSE, PJ_TRUE, StrangerDoor, Verdict, _RxData, read_request
from softphone.engine import guard as guard_module
from softphone.engine.dns import (
    host_of,
    in_hosts_file,
    nameservers_for,
    nameservers_for_account,
    system_nameservers,
)
from softphone.engine.guard import (
    FLOOD_OFFERS,
    STRANGER_403_PER_S,
    Guard,
    RefusalBudget,
    attach,
    drain,
    program,
)


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


def test_offers_over_the_rate_get_503_and_a_burst_starts_a_cool_off() -> None:
    now = [1000.0]
    guard = Guard("", ("127.0.0.1",), max_per_s=5, port=0, clock=lambda: now[0])
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


def test_strangers_403_are_rate_limited_in_all_and_the_budget_refills() -> None:
    now = [50.0]
    guard = Guard("sip:127.0.0.1", (), max_per_s=10, port=0, clock=lambda: now[0])
    # A flood from many (spoofed) sources within one instant: one budget for them all.
    verdicts = [guard.stranger(f"192.0.2.{n}", "INVITE") for n in range(3 * STRANGER_403_PER_S)]
    assert verdicts[:STRANGER_403_PER_S] == [Verdict.REFUSE] * STRANGER_403_PER_S
    assert set(verdicts[STRANGER_403_PER_S:]) == {Verdict.DROP}
    assert guard.shed["403_stateless"] == STRANGER_403_PER_S
    assert guard.shed["403_over_budget"] == 2 * STRANGER_403_PER_S
    assert guard.stranger("127.0.0.1", "INVITE") is Verdict.PASS  # the PBX: never budgeted
    now[0] += 0.5  # half a second: half the budget back
    refused = [guard.stranger("192.0.2.1", "OPTIONS") for _ in range(STRANGER_403_PER_S)]
    assert refused.count(Verdict.REFUSE) == STRANGER_403_PER_S // 2
    now[0] += 60.0  # a quiet minute refills a second's worth, no more
    refused = [guard.stranger("192.0.2.1", "INVITE") for _ in range(2 * STRANGER_403_PER_S)]
    assert refused.count(Verdict.REFUSE) == STRANGER_403_PER_S


def test_a_refusal_budget_never_grows_from_a_clock_that_steps_back() -> None:
    now = [10.0]
    budget = RefusalBudget(2, lambda: now[0])
    assert [budget.take(), budget.take(), budget.take()] == [True, True, False]
    now[0] = 5.0
    assert not budget.take()
    now[0] = 5.5
    assert budget.take()


def test_an_ack_from_a_stranger_is_swallowed_and_costs_no_budget() -> None:
    guard = Guard("sip:127.0.0.1", (), max_per_s=10, port=0, clock=lambda: 0.0)
    assert guard.stranger("127.0.0.2", "ACK") is Verdict.DROP
    assert guard.shed["403_stateless"] == guard.shed["403_over_budget"] == 0


def test_ipv6_strangers_are_decided_like_ipv4_ones() -> None:
    guard = Guard("sip:[2001:db8::5]:5060", ("10.0.0.0/8",), max_per_s=10, port=0)
    assert guard.trusted == ["2001:db8::5", "10.0.0.0/8"]
    assert guard.stranger("2001:db8::5", "INVITE") is Verdict.PASS
    assert guard.stranger("2001:db8::6", "INVITE") is Verdict.REFUSE
    assert guard.stranger("::1", "MESSAGE") is Verdict.REFUSE
    assert guard.stranger("10.1.2.3", "INVITE") is Verdict.PASS
    assert guard.screen("[2001:db8::7]:5060")[0] == 403
    only_v6 = Guard("sip:[::1]", (), max_per_s=10, port=0)
    assert only_v6.stranger("127.0.0.1", "INVITE") is Verdict.REFUSE
    # An IPv4 socket's filter trusts no IPv4 source then (strangers all).
    assert program(only_v6.trusted, drop_invites=False, udp=False)[0] == (0x06, 0, 0, 0)


def test_ipv6_peers_are_trusted_as_written_bare_or_bracketed() -> None:
    """Found in review: a bare IPv6 peer was read as host "2001" with a port (and "::1" as no
    host at all, which left the door open to everyone)."""
    peers = ("2001:db8::10", "::1", "2001:db8:1::/64", "[2001:db8::20]")
    guard = Guard("sip:127.0.0.1", peers, max_per_s=10, port=0)
    assert guard.trusted == ["127.0.0.1", *peers]
    assert guard.stranger("2001:db8::10", "INVITE") is Verdict.PASS
    assert guard.stranger("::1", "INVITE") is Verdict.PASS
    assert guard.stranger("2001:db8:1::99", "INVITE") is Verdict.PASS
    assert guard.stranger("2001:db8::20", "INVITE") is Verdict.PASS
    assert guard.stranger("2001:db8::11", "INVITE") is Verdict.REFUSE
    assert guard.stranger("127.0.0.2", "INVITE") is Verdict.REFUSE


def test_without_a_pbx_or_before_its_name_resolves_everyone_passes_the_door() -> None:
    assert Guard("", (), max_per_s=10, port=0).stranger("192.0.2.7", "INVITE") is Verdict.PASS
    resolving = Guard("sip:pbx.invalid", (), max_per_s=10, port=0)
    assert resolving.stranger("192.0.2.7", "INVITE") is Verdict.PASS


def test_with_the_door_the_udp_socket_lets_strangers_in_and_the_tcp_listener_does_not() -> None:
    phone = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    phone.bind(("127.0.0.1", 0))
    port = phone.getsockname()[1]
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen()
    stranger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    stranger.bind(("127.0.0.2", 0))
    try:
        guard = Guard("sip:127.0.0.1", (), max_per_s=10, port=port)
        assert set(guard._fds) == {"udp", "tcp"}
        working = [True]
        guard.use_door(lambda: working[0])
        assert guard.door
        stranger.sendto(b"OPTIONS sip:agent@x SIP/2.0\r\n", ("127.0.0.1", port))
        phone.settimeout(5)
        assert phone.recv(100).startswith(b"OPTIONS")  # to pjsip's door: answered 403 there
        knocking = socket.socket()
        knocking.bind(("127.0.0.2", 0))
        knocking.settimeout(0.5)
        with knocking, pytest.raises(TimeoutError):  # its SYN is dropped: no slot taken
            knocking.connect(("127.0.0.1", port))
        working[0] = False  # the door stopped deciding: the kernel drops strangers again
        guard.tick()
        assert not guard.door
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as pbx:
            pbx.bind(("127.0.0.1", 0))
            stranger.sendto(b"stranger", ("127.0.0.1", port))
            pbx.sendto(b"pbx", ("127.0.0.1", port))  # queued after the stranger's, were it in
            assert phone.recv(100) == b"pbx"
    finally:
        for sock in (phone, listener, stranger):
            sock.close()


def fake_rdata(message: bytes) -> _RxData:
    """A ``pjsip_rx_data`` head as pjsip fills it for a datagram from [2001:db8::9]:5070."""
    rdata = _RxData()
    rdata.packet = message
    rdata.len = len(message)
    rdata.msg_buf = ctypes.addressof(rdata) + _RxData.packet.offset
    rdata.msg_len = len(message)
    rdata.src_addr.family = socket.AF_INET6
    rdata.src_addr.port = socket.htons(5070)
    rdata.src_name = b"2001:db8::9"
    rdata.src_port = 5070
    return rdata


def test_the_door_reads_pjsips_request_and_refuses_memory_laid_out_otherwise() -> None:
    rdata = fake_rdata(b"INVITE sip:agent@127.0.0.1 SIP/2.0\r\n\r\n")
    assert read_request(ctypes.addressof(rdata)) == ("2001:db8::9", "INVITE")
    rdata.src_port = 5071  # the port beside the name disagrees with the socket address
    assert read_request(ctypes.addressof(rdata)) is None
    rdata.src_port = 5070
    rdata.msg_buf = 0x1000  # the text is not inside the packet buffer
    assert read_request(ctypes.addressof(rdata)) is None


def test_the_door_stands_aside_for_good_on_a_request_it_cannot_read() -> None:
    asked: list[tuple[str, str]] = []
    verdicts = iter([Verdict.DROP, Verdict.PASS, Verdict.DROP])

    def decide(ip: str, method: str) -> Verdict:
        asked.append((ip, method))
        return next(verdicts)

    door = StrangerDoor("unused: never opened", decide)
    ack = fake_rdata(b"ACK sip:agent@127.0.0.1 SIP/2.0\r\n\r\n")
    assert door._on_rx_request(ctypes.addressof(ack)) == PJ_TRUE  # swallowed
    assert door._on_rx_request(ctypes.addressof(ack)) == PJ_FALSE  # passed on
    assert asked == [("2001:db8::9", "ACK")] * 2
    assert door.dropped == 1
    garbled = fake_rdata(b"ACK sip:agent@127.0.0.1 SIP/2.0\r\n\r\n")
    garbled.len = 0
    assert door._on_rx_request(ctypes.addressof(garbled)) == PJ_FALSE
    assert door.broken  # the guard's tick sees it and drops strangers in the kernel
    assert door._on_rx_request(ctypes.addressof(ack)) == PJ_FALSE  # never asks again
    assert len(asked) == 2
