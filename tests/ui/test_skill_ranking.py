"""Skills with levels rank the people work goes to (issue 27): the dispatch form's engineers
by the product's skill and their level in it (before region and load), and the handover list's
experts by the ticket's skill. On the real cache, as the desk reads it; the knowledge
question's routing by the same rule is checked on the server
(``tests/integration/test_api_centre_admin.py``)."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from agent_desktop.services.work import WorkService
from agent_desktop.ui.dialogs.handover_dialog import HandoverDialog
from sync.cache import LocalCache
from sync.contract.skills import Candidate, experts_for, level_in, skill_for
from sync.contract.wire import ChangeOut
from sync.work_views import Person, WorkViews
from tests.fakes.customers import NOW
from tests.fakes.work import EXPERT_ID, work_records
from tests.ui.test_dispatch_ui import names, on_visit_day, open_panel, ready, refilter


def with_levels(
    cache: LocalCache, levels: dict[int, list[tuple[str, int]]], version: int = 2
) -> None:
    """The feed brings these people's new skill levels (as the admin's change would)."""
    people = {rid: data for entity, rid, data in work_records() if entity == "user"}
    changes = []
    for n, (uid, skills) in enumerate(levels.items()):
        data: dict[str, Any] = {
            **people[uid],
            "skills": [{"skill": s, "level": lv} for s, lv in skills],
            "version": version,
            "updated_at": NOW.isoformat(),
        }
        seq = 10_000 * version + n
        changes.append(
            ChangeOut(seq=seq, entity="user", id=uid, op="upsert", version=version, data=data)
        )
    cache.apply_changes(changes, 10_000 * version + len(changes)).result(timeout=10)


def test_the_skill_level_ranks_engineers_before_their_load(
    qtbot: QtBot, work: WorkService, work_cache: LocalCache
) -> None:
    # 张工 (one visit that day) holds Patient Monitors at 9, 周工 (free) at 3.
    with_levels(
        work_cache,
        {
            11: [("Patient Monitors", 9), ("Infusion Pumps", 4)],
            12: [("Analyzers", 5), ("Patient Monitors", 3)],
        },
    )
    form = ready(qtbot, open_panel(qtbot, work).new_dispatch(21))
    on_visit_day(form, qtbot)
    refilter(qtbot, form, form.region_combo, "")
    refilter(qtbot, form, form.skill_combo, "Patient Monitors")
    assert names(form) == ["张工", "周工"]  # the level first, then the lighter load
    assert form.engineer_list.item(0).text() == "张工 · level 9 · 北京 · 1 visit that day"
    assert form.engineer_list.item(1).text() == "周工 · level 3 · 上海 · no visits that day"
    assert "Patient Monitors 9" in form.engineer_list.item(0).toolTip()
    # Equal levels: the lighter load first, as before.
    with_levels(work_cache, {11: [("Patient Monitors", 3)]}, version=3)
    refilter(qtbot, form, form.skill_combo, "Analyzers")
    refilter(qtbot, form, form.skill_combo, "Patient Monitors")
    assert names(form) == ["周工", "张工"]


def test_experts_holding_the_tickets_skill_come_first_in_the_handover_list(
    work_cache: LocalCache,
) -> None:
    # A second expert: a level-7 infusion-pump specialist, not on duty.
    people = {rid: data for entity, rid, data in work_records() if entity == "user"}
    specialist = {
        **people[EXPERT_ID],
        "id": 99,
        "username": "pumps",
        "display_name": "泵专家",
        "skills": [{"skill": "second_line", "level": 4}, {"skill": "Infusion Pumps", "level": 7}],
    }
    change = ChangeOut(seq=90_000, entity="user", id=99, op="upsert", version=1, data=specialist)
    work_cache.apply_changes([change], 90_000).result(timeout=10)
    views = WorkViews(work_cache.path)
    try:
        assert [p.name for p in views.experts()] == ["陈杰 (二线专家)", "泵专家"]  # on duty first
        pumps = views.experts(skill_for("输液泵"))
        assert [p.name for p in pumps] == ["泵专家", "陈杰 (二线专家)"]
        assert pumps[0].level("infusion pumps") == 7  # names compare without case
    finally:
        views.close()


def test_the_one_ranking_rule() -> None:
    people = [
        Candidate(1, "agent", (("medical-zh", 5),)),
        Candidate(2, "expert", (("second_line", 5), ("on_duty", 1))),
        Candidate(3, "pumps-4", (("Infusion Pumps", 4),)),
        Candidate(4, "pumps-8", (("infusion pumps", 8), ("second_line", 2))),
    ]
    assert [p.id for p in experts_for(people, "Infusion Pumps")] == [4, 3, 2]
    assert [p.id for p in experts_for(people, "")] == [2, 4]  # second line only
    assert level_in((("A", 3), ("a", 5)), "A") == 5
    assert level_in((("A", 3),), "") == 0
    assert skill_for(" 监护仪 ") == "Patient Monitors"
    assert skill_for("Office Printers") == "Office Printers"
    assert Person(1, "x", "agent", ("A",), levels=(("A", 2),)).level("a") == 2


def test_the_handover_dialog_says_each_experts_level_in_the_tickets_skill(qtbot: QtBot) -> None:
    experts = [
        Person(99, "泵专家", "agent", ("second_line", "Infusion Pumps"),
               levels=(("second_line", 4), ("Infusion Pumps", 7))),
        Person(EXPERT_ID, "陈杰", "agent", ("second_line", "on_duty"), extension="8101",
               levels=(("second_line", 5), ("on_duty", 1))),
    ]  # fmt: skip
    dialog = HandoverDialog(experts, "SR-1", False, skill="Infusion Pumps")
    qtbot.addWidget(dialog)
    texts = [dialog.expert_combo.itemText(i) for i in range(dialog.expert_combo.count())]
    assert texts == ["泵专家 · Infusion Pumps level 7", "陈杰 (on duty) · 8101"]
