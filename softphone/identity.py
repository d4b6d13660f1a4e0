"""Who is calling, and on what, read from the raw INVITE as a carrier-grade UA reads it.

Pure functions over the message text pjsua2 hands to ``onIncomingCall`` and the address it
came from; nothing here touches pjsua2, the network or the clock, so poison input is tested
directly (``tests/unit/test_identity.py``).

- The caller: P-Asserted-Identity, then Remote-Party-ID, then From, but the first two only
  when the message came from a trusted source (the registrar/PBX, configured peers): anyone
  else could claim any number in them (RFC 3325 §5: a trust domain).
- Privacy (RFC 3323/3325: ``Privacy: id`` or ``header`` or ``user``, RPID's ``privacy=``, an
  anonymous From) makes the caller *withheld*: shown as withheld; the number is kept for the
  CRM lookup only when it came from the trust domain and the site allows it.
- Numbers per RFC 3966 / 3261: ``tel:`` URIs, ``user=phone``, visual separators, and
  ``phone-context`` (a global context such as ``+86-10`` prefixes the local number; a domain
  context leaves it local for the dial plan).
- Display names: quoted strings with escaped quotes and ``<`` inside, tokens, and bytes that
  are not UTF-8 (GBK/GB18030 trunks). pjsua2 hands the message over as ``str`` decoded with
  ``surrogateescape``; the original bytes are recovered and decoded as UTF-8, else GB18030.
  The name is the network's claim: the desk shows the CRM's name over it.
- The call's context: the dialled number (Request-URI, then To, then History-Info's first
  entry or the original Diversion), the queue and any IVR data
  from configured headers (``X-Queue``, ``Diversion``, ``History-Info``…); with trusted sources
  configured, the queue and IVR headers are read only from them.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote

# Bounds on what one INVITE may make us read: a header section past this is cut (pjsip has
# already parsed it, and takes no message over its 4,000-byte PJSIP_MAX_PKT_LEN; what we read
# is only for the screen), a value past this is cut too. bench/bench_identity.py measures it.
MAX_HEAD_CHARS = 16 * 1024
MAX_VALUE_CHARS = 2048
MAX_NAME_CHARS = 128  # a display name longer than this is cut (no wider than a call line)
MAX_NUMBER_CHARS = 64
MAX_DATA_ITEMS = 16
MAX_HEADERS = 128  # header lines read (a real INVITE has 15 to 40)

# RFC 3261 §7.3.3 compact forms of the headers read here.
_COMPACT = {"f": "from", "t": "to", "m": "contact", "v": "via", "i": "call-id"}
ANONYMOUS_USERS = frozenset({"anonymous", "unknown", "private", "restricted", "unavailable"})
# RFC 3966 visual separators inside a telephone-subscriber.
_VISUAL = re.compile(r"[-.()\s]")
_PHONE_LIKE = re.compile(r"^\+?[0-9*#A-Da-d]+$")


class IdentitySource(StrEnum):
    PAI = "pai"  # P-Asserted-Identity
    RPID = "rpid"  # Remote-Party-ID
    FROM = "from"
    NONE = ""  # nothing readable


@dataclass(frozen=True, slots=True)
class NameAddr:
    """One name-addr or addr-spec of a header value: '"Wang" <sip:+86…@pbx>;tag=1'."""

    display: str  # decoded, unquoted
    uri: str
    params: str = ""  # the header parameters after the URI (";privacy=full;screen=yes")


@dataclass(frozen=True, slots=True)
class Caller:
    number: str  # for the lookup: "" when withheld and not kept, or no number at all
    display_name: str  # decoded, for the call line; "" when withheld
    source: IdentitySource
    withheld: bool  # show as withheld whatever ``number`` holds
    uri: str = ""


@dataclass(frozen=True, slots=True)
class OfferPolicy:
    """What the site allows; built from the phone's configuration."""

    trusted: tuple[str, ...] = ()  # addresses or networks (CIDR) whose assertions we believe
    keep_withheld_number: bool = True  # look a withheld caller up when asserted by the trust
    own_users: tuple[str, ...] = ()  # our account's user: a Request-URI to us is no dialled no.
    queue_headers: tuple[str, ...] = ("X-Queue",)
    data_headers: tuple[str, ...] = ()  # IVR data to keep on the call ("Diversion", "X-IVR-…")


@dataclass(frozen=True, slots=True)
class Offer:
    """Everything read from one incoming INVITE."""

    caller: Caller
    dialled: str = ""  # the number the customer called (a hotline, a DID)
    queue: str = ""
    data: tuple[tuple[str, str], ...] = ()  # (header, value) in the order configured
    trusted: bool = False


