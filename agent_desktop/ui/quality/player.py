"""What the scoring form and the evaluation view need of a call's player: open a call, say
where it is, seek. The recording player (``ui/widgets/recording_player.py``, issue 20's
playback part) is wired behind this at the composition root; until a desk has it, the
``MomentField`` is the player: the lead types the moment (minutes:seconds) a comment is pinned
to, and clicking a pinned moment shows it there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTimeEdit, QWidget


class CallPlayer(Protocol):
    def widget(self) -> QWidget: ...

    def open_call(self, interaction_id: int | None, recording_id: str | None) -> None: ...

    def position_ms(self) -> int: ...

    def seek(self, ms: int) -> None: ...


PlayerFactory = Callable[[], CallPlayer]


class MomentField(QWidget):
    """A typed moment of the call (no audio): where a comment is pinned, where a pinned
    moment points."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qaMomentField")
        self.label = QLabel(self.tr("Moment in the call:"))
        self.moment = QTimeEdit()
        self.moment.setDisplayFormat("HH:mm:ss")
        self.moment.setAccessibleName(self.tr("Moment in the call"))
        self.label.setBuddy(self.moment)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.moment)
        row.addStretch(1)

    def widget(self) -> QWidget:
        return self

    def open_call(self, interaction_id: int | None, recording_id: str | None) -> None:  # noqa: ARG002
        self.seek(0)

    def position_ms(self) -> int:
        return QTime(0, 0).msecsTo(self.moment.time())

    def seek(self, ms: int) -> None:
        self.moment.setTime(QTime(0, 0).addMSecs(ms))


def moment_text(ms: int) -> str:
    """1:05:03 or 4:07: where in the call a comment is pinned."""
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
