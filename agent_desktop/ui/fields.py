"""How record fields and values are shown to an agent (dialogs that list fields by name)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from agent_desktop.ui.appearance import set_tone
from agent_desktop.ui.palette import ColourRole


def error_label(name: str) -> QLabel:
    """The line under a field that says what is wrong with it (hidden until it does)."""
    label = QLabel()
    label.setObjectName(name)
    set_tone(label, ColourRole.ERROR)
    label.setWordWrap(True)
    label.hide()
    return label


def local_time(stamp: datetime | None) -> str:
    """A moment as agents read it, in this PC's zone; year first in both languages, so there
    is no day/month order to misread."""
    return stamp.astimezone().strftime("%Y-%m-%d %H:%M") if stamp is not None else ""


def field_label(name: str) -> str:
    labels = {
        "name": QCoreApplication.translate("Fields", "Name"),
        "code": QCoreApplication.translate("Fields", "Customer code"),
        "notes": QCoreApplication.translate("Fields", "Notes"),
        "address": QCoreApplication.translate("Fields", "Address"),
        "vip": QCoreApplication.translate("Fields", "VIP"),
        "segment": QCoreApplication.translate("Fields", "Segment"),
        "language": QCoreApplication.translate("Fields", "Language"),
        "preferred_channel": QCoreApplication.translate("Fields", "Preferred channel"),
        "do_not_contact_by": QCoreApplication.translate("Fields", "Do not contact by"),
        "contacts": QCoreApplication.translate("Fields", "Contacts"),
        "team_id": QCoreApplication.translate("Fields", "Team"),
        "customer_id": QCoreApplication.translate("Fields", "Customer"),
        "summary": QCoreApplication.translate("Fields", "Summary"),
        "content": QCoreApplication.translate("Fields", "Description"),
        "status": QCoreApplication.translate("Fields", "Status"),
        "priority": QCoreApplication.translate("Fields", "Priority"),
        "urgency": QCoreApplication.translate("Fields", "Urgency"),
        "category": QCoreApplication.translate("Fields", "Category"),
        "complaint": QCoreApplication.translate("Fields", "Complaint"),
        "handler_id": QCoreApplication.translate("Fields", "Handler"),
        "article_ids": QCoreApplication.translate("Fields", "Linked articles"),
        "disposition": QCoreApplication.translate("Fields", "Wrap-up code"),
        "outcome": QCoreApplication.translate("Fields", "Outcome"),
        "satisfaction": QCoreApplication.translate("Fields", "Satisfaction"),
        "title": QCoreApplication.translate("Fields", "Title"),
        "body": QCoreApplication.translate("Fields", "Text"),
        "tags": QCoreApplication.translate("Fields", "Tags"),
        "result": QCoreApplication.translate("Fields", "Result"),
        "cause": QCoreApplication.translate("Fields", "Cause"),
        "resolution": QCoreApplication.translate("Fields", "Resolution"),
        "technician_id": QCoreApplication.translate("Fields", "Technician"),
        "method": QCoreApplication.translate("Fields", "Method"),
        "window_start": QCoreApplication.translate("Fields", "From"),
        "window_end": QCoreApplication.translate("Fields", "Until"),
        "due_at": QCoreApplication.translate("Fields", "Due"),
        "model": QCoreApplication.translate("Fields", "Model"),
        "serial_number": QCoreApplication.translate("Fields", "Serial number"),
        "warranty_end": QCoreApplication.translate("Fields", "Warranty until"),
    }
    return labels.get(name, name.replace("_", " "))


def entity_label(entity: str) -> str:
    labels = {
        "customer": QCoreApplication.translate("Fields", "customer"),
        "ticket": QCoreApplication.translate("Fields", "ticket"),
        "interaction": QCoreApplication.translate("Fields", "interaction"),
        "dispatch": QCoreApplication.translate("Fields", "dispatch"),
        "task": QCoreApplication.translate("Fields", "callback or survey"),
        "asset": QCoreApplication.translate("Fields", "product"),
        "article": QCoreApplication.translate("Fields", "article"),
    }
    return labels.get(entity, entity)


def record_title(entity: str, data: dict[str, Any]) -> str:
    """A short way to name a record: its number, code or name, else its id."""
    for key in ("number", "code", "name", "title", "summary"):
        value = data.get(key)
        if value:
            return f"{entity_label(entity)} {value}"
    return f"{entity_label(entity)} #{data.get('id', '?')}"


def format_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("Fields", "Yes")
            if value
            else QCoreApplication.translate("Fields", "No")
        )
    if isinstance(value, list):
        return ", ".join(
            str(item.get("name", item)) if isinstance(item, dict) else str(item) for item in value
        )
    return str(value)
