"""Which local address the phone advertises for SIP and media (issue 24).

pjsua, bound to every address (0.0.0.0), puts the default route's address in Via, Contact and
the SDP's c=. On an agent PC with a VPN beside the LAN the PBX is reached through the VPN, so
the far end sent audio to the LAN address: one-way audio or none. The configured address wins;
without one, the address of the interface that reaches the registrar (the kernel's route,
asked with a connected UDP socket: nothing is sent)."""

from __future__ import annotations

import ipaddress
import socket

ANY = ("", "0.0.0.0")


def registrar_host(registrar: str) -> str:
    """'sip:[user@]host[:port][;params]' -> 'host' (brackets of an IPv6 literal kept off)."""
    rest = registrar.split(":", 1)[-1].split(";", maxsplit=1)[0].rsplit("@", maxsplit=1)[-1]
    if rest.startswith("["):
        return rest[1 : rest.find("]")]
    return rest.rsplit(":", 1)[0] if rest.count(":") == 1 else rest


def route_source(host: str) -> str:
    """The local IPv4 address the kernel would send from to ``host`` (an IPv4 literal; no DNS
    here: this runs as the stack starts); '' when it is not one or there is no route."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return ""
    if address.version != 4:
        return ""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect((host, 5060))  # UDP connect only picks the route
        except OSError:
            return ""
        return str(probe.getsockname()[0])


def advertised_address(bind_address: str, registrar: str) -> str:
    """What Via, Contact and the SDP should say: the bind address when one is set, else the
    one that reaches the registrar, else '' (the library's choice)."""
    if bind_address not in ANY:
        return bind_address
    if registrar:
        return route_source(registrar_host(registrar))
    return ""
