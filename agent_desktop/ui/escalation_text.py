"""How the desk says an escalation level and to whom: "Level 2 · 王经理 (service manager)", in
the desk's language. The ticket form and the lead's board both show it; the level's label is
the centre's own (``sync.contract.sla``: set per level in English and Chinese) and, when the
centre gave none, the kind of target, translated here."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def target_text(target: str | None) -> str:
    """A level's target kind (``EscalationTarget``'s value) as the desk says it."""
    names = {
        "team_lead": QCoreApplication.translate("EscalationText", "team lead"),
        "team_manager": QCoreApplication.translate("EscalationText", "team manager"),
        "role": QCoreApplication.translate("EscalationText", "by role"),
        "user": QCoreApplication.translate("EscalationText", "named person"),
    }
    return names.get(target or "", "")


def escalation_text(
    level: int,
    escalated_to: str | None,
    target: str | None,
    label_en: str,
    label_zh: str,
    *,
    chinese: bool,
) -> str:
    """ "Level 2 · 王经理 (service manager)"; the parts the server did not say are left out (a
    server before contract 1.6 says only the level)."""
    label = ((label_zh or label_en) if chinese else (label_en or label_zh)) or target_text(target)
    text = QCoreApplication.translate("EscalationText", "Level %1").replace("%1", str(level))
    if escalated_to:
        # "%1 · %2": the level, then the names
        who = QCoreApplication.translate("EscalationText", "%1 · %2")
        text = who.replace("%1", text).replace("%2", escalated_to)
    if label:
        # "%1 (%2)": the level and names, then what the centre calls the level
        named = QCoreApplication.translate("EscalationText", "%1 (%2)")
        text = named.replace("%1", text).replace("%2", label)
    return text
