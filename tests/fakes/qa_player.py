"""A stand-in for the recording player behind the Quality window's ``CallPlayer`` protocol
(``agent_desktop/ui/quality/player.py``): a real QSlider as the call's position, so a test moves
"the playback" to a moment, pins a comment there, and sees a pinned moment seek it back. It
plays no audio; the recording player itself is tested with its own part of issue 20."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSlider, QWidget


class SliderPlayer:
    def __init__(self) -> None:
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("qaTestPlayer")
        self.slider.setAccessibleName("Position in the call")
        self.slider.setRange(0, 3_600_000)
        self.opened: list[tuple[int | None, str | None]] = []

    def widget(self) -> QWidget:
        return self.slider

    def open_call(self, interaction_id: int | None, recording_id: str | None) -> None:
        self.opened.append((interaction_id, recording_id))
        self.slider.setValue(0)

    def position_ms(self) -> int:
        return self.slider.value()

    def seek(self, ms: int) -> None:
        self.slider.setValue(ms)


class SliderPlayers:
    """The factory the window takes; keeps each player it made (the scoring form's first, then
    the evaluation view's)."""

    def __init__(self) -> None:
        self.made: list[SliderPlayer] = []

    def __call__(self) -> SliderPlayer:
        player = SliderPlayer()
        self.made.append(player)
        return player
