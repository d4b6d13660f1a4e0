"""Recording on the desk (issue 20), with real parts: a customer (our pjsua2 peer) playing
700 Hz calls the agent's desk (the real ``Phone`` and its engine), whose headset microphone on
a private PulseAudio plays 1100 Hz. The recording has the agent on the left and the customer on
the right, lasts as long as the call, and a stretch paused in the middle holds no sound."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests
import soundfile
from pytestqt.qtbot import QtBot

from agent_desktop.messages import MessageBridge
from agent_desktop.services.recording import RecordingService
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from softphone import Phone, PhoneConfig, RemoteHeadset
from softphone.events import RecordingInfo, RecordingMode, RecordingSettings, RecordingState
from sync.client import ApiClient
from sync.contract.recordings import PauseReason, RecordingMeta
from sync.contract.wire import API_PREFIX
from tests.fakes.peers import peer, read_lines
from tests.fakes.pulse import PulseServer
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until
from tests.sip.test_headset_audio import tone, tone_share

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
RATE = 16_000


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[PulseServer]:
    server = PulseServer(tmp_path / "pulse")
    yield server
    server.stop()


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


def server_get(url: str, user: str, path: str) -> Any:
    with ApiClient(url) as client:
        token = client.login(user, "demo1234").token
    answer = requests.get(
        f"{url}{API_PREFIX}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    answer.raise_for_status()
    return answer.json()


def start_recording_desk(
    env: dict[str, str], spool: Path, pause_at: float, resume_at: float, prompt: Path | None = None
) -> tuple[subprocess.Popen[str], str, list[str]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakes.recording_desk",
            str(spool),
            "40",
            str(pause_at),
            str(resume_at),
            *([str(prompt)] if prompt is not None else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines, _pump = read_lines(process)
    wait_until(lambda: any(line.startswith("DESK ") for line in lines), 30, "the desk to listen")
    desk = next(line for line in lines if line.startswith("DESK "))
    return process, desk.removeprefix("DESK ").split("|")[0], lines


def test_agent_left_customer_right_and_a_pause_is_silence(
    pulse: PulseServer, tmp_path: Path
) -> None:
    spool = tmp_path / "spool"
    desk, address, lines = start_recording_desk(pulse.env, spool, 2.0, 3.5)
    try:
        pulse.speak(tone(1100, 30))  # the agent talks into the headset all along
        caller = subprocess.run(
            [
                sys.executable,
                "-m",
                "softphone.caller",
                f"sip:agent@{address}",
                "--tone-hz",
                "700",
                "--talk-s",
                "6",
            ],
            cwd=ROOT,
            env=pulse.env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert caller.returncode == 0, "the desk did not answer"
        wait_until(
            lambda: any(line.startswith("REC finished") for line in lines),
            20,
            "the recording to finish",
        )
    finally:
        desk.terminate()
        desk.wait(timeout=15)

    states = [line.split()[1] for line in lines if line.startswith("REC ")]
    assert states == ["recording", "paused", "recording", "finished"]
    (meta_file,) = spool.glob("*.json")
    meta = RecordingMeta.model_validate_json(meta_file.read_text())
    audio, rate = soundfile.read(spool / f"{meta.recording_id}.ogg", dtype="int16")
    assert rate == RATE
    assert audio.shape[1] == 2
    call_s = (meta.ended_at - meta.started_at).total_seconds()
    assert 5.0 < call_s < 8.0
    assert abs(len(audio) / RATE - call_s) < 0.5, "the file is not as long as the call"
    assert abs(meta.duration_ms / 1000 - len(audio) / RATE) < 0.2
    (pause,) = meta.pauses
    assert 1.8 < pause.start_ms / 1000 < 2.6
    assert 1.2 < (pause.end_ms - pause.start_ms) / 1000 < 1.8
    # Well inside the pause: nothing at all on either channel.
    inside = audio[
        int((pause.start_ms / 1000 + 0.1) * RATE) : int((pause.end_ms / 1000 - 0.1) * RATE)
    ]
    assert np.abs(inside).max() < 30, "the paused stretch holds sound"
    # After the pause, both parties, each on their own channel.
    after = audio[int((pause.end_ms / 1000 + 0.3) * RATE) : len(audio) - RATE // 2]
    left, right = after[:, 0].astype(np.int32), after[:, 1].astype(np.int32)
    assert len(after) > RATE
    assert tone_share(left.tolist(), 1100) > 0.5, "the agent is not on the left"
    assert tone_share(right.tolist(), 700) > 0.5, "the customer is not on the right"
    assert tone_share(left.tolist(), 700) < 0.1, "the customer leaks into the agent's channel"
    assert tone_share(right.tolist(), 1100) < 0.1, "the agent leaks into the customer's channel"


def test_done_when_the_desks_recording_pauses_are_audited_on_the_server(
    qtbot: QtBot,
    pulse: PulseServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tasks: TaskRunner,
    messages: MessageBridge,
) -> None:
    """Issue 20's test: the customer (700 Hz), the agent's real desk (``Phone``, its engine,
    the headset on PulseAudio playing 1100 Hz, the ``RecordingService`` signed in to the real
    backend), and the lead's board. The agent pauses mid-call; the lead sees the call paused;
    the countdown resumes it. The file: agent left, customer right, as long as the call, silence in
    the pause. The server's audit log: the pause and the resume, by the agent, of that call."""
    for name in ("XDG_RUNTIME_DIR", "HOME", "PULSE_SERVER"):
        monkeypatch.setenv(name, pulse.env[name])  # the engine's process inherits them
    spool = tmp_path / "spool"
    backend = LiveBackend(tmp_path / "server.sqlite")
    sync = SyncService(tasks, messages, tmp_path / "desk", poll_interval_s=3600)
    headset = RemoteHeadset()
    headset.open("headset", "headset_mic")
    phone = Phone()
    service = RecordingService(phone, sync, tasks)
    infos: list[RecordingInfo] = []
    service.changed.connect(infos.append)
    caller: subprocess.Popen[str] | None = None
    try:
        with ApiClient(backend.url) as client:
            grant = client.login("wangfang", "demo1234")
        sync.start(backend.url, grant)
        qtbot.waitUntil(lambda: sync.status.state == "online", timeout=15_000)
        settings = RecordingSettings(RecordingMode.DESK, str(spool), auto_resume_s=1)
        phone.start(PhoneConfig(bind_address="127.0.0.1", recording=settings), headset=headset)
        address = phone.wait_ready()
        phone.incoming_call.connect(lambda call: phone.answer(call.call_id))
        pulse.speak(tone(1100, 40))  # the agent talks into the headset all along
        caller = peer(f"sip:agent@{address}", "--tone-hz", "700", "--talk-s", "7")
        qtbot.waitUntil(
            lambda: any(i.state is RecordingState.RECORDING for i in infos), timeout=20_000
        )
        call_id = infos[-1].call_id
        ogg = Path(infos[-1].path)
        # A second of the call is on disk (Opus: about 7 kB a second): the agent pauses.
        qtbot.waitUntil(lambda: ogg.exists() and ogg.stat().st_size > 8_000, timeout=10_000)
        service.pause(call_id, PauseReason.AGENT)
        qtbot.waitUntil(lambda: infos[-1].resume_at is not None, timeout=5_000)  # countdown
        sync.sync_now()

        def on_the_board() -> bool:
            paused = server_get(backend.url, "zhangwei", "/recordings/paused")
            return [p["agent_name"] for p in paused] == ["王芳"]

        wait_until(on_the_board, 15, "the lead's board to show the paused call")
        # The centre's countdown resumes it (the agent's own resume: the test above).
        qtbot.waitUntil(
            lambda: service.state(call_id).state is RecordingState.RECORDING, timeout=5_000
        )
        sync.sync_now()
        qtbot.waitUntil(lambda: infos[-1].state is RecordingState.FINISHED, timeout=30_000)
        assert caller.wait(timeout=30) == 0
    finally:
        if caller is not None and caller.poll() is None:
            caller.kill()
        phone.stop()
        sync.close_now()

    try:
        meta = RecordingMeta.model_validate_json(
            (spool / f"{infos[-1].recording_id}.json").read_text()
        )
        check_the_recording(spool, meta)
        check_the_audit(backend.url, meta)
    finally:
        backend.stop()


