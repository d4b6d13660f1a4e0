"""pjsip's SIP trace, made safe to keep: secrets scrubbed, and the last messages in a ring.

pjsua logs every SIP message it sends or receives as one entry ("TX 512 bytes Request msg
REGISTER/cseq=… to UDP 127.0.0.1:5060:" and the message). IT hands that trace to the PBX
team, so before it leaves the engine the account's password (should pjsip ever print it) and
the digest values of ``Authorization`` / ``Proxy-Authorization`` (``response``, ``nonce``,
``cnonce``: with them a captured trace could be replayed or the password guessed offline)
are replaced; nothing else is, so the trace still shows who registered where, with what
realm and URI. Pure functions and one small class: used on both sides of the engine's
channel (the engine scrubs, the desk keeps the ring for the diagnostics bundle).
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Iterable

HIDDEN = "<hidden>"
# SIP messages kept for the diagnostics bundle, and the most of one message kept (an INVITE
# with a large SDP is ~2 KiB; a bigger one is cut, its start is what a PBX engineer reads).
TRACE_MESSAGES = 200
MESSAGE_CHARS = 8_000
# A password shorter than this is not searched for in the text: it would blank out ordinary
# words of every message while adding no secrecy (digests never contain it in clear anyway).
MIN_SECRET_CHARS = 4

# "off": the trace never reaches the app's log (the ring still fills); "debug": it does when
# the app logs at debug; "info": always.
SIP_LOG_LEVELS = ("off", "debug", "info")

_MESSAGE = re.compile(r"^\s*[TR]X \d+ bytes ")
_AUTH_LINE = re.compile(r"(?im)^((?:proxy-)?authorization\s*:)(.*)$")
_DIGEST_VALUE = re.compile(r'(?i)\b(response|nonce|cnonce)(\s*=\s*)("[^"]*"|[^,\s]*)')


def is_message(text: str) -> bool:
    """A pjsua log entry that is a SIP message sent or received (not pjsip's chatter)."""
    return _MESSAGE.match(text) is not None


def _hide_digest(line: re.Match[str]) -> str:
    values = _DIGEST_VALUE.sub(
        lambda m: (
            f'{m.group(1)}{m.group(2)}"{HIDDEN}"'
            if m.group(3).startswith('"')
            else f"{m.group(1)}{m.group(2)}{HIDDEN}"
        ),
        line.group(2),
    )
    return line.group(1) + values


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the digest values of (Proxy-)Authorization headers and every secret
    (the account's password) replaced by ``<hidden>``; everything else as it was."""
    for secret in secrets:
        if len(secret) >= MIN_SECRET_CHARS:
            text = text.replace(secret, HIDDEN)
    return _AUTH_LINE.sub(_hide_digest, text)


def log_level(name: str) -> int:
    """The app-log level a SIP message is written at; 0 for "off" (not written)."""
    return {"debug": logging.DEBUG, "info": logging.INFO}.get(name, 0)


class SipTrace:
    """The last ``size`` SIP messages (already scrubbed), oldest first; bounded in count and in
    the length of each."""

    def __init__(self, size: int = TRACE_MESSAGES) -> None:
        self._messages: deque[str] = deque(maxlen=size)

    def add(self, message: str) -> None:
        text = message.rstrip()
        if len(text) > MESSAGE_CHARS:
            text = text[:MESSAGE_CHARS] + f"\n… ({len(text) - MESSAGE_CHARS} more characters)"
        self._messages.append(text)

    def messages(self) -> list[str]:
        return list(self._messages)

    def text(self) -> str:
        """The trace as one text file: each message, then a blank line."""
        return "".join(f"{message}\n\n" for message in self._messages)
