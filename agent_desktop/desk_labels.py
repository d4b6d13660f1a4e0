"""Labels of the centre's desk codes (Not ready reasons, dispositions, ticket categories).

The shipped codes are labelled by the translation (context ``DeskCode``, the English label as
the key), so they follow the language switched at run time like every other string. A code the
centre added, or one it renamed, keeps the labels the server sent (``DeskCode.en``/``zh``): the
translation cannot know them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from sync.contract.wire import DeskCode


def _shipped() -> dict[tuple[str, str], str]:
    """(code, shipped English label) -> its label in the language in use. Built per call: the
    language can change between two calls."""
    return {
        ("signed_in", "Just signed in"): QCoreApplication.translate("DeskCode", "Just signed in"),
        ("break", "Break"): QCoreApplication.translate("DeskCode", "Break"),
        ("lunch", "Lunch"): QCoreApplication.translate("DeskCode", "Lunch"),
        ("meeting", "Meeting"): QCoreApplication.translate("DeskCode", "Meeting"),
        ("training", "Training"): QCoreApplication.translate("DeskCode", "Training"),
        ("callback_work", "Callback work"): QCoreApplication.translate("DeskCode", "Callback work"),
        ("missed_call", "Missed call"): QCoreApplication.translate("DeskCode", "Missed call"),
        ("resolved", "Resolved on the call"): QCoreApplication.translate(
            "DeskCode", "Resolved on the call"
        ),
        ("ticket", "Ticket created / updated"): QCoreApplication.translate(
            "DeskCode", "Ticket created / updated"
        ),
        ("dispatch", "Field dispatch arranged"): QCoreApplication.translate(
            "DeskCode", "Field dispatch arranged"
        ),
        ("callback", "Callback promised"): QCoreApplication.translate(
            "DeskCode", "Callback promised"
        ),
        ("info", "Information only"): QCoreApplication.translate("DeskCode", "Information only"),
        ("complaint", "Complaint recorded"): QCoreApplication.translate(
            "DeskCode", "Complaint recorded"
        ),
        ("wrong_number", "Wrong number / silent"): QCoreApplication.translate(
            "DeskCode", "Wrong number / silent"
        ),
        ("no_answer", "No answer (outbound)"): QCoreApplication.translate(
            "DeskCode", "No answer (outbound)"
        ),
        ("timed_out", "Wrap-up timed out"): QCoreApplication.translate(
            "DeskCode", "Wrap-up timed out"
        ),
        ("signed_out", "Ended by sign-out"): QCoreApplication.translate(
            "DeskCode", "Ended by sign-out"
        ),
        ("fault", "Fault"): QCoreApplication.translate("DeskCode", "Fault"),
        ("fault.power", "Will not power on"): QCoreApplication.translate(
            "DeskCode", "Will not power on"
        ),
        ("fault.alarm", "Alarm or error code"): QCoreApplication.translate(
            "DeskCode", "Alarm or error code"
        ),
        ("fault.display", "Display"): QCoreApplication.translate("DeskCode", "Display"),
        ("fault.reading", "Wrong or lost readings"): QCoreApplication.translate(
            "DeskCode", "Wrong or lost readings"
        ),
        ("fault.leak", "Leak"): QCoreApplication.translate("DeskCode", "Leak"),
        ("fault.paper", "Paper jam or feed"): QCoreApplication.translate(
            "DeskCode", "Paper jam or feed"
        ),
        ("fault.print", "Print quality"): QCoreApplication.translate("DeskCode", "Print quality"),
        ("fault.network", "Network or connection"): QCoreApplication.translate(
            "DeskCode", "Network or connection"
        ),
        ("maintenance", "Maintenance"): QCoreApplication.translate("DeskCode", "Maintenance"),
        ("maintenance.preventive", "Preventive maintenance"): QCoreApplication.translate(
            "DeskCode", "Preventive maintenance"
        ),
        ("maintenance.calibration", "Calibration"): QCoreApplication.translate(
            "DeskCode", "Calibration"
        ),
        ("consumables", "Consumables"): QCoreApplication.translate("DeskCode", "Consumables"),
        ("consumables.order", "Order or quote"): QCoreApplication.translate(
            "DeskCode", "Order or quote"
        ),
        ("consultation", "Consultation"): QCoreApplication.translate("DeskCode", "Consultation"),
        ("consultation.usage", "How to use"): QCoreApplication.translate("DeskCode", "How to use"),
        ("consultation.warranty", "Warranty and contract"): QCoreApplication.translate(
            "DeskCode", "Warranty and contract"
        ),
        ("complaint", "Complaint"): QCoreApplication.translate("DeskCode", "Complaint"),
        ("complaint.service", "Service (late, rude, no-show)"): QCoreApplication.translate(
            "DeskCode", "Service (late, rude, no-show)"
        ),
        ("complaint.quality", "Product quality"): QCoreApplication.translate(
            "DeskCode", "Product quality"
        ),
    }


def chinese_in_use() -> bool:
    """The language in use is Chinese (``LanguageSwitcher`` sets the default locale)."""
    return QLocale().language() == QLocale.Language.Chinese


def desk_code_label(code: DeskCode) -> str:
    """What the agent reads for ``code`` in the language in use."""
    translated = _shipped().get((code.code, code.en))
    if translated is not None:
        return translated
    if chinese_in_use():
        return code.zh or code.en or code.code
    return code.en or code.code
