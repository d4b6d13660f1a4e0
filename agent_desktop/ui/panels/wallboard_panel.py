"""Supervisor mode's wallboard: the floor live, for the team lead.

Queues (waiting now, longest wait, answered / abandoned, service level, answer rate against
80 %), the agents (state and time in state, current call, calls handled, AHT), three charts
(calls per 15 minutes against the forecast, service level over the day, agent states), the
alert log, and escalations / recurring issues with what a lead does about them.

Everything comes from ``WallboardService.board_changed``; the panel never asks for anything
itself. The charts are created once and updated in place (``setOpts`` / ``setData`` on 96
points at most), so a busy stream of events does not make them stutter; the agents' clocks
move each second from the model's own tick.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QSplitter,
    QSystemTrayIcon,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.desk_labels import desk_code_label
from agent_desktop.services.adherence import Adherence, AdherenceService
from agent_desktop.services.monitoring import MonitorService
from agent_desktop.services.paused_calls import PausedCalls
from agent_desktop.services.wallboard import (
    AgentLine,
    AlertEntry,
    Board,
    WallboardService,
    WorkItem,
)
from agent_desktop.ui.appearance import colour, css
from agent_desktop.ui.fit import fit_headers
from agent_desktop.ui.live_texts import LiveTexts, refresh_models
from agent_desktop.ui.models.wallboard_model import (
    ADHERENCE_COLUMNS,
    LINE_ROLE,
    SORT_ROLE,
    STATE_COLOURS,
    AgentsModel,
    AlertsModel,
    QueuesModel,
    WorkItemsModel,
    percent,
)
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.panels.paused_calls import PausedCallsView
from agent_desktop.ui.widgets.monitor_bar import MonitorBar
from sync.contract.desk import DEFAULT_DESK_SETTINGS
from sync.contract.records import AgentState
from sync.contract.wallboard import INTERVALS_PER_DAY, AlertThresholds, ForecastOut

_HOURS = [i / 4 for i in range(INTERVALS_PER_DAY)]  # x of each interval, in hours
_STATES = (
    AgentState.READY,
    AgentState.ON_CALL,
    AgentState.WRAP_UP,
    AgentState.NOT_READY,
    AgentState.LOGGED_OUT,
)
D = TypeVar("D", bound=QDialog)


def _table(model: QSortFilterProxyModel, name: str) -> QTableView:
    view = QTableView()
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
    view.setObjectName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    # Fit the width of the board (headers are long in both languages): the first column by its
    # contents, the others share the rest.
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    fit_headers(view)  # titles elide in the middle, whole in the tooltip ("Service leve…")
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    return view


def _proxy(model: QAbstractItemModel) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


def _plot() -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setMinimumHeight(190)
    _paint_plot(plot)
    return plot


def _title_plot(plot: pg.PlotWidget, title: str) -> None:
    """A chart's title (in the language in use: again at a language change)."""
    plot.setProperty("chartTitle", title)
    _paint_plot(plot)


def _paint_plot(plot: pg.PlotWidget) -> None:
    """The chart's frame in the palette's colours (again at each palette switch)."""
    plot.setBackground(colour(ColourRole.BASE))
    plot.setTitle(str(plot.property("chartTitle")), color=css(ColourRole.TEXT), size="10pt")
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(pg.mkPen(colour(ColourRole.GRID)))
        axis.setTextPen(pg.mkPen(colour(ColourRole.TEXT)))


