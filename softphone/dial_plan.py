"""A site's dial plan: how a number the desk shows becomes what the phone dials, and how a
number the network sends becomes what the CRM is searched by.

Configured per site in the desk's settings (``[dial_plan]``, next to ``[phone]``). Pure string
rules, no libraries: the screen pop's lookup normalises the result to E.164 afterwards
(``sync.contract.phone``), and this package may not import ``sync``.

Dialling (``DialPlan.dialling``):
- an extension written after the number (``ext. 2301``, ``x2301``, ``转2301``, ``分机2301``,
  ``#2301``, ``,2301`` or ``-2301`` after a complete number) is *not* dialled as part of the
  number: the number is dialled, and the extension is sent as DTMF once the call connects;
- a number in the home country is dialled nationally (trunk prefix + national number), one in
  the home area without its area code, a mobile without the trunk prefix, a foreign one with
  the international prefix; the outside-line prefix (``9``, ``0``) goes in front of every
  outside number, never in front of a short extension;
- a SIP URI, or anything with letters, is dialled as it is.

Lookup (``DialPlan.lookup_number``):
- IP-dialling prefixes (17951, 12593, …: carriers' cheap-rate access codes) are stripped;
- a local number (no area code) gets the home country and area code;
- a national number gets the home country; a short extension stays as it is (a colleague, not
  a customer, and never matched to a customer's number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# China's carriers' IP-dialling access codes (a caller id may arrive with one in front).
IP_PREFIXES = ("17951", "17911", "12593", "17909", "10193", "11808", "96688", "17969")

# Words and marks that introduce an extension at the end of a number: 转 (transfer to),
# 分机 (extension), ext./extension, x, #, ',' (a pause). '-' is handled apart (see below).
_EXTENSION = re.compile(
    r"\s*(?:转|分机|ext\.?|extension|x|#|,+|;)\s*(\d{1,8})\s*#?\s*$", re.IGNORECASE
)
_DASH_EXTENSION = re.compile(r"^(.*\d)\s*-\s*(\d{1,6})\s*$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")  # a Chinese mobile number (11 digits)


@dataclass(frozen=True, slots=True)
class Dialling:
    """What to dial: ``number`` now, ``dtmf`` (the extension) once the call connects."""

    number: str
    dtmf: str = ""


@dataclass(frozen=True, slots=True)
class DialPlan:
    country_code: str = "86"
    area_code: str = ""  # the site's own, without the trunk prefix ("10" for Beijing)
    trunk_prefix: str = "0"  # the national prefix
    international_prefix: str = "00"
    outside_line: str = ""  # dialled before an outside number on this PBX ("9"), or none
    max_extension_digits: int = 5  # a number this short is an internal extension
    local_digits: tuple[int, ...] = (7, 8)  # subscriber numbers without an area code
    ip_prefixes: tuple[str, ...] = IP_PREFIXES
    # The PBX's dialled numbers (hotlines, DIDs) and the queue each one is: "4008001234=VIP".
    queue_numbers: tuple[str, ...] = ()

    # -- dialling -------------------------------------------------------------------------

    def dialling(self, text: str) -> Dialling:
        """What the phone dials for ``text`` (a number as the desk shows it, or a URI)."""
        raw = text.strip()
        if not raw:
            return Dialling("")
        if raw.lower().startswith(("sip:", "sips:", "tel:")) or "@" in raw:
            return Dialling(raw)  # an address as typed: the agent means exactly that
        number, extension = split_extension(raw)
        digits = re.sub(r"[\s\-.()/]", "", number)
        if not re.fullmatch(r"\+?[0-9*#]+", digits):
            return Dialling(raw)  # letters: a SIP user name, dialled as it is
        if len(digits) <= self.max_extension_digits and not digits.startswith("+"):
            return Dialling(digits, extension)  # internal: no outside line
        return Dialling(self.outside_line + self._outside(digits), extension)

    def _outside(self, digits: str) -> str:
        cc = self.country_code
        if digits.startswith("+"):
            rest = digits[1:]
        elif self.international_prefix and digits.startswith(self.international_prefix):
            rest = digits[len(self.international_prefix) :]
        else:
            return digits  # national or local already: as the desk shows it
        if not cc or not rest.startswith(cc):
            return self.international_prefix + rest
        national = rest[len(cc) :]
        if _MOBILE.match(national) and cc == "86":
            return national
        if self.area_code and national.startswith(self.area_code):
            local = national[len(self.area_code) :]
            if len(local) in self.local_digits:
                return local  # in the home area: no area code
        return self.trunk_prefix + national

    # -- lookup -----------------------------------------------------------------------------

    def lookup_number(self, number: str) -> str:
        """What the CRM is searched by for a number the network sent (E.164 when it can be
        made one here; else as sent, for the lookup to judge)."""
        digits = re.sub(r"[\s\-.()]", "", number.strip())
        if not re.fullmatch(r"\+?\d+", digits):
            return number.strip()
        if digits.startswith("+"):
            return digits
        for prefix in self.ip_prefixes:
            if digits.startswith(prefix) and len(digits) - len(prefix) >= min(self.local_digits):
                digits = digits[len(prefix) :]
                break
        if len(digits) <= self.max_extension_digits:
            return digits  # a colleague's extension
        cc = self.country_code
        if self.international_prefix and digits.startswith(self.international_prefix):
            return "+" + digits[len(self.international_prefix) :]
        if self.trunk_prefix and digits.startswith(self.trunk_prefix):
            return f"+{cc}{digits[len(self.trunk_prefix) :]}" if cc else digits
        if cc == "86" and _MOBILE.match(digits):
            return f"+86{digits}"
        if cc and self.area_code and len(digits) in self.local_digits:
            return f"+{cc}{self.area_code}{digits}"
        if cc and digits.startswith(cc) and len(digits) > 11:
            return "+" + digits  # the country code without '+' or '00'
        return digits

    def queue_of(self, dialled: str) -> str:
        """The queue a dialled number is (from ``queue_numbers``), else ""."""
        wanted = re.sub(r"\D", "", dialled)
        for item in self.queue_numbers:
            number, _, queue = item.partition("=")
            if wanted and re.sub(r"\D", "", number) == wanted:
                return queue.strip()
        return ""


def split_extension(text: str) -> tuple[str, str]:
    """("+86 10 6529 5114", "2301") for "+86 10 6529 5114 ext. 2301" (and 转, x, #, ',', a
    trailing '-2301' after a complete number); (text, "") when there is none."""
    match = _EXTENSION.search(text)
    if match and re.search(r"\d", text[: match.start()]):
        return text[: match.start()].strip(), match.group(1)
    dash = _DASH_EXTENSION.match(text)
    if dash:
        # '-' also separates digit groups ("010-6529-5114"): it is an extension only when
        # what comes before it is a whole number on its own (11+ digits: a national number
        # with its trunk or country prefix, a mobile).
        before = re.sub(r"\D", "", dash.group(1))
        if len(before) >= 11:
            return dash.group(1).strip(), dash.group(2)
    return text.strip(), ""
