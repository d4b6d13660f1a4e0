"""The level strip's reading (no Qt): one height per 100 ms block and channel, silence at 0,
the levels read so far handed out as it goes (a long call's strip is drawn while it is read),
and a reading that is told to stop stops."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desktop.services import recording_levels
from agent_desktop.services.recording_levels import Levels, ReadingStoppedError, read_levels
from tests.fakes.recordings import stereo_call


def test_levels_arrive_as_they_are_read_and_a_stop_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = stereo_call(tmp_path / "call.ogg", seconds=6.0, silent=(2.0, 4.0))
    monkeypatch.setattr(recording_levels, "PROGRESS_EVERY", 10)  # every second of call
    parts: list[Levels] = []
    whole = read_levels(path, progress=parts.append)
    assert [len(p.rows[0]) for p in parts] == [10, 20, 30, 40, 50, 60]
    assert len(whole.rows) == 2
    assert len(whole.rows[0]) == 60
    assert parts[1].at(0, 1500) > 0.6
    assert whole.at(0, 3000) == whole.at(1, 3000) == 0.0
    assert whole.at(1, 7000) == 0.0  # past the end

    asked = [0]

    def stop() -> bool:
        asked[0] += 1
        return asked[0] >= 2

    with pytest.raises(ReadingStoppedError):
        read_levels(path, progress=parts.append, stop=stop)
    assert asked[0] == 2