# -- the message -------------------------------------------------------------------------------


def split_message(message: str) -> tuple[str, list[tuple[str, str]]]:
    """The start line and the headers (lower-case name, value) of a SIP message's text, with
    folded lines joined, compact names expanded, NULs and other controls dropped, and the
    sizes bounded. Never raises."""
    head = message[:MAX_HEAD_CHARS]
    for end in ("\r\n\r\n", "\n\n"):
        if end in head:
            head = head.split(end, 1)[0]
            break
    lines: list[str] = []
    head = _CONTROLS_IN_HEAD.sub("", head)  # once for the whole section: line breaks stay
    for raw in head.replace("\r\n", "\n").split("\n", MAX_HEADERS * 2)[: MAX_HEADERS * 2]:
        line = raw.replace("\r", "")
        if raw[:1] in (" ", "\t") and lines:  # RFC 3261 §7.3.1 line folding
            lines[-1] = (lines[-1] + " " + line.strip())[:MAX_VALUE_CHARS]
        else:
            lines.append(line)
    if not lines:
        return "", []
    headers: list[tuple[str, str]] = []
    for line in lines[1 : MAX_HEADERS + 1]:
        name, colon, value = line.partition(":")
        if not colon:
            continue
        key = name.strip().lower()
        headers.append((_COMPACT.get(key, key), value.strip()[:MAX_VALUE_CHARS]))
    return lines[0][:MAX_VALUE_CHARS], headers


_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_CONTROLS_IN_HEAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    # NUL and other C0 controls (but tab) have no place in a header; a trunk that sends them
    # must not get them onto the screen or into a lookup.
    return _CONTROLS.sub("", text)


def values(headers: list[tuple[str, str]], name: str, limit: int = MAX_DATA_ITEMS) -> list[str]:
    """The first ``limit`` values of a header, each line a comma-separated list split outside
    quotes and brackets (bounded: a flood of values costs no more than ``limit``)."""
    wanted = _COMPACT.get(name.lower(), name.lower())
    found: list[str] = []
    for key, value in headers:
        if key == wanted:
            found += split_list(value, limit - len(found))
            if len(found) >= limit:
                break
    return found


def last_value(headers: list[tuple[str, str]], name: str) -> str:
    """The last value of the last such header ("" when absent)."""
    wanted = _COMPACT.get(name.lower(), name.lower())
    line = next((value for key, value in reversed(headers) if key == wanted), "")
    parts = split_list(line, MAX_VALUE_CHARS)
    return parts[-1] if parts else ""


def first_value(headers: list[tuple[str, str]], name: str) -> str:
    """The whole value of the first such header ("" when absent): a queue's name may hold a
    comma."""
    wanted = _COMPACT.get(name.lower(), name.lower())
    return next((value for key, value in headers if key == wanted), "")


# One list item: quoted strings (with escapes; unterminated runs to the end), bracketed
# URIs (commas inside both are kept) and anything else but a comma.
_ITEM = re.compile(r'(?:"(?:[^"\\]++|\\.)*+(?:"|$)|<[^>]*+>?|[^,"<]++)++', re.DOTALL)


def split_list(value: str, limit: int = MAX_DATA_ITEMS) -> list[str]:
    """The first ``limit`` items of a comma-separated header value."""
    items: list[str] = []
    for match in _ITEM.finditer(value):
        item = match.group(0).strip()
        if item:
            items.append(item)
            if len(items) >= limit:
                break
    return items


# -- name-addr ---------------------------------------------------------------------------------

# Possessive: an unterminated quote fails in linear time, never by backtracking.
_QUOTED = re.compile(r'"((?:[^"\\]++|\\.)*+)"', re.DOTALL)


def _unescape(text: str) -> str:
    """RFC 3261 quoted-pair: a backslash makes the next character literal. (NUL, a control
    the name loses anyway, holds an escaped backslash's place meanwhile.)"""
    if "\\" not in text:
        return text
    held = text.replace("\x00", "").replace("\\\\", "\x00")
    return held.replace("\\", "").replace("\x00", "\\")


