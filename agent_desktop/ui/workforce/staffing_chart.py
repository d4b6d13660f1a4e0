"""The week's forecast and staffing, per 15-minute interval, as two charts on one time axis:
calls forecast (bars) above; agents required against agents scheduled below, with the
under-staffed intervals (scheduled below required) marked in the palette's error colour and
the over-staffed ones (two or more agents spare) in its warning colour.

Only numbers come in (``StaffingSeries``): the window turns the server's answer into them. The
items are made once and updated in place; a palette switch repaints them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from agent_desktop.ui.appearance import colour, css
from agent_desktop.ui.palette import ColourRole

INTERVAL_H = 0.25
OVER_BY = 2.0  # agents spare in an interval before it counts as over-staffed


@dataclass(frozen=True, slots=True)
class StaffingSeries:
    """One value per interval, in order from ``start``."""

    start: datetime  # the first interval's start (local time of the centre)
    calls: Sequence[float]
    required: Sequence[float]
    scheduled: Sequence[float] | None = None  # None: no roster yet

    def short(self) -> list[float]:
        """Agents missing per interval (0 where covered); nothing without a roster."""
        if self.scheduled is None:
            return [0.0] * len(self.required)
        return [max(0.0, r - s) for r, s in zip(self.required, self.scheduled, strict=True)]

    def spare(self) -> list[float]:
        if self.scheduled is None:
            return [0.0] * len(self.required)
        return [max(0.0, s - r) for r, s in zip(self.required, self.scheduled, strict=True)]

    def under_intervals(self) -> int:
        return sum(1 for x in self.short() if x > 0)

    def over_intervals(self) -> int:
        return sum(1 for x in self.spare() if x >= OVER_BY)


def _plot() -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=True, y=False)  # a week is wide: the lead may drag along it
    plot.hideButtons()
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setMinimumHeight(150)
    return plot


class StaffingChart(QWidget):
    """``with_calls``: the calls plot too (the Staffing page); the roster page shows only the
    coverage, leaving the room to the grid."""

    def __init__(self, parent: QWidget | None = None, *, with_calls: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("staffingChart")
        self.calls_plot = _plot()
        self.agents_plot = _plot()
        self.calls_bars = pg.BarGraphItem(x=[], height=[], width=INTERVAL_H, pen=None)
        self.calls_plot.addItem(self.calls_bars)
        self.short_bars = pg.BarGraphItem(x=[], height=[], y0=[], width=INTERVAL_H, pen=None)
        self.spare_bars = pg.BarGraphItem(x=[], height=[], y0=[], width=INTERVAL_H, pen=None)
        self.agents_plot.addItem(self.short_bars)
        self.agents_plot.addItem(self.spare_bars)
        self.required_curve = self.agents_plot.plot([], [], stepMode="center")
        self.scheduled_curve = self.agents_plot.plot([], [], stepMode="center")
        # One row across the top (room is left above the highest step for it).
        self.legend = self.agents_plot.addLegend(offset=(8, 2), colCount=4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calls_plot, 2)
        layout.addWidget(self.agents_plot, 3)
        self.calls_plot.setVisible(with_calls)
        if with_calls:  # (a hidden plot has no width: linked to it, the other would follow)
            self.agents_plot.setXLink(self.calls_plot)
        self.series: StaffingSeries | None = None
        self._titles()
        self._paint()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "legend"):
            self._paint()
        elif event.type() == QEvent.Type.LanguageChange and hasattr(self, "legend"):
            self._titles()
            if self.series is not None:
                self._day_ticks(self.series)
        super().changeEvent(event)

    def _titles(self) -> None:
        self.calls_plot.setProperty("chartTitle", self.tr("Calls forecast per 15 minutes"))
        self.agents_plot.setProperty("chartTitle", self.tr("Agents required and scheduled"))
        self.legend.clear()
        self.legend.addItem(self.required_curve, self.tr("Required"))
        self.legend.addItem(self.scheduled_curve, self.tr("Scheduled"))
        self.legend.addItem(self.short_bars, self.tr("Under-staffed"))
        self.legend.addItem(self.spare_bars, self.tr("Over-staffed"))
        self._paint()

    def _paint(self) -> None:
        """pyqtgraph draws outside Qt's palette: its colours are set from ours here."""
        for plot in (self.calls_plot, self.agents_plot):
            plot.setBackground(colour(ColourRole.BASE))
            plot.setTitle(str(plot.property("chartTitle")), color=css(ColourRole.TEXT), size="10pt")
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                axis.setPen(pg.mkPen(colour(ColourRole.GRID)))
                axis.setTextPen(pg.mkPen(colour(ColourRole.TEXT)))
        self.calls_bars.setOpts(brush=colour(ColourRole.CHART_CALLS))
        self.short_bars.setOpts(brush=colour(ColourRole.ERROR))
        self.spare_bars.setOpts(brush=colour(ColourRole.WARNING))
        # Required in the text's colour, scheduled in the level's: neither near the red of
        # the under-staffed bars.
        self.required_curve.setPen(pg.mkPen(colour(ColourRole.TEXT), width=1.5))
        self.scheduled_curve.setPen(pg.mkPen(colour(ColourRole.CHART_LEVEL), width=2))
        self.legend.setLabelTextColor(colour(ColourRole.TEXT))
        for _sample, label in self.legend.items:
            label.setText(label.text)  # pyqtgraph applies a label's colour when it is set

    def show_series(self, series: StaffingSeries) -> None:
        self.series = series
        count = len(series.calls)
        xs = [i * INTERVAL_H + INTERVAL_H / 2 for i in range(count)]
        self.calls_bars.setOpts(x=xs, height=list(series.calls))
        edges = [i * INTERVAL_H for i in range(count + 1)]
        self.required_curve.setData(edges, list(series.required))
        if series.scheduled is not None:
            self.scheduled_curve.setData(edges, list(series.scheduled))
            short, spare = series.short(), series.spare()
            marked = [(x, s, sc) for x, s, sc in zip(xs, short, series.scheduled, strict=True) if s]
            self.short_bars.setOpts(
                x=[m[0] for m in marked], height=[m[1] for m in marked], y0=[m[2] for m in marked]
            )
            over = [
                (x, s, r)
                for x, s, r in zip(xs, spare, series.required, strict=True)
                if s >= OVER_BY
            ]
            self.spare_bars.setOpts(
                x=[m[0] for m in over], height=[m[1] for m in over], y0=[m[2] for m in over]
            )
        else:
            self.scheduled_curve.setData([], [])
            self.short_bars.setOpts(x=[], height=[], y0=[])
            self.spare_bars.setOpts(x=[], height=[], y0=[])
        hours = count * INTERVAL_H
        for plot in (self.calls_plot, self.agents_plot):
            plot.setXRange(0, max(hours, 1.0), padding=0.01)
        top_calls = max([*series.calls, 4.0]) * 1.15
        self.calls_plot.setYRange(0, top_calls, padding=0)
        top_agents = max([*series.required, *(series.scheduled or ()), 2.0]) * 1.4
        self.agents_plot.setYRange(0, math.ceil(top_agents), padding=0)
        self._day_ticks(series)

    def _day_ticks(self, series: StaffingSeries) -> None:
        """A line at each day's start, the day's name and date at its noon, and the hours
        06, 12 and 18 as minor ticks once the lead zooms in."""
        days = math.ceil(len(series.calls) * INTERVAL_H / 24)
        names = (
            self.tr("Mon"),
            self.tr("Tue"),
            self.tr("Wed"),
            self.tr("Thu"),
            self.tr("Fri"),
            self.tr("Sat"),
            self.tr("Sun"),
        )
        first = series.start.date()
        starts = [(d * 24.0, "") for d in range(days + 1)]
        named = []
        for d in range(days):
            day = first.fromordinal(first.toordinal() + d)
            named.append((d * 24.0 + 12, f"{names[day.weekday()]} {day.month}/{day.day}"))
        for plot in (self.calls_plot, self.agents_plot):
            plot.getAxis("bottom").setTicks([starts, named])