def check_the_recording(spool: Path, meta: RecordingMeta) -> None:
    """Agent left, customer right, as long as the call, silence in the pause."""
    assert meta.agent == "wangfang"
    (pause,) = meta.pauses
    assert pause.by == "wangfang"
    assert pause.auto_resumed
    assert 800 <= pause.end_ms - pause.start_ms <= 1500
    audio, _rate = soundfile.read(spool / f"{meta.recording_id}.ogg", dtype="int16")
    call_s = (meta.ended_at - meta.started_at).total_seconds()
    assert abs(len(audio) / RATE - call_s) < 0.5, "the file is not as long as the call"
    start, end = pause.start_ms / 1000 + 0.05, pause.end_ms / 1000 - 0.05
    inside = audio[int(start * RATE) : int(end * RATE)]
    assert len(inside) > 0
    assert np.abs(inside).max() < 30, "the paused stretch holds sound"
    after = audio[int((pause.end_ms / 1000 + 0.3) * RATE) : len(audio) - RATE // 2]
    assert tone_share(after[:, 0].tolist(), 1100) > 0.5, "the agent is not on the left"
    assert tone_share(after[:, 1].tolist(), 700) > 0.5, "the customer is not on the right"


def check_the_audit(url: str, meta: RecordingMeta) -> None:
    """The pause and the resume in the server's audit log, of this call."""

    def audited() -> list[tuple[str, str]]:
        rows = server_get(url, "admin", "/audit")
        return [
            (row["action"], json.loads(row["detail"])["sip_call_id"])
            for row in rows
            if row["action"].startswith("recording.")
        ]

    wait_until(lambda: len(audited()) == 2, 15, "the pause and the resume in the audit log")
    assert meta.sip_call_id
    assert sorted(audited()) == [
        ("recording.paused", meta.sip_call_id),
        ("recording.resumed", meta.sip_call_id),
    ]


def test_the_announcement_reaches_the_caller_only(pulse: PulseServer, tmp_path: Path) -> None:
    """ "本次通话可能会被录音 / this call may be recorded" at answer: the caller hears it, the
    agent's headset does not (nobody else talks: whatever the headset plays is the prompt)."""
    prompt = ROOT / "resources" / "sounds" / "recorded.wav"
    desk, address, lines = start_recording_desk(pulse.env, tmp_path / "spool", 0, 0, prompt)
    heard = tmp_path / "far-end.wav"
    headset = tmp_path / "headset.raw"
    try:
        with headset.open("wb") as sink:
            parec = subprocess.Popen(
                ["parec", "--device=headset.monitor", "--raw", "--format=s16le",
                 f"--rate={RATE}", "--channels=1"],
                env=pulse.env,
                stdout=sink,
            )  # fmt: skip
            caller = subprocess.run(
                [sys.executable, "-m", "softphone.caller", f"sip:agent@{address}",
                 "--record", str(heard), "--talk-s", "5"],
                cwd=ROOT, env=pulse.env, capture_output=True, timeout=60, check=False,
            )  # fmt: skip
            wait_until(
                lambda: any(line.startswith("REC finished") for line in lines),
                20,
                "the recording to finish",
            )
            parec.terminate()
            parec.wait(timeout=5)
        assert caller.returncode == 0, "the desk did not answer"
    finally:
        desk.terminate()
        desk.wait(timeout=15)
    far, _rate = soundfile.read(heard, dtype="int16")
    assert np.abs(far).max() > 3000, "the caller did not hear the announcement"
    loud_s = np.count_nonzero(np.abs(far) > 1000) / RATE
    assert loud_s > 0.5, f"only {loud_s:.2f} s of the prompt reached the caller"
    at_headset = np.frombuffer(headset.read_bytes()[: headset.stat().st_size // 2 * 2], np.int16)
    assert len(at_headset) > RATE, "the headset was not recorded"
    assert np.abs(at_headset).max() < 300, "the agent's headset played the announcement"


def test_two_calls_at_once_are_recorded_apart(pulse: PulseServer, tmp_path: Path) -> None:
    """Two customers on the desk at once (700 Hz and 1300 Hz): each recording's far-end
    channel holds its own customer only (each call has its own taps on the bridge, not the
    headset's mix)."""
    spool = tmp_path / "spool"
    desk, address, lines = start_recording_desk(pulse.env, spool, 0, 0)
    callers: list[subprocess.Popen[str]] = []
    try:
        for hz in (700, 1300):
            callers.append(
                peer(f"sip:agent@{address}", "--tone-hz", str(hz), "--talk-s", "5",
                     "--number", f"1380013{hz}")
            )  # fmt: skip
        for caller in callers:
            assert caller.wait(timeout=60) == 0, "the desk did not answer"
        wait_until(
            lambda: sum(line.startswith("REC finished") for line in lines) == 2,
            20,
            "both recordings to finish",
        )
    finally:
        for caller in callers:
            if caller.poll() is None:
                caller.kill()
        desk.terminate()
        desk.wait(timeout=15)
    heard: dict[int, float] = {}
    for meta_file in spool.glob("*.json"):
        meta = RecordingMeta.model_validate_json(meta_file.read_text())
        audio, _rate = soundfile.read(spool / f"{meta.recording_id}.ogg", dtype="int16")
        right = audio[RATE // 2 : len(audio) - RATE // 2, 1].tolist()
        own = 700 if tone_share(right, 700) > 0.5 else 1300
        other = 1300 if own == 700 else 700
        assert tone_share(right, own) > 0.5
        assert tone_share(right, other) < 0.05, "the other call leaks into this recording"
        heard[own] = tone_share(right, own)
    assert sorted(heard) == [700, 1300]


def test_pbx_mode_links_the_pbx_recording_id_and_writes_no_audio(
    pulse: PulseServer, tmp_path: Path
) -> None:
    """The PBX records: its recording id comes in the INVITE's X-Recording-ID; the desk
    links it (LINKED) and leaves the server a metadata file with no audio."""
    spool = tmp_path / "spool"
    desk, address, lines = start_recording_desk(pulse.env, Path(f"pbx:{spool}"), 0, 0)
    try:
        caller = subprocess.run(
            [sys.executable, "-m", "softphone.caller", f"sip:agent@{address}",
             "--talk-s", "2", "--header", "X-Recording-ID: pbx-2026-0042"],
            cwd=ROOT, env=pulse.env, capture_output=True, timeout=60, check=False,
        )  # fmt: skip
        assert caller.returncode == 0, "the desk did not answer"
        wait_until(lambda: list(spool.glob("*.json")), 20, "the link to be written")
    finally:
        desk.terminate()
        desk.wait(timeout=15)
    linked = [line.split() for line in lines if line.startswith("REC ")]
    assert [fields[1] for fields in linked] == ["linked"]
    assert linked[0][-1] == "pbx-2026-0042"
    (meta_file,) = spool.glob("*.json")
    meta = RecordingMeta.model_validate_json(meta_file.read_text())
    assert meta.source == "pbx"
    assert meta.pbx_recording_id == "pbx-2026-0042"
    assert meta.sha256 == ""
    assert 1.5 < meta.duration_ms / 1000 < 4.0
    assert not list(spool.glob("*.ogg"))