def parse_name_addr(value: str) -> NameAddr:
    """RFC 3261 §20.10 ``name-addr`` / ``addr-spec``, tolerant of what trunks send: a quoted
    display name may hold ``<``, ``>``, ``,`` and escaped quotes; an unquoted one is the text
    before ``<``. Never raises."""
    text = value.strip()
    display = ""
    rest = text
    if text.startswith('"'):
        quoted = _QUOTED.match(text)
        body = quoted.group(1) if quoted else text[1:]  # unterminated: the rest is the name
        # Only what can be shown is unescaped (a name is cut to MAX_NAME_CHARS anyway).
        display = _unescape(body[: MAX_NAME_CHARS * 8])
        rest = text[quoted.end() :] if quoted else ""
    if "<" in rest:
        before, _, after = rest.partition("<")
        if not display:
            display = before.strip()
        uri, _, params = after.partition(">")
        return NameAddr(decode_name(display), uri.strip(), params.strip())
    # addr-spec: no brackets, so everything after the first ';' belongs to the header.
    uri, semi, params = rest.strip().partition(";")
    return NameAddr(decode_name(display), uri.strip(), (semi + params).strip())


def decode_name(text: str, max_chars: int = MAX_NAME_CHARS) -> str:
    """A display name as people should see it: the bytes pjsua2 received decoded as UTF-8,
    else GB18030 (a superset of GBK), else with replacement marks; controls and bidi tricks
    dropped; bounded."""
    text = text[: max_chars * 4]  # no name needs more (4 bytes a character in GB18030)
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # lone surrogates not from surrogateescape: not bytes at all
        raw = text.encode("utf-8", "replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            name = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        name = raw.decode("utf-8", "replace")
    # Cf (format) characters include right-to-left overrides that can make a number read
    # backwards on screen; Cc are controls.
    name = name[: max_chars * 2]  # what is dropped below is rare: twice the room is plenty
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    return " ".join(name.split())[:max_chars]


# -- numbers -----------------------------------------------------------------------------------


def uri_number(uri: str) -> str:
    """The telephone number (or user) a SIP/SIPS/tel URI names, per RFC 3966 and RFC 3261
    §19.1.6: visual separators removed, ``%``-escapes undone, a global ``phone-context``
    prefixed to a local number. "" when the URI names nobody."""
    text = uri.strip()
    scheme, colon, rest = text.partition(":")
    scheme = scheme.lower()
    if not colon or scheme not in ("sip", "sips", "tel"):
        return ""
    if scheme == "tel":
        subscriber = rest
        user_phone = True
    else:
        user, at, host_part = rest.partition("@")
        if not at:
            return ""  # sip:host names no user
        subscriber = user
        user_phone = any(
            p.strip().lower() == "user=phone" for p in host_part.split("?")[0].split(";")[1:]
        )
    number, *params = subscriber.split("?")[0].split(";")
    number = _clean(unquote(number, errors="replace"))
    context = ""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "phone-context":
            context = _clean(unquote(value, errors="replace")).strip()
    bare = _VISUAL.sub("", number)
    if not _PHONE_LIKE.match(bare or "x"):
        # Not a telephone-subscriber: a user name ("alice", "anonymous"); as sent, bounded.
        return "" if user_phone and not bare else number.strip()[:MAX_NUMBER_CHARS]
    if not bare.startswith("+") and context.startswith("+"):
        # RFC 3966 §5.1.5: a global number's digits prefix the local number.
        bare = "+" + re.sub(r"\D", "", context) + bare
    return bare[:MAX_NUMBER_CHARS]


def _privacy(headers: list[tuple[str, str]]) -> set[str]:
    found: set[str] = set()
    for value in values(headers, "privacy"):
        found |= {p.strip().lower() for p in re.split(r"[;\s]+", value) if p.strip()}
    return found


def _param(params: str, name: str) -> str:
    for item in params.split(";"):
        key, _, value = item.partition("=")
        if key.strip().lower() == name:
            return value.strip().strip('"').lower()
    return ""


def _is_anonymous(addr: NameAddr, number: str) -> bool:
    host = addr.uri.partition("@")[2].lower()
    return (
        number.lower() in ANONYMOUS_USERS
        or host.startswith("anonymous.invalid")
        or (addr.display.strip().lower() in ANONYMOUS_USERS and not number)
    )


def is_trusted(source: str, trusted: tuple[str, ...]) -> bool:
    """Whether ``source`` ("ip:port", "[v6]:port" or a bare address) is one of the trusted
    addresses or networks. Names are not resolved here (no DNS on this path): a host name
    only matches the same text."""
    host = source.strip()
    if host.startswith("["):
        host = host[1 : host.find("]")] if "]" in host else host[1:]
    elif host.count(":") == 1:
        host = host.rsplit(":", 1)[0]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return any(host.lower() == t.strip().lower() for t in trusted)
    return any(
        address.version == network.version and address in network for network in _networks(trusted)
    )


_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)  # one account's list, parsed once rather than per INVITE
def _networks(trusted: tuple[str, ...]) -> tuple[_Network, ...]:
    networks: list[_Network] = []
    for entry in trusted:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue  # a host name: compared as text above
    return tuple(networks)


