"""The headset bridge on a real OS audio path (a private PulseAudio with virtual devices): a
tone the far end sends comes out of the agent's headset, and a tone spoken into the headset's
microphone reaches the far end."""

from __future__ import annotations

import array
import math
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.headset_desk import start_desk
from tests.fakes.pulse import PulseServer
from tests.fakes.waiting import wait_until

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
RATE = 16_000


def tone(hz: float, seconds: float, amplitude: int = 12_000) -> bytes:
    n = int(RATE * seconds)
    return array.array(
        "h", (int(amplitude * math.sin(2 * math.pi * hz * i / RATE)) for i in range(n))
    ).tobytes()


def share_at(samples: array.array[int], hz: float) -> float:
    """Goertzel: the share of the signal's power at ``hz`` (0..1)."""
    if not samples:
        return 0.0
    k = 2 * math.cos(2 * math.pi * hz / RATE)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    power = s1 * s1 + s2 * s2 - k * s1 * s2
    total = sum(x * x for x in samples) * len(samples) / 2
    return power / total if total else 0.0


def tone_share(samples: array.array[int], hz: float, chunk_s: float = 0.25) -> float:
    """The tone's share of the power, averaged over short chunks: a jitter buffer may drop or
    repeat a few milliseconds, which breaks the phase (and a long Goertzel), not the sound."""
    step = int(RATE * chunk_s)
    shares = [share_at(samples[i : i + step], hz) for i in range(0, len(samples) - step + 1, step)]
    return sum(shares) / len(shares) if shares else 0.0


def loud_part(samples: array.array[int], threshold: int = 1000) -> array.array[int]:
    """The samples between the first and the last loud one, less half a second each side."""
    loud = [i for i, x in enumerate(samples) if abs(x) > threshold]
    if not loud:
        return array.array("h")
    return samples[loud[0] + RATE // 2 : loud[-1] - RATE // 2]


def recorded_past_the_call(raw: Path, size_at_end: int, quiet_s: float = 0.2) -> bool:
    """A recording of the headset (raw PCM, still being written) has grown since the call
    ended and ends in ``quiet_s`` of silence: everything played during the call is in it."""
    data = raw.read_bytes()
    tail = array.array("h", data[: len(data) // 2 * 2])[-int(RATE * quiet_s) :]
    return (
        len(data) > size_at_end
        and len(tail) == int(RATE * quiet_s)
        and all(abs(x) < 1000 for x in tail)
    )


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[PulseServer]:
    server = PulseServer(tmp_path / "pulse")
    yield server
    server.stop()


@pytest.mark.parametrize("engine", [False, True], ids=["in-process", "engine-process"])
def test_far_end_tone_reaches_the_headset_and_the_mic_reaches_the_far_end(
    pulse: PulseServer, tmp_path: Path, engine: bool
) -> None:
    desk = start_desk(pulse.env, 14, engine=engine)
    heard = tmp_path / "headset.raw"
    far_end_wav = tmp_path / "far-end.wav"
    helpers: list[subprocess.Popen[bytes]] = []
    try:
        assert desk.output, "the desk found no playback device"
        assert desk.input, "the desk found no microphone"
        raw = ["--raw", "--format=s16le", f"--rate={RATE}", "--channels=1"]
        pulse.speak(tone(600, 8))  # the agent talks into the headset for the whole call
        with heard.open("wb") as sink:
            helpers.append(
                subprocess.Popen(
                    ["parec", "--device=headset.monitor", *raw],
                    env=pulse.env,
                    stdout=sink,
                )
            )
            caller = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "softphone.caller",
                    f"sip:agent@{desk.address}",
                    "--tone-hz",
                    "1000",
                    "--record",
                    str(far_end_wav),
                    "--talk-s",
                    "5",
                ],
                cwd=ROOT,
                env=pulse.env,
                capture_output=True,
                timeout=60,
                check=False,
            )
            ended = heard.stat().st_size
            wait_until(
                lambda: recorded_past_the_call(heard, ended),
                10,
                "the headset recording to reach the silence after the call",
            )
        assert caller.returncode == 0, "the desk did not answer"
    finally:
        for helper in helpers:
            helper.terminate()
            helper.wait(timeout=5)
        desk.process.terminate()
        desk.process.wait(timeout=15)

    at_headset = array.array("h", heard.read_bytes()[: len(heard.read_bytes()) // 2 * 2])
    talk = loud_part(at_headset)
    assert len(talk) > RATE * 2, f"only {len(talk) / RATE:.1f} s of sound reached the headset"
    assert tone_share(talk, 1000) > 0.5, "the far end's tone is not what the headset plays"
    with wave.open(str(far_end_wav)) as recording:
        frames = recording.readframes(recording.getnframes())
        rate = recording.getframerate()
    assert rate == RATE
    spoken = loud_part(array.array("h", frames))
    assert len(spoken) > RATE * 2, (
        f"only {len(spoken) / RATE:.1f} s of the agent reached the far end"
    )
    assert tone_share(spoken, 600) > 0.5, "the far end does not hear the headset microphone"
