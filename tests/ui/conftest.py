"""Fixtures for UI tests: real services wired as the composition root does, on fakes or reals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from agent_desktop.config import Settings
from agent_desktop.credentials import CredentialStore
from agent_desktop.messages import MessageBridge
from agent_desktop.services.session import SessionService
from agent_desktop.tasks import TaskRunner
from tests.fakes.credentials import MemoryCredentialStore


@pytest.fixture
def messages() -> MessageBridge:
    bridge = MessageBridge()
    bridge.ui_connected()
    return bridge


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def credentials() -> MemoryCredentialStore:
    return MemoryCredentialStore()


@pytest.fixture
def make_session(
    tasks: TaskRunner, messages: MessageBridge
) -> Iterator[type[SessionService] | object]:
    made: list[SessionService] = []

    def make(store: CredentialStore, settings: Settings | None = None) -> SessionService:
        session = SessionService(tasks, store, messages, settings or Settings(request_timeout_s=3))
        made.append(session)
        return session

    yield make
    for session in made:
        session.deleteLater()


@pytest.fixture
def session(make_session, credentials: MemoryCredentialStore) -> SessionService:  # type: ignore[no-untyped-def]
    return make_session(credentials)  # type: ignore[no-any-return]


@pytest.fixture
def layout_store(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
