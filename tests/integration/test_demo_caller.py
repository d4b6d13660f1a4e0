"""The backend's demo caller: who it rings with, and that it rings only a Ready agent, with a
spoken prompt, through a real pjsua2 peer on loopback."""

from __future__ import annotations

import array
import math
import queue
import re
import threading
import wave
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from server_stub.clock import system_clock
from server_stub.core.config import DemoCallSettings, ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.demo_caller import (
    PROMPTS_DIR,
    CallerKind,
    DemoCaller,
    demo_rotation,
    report_waiting,
    team_contacts,
    team_queue,
)
from server_stub.models import ContactRow, EventRow, QueueRow
from server_stub.seed import DEMO_PASSWORD, seed_demo
from sync.contract.phone import lookup_key
from sync.customer_view import WITHHELD
from tests.fakes.peers import listening_peer
from tests.fakes.servers import LiveBackend


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("demo-caller") / "server.sqlite"
    database = Database(ServerSettings.sqlite_file(path))
    migrate(database.engine)
    with database.session() as session:
        seed_demo(session, now=system_clock().now())
    yield database
    database.dispose()


def test_the_queue_counts_a_caller_waiting_while_the_demo_call_rings(seeded: Database) -> None:
    """As an ACD would: 1 waiting (stamped when it started) while the call rings, 0 once it
    is answered or given up; each change an event the lead's board follows. The seed claims
    nobody waits (issue 19: a seeded "1 waiting, longest 0:35" stood on the board for hours)."""
    name = team_queue(seeded, "wangfang")
    with seeded.session() as session:
        row = session.scalars(select(QueueRow).where(QueueRow.name == name)).one()
        assert (row.waiting, row.longest_wait_s) == (0, 0)
        version = row.version
        last_event = session.scalar(select(EventRow.id).order_by(EventRow.id.desc())) or 0
    rang = datetime(2026, 12, 5, 2, 30, tzinfo=UTC)
    assert report_waiting(seeded, name, 1, rang)
    assert not report_waiting(seeded, name, 1, rang)  # no change: no event
    assert report_waiting(seeded, name, 0, rang)
    with seeded.session() as session:
        row = session.scalars(select(QueueRow).where(QueueRow.name == name)).one()
        assert (row.waiting, row.version) == (0, version + 2)
        events = session.scalars(
            select(EventRow).where(EventRow.id > last_event).order_by(EventRow.id)
        ).all()
    assert [(e.kind, e.data["waiting"]) for e in events] == [("queue", 1), ("queue", 0)]
    assert not report_waiting(seeded, "no such queue", 1, rang)


def all_numbers(database: Database) -> set[str]:
    with database.session() as session:
        return set(session.scalars(select(ContactRow.phone_e164)))


def test_rotation_has_known_unknown_odd_format_and_withheld_callers(seeded: Database) -> None:
    contacts = team_contacts(seeded, "wangfang")
    team_numbers = {c.phone_e164 for c in contacts}
    assert len(contacts) >= 4
    rotation = demo_rotation(contacts)
    kinds = [call.kind for call in rotation]
    assert kinds[0] == CallerKind.KNOWN  # a newcomer's first pop finds someone
    assert kinds.count(CallerKind.UNKNOWN) == 1
    assert kinds.count(CallerKind.WITHHELD) == 1
    known = [call for call in rotation if call.kind == CallerKind.KNOWN]
    assert len(known) == len(contacts)
    for call in known:  # every odd form still finds the customer on file
        assert lookup_key(call.number) == call.e164, call
        assert call.e164 in team_numbers
    numbers = [call.number for call in known]
    assert any(n.startswith("+") for n in numbers)
    assert any(n.startswith("00") for n in numbers)
    assert any(re.fullmatch(r"1\d{10}", n) for n in numbers), "a bare mobile"
    assert any(re.fullmatch(r"0[\d-]+x\d+", n) for n in numbers), "trunk 0 and an extension"
    assert {call.language for call in known} == {"zh", "en"}

    unknown = next(call for call in rotation if call.kind == CallerKind.UNKNOWN)
    assert lookup_key(unknown.number) is not None  # a real number…
    assert lookup_key(unknown.number) not in all_numbers(seeded)  # …that nobody has
    withheld = next(call for call in rotation if call.kind == CallerKind.WITHHELD)
    assert withheld.number in WITHHELD


