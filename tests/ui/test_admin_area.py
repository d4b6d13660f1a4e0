"""The Administration area against the real backend (issue 27): an admin's desk makes a team
and a user, gives an agent the expert role, and the agent's desk (signed in all along) may
then answer a knowledge question; a permission taken from a role reaches a signed-in desk
without a restart; a lead sees only their part; an agent has no Tools menu."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from openpyxl import Workbook
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from agent_desktop.i18n import LanguageSwitcher
from agent_desktop.messages import MessageBridge
from agent_desktop.services.kb import KbService
from agent_desktop.services.session import SessionService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.admin.area import AdministrationArea
from agent_desktop.ui.admin.import_page import ImportPage
from agent_desktop.ui.admin.pages import ADMIN_PAGES
from agent_desktop.ui.admin.roles_page import RolesPage
from agent_desktop.ui.admin.teams_page import TeamsPage
from agent_desktop.ui.admin.users_page import UsersPage
from agent_desktop.ui.main_window import MainWindow
from sync.contract import version as contract
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.servers import LiveBackend
from tests.sync.conftest import login
from tests.ui.test_language_switch import left_in_english, readable_texts

TIMEOUT = 15_000
SPEAKS = {contract.HEADER: str(contract.CONTRACT)}  # as this release's desks do


@dataclass
class SignedIn:
    window: MainWindow
    sync: SyncService
    kb: KbService


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    served = LiveBackend(tmp_path / "server.sqlite")
    yield served
    served.stop()


@pytest.fixture
def desk_for(
    qtbot: QtBot,
    tmp_path: Path,
    make_session: Callable[..., SessionService],
    messages: MessageBridge,
    tasks: TaskRunner,
    backend: LiveBackend,
) -> Iterator[Callable[..., SignedIn]]:
    """A desk signed in as ``user`` (its own profile and cache): window, sync, knowledge base.
    No phone: the area and the permissions are what is under test."""
    made: list[SignedIn] = []

    def make(user: str, password: str = "demo1234") -> SignedIn:
        session = make_session(MemoryCredentialStore())
        sync = SyncService(tasks, messages, tmp_path / user, poll_interval_s=3600)
        layout = QSettings(str(tmp_path / f"{user}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(session, messages, layout)
        window.attach_sync(sync)
        kb = KbService(sync, tasks)
        qtbot.addWidget(window)
        states: list[str] = []
        sync.stream_state_changed.connect(states.append)
        session.signed_in.connect(lambda grant: sync.start(session.server_url, grant))
        session.sign_in(backend.url, user, password, remember=False)
        qtbot.waitUntil(
            lambda: sync.status.state == "online" and sync.status.last_synced is not None,
            timeout=TIMEOUT,
        )
        # Connected to the event stream: what admins change reaches this desk.
        qtbot.waitUntil(lambda: "connected" in states, timeout=TIMEOUT)
        desk = SignedIn(window, sync, kb)
        made.append(desk)
        return desk

    yield make
    for desk in made:
        area = desk.window.administration_area
        if area is not None:
            area.close()
        desk.kb.close()
        desk.sync.close_now()


def api(backend: LiveBackend, method: str, path: str, user: str, **kw: Any) -> Any:
    token = login(backend.url, user)
    answer = requests.request(
        method,
        f"{backend.url}/api/v1{path}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
        **kw,
    )
    answer.raise_for_status()
    return answer.json() if answer.content else None


def open_area(qtbot: QtBot, desk: SignedIn) -> AdministrationArea:
    assert desk.window.tools_menu.menuAction().isVisible()
    area = desk.window.open_administration()
    assert area is not None
    qtbot.addWidget(area)
    qtbot.waitUntil(lambda: bool(area.admin.users), timeout=TIMEOUT)
    return area


def test_an_admin_makes_a_team_and_a_user_and_an_agent_an_expert_who_answers(
    qtbot: QtBot, desk_for: Callable[..., SignedIn], backend: LiveBackend
) -> None:
    agent = desk_for("wangfang")
    # An agent's Tools menu holds Quality (their own evaluations), not Administration.
    assert not agent.window.administration_action.isVisible()
    assert agent.window.open_administration() is None
    assert not agent.kb.may("kb.answer")

    admin = desk_for("admin")
    area = open_area(qtbot, admin)
    # Every page an admin holds the permission of (the other parts of issue 27 add theirs).
    assert area.visible_titles() == [page.title() for page in ADMIN_PAGES]
    assert area.visible_titles()[:4] == ["Users", "Teams", "Roles", "Import"]

    teams = area.page(TeamsPage)
    assert isinstance(teams, TeamsPage)
    teams.name_edit.setText("夜班 Night shift")
    qtbot.mouseClick(teams.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "夜班 Night shift" in teams.names(), timeout=TIMEOUT)
    assert "Team 夜班 Night shift created." in area.status_label.text()

    users = area.page(UsersPage)
    assert isinstance(users, UsersPage)
    qtbot.waitUntil(lambda: users.new_team_combo.findText("夜班 Night shift") >= 0, timeout=TIMEOUT)
    users.username_edit.setText("xiaoming")
    users.display_edit.setText("小明")
    users.new_role_combo.setCurrentText("agent")
    users.new_team_combo.setCurrentText("夜班 Night shift")
    qtbot.mouseClick(users.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "xiaoming" in users.password_label.text(), timeout=TIMEOUT)
    password = users.password_label.text().split("xiaoming: ")[1].split(" ")[0]
    signed = requests.post(
        f"{backend.url}/api/v1/auth/login",
        json={"username": "xiaoming", "password": password},
        headers=SPEAKS,
        timeout=10,
    ).json()
    assert signed["must_change_password"] is True
    assert signed["user"]["team"]["name"] == "夜班 Night shift"

    # A question for the experts from wangfang's team (asked by a colleague).
    asked = api(backend, "POST", "/kb/questions", "alice", json={"text": "夜间 报警 怎么 静音"})

    # The admin gives wangfang the expert role; her desk, signed in, may answer at once.
    qtbot.waitUntil(lambda: users.select("wangfang"), timeout=TIMEOUT)
    users.role_combo.setCurrentText("expert")
    qtbot.mouseClick(users.give_role_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: agent.kb.may("kb.answer"), timeout=TIMEOUT)
    assert agent.kb.may("kb.publish")
    assert not agent.window.administration_action.isVisible()  # an expert administers nothing
    assert agent.kb.answer(asked["id"], "长按静音键 3 秒。", False, "", "zh")

    def answered() -> bool:
        found = api(backend, "GET", "/kb/questions?status=answered", "zhangwei")
        return any(q["id"] == asked["id"] for q in found)

    qtbot.waitUntil(answered, timeout=TIMEOUT)
    audit = {row["action"] for row in api(backend, "GET", "/audit", "admin")}
    assert {"team.create", "user.create", "user.update"} <= audit


def test_a_permission_taken_from_a_role_leaves_a_signed_in_desk_at_once(
    qtbot: QtBot, desk_for: Callable[..., SignedIn]
) -> None:
    agent = desk_for("wangfang")
    assert agent.kb.may("kb.ask")
    admin = desk_for("admin")
    area = open_area(qtbot, admin)
    roles = area.page(RolesPage)
    assert isinstance(roles, RolesPage)
    qtbot.waitUntil(lambda: roles.role_list.count() >= 5, timeout=TIMEOUT)
    roles.choose("agent")
    roles.set_permission("kb.ask", on=False)
    qtbot.mouseClick(roles.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not agent.kb.may("kb.ask"), timeout=TIMEOUT)
    assert "Role agent saved." in area.status_label.text()
    # The last user manager is kept: the server says why and the area shows it.
    roles.choose("admin")
    roles.set_permission("user.manage", on=False)
    qtbot.mouseClick(roles.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "manage users" in area.status_label.text(), timeout=TIMEOUT)


def test_a_lead_sees_only_the_users_of_their_team(
    qtbot: QtBot, desk_for: Callable[..., SignedIn]
) -> None:
    lead = desk_for("zhangwei")
    area = open_area(qtbot, lead)
    # A lead's delegated parts: their team's users, and their team's callback and survey
    # policy (the server lets them change their own team's only).
    assert area.visible_titles() == ["Users", "Callback and survey policy"]
    users = area.page(UsersPage)
    assert isinstance(users, UsersPage)
    qtbot.waitUntil(lambda: bool(users.model.rows()), timeout=TIMEOUT)
    team = lead.sync.grant.user.team  # type: ignore[union-attr]
    assert team is not None
    assert {u.team.id for u in users.model.rows() if u.team} == {team.id}
    assert not users.new_box.isVisibleTo(users)
    assert not users.give_role_button.isVisibleTo(users)


def test_a_user_with_a_temporary_password_chooses_their_own_at_sign_in(
    qtbot: QtBot, desk_for: Callable[..., SignedIn], backend: LiveBackend
) -> None:
    made = api(
        backend,
        "POST",
        "/admin/users",
        "admin",
        json={"username": "xiaohong", "display_name": "小红", "role_name": "agent"},
    )
    desk = desk_for("xiaohong", made["password"])
    qtbot.waitUntil(lambda: getattr(desk.window, "password_dialog", None) is not None)
    dialog = desk.window.password_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.current_edit.setText(made["password"])
    dialog.new_edit.setText("short")
    dialog.repeat_edit.setText("short")
    dialog.send()
    assert "at least 8" in dialog.error_label.text()
    dialog.new_edit.setText("my-own-secret-7")
    dialog.repeat_edit.setText("my-own-secret-7")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        dialog.send()
    signed = requests.post(
        f"{backend.url}/api/v1/auth/login",
        json={"username": "xiaohong", "password": "my-own-secret-7"},
        headers=SPEAKS,
        timeout=10,
    ).json()
    assert signed["must_change_password"] is False


def test_an_admin_imports_users_from_an_excel_workbook(
    qtbot: QtBot, desk_for: Callable[..., SignedIn], backend: LiveBackend, tmp_path: Path
) -> None:
    """A new centre's list as the HR office keeps it: an .xlsx (an employee number typed as a
    number, a blank row), read on the desk into the same preview and all-or-nothing apply."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["username", "display_name", "role", "team"])
    sheet.append(["xiaoli", "小李", "agent", "夜班"])
    sheet.append([])
    sheet.append([1007, "老周", "agent", "夜班"])  # a number in Excel, a name on the desk
    path = tmp_path / "users.xlsx"
    book.save(path)
    area = open_area(qtbot, desk_for("admin"))
    page = area.page(ImportPage)
    assert isinstance(page, ImportPage)
    page.open_path(path)
    qtbot.waitUntil(lambda: "xiaoli" in page.content_edit.toPlainText(), timeout=TIMEOUT)
    assert page.content_edit.toPlainText().splitlines()[-1] == "1007,老周,agent,夜班"
    page.preview()
    qtbot.waitUntil(page.apply_button.isEnabled, timeout=TIMEOUT)
    page.apply()
    qtbot.waitUntil(lambda: page.passwords.rowCount() == 2, timeout=TIMEOUT)
    names = {u["username"] for u in api(backend, "GET", "/admin/users", "admin")}
    assert {"xiaoli", "1007"} <= names


