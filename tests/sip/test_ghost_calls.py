"""No ghost calls (issue 17): a soak of callers who ring for a random time and hang up, or are
answered and hung up by either side, against the real ``Phone`` (pjsua2, polled by its Qt
timer) on loopback.

SIPp runs ``uac_ghost_soak``: each call picks a plan and says it in its number (see the
scenario). At most 3 calls are live at once (``-l 3``), one less than the phone's 4 lines, so
a 486 is always a ghost eating a line; the desk never rejects, so any 603 is one nobody
pressed. Afterwards no call may be left ringing and the desk must take the next call.

The 2,000-call soak runs with `make soak` (about 12 minutes); a 60-call one runs in `make test`.
"""

from __future__ import annotations

import csv
import logging
import os
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from softphone import CallInfo, CallState, Phone, PhoneConfig, PhoneError
from tests.fakes.sipp import Sipp

RATE_PER_S = 5  # callers start at up to 5 calls a second
LIVE = 3  # and at most 3 at once: one line always free on a 4-line phone
ANSWER_MS = 800  # the agent answers plans 2 and 3 within this
TALK_MS = 1500  # and hangs up plan 3 within this
SHORT = 60  # calls in the fast lane's soak (about 25 s)
# The slow soak: 2,000 calls as the issue asks (about 12 minutes); GHOST_SOAK_CALLS sets
# another size for a measurement.
LONG = int(os.environ.get("GHOST_SOAK_CALLS", "2000"))


@dataclass
class Soak:
    """What the desk saw and did during a soak."""

    offered: dict[int, CallInfo] = field(default_factory=dict)
    ended: dict[int, CallInfo] = field(default_factory=dict)
    answer_failed: list[str] = field(default_factory=list)
    hangup_failed: list[str] = field(default_factory=list)
    history: dict[int, list[str]] = field(default_factory=dict)  # what happened, per call

    def note(self, call_id: int, what: str) -> None:
        self.history.setdefault(call_id, []).append(f"{time.monotonic():.3f} {what}")

    def story(self, sipp_call: str) -> str:
        """The desk's side of SIPp's call number ``sipp_call`` (its number ends with it)."""
        for call_id, info in self.offered.items():
            if info.remote_number[4:] == sipp_call:
                return f"{info.remote_number}: " + "; ".join(self.history.get(call_id, []))
        return f"SIPp call {sipp_call}: never offered"

    def plan(self, call_id: int) -> str:
        number = self.offered[call_id].remote_number
        return number[3:4] if number.startswith("139") else "?"

    def left_ringing(self) -> list[CallInfo]:
        return [info for call_id, info in self.offered.items() if call_id not in self.ended]


@dataclass(frozen=True)
class Outcome:
    """SIPp's side: calls that went as planned, calls that did not, and the desk's answers
    nobody asked for."""

    calls: int
    successful: int
    failed: int
    spurious_603: int
    spurious_486: int
    failed_calls: tuple[str, ...] = ()  # SIPp's call numbers

    @property
    def ghost_rate(self) -> float:
        return self.failed / self.calls if self.calls else 0.0


def _outcome(sipp: Sipp, stats: Path, calls: int) -> Outcome:
    with stats.open(encoding="utf-8", errors="replace") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, last = rows[0], rows[-1]
    column = dict(zip(header, last, strict=False))
    errors = sipp.errors.read_text(errors="replace") if sipp.errors.exists() else ""
    lines = [line.strip() for line in errors.splitlines()]
    return Outcome(
        calls=calls,
        successful=int(column.get("SuccessfulCall(C)", "0") or 0),
        failed=int(column.get("FailedCall(C)", "0") or 0),
        spurious_603=sum(line.startswith("SIP/2.0 603") for line in lines),
        spurious_486=sum(line.startswith("SIP/2.0 486") for line in lines),
        failed_calls=tuple(re.findall(r"(?:for call: |Call-Id ')(\d+)-", errors)),
    )


class Agent:
    """The test's agent: answers plans 2 and 3 after a random moment, hangs up plan 3 after a
    random talk, and never rejects anything."""

    def __init__(self, phone: Phone, soak: Soak, seed: int) -> None:
        self.phone = phone
        self.soak = soak
        self.rng = random.Random(seed)
        self._hanging: set[int] = set()
        phone.incoming_call.connect(self._offered)
        phone.call_state_changed.connect(self._changed)

    def _offered(self, info: CallInfo) -> None:
        self.soak.offered[info.call_id] = info
        self.soak.note(info.call_id, "offered")
        if self.soak.plan(info.call_id) in ("2", "3"):
            delay = self.rng.randint(0, ANSWER_MS)
            QTimer.singleShot(delay, lambda: self._answer(info.call_id))

    def _answer(self, call_id: int) -> None:
        if call_id in self.soak.ended:
            return
        self.soak.note(call_id, "answer")
        try:
            self.phone.answer(call_id)
        except PhoneError as exc:
            self.soak.answer_failed.append(f"{call_id}: {exc}")

    def _changed(self, info: CallInfo) -> None:
        if info.call_id not in self.soak.offered:
            return
        self.soak.note(info.call_id, f"{info.state.value} {info.reason}".strip())
        if info.state == CallState.ENDED:
            self.soak.ended[info.call_id] = info
        elif (
            info.state == CallState.CONNECTED
            and self.soak.plan(info.call_id) == "3"
            and info.call_id not in self._hanging
        ):
            self._hanging.add(info.call_id)
            delay = self.rng.randint(0, TALK_MS)
            QTimer.singleShot(delay, lambda: self._hangup(info.call_id))

    def _hangup(self, call_id: int) -> None:
        if call_id in self.soak.ended:
            return
        self.soak.note(call_id, "hang up")
        try:
            self.phone.hangup(call_id)
        except PhoneError as exc:
            self.soak.hangup_failed.append(f"{call_id}: {exc}")