class ThresholdsDialog(QDialog):
    """The lead's alert limits; an unticked box switches that alert off."""

    def __init__(self, thresholds: AlertThresholds, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = LiveTexts()  # (changeEvent)
        self._texts.bind(self.setWindowTitle, lambda: self.tr("Alert thresholds"))
        form = QFormLayout(self)
        self.waiting = self._row(
            form, lambda: self.tr("Calls waiting more than"), thresholds.queue_waiting, 0, 500
        )
        self.longest = self._row(
            form, lambda: self.tr("Longest wait beyond"), thresholds.longest_wait_s, 1, 3600
        )
        self._texts.bind(self.longest[1].setSuffix, lambda: self.tr(" s"))
        level = None if thresholds.service_level is None else round(thresholds.service_level * 100)
        self.level = self._row(form, lambda: self.tr("Service level below"), level, 1, 100)
        self.level[1].setSuffix(" %")
        minutes = None if thresholds.not_ready_s is None else thresholds.not_ready_s // 60
        self.not_ready = self._row(form, lambda: self.tr("Not ready longer than"), minutes, 1, 480)
        self._texts.bind(self.not_ready[1].setSuffix, lambda: self.tr(" min"))
        breach = (
            None if thresholds.complaint_breach_s is None else thresholds.complaint_breach_s / 3600
        )
        self.breach = QDoubleSpinBox()
        self.breach.setRange(0.25, 48)
        self.breach.setSingleStep(0.25)
        self._texts.bind(self.breach.setSuffix, lambda: self.tr(" h"))
        self.breach_on = QCheckBox()
        self._texts.bind(self.breach_on.setText, lambda: self.tr("A complaint's deadline within"))
        self.breach_on.setChecked(breach is not None)
        self.breach.setValue(breach if breach is not None else 2)
        self.breach.setEnabled(breach is not None)
        self.breach_on.toggled.connect(self.breach.setEnabled)
        form.addRow(self.breach_on, self.breach)
        self.within = QSpinBox()
        self.within.setRange(1, 600)
        self._texts.bind(self.within.setSuffix, lambda: self.tr(" s"))
        self.within.setValue(thresholds.answer_within_s)
        self._texts.row(
            form, lambda: self.tr("Service level counts calls answered within"), self.within
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
        super().changeEvent(event)

    def _row(
        self, form: QFormLayout, label: Callable[[], str], value: int | None, low: int, high: int
    ) -> tuple[QCheckBox, QSpinBox]:
        box = QCheckBox()
        self._texts.bind(box.setText, label)
        spin = QSpinBox()
        spin.setRange(low, high)
        box.setChecked(value is not None)
        spin.setValue(value if value is not None else low)
        spin.setEnabled(value is not None)
        box.toggled.connect(spin.setEnabled)
        form.addRow(box, spin)
        return box, spin

    def thresholds(self) -> AlertThresholds:
        def chosen(row: tuple[QCheckBox, QSpinBox]) -> int | None:
            return row[1].value() if row[0].isChecked() else None

        level = chosen(self.level)
        minutes = chosen(self.not_ready)
        return AlertThresholds(
            queue_waiting=chosen(self.waiting),
            longest_wait_s=chosen(self.longest),
            service_level=None if level is None else level / 100,
            not_ready_s=None if minutes is None else minutes * 60,
            complaint_breach_s=round(self.breach.value() * 3600)
            if self.breach_on.isChecked()
            else None,
            answer_within_s=self.within.value(),
        )


class WallboardPanel(QWidget):
    notified = Signal(str)  # an alert's text, as the desktop notification said it

    def __init__(
        self,
        service: WallboardService,
        say: Callable[[str], None] = lambda _text: None,
        language: str = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("wallboardPanel")
        self.service = service
        self._say = say
        self._language = language
        self.dialog: QDialog | None = None  # the one open (thresholds, message, …), for tests
        self._texts = LiveTexts()  # (retranslate)
        self._tray: QSystemTrayIcon | None = None

        self.agents = AgentsModel(service.now, self)
        self.queues = QueuesModel(self)
        self.alerts = AlertsModel(self)
        self.work = WorkItemsModel(service.now, self, chinese=language.startswith("zh"))
        self._label_reasons()

        top, agent_buttons, work_buttons = self._build_controls()
        self._build_charts()
        self._build_layout(top, agent_buttons, work_buttons)

        self._clock = QTimer(self)  # time in state: arithmetic, no query
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self.agents.tick)
        self._clock.timeout.connect(self._tick_work)
        self._clock.start()
        service.board_changed.connect(self.show_board)
        service.forecast_changed.connect(self.show_forecast)
        service.alert_fired.connect(self._alert_fired)
        service.alert_cleared.connect(lambda _entry: self._show_alerts())
        # Bound methods, not lambdas: Qt drops them with the panel (the service outlives it).
        service.alert_acknowledged.connect(self._alert_changed)
        service.thresholds_loaded.connect(self._show_thresholds)
        service.alerts_kept_changed.connect(self._alert_changed)
        self._show_thresholds()
        self._show_alert_place()
        if service.board is not None:
            self.show_board(service.board)
        if service.forecast_today is not None or service.forecast_tomorrow is not None:
            self.show_forecast(service.forecast_today, service.forecast_tomorrow)
        self._show_alerts()

    def _button(self, text: Callable[[], str], slot: Callable[[], object]) -> QPushButton:
        button = QPushButton()
        self._texts.bind(button.setText, text)
        button.clicked.connect(lambda _c=False: slot())
        return button

    def _build_controls(self) -> tuple[QHBoxLayout, QHBoxLayout, QHBoxLayout]:
        self.summary_label = QLabel()
        self.summary_label.setObjectName("wallboardSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.message_button = self._button(
            lambda: self.tr("Message the team…"), self.open_message_dialog
        )
        self.thresholds_button = self._button(
            lambda: self.tr("Alert thresholds…"), self.open_thresholds
        )
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.message_button)
        top.addWidget(self.thresholds_button)

        self.queues_view = _table(_proxy(self.queues), "queuesView")
        self._texts.bind(self.queues_view.setAccessibleName, lambda: self.tr("Queues"))
        self.queues_view.setMaximumHeight(110)
        self.agents_view = _table(_proxy(self.agents), "agentsView")
        self._texts.bind(self.agents_view.setAccessibleName, lambda: self.tr("Agents"))
        self.agents_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.agents_view.customContextMenuRequested.connect(self._agent_menu)
        self.state_button = QPushButton()
        self._texts.bind(self.state_button.setText, lambda: self.tr("Set state"))
        self._texts.bind(
            self.state_button.setToolTip,
            lambda: self.tr("Applied on the agent's desk now, or after their current call"),
        )
        self.state_menu = self._state_menu()
        self.state_button.setMenu(self.state_menu)
        self.log_out_button = self._button(lambda: self.tr("Log out"), self._log_out_selected)
        agent_buttons = QHBoxLayout()
        agent_buttons.addWidget(self._texts.label(lambda: self.tr("Selected agent:")))
        agent_buttons.addWidget(self.state_button)
        agent_buttons.addWidget(self.log_out_button)
        agent_buttons.addStretch(1)

        self.alerts_view = _table(_proxy(self.alerts), "alertsView")
        self._texts.bind(self.alerts_view.setAccessibleName, lambda: self.tr("Alerts"))
        self.alerts_view.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.ResizeToContents
        )
        self.alerts_view.setSortingEnabled(False)
        self._build_alert_controls()
        self.work_view = _table(_proxy(self.work), "workView")
        self._texts.bind(
            self.work_view.setAccessibleName, lambda: self.tr("Escalations and recurring issues")
        )
        self.reassign_button = self._button(lambda: self.tr("Reassign…"), self.open_reassign)
        self.call_button = self._button(lambda: self.tr("Call the customer"), self._call_selected)
        self.comment_button = self._button(lambda: self.tr("Comment…"), self.open_comment)
        work_buttons = QHBoxLayout()
        for button in (self.reassign_button, self.call_button, self.comment_button):
            work_buttons.addWidget(button)
        work_buttons.addStretch(1)

        return top, agent_buttons, work_buttons

    def _build_alert_controls(self) -> None:
        self.alerts_view.selectionModel().selectionChanged.connect(
            lambda _s, _d: self._show_alert_place()
        )
        self.ack_button = self._button(lambda: self.tr("Acknowledge"), self.acknowledge_selected)
        self.ack_button.setObjectName("acknowledgeAlert")
        self._texts.bind(
            self.ack_button.setToolTip,
            lambda: self.tr("Tell the team's leads you have seen the selected alert"),
        )
        self.alert_place_label = QLabel()
        self.alert_place_label.setObjectName("alertPlace")
        self.alert_place_label.setWordWrap(True)

    def _build_layout(
        self, top: QHBoxLayout, agent_buttons: QHBoxLayout, work_buttons: QHBoxLayout
    ) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._heading(lambda: self.tr("Queues")))
        left_layout.addWidget(self.queues_view)
        left_layout.addWidget(self._heading(lambda: self.tr("Agents")))
        left_layout.addWidget(self.agents_view, 1)
        left_layout.addLayout(agent_buttons)
        self._left_layout = left_layout  # the monitor bar goes under the agent buttons
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self._heading(lambda: self.tr("Alerts")))
        right_layout.addWidget(self.alerts_view, 1)
        alert_row = QHBoxLayout()
        alert_row.addWidget(self.alert_place_label, 1)
        alert_row.addWidget(self.ack_button)
        right_layout.addLayout(alert_row)
        right_layout.addWidget(self._heading(lambda: self.tr("Escalations and recurring issues")))
        right_layout.addWidget(self.work_view, 1)
        right_layout.addLayout(work_buttons)
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(left)
        upper.addWidget(right)
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.calls_plot, 0, 0)
        grid.addWidget(self.level_plot, 0, 1)
        grid.addWidget(self.states_plot, 0, 2)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)
        self.forecast_label = QLabel()
        self.forecast_label.setObjectName("forecastLabel")
        self.forecast_label.setWordWrap(True)
        grid.addWidget(self.forecast_label, 1, 0, 1, 3)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(upper)
        body.addWidget(charts)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(body, 1)

    def _heading(self, text: Callable[[], str]) -> QLabel:
        label = self._texts.label(text)
        label.setStyleSheet("font-weight: bold;")
        return label

    # -- charts ---------------------------------------------------------------------------------

    def _build_charts(self) -> None:
        self.calls_plot = _plot()
        self._texts.bind(
            partial(_title_plot, self.calls_plot), lambda: self.tr("Calls per 15 minutes")
        )
        self.calls_legend = self.calls_plot.addLegend(offset=(8, 4))
        self.calls_bars = pg.BarGraphItem(
            x=_HOURS, height=[0] * INTERVALS_PER_DAY, width=0.2, pen=None
        )
        self.calls_plot.addItem(self.calls_bars)
        self.forecast_curve = self.calls_plot.plot([], [])
        self.tomorrow_curve = self.calls_plot.plot([], [])
        # The whole day: a 24x7 line's night shift is on the board too.
        self.calls_plot.setXRange(0, 24, padding=0.02)
        self.calls_plot.getAxis("bottom").setTickSpacing(3, 1)

        self.level_plot = _plot()
        self._texts.bind(
            partial(_title_plot, self.level_plot), lambda: self.tr("Service level today (%)")
        )
        # Points as well as the line: the day's first interval with calls is one point, which
        # a line alone never draws (issue 19: an empty service-level chart under "40 %").
        # Their colour is the line's, set with it from the palette (_paint_charts).
        self.level_curve = self.level_plot.plot([], [], symbol="o", symbolSize=7, symbolPen=None)
        self.level_target = pg.InfiniteLine(pos=80, angle=0)
        self.level_plot.addItem(self.level_target)
        self.level_plot.setYRange(0, 100, padding=0.06)  # a point at 100 % drawn whole
        self.level_plot.setXRange(0, 24, padding=0.02)
        self.level_plot.getAxis("bottom").setTickSpacing(3, 1)

        self.states_plot = _plot()
        self._texts.bind(partial(_title_plot, self.states_plot), lambda: self.tr("Agents by state"))
        self.states_bars = pg.BarGraphItem(
            x=list(range(len(_STATES))),
            height=[0] * len(_STATES),
            width=0.6,
            brushes=[colour(STATE_COLOURS[s]) for s in _STATES],
            pen=None,
        )
        self.states_plot.addItem(self.states_bars)
        self._label_states()
        bottom = self.states_plot.getAxis("bottom")
        small = QFont()
        small.setPointSizeF(max(6.0, small.pointSizeF() - 1))
        bottom.setStyle(tickFont=small)
        self.states_plot.setXRange(-0.6, len(_STATES) - 0.4, padding=0)
        self._name_series()
        self._paint_charts()

    def _paint_charts(self) -> None:
        """Lines, bars and frames in the palette's colours (pyqtgraph draws outside Qt's
        palette, so a palette switch repaints them here)."""
        for plot in (self.calls_plot, self.level_plot, self.states_plot):
            _paint_plot(plot)
        self.calls_legend.setLabelTextColor(colour(ColourRole.TEXT))
        for _sample, label in self.calls_legend.items:
            label.setText(label.text)  # pyqtgraph applies a label's colour when it is set
        self.calls_bars.setOpts(brush=colour(ColourRole.CHART_CALLS))
        self.forecast_curve.setPen(pg.mkPen(colour(ColourRole.CHART_FORECAST), width=2))
        self.tomorrow_curve.setPen(
            pg.mkPen(colour(ColourRole.CHART_TARGET), width=1.5, style=Qt.PenStyle.DashLine)
        )
        self.level_curve.setPen(pg.mkPen(colour(ColourRole.CHART_LEVEL), width=2))
        self.level_curve.setSymbolBrush(colour(ColourRole.CHART_LEVEL))
        self.level_target.setPen(
            pg.mkPen(colour(ColourRole.CHART_FORECAST), width=1, style=Qt.PenStyle.DashLine)
        )
        self.states_bars.setOpts(brushes=[colour(STATE_COLOURS[s]) for s in _STATES])
        if self._zone_shown:
            self._label_hours(self._zone_shown)

    def _label_states(self) -> None:
        labels = [(i, self.agents.state_text(s)) for i, s in enumerate(_STATES)]
        self.states_plot.getAxis("bottom").setTicks([labels])

    def _name_series(self) -> None:
        """The calls chart's legend: today and the two forecasts, in the language in use."""
        self.calls_legend.clear()
        for item, name in (
            (self.calls_bars, self.tr("Today")),
            (self.forecast_curve, self.tr("Forecast today")),
            (self.tomorrow_curve, self.tr("Forecast tomorrow")),
        ):
            self.calls_legend.addItem(item, name)
        self.calls_legend.setLabelTextColor(colour(ColourRole.TEXT))
        for _sample, label in self.calls_legend.items:
            label.setText(label.text)  # pyqtgraph applies a label's colour when it is set

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "calls_legend"):
            self._paint_charts()
            board = self.service.board
            if board is not None:
                self._show_summary(board)
        elif event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The board in the language now in use, at once: fixed texts, chart titles, legend
        and axes, the state menu, the reasons' labels, the summary and forecast lines; the
        tables' headers and cells (their models translate when asked)."""
        self._texts.retranslate()
        self._show_alert_place()
        self._label_states()
        self._name_series()
        if self._zone_shown:
            self._label_hours(self._zone_shown)
        self.state_menu.deleteLater()
        self.state_menu = self._state_menu()
        self.state_button.setMenu(self.state_menu)
        self._label_reasons()
        self._adherence_note()
        board = self.service.board
        if board is not None:
            self._show_summary(board)
        if self.service.forecast_today is not None or self.service.forecast_tomorrow is not None:
            self.show_forecast(self.service.forecast_today, self.service.forecast_tomorrow)
        refresh_models(self)

    def _label_hours(self, zone: str) -> None:
        hours = self.tr("Hour (%1)").replace("%1", zone)
        for plot in (self.calls_plot, self.level_plot):
            plot.setLabel("bottom", hours, color=css(ColourRole.MUTED))

    def _update_charts(self, board: Board) -> None:
        if board.zone != self._zone_shown:
            self._zone_shown = board.zone
            self._label_hours(board.zone)
        self.calls_bars.setOpts(height=list(board.offered_by_interval))
        # The day so far is one run of intervals (none before the first call nor after now):
        # only those points, so an empty day draws nothing rather than a row of NaN symbols.
        points = [
            (hour, level * 100)
            for hour, level in zip(_HOURS, board.service_level_by_interval, strict=True)
            if level is not None
        ]
        self.level_curve.setData([p[0] for p in points], [p[1] for p in points])
        counts = dict(board.state_counts)
        heights = [counts.get(s, 0) for s in _STATES]
        self.states_bars.setOpts(height=heights)
        top = max(2, *heights)
        self.states_plot.setYRange(0, top + 0.5, padding=0)
        self.states_plot.getAxis("left").setTickSpacing(max(1, math.ceil(top / 5)), 1)
        self._busiest = max(board.offered_by_interval or (0,))
        self._scale_calls()

    _forecast_peak = 0.0
    _busiest = 0
    _zone_shown = ""

    def _scale_calls(self) -> None:
        """Room for today's bars and both forecasts, whichever of them arrived last."""
        top = max(4, self._busiest, self._forecast_peak) * 1.15
        self.calls_plot.setYRange(0, top, padding=0)

    def show_forecast(self, today: ForecastOut | None, tomorrow: ForecastOut | None) -> None:
        for curve, forecast in ((self.forecast_curve, today), (self.tomorrow_curve, tomorrow)):
            if forecast is not None and forecast.available:
                curve.setData(_HOURS, forecast.intervals)
            else:
                curve.setData([], [])
        peaks = [max(f.intervals) for f in (today, tomorrow) if f is not None and f.intervals]
        self._forecast_peak = max(peaks, default=0.0)
        self._scale_calls()
        parts = []
        if tomorrow is not None and tomorrow.available:
            parts.append(
                self.tr(
                    "Tomorrow (%1): about %2 calls, forecast from the same weekday of the "
                    "last %3 weeks."
                )
                .replace("%1", tomorrow.day.isoformat())
                .replace("%2", f"{sum(tomorrow.intervals):.0f}")
                .replace("%3", str(len(tomorrow.based_on)))
            )
            if tomorrow.mape is not None and tomorrow.wape is not None:
                parts.append(
                    self.tr(
                        "Its error on the last %1 days: %2 per interval (MAPE), %3 weighted (WAPE)."
                    )
                    .replace("%1", str(len(tomorrow.past)))
                    .replace("%2", percent(tomorrow.mape))
                    .replace("%3", percent(tomorrow.wape))
                )
        elif tomorrow is not None:
            parts.append(self.tr("No forecast for tomorrow: no history of that weekday yet."))
        self.forecast_label.setText(" ".join(parts))
        self.forecast_label.setToolTip(tomorrow.method if tomorrow is not None else "")

    # -- the board ------------------------------------------------------------------------------

    def _label_reasons(self) -> None:
        """Every reason is worded, the desk's own ones too ("just signed in", "missed call"),
        as the centre words them now; a reason removed since keeps the label it had (an agent
        may still be away for it), an unknown one shows its code."""
        reasons = (self.service.desk_settings() or DEFAULT_DESK_SETTINGS).not_ready_reasons
        self.agents.reason_labels.update({c.code: desk_code_label(c) for c in reasons})

    def show_board(self, board: Board) -> None:
        self._label_reasons()  # (the centre's settings may have changed: a dozen entries)
        thresholds = self.service.thresholds
        self.queues.set_answer_within(board.answer_within_s, thresholds.service_level)
        self.queues.queue_targets = self.service.queue_targets()  # read when a row paints
        self.queues.set_lines(board.queues)
        self.agents.set_lines(board.agents)
        self.work.set_lines(board.work)
        self._update_charts(board)
        self._show_summary(board)
        self._show_alerts()

    def _show_summary(self, board: Board) -> None:
        waiting = sum(q.waiting for q in board.queues)
        alerts = len(self.service.active_alerts)
        tone = css(ColourRole.ERROR if alerts else ColourRole.SUCCESS)
        self.summary_label.setText(
            self.tr(
                "<b>%1</b> offered today · service level <b>%2</b> · answer rate <b>%3</b> · "
                "<b>%4</b> waiting now · <span style='color:%5'><b>%6</b> alerts</span> · "
                "updated %7"
            )
            .replace("%1", str(board.offered))
            .replace("%2", percent(board.service_level))
            .replace("%3", percent(board.answer_rate))
            .replace("%4", str(waiting))
            .replace("%5", tone)
            .replace("%6", str(alerts))
            .replace("%7", board.updated_at.astimezone().strftime("%H:%M:%S"))
        )

    def _show_thresholds(self) -> None:
        level = self.service.thresholds.service_level
        self.level_target.setVisible(level is not None)
        if level is not None:
            self.level_target.setPos(level * 100)

    def _show_alerts(self) -> None:
        self.alerts.set_entries(self.service.alert_log)
        self._show_alert_place()

    def _alert_changed(self, _what: object) -> None:
        self._show_alerts()

    def _show_alert_place(self) -> None:
        """Where the alerts come from, and whether the selected one can be acknowledged."""
        kept = self.service.server_alerts
        if kept is False:
            self.alert_place_label.setText(
                self.tr(
                    "This server is older: alerts are evaluated on this desk, for you alone, "
                    "and cannot be acknowledged."
                )
            )
        elif kept is True:
            self.alert_place_label.setText(
                self.tr("The team's alerts, kept by the server: every lead of the team sees them.")
            )
        else:
            self.alert_place_label.clear()
        entry = self.selected_alert()
        self.ack_button.setEnabled(
            entry is not None and entry.id is not None and entry.acked_at is None
        )

    def selected_alert(self) -> AlertEntry | None:
        rows = self.alerts_view.selectionModel().selectedRows()
        if not rows:
            return None
        line = rows[0].data(LINE_ROLE)
        return line if isinstance(line, AlertEntry) else None

    def select_alert(self, alert_id: int) -> None:
        model = self.alerts_view.model()
        for row in range(model.rowCount()):
            line = model.index(row, 0).data(LINE_ROLE)
            if isinstance(line, AlertEntry) and line.id == alert_id:
                self.alerts_view.selectRow(row)
                return

    def acknowledge_selected(self) -> None:
        entry = self.selected_alert()
        if entry is None or entry.id is None:
            self._say(self.tr("Select one of the team's alerts first."))
            return
        self.service.acknowledge(entry.id)

    def _tick_work(self) -> None:
        if self.work.rowCount():
            last = self.work.rowCount() - 1
            self.work.dataChanged.emit(self.work.index(0, 3), self.work.index(last, 3))

    def _alert_fired(self, entry: AlertEntry) -> None:
        self._show_alerts()
        text = self.alerts.describe(entry.alert)
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            if self._tray is None:
                self._tray = QSystemTrayIcon(self.windowIcon() or QIcon(), self)
                self._tray.show()
            self._tray.showMessage(
                self.tr("Wallboard alert"), text, QSystemTrayIcon.MessageIcon.Warning, 10_000
            )
        else:  # no notification area (a remote session, a test box): the status bar says it
            self._say(self.tr("Wallboard alert: %1").replace("%1", text))
        self.notified.emit(text)

    # -- agent actions --------------------------------------------------------------------------

    def _state_menu(self) -> QMenu:
        menu = QMenu(self)
        ready = menu.addAction(self.tr("Ready"))
        ready.triggered.connect(lambda: self._force_selected(AgentState.READY, ""))
        not_ready = menu.addMenu(self.tr("Not ready"))
        for code in self.service.not_ready_reasons():
            action = not_ready.addAction(desk_code_label(code))
            action.triggered.connect(
                lambda _c=False, c=code.code: self._force_selected(AgentState.NOT_READY, c)
            )
        return menu

    def attach_monitor(self, monitor: MonitorService) -> MonitorBar:
        """Listen / whisper / barge / take over on the selected agent's call."""

        def picked() -> tuple[int, str, AgentState] | None:
            line = self.selected_agent()
            return (line.user_id, line.name, line.state) if line is not None else None

        self.monitor_bar = MonitorBar(monitor, picked)
        self._left_layout.addWidget(self.monitor_bar)
        return self.monitor_bar

    def attach_paused_calls(self, paused: PausedCalls) -> PausedCallsView:
        """The calls whose recording is paused now (issue 20), under the agents."""
        self.paused_calls_view = PausedCallsView(paused)
        self._left_layout.addWidget(self.paused_calls_view)
        return self.paused_calls_view

    def attach_adherence(self, adherence: AdherenceService) -> QLabel:
        """Adherence per agent (issue 21): three columns of the agents' table, shown once the
        server answers (contract 1.8); an older server's board says it plans no shifts."""
        self._adherence = adherence
        self.adherence_label = QLabel()
        self.adherence_label.setObjectName("adherenceNote")
        self.adherence_label.setWordWrap(True)
        self._left_layout.insertWidget(self._left_layout.indexOf(self.agents_view) + 1,
                                       self.adherence_label)  # fmt: skip
        adherence.changed.connect(self._show_adherence)
        adherence.supported_changed.connect(self._adherence_supported)
        self._adherence_supported(adherence.supported)
        if adherence.current is not None:
            self._show_adherence(adherence.current)
        return self.adherence_label

    _adherence: AdherenceService | None = None

    def _adherence_supported(self, supported: bool | None) -> None:
        for column in ADHERENCE_COLUMNS:
            self.agents_view.setColumnHidden(column, supported is not True)
        self._adherence_note()

    def _show_adherence(self, adherence: Adherence) -> None:
        self.agents.set_adherence(adherence.agents)
        self._adherence_note()

    def _adherence_note(self) -> None:
        service = self._adherence
        if service is None:
            return
        current = service.current
        if service.supported is False:
            text = self.tr("This server does not plan shifts: no adherence on the board.")
        elif current is not None and not current.roster_published:
            text = self.tr(
                "No published roster covers today: every agent counts as scheduled off. "
                "Rosters are published in Tools ▸ Workforce."
            )
        elif current is not None:
            out = sum(1 for a in current.agents.values() if not a.in_adherence)
            text = self.tr("Adherence to the published roster: %1 of %2 agents out now.")
            text = text.replace("%1", str(out)).replace("%2", str(len(current.agents)))
        else:
            text = ""
        self.adherence_label.setText(text)
        self.adherence_label.setVisible(bool(text))

    def selected_agent(self) -> AgentLine | None:
        rows = self.agents_view.selectionModel().selectedRows()
        if not rows:
            return None
        line = rows[0].data(LINE_ROLE)
        return line if isinstance(line, AgentLine) else None

    def select_agent(self, user_id: int) -> None:
        model = self.agents_view.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            line = index.data(LINE_ROLE)
            if isinstance(line, AgentLine) and line.user_id == user_id:
                self.agents_view.selectRow(row)
                return

    def _force_selected(self, state: AgentState, reason: str) -> None:
        agent = self.selected_agent()
        if agent is None:
            self._say(self.tr("Choose an agent first."))
            return
        self.service.force_state(agent.user_id, state, reason)

    def _log_out_selected(self) -> None:
        agent = self.selected_agent()
        if agent is None:
            self._say(self.tr("Choose an agent first."))
            return
        self.service.log_out(agent.user_id)

    def _agent_menu(self, point: QPoint) -> None:
        index = self.agents_view.indexAt(point)
        if not index.isValid():
            return
        self.agents_view.selectRow(index.row())
        menu = QMenu(self)
        menu.addActions(self.state_menu.actions())
        menu.addSeparator()
        menu.addAction(self.tr("Log out"), self._log_out_selected)
        menu.popup(self.agents_view.viewport().mapToGlobal(point))

    def open_message_dialog(self) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Message the team"))
        dialog.setLabelText(self.tr("Shown on every desk of your team:"))
        dialog.textValueSelected.connect(self.service.broadcast)
        return self._open(dialog)

    def open_thresholds(self) -> ThresholdsDialog:
        dialog = ThresholdsDialog(self.service.thresholds, self)

        def chosen() -> None:
            # The team's on the server (shown once it has them), or this desk's at once.
            self.service.set_thresholds(dialog.thresholds())
            self._show_thresholds()

        dialog.accepted.connect(chosen)
        self._open(dialog)
        return dialog

    # -- escalations ----------------------------------------------------------------------------

    def selected_item(self) -> WorkItem | None:
        rows = self.work_view.selectionModel().selectedRows()
        if not rows:
            return None
        line = rows[0].data(LINE_ROLE)
        return line if isinstance(line, WorkItem) else None

    def select_item(self, key: str) -> None:
        model = self.work_view.model()
        for row in range(model.rowCount()):
            line = model.index(row, 0).data(LINE_ROLE)
            if isinstance(line, WorkItem) and line.key == key:
                self.work_view.selectRow(row)
                return

    def _item_or_say(self) -> WorkItem | None:
        item = self.selected_item()
        if item is None:
            self._say(self.tr("Choose an escalation or issue first."))
        return item

    def open_reassign(self) -> QInputDialog | None:
        item = self._item_or_say()
        if item is None:
            return None
        agents = self.service.agents()
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Reassign"))
        dialog.setLabelText(self.tr("Give %1 to:").replace("%1", item.title))
        dialog.setComboBoxItems([name for _id, name in agents])
        dialog.setComboBoxEditable(False)
        ids = {name: user_id for user_id, name in agents}
        dialog.textValueSelected.connect(
            lambda name: self.service.reassign(item.ticket_ids, ids[name]) if name in ids else None
        )
        return self._open(dialog)

    def open_comment(self) -> QInputDialog | None:
        item = self._item_or_say()
        if item is None:
            return None
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Comment"))
        dialog.setLabelText(self.tr("Your comment on %1:").replace("%1", item.title))
        dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        dialog.textValueSelected.connect(lambda text: self.service.comment(item.ticket_ids, text))
        return self._open(dialog)

    def _call_selected(self) -> None:
        item = self._item_or_say()
        if item is not None and item.ticket_ids:
            self.service.call_customer(item.ticket_ids[0])

    def _open(self, dialog: D) -> D:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: self._closed(d))
        dialog.open()
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
