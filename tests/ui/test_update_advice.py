"""The desk learns from the real server (over HTTP) which desk releases are current and tells
the agent in the status bar (not a dialog) and IT in the log: once when a newer desk exists,
more urgently when the server's next step will refuse this desk's contract (issue 18)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot

from agent_desktop.i18n import TRANSLATIONS_DIR
from agent_desktop.messages import Level, Message, MessageBridge
from agent_desktop.services.session import SessionService
from sync.contract.release import DeskRelease, Urgency
from sync.contract.version import CONTRACT, ContractVersion
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.releases import previous_server, unpack_previous_release
from tests.fakes.servers import LiveBackend

WAIT_MS = 15_000


@pytest.fixture
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveBackend]:
    live = LiveBackend(tmp_path / "server.sqlite", **request.param)
    yield live
    live.stop()


@pytest.fixture
def told(messages: MessageBridge) -> list[Message]:
    """What the status bar was asked to show."""
    posted: list[Message] = []
    messages.posted.connect(posted.append)
    return posted


def signed_in(
    qtbot: QtBot, make_session: Callable[..., SessionService], backend: LiveBackend | str
) -> SessionService:
    url = backend if isinstance(backend, str) else backend.url
    session = make_session(MemoryCredentialStore())
    with qtbot.waitSignal(session.signed_in, timeout=WAIT_MS):
        session.sign_in(url, "wangfang", "demo1234", remember=False)
    return session


@pytest.mark.parametrize("backend", [{"newest_desk": "99.0.0"}], indirect=True)
def test_an_older_desk_is_told_a_newer_one_exists_once(
    qtbot: QtBot,
    make_session: Callable[..., SessionService],
    told: list[Message],
    backend: LiveBackend,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="agent_desktop.services.session")
    session = signed_in(qtbot, make_session, backend)
    assert session.desk_release == DeskRelease("99.0.0", ContractVersion(1, 0))
    assert session.update_urgency is Urgency.OUTDATED
    updates = [m for m in told if "99.0.0" in m.text]
    assert [m.level for m in updates] == [Level.WARNING]
    assert "A newer Agent Workstation (99.0.0) is available" in updates[0].text
    assert "the newest released is 99.0.0" in caplog.text
    # The connection check hears the same: not told again.
    session.check_connection()
    qtbot.waitUntil(lambda: not session._checking, timeout=WAIT_MS)
    assert len([m for m in told if "99.0.0" in m.text]) == 1


@pytest.mark.parametrize(
    "backend",
    [
        {
            "newest_desk": "99.0.0",
            "oldest_desk_next": ContractVersion(CONTRACT.major, CONTRACT.minor + 1),
            "oldest_desk_next_from": "2027-01-15",
        }
    ],
    indirect=True,
)
def test_a_desk_the_next_server_will_refuse_is_told_urgently(
    qtbot: QtBot,
    make_session: Callable[..., SessionService],
    told: list[Message],
    backend: LiveBackend,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="agent_desktop.services.session")
    session = signed_in(qtbot, make_session, backend)
    assert session.update_urgency is Urgency.ENDING
    [urgent] = [m for m in told if "Update needed soon" in m.text]
    assert urgent.level is Level.ERROR
    assert "from 2027-01-15" in urgent.text
    assert "will no longer be served from the server's next step" in caplog.text


@pytest.mark.parametrize("backend", [{"newest_desk": "99.0.0"}], indirect=True)
def test_the_agent_is_told_in_chinese_too(
    qtbot: QtBot,
    make_session: Callable[..., SessionService],
    told: list[Message],
    backend: LiveBackend,
) -> None:
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS_DIR / "agent_desktop_zh_CN.qm")), "make translations"
    QCoreApplication.installTranslator(translator)
    try:
        signed_in(qtbot, make_session, backend)
    finally:
        QCoreApplication.removeTranslator(translator)
    assert any("坐席工作台有新版本（99.0.0）" in m.text for m in told)


@pytest.mark.parametrize("backend", [{}], indirect=True)
def test_a_server_not_told_of_releases_gives_no_warning(
    qtbot: QtBot,
    make_session: Callable[..., SessionService],
    told: list[Message],
    backend: LiveBackend,
) -> None:
    session = signed_in(qtbot, make_session, backend)
    assert session.update_urgency is Urgency.UNKNOWN
    assert not [m for m in told if "Agent Workstation" in m.text]


@pytest.mark.slow
def test_a_server_before_release_headers_gives_no_warning(
    qtbot: QtBot,
    make_session: Callable[..., SessionService],
    told: list[Message],
    tmp_path: Path,
) -> None:
    """The previous release (contract 1.0: no X-AW-Desk-* headers at all), run for real."""
    release = unpack_previous_release(tmp_path / "previous")
    with previous_server(release, tmp_path / "old-server.sqlite") as url:
        session = signed_in(qtbot, make_session, url)
        assert session.desk_release is None
        assert session.update_urgency is Urgency.UNKNOWN
    assert not [m for m in told if "Agent Workstation" in m.text]
