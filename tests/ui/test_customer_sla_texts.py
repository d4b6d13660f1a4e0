"""The 360's SLA texts read as durations, in the words Tickets and the board use
(ui/durations.py): "SLA due: SR-… · 2 h left", a work line "SLA 2 h left", and later
"overdue 10 min" — never a clock time (issue 19). The real panel on the real cache, the clock
pinned and moved by the test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import cast

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot

from agent_desktop.i18n import TRANSLATIONS_DIR
from agent_desktop.services.screen_pop import ScreenPopService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.panels.customer_panel import CustomerPanel
from sync.cache import LocalCache
from tests.fakes.customers import NOW, Desk, FakePhone, popped

COMPLAINT = "SR-202611-00007"  # the fixture's open complaint: response due at NOW + 2 h


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest, qapp: QCoreApplication) -> Iterator[str]:
    translator = QTranslator()
    if request.param != "en":
        qm = TRANSLATIONS_DIR / f"agent_desktop_{request.param}.qm"
        assert translator.load(str(qm)), f"{qm} is missing: run make translations"
        QCoreApplication.installTranslator(translator)
    yield request.param
    QCoreApplication.removeTranslator(translator)


def test_the_360_counts_down_its_sla_as_a_duration(
    qtbot: QtBot, cache: LocalCache, tasks: TaskRunner, language: str
) -> None:
    clock = [NOW]

    def now() -> datetime:
        return clock[0]

    phone = FakePhone()
    service = ScreenPopService(cast(SyncService, Desk(cache)), tasks, now=now)
    service.attach(phone)  # type: ignore[arg-type]
    panel = CustomerPanel(now)
    qtbot.addWidget(panel)
    service.popped.connect(panel.show_pop)
    panel.show()
    try:
        popped(qtbot, service, "13800138000", phone)
        zh = language == "zh_CN"

        flags = panel.flags_label.accessibleName()
        due = f"时限即将到期：{COMPLAINT} · 剩余 2 小时"
        due = due if zh else f"SLA due: {COMPLAINT} · 2 h left"
        assert due in flags
        assert ":" not in flags.split(COMPLAINT)[1].split(";")[0]  # no clock time after it
        line = next(
            panel.work_list.item(i).text()
            for i in range(panel.work_list.count())
            if COMPLAINT in panel.work_list.item(i).text()
        )
        assert line.endswith("时限 剩余 2 小时" if zh else "SLA 2 h left")

        # Two hours and ten minutes on: the same texts, past the deadline (the ticker's work).
        clock[0] = NOW + timedelta(hours=2, minutes=10)
        panel._deadline_ticker.timeout.emit()
        flags = panel.flags_label.accessibleName()
        breached = (
            f"已超时限：{COMPLAINT} · 超时 10 分钟"
            if zh
            else f"SLA breached: {COMPLAINT} · overdue 10 min"
        )
        assert breached in flags
        line = next(
            panel.work_list.item(i).text()
            for i in range(panel.work_list.count())
            if COMPLAINT in panel.work_list.item(i).text()
        )
        assert line.endswith("时限 超时 10 分钟" if zh else "SLA overdue 10 min")
    finally:
        service.close()