def test_a_file_that_is_not_a_workbook_is_refused_naming_it(
    qtbot: QtBot, desk_for: Callable[..., SignedIn], tmp_path: Path
) -> None:
    area = open_area(qtbot, desk_for("admin"))
    page = area.page(ImportPage)
    assert isinstance(page, ImportPage)
    said: list[str] = []
    area.admin.failed.connect(said.append)
    broken = tmp_path / "users.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    page.open_path(broken)
    qtbot.waitUntil(lambda: bool(said), timeout=TIMEOUT)
    assert "users.xlsx" in said[0]
    assert page.content_edit.toPlainText() == ""


def test_the_area_follows_a_language_switch_on_every_page(
    qtbot: QtBot, desk_for: Callable[..., SignedIn], switcher: LanguageSwitcher
) -> None:
    """Every page of an admin's area, each shown in turn: nothing left in English after the
    switch to Chinese (issue 19's run-time language reaches the area of issue 27)."""
    area = open_area(qtbot, desk_for("admin"))
    area.show()
    titles = area.visible_titles()
    switcher.switch("zh_CN")
    qtbot.waitUntil(lambda: area.windowTitle() == "管理", timeout=TIMEOUT)
    assert area.visible_titles() != titles
    for position in range(area.tabs.count()):
        if not area.tabs.isTabVisible(position):
            continue
        area.tabs.setCurrentIndex(position)
        qtbot.waitUntil(lambda p=position: area.tabs.widget(p).isVisible(), timeout=TIMEOUT)
        left = left_in_english(readable_texts(area))
        assert left == [], (area.tabs.tabText(position), sorted(set(left)))
    switcher.switch("en")
    qtbot.waitUntil(lambda: area.visible_titles() == titles, timeout=TIMEOUT)
