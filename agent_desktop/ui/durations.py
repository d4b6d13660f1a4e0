"""How a span of time reads, everywhere on the desk: "11 h 59 min", "2 d 3 h", "overdue 8 h"
(超时 8 小时), never a clock face like "11:59:49" (issue 19: Tickets said "overdue 8 h" while the
wallboard said "breaches in 11:59:49" about the same kind of deadline).

Two shapes, chosen by what the number is:

- ``span`` / ``remaining`` / ``left_text``: a deadline or an amount of time, in days, hours and
  minutes (the seconds would only flicker). Tickets, the ticket form, the 360 and the wallboard's
  deadlines and alerts use these.
- ``stopwatch``: a timer that runs while one looks at it (a call, time in state, the longest
  wait), m:ss or h:mm:ss, because its seconds move.

The words come from the translation (context ``Duration``), so both languages read alike.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

_MINUTE = 60
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR


def span(seconds: float) -> str:
    """How long, whatever the sign: "45 min", "11 h 59 min", "8 h", "2 d 3 h", "3 d".

    Minutes are whole minutes down (a deadline 59 min 59 s away reads "59 min"); below a
    minute it reads "0 min", so a countdown never jumps from "1 min" to nothing."""
    whole = abs(int(seconds))
    days, rest = divmod(whole, _DAY)
    hours, rest = divmod(rest, _HOUR)
    minutes = rest // _MINUTE
    if days:
        if hours:
            return (
                QCoreApplication.translate("Duration", "%1 d %2 h")
                .replace("%1", str(days))
                .replace("%2", str(hours))
            )
        return QCoreApplication.translate("Duration", "%1 d").replace("%1", str(days))
    if hours:
        if minutes:
            return (
                QCoreApplication.translate("Duration", "%1 h %2 min")
                .replace("%1", str(hours))
                .replace("%2", str(minutes))
            )
        return QCoreApplication.translate("Duration", "%1 h").replace("%1", str(hours))
    return QCoreApplication.translate("Duration", "%1 min").replace("%1", str(minutes))


def remaining(seconds: float) -> str:
    """Time left to a deadline: "11 h 59 min left"; negative is past it: "overdue 8 h"."""
    if seconds < 0:
        return QCoreApplication.translate("Duration", "overdue %1").replace("%1", span(seconds))
    return QCoreApplication.translate("Duration", "%1 left").replace("%1", span(seconds))


def left_text(due: datetime | None, now: datetime) -> str:
    """``remaining`` to ``due`` from ``now`` (empty without a deadline)."""
    if due is None:
        return ""
    return remaining((due - now).total_seconds())


def stopwatch(seconds: float | None) -> str:
    """A running timer: m:ss, or h:mm:ss from an hour (empty for no value; never negative)."""
    if seconds is None:
        return ""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, _HOUR)
    minutes, secs = divmod(rest, _MINUTE)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
