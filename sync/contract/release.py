"""Which desk releases are current, as the server tells every desk (issue 18, contract 1.5).

IT configures the server with the newest released desk version and, ahead of raising the
oldest contract it serves (``ServerSettings.oldest_desk``: desks below it get 426
``desk_too_old``), the oldest it will serve after that step. Every answer carries them in
headers, like ``Date`` and ``X-AW-Contract``: a header reaches every desk on whichever call it
makes (sign-in, the 15 s connection check), and a desk of an older contract ignores headers it
does not know, so nothing older breaks. A server before 1.5 sends none: the desk knows
nothing (``Urgency.UNKNOWN``) and says nothing.

- ``X-AW-Desk-Newest: 1.6.0``: the newest released desk (the app's version).
- ``X-AW-Desk-Oldest: 1.0``: the oldest contract served now.
- ``X-AW-Desk-Oldest-Next: 1.3; from=2027-01-15``: the oldest contract the next step will
  serve, and from when (the date is what IT announced, shown as is, optional).

Pure: the server formats, the desk parses and judges (``advise``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from sync.contract.version import ContractVersion, ContractVersionError, parse_version

NEWEST_HEADER = "X-AW-Desk-Newest"
OLDEST_HEADER = "X-AW-Desk-Oldest"
OLDEST_NEXT_HEADER = "X-AW-Desk-Oldest-Next"

_RELEASE = re.compile(r"^\d{1,4}(\.\d{1,4}){0,3}([.+-]?[A-Za-z0-9.+-]{0,32})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Urgency(Enum):
    """What the desk tells the agent and IT, least urgent first."""

    UNKNOWN = "unknown"  # the server says nothing (before 1.5, or not configured)
    CURRENT = "current"
    OUTDATED = "outdated"  # a newer desk is released: update when convenient
    ENDING = "ending"  # the next step of the server will refuse this desk: update soon


@dataclass(frozen=True, slots=True)
class DeskRelease:
    """What the server said about desk releases (empty fields: not said)."""

    newest: str = ""
    oldest: ContractVersion | None = None
    oldest_next: ContractVersion | None = None
    next_from: str = ""  # YYYY-MM-DD, as configured


def release_number(text: str) -> tuple[int, ...]:
    """``"1.6.0"`` -> (1, 6, 0); a suffix (``1.6.0rc1``, ``+deb``) is not compared."""
    match = re.match(r"^\d+(\.\d+)*", text.strip())
    return tuple(int(part) for part in match.group(0).split(".")) if match else ()


def valid_release(text: str) -> bool:
    return bool(_RELEASE.match(text.strip())) and bool(release_number(text))


def valid_date(text: str) -> bool:
    return bool(_DATE.match(text.strip()))


def contract_setting(text: str) -> ContractVersion | None:
    """A contract version as configured (``MAJOR.MINOR``; empty: not set). ValueError when
    it is not one (argparse's ``type=`` turns that into the option's error)."""
    if not text.strip():
        return None
    try:
        return parse_version(text)
    except ContractVersionError as exc:
        raise ValueError(str(exc)) from None


def headers_for(release: DeskRelease) -> dict[str, str]:
    """The headers a server stamps on every answer."""
    headers: dict[str, str] = {}
    if release.newest:
        headers[NEWEST_HEADER] = release.newest
    if release.oldest is not None:
        headers[OLDEST_HEADER] = str(release.oldest)
    if release.oldest_next is not None:
        value = str(release.oldest_next)
        when = f"; from={release.next_from}" if release.next_from else ""
        headers[OLDEST_NEXT_HEADER] = value + when
    return headers


def _contract(text: str | None) -> ContractVersion | None:
    if not text or not text.strip():
        return None
    try:
        return parse_version(text)
    except ContractVersionError:
        return None


def from_headers(headers: Mapping[str, str]) -> DeskRelease | None:
    """What an answer's headers say (``headers`` looked up case-insensitively, as requests'
    are); None when it says nothing. A malformed value counts as not said: a proxy's odd
    header must not make a desk warn."""
    newest = (headers.get(NEWEST_HEADER) or "").strip()
    oldest = _contract(headers.get(OLDEST_HEADER))
    next_text, _, params = (headers.get(OLDEST_NEXT_HEADER) or "").partition(";")
    oldest_next = _contract(next_text)
    when = params.strip().removeprefix("from=").strip()
    release = DeskRelease(
        newest=newest if valid_release(newest) else "",
        oldest=oldest,
        oldest_next=oldest_next,
        next_from=when if oldest_next is not None and valid_date(when) else "",
    )
    return None if release == DeskRelease() else release


def advise(
    desk_version: str, desk_contract: ContractVersion, release: DeskRelease | None
) -> Urgency:
    """How urgently this desk should be updated: ENDING when the server's next step will no
    longer serve its contract, else OUTDATED when a newer release exists, else CURRENT."""
    if release is None:
        return Urgency.UNKNOWN
    if release.oldest_next is not None and desk_contract < release.oldest_next:
        return Urgency.ENDING
    if release.newest and release_number(desk_version) < release_number(release.newest):
        return Urgency.OUTDATED
    if release.newest or release.oldest_next is not None:
        return Urgency.CURRENT
    return Urgency.UNKNOWN
