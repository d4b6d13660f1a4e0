"""Recording on the desk (issue 20), with real parts: a customer (our pjsua2 peer) playing
700 Hz calls the agent's desk (the real ``Phone`` and its engine), whose headset microphone on
a private PulseAudio plays 1100 Hz. The recording has the agent on the left and the customer on
the right, lasts as long as the call, and a stretch paused in the middle holds no sound."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile

from sync.contract.recordings import RecordingMeta
from tests.fakes.peers import read_lines
from tests.fakes.pulse import PulseServer
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


def start_recording_desk(
    env: dict[str, str], spool: Path, pause_at: float, resume_at: float
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
