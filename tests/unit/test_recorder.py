"""The recorder without a phone (softphone/recorder.py, softphone/recordings.py): frames in
as the bridge's clock thread hands them over, a stereo Ogg/Opus file and its metadata out."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import soundfile

from softphone.errors import PhoneError
from softphone.events import (
    RecordingInfo,
    RecordingLabels,
    RecordingMode,
    RecordingSettings,
    RecordingState,
)
from softphone.recorder import FRAME_SAMPLES, LEFT, RIGHT, SAMPLE_RATE, CallFacts, CallRecording
from softphone.recordings import CallStart, Recordings
from sync.contract.recordings import RecordingMeta
from tests.fakes.waiting import wait_until


class Clock:
    def __init__(self) -> None:
        self.now = 1_780_000_000.0

    def __call__(self) -> float:
        return self.now


def tone_frames(hz: float, count: int, start: int = 0) -> list[bytes]:
    frames = []
    for n in range(start, start + count):
        t = (np.arange(FRAME_SAMPLES) + n * FRAME_SAMPLES) / SAMPLE_RATE
        frames.append((np.sin(2 * math.pi * hz * t) * 10_000).astype(np.int16).tobytes())
    return frames


def power_at(samples: np.ndarray, hz: float) -> float:
    """The share of the signal's power at ``hz`` (an FFT bin's neighbourhood)."""
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE)
    band = (freqs > hz - 30) & (freqs < hz + 30)
    total = spectrum.sum()
    return float(spectrum[band].sum() / total) if total else 0.0


def feed(recording: CallRecording, left: list[bytes], right: list[bytes]) -> None:
    for a, b in zip(left, right, strict=True):
        recording.feed(LEFT, a)
        recording.feed(RIGHT, b)


def test_left_is_the_agent_right_the_far_end_and_a_pause_is_digital_silence(
    tmp_path: Path,
) -> None:
    clock = Clock()
    recording = CallRecording(
        7,
        "a" * 32,
        tmp_path,
        clock,
        CallFacts("call-7@x", "inbound", RecordingLabels("li")),
    )
    feed(recording, tone_frames(1100, 100), tone_frames(700, 100))  # 2 s
    clock.now += 2
    recording.pause("agent", "li", None)
    feed(recording, tone_frames(1100, 50, 100), tone_frames(700, 50, 100))  # 1 s paused
    clock.now += 1
    recording.resume()
    feed(recording, tone_frames(1100, 100, 150), tone_frames(700, 100, 150))
    recording.finish()
    wait_until(lambda: recording.poll() is RecordingState.FINISHED, 10, "the file to finish")

    audio, rate = soundfile.read(recording.path, dtype="int16")
    assert rate == SAMPLE_RATE
    assert audio.shape[1] == 2
    assert abs(len(audio) - 250 * FRAME_SAMPLES) < SAMPLE_RATE // 10  # 5 s (Opus pre-skip)
    first = audio[SAMPLE_RATE // 4 : 7 * SAMPLE_RATE // 4]
    assert power_at(first[:, 0], 1100) > 0.8
    assert power_at(first[:, 1], 700) > 0.8
    paused = audio[int(2.2 * SAMPLE_RATE) : int(2.8 * SAMPLE_RATE)]
    assert np.abs(paused).max() < 50, "a paused stretch holds audio"
    meta = RecordingMeta.model_validate_json(recording.meta_path.read_text())
    assert meta.recording_id == "a" * 32
    assert meta.agent == "li"
    assert meta.sip_call_id == "call-7@x"
    assert meta.duration_ms == 5000
    assert [(p.start_ms, p.end_ms, p.by) for p in meta.pauses] == [(2000, 3000, "li")]
    assert meta.size_bytes == recording.path.stat().st_size
    assert len(meta.sha256) == 64
    assert not list(tmp_path.glob("*.partial"))


def test_one_channel_not_fed_is_silence_there(tmp_path: Path) -> None:
    recording = CallRecording(1, "b" * 32, tmp_path, Clock(), CallFacts())
    for frame in tone_frames(700, 100):
        recording.feed(RIGHT, frame)  # the agent is muted: nobody transmits to the left tap
    recording.finish()
    wait_until(lambda: recording.poll() is RecordingState.FINISHED, 10, "the file to finish")
    audio, _ = soundfile.read(recording.path, dtype="int16")
    assert len(audio) > 90 * FRAME_SAMPLES
    assert np.abs(audio[:, 0]).max() < 50
    assert power_at(audio[1000:-1000, 1], 700) > 0.8


def test_a_full_queue_drops_and_counts_never_blocks(tmp_path: Path) -> None:
    class Stuck:
        """An encoder that never returns from its first write until let go."""

        def __init__(self, _path: Path, _comment: str) -> None:
            import threading

            self.go = threading.Event()
            Stuck.last = self

        last: Stuck

        def write(self, _stereo: np.ndarray) -> None:
            self.go.wait(10)

        def close(self) -> None:
            Path(tmp_path / ("c" * 32 + ".ogg")).write_bytes(b"x")

    recording = CallRecording(1, "c" * 32, tmp_path, Clock(), CallFacts(), Stuck, queue_frames=8)
    feed(recording, tone_frames(700, 50), tone_frames(700, 50))
    assert recording.dropped > 0
    Stuck.last.go.set()
    recording.finish()
    wait_until(lambda: recording.poll() is RecordingState.FINISHED, 10, "the file to finish")


def test_an_encoder_failure_fails_the_recording_not_the_call(tmp_path: Path) -> None:
    class Full:
        def __init__(self, _path: Path, _comment: str) -> None:
            pass

        def write(self, _stereo: np.ndarray) -> None:
            raise OSError(28, "No space left on device")

        def close(self) -> None:
            pass

    infos: list[RecordingInfo] = []
    recordings = Recordings(infos.append, Clock(), lambda: "li", opener=Full)
    recordings.configure(RecordingSettings(RecordingMode.DESK, str(tmp_path)))
    recording = recordings.started(CallStart(3, "x", "outbound"))
    assert recording is not None
    feed(recording, tone_frames(700, 20), tone_frames(700, 20))

    def failed() -> bool:
        recordings.poll()
        return bool(infos) and infos[-1].state is RecordingState.FAILED

    wait_until(failed, 10, "the failure to be reported")
    assert "No space left" in infos[-1].reason
    recordings.ended(3)  # the call ends later: no metadata for a file that is not there
    recordings.poll()
    assert not list(tmp_path.glob("*.json"))


def test_pause_counts_down_and_resumes_by_itself(tmp_path: Path) -> None:
    clock = Clock()
    infos: list[RecordingInfo] = []
    recordings = Recordings(infos.append, clock, lambda: "li")
    recordings.configure(RecordingSettings(RecordingMode.DESK, str(tmp_path), auto_resume_s=30))
    recording = recordings.started(CallStart(3, "x", "inbound", queue="billing"))
    assert recording is not None
    assert infos[-1].state is RecordingState.RECORDING
    recordings.pause(3, "sensitive_field")
    assert infos[-1].state is RecordingState.PAUSED
    assert infos[-1].resume_at == clock.now + 30
    assert infos[-1].pause_reason == "sensitive_field"
    clock.now += 29
    recordings.poll()
    assert infos[-1].state is RecordingState.PAUSED
    clock.now += 2
    recordings.poll()
    assert infos[-1].state is RecordingState.RECORDING
    recordings.ended(3)
    recordings.stop()
    assert infos[-1].state is RecordingState.FINISHED
    meta = json.loads((tmp_path / f"{infos[-1].recording_id}.json").read_text())
    assert meta["pauses"][0]["auto_resumed"] is True
    assert meta["queue"] == "billing"
    with pytest.raises(PhoneError):
        recordings.pause(3, "agent")


def test_pbx_mode_links_the_pbx_id_and_writes_no_audio(tmp_path: Path) -> None:
    clock = Clock()
    infos: list[RecordingInfo] = []
    recordings = Recordings(infos.append, clock, lambda: "li")
    recordings.configure(RecordingSettings(RecordingMode.PBX, str(tmp_path)))
    assert recordings.started(CallStart(4, "sip-4", "inbound", pbx_recording_id="PBX-99")) is None
    assert infos[-1].state is RecordingState.LINKED
    assert infos[-1].pbx_recording_id == "PBX-99"
    recordings.label(4, RecordingLabels(interaction_id=12, customer_id=5))
    clock.now += 61
    recordings.ended(4)
    (meta_file,) = tmp_path.glob("*.json")
    meta = RecordingMeta.model_validate_json(meta_file.read_text())
    assert meta.source == "pbx"
    assert meta.pbx_recording_id == "PBX-99"
    assert meta.interaction_id == 12
    assert meta.duration_ms == 61_000
    assert not list(tmp_path.glob("*.ogg"))


def test_desk_mode_needs_a_spool() -> None:
    recordings = Recordings(lambda _info: None, Clock(), lambda: "li")
    with pytest.raises(PhoneError):
        recordings.configure(RecordingSettings(RecordingMode.DESK))


def test_announcement_per_queue() -> None:
    recordings = Recordings(lambda _info: None, Clock(), lambda: "li")
    recordings.configure(RecordingSettings(announce_queues=("billing",), announcement_path="p"))
    assert recordings.announces("billing")
    assert not recordings.announces("sales")
    recordings.configure(RecordingSettings(announce_queues=("*",), announcement_path="p"))
    assert recordings.announces("sales")


def test_holds_are_marked_in_the_files_time(tmp_path: Path) -> None:
    recording = CallRecording(2, "d" * 32, tmp_path, Clock(), CallFacts())
    feed(recording, tone_frames(700, 50), tone_frames(700, 50))
    recording.held(True)
    recording.held(True)  # said twice (a re-report): one hold
    feed(recording, tone_frames(700, 25, 50), tone_frames(700, 25, 50))
    recording.held(False)
    feed(recording, tone_frames(700, 25, 75), tone_frames(700, 25, 75))
    recording.held(True)  # still held at the end: closed there
    feed(recording, tone_frames(700, 10, 100), tone_frames(700, 10, 100))
    recording.finish()
    wait_until(lambda: recording.poll() is RecordingState.FINISHED, 10, "the file to finish")
    meta = RecordingMeta.model_validate_json(recording.meta_path.read_text())
    assert [(h.start_ms, h.end_ms) for h in meta.holds] == [(1000, 1500), (2000, 2200)]


def test_a_killed_engines_recording_gets_its_metadata_at_the_next_start(tmp_path: Path) -> None:
    """An engine killed mid-call leaves an Ogg file cut short and no metadata: the next
    engine's recordings finish it from what the file holds, so the uploader takes it."""
    recording = CallRecording(1, "e" * 32, tmp_path, Clock(), CallFacts())
    feed(recording, tone_frames(1100, 150), tone_frames(700, 150))
    recording.finish()
    wait_until(lambda: recording.poll() is RecordingState.FINISHED, 10, "the file to finish")
    recording.meta_path.unlink()  # as if killed before the end: no metadata ...
    data = recording.path.read_bytes()
    recording.path.write_bytes(data[: len(data) - 2000])  # ... and the last pages missing
    (tmp_path / ("f" * 32 + ".ogg")).write_bytes(b"not an ogg file")
    recordings = Recordings(lambda _info: None, Clock(), lambda: "li")
    recordings.configure(RecordingSettings(RecordingMode.DESK, str(tmp_path)))
    recordings.stop()
    meta = RecordingMeta.model_validate_json(recording.meta_path.read_text())
    assert meta.agent == "li"
    assert 2000 <= meta.duration_ms <= 3000
    assert meta.size_bytes == len(data) - 2000
    assert (tmp_path / ("f" * 32 + ".broken")).exists()  # unreadable: set aside
    assert not (tmp_path / ("f" * 32 + ".json")).exists()


def test_a_spool_that_cannot_be_made_fails_the_recording_not_the_call(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the spool should be")
    infos: list[RecordingInfo] = []
    recordings = Recordings(infos.append, Clock(), lambda: "li")
    recordings.configure(RecordingSettings(RecordingMode.DESK, str(blocked / "spool")))
    assert recordings.started(CallStart(1, "x", "inbound")) is None
    assert infos[-1].state is RecordingState.FAILED
    assert "recording folder" in infos[-1].reason
    recordings.ended(1)  # the call goes on and ends as ever


def test_a_conference_and_a_consult_say_so_in_the_metadata(tmp_path: Path) -> None:
    infos: list[RecordingInfo] = []
    recordings = Recordings(infos.append, Clock(), lambda: "li")
    recordings.configure(RecordingSettings(RecordingMode.DESK, str(tmp_path)))
    recordings.started(CallStart(1, "a", "inbound"))
    recordings.started(CallStart(2, "b", "consult"))
    recordings.conferenced(1)
    recordings.ended(1)
    recordings.ended(2)
    recordings.stop()
    kinds = sorted(json.loads(path.read_text())["kind"] for path in tmp_path.glob("*.json"))
    assert kinds == ["conference", "consult"]
