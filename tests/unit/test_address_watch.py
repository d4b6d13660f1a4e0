"""The engine's address watch without pjsua2 or a namespace: what it reads, when it fires, and
the guard filtering a socket pjsip made anew (real loopback sockets). The whole path against
Kamailio, with a real address change, is tests/sip/test_address_change_kamailio.py."""

from __future__ import annotations

import socket
import struct

import pytest
from pytestqt.qtbot import QtBot

from softphone.engine import address_watch
from softphone.engine.address_watch import (
    RTM_DELADDR,
    RTM_NEWADDR,
    RTM_NEWROUTE,
    AddressWatch,
    address_changes,
    registrar_ip,
    route_source,
)
from softphone.engine.guard import Guard


def test_the_registrar_is_probed_only_when_the_configuration_gives_its_address() -> None:
    assert registrar_ip("sip:10.0.0.5:5060") == "10.0.0.5"
    assert registrar_ip("sip:10.0.0.5;transport=udp") == "10.0.0.5"
    assert registrar_ip("sips:[2001:db8::5]:5061") == "2001:db8::5"
    assert registrar_ip("sip:pbx.example.test") == ""  # a name: never looked up by the watch
    assert registrar_ip("") == ""


def test_the_route_source_is_the_local_address_toward_the_target() -> None:
    assert route_source("127.0.0.1") == "127.0.0.1"
    assert route_source("127.0.0.7") == "127.0.0.1"  # all of 127/8 is reached from lo


def message(kind: int, body: bytes = b"\0" * 8) -> bytes:
    length = 16 + len(body)
    return struct.pack("=IHHII", length, kind, 0, 0, 0) + body + b"\0" * (-length % 4)


def test_netlink_messages_about_addresses_and_routes_are_counted() -> None:
    data = message(RTM_DELADDR) + message(RTM_NEWADDR, b"\0" * 9) + message(RTM_NEWROUTE)
    assert address_changes(data) == 3
    assert address_changes(message(16)) == 0  # RTM_NEWLINK: a link, not an address
    assert address_changes(b"\0" * 7) == 0  # a torn read: nothing, no error
    assert address_changes(struct.pack("=IHHII", 0, RTM_NEWADDR, 0, 0, 0)) == 0  # no loop


def test_it_fires_on_a_new_address_waits_while_there_is_none_and_fires_when_one_is_back(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = ["10.0.0.2"]
    monkeypatch.setattr(address_watch, "route_source", lambda _target: now[0])
    watch = AddressWatch(lambda: "10.0.0.1", use_netlink=False, poll_s=3600)
    fired: list[tuple[str, str]] = []
    watch.changed.connect(lambda old, new: fired.append((old, new)))
    try:
        watch.check()
        assert fired == []  # the same address: nothing to do
        now[0] = "10.0.0.3"
        watch.check()
        assert fired == [("10.0.0.2", "10.0.0.3")]
        now[0] = ""  # cable out: registering now would only fail
        watch.check()
        assert fired == [("10.0.0.2", "10.0.0.3")]
        assert watch.lost
        now[0] = "10.0.0.3"  # back, same address: the binding may have lapsed meanwhile
        watch.check()
        assert fired[-1] == ("10.0.0.3", "10.0.0.3")
        assert watch.changes == 2
    finally:
        watch.close()


def test_with_a_host_name_it_watches_the_default_route(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def probed(target: str) -> str:
        asked.append(target)
        return "10.0.0.2"

    monkeypatch.setattr(address_watch, "route_source", probed)
    watch = AddressWatch(lambda: "", use_netlink=False)
    watch.close()
    assert asked == [address_watch.DEFAULT_ROUTE_PROBE]


def test_the_watch_subscribes_to_route_netlink_on_linux(qtbot: QtBot) -> None:
    watch = AddressWatch(lambda: "127.0.0.1")
    try:
        assert watch.netlink
        assert watch.address == "127.0.0.1"
    finally:
        watch.close()
    assert not watch.netlink


def test_the_guard_filters_the_new_socket_after_an_ip_change() -> None:
    """pjsip's listener restart closes its socket and binds a new one on the same port; the
    guard's filter must follow it, or strangers reach the phone again."""
    first = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    first.bind(("127.0.0.1", 0))
    port = first.getsockname()[1]
    guard = Guard("sip:127.0.0.1", (), max_per_s=10, port=port)
    assert set(guard._fds) == {"udp"}
    first.close()
    second = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    second.bind(("127.0.0.1", port))
    with (
        second,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stranger,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as pbx,
    ):
        guard.tick()
        assert guard.rebinds == 1
        guard.tick()
        assert guard.rebinds == 1  # the same socket: nothing to do
        stranger.bind(("127.0.0.2", 0))
        pbx.bind(("127.0.0.1", 0))
        stranger.sendto(b"stranger", ("127.0.0.1", port))
        pbx.sendto(b"pbx", ("127.0.0.1", port))  # queued after the stranger's, were it let in
        second.settimeout(5)
        assert second.recv(100) == b"pbx"
