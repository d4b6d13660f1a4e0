"""Forecast and staffing for the week (the Workforce window's second page): the lead's target
(service level within a time, average handle time, shrinkage), the forecast's own error on
held-out days beside the naive baseline (the same weekday of the last 4 weeks) said plainly,
the week's public holidays and adjusted working days (调休), and the chart of calls forecast,
agents required and agents scheduled by the week's roster.
"""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.workforce import WeekPlan
from agent_desktop.ui.workforce.staffing_chart import StaffingChart, StaffingSeries
from sync.contract.wfm import DayKind, ForecastOut, RosterOut, StaffingTarget


def series_of(plan: WeekPlan, roster: RosterOut | None) -> StaffingSeries:
    """The chart's numbers: the staffing's calls and agents required, and the roster's agents
    scheduled per interval (none without a roster)."""
    calls = [c for day in plan.staffing.days for c in day.calls]
    required = [float(r) for day in plan.staffing.days for r in day.agents_required]
    scheduled: list[float] | None = None
    if roster is not None:
        by_day = {c.day: c.scheduled for c in roster.coverage}
        scheduled = []
        for day in plan.staffing.days:
            counts = by_day.get(day.day, [0] * len(day.calls))
            scheduled.extend(float(s) for s in counts)
    start = plan.staffing.days[0].day if plan.staffing.days else plan.week
    return StaffingSeries(datetime.combine(start, time()), calls, required, scheduled)


def _sentences(*parts: str) -> str:
    """Sentences one after the other: a space after an English full stop, none after a
    Chinese one (。)."""
    out = ""
    for part in parts:
        out += ("" if not out or out.endswith(("。", "）")) else " ") + part
    return out


class StaffingPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffingPage")
        self.level_spin = QDoubleSpinBox()
        self.level_spin.setRange(1, 99)
        self.level_spin.setDecimals(0)
        self.level_spin.setSuffix(" %")
        self.level_spin.setValue(80)
        self.within_spin = QSpinBox()
        self.within_spin.setRange(1, 3600)
        self.within_spin.setSuffix(self.tr(" s"))
        self.within_spin.setValue(20)
        self.aht_spin = QSpinBox()
        self.aht_spin.setRange(10, 7200)
        self.aht_spin.setSuffix(self.tr(" s"))
        self.aht_spin.setValue(300)
        self.shrinkage_spin = QDoubleSpinBox()
        self.shrinkage_spin.setRange(0, 80)
        self.shrinkage_spin.setDecimals(0)
        self.shrinkage_spin.setSuffix(" %")
        self.shrinkage_spin.setValue(30)
        self.calculate_button = QPushButton(self.tr("Calculate"))
        self.calculate_button.setObjectName("calculateStaffing")
        form = QFormLayout()
        for text, field in (
            (self.tr("Service level target"), self.level_spin),
            (self.tr("Answered within"), self.within_spin),
            (self.tr("Average handle time"), self.aht_spin),
            (self.tr("Shrinkage (breaks, training, absence)"), self.shrinkage_spin),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            field.setAccessibleName(text)
            form.addRow(label, field)
        form.addRow(self.calculate_button)
        self.accuracy_label = QLabel()
        self.accuracy_label.setObjectName("forecastAccuracy")
        self.accuracy_label.setWordWrap(True)
        self.calendar_label = QLabel()
        self.calendar_label.setObjectName("forecastCalendar")
        self.calendar_label.setWordWrap(True)
        self.totals_label = QLabel()
        self.totals_label.setObjectName("staffingTotals")
        self.totals_label.setWordWrap(True)
        notes = QVBoxLayout()
        notes.addWidget(self.accuracy_label)
        notes.addWidget(self.calendar_label)
        notes.addWidget(self.totals_label)
        notes.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(form)
        top.addLayout(notes, 1)
        self.chart = StaffingChart()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.chart, 1)

    def target(self) -> StaffingTarget:
        return StaffingTarget(
            service_level_pct=self.level_spin.value(),
            answer_within_s=self.within_spin.value(),
            aht_s=self.aht_spin.value(),
            shrinkage_pct=self.shrinkage_spin.value(),
        )

    def show_plan(self, plan: WeekPlan) -> None:
        self.accuracy_label.setText(self.accuracy_text(plan.forecast))
        self.calendar_label.setText(self.calendar_text(plan.forecast))
        series = series_of(plan, plan.roster)
        self.chart.show_series(series)
        calls = sum(series.calls)
        peak = max(series.required, default=0.0)
        text = (
            self.tr("The week: about %1 calls forecast; at the peak %2 agents to schedule.")
            .replace("%1", f"{calls:.0f}")
            .replace("%2", f"{peak:.0f}")
        )
        if series.scheduled is not None:
            text = _sentences(
                text,
                self.tr("The roster leaves %1 intervals under-staffed and %2 over-staffed.")
                .replace("%1", str(series.under_intervals()))
                .replace("%2", str(series.over_intervals())),
            )
        else:
            text = _sentences(text, self.tr("No roster for this week yet."))
        self.totals_label.setText(text)

    def accuracy_text(self, forecast: ForecastOut) -> str:
        accuracy = forecast.accuracy
        if accuracy is None:
            return self.tr(
                "Too little history (%1 days) to measure the forecast's error yet."
            ).replace("%1", str(forecast.history_days))
        method, naive = accuracy.method, accuracy.naive
        better = method.interval_wape_pct < naive.interval_wape_pct
        verdict = (
            self.tr("The forecast beats the naive one.")
            if better
            else self.tr("The forecast does NOT beat the naive one: treat it with care.")
        )
        return (
            self.tr(
                "Forecast error on the held-out days %1 – %2: per 15 minutes %3 % (naive "
                "forecast from the same weekday of the last 4 weeks: %4 %); per day %5 % on "
                "average, %6 % at worst (naive: %7 %, %8 %). %9"
            )
            .replace("%1", accuracy.held_out_from.isoformat())
            .replace("%2", accuracy.held_out_to.isoformat())
            .replace("%3", f"{method.interval_wape_pct:.1f}")
            .replace("%4", f"{naive.interval_wape_pct:.1f}")
            .replace("%5", f"{method.daily_mape_pct:.1f}")
            .replace("%6", f"{method.daily_worst_pct:.1f}")
            .replace("%7", f"{naive.daily_mape_pct:.1f}")
            .replace("%8", f"{naive.daily_worst_pct:.1f}")
            .replace("%9", verdict)
        )

    def calendar_text(self, forecast: ForecastOut) -> str:
        parts = []
        for day in forecast.days:
            if day.kind is DayKind.HOLIDAY:
                parts.append(
                    self.tr("%1 is a public holiday (%2).")
                    .replace("%1", day.day.isoformat())
                    .replace("%2", day.holiday_name or "—")
                )
            elif day.kind is DayKind.ADJUSTED_WORKDAY:
                parts.append(
                    self.tr("%1 is a working day in exchange for a holiday (调休).").replace(
                        "%1", day.day.isoformat()
                    )
                )
        if forecast.holidays_unknown_from is not None:
            parts.append(
                self.tr(
                    "The holiday calendar has no data from %1: holidays and adjusted working "
                    "days are unknown there and forecast as ordinary days."
                ).replace("%1", forecast.holidays_unknown_from.isoformat())
            )
        return _sentences(*parts) or self.tr("No public holiday this week.")
