"""The callback list (回访) and campaign calls: on the real panel, WorkService and local cache
(offline: every outcome waits in the outbox), and once end to end to the real backend."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, cast

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agent_desktop.services.agent_state import AgentStateService
from agent_desktop.services.work import WorkService
from agent_desktop.ui.models.task_model import (
    DUE_COL,
    STATUS_COL,
    TASK_ROLE,
    VIEW_DONE,
    VIEW_DUE,
    VIEW_OPEN,
    TaskFilterProxy,
    TaskTableModel,
)
from agent_desktop.ui.panels.callbacks_panel import COMMENTS_MAX, CallbacksPanel
from softphone import Phone
from sync.cache import CacheError, LocalCache
from sync.contract.records import CallOutcome
from sync.contract.rules import RETRY_AFTER
from sync.work_views import TaskLine
from tests.fakes.customers import NOW
from tests.fakes.rig import Rig

SURVEY, CALLBACK, CAMPAIGN, DONE = 51, 52, 53, 54
RESOLVED_TICKET = 23


@pytest.fixture
def panel(qtbot: QtBot, work: WorkService) -> CallbacksPanel:
    shown = CallbacksPanel(work, language="en")
    qtbot.addWidget(shown)
    shown.resize(1100, 700)
    shown.show()
    qtbot.waitUntil(lambda: shown.model.rowCount() == 4, timeout=5000)
    return shown


def pick(qtbot: QtBot, panel: CallbacksPanel, task_id: int) -> None:
    panel.select_task(task_id)
    qtbot.waitUntil(panel.save_button.isEnabled, timeout=5000)


def shown_ids(panel: CallbacksPanel) -> set[int]:
    return {
        cast(TaskLine, panel.proxy.data(panel.proxy.index(row, 0), TASK_ROLE)).id
        for row in range(panel.proxy.rowCount())
    }


def task(cache: LocalCache, task_id: int) -> dict[str, Any]:
    record = cache.get("task", task_id)
    assert record is not None
    return record.data


def queued(cache: LocalCache, entity: str) -> list[dict[str, Any]]:
    """What was queued for ``entity``, without the base version every write carries."""
    return [
        {k: v for k, v in (cache.body_for(e) or {}).items() if k != "version"}
        for e in cache.outbox()
        if e.entity == entity
    ]


def save_and_wait(qtbot: QtBot, panel: CallbacksPanel, check: Any) -> None:
    with qtbot.waitSignal(panel.saved, timeout=5000):
        panel.save_button.click()
    qtbot.waitUntil(check, timeout=5000)


def cached_attempts_are(cache: LocalCache, task_id: int, attempts: int) -> bool:
    return bool(task(cache, task_id)["attempts"] == attempts)


def shown_attempts_are(panel: CallbacksPanel, attempts: int) -> bool:
    line = panel.current_task
    return (
        line is not None
        and line.attempts == attempts
        and (f"{attempts} of 3 tries" in panel.state_label.text() or line.status != "open")
    )


def stamp(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# -- the list -----------------------------------------------------------------------------------


def test_task_model_is_a_sound_model_and_filters_by_view_and_text(
    qtbot: QtBot, qtmodeltester: Any, work: WorkService
) -> None:
    with qtbot.waitSignal(work.tasks_loaded, timeout=5000) as loaded:
        work.load_tasks()
    lines: list[TaskLine] = loaded.args[0]
    survey = next(line for line in lines if line.id == SURVEY)
    later = replace(survey, id=99, due_at=NOW + timedelta(days=2))  # open, not due today
    model = TaskTableModel(lambda: NOW)
    model.set_tasks([*lines, later])
    qtmodeltester.check(model)
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)

    def ids() -> set[int]:
        rows = range(proxy.rowCount())
        return {cast(TaskLine, proxy.data(proxy.index(r, 0), TASK_ROLE)).id for r in rows}

    assert ids() == {SURVEY, CALLBACK, CAMPAIGN}  # due today and overdue
    proxy.set_view(VIEW_OPEN)
    assert ids() == {SURVEY, CALLBACK, CAMPAIGN, 99}
    proxy.set_view(VIEW_DONE)
    assert ids() == {DONE}
    proxy.set_view(VIEW_OPEN)
    proxy.set_text("harbour")
    assert ids() == {CAMPAIGN}
    proxy.set_text("SR-202611-00009")
    assert ids() == {SURVEY, 99}
    # The campaign's name stands for its kind; sorting is by time, not by the shown text.
    row = model.row_of(CAMPAIGN)
    assert "Infusion pump usage survey" in model.data(model.index(row, 1))
    proxy.set_text("")
    proxy.sort(DUE_COL, Qt.SortOrder.AscendingOrder)
    first = cast(TaskLine, proxy.data(proxy.index(0, 0), TASK_ROLE))
    assert first.id == CALLBACK


def test_views_and_overdue_rows_are_marked(qtbot: QtBot, panel: CallbacksPanel) -> None:
    assert shown_ids(panel) == {SURVEY, CALLBACK, CAMPAIGN}
    assert "1 overdue" in panel.count_label.text()
    panel.set_view(VIEW_DONE)
    assert panel.view_combo.currentData() == VIEW_DONE
    assert shown_ids(panel) == {DONE}
    panel.set_view(VIEW_DUE)
    model = panel.model
    late = model.index(model.row_of(CALLBACK), DUE_COL)
    on_time = model.index(model.row_of(SURVEY), DUE_COL)
    assert model.data(late, Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(late, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(late, Qt.ItemDataRole.FontRole).bold()
    assert "Overdue since" in model.data(late, Qt.ItemDataRole.ToolTipRole)
    assert model.data(on_time, Qt.ItemDataRole.BackgroundRole) is None
    pick(qtbot, panel, CALLBACK)
    assert "overdue since" in panel.kind_label.text()
    assert "告知配件到货时间" in panel.notes_label.text()
    assert panel.score_box.isVisible()
    assert not panel.codes_box.isVisible()
    assert not panel.script_box.isVisible()


def test_click_to_dial_and_open_the_ticket(qtbot: QtBot, panel: CallbacksPanel) -> None:
    pick(qtbot, panel, SURVEY)
    with qtbot.waitSignal(panel.dial_requested, timeout=1000) as dialled:
        panel.call_button.click()
    assert dialled.args == ["+8613800138000"]
    assert "SR-202611-00009" in panel.ticket_button.text()
    with qtbot.waitSignal(panel.open_ticket_requested, timeout=1000) as opened:
        panel.ticket_button.click()
    assert opened.args == [RESOLVED_TICKET]
    row = panel.proxy.mapFromSource(panel.model.index(panel.model.row_of(CAMPAIGN), 0))
    with qtbot.waitSignal(panel.dial_requested, timeout=1000) as dialled:
        panel.table.doubleClicked.emit(row)
    assert dialled.args == ["+85228345678"]


# -- outcomes -----------------------------------------------------------------------------------


def test_reached_survey_with_a_score_closes_the_resolved_ticket(
    qtbot: QtBot, panel: CallbacksPanel, work_cache: LocalCache
) -> None:
    pick(qtbot, panel, SURVEY)
    panel.outcome_buttons[CallOutcome.REACHED].click()
    assert panel.close_ticket_check.isVisible()
    assert "SR-202611-00009" in panel.close_ticket_check.text()
    assert not panel.close_ticket_check.isChecked()  # no score yet
    panel.score_buttons[2].click()
    assert not panel.close_ticket_check.isChecked()  # not satisfied
    panel.score_buttons[4].click()
    assert panel.close_ticket_check.isChecked()
    panel.comments_edit.setPlainText("泵管更换后无漏液，很满意")
    save_and_wait(qtbot, panel, lambda: task(work_cache, SURVEY)["status"] == "done")

    ticket = work_cache.get("ticket", RESOLVED_TICKET)
    assert ticket is not None
    assert ticket.data["status"] == "closed"
    assert ticket.state == "pending"
    [sent] = queued(work_cache, "task")
    assert sent == {
        "outcome_code": "reached",
        "status": "done",
        "satisfaction": 4,
        "outcome": "泵管更换后无漏液，很满意",
    }
    assert queued(work_cache, "ticket") == [{"status": "closed"}]
    assert task(work_cache, SURVEY)["attempts"] == 1
    assert "Done" in panel.saved_label.text()
    assert "ticket is closed" in panel.saved_label.text()
    # Done: it leaves today's list and the form; the list says it waits to sync.
    qtbot.waitUntil(lambda: SURVEY not in shown_ids(panel), timeout=5000)
    qtbot.waitUntil(lambda: not panel.form.isVisible(), timeout=5000)
    assert "Waiting to sync" in panel.state_label.text()
    qtbot.waitUntil(lambda: "satisfaction 4/5" in panel.recorded_label.text(), timeout=5000)


def test_the_outcome_and_the_ticket_close_are_one_write(work_cache: LocalCache) -> None:
    """Both or neither: a close that cannot be written (here the ticket is gone from the
    cache) leaves the survey open too, and nothing is queued."""
    before = task(work_cache, SURVEY)
    outcome = {"outcome_code": "reached", "status": "done", "satisfaction": 5}
    failed = work_cache.update_together(
        [("task", SURVEY, outcome), ("ticket", 999_999, {"status": "closed"})]
    )
    with pytest.raises(CacheError, match="not in the local cache"):
        failed.result(timeout=5)
    assert task(work_cache, SURVEY) == before
    assert work_cache.outbox() == []
    work_cache.update_together(
        [("task", SURVEY, outcome), ("ticket", RESOLVED_TICKET, {"status": "closed"})]
    ).result(timeout=5)
    ticket = work_cache.get("ticket", RESOLVED_TICKET)
    assert ticket is not None
    assert ticket.data["status"] == "closed"
    assert task(work_cache, SURVEY)["status"] == "done"
    assert [e.entity for e in work_cache.outbox()] == ["task", "ticket"]  # pushed in order


def test_reached_callback_may_keep_the_ticket_open(
    qtbot: QtBot, panel: CallbacksPanel, work_cache: LocalCache
) -> None:
    pick(qtbot, panel, SURVEY)
    panel.outcome_buttons[CallOutcome.REACHED].click()
    panel.score_buttons[5].click()
    panel.close_ticket_check.click()  # the agent unticks it: the customer has one more ask
    panel.score_buttons[4].click()
    assert not panel.close_ticket_check.isChecked()  # a hand-made choice stays
    save_and_wait(qtbot, panel, lambda: task(work_cache, SURVEY)["status"] == "done")
    assert queued(work_cache, "ticket") == []
    ticket = work_cache.get("ticket", RESOLVED_TICKET)
    assert ticket is not None
    assert ticket.data["status"] == "resolved"


def test_no_answer_is_tried_again_and_the_third_makes_it_unreachable(
    qtbot: QtBot, panel: CallbacksPanel, work_cache: LocalCache
) -> None:
    pick(qtbot, panel, CALLBACK)
    assert "0 of 3 tries" in panel.state_label.text()
    for attempt in (1, 2):
        panel.outcome_buttons[CallOutcome.NO_ANSWER].click()
        save_and_wait(qtbot, panel, partial(cached_attempts_are, work_cache, CALLBACK, attempt))
        qtbot.waitUntil(partial(shown_attempts_are, panel, attempt), timeout=5000)
        assert task(work_cache, CALLBACK)["status"] == "open"
        assert stamp(task(work_cache, CALLBACK)["due_at"]) == NOW + RETRY_AFTER
        assert "Next call at 2026-11-23 12:00" in panel.saved_label.text()
        qtbot.waitUntil(lambda: "12:00" in panel.kind_label.text(), timeout=5000)
    row = panel.model.row_of(CALLBACK)
    assert panel.model.data(panel.model.index(row, DUE_COL)) == "2026-11-23 12:00"
    assert "overdue" not in panel.kind_label.text()  # moved to the next try
    panel.outcome_buttons[CallOutcome.NO_ANSWER].click()
    save_and_wait(qtbot, panel, lambda: task(work_cache, CALLBACK)["status"] == "unreachable")
    assert [body["status"] for body in queued(work_cache, "task")] == [
        "open",
        "open",
        "unreachable",
    ]
    assert task(work_cache, CALLBACK)["attempts"] == 3
    row = panel.model.row_of(CALLBACK)
    qtbot.waitUntil(
        lambda: panel.model.data(panel.model.index(row, STATUS_COL)) == "Unreachable",
        timeout=5000,
    )


def test_wrong_number_makes_it_unreachable_at_once(
    qtbot: QtBot, panel: CallbacksPanel, work_cache: LocalCache
) -> None:
    pick(qtbot, panel, CALLBACK)
    panel.outcome_buttons[CallOutcome.WRONG_NUMBER].click()
    assert not panel.score_box.isEnabled()
    panel.comments_edit.setPlainText("号码已停用")
    save_and_wait(qtbot, panel, lambda: task(work_cache, CALLBACK)["status"] == "unreachable")
    assert queued(work_cache, "task") == [
        {"outcome_code": "wrong_number", "status": "unreachable", "outcome": "号码已停用"}
    ]
    assert queued(work_cache, "ticket") == []  # never offered on a wrong number


def test_call_back_at_the_time_the_customer_asked(
    qtbot: QtBot, panel: CallbacksPanel, work_cache: LocalCache
) -> None:
    pick(qtbot, panel, SURVEY)
    assert not panel.callback_time.isEnabled()
    panel.outcome_buttons[CallOutcome.CALL_BACK_LATER].click()
    assert panel.callback_time.isEnabled()
    assert panel.call_back_time() == NOW + RETRY_AFTER  # offered: the usual retry time
    asked = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    panel.set_call_back_time(asked)
    assert not panel.close_ticket_check.isVisible()
    save_and_wait(qtbot, panel, lambda: task(work_cache, SURVEY)["attempts"] == 1)
    assert queued(work_cache, "task") == [
        {"outcome_code": "call_back_later", "status": "open", "due_at": asked.isoformat()}
    ]
    assert stamp(task(work_cache, SURVEY)["due_at"]) == asked
    # Tomorrow's: gone from today's list, still in all open ones.
    qtbot.waitUntil(lambda: SURVEY not in shown_ids(panel), timeout=5000)
    panel.set_view(VIEW_OPEN)
    assert SURVEY in shown_ids(panel)


def test_campaign_call_records_a_campaign_outcome_and_no_score(
    qtbot: QtBot, panel: CallbacksPanel, work_cache: LocalCache
) -> None:
    pick(qtbot, panel, CAMPAIGN)
    assert not panel.score_box.isVisible()
    assert panel.codes_box.isVisible()
    assert panel.script_box.isVisible()
    script = panel.script_view.toPlainText()
    assert script.splitlines() == ["您好，我们在回访输液泵的使用情况：", "1. 最近是否出现过报警？"]
    assert [b.text() for b in panel.code_buttons.values()] == ["No issues", "Wants training"]
    panel.outcome_buttons[CallOutcome.REACHED].click()
    assert not panel.close_ticket_check.isVisible()
    panel.save_button.click()
    assert "campaign outcome" in panel.errors["campaign_outcome"].text()
    assert queued(work_cache, "task") == []
    panel.code_buttons["needs_training"].click()
    save_and_wait(qtbot, panel, lambda: task(work_cache, CAMPAIGN)["status"] == "done")
    assert queued(work_cache, "task") == [
        {"outcome_code": "reached", "status": "done", "campaign_outcome": "needs_training"}
    ]


def test_campaign_codes_are_worded_in_the_ui_language(qtbot: QtBot, work: WorkService) -> None:
    zh = CallbacksPanel(work, language="zh_CN")
    qtbot.addWidget(zh)
    qtbot.waitUntil(lambda: zh.model.rowCount() == 4, timeout=5000)
    pick(qtbot, zh, CAMPAIGN)
    assert [b.text() for b in zh.code_buttons.values()] == ["使用正常", "需要培训"]


# -- bad input ----------------------------------------------------------------------------------


def test_bad_input_is_said_next_to_its_field_and_nothing_is_saved(
    qtbot: QtBot, panel: CallbacksPanel, work_cache: LocalCache
) -> None:
    before = len(work_cache.outbox())
    pick(qtbot, panel, SURVEY)
    errors = panel.errors

    panel.save_button.click()  # no outcome picked
    assert errors["outcome_code"].isVisible()
    assert "how the call went" in errors["outcome_code"].text()

    panel.outcome_buttons[CallOutcome.REACHED].click()
    panel.save_button.click()  # a reached survey without a score
    assert not errors["outcome_code"].isVisible()
    assert errors["satisfaction"].isVisible()

    panel.score_buttons[3].click()
    panel.comments_edit.setPlainText("x" * (COMMENTS_MAX + 1))
    panel.save_button.click()
    assert not errors["satisfaction"].isVisible()
    assert "4000" in errors["comments"].text()

    panel.comments_edit.setPlainText("ok")
    panel.outcome_buttons[CallOutcome.CALL_BACK_LATER].click()
    panel.set_call_back_time(NOW - timedelta(minutes=5))
    panel.save_button.click()
    assert "already passed" in errors["due_at"].text()
    panel.callback_time.setDateTime(panel.callback_time.minimumDateTime())  # cleared
    assert panel.call_back_time() is None
    panel.save_button.click()
    assert "when to call back" in errors["due_at"].text()

    assert len(work_cache.outbox()) == before
    assert task(work_cache, SURVEY)["status"] == "open"
    assert panel.saved_label.text() == ""


# -- end to end ---------------------------------------------------------------------------------


def test_an_outcome_recorded_on_the_desk_reaches_the_server(
    qtbot: QtBot, live_desk: tuple[Rig, Phone, AgentStateService]
) -> None:
    rig, _phone, _agent = live_desk
    work = WorkService(rig.sync, rig.sync.tasks)
    rig.sync.records_changed.connect(work.records_changed)
    panel = CallbacksPanel(work, language="en")
    qtbot.addWidget(panel)
    try:
        qtbot.waitUntil(
            lambda: any(
                panel.model.task(r).kind == "callback" for r in range(panel.model.rowCount())
            ),
            timeout=5000,
        )
        line = next(
            panel.model.task(r)
            for r in range(panel.model.rowCount())
            if panel.model.task(r).kind == "callback"
        )
        pick(qtbot, panel, line.id)
        # Three tries before the desk syncs: each is counted locally, so the third is sent as
        # unreachable, the status the server's rule gives too (it refuses any other).
        for attempt in (1, 2, 3):
            panel.outcome_buttons[CallOutcome.NO_ANSWER].click()
            panel.comments_edit.setPlainText(f"No answer ({attempt})")
            with qtbot.waitSignal(panel.saved, timeout=5000):
                panel.save_button.click()
            qtbot.waitUntil(partial(shown_attempts_are, panel, attempt), timeout=5000)
        rig.sync.sync_now()

        def on_server() -> dict[str, Any] | None:
            tasks = cast(list[dict[str, Any]], rig.api("GET", "/tasks"))
            found = next(t for t in tasks if t["id"] == line.id)
            return found if found["attempts"] == 3 else None

        qtbot.waitUntil(lambda: on_server() is not None, timeout=10_000)
        found = on_server()
        assert found is not None
        assert (found["status"], found["outcome_code"], found["outcome"]) == (
            "unreachable",
            "no_answer",
            "No answer (3)",
        )
        cache = rig.sync.cache
        assert cache is not None
        qtbot.waitUntil(lambda: not cache.outbox(), timeout=10_000)  # none refused
        qtbot.waitUntil(lambda: "Waiting to sync" not in panel.state_label.text(), timeout=5000)
        assert "Unreachable" in panel.state_label.text()
    finally:
        work.close()
