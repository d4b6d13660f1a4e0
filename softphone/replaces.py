"""An attended transfer's Replaces that arrives inside a URI rather than as a header.

RFC 3891 has the transferee turn the Refer-To URI's ``?Replaces=...`` into a Replaces header of
its new INVITE; pjsua then swaps the calls itself. Debian's baresip 1.0.0 does not: it sends
the whole Refer-To URI, headers and all, as the INVITE's Request-URI and To, and unescapes the
value wrongly (``Replaces=<call-id>?to-tag?<tag>?from-tag?<tag>``, where the transferor sent
``%3Bto-tag%3D``). The PBX's location lookup then rewrites the Request-URI, so only To still
says which call the new one replaces. Pure functions over the INVITE's text; the engine decides
what to do with a match (``softphone._pj``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

# A URI header "Replaces=" up to the end of the URI (">" or a blank), in any of the escapings
# seen: RFC 3891's %3B/%3D, literal ";"/"=", or baresip 1.0.0's "?".
_IN_URI = re.compile(r"[?&]Replaces=([^&>\s]+)", re.IGNORECASE)
_TAG = re.compile(r"(to-tag|from-tag)[?=]([^?;]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class UriReplaces:
    call_id: str
    to_tag: str = ""
    from_tag: str = ""


def _header(message: str, *names: str) -> str:
    head = message.split("\r\n\r\n", 1)[0]
    wanted = tuple(name.lower() + ":" for name in names)
    for line in head.splitlines():
        if line.lower().startswith(wanted):
            return line.split(":", 1)[1].strip()
    return ""


def replaces_in_uri(message: str) -> UriReplaces | None:
    """The dialog a received INVITE means to replace, when it names it only in its
    Request-URI or To URI (no Replaces header: that one pjsua handles itself)."""
    if _header(message, "Replaces"):
        return None
    request_line = message.split("\r\n", 1)[0] if "\r\n" in message else message.split("\n", 1)[0]
    for place in (request_line, _header(message, "To", "t")):
        found = _IN_URI.search(place)
        if found is None:
            continue
        value = unquote(found.group(1))
        call_id = re.split(r"[?;]", value, maxsplit=1)[0]
        if not call_id:
            continue
        tags = {name.lower(): tag for name, tag in _TAG.findall(value)}
        return UriReplaces(call_id, tags.get("to-tag", ""), tags.get("from-tag", ""))
    return None
