"""The reports' charts (pyqtgraph): one per sheet, drawn from the sheet's own columns, and the
weekday × hour heat map. The same functions draw the window's charts and the PDF's images
(``chart_image``), so the printed report shows what the screen showed.

pyqtgraph and numpy load with this module, which the desk imports only when the Reports window
first opens (``tests/unit/test_lazy_imports.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage

from agent_desktop.services.report_book import HeatMap, Sheet, SheetKey
from agent_desktop.ui.appearance import active_palette
from agent_desktop.ui.palette import LIGHT, ColourRole, Palette
from agent_desktop.ui.reports.cells import cell_text

MAX_TICKS = 12  # x labels shown at most; more would overlap


@dataclass(frozen=True, slots=True)
class Series:
    key: str  # the sheet's column
    role: ColourRole
    bars: bool = False


# What each sheet's chart draws: the first series as bars, the others as lines over them.
SERIES: dict[SheetKey, tuple[Series, ...]] = {
    SheetKey.TRAFFIC: (
        Series("offered", ColourRole.CHART_CALLS, bars=True),
        Series("answered", ColourRole.CHART_LEVEL),
        Series("abandoned", ColourRole.CHART_FORECAST),
    ),
    SheetKey.HANDLING: (
        Series("avg_talk", ColourRole.CHART_CALLS, bars=True),
        Series("avg_hold", ColourRole.CHART_FORECAST),
        Series("avg_wrap", ColourRole.CHART_LEVEL),
    ),
    SheetKey.SERVICE: (
        Series("opened", ColourRole.CHART_CALLS, bars=True),
        Series("resolved", ColourRole.CHART_LEVEL),
        Series("overdue", ColourRole.CHART_FORECAST),
    ),
    SheetKey.PEOPLE: (Series("calls", ColourRole.CHART_CALLS, bars=True),),
}


def new_plot() -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.showGrid(x=False, y=True, alpha=0.15)
    plot.setMinimumHeight(200)
    return plot


def _frame(plot: pg.PlotWidget, title: str, palette: Palette) -> None:
    plot.setBackground(QColor(palette[ColourRole.BASE]))
    plot.setTitle(title, color=palette[ColourRole.TEXT], size="10pt")
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(pg.mkPen(QColor(palette[ColourRole.GRID])))
        axis.setTextPen(pg.mkPen(QColor(palette[ColourRole.TEXT])))


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else float("nan")


def draw_sheet(plot: pg.PlotWidget, sheet: Sheet, palette: Palette | None = None) -> None:
    """The sheet's chart in ``plot`` (cleared first); nothing but the frame when it has no rows.
    In the palette on screen, or ``palette`` (the PDF's: paper is light)."""
    palette = palette or active_palette()

    def colour(role: ColourRole) -> QColor:
        return QColor(palette[role])

    plot.clear()
    if plot.plotItem.legend is not None:
        plot.plotItem.legend.clear()
    _frame(plot, sheet.title, palette)
    series = [s for s in SERIES.get(sheet.key, ()) if _has(sheet, s.key)]
    if not sheet.rows or not series:
        return
    legend = plot.plotItem.legend or plot.addLegend(offset=(-10, 10))
    legend.setLabelTextColor(colour(ColourRole.TEXT))
    x = np.arange(len(sheet.rows), dtype=float)
    for item in series:
        column = sheet.columns[sheet.column(item.key)]
        y = np.array([_number(v) for v in sheet.values(item.key)], dtype=float)
        if item.bars:
            drawn: pg.GraphicsObject = pg.BarGraphItem(
                x=x, height=np.nan_to_num(y), width=0.7, brush=colour(item.role), pen=None
            )
        else:
            drawn = pg.PlotDataItem(
                x, y, pen=pg.mkPen(colour(item.role), width=2), symbol="o", symbolSize=5,
                symbolBrush=colour(item.role), symbolPen=None, connect="finite",
            )  # fmt: skip
        plot.addItem(drawn)
        legend.addItem(drawn, column.title)
    label_kind = sheet.columns[0].kind
    step = max(1, -(-len(sheet.rows) // MAX_TICKS))
    ticks = [
        (float(i), cell_text(row[0], label_kind)[-11:])
        for i, row in enumerate(sheet.rows)
        if i % step == 0
    ]
    plot.getAxis("bottom").setTicks([ticks])
    plot.setXRange(-0.6, len(sheet.rows) - 0.4, padding=0)
    plot.enableAutoRange(axis="y")


def _has(sheet: Sheet, key: str) -> bool:
    try:
        sheet.column(key)
    except KeyError:
        return False
    return True


def draw_heat_map(plot: pg.PlotWidget, heat: HeatMap, palette: Palette | None = None) -> None:
    """Weekdays down, hours across; darker is busier; each cell's count written in it."""
    palette = palette or active_palette()

    def colour(role: ColourRole) -> QColor:
        return QColor(palette[role])

    plot.clear()
    _frame(plot, heat.title, palette)
    counts = np.array(heat.counts, dtype=float)  # 7 × 24
    image = pg.ImageItem(counts.T)  # ImageItem's first axis is x
    low, high = colour(ColourRole.BASE), colour(ColourRole.CHART_CALLS)
    image.setLookupTable(
        pg.ColorMap(
            [0.0, 1.0],
            [(low.red(), low.green(), low.blue()), (high.red(), high.green(), high.blue())],
        ).getLookupTable(nPts=64)
    )
    image.setLevels((0.0, max(1.0, float(heat.peak))))
    image.setRect(QRectF(0, 0, 24, 7))
    plot.addItem(image)
    plot.invertY(True)  # Monday on top
    small = QFont()
    small.setPointSizeF(max(6.0, small.pointSizeF() - 2))
    half = heat.peak / 2
    for day, row in enumerate(heat.counts):
        for hour, count in enumerate(row):
            if not count:
                continue
            ink = QColor("white") if count > half else colour(ColourRole.TEXT)
            text = pg.TextItem(str(count), color=ink, anchor=(0.5, 0.5))
            text.setFont(small)
            text.setPos(hour + 0.5, day + 0.5)
            plot.addItem(text)
    plot.getAxis("left").setTicks([[(d + 0.5, name) for d, name in enumerate(heat.weekdays)]])
    plot.getAxis("bottom").setTicks([[(h + 0.5, str(h)) for h in range(0, 24, 2)]])
    plot.setXRange(0, 24, padding=0)
    plot.setYRange(0, 7, padding=0)


def chart_image(sheet: Sheet | HeatMap, width: int = 900, height: int = 330) -> QImage:
    """The chart as an image (the PDF's), drawn off screen at a printable size, in the light
    palette whatever the screen's (it goes on paper)."""
    plot = new_plot()
    plot.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    plot.resize(width, height)
    if isinstance(sheet, HeatMap):
        draw_heat_map(plot, sheet, LIGHT)
    else:
        draw_sheet(plot, sheet, LIGHT)
    plot.show()  # laid out and painted, never on screen (WA_DontShowOnScreen)
    image: QImage = plot.grab().toImage()
    plot.close()
    plot.deleteLater()
    return image
