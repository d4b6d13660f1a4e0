"""A small customer base for screen-pop tests (filled into a real cache as a pull would), a
stand-in phone that emits ``incoming_call`` like the softphone, and ring/pop helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from agent_desktop.services.screen_pop import ScreenPop, ScreenPopService
from softphone import CallDirection, CallInfo, CallState
from sync.cache import LocalCache
from sync.clock import system_clock

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def customer(
    cid: int, name: str, contacts: list[tuple[str, str, str]], **extra: Any
) -> dict[str, Any]:
    return {
        "id": cid,
        "code": f"C-{cid}",
        "name": name,
        "team_id": 1,
        "segment": "standard",
        "vip": False,
        "language": "zh",
        "preferred_channel": "phone",
        "do_not_contact_by": [],
        "address": "北京市东城区帅府园1号",
        "notes": "",
        "contacts": [
            {"id": cid * 10 + i, "name": n, "phone_e164": p, "extension": "", "email": "",
             "kind": "mobile", "salutation": s}
            for i, (n, p, s) in enumerate(contacts)
        ],
        "version": 1,
        "updated_at": NOW.isoformat(),
        **extra,
    }  # fmt: skip


def records() -> list[tuple[str, int, dict[str, Any]]]:
    wang = customer(1, "北京协和医院 设备科", [("王建国", "+8613800138000", "mr")], vip=True)
    family = [
        customer(2, "李家", [("李明", "+861065521234", "mr")]),
        customer(3, "李家诊所", [("李红", "+861065521234", "ms")]),
    ]
    english = customer(4, "Harbour Dental", [("Sarah Johnson", "+85228345678", "ms")],
                       language="en")  # fmt: skip
    items: list[tuple[str, int, dict[str, Any]]] = [
        ("customer", c["id"], c) for c in [wang, *family, english]
    ]
    items += [
        ("asset", 11, {"customer_id": 1, "team_id": 1, "product_line": "输液泵", "model": "IP-300",
                       "serial_number": "SN-IP300-0001", "purchase_date": "2022-01-10",
                       "warranty_end": "2025-01-10",
                       "consumables": [{"name": "输液管路", "cycle_days": 30,
                                        "last_replaced": "2026-10-20"}]}),
        ("ticket", 21, {"customer_id": 1, "team_id": 1, "number": "SR-202611-00007",
                        "status": "in_progress",
                        "summary": "输液泵 E-17 报警", "category": "fault", "complaint": True,
                        "opened_at": (NOW - timedelta(days=2)).isoformat(),
                        "sla_due_at": (NOW + timedelta(hours=2)).isoformat()}),
        ("dispatch", 31, {"ticket_id": 21, "team_id": 1, "technician": "张工", "method": "onsite",
                          "status": "planned",
                          "window_start": (NOW + timedelta(days=1)).isoformat(),
                          "window_end": (NOW + timedelta(days=1, hours=2)).isoformat()}),
        ("interaction", 41, {"customer_id": 1, "team_id": 1, "kind": "call_in",
                             "started_at": (NOW - timedelta(days=2)).isoformat(),
                             "disposition": "ticket", "notes": "报警 E-17",
                             "remote_number": "+8613800138000"}),
        ("task", 51, {"customer_id": 1, "team_id": 1, "kind": "survey", "status": "open",
                      "due_at": (NOW + timedelta(days=3)).isoformat(), "notes": "满意度回访"}),
    ]  # fmt: skip
    return items


@dataclass
class Desk:
    """What the service needs of SyncService: the cache, and no server (offline)."""

    cache: LocalCache
    client_factory: Any = None


class FakePhone(QObject):
    incoming_call = Signal(object)
    call_state_changed = Signal(object)
    wall_clock = staticmethod(system_clock().timestamp)  # what a Phone stamps its calls with


def ring(phone: FakePhone, number: str, call_id: int = 1) -> None:
    phone.incoming_call.emit(
        CallInfo(call_id, CallDirection.INBOUND, CallState.INCOMING, f"sip:{number}@pbx", number)
    )


def popped(qtbot: QtBot, service: ScreenPopService, number: str, phone: FakePhone) -> ScreenPop:
    with qtbot.waitSignal(service.popped, timeout=5000) as signal:
        ring(phone, number)
    return cast(ScreenPop, signal.args[0])
