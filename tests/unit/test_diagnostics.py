"""The diagnostics bundle: the log files, the SIP trace and the desk's page in one zip,
written off the GUI thread and reported on it."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.diagnostics import DiagnosticsService, write_bundle
from agent_desktop.tasks import TaskRunner
from softphone.sip_log import SipTrace, scrub

TIMEOUT = 5000


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def test_the_bundle_holds_the_logs_the_trace_and_the_desk(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "agent-desktop.log").write_text("now\n")
    (logs / "agent-desktop.log.1").write_text("before\n")
    (logs / "other.txt").write_text("not ours\n")
    trace = SipTrace()
    trace.add(scrub('REGISTER sip:pbx SIP/2.0\r\nAuthorization: Digest response="abc123"\r\n'))
    path = write_bundle(tmp_path / "bundle", logs, trace.text(), "Agent Workstation 0.1.0\n")
    assert path == tmp_path / "bundle.zip"
    with zipfile.ZipFile(path) as bundle:
        assert sorted(bundle.namelist()) == [
            "about.txt",
            "logs/agent-desktop.log",
            "logs/agent-desktop.log.1",
            "sip-trace.txt",
        ]
        sip = bundle.read("sip-trace.txt").decode()
        assert "REGISTER sip:pbx" in sip
        assert "abc123" not in sip
        assert bundle.read("logs/agent-desktop.log.1").decode() == "before\n"


def test_the_service_saves_off_the_gui_thread_and_says_where(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    service = DiagnosticsService(runner, None, lambda: "", lambda: "desk\n")
    with qtbot.waitSignal(service.saved, timeout=TIMEOUT) as saved:
        service.save(tmp_path / "d.zip")
    assert saved.args == [str(tmp_path / "d.zip")]
    with zipfile.ZipFile(tmp_path / "d.zip") as bundle:
        assert bundle.read("sip-trace.txt").decode() == "(no SIP messages yet)\n"
    with qtbot.waitSignal(service.failed, timeout=TIMEOUT):
        service.save(tmp_path / "missing" / "d.zip")
