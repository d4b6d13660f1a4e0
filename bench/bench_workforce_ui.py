"""The lead's workforce screens on the GUI thread (issue 21): what showing the server's answer
costs the frame, beside its floor in the same run.

- A proposed roster of ``--agents`` agents × 7 days shown in the roster grid (model reset,
  the viewport painted; the page's own view settings, ``configure_grid``), beside the same
  texts in a ``QStandardItemModel`` in a ``QTableView`` set up alike (the floor: Qt's own
  model with nothing of ours).
- The week's staffing chart updated in place (672 intervals: bars, two step curves, the
  under/over bars), beside pyqtgraph's bare ``setData`` of the same arrays on new items.

The answers come from ``tests/fakes/workforce.py``'s stand-in (the server's shapes; no
network: what is measured is the GUI thread's part).

    QT_QPA_PLATFORM=offscreen python -m bench.bench_workforce_ui --agents 200 --rounds 15
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time

import pyqtgraph as pg
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView, QVBoxLayout, QWidget

from agent_desktop.ui.workforce.roster_model import RosterModel
from agent_desktop.ui.workforce.roster_page import configure_grid
from agent_desktop.ui.workforce.staffing_chart import StaffingChart, StaffingSeries
from bench.results import Figure, record
from sync.contract.wallboard import centre_zone
from sync.contract.wfm import (
    INTERVALS_PER_DAY,
    WEEK_DAYS,
    AssignmentOut,
    CoverageDay,
    RosterOut,
    RosterStatus,
    ShiftKind,
    SolveStatus,
)

WEEK = date(2026, 12, 7)


def roster_of(agents: int) -> RosterOut:
    zone = centre_zone()
    shifts = []
    for agent in range(1, agents + 1):
        for day in range(WEEK_DAYS):
            if (agent + day) % 7 in (5, 6):
                continue  # two days off
            start = datetime.combine(WEEK + timedelta(days=day), clock_time(8), zone)
            shifts.append(
                AssignmentOut(
                    agent_id=agent, agent_name=f"坐席 {agent:03d}", day=WEEK + timedelta(days=day),
                    pattern_key="day", pattern_name="早班 Day", kind=ShiftKind.DAY, start=start,
                    end=start + timedelta(hours=9), break_starts_min=[90, 420],
                    lunch_start_min=240,
                )
            )  # fmt: skip
    coverage = [
        CoverageDay(
            day=WEEK + timedelta(days=d),
            required=[(i * 7 + d) % 40 for i in range(INTERVALS_PER_DAY)],
            scheduled=[(i * 5 + d) % 40 for i in range(INTERVALS_PER_DAY)],
        )
        for d in range(WEEK_DAYS)
    ]
    return RosterOut(
        team_id=1, week=WEEK, status=RosterStatus.PROPOSED, version=1, assignments=shifts,
        coverage=coverage, under_intervals=0, over_intervals=0, solve_status=SolveStatus.OPTIMAL,
    )  # fmt: skip


def show_grid(view: QTableView, model: RosterModel, roster: RosterOut) -> float:
    started = time.perf_counter()
    model.set_roster(roster, WEEK)
    view.viewport().grab()
    return time.perf_counter() - started


def show_plain(view: QTableView, texts: list[list[str]]) -> float:
    started = time.perf_counter()
    plain = QStandardItemModel(len(texts), WEEK_DAYS)
    for row, cells in enumerate(texts):
        for column, text in enumerate(cells):
            plain.setItem(row, column, QStandardItem(text))
    view.setModel(plain)
    view.viewport().grab()
    return time.perf_counter() - started


def series_of(n: int) -> StaffingSeries:
    count = WEEK_DAYS * INTERVALS_PER_DAY
    calls = [float((i * 13 + n) % 50) for i in range(count)]
    required = [float((i * 7 + n) % 12) for i in range(count)]
    scheduled = [float((i * 5 + n) % 12) for i in range(count)]
    return StaffingSeries(datetime(2026, 12, 7), calls, required, scheduled)


def bare_chart(
    plots: QWidget, calls: pg.PlotWidget, agents: pg.PlotWidget, series: StaffingSeries
) -> float:
    """The same items on two bare plots: calls as bars; required and scheduled as steps; the
    short and spare intervals as bars from one to the other."""
    started = time.perf_counter()
    calls.clear()
    agents.clear()
    xs = [i * 0.25 + 0.125 for i in range(len(series.calls))]
    calls.addItem(pg.BarGraphItem(x=xs, height=list(series.calls), width=0.25))
    edges = [i * 0.25 for i in range(len(series.calls) + 1)]
    agents.plot(edges, list(series.required), stepMode="center")
    assert series.scheduled is not None
    agents.plot(edges, list(series.scheduled), stepMode="center")
    short = [
        (x, r - s, s)
        for x, r, s in zip(xs, series.required, series.scheduled, strict=True)
        if r > s
    ]
    spare = [
        (x, s - r, r)
        for x, r, s in zip(xs, series.required, series.scheduled, strict=True)
        if s - r >= 2
    ]
    for bars in (short, spare):
        agents.addItem(
            pg.BarGraphItem(
                x=[b[0] for b in bars],
                height=[b[1] for b in bars],
                y0=[b[2] for b in bars],
                width=0.25,
            )
        )
    plots.grab()
    return time.perf_counter() - started


def ours_chart(chart: StaffingChart, series: StaffingSeries) -> float:
    started = time.perf_counter()
    chart.show_series(series)
    chart.grab()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    roster = roster_of(args.agents)
    model = RosterModel()
    grid = QTableView()
    grid.setModel(model)
    configure_grid(grid)
    grid.resize(1240, 700)
    grid.show()
    plain_view = QTableView()
    configure_grid(plain_view)
    plain_view.resize(1240, 700)
    plain_view.show()
    model.set_roster(roster, WEEK)
    texts = [
        [str(model.index(r, c).data()) for c in range(WEEK_DAYS)] for r in range(model.rowCount())
    ]
    chart = StaffingChart()
    chart.resize(1240, 420)
    chart.show()
    plots = QWidget()
    layout = QVBoxLayout(plots)
    calls_plot, agents_plot = pg.PlotWidget(), pg.PlotWidget()
    layout.addWidget(calls_plot, 2)
    layout.addWidget(agents_plot, 3)
    plots.resize(1240, 420)
    plots.show()
    app.processEvents()
    grid_s, plain_s, chart_s, bare_s = [], [], [], []
    for n in range(args.rounds):  # interleaved: both see the same machine load
        plain_s.append(show_plain(plain_view, texts))
        grid_s.append(show_grid(grid, model, roster))
        series = series_of(n)
        bare_s.append(bare_chart(plots, calls_plot, agents_plot, series))
        chart_s.append(ours_chart(chart, series))
        app.processEvents()
    figures = [
        Figure(
            f"roster grid shown: {args.agents} agents × 7 days (model reset, painted)",
            statistics.median(grid_s) * 1000,
            "ms",
            floor=statistics.median(plain_s) * 1000,
            floor_what="the same texts in QStandardItemModel + QTableView",
            aim="≤ 2× the floor",
            detail={"max_ms": max(grid_s) * 1000, "cells": float(args.agents * WEEK_DAYS)},
        ),
        Figure(
            "staffing chart updated: 672 intervals (bars, 2 steps, under/over bars, painted)",
            statistics.median(chart_s) * 1000,
            "ms",
            floor=statistics.median(bare_s) * 1000,
            floor_what="the same five items made afresh on two bare pyqtgraph plots, painted",
            aim="≤ 2× the floor",
            detail={"max_ms": max(chart_s) * 1000},
        ),
    ]
    record("workforce_ui", figures, {"agents": args.agents, "rounds": args.rounds})


if __name__ == "__main__":
    main()
