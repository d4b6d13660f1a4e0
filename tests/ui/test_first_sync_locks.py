"""The first sign-in fills the cache while the desk reads it and the knowledge-base index is
built into the same file: no connection ever meets "database is locked"."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.conftest import LiveDesk

pytestmark = pytest.mark.slow


def test_a_first_sign_in_never_meets_a_locked_database(
    qtbot: QtBot, make_live_desk: Callable[..., LiveDesk], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    rig, _phone, _agent = make_live_desk(with_kb=True)  # signed in, first pull done
    desk = rig.window.work_desk
    assert desk is not None
    cache = rig.sync.cache
    assert cache is not None
    # The lists the agent sees were read while the pull wrote (they reload on each page).
    qtbot.waitUntil(lambda: desk.tickets.visible_numbers() != [], timeout=15_000)
    qtbot.waitUntil(lambda: "knowledge base: index built" in caplog.text, timeout=30_000)
    rig.sync.sync_now()  # and a round after the index was built
    qtbot.waitUntil(lambda: rig.sync.status.state == "online", timeout=15_000)
    assert "database is locked" not in caplog.text.lower()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
