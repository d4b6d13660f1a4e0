"""The warm-transfer note: a few words from the agent that travel with a consult or transferred
call in one SIP header, and are shown on the colleague's desk while it rings.

On the wire the note is URL-safe base64 (no padding) of its UTF-8 bytes: a header value must be
ASCII and may not hold line breaks, and base64 keeps Chinese at 4 characters for 3 bytes where
percent-encoding takes 9. The URL-safe alphabet lets the same value ride as a header parameter
of a Refer-To URI (``sip:8101@pbx?X-AW-Note=…``), which the transferee copies into its INVITE
(a blind transfer). Both ends cap it: an INVITE over ~1300 bytes would make pjsip switch UDP to
TCP, which a phone without a TCP transport cannot do.

Whatever arrives is untrusted (any caller can send the header): ``decode_note`` never raises,
drops a value that is too long, not base64 or not UTF-8, and removes control and format
characters (NUL, line breaks, bidirectional overrides) before anything shows it.
"""

from __future__ import annotations

import base64
import binascii
import unicodedata
from urllib.parse import quote

NOTE_HEADER = "X-AW-Note"
NOTE_MAX_BYTES = 240  # of UTF-8: 80 Chinese characters, or 240 Latin ones
_WIRE_MAX = (NOTE_MAX_BYTES * 4 + 2) // 3  # its base64 length
_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def clean_note(text: str) -> str:
    """What may be shown and sent: one line, no control or format characters, whitespace runs
    made single spaces, at most NOTE_MAX_BYTES of UTF-8 (cut at a character, never inside)."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char.isspace():
            kept.append(" ")
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue  # NUL, escapes, bidi overrides, lone surrogates, private or unassigned
        else:
            kept.append(char)
    line = " ".join("".join(kept).split())
    data = line.encode("utf-8")
    if len(data) <= NOTE_MAX_BYTES:
        return line
    return data[:NOTE_MAX_BYTES].decode("utf-8", errors="ignore").rstrip()


def encode_note(text: str) -> str:
    """The header value for a note ("" for a note that is empty once cleaned)."""
    line = clean_note(text)
    if not line:
        return ""
    return base64.urlsafe_b64encode(line.encode("utf-8")).decode("ascii").rstrip("=")


def decode_note(value: str | None) -> str:
    """The note a header value carries, cleaned; "" for anything that is not a note."""
    if not value:
        return ""
    wire = value.strip()
    if not wire or len(wire) > _WIRE_MAX or not set(wire) <= _ALPHABET:
        return ""  # too long to be ours, or not base64: not read at all
    try:
        data = base64.urlsafe_b64decode(wire + "=" * (-len(wire) % 4))
        text = data.decode("utf-8")
    except (binascii.Error, ValueError):
        return ""
    return clean_note(text)


def with_note(uri: str, note: str) -> str:
    """A Refer-To target that asks the transferee to carry the note in its INVITE (RFC 3261
    URI headers: ``?name=value``); the target unchanged for an empty note."""
    value = encode_note(note)
    if not value:
        return uri
    separator = "&" if "?" in uri else "?"
    return f"{uri}{separator}{NOTE_HEADER}={quote(value, safe='')}"
