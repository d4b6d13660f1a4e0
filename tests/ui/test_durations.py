"""The one duration formatter (issue 19), in English and Chinese: spans read as spans
("11 h 59 min", "超时 8 小时"), never as clock times ("11:59:49")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from agent_desktop.i18n import TRANSLATIONS_DIR
from agent_desktop.ui.durations import left_text, remaining, span, stopwatch

H, MIN = 3600, 60


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest, qapp: QCoreApplication) -> Iterator[str]:
    translator = QTranslator()
    if request.param != "en":
        qm = TRANSLATIONS_DIR / f"agent_desktop_{request.param}.qm"
        assert translator.load(str(qm)), f"{qm} is missing: run make translations"
        QCoreApplication.installTranslator(translator)
    yield request.param
    QCoreApplication.removeTranslator(translator)


CASES = [  # seconds, English, Chinese
    (0, "0 min left", "剩余 0 分钟"),
    (59, "0 min left", "剩余 0 分钟"),
    (59 * MIN, "59 min left", "剩余 59 分钟"),
    (11 * H + 59 * MIN + 49, "11 h 59 min left", "剩余 11 小时 59 分钟"),
    (2 * H + 5 * MIN, "2 h 5 min left", "剩余 2 小时 5 分钟"),
    (-8 * H, "overdue 8 h", "超时 8 小时"),
    (-(8 * H + 30), "overdue 8 h", "超时 8 小时"),
    (-45 * MIN, "overdue 45 min", "超时 45 分钟"),
    (26 * H, "1 d 2 h left", "剩余 1 天 2 小时"),
    (72 * H + 59 * MIN, "3 d left", "剩余 3 天"),
    (-(50 * H), "overdue 2 d 2 h", "超时 2 天 2 小时"),
]


@pytest.mark.parametrize(("seconds", "english", "chinese"), CASES)
def test_a_deadline_reads_as_a_duration(
    language: str, seconds: int, english: str, chinese: str
) -> None:
    expected = english if language == "en" else chinese
    assert remaining(seconds) == expected
    now = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    assert left_text(now + timedelta(seconds=seconds), now) == expected
    assert ":" not in expected  # never a clock face


def test_span_has_no_sign_and_no_deadline_reads_empty(language: str) -> None:
    expected = "1 h 30 min" if language == "en" else "1 小时 30 分钟"
    assert span(-90 * MIN) == span(90 * MIN) == expected
    assert left_text(None, datetime(2026, 12, 5, tzinfo=UTC)) == ""


def test_a_running_timer_keeps_its_seconds() -> None:
    assert (stopwatch(0), stopwatch(35), stopwatch(3725), stopwatch(-4)) == (
        "0:00", "0:35", "1:02:05", "0:00",
    )  # fmt: skip
    assert stopwatch(None) == ""