@pytest.fixture
def desk(qtbot: QtBot) -> Iterator[Phone]:
    phone = Phone()
    phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1"))
    phone.wait_ready()  # the engine's process is up
    yield phone
    phone.stop()


def soak(qtbot: QtBot, phone: Phone, tmp_path: Path, calls: int, seed: int) -> tuple[Soak, Outcome]:
    seen = Soak()
    agent = Agent(phone, seen, seed)  # kept: Qt drops the connections of a collected receiver
    stats = tmp_path / "sipp-soak-stats.csv"
    budget_s = calls + 60  # about 3 calls a second; a run that stalls fails, never hangs
    sipp = Sipp(
        "uac_ghost_soak",
        tmp_path,
        remote=phone.local_address,
        calls=calls,
        timeout_s=budget_s,
        # -trace_stat with -fd 3600: the statistics file has a header and one line at the end
        extra=[
            *("-r", str(RATE_PER_S), "-l", str(LIVE)),
            *("-trace_stat", "-stf", str(stats), "-fd", "3600"),
        ],
    )
    try:
        qtbot.waitUntil(lambda: sipp.finished, timeout=budget_s * 1000 + 10_000)
    finally:
        sipp.stop()
    del agent
    # The last CANCEL or BYE reached the desk before SIPp ended; its report is one poll away.
    qtbot.waitUntil(lambda: not phone.calls() and not seen.left_ringing(), timeout=5_000)
    return seen, _outcome(sipp, stats, calls)


def takes_the_next_call(qtbot: QtBot, phone: Phone, tmp_path: Path) -> None:
    offered: list[CallInfo] = []
    phone.incoming_call.connect(offered.append)
    caller = Sipp(
        "uac_caller_id", tmp_path, remote=phone.local_address, fields=["王先生", "13800138000"]
    )
    try:
        qtbot.waitUntil(lambda: bool(offered), timeout=10_000)
        phone.answer(offered[-1].call_id)
        qtbot.waitUntil(lambda: caller.finished, timeout=20_000)
        assert caller.process.returncode == 0, caller.report()
    finally:
        caller.stop()


def check(phone: Phone, seen: Soak, outcome: Outcome, caplog: pytest.LogCaptureFixture) -> None:
    watchdog = [r.getMessage() for r in caplog.records if r.name == "softphone.pjsua"]
    stories = [seen.story(number) for number in outcome.failed_calls]
    print(  # noqa: T201
        f"\nghost soak: {outcome}, failed {outcome.ghost_rate:.2%}\n"
        + "\n".join(["the desk's side of the failed calls:", *stories])
        + "\n".join(["", "the stack's warnings:", *watchdog[-20:]])
    )
    assert seen.left_ringing() == [], "calls left ringing for ever"
    assert phone.calls() == []
    assert outcome.spurious_603 == 0, "a 603 nobody pressed"
    assert outcome.spurious_486 == 0, "a 486 while a line was free"
    assert outcome.failed == 0, (outcome, stories, watchdog[-20:])
    assert outcome.successful == outcome.calls, outcome
    assert len(seen.offered) == outcome.calls
    assert seen.answer_failed == []
    assert seen.hangup_failed == []


@pytest.mark.slow  # SIPp in a process: the marker's own definition (and ~25 s of the fast lane)
@pytest.mark.timeout(SHORT + 120)
def test_a_short_soak_leaves_no_ghost_and_the_next_call_rings(
    qtbot: QtBot, desk: Phone, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="softphone.pjsua")
    seen, outcome = soak(qtbot, desk, tmp_path, calls=SHORT, seed=17)
    check(desk, seen, outcome, caplog)
    takes_the_next_call(qtbot, desk, tmp_path)


@pytest.mark.slow
@pytest.mark.soak
@pytest.mark.timeout(LONG + 120)
def test_two_thousand_calls_leave_no_ghost_and_the_next_call_rings(
    qtbot: QtBot, desk: Phone, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="softphone.pjsua")
    seen, outcome = soak(qtbot, desk, tmp_path, calls=LONG, seed=2000)
    check(desk, seen, outcome, caplog)
    takes_the_next_call(qtbot, desk, tmp_path)
