"""Where the desk's SIP goes, as every IP phone lets IT set it: the domain (the address of
record, port included: it is what From and To carry and what numbers are dialled at), the
registrar (where REGISTER goes) and an outbound proxy (the SBC or PBX every request is
sent through, so the domain need not resolve to anything). Pure functions over the account.
"""

from __future__ import annotations

import ctypes
import logging

from softphone.errors import PhoneError
from softphone.events import PhoneConfig, Transport

log = logging.getLogger(__name__)


def has_port(domain: str) -> bool:
    """'cc.test:5070' and '[::1]:5070' name a port; 'cc.test' and '::1' do not."""
    host = domain.strip().rsplit("]", 1)[-1] if domain.startswith("[") else domain.strip()
    return host.count(":") == 1 and host.rsplit(":", 1)[1].isdigit()


def keep_port_in_from_to(library: str, keep: bool) -> bool:
    """Tell pjsip to print the port of From and To URIs ('sip:agent@cc.test:5070'). pjsip drops
    it by default (its reading of RFC 3261 Table 1), so a PBX that routes the domain by its
    port sees the wrong address of record; the switch (``pjsip_cfg()->endpt.
    allow_port_in_fromto_hdr``, the first field of the global ``pjsip_sip_cfg_var``) is not
    in pjsua2's API, so it is set in the loaded library itself. False when the library does
    not export it (the port is then dropped, as before, and the log says so)."""
    try:
        flag = ctypes.c_int.in_dll(ctypes.CDLL(library), "pjsip_sip_cfg_var")
    except (OSError, ValueError, AttributeError) as exc:
        if keep:
            log.warning("pjsip's setting to keep the port in From/To is not reachable: %s", exc)
        return False
    flag.value = 1 if keep else 0
    return True


def route_uri(proxy: str) -> str:
    """The outbound proxy as a loose route: 'sbc.example.com:5080' -> 'sip:…:5080;lr'.
    Without ``;lr`` pjsip routes strictly: the proxy's URI would replace the Request-URI and
    the PBX would no longer see whom we call."""
    uri = proxy.strip()
    if not uri.lower().startswith(("sip:", "sips:")):
        uri = f"sip:{uri}"
    params = [p.strip().lower() for p in uri.split(";")[1:]]
    return uri if "lr" in params else f"{uri};lr"


def secure_uris(config: PhoneConfig) -> list[str]:
    """The account's addresses that say ``sips:`` (RFC 3261 §19.1: TLS on every hop)."""
    named = (config.registrar, config.outbound_proxy)
    return [uri for uri in named if uri.strip().lower().startswith("sips:")]


def check(config: PhoneConfig) -> None:
    """Refuse an account that cannot work as written, with a sentence: a ``sips:`` registrar
    or proxy reached over UDP or TCP would quietly send the password's digest in clear."""
    secure = secure_uris(config)
    if secure and config.transport != Transport.TLS:
        raise PhoneError(
            f"{secure[0]} needs the TLS transport; set the phone's transport to TLS.", "start"
        )
