"""Labels of the centre's desk codes (Not ready reasons, dispositions, ticket categories).

The shipped codes are labelled by the translation (context ``DeskCode``, the English label as
the key), so they follow the language switched at run time like every other string. A code the
centre added, or one it renamed, keeps the labels the server sent (``DeskCode.en``/``zh``): the
translation cannot know them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from sync.contract.desk import DEFAULT_DESK_SETTINGS
from sync.contract.wire import DeskCode

# The shipped codes, each with its English label as shipped: written once, marked for the
# translation (``QT_TRANSLATE_NOOP``: lupdate finds it) and translated when asked, so the label
# follows the language switched at run time.
_SHIPPED: tuple[tuple[str, object], ...] = (
    ("signed_in", QT_TRANSLATE_NOOP("DeskCode", "Just signed in")),
    ("break", QT_TRANSLATE_NOOP("DeskCode", "Break")),
    ("lunch", QT_TRANSLATE_NOOP("DeskCode", "Lunch")),
    ("meeting", QT_TRANSLATE_NOOP("DeskCode", "Meeting")),
    ("training", QT_TRANSLATE_NOOP("DeskCode", "Training")),
    ("callback_work", QT_TRANSLATE_NOOP("DeskCode", "Callback work")),
    ("missed_call", QT_TRANSLATE_NOOP("DeskCode", "Missed call")),
    ("resolved", QT_TRANSLATE_NOOP("DeskCode", "Resolved on the call")),
    ("ticket", QT_TRANSLATE_NOOP("DeskCode", "Ticket created / updated")),
    ("dispatch", QT_TRANSLATE_NOOP("DeskCode", "Field dispatch arranged")),
    ("callback", QT_TRANSLATE_NOOP("DeskCode", "Callback promised")),
    ("info", QT_TRANSLATE_NOOP("DeskCode", "Information only")),
    ("complaint", QT_TRANSLATE_NOOP("DeskCode", "Complaint recorded")),
    ("wrong_number", QT_TRANSLATE_NOOP("DeskCode", "Wrong number / silent")),
    ("no_answer", QT_TRANSLATE_NOOP("DeskCode", "No answer (outbound)")),
    ("timed_out", QT_TRANSLATE_NOOP("DeskCode", "Wrap-up timed out")),
    ("signed_out", QT_TRANSLATE_NOOP("DeskCode", "Ended by sign-out")),
    ("fault", QT_TRANSLATE_NOOP("DeskCode", "Fault")),
    ("fault.power", QT_TRANSLATE_NOOP("DeskCode", "Will not power on")),
    ("fault.alarm", QT_TRANSLATE_NOOP("DeskCode", "Alarm or error code")),
    ("fault.display", QT_TRANSLATE_NOOP("DeskCode", "Display")),
    ("fault.reading", QT_TRANSLATE_NOOP("DeskCode", "Wrong or lost readings")),
    ("fault.leak", QT_TRANSLATE_NOOP("DeskCode", "Leak")),
    ("fault.paper", QT_TRANSLATE_NOOP("DeskCode", "Paper jam or feed")),
    ("fault.print", QT_TRANSLATE_NOOP("DeskCode", "Print quality")),
    ("fault.network", QT_TRANSLATE_NOOP("DeskCode", "Network or connection")),
    ("maintenance", QT_TRANSLATE_NOOP("DeskCode", "Maintenance")),
    ("maintenance.preventive", QT_TRANSLATE_NOOP("DeskCode", "Preventive maintenance")),
    ("maintenance.calibration", QT_TRANSLATE_NOOP("DeskCode", "Calibration")),
    ("consumables", QT_TRANSLATE_NOOP("DeskCode", "Consumables")),
    ("consumables.order", QT_TRANSLATE_NOOP("DeskCode", "Order or quote")),
    ("consultation", QT_TRANSLATE_NOOP("DeskCode", "Consultation")),
    ("consultation.usage", QT_TRANSLATE_NOOP("DeskCode", "How to use")),
    ("consultation.warranty", QT_TRANSLATE_NOOP("DeskCode", "Warranty and contract")),
    ("complaint", QT_TRANSLATE_NOOP("DeskCode", "Complaint")),
    ("complaint.service", QT_TRANSLATE_NOOP("DeskCode", "Service (late, rude, no-show)")),
    ("complaint.quality", QT_TRANSLATE_NOOP("DeskCode", "Product quality")),
)
# (QT_TRANSLATE_NOOP returns its text as it is; its stub says object.)
_SHIPPED_KEYS = frozenset((code, str(label)) for code, label in _SHIPPED)


def chinese_in_use() -> bool:
    """The language in use is Chinese (``LanguageSwitcher`` sets the default locale)."""
    return QLocale().language() == QLocale.Language.Chinese


def desk_code_label(code: DeskCode, chinese: bool | None = None) -> str:
    """What the agent reads for ``code`` in the language in use. ``chinese``: which of the
    server's labels a code of the centre's own gets (None: as the language in use; a worker
    making texts says which, the locale being the GUI thread's to change)."""
    if (code.code, code.en) in _SHIPPED_KEYS:
        return QCoreApplication.translate("DeskCode", code.en)
    if chinese if chinese is not None else chinese_in_use():
        return code.zh or code.en or code.code
    return code.en or code.code


def category_path_label(
    code: str,
    chinese: bool | None = None,
    categories: Sequence[DeskCode] = DEFAULT_DESK_SETTINGS.ticket_categories,
) -> str:
    """ "故障 › 报警/错误代码" for "fault.alarm", each level as ``desk_code_label`` words it; an
    unknown code is shown as it is."""
    known = {c.code: c for c in categories}
    parts = []
    path = code.split(".")
    for depth in range(1, len(path) + 1):
        entry = known.get(".".join(path[:depth]))
        if entry is None:
            return code
        parts.append(desk_code_label(entry, chinese))
    return " › ".join(parts)
