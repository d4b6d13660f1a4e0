"""The experts' synonym table on the desk, against the real backend: an expert adds a spoken
form in the Knowledge base's Synonyms dialog (through the outbox: the desk searches with it at
once, the server gets it on the next push), and an agent's desk picks up an entry made on
another desk from the change feed, without a restart."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agent_desktop.services.kb import KbQuery, KbService
from agent_desktop.ui.dialogs.synonyms_dialog import split_words
from tests.ui.conftest import LiveDesk
from tests.ui.test_kb_answer import TIMEOUT_MS, as_user

pytestmark = pytest.mark.slow
ASKED = "三床那台哔哔叫"  # 哔哔叫 is in no article: 报警 is what they say


def first_title(qtbot: QtBot, kb: KbService, text: str) -> str:
    with qtbot.waitSignal(kb.searched, timeout=TIMEOUT_MS) as answer:
        kb.search(KbQuery(text, limit=5))
    hits = answer.args[0].hits if answer.args else []
    return str(hits[0].title) if hits else ""


def kb_of(rig: object) -> KbService:
    desk = rig.window.work_desk  # type: ignore[attr-defined]
    assert desk is not None
    assert desk.knowledge is not None
    kb: KbService = desk.knowledge.kb
    return kb


def test_an_expert_adds_a_spoken_form_and_the_search_uses_it_at_once(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk]
) -> None:
    rig, _phone, _agent = make_live_desk(user="zhangwei", with_kb=True)
    panel = rig.window.work_desk.knowledge  # type: ignore[union-attr]
    kb = kb_of(rig)
    qtbot.waitUntil(lambda: kb.index_report is not None, timeout=TIMEOUT_MS)
    assert "报警" not in first_title(qtbot, kb, ASKED)
    dialog = panel.edit_synonyms()
    qtbot.addWidget(dialog)
    dialog.spoken_edit.setText("哔哔叫")
    dialog.save()  # no article words yet: said, nothing queued
    assert dialog.error_label.text() == "Name at least one word the articles use."
    dialog.words_edit.setText("报警，报警音")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=TIMEOUT_MS)
    assert dialog.table.item(0, 1).text() == "报警, 报警音"
    qtbot.waitUntil(lambda: "报警" in first_title(qtbot, kb, ASKED), timeout=TIMEOUT_MS)
    expert = as_user(rig.backend.url, "zhangwei")

    def on_server() -> bool:
        rig.sync.sync_now()
        found = expert.get(f"{rig.backend.url}/api/v1/kb/synonyms", timeout=10).json()
        return [(s["spoken"], s["words"]) for s in found] == [("哔哔叫", ["报警", "报警音"])]

    qtbot.waitUntil(on_server, timeout=TIMEOUT_MS)
    dialog.table.selectRow(0)  # the same spoken form again: refused, said where
    dialog.table.clearSelection()
    dialog.spoken_edit.setText("哔哔叫")
    dialog.words_edit.setText("报警")
    dialog.save()
    assert "is in the table already" in dialog.error_label.text()


def test_an_agents_desk_picks_up_a_synonym_made_elsewhere(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk]
) -> None:
    rig, _phone, _agent = make_live_desk(user="wangfang", with_kb=True)
    kb = kb_of(rig)
    qtbot.waitUntil(lambda: kb.index_report is not None, timeout=TIMEOUT_MS)
    assert "报警" not in first_title(qtbot, kb, ASKED)
    made = as_user(rig.backend.url, "admin").post(
        f"{rig.backend.url}/api/v1/kb/synonyms",
        json={"spoken": "哔哔叫", "words": ["报警"]},
        timeout=10,
    )
    assert made.status_code == 201, made.text

    def picked_up() -> bool:
        rig.sync.sync_now()
        # (The cache tells its listeners at SQLAlchemy's commit event, just before SQLite
        # commits: a re-read may, rarely, still see the old table; asked again here.)
        kb.load_synonyms()
        return "报警" in first_title(qtbot, kb, ASKED)

    qtbot.waitUntil(picked_up, timeout=TIMEOUT_MS)
    assert [s.spoken for s in kb.synonyms] == ["哔哔叫"]


def test_article_words_are_split_as_experts_type_them() -> None:
    assert split_words("卡纸, 进纸，走纸、搓纸轮;纸盒；") == [
        "卡纸",
        "进纸",
        "走纸",
        "搓纸轮",
        "纸盒",
    ]
    assert split_words(" , ，") == []
