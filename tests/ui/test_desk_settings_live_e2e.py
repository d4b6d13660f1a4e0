"""End to end: an admin changes the centre's desk settings on the real backend while an agent
is signed in (real SyncService, AgentStateService and main window; SIPp as the PBX). The desk
hears of it on its event stream (``desk_settings.changed``) and fetches them: the wrap-up
running keeps its time, the next call's wrap-up takes the queue's new time, the Not Ready menu
offers the new reason, and a reason removed meanwhile keeps its label on the desk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from sync.contract.desk import DEFAULT_DESK_SETTINGS
from sync.contract.records import AgentState
from tests.ui.conftest import LiveDesk
from tests.ui.test_queue_on_the_call_e2e import SITE, VIP, take_a_call

pytestmark = pytest.mark.slow
TIMEOUT_MS = 15_000


def not_ready_actions(window: Any) -> list[QAction]:
    menu = window.agent_state_button.menu()
    assert isinstance(menu, QMenu)
    subs = [sub for a in menu.actions() if isinstance(sub := a.menu(), QMenu)]
    assert len(subs) == 1  # "Not ready ▸"
    return subs[0].actions()


def not_ready_menu(window: Any) -> list[str]:
    return [a.text() for a in not_ready_actions(window)]


def test_an_admins_change_reaches_the_signed_in_desk(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk], tmp_path: Path
) -> None:
    rig, phone, agent = make_live_desk(dial_plan=SITE)
    assert rig.sync.desk_settings is not None
    assert rig.sync.desk_settings.version == 1  # the shipped defaults, stored by none yet
    assert "Coaching" not in not_ready_menu(rig.window)
    assert "Training" in not_ready_menu(rig.window)
    agent.request(AgentState.READY)

    take_a_call(qtbot, phone, agent, tmp_path, "4008001234", "X-Filler: -")
    assert agent.wrapping is not None
    assert agent.wrapping.queue == VIP
    assert agent.status.wrap_up_left_s == 60

    # Mid wrap-up: the admin gives the VIP hotline 15 s, adds a reason, removes another.
    document = DEFAULT_DESK_SETTINGS.model_dump(mode="json")
    document["version"] = 1
    document["wrap_up_s"] = {**document["wrap_up_s"], VIP: 15}
    document["not_ready_reasons"] = [
        *(r for r in document["not_ready_reasons"] if r["code"] != "training"),
        {"code": "coaching", "en": "Coaching", "zh": "辅导"},
    ]
    stored = rig.api("PUT", "/desk-settings", "admin", json=document)
    assert isinstance(stored, dict)
    assert stored["version"] == 2

    qtbot.waitUntil(
        lambda: rig.sync.desk_settings is not None and rig.sync.desk_settings.version == 2,
        timeout=TIMEOUT_MS,
    )
    assert agent.settings.wrap_up_s[VIP] == 15
    assert agent.status.state is AgentState.WRAP_UP
    assert agent.status.wrap_up_left_s > 15  # the running wrap-up keeps its 60 s
    menu = not_ready_menu(rig.window)
    assert "Coaching" in menu
    assert "Training" not in menu
    agent.finish_wrap_up("resolved", "before the change")

    take_a_call(qtbot, phone, agent, tmp_path, "4008001234", "X-Filler: -")
    assert agent.wrapping is not None
    assert agent.status.wrap_up_left_s == 15  # the next one takes the new time
    agent.finish_wrap_up("resolved", "after the change")

    # The new reason, chosen from the menu, reaches the server; a removed one still reads.
    coaching = next(a for a in not_ready_actions(rig.window) if a.text() == "Coaching")
    coaching.trigger()
    qtbot.waitUntil(lambda: agent.status.reason == "coaching", timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: _presence(rig) == ("not_ready", "coaching"), timeout=TIMEOUT_MS)
    assert "(Coaching)" in rig.window.agent_state_button.text()
    agent.request(AgentState.NOT_READY, "training")  # e.g. set before the change, offline
    qtbot.waitUntil(lambda: agent.status.reason == "training", timeout=TIMEOUT_MS)
    assert "(Training)" in rig.window.agent_state_button.text()


def _presence(rig: Any) -> tuple[str, str]:
    me = rig.api("GET", "/presence/me")
    return me["state"], me["reason"]
