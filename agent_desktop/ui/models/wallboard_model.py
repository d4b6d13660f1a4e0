"""The wallboard's tables: agents, queues, the alert log, and escalations to act on.

Each model holds what the wallboard service last published (``Board``) and never asks the
cache or the server. A new board updates rows in place (``dataChanged`` on the rows that
differ) when the same rows are shown, so selection and scrolling survive a live update; the
agents' time in state moves each second from ``tick`` alone, by arithmetic on ``since``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from agent_desktop.services.wallboard import AgentLine, AlertEntry, QueueLine, WorkItem
from agent_desktop.ui.appearance import colour
from agent_desktop.ui.durations import remaining, span
from agent_desktop.ui.durations import stopwatch as duration
from agent_desktop.ui.escalation_text import escalation_text
from agent_desktop.ui.palette import ColourRole
from sync.contract.alive import LOST_CONTACT
from sync.contract.records import AgentState
from sync.contract.wallboard import ANSWER_RATE_TARGET, Alert, AlertKind
from sync.contract.wfm import Activity, AgentAdherence

Index = QModelIndex | QPersistentModelIndex
LINE_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's line (AgentLine, QueueLine, …)
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_COLOURS = {
    AgentState.READY: ColourRole.READY,
    AgentState.NOT_READY: ColourRole.NOT_READY,
    AgentState.ON_CALL: ColourRole.TALKING,
    AgentState.WRAP_UP: ColourRole.WRAP_UP,
    AgentState.LOGGED_OUT: ColourRole.LOGGED_OUT,
}
# Logged out by the server because the desk went silent (crash, power, network): not the
# agent's choice, so the lead should see it apart from a sign-out.
LOST_COLOUR = ColourRole.LOST_CONTACT
L = TypeVar("L")


def percent(fraction: float | None) -> str:
    return "—" if fraction is None else f"{fraction * 100:.0f}%"


def local_time(stamp: datetime | None) -> str:
    return stamp.astimezone().strftime("%H:%M:%S") if stamp is not None else ""


class _LinesModel(QAbstractTableModel, Generic[L]):
    """Rows keyed by ``_key``: a board with the same keys in the same order updates in place."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[L] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def _key(self, line: L) -> object:
        raise NotImplementedError

    def _headers(self) -> Sequence[str]:
        raise NotImplementedError

    def set_lines(self, lines: Sequence[L]) -> None:
        new = list(lines)
        if [self._key(x) for x in new] != [self._key(x) for x in self._lines]:
            self.beginResetModel()
            self._lines = new
            self.endResetModel()
            return
        old, self._lines = self._lines, new
        last = self.columnCount() - 1
        for row, (before, after) in enumerate(zip(old, new, strict=True)):
            if before != after:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def line(self, row: int) -> L:
        return self._lines[row]

    def lines(self) -> list[L]:
        return list(self._lines)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        headers = self._headers()
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(headers)
        ):
            return headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        if role == LINE_ROLE:
            return line
        return self._data(line, index.column(), role)

    def _data(self, line: L, column: int, role: int) -> Any:
        raise NotImplementedError


# -- agents -----------------------------------------------------------------------------------

(A_NAME, A_STATE, A_IN_STATE, A_CALL, A_HANDLED, A_AHT) = range(6)
# Adherence (contract 1.8, issue 21): the roster's activity now, in or out since, % today.
(A_SCHEDULED, A_ADHERENCE, A_ADHERENCE_TODAY) = range(6, 9)
ADHERENCE_COLUMNS = (A_SCHEDULED, A_ADHERENCE, A_ADHERENCE_TODAY)


