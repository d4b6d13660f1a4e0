"""The roster as a grid: one row per agent, one column per day of the week; a cell is the
agent's shift that day (pattern, hours, break and lunch) or a day off.

The model holds the roster the server last answered (``RosterOut``) and the lead's changes
since (a cell's pattern changed, or made a day off); ``roster_in`` is what Save and Publish
send. A changed cell is drawn in italics with a note that the server places its break and
lunch when it is saved. The header of each day says how many of its intervals are under- and
over-staffed (from the server's coverage) and is coloured when any is under-staffed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from agent_desktop.ui.appearance import colour
from agent_desktop.ui.palette import ColourRole
from agent_desktop.ui.workforce.staffing_chart import OVER_BY
from sync.contract.wallboard import centre_zone
from sync.contract.wfm import (
    WEEK_DAYS,
    AssignmentIn,
    AssignmentOut,
    RosterIn,
    RosterOut,
    ShiftPattern,
)

Index = QModelIndex | QPersistentModelIndex
CELL_ROLE = Qt.ItemDataRole.UserRole + 1  # the cell's RosterCell (or None: a day off)
DAY_OFF = ""  # the pattern key of "no shift"


@dataclass(frozen=True, slots=True)
class RosterCell:
    agent_id: int
    day: date
    pattern_key: str
    shown: AssignmentOut | None  # as the server placed it; None: the lead's change, unsaved


def _clock(stamp: datetime, zone: tzinfo) -> str:
    """The centre's wall clock: shift patterns are written in it, whatever the PC's zone."""
    local = stamp.astimezone(zone)
    return f"{local.hour:02d}:{local.minute:02d}"


_ROLES = frozenset(
    {
        CELL_ROLE,
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
    }
)


class RosterModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.roster: RosterOut | None = None
        self.week: date | None = None
        self.patterns: dict[str, ShiftPattern] = {}
        self._agents: list[tuple[int, str]] = []
        self._cells: dict[tuple[int, date], RosterCell] = {}
        self._changed: set[tuple[int, date]] = set()
        # Worked out once per roster, not per paint: a 200-agent grid asks data() and
        # headerData() thousands of times a frame (bench/bench_workforce_ui.py).
        self._texts: dict[tuple[int, date], str] = {}
        self._days: dict[int, int] = {}
        self._staffing: list[tuple[int, int]] = []
        self._week_days: list[date] = []
        self._zone = centre_zone()
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- filling ---------------------------------------------------------------------------------

    def set_patterns(self, patterns: Sequence[ShiftPattern]) -> None:
        self.patterns = {p.key: p for p in patterns}
        self._texts = {}
        if self._agents:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._agents) - 1, WEEK_DAYS - 1)
            )

    def set_roster(
        self, roster: RosterOut | None, week: date, agents: Sequence[tuple[int, str]] = ()
    ) -> None:
        """The server's roster of ``week`` (None: none yet), with the lead's changes dropped.
        ``agents`` (id, name) adds the team's agents the roster gives no shift."""
        self.beginResetModel()
        self.roster, self.week = roster, week
        self._week_days = [week + timedelta(days=n) for n in range(WEEK_DAYS)]
        self._cells, self._changed = {}, set()
        names: dict[int, str] = dict(agents)
        for shift in roster.assignments if roster is not None else ():
            names.setdefault(shift.agent_id, shift.agent_name or f"#{shift.agent_id}")
            if shift.agent_name:
                names[shift.agent_id] = shift.agent_name
            self._cells[(shift.agent_id, shift.day)] = RosterCell(
                shift.agent_id, shift.day, shift.pattern_key, shift
            )
        self._agents = sorted(names.items(), key=lambda item: item[1])
        self._texts = {}
        self._count_days()
        self._staffing = [self._staffing_of(column) for column in range(WEEK_DAYS)]
        self.endResetModel()

    def _count_days(self) -> None:
        self._days = {}
        for agent_id, _day in self._cells:
            self._days[agent_id] = self._days.get(agent_id, 0) + 1

    # -- the lead's changes ----------------------------------------------------------------------

    @property
    def changed(self) -> bool:
        return bool(self._changed)

    def day(self, column: int) -> date:
        assert self.week is not None
        return self.week + timedelta(days=column)

    def agent(self, row: int) -> tuple[int, str]:
        return self._agents[row]

    def cell(self, row: int, column: int) -> RosterCell | None:
        agent_id = self._agents[row][0]
        return self._cells.get((agent_id, self.day(column)))

    def set_shift(self, row: int, column: int, pattern_key: str) -> None:
        """The lead's change: ``pattern_key`` on that day, or ``DAY_OFF``."""
        agent_id, day = self._agents[row][0], self.day(column)
        key = (agent_id, day)
        before = self._cells.get(key)
        if pattern_key == DAY_OFF:
            if before is None:
                return
            del self._cells[key]
        else:
            if before is not None and before.pattern_key == pattern_key:
                return
            self._cells[key] = RosterCell(agent_id, day, pattern_key, None)
        self._changed.add(key)
        self._texts.pop(key, None)
        self._count_days()
        index = self.index(row, column)
        self.dataChanged.emit(index, index)
        self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)

    def roster_in(self, publish: bool) -> RosterIn:
        """What Save (or Publish) sends: every shift, the server's placement of breaks kept
        for cells the lead did not change."""
        assignments = []
        for cell in sorted(self._cells.values(), key=lambda c: (c.agent_id, c.day)):
            shown = cell.shown
            assignments.append(
                AssignmentIn(
                    agent_id=cell.agent_id,
                    day=cell.day,
                    pattern_key=cell.pattern_key,
                    break_starts_min=list(shown.break_starts_min) if shown else None,
                    lunch_start_min=shown.lunch_start_min if shown else None,
                )
            )
        version = self.roster.version if self.roster is not None else 0
        return RosterIn(assignments=assignments, publish=publish, version=version)

    def shifts_of(self, agent_id: int) -> int:
        return self._days.get(agent_id, 0)

    # -- Qt --------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._agents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.week is None else WEEK_DAYS

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._agents):
                name = self._agents[section][1]
                days = self.shifts_of(self._agents[section][0])
                return self.tr("%1 (%2 d)").replace("%1", name).replace("%2", str(days))
            return None
        if self.week is None or not 0 <= section < WEEK_DAYS:
            return None
        under, over = self._staffing[section] if self._staffing else (0, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            day = self.day(section)
            title = f"{self.weekday(day)} {day.month}/{day.day}"
            if self.roster is None or self.changed:
                return title
            return (
                title
                + "\n"
                + self.tr("%1 under · %2 over").replace("%1", str(under)).replace("%2", str(over))
            )
        if role == Qt.ItemDataRole.ForegroundRole and under and not self.changed:
            return QBrush(colour(ColourRole.ERROR))
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                self.tr(
                    "Intervals of 15 minutes this day with fewer agents than required: %1; with "
                    "%2 or more agents spare: %3"
                )
                .replace("%1", str(under))
                .replace("%2", f"{OVER_BY:g}")
                .replace("%3", str(over))
            )
        return None

    def weekday(self, day: date) -> str:
        return (
            self.tr("Mon"),
            self.tr("Tue"),
            self.tr("Wed"),
            self.tr("Thu"),
            self.tr("Fri"),
            self.tr("Sat"),
            self.tr("Sun"),
        )[day.weekday()]

    def _staffing_of(self, column: int) -> tuple[int, int]:
        roster = self.roster
        if roster is None:
            return 0, 0
        day = self.day(column)
        for coverage in roster.coverage:
            if coverage.day == day:
                pairs = list(zip(coverage.required, coverage.scheduled, strict=False))
                under = sum(1 for r, s in pairs if s < r)
                over = sum(1 for r, s in pairs if s - r >= OVER_BY)
                return under, over
        return 0, 0

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():
            return None  # (asked for every role of every cell each paint: out early)
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._agents) or not 0 <= column < len(self._week_days):
            return None
        key = (self._agents[row][0], self._week_days[column])
        cell = self._cells.get(key)
        if role == CELL_ROLE:
            return cell
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = self._texts.get(key)
            if text is None:
                text = self._texts[key] = self.cell_text(cell)
            return text
        if role == Qt.ItemDataRole.ToolTipRole and cell is not None and cell.shown is None:
            return self.tr("Changed: the server places the break and lunch when you save.")
        if role == Qt.ItemDataRole.FontRole and cell is not None and cell.shown is None:
            return self._italic
        if role == Qt.ItemDataRole.ForegroundRole and cell is None:
            return QBrush(colour(ColourRole.MUTED))
        if role == Qt.ItemDataRole.BackgroundRole and cell is not None:
            return QBrush(
                colour(ColourRole.ALT_BASE if cell.shown else ColourRole.NOTICE_BACKGROUND)
            )
        return None

    def cell_text(self, cell: RosterCell | None) -> str:
        if cell is None:
            return self.tr("Day off")
        pattern = self.patterns.get(cell.pattern_key)
        shown = cell.shown
        name = (shown.pattern_name if shown else "") or (
            pattern.name if pattern else cell.pattern_key
        )
        if shown is None:
            if pattern is None:
                return name
            start = pattern.start_min
            end = (start + pattern.length_min) % (24 * 60)
            return f"{name}\n{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}"
        zone = self._zone
        lines = [f"{name}", f"{_clock(shown.start, zone)}–{_clock(shown.end, zone)}"]
        pauses = [(m, self.tr("break %1")) for m in shown.break_starts_min]
        if shown.lunch_start_min is not None:
            pauses.append((shown.lunch_start_min, self.tr("lunch %1")))
        for minutes, text in sorted(pauses):  # in the day's order, one a line (columns are narrow)
            at = shown.start + timedelta(minutes=minutes)
            lines.append(text.replace("%1", _clock(at, zone)))
        return "\n".join(lines)
