"""Playing a call's recording (issue 20): from the customer 360's history and from QA scoring.

Qt Multimedia plays the file: ``QMediaPlayer`` + ``QAudioOutput``; the pinned PySide6's FFmpeg
backend opens the desk's stereo Ogg/Opus directly (checked offscreen too, where it runs without
an audio device), so no WAV copy is made. Above the controls, a level strip of both channels
(pyqtgraph): the agent's row on top, the customer's below, each block's loudness (read off the
GUI thread, agent_desktop/services/recording_levels.py), with the recording's pauses (PCI:
silence in the file) and holds shaded from its metadata, and a play head. A click on the strip
seeks there; space plays and pauses, the arrows step back and forward, the speed is
1× / 1.25× / 1.5× / 2×.

C's scoring screen uses the same widget: ``load(path, meta)``, ``position_ms()``, ``seek(ms)``
and ``position_changed(int)`` are its stable surface.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QEvent, QPointF, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.recording_levels import Levels, ReadingStoppedError, read_levels
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.appearance import colour
from agent_desktop.ui.durations import stopwatch
from agent_desktop.ui.live_texts import LiveTexts
from agent_desktop.ui.palette import ColourRole
from sync.contract.recordings import RecordingMeta

SPEEDS = (1.0, 1.25, 1.5, 2.0)
STEP_MS = 5_000  # an arrow key's step: a sentence back, to hear it again
ROW_HEIGHT = 1.0
SHADE_ALPHA = 70  # a paused or held stretch: tinted, the levels readable over it
ROWS = ("agent", "customer")  # top, bottom (sync.contract.recordings.CHANNEL_ROLES)


def _row_base(channel: int) -> float:
    """Where a channel's row starts on the strip's y axis (the agent's on top)."""
    return (len(ROWS) - 1 - channel) * (ROW_HEIGHT + 0.15)


class RecordingPlayer(QWidget):
    position_changed = Signal(int)  # ms from the start: playing, or after a seek
    levels_ready = Signal()  # the level strip is drawn (read off the GUI thread)

    def __init__(self, tasks: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordingPlayer")
        # A screen without the app's runner (a QA page built alone) gets one worker of its own.
        self._tasks = tasks if tasks is not None else self._own_runner()
        self._texts = LiveTexts()
        self._texts.bind(self.setAccessibleName, lambda: self.tr("Recording player"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.meta: RecordingMeta | None = None
        self.levels: Levels | None = None
        self.level_curves: list[pg.PlotDataItem] = []
        self.pause_regions: list[pg.LinearRegionItem] = []
        self.hold_regions: list[pg.LinearRegionItem] = []
        self._duration_ms = 0
        self._load_id = 0
        # The reading in progress is told to stop when another file is loaded or the player
        # goes: a long call's decode would otherwise run on to its end for nobody.
        self._stop_reading = threading.Event()

        self.audio = QAudioOutput(self)
        self.media = QMediaPlayer(self)
        self.media.setAudioOutput(self.audio)
        self.media.positionChanged.connect(self._moved)
        self.media.durationChanged.connect(self._duration_known)
        self.media.playbackStateChanged.connect(lambda _s: self._show_play_state())
        self.media.errorOccurred.connect(self._media_error)

        self._build_strip()
        self._build_controls()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.strip, 1)
        column.addLayout(self._controls)
        self.error_label = QLabel()
        self.error_label.setObjectName("recordingPlayerError")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        column.addWidget(self.error_label)
        self._paint()
        self._show_time()

    def _own_runner(self) -> TaskRunner:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="levels")
        runner = TaskRunner(executor, self)
        self.destroyed.connect(lambda _o=None: executor.shutdown(wait=False))
        return runner

    # -- building -----------------------------------------------------------------------------

    def _build_strip(self) -> None:
        strip = self.strip = pg.PlotWidget()
        strip.setObjectName("recordingLevels")
        self._texts.bind(
            strip.setAccessibleName,
            lambda: self.tr("Levels of the agent (top) and the customer (bottom); click to seek"),
        )
        strip.setMenuEnabled(False)
        strip.setMouseEnabled(x=False, y=False)
        strip.hideButtons()
        strip.setMinimumHeight(120)
        strip.setYRange(0, _row_base(0) + ROW_HEIGHT, padding=0.02)
        strip.getAxis("bottom").setTickSpacing()
        for channel in range(len(ROWS)):
            curve = pg.PlotDataItem(fillLevel=_row_base(channel), stepMode="center")
            strip.addItem(curve)
            self.level_curves.append(curve)
        self.play_head = pg.InfiniteLine(pos=0, angle=90, movable=False)
        strip.addItem(self.play_head)
        strip.scene().sigMouseClicked.connect(self._strip_clicked)

    def _build_controls(self) -> None:
        self.play_button = QPushButton()
        self.play_button.setObjectName("recordingPlay")
        self.play_button.clicked.connect(lambda _c=False: self.toggle_play())
        self.time_label = QLabel()
        self.time_label.setObjectName("recordingTime")
        self._texts.bind(self.time_label.setAccessibleName, lambda: self.tr("Position"))
        self.speed_box = QComboBox()
        self.speed_box.setObjectName("recordingSpeed")
        self._texts.bind(self.speed_box.setAccessibleName, lambda: self.tr("Speed"))
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:g}×", speed)
        self.speed_box.currentIndexChanged.connect(
            lambda _i: self.set_speed(float(self.speed_box.currentData()))
        )
        self.legend_label = QLabel()
        self.legend_label.setObjectName("recordingLegend")
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)  # (the shades' colours)
        row = self._controls = QHBoxLayout()
        row.addWidget(self.play_button)
        row.addWidget(self.time_label)
        row.addStretch(1)
        row.addWidget(self.legend_label)
        row.addWidget(self.speed_box)

    def _paint(self) -> None:
        """The strip in the palette's colours (again at a palette switch)."""
        strip = self.strip
        strip.setBackground(colour(ColourRole.BASE))
        for side in ("left", "bottom"):
            axis = strip.getAxis(side)
            axis.setPen(pg.mkPen(colour(ColourRole.GRID)))
            axis.setTextPen(pg.mkPen(colour(ColourRole.TEXT)))
        strip.getAxis("left").setTicks(
            [[(_row_base(c) + ROW_HEIGHT / 2, name) for c, name in enumerate(self._row_names())]]
        )
        strip.getAxis("bottom").setTicks(self._time_ticks())
        for curve, role in zip(
            self.level_curves, (ColourRole.CHART_CALLS, ColourRole.CHART_LEVEL), strict=True
        ):
            curve.setPen(pg.mkPen(None))  # filled bars only: an outline drew the row's floor
            curve.setBrush(colour(role))
        self.play_head.setPen(pg.mkPen(colour(ColourRole.TEXT), width=2))
        for regions, role in (
            (self.pause_regions, ColourRole.WARNING),
            (self.hold_regions, ColourRole.INFO),
        ):
            for region in regions:
                region.setBrush(_tint(colour(role)))
        self._show_legend()

    def _show_legend(self) -> None:
        """What the rows and the shades are; the shades' own colours in the squares."""

        def swatch(role: ColourRole) -> str:
            return f'<span style="color: {_over(colour(role), colour(ColourRole.BASE))}">■</span>'

        rows = html.escape(self.tr("Top: agent · bottom: customer"))
        paused = html.escape(self.tr("paused"))
        held = html.escape(self.tr("on hold"))
        parts = (
            rows,
            f"{swatch(ColourRole.WARNING)} {paused}",
            f"{swatch(ColourRole.INFO)} {held}",
        )
        self.legend_label.setText(" · ".join(parts))
        self.legend_label.setAccessibleName(
            self.tr("Top: agent · bottom: customer · shaded: paused or on hold")
        )

    def _row_names(self) -> tuple[str, str]:
        return (self.tr("Agent"), self.tr("Customer"))

    # -- the surface --------------------------------------------------------------------------

    def load(self, path: str, meta: RecordingMeta) -> None:
        """Open a recording (a local file) with its metadata; the levels follow when read."""
        self.meta = meta
        self._load_id += 1
        load_id = self._load_id
        self.levels = None
        self.error_label.setVisible(False)
        self._duration_ms = meta.duration_ms
        for curve in self.level_curves:
            curve.setData([], [])
        self.media.stop()
        self.media.setSource(QUrl.fromLocalFile(path))
        self._mark_spans(meta)
        self._show_range()
        self._show_time()
        self._stop_reading.set()
        stop = self._stop_reading = threading.Event()
        self.destroyed.connect(lambda _o=None: stop.set())
        tasks = self._tasks
        tasks.run_blocking(
            # Drawn as it is read (an hour's call takes ~20 s), then whole.
            lambda: read_levels(
                path,
                progress=lambda part: tasks.post(self._show_levels, load_id, part, False),
                stop=stop.is_set,
            ),
            lambda levels: self._show_levels(load_id, levels),
            lambda error: self._show_error(load_id, error),
        )

    def position_ms(self) -> int:
        return int(self.media.position())

    def duration_ms(self) -> int:
        return self._duration_ms

    def seek(self, ms: int) -> None:
        ms = max(0, min(int(ms), self._duration_ms or int(ms)))
        self.media.setPosition(ms)
        self._moved(ms)

    def play(self) -> None:
        self.media.play()

    def pause(self) -> None:
        self.media.pause()

    def playing(self) -> bool:
        return self.media.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def toggle_play(self) -> None:
        if self.playing():
            self.pause()
        else:
            self.play()

    def set_output_device(self, name: str) -> bool:
        """Play on the output the OS calls ``name`` (the desk's ``audio.playback_device``, the
        headset); False, and the system's default kept, when there is none by that name."""
        for device in QMediaDevices.audioOutputs():
            if device.description() == name:
                self.audio.setDevice(device)
                return True
        return False

    def speed(self) -> float:
        return float(self.media.playbackRate())

    def set_speed(self, speed: float) -> None:
        self.media.setPlaybackRate(speed)
        index = self.speed_box.findData(speed)
        if index >= 0 and index != self.speed_box.currentIndex():
            self.speed_box.setCurrentIndex(index)

    def markers(self) -> list[tuple[str, int, int]]:
        """What is shaded on the strip: ("pause" | "hold", start ms, end ms)."""
        found: list[tuple[str, int, int]] = []
        for kind, regions in (("pause", self.pause_regions), ("hold", self.hold_regions)):
            for region in regions:
                start, end = region.getRegion()
                found.append((kind, round(start), round(end)))
        return found

    # -- what it shows ------------------------------------------------------------------------

    def _mark_spans(self, meta: RecordingMeta) -> None:
        for region in [*self.pause_regions, *self.hold_regions]:
            self.strip.removeItem(region)
        self.pause_regions = []
        self.hold_regions = []
        for spans, regions in ((meta.pauses, self.pause_regions), (meta.holds, self.hold_regions)):
            for span in spans:
                region = pg.LinearRegionItem(
                    values=(span.start_ms, span.end_ms), movable=False, swapMode="sort"
                )
                region.setZValue(-10)  # under the levels and the play head
                for line in region.lines:
                    line.setPen(pg.mkPen(None))
                self.strip.addItem(region)
                regions.append(region)
        self._paint()

    def _show_levels(self, load_id: int, levels: Levels, whole: bool = True) -> None:
        if not shiboken6.isValid(self) or load_id != self._load_id:
            return  # the player is gone, or another recording was loaded meanwhile
        if whole:
            self.levels = levels
        self._duration_ms = self._duration_ms or levels.duration_ms
        for channel, curve in enumerate(self.level_curves):
            if channel >= len(levels.rows):
                curve.setData([], [])
                continue
            row = levels.rows[channel]
            edges = np.arange(len(row) + 1, dtype=np.float64) * levels.block_ms
            base = _row_base(channel)
            curve.setData(edges, base + row.astype(np.float64) * ROW_HEIGHT)
            curve.setFillLevel(base)
        self._show_range()
        if whole:
            self.levels_ready.emit()

    def _show_error(self, load_id: int, error: BaseException) -> None:
        if isinstance(error, ReadingStoppedError):
            return  # (this reading was given up for another)
        if not shiboken6.isValid(self) or load_id != self._load_id:
            return
        self.error_label.setText(
            self.tr("The recording's levels could not be read: %1").replace("%1", str(error))
        )
        self.error_label.setVisible(True)

    def _media_error(self, _error: QMediaPlayer.Error, text: str) -> None:
        self.error_label.setText(self.tr("The recording cannot be played: %1").replace("%1", text))
        self.error_label.setVisible(True)

    def _show_range(self) -> None:
        self.strip.setXRange(0, max(self._duration_ms, 1000), padding=0)
        self.strip.getAxis("bottom").setTicks(self._time_ticks())

    def _time_ticks(self) -> list[list[tuple[float, str]]]:
        """Ticks as m:ss (every 10 s up to 2 min, else every minute or five)."""
        total_s = max(self._duration_ms, 1000) / 1000
        step = 10 if total_s <= 120 else 60 if total_s <= 900 else 300
        return [[(s * 1000.0, stopwatch(s)) for s in range(0, int(total_s) + 1, step)]]

    def _duration_known(self, ms: int) -> None:
        if ms > 0 and not self._duration_ms:
            self._duration_ms = int(ms)
            self._show_range()
        self._show_time()

    def _moved(self, ms: int) -> None:
        self.play_head.setPos(ms)
        self._show_time(ms)
        self.position_changed.emit(int(ms))

    def _show_time(self, ms: int | None = None) -> None:
        at = self.position_ms() if ms is None else ms
        self.time_label.setText(f"{stopwatch(at / 1000)} / {stopwatch(self._duration_ms / 1000)}")
        self._show_play_state()

    def _show_play_state(self) -> None:
        text = self.tr("❚❚ Pause") if self.playing() else self.tr("▶ Play")
        self.play_button.setText(text)
        self.play_button.setAccessibleName(text)

    # -- the agent's hands --------------------------------------------------------------------

    def _strip_clicked(self, event: object) -> None:
        position: Callable[[], QPointF] | None = getattr(event, "scenePos", None)
        if position is None:
            return
        point = self.strip.getPlotItem().vb.mapSceneToView(position())
        self.seek(round(point.x()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.toggle_play()
        elif key == Qt.Key.Key_Left:
            self.seek(self.position_ms() - STEP_MS)
        elif key == Qt.Key.Key_Right:
            self.seek(self.position_ms() + STEP_MS)
        elif key == Qt.Key.Key_Home:
            self.seek(0)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._paint()
            self._show_time()
        elif event.type() == QEvent.Type.PaletteChange:
            self._paint()
        super().changeEvent(event)


def _over(shade: QColor, background: QColor) -> str:
    """The tinted shade as it shows on the strip's background (a legend square's colour)."""
    a = SHADE_ALPHA / 255
    mixed = [
        round(x * a + y * (1 - a))
        for x, y in (
            (shade.red(), background.red()),
            (shade.green(), background.green()),
            (shade.blue(), background.blue()),
        )
    ]
    return QColor(*mixed).name()


def _tint(base: QColor, alpha: int | None = None) -> QColor:
    """A role's colour, see-through: a shaded stretch, the levels readable over it."""
    tinted = QColor(base)
    tinted.setAlpha(SHADE_ALPHA if alpha is None else alpha)
    return tinted
