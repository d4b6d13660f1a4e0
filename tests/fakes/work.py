"""A desk's work in a real local cache, for the ticket, dispatch and callback UIs: the screen-pop
customers (tests.fakes.customers) plus people (an agent, an expert, field engineers), tickets in
several states, dispatches, callbacks, and a follow-up campaign. ``DeskSync`` stands in for
SyncService with no server (offline): reads and writes go to the real cache and its outbox."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel

from sync.cache import LocalCache
from sync.contract.desk import DEFAULT_DESK_SETTINGS
from sync.contract.records import Role, SessionGrant, Team, UserProfile
from sync.contract.rules import AGENT_PERMISSIONS, SUPERVISOR_PERMISSIONS
from sync.contract.wire import DeskSettings
from sync.entities import create_payload, edit_payload, payload_of
from tests.fakes.customers import NOW, records

AGENT_ID = 1
LEAD_ID = 2
EXPERT_ID = 5
ENGINEERS = {11: "张工", 12: "周工", 13: "Kelvin Wong"}


def _user(uid: int, name: str, role: str, skills: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "id": uid,
        "username": f"user{uid}",
        "display_name": name,
        "role": role,
        "team_id": 1,
        "skills": [{"skill": s, "level": 4} for s in skills],
        "version": 1,
        "updated_at": NOW.isoformat(),
        "region": "",
        "extension": "",
        **extra,
    }


def _ticket(tid: int, number: str, status: str, summary: str, **extra: Any) -> dict[str, Any]:
    opened = extra.pop("opened_at", NOW - timedelta(hours=5))
    return {
        "id": tid, "number": number, "customer_id": 1, "team_id": 1, "handler_id": AGENT_ID,
        "channel": "phone", "urgency": "medium", "priority": "P3", "category": "fault.alarm",
        "source": "hotline", "status": status, "summary": summary, "content": "",
        "complaint": False, "article_ids": [], "opened_at": opened.isoformat(),
        "closed_at": None, "escalation_level": 0, "sla_due_at": None,
        "resolve_due_at": (opened + timedelta(hours=72)).isoformat(), "version": 1,
        "updated_at": NOW.isoformat(), "contact_id": 10, "asset_id": 11, "attachments": [],
        **extra,
    }  # fmt: skip


def work_records() -> list[tuple[str, int, dict[str, Any]]]:
    """Everything a desk of team 1 has after a pull (ids as the server gave them)."""
    items = [r for r in records() if r[0] not in ("ticket", "dispatch", "task")]
    people = [
        _user(AGENT_ID, "王芳", "agent", ["medical-zh"]),
        _user(LEAD_ID, "张伟", "supervisor", [], extension="8001"),
        _user(EXPERT_ID, "陈杰 (二线专家)", "agent", ["second_line", "on_duty"], extension="8101"),
        _user(11, "张工", "technician", ["Patient Monitors", "Infusion Pumps"], region="北京"),
        _user(12, "周工", "technician", ["Analyzers", "Patient Monitors"], region="上海"),
        _user(13, "Kelvin Wong", "technician", ["Dental Imaging"], region="Hong Kong"),
    ]
    items += [("user", p["id"], p) for p in people]
    tickets = [
        _ticket(21, "SR-202611-00007", "in_progress", "输液泵 E-17 报警", complaint=True,
                category="complaint.quality", sla_due_at=(NOW + timedelta(hours=2)).isoformat()),
        _ticket(22, "SR-202611-00008", "new", "监护仪血氧读数丢失", priority="P1",
                resolve_due_at=(NOW - timedelta(hours=1)).isoformat()),
        _ticket(23, "SR-202611-00009", "resolved", "泵管漏液", category="fault.leak"),
        _ticket(24, "SR-202611-00010", "new", "Printer jam", customer_id=4, handler_id=LEAD_ID,
                asset_id=None, contact_id=None),
    ]  # fmt: skip
    items += [("ticket", t["id"], t) for t in tickets]
    tomorrow = (NOW + timedelta(days=1)).replace(hour=1, minute=0)
    dispatches = [
        {"id": 31, "ticket_id": 21, "team_id": 1, "technician": "张工", "technician_id": 11,
         "window_start": tomorrow.isoformat(),
         "window_end": (tomorrow + timedelta(hours=3)).isoformat(),
         "method": "on_site", "status": "planned", "cause": "", "resolution": "", "notes": "",
         "previous_dispatch_id": None, "version": 1, "updated_at": NOW.isoformat(),
         "address": "北京市东城区帅府园1号", "contact_name": "王建国",
         "contact_phone": "+8613800138000", "result": None, "parts_used": []},
        {"id": 32, "ticket_id": 22, "team_id": 1, "technician": "周工", "technician_id": 12,
         "window_start": (NOW - timedelta(days=1)).isoformat(),
         "window_end": (NOW - timedelta(days=1) + timedelta(hours=2)).isoformat(),
         "method": "on_site", "status": "failed", "cause": "缺配件", "resolution": "",
         "notes": "", "previous_dispatch_id": None, "version": 2, "updated_at": NOW.isoformat(),
         "address": "北京市东城区帅府园1号", "contact_name": "王建国",
         "contact_phone": "+8613800138000", "result": "not_resolved", "parts_used": []},
    ]  # fmt: skip
    items += [("dispatch", d["id"], d) for d in dispatches]
    campaign = {
        "id": 61, "team_id": 1, "name": "输液泵使用回访 Infusion pump usage survey",
        "script": "您好，我们在回访输液泵的使用情况：\n1. 最近是否出现过报警？",
        "outcome_codes": [
            {"code": "no_issue", "en": "No issues", "zh": "使用正常"},
            {"code": "needs_training", "en": "Wants training", "zh": "需要培训"},
        ],
        "active": True, "version": 1, "updated_at": NOW.isoformat(),
    }  # fmt: skip
    items.append(("campaign", 61, campaign))

    def task(kid: int, kind: str, due: datetime, **extra: Any) -> dict[str, Any]:
        return {
            "id": kid, "kind": kind, "customer_id": 1, "ticket_id": None, "team_id": 1,
            "assignee_id": AGENT_ID, "due_at": due.isoformat(), "status": "open",
            "outcome": "", "satisfaction": None, "notes": "", "version": 1,
            "updated_at": NOW.isoformat(), "outcome_code": None, "attempts": 0,
            "campaign_id": None, "campaign_outcome": "", **extra,
        }  # fmt: skip

    tasks = [
        task(51, "survey", NOW + timedelta(hours=1), ticket_id=23, notes="泵管漏液 回访"),
        task(52, "callback", NOW - timedelta(hours=2), ticket_id=21, notes="告知配件到货时间"),
        task(53, "proactive", NOW + timedelta(hours=3), campaign_id=61, customer_id=4),
        task(54, "survey", NOW - timedelta(days=2), status="done", outcome_code="reached",
             satisfaction=5, attempts=1),
    ]  # fmt: skip
    items += [("task", t["id"], t) for t in tasks]
    return items


def agent_grant(role: Role = Role.AGENT) -> SessionGrant:
    lead = role is not Role.AGENT
    return SessionGrant(
        token="t" * 32,
        expires_at=datetime(2030, 1, 1, tzinfo=UTC),
        user=UserProfile(
            id=LEAD_ID if lead else AGENT_ID,
            username="zhangwei" if lead else "wangfang",
            display_name="张伟" if lead else "王芳",
            role=role,
            team=Team(id=1, name="医疗设备热线 Medical Devices"),
        ),
        permissions=SUPERVISOR_PERMISSIONS if lead else AGENT_PERMISSIONS,
    )


@dataclass
class DeskSync:
    """What WorkService needs of SyncService, offline: the cache, the grant, the settings."""

    cache: LocalCache
    grant: SessionGrant = field(default_factory=agent_grant)
    desk_settings: DeskSettings = DEFAULT_DESK_SETTINGS
    client_factory: Any = None

    def create(self, entity: str, data: dict[str, Any]) -> Future[int]:
        return self.cache.create(entity, data)

    def save(self, entity: str, record_id: int, changes: dict[str, Any]) -> Future[None]:
        return self.cache.update(entity, record_id, changes)

    def save_together(self, edits: list[tuple[str, int, dict[str, Any]]]) -> Future[None]:
        return self.cache.update_together(edits)

    # The typed writes, turned into payloads as SyncService turns them.
    def create_record(self, request: BaseModel) -> Future[int]:
        return self.create(*create_payload(request))

    def save_edit(self, record_id: int, edit: BaseModel) -> Future[None]:
        entity, changes = edit_payload(edit)
        return self.save(entity, record_id, changes)

    def save_edits_together(self, edits: list[tuple[int, BaseModel]]) -> Future[None]:
        payloads = []
        for record_id, edit in edits:
            entity, changes = edit_payload(edit)
            payloads.append((entity, record_id, changes))
        return self.save_together(payloads)

    def call(self, op: str, request: BaseModel, target_id: int | None = None) -> Future[None]:
        return self.cache.call(op, payload_of(request), target_id)