def test_each_call_plays_a_prompt_in_the_callers_language(seeded: Database) -> None:
    settings = DemoCallSettings(target="sip:agent@127.0.0.1:5999", agent="wangfang")
    caller = DemoCaller(seeded, settings, python="python3")
    rotation = demo_rotation(team_contacts(seeded, "wangfang"))
    prompts = []
    for call in rotation:
        command = caller.command(call)
        assert command[:4] == ["python3", "-m", "softphone.caller", settings.target]
        assert command[command.index("--number") + 1] == call.number
        assert "--header" not in command  # no queue known yet: none claimed
        prompt = Path(command[command.index("--play") + 1])
        assert prompt.parent == PROMPTS_DIR
        assert prompt.name.startswith(call.language)
        prompts.append(prompt.name)
    assert len(set(prompts)) > 2  # the prompts take turns
    caller.queue = team_queue(seeded, "wangfang")  # as the first tick reads it
    assert caller.queue == "医疗设备热线 Medical hotline"
    command = caller.command(rotation[0])
    assert command[command.index("--header") + 1] == "X-Queue: 医疗设备热线 Medical hotline"
    shipped = list(PROMPTS_DIR.glob("*.wav"))
    assert sum(p.stat().st_size for p in shipped) < 1_000_000
    for path in shipped:
        with wave.open(str(path)) as wav:  # what the bridge runs at: no resampling
            assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16000, 1, 2)
            assert 1.5 < wav.getnframes() / 16000 < 8


def speech_frames(path: Path) -> tuple[float, float]:
    """(share of loud 20 ms frames, share of near-silent ones) in a recording."""
    with wave.open(str(path)) as wav:
        rate = wav.getframerate()
        samples = array.array("h", wav.readframes(wav.getnframes()))
    size = rate // 50
    levels = [
        math.sqrt(sum(x * x for x in samples[i : i + size]) / size)
        for i in range(0, len(samples) - size, size)
    ]
    assert levels, f"{path} is empty"
    loud = sum(level > 1000 for level in levels) / len(levels)
    quiet = sum(level < 150 for level in levels) / len(levels)
    return loud, quiet


def next_line(lines: queue.Queue[str], wait_s: float) -> str | None:
    try:
        return lines.get(timeout=wait_s)
    except queue.Empty:
        return None


@pytest.mark.slow
def test_demo_caller_rings_only_a_ready_agent_and_speaks(tmp_path: Path) -> None:
    recording = tmp_path / "heard.wav"
    peer, address = listening_peer("--record", str(recording), "--ring-s", "40")
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert peer.stdout is not None
        for line in peer.stdout:
            lines.put(line.strip())

    threading.Thread(target=read, daemon=True).start()
    settings = DemoCallSettings(
        target=f"sip:agent@{address}",
        agent="wangfang",
        every_s=1.0,
        first_after_s=0.5,
        talk_s=4.0,
        ring_s=10.0,
    )
    backend = LiveBackend(tmp_path / "server.sqlite", demo_calls=settings)
    try:
        with httpx.Client(base_url=f"{backend.url}/api/v1", timeout=10) as api:
            login = api.post(
                "/auth/login", json={"username": "wangfang", "password": DEMO_PASSWORD}
            )
            login.raise_for_status()
            api.headers["Authorization"] = f"Bearer {login.json()['token']}"
            for state, wait_s in (("not_ready", 2.5), ("wrap_up", 1.5), ("on_call", 1.5)):
                api.put("/presence/me", json={"state": state, "reason": "break"}).raise_for_status()
                heard = next_line(lines, wait_s)  # several polls and due times go by
                assert heard is None, f"a call came while {state}: {heard}"
            api.put("/presence/me", json={"state": "ready"}).raise_for_status()
            line = lines.get(timeout=20)
        assert line.startswith("CONNECTED "), line
        number = line.split()[1]
        assert lookup_key(number) in all_numbers(backend.database), number
        assert peer.wait(timeout=20) == 0  # the caller hung up after talking
    finally:
        peer.kill()
        peer.wait(timeout=5)
        backend.stop()
    loud, quiet = speech_frames(recording)
    assert loud > 0.3, f"too little sound: {loud:.0%} loud frames"
    assert quiet > 0.03, f"no pauses between words (a tone, not speech?): {quiet:.0%}"
