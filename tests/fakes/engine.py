"""What the phone engine's process says about itself (``Phone.inspect``: the guard, the door,
calls and slots), waited for on the GUI thread where the answer arrives."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from softphone import Phone

ANSWER_TIMEOUT_MS = 10_000


def engine_facts(qtbot: QtBot, phone: Phone) -> dict[str, Any]:
    answers: list[dict[str, Any]] = []
    phone.inspect(answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=ANSWER_TIMEOUT_MS)
    return answers[0]
