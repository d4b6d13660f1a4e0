"""Name lookups that never block the engine's thread.

Without a name server of its own, pjsip looks a registrar's name up with the C library's
``getaddrinfo``, which blocks the thread that polls pjlib for as long as the resolver waits
(10 s per try, 20 s with a search domain): the engine would stop answering its desk's
heartbeat and be killed as hung, again and again. Given name servers, pjsip uses its own
asynchronous resolver on the ioqueue instead. So a registrar named by DNS gets the system's
name servers (``/etc/resolv.conf``) handed to pjsip; a name in ``/etc/hosts`` (which pjsip's
resolver does not read) or an address keeps the quick local lookup.
"""

from __future__ import annotations

import contextlib
import ipaddress
from pathlib import Path

RESOLV_CONF = Path("/etc/resolv.conf")
HOSTS = Path("/etc/hosts")


def host_of(uri: str) -> str:
    """'sip:pbx.example.com:5060;transport=tcp' -> 'pbx.example.com'."""
    text = uri.strip()
    scheme, sep, rest = text.partition(":")
    if sep and scheme.lower() in ("sip", "sips"):
        text = rest
    text = text.split("@")[-1].split(";")[0].split(">")[0]
    if text.startswith("["):
        return text[1 : text.index("]")] if "]" in text else text[1:]
    return text.split(":")[0]


def is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def in_hosts_file(host: str, hosts: Path = HOSTS) -> bool:
    with contextlib.suppress(OSError):
        for line in hosts.read_text(errors="replace").splitlines():
            names = line.split("#", 1)[0].split()[1:]
            if host.lower() in (name.lower() for name in names):
                return True
    return False


def system_nameservers(resolv_conf: Path = RESOLV_CONF) -> list[str]:
    servers: list[str] = []
    with contextlib.suppress(OSError):
        for line in resolv_conf.read_text(errors="replace").splitlines():
            fields = line.split()
            if len(fields) >= 2 and fields[0] == "nameserver" and is_address(fields[1]):
                servers.append(fields[1])
    return servers


def nameservers_for(registrar: str) -> list[str]:
    """The name servers pjsip should query itself (asynchronously) for this registrar; none
    when it needs no DNS."""
    if not registrar:
        return []
    host = host_of(registrar)
    if not host or is_address(host) or in_hosts_file(host):
        return []
    return system_nameservers()


def nameservers_for_account(*uris: str) -> list[str]:
    """The name servers for an account whose registrar, outbound proxy and domain are
    ``uris`` (a bare domain too): the system's when any of them is a DNS name, so that
    dialling ``2001`` (``sip:2001@<domain>``) or ``user@domain`` never blocks the engine's
    thread in getaddrinfo, even with the registrar given as an address. None when one of
    them is a name in ``/etc/hosts``: pjsip's resolver would not find that one."""
    hosts = [host_of(uri if ":" in uri or "@" in uri else f"sip:{uri}") for uri in uris if uri]
    names = [host for host in hosts if host and not is_address(host)]
    if not names or any(in_hosts_file(host) for host in names):
        return []
    return system_nameservers()
