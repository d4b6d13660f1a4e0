"""Phone numbers inside text the desk shows (a KB article, a note in the history), made
dialable: found, and in rich text turned into ``tel:`` links the view hands to the dialler.

Only runs of digits that look like a number a person would call are taken (7 to 17 digits,
with the usual separators and an optional extension: ``ext. 2301``, ``转2301``…); dates,
times, serial numbers with letters and short codes are left alone.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

# A number: '+' or a digit, then digits and separators, ending in a digit; then an optional
# extension. Lookarounds keep it off the middle of longer digit or letter runs.
NUMBER = re.compile(
    r"(?<![\w+/.:-])"
    r"(\+?\d[\d\s\-()]{5,22}\d)"
    r"(\s*(?:ext\.?|extension|转|分机|x|#)\s*\d{1,6})?"
    r"(?![\w/:-]|\.\d)",  # a full stop may end the sentence; "1.5" is no number
    re.IGNORECASE,
)
_TAG = re.compile(r"(<[^>]*>)")


def _plausible(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    if not 7 <= len(digits) <= 17:
        return False
    # 2026-12-05 and 10:42:03 are not numbers anyone dials; neither is a lone run of zeros.
    return not re.fullmatch(r"\d{4}-\d{2}-\d{2}", number.strip()) and digits.strip("0") != ""


def find_numbers(text: str) -> list[str]:
    """The dialable numbers in ``text``, as written (with their extension)."""
    found = []
    for match in NUMBER.finditer(text):
        if _plausible(match.group(1)):
            found.append(match.group(0).strip())
    return found


def link_numbers(html: str) -> str:
    """``html`` with each dialable number in its text wrapped in a ``tel:`` link (never inside
    a tag or an existing link)."""
    out: list[str] = []
    in_link = False
    for part in _TAG.split(html):
        if part.startswith("<"):
            name = part[1:].strip().lower()
            if name.startswith("a ") or name == "a>" or name.startswith("a>"):
                in_link = True
            elif name.startswith("/a"):
                in_link = False
            out.append(part)
            continue
        if in_link:
            out.append(part)
            continue
        out.append(NUMBER.sub(_link, part))
    return "".join(out)


def _link(match: re.Match[str]) -> str:
    text = match.group(0)
    if not _plausible(match.group(1)):
        return text
    # The href carries the number as written (with its extension) for the dial plan to read.
    return f'<a href="tel:{quote(text.strip(), safe="+")}">{text}</a>'


def number_of_link(url: str) -> str:
    """The number a ``tel:`` link made here stands for ("" for any other link)."""
    if not url.lower().startswith("tel:"):
        return ""
    return unquote(url[4:]).strip()
