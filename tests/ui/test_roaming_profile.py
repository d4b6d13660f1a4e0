"""The roaming profile service (services/roaming_profile.py) against an in-memory server
stand-in (the real route is in tests/ui/test_roaming_profile_e2e.py): per-key last writer
wins, debounced writes, and keys changed offline kept until the server takes them."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from agent_desktop.services.roaming_profile import RoamingProfile, merge_preferences
from agent_desktop.tasks import TaskRunner
from sync.client import NetworkError
from sync.contract.wire import Preferences

TIMEOUT_MS = 5_000


class ProfileServer:
    """What ``/me/preferences`` keeps for one user; ``offline`` refuses every request."""

    def __init__(self) -> None:
        self.document = Preferences()
        self.offline = False
        self.writes = 0
        self.refused = 0

    def __call__(self) -> ProfileServer:  # the client factory
        return self

    def __enter__(self) -> ProfileServer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def preferences(self) -> Preferences:
        if self.offline:
            self.refused += 1
            raise NetworkError("offline")
        return self.document

    def save_preferences(self, preferences: Preferences, key: str) -> Preferences:
        assert key
        if self.offline:
            self.refused += 1
            raise NetworkError("offline")
        self.writes += 1
        self.document = preferences
        return preferences


class Desk:
    """This desk's preferences, as DeskPreferences would collect and apply them."""

    def __init__(self) -> None:
        self.now = Preferences()
        self.applied: list[Preferences] = []

    def apply(self, prefs: Preferences) -> None:
        self.applied.append(prefs)
        self.now = prefs


@pytest.fixture
def store(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)


def make_profile(tasks: TaskRunner, store: QSettings, desk: Desk) -> RoamingProfile:
    profile = RoamingProfile(tasks, store, lambda: desk.now, debounce_ms=50, retry_ms=100)
    profile.arrived.connect(desk.apply)
    return profile


def test_merge_takes_only_the_changed_keys_from_this_desk() -> None:
    server = Preferences(language="en", layout="theirs", shortcuts={"call.ready": "F5"})
    local = Preferences(language="zh_CN", layout="mine")
    merged = merge_preferences(server, local, {"language"})
    assert merged.language == "zh_CN"
    assert merged.layout == "theirs"  # changed at the other seat, not here: kept
    assert merged.shortcuts == {"call.ready": "F5"}


def test_a_key_an_older_server_does_not_have_stays_unset_unless_changed_here() -> None:
    """A 1.5 server's profile has no compact_call_bar: the merged document leaves it unset
    (DeskPreferences.apply then keeps this desk's own choice), unless this desk changed it."""
    server = Preferences.read({"language": "en", "layout": "theirs"})  # as a 1.5 server sends
    local = Preferences(language="zh_CN", compact_call_bar=True)
    merged = merge_preferences(server, local, {"language"})
    assert "compact_call_bar" not in merged.model_fields_set
    merged = merge_preferences(server, local, {"compact_call_bar"})
    assert merged.compact_call_bar
    assert "compact_call_bar" in merged.model_fields_set


def test_sign_in_applies_the_profile_and_a_change_is_written_back(
    qtbot: QtBot, tasks: TaskRunner, store: QSettings
) -> None:
    server, desk = ProfileServer(), Desk()
    server.document = Preferences(language="zh_CN", layout="abc")
    profile = make_profile(tasks, store, desk)
    profile.start("wangfang", server)
    qtbot.waitUntil(lambda: profile.loaded, timeout=TIMEOUT_MS)
    assert desk.applied == [server.document]
    assert server.writes == 0  # applying is not a change

    desk.now = desk.now.model_copy(update={"layout": "moved", "language": "en"})
    profile.changed("layout")
    profile.changed("layout")  # dragging a dock: many signals, one write
    qtbot.waitUntil(lambda: server.writes == 1 and not profile.pending(), timeout=TIMEOUT_MS)
    assert server.document.layout == "moved"
    assert server.document.language == "zh_CN"  # not changed here: the server's stays


def test_a_change_made_offline_is_kept_and_wins_at_the_next_sign_in(
    qtbot: QtBot, tasks: TaskRunner, store: QSettings
) -> None:
    server, desk = ProfileServer(), Desk()
    profile = make_profile(tasks, store, desk)
    profile.start("wangfang", server)
    qtbot.waitUntil(lambda: profile.loaded, timeout=TIMEOUT_MS)
    server.offline = True
    desk.now = desk.now.model_copy(update={"shortcuts": {"call.ready": "Ctrl+Alt+R"}})
    profile.changed("shortcuts")
    refused = server.refused
    qtbot.waitUntil(lambda: server.refused >= refused + 2, timeout=TIMEOUT_MS)  # and a retry
    assert profile.pending() == {"shortcuts"}
    profile.stop()

    # Meanwhile another seat changed the language; this one comes back.
    server.offline = False
    server.document = Preferences(language="zh_CN", shortcuts={"call.ready": "F9"})
    again = make_profile(tasks, store, desk)
    again.start("wangfang", server)
    qtbot.waitUntil(lambda: not again.pending() and server.writes == 1, timeout=TIMEOUT_MS)
    assert server.document.shortcuts == {"call.ready": "Ctrl+Alt+R"}  # the later change
    assert server.document.language == "zh_CN"  # the other seat's key
    assert desk.applied[-1].shortcuts == {"call.ready": "Ctrl+Alt+R"}  # not undone here
    assert desk.applied[-1].language == "zh_CN"


def test_another_users_pending_keys_are_not_theirs(
    qtbot: QtBot, tasks: TaskRunner, store: QSettings
) -> None:
    server, desk = ProfileServer(), Desk()
    profile = make_profile(tasks, store, desk)
    server.offline = True
    profile.start("wangfang", server)
    profile.changed("language")
    profile.stop()
    server.offline = False
    profile.start("lihua", server)
    qtbot.waitUntil(lambda: profile.loaded, timeout=TIMEOUT_MS)
    assert profile.pending() == set()
    assert server.writes == 0


def test_a_profile_not_read_at_sign_in_is_read_when_the_server_answers(
    qtbot: QtBot, tasks: TaskRunner, store: QSettings
) -> None:
    server, desk = ProfileServer(), Desk()
    server.document = Preferences(language="zh_CN")
    server.offline = True
    profile = make_profile(tasks, store, desk)
    profile.start("wangfang", server)
    qtbot.waitUntil(lambda: server.refused >= 1, timeout=TIMEOUT_MS)
    assert not profile.loaded
    server.offline = False
    qtbot.waitUntil(lambda: profile.loaded, timeout=TIMEOUT_MS)
    assert desk.applied == [server.document]
