"""End to end: the Administration pages (issue 27) against the real backend, while an agent
is signed in at a real desk (real SyncService, AgentStateService and main window; SIPp as the
PBX). The admin's pages run on their own signed-in client, as on the admin's own PC.

- Queues: the admin changes a queue's wrap-up time; the agent's next wrap-up follows it,
  without a restart.
- Codes: the admin adds a reason code; it appears in the agent's Not Ready menu, without a
  restart.
- Policies: a lead changes their own team's policy; another team's is refused, and says so.
- Skills: the admin gives an agent a skill at a level; the PBX's read shows it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agent_desktop.messages import Message, MessageBridge
from agent_desktop.services.centre_admin import CentreAdminService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.admin.codes_page import CodesPage
from agent_desktop.ui.admin.pages import ADMIN_PAGES
from agent_desktop.ui.admin.policies_page import TeamPoliciesPage
from agent_desktop.ui.admin.queues_page import QueuesPage
from agent_desktop.ui.admin.skills_page import SkillsPage
from softphone.dial_plan import DialPlan
from sync.client import ApiClient
from sync.contract.desk import wrap_up_for
from sync.contract.records import AgentState
from sync.contract.wire import TeamPolicyIn
from tests.fakes.accessible_tree import unnamed
from tests.fakes.rig import Rig
from tests.sync.conftest import login
from tests.ui.conftest import LiveDesk
from tests.ui.test_desk_settings_live_e2e import not_ready_menu
from tests.ui.test_queue_on_the_call_e2e import take_a_call

pytestmark = pytest.mark.slow
TIMEOUT_MS = 15_000
MEDICAL = "医疗设备热线 Medical hotline"
MEDICAL_NUMBER = "4008005678"
SITE = DialPlan(queue_numbers=(f"400-800-5678={MEDICAL}",))
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def admin_of(tasks: TaskRunner) -> Iterator[Callable[[Rig, str], CentreAdminService]]:
    """The pages' service, signed in as ``user`` on the rig's backend; read once."""
    made: list[CentreAdminService] = []

    def make(rig: Rig, user: str = "admin") -> CentreAdminService:
        token = login(rig.backend.url, user)
        service = CentreAdminService(tasks, lambda: ApiClient(rig.backend.url, token=token))
        made.append(service)
        return service

    yield make
    for service in made:
        service.deleteLater()


def loaded(qtbot: QtBot, service: CentreAdminService) -> None:
    with qtbot.waitSignal(service.loaded, timeout=TIMEOUT_MS):
        service.load()


def test_a_queues_new_wrap_up_time_reaches_the_signed_in_desks_next_wrap_up(
    qtbot: QtBot,
    make_live_desk: Callable[..., LiveDesk],
    admin_of: Callable[..., CentreAdminService],
    tmp_path: Path,
) -> None:
    rig, phone, agent = make_live_desk(dial_plan=SITE)
    agent.request(AgentState.READY)
    take_a_call(qtbot, phone, agent, tmp_path, MEDICAL_NUMBER, "X-Filler: -")
    assert agent.wrapping is not None
    assert agent.wrapping.queue == MEDICAL
    assert agent.status.wrap_up_left_s == 30  # the centre's default: the queue has none

    service = admin_of(rig)
    page = QueuesPage(service)
    qtbot.addWidget(page)
    loaded(qtbot, service)
    assert page.isEnabled()
    page.select(MEDICAL)
    assert page.wrap_up.value() == -1  # "Centre default"
    assert page.wrap_up.text() == "Centre default"
    page.wrap_up.setValue(12)
    page.announcement.setText("prompt-medical-02")
    with qtbot.waitSignal(service.saved, timeout=TIMEOUT_MS):
        qtbot.mouseClick(page.save_button, LEFT)
    qtbot.waitUntil(lambda: page.status.text() == "Queue saved.", timeout=TIMEOUT_MS)

    # The desk hears of it (desk_settings.changed) and fetches its settings again.
    def follows() -> bool:
        settings = rig.sync.desk_settings
        own = settings.queues.get(MEDICAL) if settings is not None else None
        return own is not None and own.wrap_up_s == 12

    qtbot.waitUntil(follows, timeout=TIMEOUT_MS)
    assert agent.status.state is AgentState.WRAP_UP
    assert agent.status.wrap_up_left_s > 12  # the running wrap-up keeps its time
    agent.finish_wrap_up("resolved", "before the change")

    take_a_call(qtbot, phone, agent, tmp_path, MEDICAL_NUMBER, "X-Filler: -")
    assert agent.wrapping is not None
    assert agent.status.wrap_up_left_s == 12  # the next one follows the queue's new time
    agent.finish_wrap_up("resolved", "after the change")
    # The page shows what is stored now (read again after the save).
    page.select(MEDICAL)
    assert page.wrap_up.value() == 12
    assert page.announcement.text() == "prompt-medical-02"


def test_a_new_reason_code_reaches_the_agents_state_menu(
    qtbot: QtBot,
    make_live_desk: Callable[..., LiveDesk],
    admin_of: Callable[..., CentreAdminService],
) -> None:
    rig, _phone, _agent = make_live_desk()
    assert "Coaching" not in not_ready_menu(rig.window)

    service = admin_of(rig)
    page = CodesPage(service)
    qtbot.addWidget(page)
    loaded(qtbot, service)
    assert page.which == "not_ready_reasons"
    page.add_row("coaching", "Coaching", "辅导")
    with qtbot.waitSignal(service.saved, timeout=TIMEOUT_MS):
        qtbot.mouseClick(page.save_button, LEFT)

    qtbot.waitUntil(lambda: "Coaching" in not_ready_menu(rig.window), timeout=TIMEOUT_MS)
    # The desk's own reasons cannot be removed: the page says so and sends nothing.
    missed = next(r for r in range(page.table.rowCount()) if page.codes()[r].code == "missed_call")
    page.table.setCurrentCell(missed, 0)
    qtbot.mouseClick(page.remove_button, LEFT)
    page.save()
    assert page.problem.isVisibleTo(page)
    assert "missed_call" in page.problem.text()


def test_team_policy_by_the_teams_lead_and_not_by_another(
    qtbot: QtBot,
    make_live_desk: Callable[..., LiveDesk],
    admin_of: Callable[..., CentreAdminService],
) -> None:
    rig, _phone, _agent = make_live_desk()
    lead = admin_of(rig, "zhangwei")
    page = TeamPoliciesPage(lead)
    qtbot.addWidget(page)
    loaded(qtbot, lead)
    assert page.team_combo.count() == 1  # a lead reads their own team
    page.after_combo.setCurrentIndex(page.after_combo.findData("complaints"))
    page.delay.setValue(48)
    with qtbot.waitSignal(lead.saved, timeout=TIMEOUT_MS):
        page.save()
    teams = rig.api("GET", "/teams", "admin")
    assert isinstance(teams, list)
    mine = next(t for t in teams if t["id"] == page.team_combo.currentData())
    assert (mine["callback_after"], mine["callback_delay_hours"]) == ("complaints", 48)
    # The desk reads its team's policy with its settings (live, and offline after).
    qtbot.waitUntil(
        lambda: (
            rig.sync.desk_settings is not None
            and any(
                p.callback_after == "complaints"
                for p in rig.sync.desk_settings.team_policies.values()
            )
        ),
        timeout=TIMEOUT_MS,
    )

    # The other team's lead, aiming at this team (as an old page or a crafted request
    # would): the server refuses it, and the page's service says so.
    other = admin_of(rig, "liuyang")
    change = TeamPolicyIn(callback_after="none", callback_delay_hours=1, version=mine["version"])
    with qtbot.waitSignal(other.failed, timeout=TIMEOUT_MS) as refused:
        other.save_team_policy(mine["id"], change)
    assert "lead" in str(refused.args[0])


def test_skills_page_gives_a_level_the_pbx_reads(
    qtbot: QtBot,
    make_live_desk: Callable[..., LiveDesk],
    admin_of: Callable[..., CentreAdminService],
) -> None:
    rig, _phone, _agent = make_live_desk()
    service = admin_of(rig)
    page = SkillsPage(service)
    qtbot.addWidget(page)
    loaded(qtbot, service)
    page.new_skill.setText("Infusion Pumps")
    page.new_description.setText("Volumetric and syringe pumps")
    with qtbot.waitSignal(service.loaded, timeout=TIMEOUT_MS):  # saved, then read again
        page.add_to_catalogue()
    page.choose_person("alice")
    page.skill_combo.setCurrentIndex(page.skill_combo.findData("Infusion Pumps"))
    page.level_spin.setValue(7)
    page.give()
    with qtbot.waitSignal(service.loaded, timeout=TIMEOUT_MS):
        page.save()
    agents = rig.api("GET", "/skills/agents", "admin")
    assert isinstance(agents, list)
    alice = next(a for a in agents if a["username"] == "alice")
    assert {"skill": "Infusion Pumps", "level": 7} in alice["skills"]


CENTRE_PAGES = (CodesPage, QueuesPage, SkillsPage, TeamPoliciesPage)


def test_the_pages_are_listed_with_their_permissions(qtbot: QtBot) -> None:
    listed = [(p.permission, p.title()) for p in ADMIN_PAGES]
    for entry in (
        ("settings.manage", "Reason codes and dispositions"),
        ("settings.manage", "Queues"),
        ("user.manage", "Skills"),
        ("wallboard.view", "Callback and survey policy"),
    ):
        assert entry in listed


def test_an_offline_desk_keeps_the_queue_settings_it_had_and_says_so(
    qtbot: QtBot,
    make_live_desk: Callable[..., LiveDesk],
    admin_of: Callable[..., CentreAdminService],
    messages: MessageBridge,
) -> None:
    rig, _phone, agent = make_live_desk(proxy=True)
    queues = rig.api("GET", "/queues", "admin")
    assert isinstance(queues, list)
    medical = next(q for q in queues if q["name"] == MEDICAL)
    rig.api(
        "PUT",
        f"/queues/{medical['id']}/settings",
        "admin",
        json={"wrap_up_s": 20, "version": medical["version"]},
    )
    # The event stream is not what this test is about: fetched as on its event.
    rig.sync.refresh_desk_settings()
    qtbot.waitUntil(lambda: wrap_up_of(rig) == 20, timeout=TIMEOUT_MS)

    said: list[Message] = []
    messages.posted.connect(said.append)
    rig.proxy.mode = "down"
    rig.sync.refresh_desk_settings()  # as at a start, or on the next change event
    qtbot.waitUntil(lambda: rig.sync.desk_settings_stale, timeout=TIMEOUT_MS)
    assert wrap_up_of(rig) == 20  # what it had
    assert wrap_up_for(agent.settings, MEDICAL) == 20
    assert any("settings it had last" in m.text for m in said)
    rig.sync.refresh_desk_settings()  # said once, not at every try
    qtbot.waitUntil(lambda: rig.sync.desk_settings_stale, timeout=TIMEOUT_MS)

    rig.proxy.mode = "pass"
    rig.sync.refresh_desk_settings()
    qtbot.waitUntil(lambda: not rig.sync.desk_settings_stale, timeout=TIMEOUT_MS)
    assert sum("settings it had last" in m.text for m in said) == 1


def wrap_up_of(rig: Rig) -> int | None:
    settings = rig.sync.desk_settings
    own = settings.queues.get(MEDICAL) if settings is not None else None
    return own.wrap_up_s if own is not None else None


def test_every_control_of_the_pages_has_a_name(
    qtbot: QtBot,
    make_live_desk: Callable[..., LiveDesk],
    admin_of: Callable[..., CentreAdminService],
) -> None:
    """What a screen reader says for each control, in the admin's language (issue 19)."""
    rig, _phone, _agent = make_live_desk()
    service = admin_of(rig)
    pages = [page(service) for page in CENTRE_PAGES]
    for page in pages:
        qtbot.addWidget(page)
    loaded(qtbot, service)
    for page in pages:
        page.show()
        assert unnamed(page) == [], page.objectName()


def test_a_new_category_reaches_the_signed_in_desk(
    qtbot: QtBot,
    make_live_desk: Callable[..., LiveDesk],
    admin_of: Callable[..., CentreAdminService],
) -> None:
    rig, _phone, _agent = make_live_desk()
    service = admin_of(rig)
    page = CodesPage(service)
    qtbot.addWidget(page)
    loaded(qtbot, service)
    page.list_combo.setCurrentIndex(page.list_combo.findData("ticket_categories"))
    page.add_row("fault.pump_line", "Pump line", "泵管")
    with qtbot.waitSignal(service.saved, timeout=TIMEOUT_MS):
        page.save()

    def listed() -> bool:
        settings = rig.sync.desk_settings
        codes = [c.code for c in settings.ticket_categories] if settings is not None else []
        return "fault.pump_line" in codes

    qtbot.waitUntil(listed, timeout=TIMEOUT_MS)
    # A category under a parent the tree does not have is refused before sending.
    page.add_row("nowhere.leaf", "Leaf", "叶")
    page.save()
    assert page.problem.isVisibleTo(page)
    assert "'nowhere.leaf' is under 'nowhere', which is not listed" in page.problem.text()