def _pick_asserted(items: list[str]) -> NameAddr | None:
    """RFC 3325 allows one sip/sips and one tel identity: prefer the one that is a number."""
    parsed = [parse_name_addr(v) for v in items[:4]]
    numbered = [p for p in parsed if _PHONE_LIKE.match(_VISUAL.sub("", uri_number(p.uri)) or "x")]
    chosen = numbered or parsed
    if not chosen:
        return None
    best = chosen[0]
    if not best.display:  # the name may ride on the other identity
        name = next((p.display for p in parsed if p.display), "")
        best = NameAddr(name, best.uri, best.params)
    return best


def read_caller(
    headers: list[tuple[str, str]], trusted: bool, keep_withheld_number: bool = True
) -> Caller:
    """The caller of an INVITE whose headers are ``headers`` (from ``split_message``)."""
    privacy = _privacy(headers)
    addr: NameAddr | None = None
    source = IdentitySource.NONE
    if trusted:
        pai = values(headers, "p-asserted-identity")
        if pai:
            addr, source = _pick_asserted(pai), IdentitySource.PAI
        if addr is None:
            rpid = values(headers, "remote-party-id")
            if rpid:
                addr, source = parse_name_addr(rpid[0]), IdentitySource.RPID
    if addr is None:
        from_ = values(headers, "from")
        if from_:
            addr, source = parse_name_addr(from_[0]), IdentitySource.FROM
    if addr is None:
        return Caller("", "", IdentitySource.NONE, True)
    number = uri_number(addr.uri)
    hide_name = bool(privacy & {"id", "header", "user"})
    hide_number = hide_name
    if source == IdentitySource.RPID:
        rpid_privacy = _param(addr.params, "privacy")
        hide_number = hide_number or rpid_privacy in ("full", "uri")
        hide_name = hide_name or rpid_privacy in ("full", "name")
    if source == IdentitySource.FROM and _is_anonymous(addr, number):
        return Caller("", "", source, True, addr.uri)
    if number.lower() in ANONYMOUS_USERS:
        number = ""
    withheld = hide_number or not number
    # Inside the trust domain the asserted number may still find the customer (the agent
    # serves them), though it is never shown; from outside it is dropped with the rest.
    keep = not hide_number or (trusted and keep_withheld_number and source != IdentitySource.FROM)
    return Caller(
        number if keep else "",
        "" if hide_name or withheld else addr.display,
        source,
        withheld,
        addr.uri if keep else "",
    )


def _header_user(value: str) -> str:
    return uri_number(parse_name_addr(value).uri)


def read_offer(message: str, source: str, policy: OfferPolicy) -> Offer:
    """Everything the desk wants from an incoming INVITE, read once when it is offered."""
    start, headers = split_message(message)
    trusted = bool(policy.trusted) and is_trusted(source, policy.trusted)
    caller = read_caller(headers, trusted, policy.keep_withheld_number)
    own = {u.lower() for u in policy.own_users if u}
    dialled = ""
    parts = start.split(" ")
    candidates = [uri_number(parts[1])] if len(parts) >= 3 and parts[0] == "INVITE" else []
    candidates += [_header_user(v) for v in values(headers, "to")[:1]]
    # Forwarded to us with our own address in both: the number first called is the first
    # History-Info entry (RFC 7044) or the last Diversion (RFC 5806: newest first).
    candidates += [_header_user(v) for v in values(headers, "history-info", 1)]
    candidates.append(_header_user(last_value(headers, "diversion")))
    for candidate in candidates:
        if candidate and candidate.lower() not in own:
            dialled = candidate
            break
    if policy.trusted and not trusted:
        # The PBX's routing data, from anyone but the PBX, is a caller choosing their own
        # queue (and its wrap-up time): ignored. With no trust configured (direct calls),
        # whoever rings is the only source there is.
        return Offer(caller, dialled, "", (), trusted)
    queue = ""
    for name in policy.queue_headers:
        found = first_value(headers, name)
        if found:
            queue = decode_name(found)  # a queue's name may be Chinese, in GBK
            break
    data: list[tuple[str, str]] = []
    for name in policy.data_headers:
        for value in values(headers, name)[:MAX_DATA_ITEMS]:
            data.append((name, decode_name(value, MAX_VALUE_CHARS)))
    return Offer(caller, dialled, queue, tuple(data[:MAX_DATA_ITEMS]), trusted)
