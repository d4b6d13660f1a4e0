"""An expert answers a waiting question from the desk's knowledge-base report: the answer
goes through the outbox, is published as an article on the server, and the question leaves
the queue."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from pytestqt.qtbot import QtBot

from tests.ui.conftest import LiveDesk

pytestmark = pytest.mark.slow
TIMEOUT_MS = 15_000


def as_user(url: str, user: str) -> requests.Session:
    http = requests.Session()
    answer = http.post(
        f"{url}/api/v1/auth/login", json={"username": user, "password": "demo1234"}, timeout=10
    )
    answer.raise_for_status()
    http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return http


def test_an_expert_answers_from_the_report_and_the_answer_becomes_an_article(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk]
) -> None:
    rig, _phone, _agent = make_live_desk(user="zhangwei", with_kb=True)
    agent = as_user(rig.backend.url, "wangfang")
    asked = agent.post(
        f"{rig.backend.url}/api/v1/kb/questions",
        json={"text": "输液泵 E-42 报警是什么意思？", "product_line": "Infusion Pumps"},
        headers={"Idempotency-Key": "q-e42"},
        timeout=10,
    )
    assert asked.status_code == 201, asked.text
    question = asked.json()
    desk = rig.window.work_desk
    assert desk is not None
    panel = desk.knowledge
    assert panel is not None

    def waiting() -> bool:
        rig.sync.sync_now()  # the question reaches the expert's cache
        with qtbot.waitSignal(panel.kb.stats_loaded, timeout=TIMEOUT_MS):  # the report came
            panel.kb.load_stats()
        return question["id"] in panel._waiting_ids

    qtbot.waitUntil(waiting, timeout=TIMEOUT_MS)
    row = panel._waiting_ids.index(question["id"])
    panel.unanswered_table.selectRow(row)
    dialog = panel.answer_selected()
    assert dialog is not None
    dialog._accept()  # nothing written: said next to the field
    assert dialog.answer_error.text() == "Write the answer first."
    assert dialog.isVisible()
    dialog.answer_edit.setPlainText("E-42 表示电池电量低：接通交流电源，充电 4 小时后报警消失。")
    dialog._accept()
    assert not dialog.isVisible()
    assert question["id"] not in panel._waiting_ids  # out of the queue at once

    def answered() -> dict[str, object] | None:
        found = agent.get(f"{rig.backend.url}/api/v1/kb/questions", timeout=10).json()
        mine = next((q for q in found if q["id"] == question["id"]), None)
        return mine if mine and mine["status"] == "answered" else None

    def check() -> bool:
        rig.sync.sync_now()
        return answered() is not None

    qtbot.waitUntil(check, timeout=TIMEOUT_MS)
    done = answered()
    assert done is not None
    assert done["article_id"] is not None
    article = agent.get(
        f"{rig.backend.url}/api/v1/kb/articles/{done['article_id']}", timeout=10
    ).json()
    assert article["title"] == "输液泵 E-42 报警是什么意思？"
    assert article["status"] == "published"
