"""Outbound proxy, registrar and domain set separately (issue 24): every request goes to the
outbound proxy (a SIPp scenario that checks them), while REGISTER names the registrar and an
INVITE the number at the domain, with the domain's port kept in From and To."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallState, Phone, PhoneConfig, RegistrationState, Transport
from softphone.addressing import check, route_uri
from softphone.errors import PhoneError
from tests.fakes.sipp import Sipp
from tests.sip.conftest import Recorder, finish

WAIT_MS = 10_000


@pytest.mark.slow
def test_requests_go_to_the_outbound_proxy_naming_the_registrar_and_the_domain_with_its_port(
    qtbot: QtBot, tmp_path: Path
) -> None:
    proxy = Sipp("outbound_proxy", tmp_path, calls=2, trace=True)
    phone = Phone()
    heard = Recorder(phone)
    try:
        proxy.wait_bound()
        phone.start(
            PhoneConfig(
                user="agent1001",
                domain="cc.test:5070",  # resolves to nothing: only the proxy is reachable
                registrar="sip:127.0.0.1:5099",  # nobody listens there
                outbound_proxy=proxy.address,  # written as IT would: host:port
                bind_address="127.0.0.1",
            )
        )
        phone.wait_ready()
        qtbot.waitUntil(
            lambda: phone.registration.state == RegistrationState.REGISTERED, timeout=WAIT_MS
        )
        call = phone.dial("13800138000")  # a number: dialled at the domain
        qtbot.waitUntil(
            lambda: (heard.last(call.call_id) or call).state == CallState.CONNECTED,
            timeout=WAIT_MS,
        )
        phone.hangup(call.call_id)
        finish(qtbot, proxy)  # SIPp checked the Request-URIs, From, To and Route
    finally:
        phone.stop()
        proxy.stop()


def test_the_outbound_proxy_is_made_a_loose_route() -> None:
    assert route_uri("127.0.0.1:5080") == "sip:127.0.0.1:5080;lr"
    assert route_uri("sip:sbc.example.com") == "sip:sbc.example.com;lr"
    assert route_uri("sips:sbc.example.com:5061;lr") == "sips:sbc.example.com:5061;lr"
    assert route_uri("sip:sbc.example.com;transport=tcp") == "sip:sbc.example.com;transport=tcp;lr"


def test_a_sips_registrar_or_proxy_needs_tls() -> None:
    with pytest.raises(PhoneError, match="needs the TLS transport"):
        check(PhoneConfig(registrar="sips:pbx.example.com"))
    with pytest.raises(PhoneError, match="needs the TLS transport"):
        check(PhoneConfig(outbound_proxy="sips:sbc.example.com", transport=Transport.TCP))
    check(PhoneConfig(registrar="sips:pbx.example.com", transport=Transport.TLS))
    check(PhoneConfig(registrar="sip:pbx.example.com"))
