"""Phone numbers as agents and trunks actually send them, normalised to E.164 (+ extension).

Both ends use this: the backend on every write and lookup, the desktop for the screen pop, so a
caller id of ``010-6552 1234``, ``+86 10 6552 1234`` or ``00861065521234`` finds the same
customer. Parsing is Google's libphonenumber (the ``phonenumbers`` port); the default region
is where the centre is (China unless configured).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

DEFAULT_REGION = "CN"

# Chinese writing of "extension" (转 = transfer to, 分机 = extension) and SIP URI wrappers.
_EXTENSION_WORDS = re.compile(r"\s*(?:转|分机|ext\.?|extension|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_URI = re.compile(r"^(?:sips?|tel):([^@;>]+).*$", re.IGNORECASE)


class PhoneNumberError(ValueError):
    """The text is not a phone number; ``str()`` says what was wrong."""


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    e164: str
    extension: str = ""

    def __str__(self) -> str:
        return f"{self.e164} ext. {self.extension}" if self.extension else self.e164


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> PhoneNumber:
    """Parse ``raw`` into E.164 and an extension, or raise PhoneNumberError."""
    text = raw.strip().strip("<>")
    match = _URI.match(text)
    if match:
        text = match.group(1)
    extension = ""
    ext_match = _EXTENSION_WORDS.search(text)
    if ext_match:
        extension = ext_match.group(1)
        text = text[: ext_match.start()]
    if not re.search(r"\d", text):
        raise PhoneNumberError(f"{raw!r} has no digits")
    if len(re.sub(r"\D", "", text)) > 17:
        raise PhoneNumberError(f"{raw!r} is too long for a phone number")
    candidates = [text]
    digits = re.sub(r"[^\d+]", "", text)
    if not digits.startswith(("+", "0")) and len(digits) > 11:
        candidates.append("+" + digits)  # a trunk sending the country code without '+' or '00'
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            return PhoneNumber(e164, extension or (number.extension or ""))
    raise PhoneNumberError(f"{raw!r} is not a valid phone number")


def lookup_key(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """The E.164 form to look a caller up by, or None when ``raw`` is no usable number
    (anonymous, an internal extension, garbage): a lookup must never raise."""
    try:
        return normalise_phone(raw, region).e164
    except PhoneNumberError:
        return None