class AgentsModel(_LinesModel[AgentLine]):
    def __init__(self, now: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._at = now()
        self.reason_labels: dict[str, str] = {}
        self.adherence: dict[int, AgentAdherence] = {}  # by agent id (AdherenceService)

    def set_adherence(self, adherence: dict[int, AgentAdherence]) -> None:
        """The server's adherence now: only its columns change."""
        self.adherence = dict(adherence)
        if self._lines:
            self.dataChanged.emit(
                self.index(0, A_SCHEDULED), self.index(len(self._lines) - 1, A_ADHERENCE_TODAY)
            )

    def activity_text(self, activity: Activity) -> str:
        return {
            Activity.OFF: self.tr("Off"),
            Activity.WORK: self.tr("Working"),
            Activity.BREAK: self.tr("Break"),
            Activity.LUNCH: self.tr("Lunch"),
        }[activity]

    def adherence_text(self, adherence: AgentAdherence) -> str:
        held = self._since(adherence)
        if adherence.in_adherence:
            return self.tr("In")
        return self.tr("Out %1").replace("%1", duration(held)).strip()

    def _since(self, adherence: AgentAdherence) -> float | None:
        if adherence.since is None:
            return None
        return max(0.0, (self._at - adherence.since).total_seconds())

    def _key(self, line: AgentLine) -> object:
        return line.user_id

    def _headers(self) -> Sequence[str]:
        return (
            self.tr("Agent"),
            self.tr("State"),
            self.tr("Time in state"),
            self.tr("Current call"),
            self.tr("Calls handled today"),
            self.tr("Average handle time"),
            self.tr("Scheduled"),
            self.tr("Adherence"),
            self.tr("% today"),
        )

    def state_text(self, state: AgentState) -> str:
        return {
            AgentState.LOGGED_OUT: self.tr("Logged out"),
            AgentState.READY: self.tr("Ready"),
            AgentState.NOT_READY: self.tr("Not ready"),
            AgentState.ON_CALL: self.tr("On call"),
            AgentState.WRAP_UP: self.tr("Wrap-up"),
        }[state]

    @staticmethod
    def lost(line: AgentLine) -> bool:
        return line.state is AgentState.LOGGED_OUT and line.reason == LOST_CONTACT

    def _colour(self, line: AgentLine) -> QColor:
        return colour(LOST_COLOUR if self.lost(line) else STATE_COLOURS[line.state])

    def tick(self) -> None:
        """A second passed: only the clock columns change (no query, no reset)."""
        self._at = self._now()
        if self._lines:
            last = len(self._lines) - 1
            self.dataChanged.emit(
                self.index(0, A_IN_STATE),
                self.index(last, A_CALL),
                [Qt.ItemDataRole.DisplayRole, SORT_ROLE],
            )
            if self.adherence:  # out of adherence for …: a clock too
                self.dataChanged.emit(
                    self.index(0, A_ADHERENCE),
                    self.index(last, A_ADHERENCE),
                    [Qt.ItemDataRole.DisplayRole, SORT_ROLE],
                )

    def set_lines(self, lines: Sequence[AgentLine]) -> None:
        self._at = self._now()
        super().set_lines(lines)

    def _seconds(self, line: AgentLine) -> float | None:
        if line.since is None:
            return None
        return max(0.0, (self._at - line.since).total_seconds())

    def _data(self, line: AgentLine, column: int, role: int) -> Any:
        if column in ADHERENCE_COLUMNS:
            return self._adherence_data(self.adherence.get(line.user_id), column, role)
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return self._value(line, column, role == SORT_ROLE)
        if role == Qt.ItemDataRole.BackgroundRole and line.alert:
            return QBrush(colour(ColourRole.ALERT_BACKGROUND))
        if role == Qt.ItemDataRole.ForegroundRole and column == A_STATE:
            return QBrush(self._colour(line))
        if role == Qt.ItemDataRole.FontRole and column == A_IN_STATE and line.alert:
            return self._bold
        if role == Qt.ItemDataRole.DecorationRole and column == A_STATE:
            return self._colour(line)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= A_IN_STATE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and line.alert:
            return self.tr("Not ready beyond your limit")
        if role == Qt.ItemDataRole.ToolTipRole and column == A_STATE and self.lost(line):
            return self.tr(
                "The agent's desk stopped answering (closed by a crash, a power cut or the "
                "network); the agent was logged out so no call is offered to it."
            )
        return None

    def _adherence_data(self, adh: AgentAdherence | None, column: int, role: int) -> Any:
        if adh is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return "—"
            return -1.0 if role == SORT_ROLE else None
        if role in (SORT_ROLE, Qt.ItemDataRole.DisplayRole):
            return self._adherence_value(adh, column, role == SORT_ROLE)
        if role == Qt.ItemDataRole.ForegroundRole and column == A_ADHERENCE:
            return QBrush(colour(ColourRole.SUCCESS if adh.in_adherence else ColourRole.ERROR))
        if role == Qt.ItemDataRole.FontRole and column == A_ADHERENCE and not adh.in_adherence:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and column == A_ADHERENCE:
            since = local_time(adh.since)
            if adh.in_adherence:
                return self.tr("In adherence since %1").replace("%1", since) if since else None
            return (
                self.tr("Out of adherence since %1: scheduled %2, actually %3")
                .replace("%1", since or "—")
                .replace("%2", self.activity_text(adh.scheduled))
                .replace("%3", self.state_text(adh.actual))
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column == A_ADHERENCE_TODAY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _adherence_value(self, adh: AgentAdherence, column: int, raw: bool) -> Any:
        if column == A_SCHEDULED:
            return adh.scheduled.value if raw else self.activity_text(adh.scheduled)
        if column == A_ADHERENCE:
            if raw:  # the longest out first when sorted descending
                return -1.0 if adh.in_adherence else (self._since(adh) or 0.0)
            return self.adherence_text(adh)
        pct = adh.adherence_pct_today
        if raw:
            return -1.0 if pct is None else pct
        return "—" if pct is None else f"{pct:.0f}%"

    def _value(self, line: AgentLine, column: int, raw: bool) -> Any:
        seconds = self._seconds(line)
        on_call = line.state is AgentState.ON_CALL
        if column == A_NAME:
            return line.name
        if column == A_STATE:
            if self.lost(line):
                return LOST_CONTACT if raw else self.tr("Lost contact")
            text = self.state_text(line.state)
            if line.reason and line.state is AgentState.NOT_READY:
                text += f" ({self.reason_labels.get(line.reason, line.reason)})"
            return line.state.value if raw else text
        if column == A_IN_STATE:
            return (seconds or 0.0) if raw else duration(seconds)
        if column == A_CALL:
            if raw:
                return (seconds or 0.0) if on_call else -1.0
            return duration(seconds) if on_call else ""
        if column == A_HANDLED:
            return line.handled
        if column == A_AHT:
            return (line.aht_s or 0.0) if raw else duration(line.aht_s)
        return None


# -- queues -----------------------------------------------------------------------------------

(Q_NAME, Q_WAITING, Q_LONGEST, Q_ANSWERED, Q_ABANDONED, Q_SERVICE, Q_ANSWER_RATE) = range(7)


class QueuesModel(_LinesModel[QueueLine]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.answer_within_s = 20
        self.service_target: float | None = 0.8
        self.queue_targets: dict[str, float] = {}  # a queue's own target, where set (1.6)

    def _key(self, line: QueueLine) -> object:
        return line.id

    def _headers(self) -> Sequence[str]:
        return (
            self.tr("Queue"),
            self.tr("Waiting"),
            self.tr("Longest wait"),
            self.tr("Answered"),
            self.tr("Abandoned"),
            self.tr("Service level (%1 s)").replace("%1", str(self.answer_within_s)),
            self.tr("Answer rate (target %1)").replace("%1", percent(ANSWER_RATE_TARGET)),
        )

    def set_answer_within(self, seconds: int, target: float | None) -> None:
        changed = seconds != self.answer_within_s
        self.answer_within_s, self.service_target = seconds, target
        if changed:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, Q_SERVICE, Q_SERVICE)

    def _data(self, line: QueueLine, column: int, role: int) -> Any:
        values: tuple[Any, ...] = (
            line.name,
            line.waiting,
            line.longest_wait_s,
            line.answered,
            line.abandoned,
            line.service_level,
            line.answer_rate,
        )
        if role == SORT_ROLE:
            value = values[column]
            return -1.0 if value is None else value
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Q_LONGEST:  # nobody waiting: no longest wait, not a frozen 0:35
                return duration(line.longest_wait_s) if line.waiting else "—"
            if column == Q_NAME and not line.name:
                return self.tr("(no queue)")
            if column in (Q_SERVICE, Q_ANSWER_RATE):
                return percent(values[column])
            return values[column]
        if role == Qt.ItemDataRole.BackgroundRole and line.alert:
            return QBrush(colour(ColourRole.ALERT_BACKGROUND))
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != Q_NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column in (Q_WAITING, Q_SERVICE):
            return self._bold
        return None

    def _colour(self, line: QueueLine, column: int) -> QBrush | None:
        target = self.queue_targets.get(line.name, self.service_target)
        if column == Q_SERVICE and line.service_level is not None and target:
            good = line.service_level >= target
            return QBrush(colour(ColourRole.SUCCESS if good else ColourRole.ERROR))
        if column == Q_ANSWER_RATE and line.answer_rate is not None:
            return QBrush(
                colour(
                    ColourRole.SUCCESS
                    if line.answer_rate >= ANSWER_RATE_TARGET
                    else ColourRole.ERROR
                )
            )
        return None


# -- alerts -----------------------------------------------------------------------------------

(L_FIRED, L_ALERT, L_CLEARED, L_ACKED) = range(4)


class AlertsModel(_LinesModel[AlertEntry]):
    """The alert log, newest first; alerts that still hold are highlighted. The server's alerts
    (contract 1.6) say who acknowledged them and when."""

    def _key(self, line: AlertEntry) -> object:
        return (line.alert.key, line.fired_at) if line.id is None else line.id

    def _headers(self) -> Sequence[str]:
        return (self.tr("Fired"), self.tr("Alert"), self.tr("Cleared"), self.tr("Acknowledged"))

    def acknowledged(self, line: AlertEntry) -> str:
        if line.acked_at is None:
            return ""
        return (
            self.tr("%1 at %2")
            .replace("%1", line.acked_by)
            .replace("%2", local_time(line.acked_at))
        )

    def set_entries(self, entries: Sequence[AlertEntry]) -> None:
        self.set_lines(list(reversed(entries)))

    def describe(self, alert: Alert) -> str:
        value, limit = alert.value, alert.limit
        return (
            {
                AlertKind.QUEUE_WAITING: self.tr("%1: %2 calls waiting (limit %3)"),
                AlertKind.LONGEST_WAIT: self.tr("%1: a caller has waited %2 (limit %3)"),
                AlertKind.SERVICE_LEVEL: self.tr("%1: service level %2, below %3"),
                AlertKind.NOT_READY: self.tr("%1: not ready for %2 (limit %3)"),
                AlertKind.COMPLAINT_BREACH: self.tr("Complaint %1 breaches its deadline in %2"),
            }[alert.kind]
            .replace("%1", alert.subject)
            .replace("%2", self._amount(alert.kind, value))
            .replace("%3", self._amount(alert.kind, limit))
        )

    @staticmethod
    def _amount(kind: AlertKind, value: float) -> str:
        if kind is AlertKind.QUEUE_WAITING:
            return str(int(value))
        if kind is AlertKind.SERVICE_LEVEL:
            return percent(value)
        if kind is AlertKind.COMPLAINT_BREACH:
            return span(value)  # a deadline: "11 h 59 min", not "11:59:49"
        return duration(value)

    def _data(self, line: AlertEntry, column: int, role: int) -> Any:
        active = line.cleared_at is None
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if column == L_FIRED:
                return local_time(line.fired_at)
            if column == L_ALERT:
                return self.describe(line.alert)
            if column == L_ACKED:
                return self.acknowledged(line)
            return local_time(line.cleared_at) if line.cleared_at else self.tr("active")
        if role == Qt.ItemDataRole.BackgroundRole and active:
            return QBrush(colour(ColourRole.ALERT_BACKGROUND))
        if role == Qt.ItemDataRole.ForegroundRole and active:
            return QBrush(colour(ColourRole.ERROR))
        if role == Qt.ItemDataRole.FontRole and active:
            return self._bold
        return None


# -- escalations and recurring issues -----------------------------------------------------------

(W_KIND, W_TITLE, W_DETAIL, W_DUE) = range(4)


class WorkItemsModel(_LinesModel[WorkItem]):
    def __init__(
        self, now: Callable[[], datetime], parent: QObject | None = None, *, chinese: bool = False
    ) -> None:
        super().__init__(parent)
        self._now = now
        self._chinese = chinese  # which of the centre's level labels to show

    def _key(self, line: WorkItem) -> object:
        return line.key

    def _headers(self) -> Sequence[str]:
        return (self.tr("Kind"), self.tr("Ticket / issue"), self.tr("Details"), self.tr("Due"))

    def kind_text(self, line: WorkItem) -> str:
        if line.kind == "escalation":
            level = escalation_text(
                max(1, line.level),
                line.escalated_to,
                line.escalation_target,
                line.escalation_label_en,
                line.escalation_label_zh,
                chinese=self._chinese,
            )
            return self.tr("Escalated: %1").replace("%1", level)
        if line.kind == "complaint":
            return self.tr("Complaint near deadline")
        return self.tr("Recurring issue")

    def _data(self, line: WorkItem, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if column == W_KIND:
                return self.kind_text(line)
            if column == W_TITLE:
                return line.title
            if column == W_DETAIL:
                if line.kind == "recurring":
                    return self.tr("%1 open tickets in a week").replace("%1", line.detail)
                return line.detail
            if line.due_at is None:
                return ""
            left = (line.due_at - self._now()).total_seconds()
            if role == SORT_ROLE:
                return left
            return remaining(left)
        if role == Qt.ItemDataRole.BackgroundRole and line.alert:
            return QBrush(colour(ColourRole.ALERT_BACKGROUND))
        if role == Qt.ItemDataRole.ForegroundRole and column == W_KIND:
            return QBrush(
                colour(ColourRole.ERROR if line.kind != "recurring" else ColourRole.PENDING)
            )
        if role == Qt.ItemDataRole.ToolTipRole and line.kind == "recurring":
            return self.tr("Tickets: %1").replace("%1", ", ".join(map(str, line.ticket_ids)))
        return None
