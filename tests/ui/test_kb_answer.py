"""An expert answers a waiting question from the desk's knowledge-base report: the answer
goes through the outbox, is published as an article on the server, and the question leaves
the queue."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from pytestqt.qtbot import QtBot

from agent_desktop.services.kb import KbQuery
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


def test_a_question_answered_with_an_article_finds_it_next_time_in_the_same_words(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk]
) -> None:
    """The knowledge base learns how agents ask: an expert answers a "not found" question with
    an article that exists; the question is kept with that article, reaches the desks on the
    change feed, and the same words asked again find that article first."""
    rig, _phone, _agent = make_live_desk(user="wangfang", with_kb=True)
    url = rig.backend.url
    words = "三床那台半夜哔哔叫个不停，吵得病人睡不着"
    desk = rig.window.work_desk
    assert desk is not None
    assert desk.knowledge is not None
    kb = desk.knowledge.kb

    def first_hit() -> int | None:
        with qtbot.waitSignal(kb.searched, timeout=TIMEOUT_MS) as answer:
            kb.search(KbQuery(words, limit=5))
        hits = answer.args[0].hits if answer.args else []
        return hits[0].article_id if hits else None

    expert = as_user(url, "zhangwei")
    articles = expert.get(f"{url}/api/v1/kb/articles?limit=500", timeout=10).json()
    [target] = [a for a in articles if a["title"] == "输液泵堵塞报警处理"]
    qtbot.waitUntil(lambda: kb.index_report is not None, timeout=TIMEOUT_MS)
    assert first_hit() != target["id"]  # before: these words do not find it

    agent = as_user(url, "wangfang")
    asked = agent.post(
        f"{url}/api/v1/kb/questions",
        json={"text": words, "product_line": "Infusion Pumps"},
        headers={"Idempotency-Key": "q-night-alarm"},
        timeout=10,
    )
    assert asked.status_code == 201, asked.text
    question = asked.json()
    answered = expert.post(
        f"{url}/api/v1/kb/questions/{question['id']}/answer",
        json={"version": question["version"], "answer": "管路堵塞报警，见这篇。",
              "article_id": target["id"]},
        headers={"Idempotency-Key": "a-night-alarm"},
        timeout=10,
    )  # fmt: skip
    assert answered.status_code == 200, answered.text
    assert answered.json()["article_id"] == target["id"]
    article = expert.get(f"{url}/api/v1/kb/articles/{target['id']}", timeout=10).json()
    assert article["asked"] == [words]
    assert article["version"] > target["version"]  # a new version: the desks re-index it

    def found() -> bool:
        rig.sync.sync_now()
        return first_hit() == target["id"]

    qtbot.waitUntil(found, timeout=TIMEOUT_MS)


def test_answering_with_a_draft_or_missing_article_is_refused(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk]
) -> None:
    rig, _phone, _agent = make_live_desk(user="wangfang", with_kb=False)
    url = rig.backend.url
    asked = as_user(url, "wangfang").post(
        f"{url}/api/v1/kb/questions", json={"text": "E-99 是什么？"},
        headers={"Idempotency-Key": "q-e99"}, timeout=10,
    )  # fmt: skip
    question = asked.json()
    missing = as_user(url, "zhangwei").post(
        f"{url}/api/v1/kb/questions/{question['id']}/answer",
        json={"version": question["version"], "answer": "见文章。", "article_id": 999_999},
        headers={"Idempotency-Key": "a-e99"},
        timeout=10,
    )
    assert missing.status_code == 404, missing.text


def test_an_expert_answers_from_the_desk_with_an_article_that_exists(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk]
) -> None:
    """The answer dialog offers the articles the search finds for the question; choosing one
    answers with it (no new article) and the question is kept with it on the server."""
    rig, _phone, _agent = make_live_desk(user="zhangwei", with_kb=True)
    url = rig.backend.url
    words = "三床王秀英的输液泵堵塞报警后怎么复位"
    kept_words = "输液泵堵塞报警后怎么复位"  # the patient's name taken out by the expert
    asked = as_user(url, "wangfang").post(
        f"{url}/api/v1/kb/questions",
        json={"text": words, "product_line": "Infusion Pumps"},
        headers={"Idempotency-Key": "q-reset"},
        timeout=10,
    )
    assert asked.status_code == 201, asked.text
    question = asked.json()
    panel = rig.window.work_desk.knowledge  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: panel.kb.index_report is not None, timeout=TIMEOUT_MS)

    def waiting() -> bool:
        rig.sync.sync_now()
        with qtbot.waitSignal(panel.kb.stats_loaded, timeout=TIMEOUT_MS):
            panel.kb.load_stats()
        return question["id"] in panel._waiting_ids

    qtbot.waitUntil(waiting, timeout=TIMEOUT_MS)
    panel.unanswered_table.selectRow(panel._waiting_ids.index(question["id"]))
    dialog = panel.answer_selected()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.existing_combo.count() > 1, timeout=TIMEOUT_MS)
    found = dialog.existing_combo.findText("输液泵堵塞报警处理")
    assert found > 0
    dialog.existing_combo.setCurrentIndex(found)
    assert not dialog.publish_check.isChecked()
    assert not dialog.publish_check.isEnabled()
    assert dialog.answer() == "See the article “输液泵堵塞报警处理”."
    assert dialog.kept_text() == words  # what would be kept, shown to the expert
    dialog.kept_edit.setText(kept_words)
    target = dialog.existing_article()
    dialog._accept()
    assert not dialog.isVisible()
    expert = as_user(url, "zhangwei")

    def kept() -> bool:
        rig.sync.sync_now()
        article = expert.get(f"{url}/api/v1/kb/articles/{target}", timeout=10).json()
        return bool(article["asked"] == [kept_words])

    qtbot.waitUntil(kept, timeout=TIMEOUT_MS)
    answered = [q for q in expert.get(f"{url}/api/v1/kb/questions", timeout=10).json()
                if q["id"] == question["id"]]  # fmt: skip
    assert answered[0]["article_id"] == target
    titles = [a["title"] for a in expert.get(f"{url}/api/v1/kb/articles?limit=500",
                                             timeout=10).json()]  # fmt: skip
    assert words not in titles  # no new article was published
