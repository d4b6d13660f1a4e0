"""The directory service's rules, with stand-ins for the server, the sync service and the
phone: presence events newer or older than the fetch, who triggers a fetch again, a server
before contract 1.3 (the cache's lists), and which call a transfer moves."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from agent_desktop.services.directory import DirectoryService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from softphone import (
    NOTE_HEADER,
    CallDirection,
    CallInfo,
    CallState,
    LineInfo,
    Phone,
    decode_note,
)
from sync.cache import open_cache
from sync.client import ServerError
from sync.contract.directory import ColleagueOut, DirectoryOut, TransferQueueOut
from sync.contract.records import AgentState, Role, SessionGrant, UserProfile
from sync.contract.rules import AGENT_PERMISSIONS, TECHNICIAN_PERMISSIONS
from sync.contract.wire import ChangeOut, EventOut, SkillOut

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def grant(permissions: frozenset[str] = AGENT_PERMISSIONS) -> SessionGrant:
    me = UserProfile(id=1, username="wangfang", display_name="王芳", role=Role.AGENT, team=None)
    return SessionGrant(token="t", expires_at=NOW, user=me, permissions=permissions)


class FakeSync(QObject):
    event_received = Signal(object)
    records_changed = Signal(object)

    def __init__(self, cache: Any = None, permissions: frozenset[str] = AGENT_PERMISSIONS):
        super().__init__()
        self.grant = grant(permissions)
        self.cache = cache
        self.client_factory = None


class FakePhone(QObject):
    call_state_changed = Signal(object)
    line_state_changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.live: list[CallInfo] = []
        self.done: list[tuple[Any, ...]] = []
        self.known_lines: list[LineInfo] = []

    def calls(self) -> list[CallInfo]:
        return self.live

    def lines(self) -> list[LineInfo]:
        return self.known_lines

    def hold(self, call_id: int) -> None:
        self.done.append(("hold", call_id))

    def dial(self, target: str, headers: dict[str, str] | None = None) -> CallInfo:
        self.done.append(("dial", target, headers))
        return CallInfo(9, CallDirection.OUTBOUND, CallState.DIALING, target, target)

    def blind_transfer(self, call_id: int, target: str, note: str = "") -> None:
        self.done.append(("blind", call_id, target, note))

    def attended_transfer(self, call_id: int, consult_call_id: int) -> None:
        self.done.append(("attended", call_id, consult_call_id))


class Source:
    def __init__(self) -> None:
        self.answers: list[DirectoryOut | Exception] = []
        self.asked = 0

    def fetch(self) -> DirectoryOut:
        self.asked += 1
        answer = self.answers[min(self.asked, len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer


def colleague(user_id: int, name: str, **kw: Any) -> ColleagueOut:
    return ColleagueOut(
        user_id=user_id,
        username=name.lower(),
        display_name=name,
        role=Role.AGENT,
        team_id=1,
        **kw,
    )


def presence(user_id: int, state: str, version: int) -> EventOut:
    data = {"user_id": user_id, "team_id": 1, "state": state, "reason": "", "since": NOW,
            "version": version, "updated_at": NOW}  # fmt: skip
    return EventOut(id=version, kind="presence", at=NOW, data=data)


def make(
    qtbot: QtBot, source: Source, sync: FakeSync | None = None
) -> tuple[DirectoryService, FakeSync, FakePhone]:
    sync = sync or FakeSync()
    phone = FakePhone()
    service = DirectoryService(
        cast(SyncService, sync), TaskRunner(), cast(Phone, phone), source=source
    )
    return service, sync, phone


def test_events_keep_it_live_and_an_older_event_or_answer_changes_nothing(qtbot: QtBot) -> None:
    source = Source()
    source.answers = [
        DirectoryOut(
            colleagues=[
                colleague(2, "Alice", state=AgentState.READY, presence_version=3,
                          sip_uri="sip:a@h"),
                colleague(3, "Bob", extension="8101"),
            ],
            queues=[TransferQueueOut(id=1, name="Hotline", team_id=1, extension="6001", waiting=2)],
        )
    ]  # fmt: skip
    service, sync, _phone = make(qtbot, source)
    service.start()
    qtbot.waitUntil(lambda: service.loaded, timeout=5000)
    assert [c.display_name for c in service.colleagues()] == ["Alice", "Bob"]  # Ready first
    sync.event_received.emit(presence(2, "on_call", 4))
    assert service.colleague(2).state is AgentState.ON_CALL  # type: ignore[union-attr]
    sync.event_received.emit(presence(2, "ready", 2))  # older than what we have
    assert service.colleague(2).state is AgentState.ON_CALL  # type: ignore[union-attr]
    # The answer of a fetch that crossed a newer event keeps the event's state.
    service._fetched(service._generation, source.answers[0], False)  # type: ignore[arg-type]
    assert service.colleague(2).state is AgentState.ON_CALL  # type: ignore[union-attr]
    assert service.colleague(2).sip_uri == "sip:a@h"  # type: ignore[union-attr]
    sync.event_received.emit(presence(2, "logged_out", 5))
    assert service.colleague(2).sip_uri == ""  # type: ignore[union-attr]  # a stale address
    assert [c.display_name for c in service.colleagues("8101")] == ["Bob"]
    assert [q.extension for q in service.queues("hot")] == ["6001"]
    service.stop()
    assert service.colleagues() == []


def test_a_sign_in_a_stranger_or_a_changed_user_fetches_again(qtbot: QtBot) -> None:
    source = Source()
    source.answers = [DirectoryOut(colleagues=[colleague(2, "Alice")], queues=[])]
    service, sync, _phone = make(qtbot, source)
    service.start()
    qtbot.waitUntil(lambda: source.asked == 1 and service.loaded, timeout=5000)
    sync.event_received.emit(presence(2, "ready", 2))  # she signed in: her desk's address?
    qtbot.waitUntil(lambda: source.asked == 2, timeout=5000)
    sync.event_received.emit(presence(7, "ready", 1))  # someone new on the team
    qtbot.waitUntil(lambda: source.asked == 3, timeout=5000)
    sync.records_changed.emit([("user", 2)])
    qtbot.waitUntil(lambda: source.asked == 4, timeout=5000)
    qtbot.waitUntil(lambda: not service._refetch.isActive(), timeout=5000)
    sync.records_changed.emit([("ticket", 5)])
    sync.event_received.emit(presence(1, "ready", 9))  # my own presence
    assert not service._refetch.isActive()  # neither asks the server again
    service.stop()


def test_no_directory_without_the_permission(qtbot: QtBot) -> None:
    source = Source()
    service, _sync, _phone = make(qtbot, source, FakeSync(permissions=TECHNICIAN_PERMISSIONS))
    service.start()
    assert not service.active
    assert source.asked == 0


def test_a_server_before_1_3_gives_the_lists_of_the_cache(qtbot: QtBot, tmp_path: Path) -> None:
    opened = open_cache(tmp_path / "cache.sqlite", "test|wangfang")
    user = {"id": 2, "username": "alice", "display_name": "Alice", "role": "agent",
            "team_id": 1, "skills": [{"skill": "medical-en", "level": 4}], "version": 1,
            "updated_at": NOW.isoformat(), "extension": ""}  # fmt: skip
    engineer = user | {"id": 3, "username": "zhanggong", "role": "technician"}
    me = user | {"id": 1, "username": "wangfang"}
    state = {"user_id": 2, "team_id": 1, "state": "ready", "reason": "", "since": NOW.isoformat(),
             "version": 4, "updated_at": NOW.isoformat()}  # fmt: skip
    changes = [
        ChangeOut(seq=n + 1, entity=entity, id=rid, op="upsert", version=1, data=data)
        for n, (entity, rid, data) in enumerate(
            [("user", 2, user), ("user", 3, engineer), ("user", 1, me), ("presence", 2, state)]
        )
    ]
    opened.cache.apply_changes(changes, len(changes)).result(timeout=10)
    source = Source()
    source.answers = [ServerError("no such route", 404, "not_found")]
    service, _sync, _phone = make(qtbot, source, FakeSync(cache=opened.cache))
    service.start()
    qtbot.waitUntil(lambda: service.loaded, timeout=5000)
    assert service.from_cache
    [alice] = service.colleagues()
    assert (alice.display_name, alice.state, alice.presence_version) == (
        "Alice",
        AgentState.READY,
        4,
    )
    assert service.colleagues("MEDICAL") == [alice]
    service.stop()
    opened.cache.close()


def test_consult_holds_the_caller_and_rings_with_the_note_then_completes(qtbot: QtBot) -> None:
    service, _sync, phone = make(qtbot, Source())
    assert not service.consult("8101", "Bob", "hi")  # no call yet
    phone.live = [CallInfo(1, CallDirection.INBOUND, CallState.CONNECTED, "sip:c@h", "139")]
    assert not service.consult("", "Bob", "hi")  # nowhere to ring
    assert service.consult("8101", "Bob", "  请回电 \x00")
    hold, dial = phone.done
    assert hold == ("hold", 1)
    assert dial[:2] == ("dial", "8101")
    assert decode_note(dial[2][NOTE_HEADER]) == "请回电"
    assert service.consulting is not None
    assert service.complete_consult()
    assert phone.done[-1] == ("attended", 1, 9)
    phone.call_state_changed.emit(
        CallInfo(9, CallDirection.OUTBOUND, CallState.ENDED, "sip:8101@h", "8101")
    )
    assert service.consulting is None
    assert service.blind_transfer("6001", "Hotline", "")
    assert phone.done[-1] == ("blind", 1, "6001", "")


def test_a_search_by_skill_puts_the_highest_level_first(qtbot: QtBot) -> None:
    """Issue 27: among those equally free, the expert with the highest level in the skill
    searched for comes first (the directory is where a consult transfer finds an expert)."""
    source = Source()
    source.answers = [
        DirectoryOut(
            colleagues=[
                colleague(2, "Alice", state=AgentState.READY,
                          skills=[SkillOut(skill="Infusion Pumps", level=3)]),
                colleague(3, "Bob", state=AgentState.READY,
                          skills=[SkillOut(skill="Infusion Pumps", level=8)]),
                colleague(4, "Carol", state=AgentState.ON_CALL,
                          skills=[SkillOut(skill="Infusion Pumps", level=10)]),
            ],
            queues=[],
        )
    ]  # fmt: skip
    service, _sync, _phone = make(qtbot, source)
    service.start()
    qtbot.waitUntil(lambda: service.loaded, timeout=5000)
    assert [c.display_name for c in service.colleagues()] == ["Alice", "Bob", "Carol"]
    assert [c.display_name for c in service.colleagues("pumps")] == ["Bob", "Alice", "Carol"]
    service.stop()
