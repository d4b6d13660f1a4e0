"""The real ``Phone`` (pjsua2) on loopback, polled by its Qt timer, against SIP peers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallInfo, Phone, PhoneConfig
from tests.fakes.sipp import Sipp

pytestmark = pytest.mark.slow


class Recorder:
    """Everything the phone said, in order."""

    def __init__(self, phone: Phone) -> None:
        self.incoming: list[CallInfo] = []
        self.states: list[CallInfo] = []
        self.dtmf: list[tuple[int, str]] = []
        self.registrations: list[object] = []
        phone.incoming_call.connect(self.incoming.append)
        phone.call_state_changed.connect(self.states.append)
        phone.dtmf_received.connect(lambda call, digit: self.dtmf.append((call, digit)))
        phone.registration_changed.connect(self.registrations.append)

    def last(self, call_id: int) -> CallInfo | None:
        return next((s for s in reversed(self.states) if s.call_id == call_id), None)


@pytest.fixture
def phone(qtbot: QtBot) -> Iterator[Phone]:
    phone = Phone()
    phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1"))
    phone.wait_ready()  # the engine's process is up
    yield phone
    phone.stop()


def two_desks(*users: str) -> Iterator[tuple[Phone, Phone]]:
    """Two desks' phones on loopback, each with its own engine process (two pjsua2 endpoints
    cannot share one process), started together and stopped in reverse order."""
    first, second = Phone(), Phone()
    for phone, user in zip((first, second), users, strict=True):
        phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1", user=user))
    first.wait_ready()
    second.wait_ready()
    yield first, second
    second.stop()
    first.stop()


@pytest.fixture
def heard(phone: Phone) -> Recorder:
    return Recorder(phone)


@pytest.fixture
def sipps() -> Iterator[list[Sipp]]:
    started: list[Sipp] = []
    yield started
    for sipp in started:
        sipp.stop()


def finish(qtbot: QtBot, sipp: Sipp, timeout_ms: int = 20_000) -> None:
    qtbot.waitUntil(lambda: sipp.finished, timeout=timeout_ms)
    assert sipp.process.returncode == 0, sipp.report()


def tmp_of(request: pytest.FixtureRequest) -> Path:
    return Path(request.getfixturevalue("tmp_path"))
