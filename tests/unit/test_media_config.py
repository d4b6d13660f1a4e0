"""How the account's media settings become pjsua2's (issue 24): codec priorities from the
order, the RTP transport's address and port range."""

from __future__ import annotations

import pjsua2 as pj

from softphone import PhoneConfig
from softphone._pj import codec_priority, media_transport
from softphone.media_address import advertised_address, registrar_host


def test_the_codec_order_becomes_priorities_and_unlisted_codecs_are_off() -> None:
    order = ("PCMU", "g722")
    assert codec_priority("PCMU/8000/1", order) == 255
    assert codec_priority("G722/16000/1", order) == 254
    assert codec_priority("PCMA/8000/1", order) == 0
    assert codec_priority("speex/16000/1", order) == 0


def test_the_default_order_is_wideband_then_g711() -> None:
    order = PhoneConfig().codecs
    ranked = sorted(
        ("PCMU/8000/1", "G722/16000/1", "PCMA/8000/1"),
        key=lambda c: -codec_priority(c, order),
    )
    assert ranked == ["G722/16000/1", "PCMA/8000/1", "PCMU/8000/1"]


def test_media_binds_to_the_configured_address_and_port_range() -> None:
    tcfg = pj.TransportConfig()
    media_transport(tcfg, PhoneConfig(bind_address="10.8.0.5", rtp_port=16384, rtp_port_range=100))
    assert (tcfg.boundAddress, tcfg.publicAddress) == ("10.8.0.5", "10.8.0.5")
    assert (tcfg.port, tcfg.portRange) == (16384, 100)


def test_any_address_leaves_the_library_to_choose() -> None:
    tcfg = pj.TransportConfig()
    media_transport(tcfg, PhoneConfig(bind_address="0.0.0.0"))
    assert (tcfg.boundAddress, tcfg.publicAddress, tcfg.port) == ("", "", 0)


def test_the_registrar_host_is_read_from_its_uri() -> None:
    assert registrar_host("sip:pbx.example.com") == "pbx.example.com"
    assert registrar_host("sip:u@10.1.2.3:5070;transport=tcp") == "10.1.2.3"
    assert registrar_host("sips:[2001:db8::1]:5061") == "2001:db8::1"


def test_the_advertised_address_is_the_bound_one_else_the_route_to_the_registrar() -> None:
    assert advertised_address("10.8.0.5", "sip:127.0.0.1") == "10.8.0.5"
    assert advertised_address("0.0.0.0", "sip:127.0.0.2:5060") == "127.0.0.1"  # loopback's
    assert advertised_address("0.0.0.0", "sip:pbx.example.com") == ""  # no DNS on this path
    assert advertised_address("0.0.0.0", "") == ""
