"""The team's shift patterns (day, evening, night, holiday): a list on the left, the chosen
pattern's form on the right (name, kind, start, length, up to two breaks and a lunch with the
windows they may start in, the weekdays it may be worked, whether on public holidays too).

The form builds a ``ShiftPattern`` (the contract checks it: a break that ends after the shift
is refused here with the contract's own sentence, before anything is sent); Save sends the
whole set with the version it was read at (another lead's save since: theirs are shown).
"""

from __future__ import annotations

import re

from pydantic import ValidationError
from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from agent_desktop.services.workforce import WorkforceService
from sync.contract.wfm import (
    INTERVAL_MIN,
    BreakWindow,
    ShiftKind,
    ShiftPattern,
    ShiftPatternsOut,
    Weekday,
)

MAX_BREAKS = 2


def _minutes_spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSingleStep(INTERVAL_MIN)
    spin.setValue(value)
    return spin


class PauseRow(QWidget):
    """A break or the lunch: on or off, its length and the window it may start in (minutes
    after the shift's start)."""

    def __init__(self, title: str, length: int, earliest: int, latest: int) -> None:
        super().__init__()
        self.on = QCheckBox(title)
        self.length = _minutes_spin(INTERVAL_MIN, 120, length)
        self.earliest = _minutes_spin(0, 720, earliest)
        self.latest = _minutes_spin(0, 720, latest)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.on)
        for label, spin in (
            (self.tr("length (min)"), self.length),
            (self.tr("starts from (min in)"), self.earliest),
            (self.tr("to (min in)"), self.latest),
        ):
            spin.setAccessibleName(f"{title}: {label}")
            shown = QLabel(label)
            shown.setBuddy(spin)
            row.addWidget(shown)
            row.addWidget(spin)
        self.hint = QLabel()  # the window as clock times, from the shift's start
        self.hint.setObjectName("pauseHint")
        row.addWidget(self.hint)
        row.addStretch(1)
        self.on.toggled.connect(self._enable)
        self._enable(self.on.isChecked())

    def _enable(self, on: bool) -> None:
        for spin in (self.length, self.earliest, self.latest):
            spin.setEnabled(on)

    def show_hint(self, shift_start_min: int) -> None:
        """ "starts 09:30–10:30" for a window 90–150 min into a shift starting at 08:00."""
        if not self.on.isChecked():
            self.hint.clear()
            return

        def clock(minutes: int) -> str:
            at = (shift_start_min + minutes) % (24 * 60)
            return f"{at // 60:02d}:{at % 60:02d}"

        self.hint.setText(
            self.tr("starts %1–%2")
            .replace("%1", clock(self.earliest.value()))
            .replace("%2", clock(self.latest.value()))
        )

    def show_window(self, window: BreakWindow | None) -> None:
        self.on.setChecked(window is not None)
        if window is not None:
            self.length.setValue(window.length_min)
            self.earliest.setValue(window.earliest_min)
            self.latest.setValue(window.latest_min)

    def pause(self) -> BreakWindow | None:
        if not self.on.isChecked():
            return None
        return BreakWindow(
            length_min=self.length.value(),
            earliest_min=self.earliest.value(),
            latest_min=self.latest.value(),
        )


class PatternsEditor(QWidget):
    def __init__(self, service: WorkforceService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patternsEditor")
        self.service = service
        self.patterns: list[ShiftPattern] = []
        self._current = -1
        self.list = QListWidget()
        self.list.setObjectName("patternList")
        self.list.setAccessibleName(self.tr("Shift patterns"))
        self.list.currentRowChanged.connect(self._chosen)
        self.add_button = QPushButton(self.tr("New pattern"))
        self.add_button.clicked.connect(lambda _c=False: self.add_pattern())
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(lambda _c=False: self.remove_current())
        self.save_button = QPushButton(self.tr("Save patterns"))
        self.save_button.setObjectName("savePatterns")
        self.save_button.clicked.connect(lambda _c=False: self.save())
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)
        left.addWidget(self.save_button)
        form_box = self._build_form()
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(form_box, 3)
        service.patterns_loaded.connect(self.show_patterns)
        self._enable_form(False)

    def _build_form(self) -> QGroupBox:
        self.name_edit = QLineEdit()
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText("day-0800")
        self.kind_box = QComboBox()
        for kind, text in (
            (ShiftKind.DAY, self.tr("Day")),
            (ShiftKind.EVENING, self.tr("Evening")),
            (ShiftKind.NIGHT, self.tr("Night")),
            (ShiftKind.HOLIDAY, self.tr("Holiday")),
        ):
            self.kind_box.addItem(text, kind.value)
        self.start_edit = QTimeEdit()
        self.start_edit.setDisplayFormat("HH:mm")
        self.length_spin = _minutes_spin(60, 720, 540)
        self.breaks = [
            PauseRow(self.tr("Break %1").replace("%1", str(n + 1)), 15, 60 + 240 * n, 150 + 240 * n)
            for n in range(MAX_BREAKS)
        ]
        self.lunch = PauseRow(self.tr("Lunch"), 60, 180, 300)
        self.day_boxes = [QCheckBox(self.weekday(d)) for d in Weekday]
        days = QHBoxLayout()
        for box in self.day_boxes:
            days.addWidget(box)
        days.addStretch(1)
        self.holidays_box = QCheckBox(self.tr("Also worked on public holidays"))
        form_box = QGroupBox(self.tr("Pattern"))
        form = QFormLayout(form_box)
        for text, field in (
            (self.tr("Name"), self.name_edit),
            (self.tr("Key"), self.key_edit),
            (self.tr("Kind"), self.kind_box),
            (self.tr("Starts at"), self.start_edit),
            (self.tr("Length (min)"), self.length_spin),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            field.setAccessibleName(text)
            form.addRow(label, field)
        for row in (*self.breaks, self.lunch):
            form.addRow(row)
        days_widget = QWidget()
        days_widget.setLayout(days)
        form.addRow(QLabel(self.tr("Days")), days_widget)
        form.addRow(self.holidays_box)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("patternProblem")
        self.problem_label.setWordWrap(True)
        self.apply_button = QPushButton(self.tr("Apply to the list"))
        self.apply_button.clicked.connect(lambda _c=False: self.apply_form())
        form.addRow(self.problem_label)
        form.addRow(self.apply_button)
        self.start_edit.timeChanged.connect(lambda _t: self._show_hints())
        for pause in (*self.breaks, self.lunch):
            pause.on.toggled.connect(lambda _on: self._show_hints())
            pause.earliest.valueChanged.connect(lambda _v: self._show_hints())
            pause.latest.valueChanged.connect(lambda _v: self._show_hints())
        return form_box

    def _show_hints(self) -> None:
        start = self.start_edit.time()
        for pause in (*self.breaks, self.lunch):
            pause.show_hint(start.hour() * 60 + start.minute())

    def weekday(self, day: Weekday) -> str:
        return (
            self.tr("Mon"),
            self.tr("Tue"),
            self.tr("Wed"),
            self.tr("Thu"),
            self.tr("Fri"),
            self.tr("Sat"),
            self.tr("Sun"),
        )[int(day)]

    def kind_text(self, kind: ShiftKind) -> str:
        return self.kind_box.itemText(self.kind_box.findData(kind.value))

    # -- list ------------------------------------------------------------------------------------

    def show_patterns(self, found: ShiftPatternsOut) -> None:
        self.patterns = list(found.patterns)
        self._refill(0 if self.patterns else -1)

    def _refill(self, row: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for pattern in self.patterns:
            self.list.addItem(self.line(pattern))
        self.list.blockSignals(False)
        self._current = -1
        self.list.setCurrentRow(row)
        if row < 0:
            self._enable_form(False)

    def line(self, pattern: ShiftPattern) -> str:
        start = pattern.start_min
        end = (start + pattern.length_min) % (24 * 60)
        return (
            f"{pattern.name} · {self.kind_text(pattern.kind)} · "
            f"{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}"
        )

    def _chosen(self, row: int) -> None:
        self._current = row
        if not 0 <= row < len(self.patterns):
            self._enable_form(False)
            return
        self._enable_form(True)
        self.show_form(self.patterns[row])

    def _enable_form(self, on: bool) -> None:
        for widget in (
            self.name_edit, self.key_edit, self.kind_box, self.start_edit, self.length_spin,
            *self.breaks, self.lunch, *self.day_boxes, self.holidays_box, self.apply_button,
            self.remove_button,
        ):  # fmt: skip
            widget.setEnabled(on)

    def add_pattern(self) -> None:
        taken = {p.key for p in self.patterns}
        n = len(self.patterns) + 1
        while f"shift-{n}" in taken:
            n += 1
        pattern = ShiftPattern(
            key=f"shift-{n}",
            name=self.tr("New shift %1").replace("%1", str(n)),
            start_min=9 * 60,
            length_min=9 * 60,
            breaks=[BreakWindow(length_min=15, earliest_min=60, latest_min=150)],
            lunch=BreakWindow(length_min=60, earliest_min=180, latest_min=300),
            days=[Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY,
                  Weekday.FRIDAY],
        )  # fmt: skip
        self.patterns.append(pattern)
        self._refill(len(self.patterns) - 1)

    def remove_current(self) -> None:
        if 0 <= self._current < len(self.patterns):
            del self.patterns[self._current]
            self._refill(min(self._current, len(self.patterns) - 1))

    # -- form ------------------------------------------------------------------------------------

    def show_form(self, pattern: ShiftPattern) -> None:
        self.problem_label.clear()
        self.name_edit.setText(pattern.name)
        self.key_edit.setText(pattern.key)
        self.kind_box.setCurrentIndex(self.kind_box.findData(pattern.kind.value))
        self.start_edit.setTime(QTime(pattern.start_min // 60, pattern.start_min % 60))
        self.length_spin.setValue(pattern.length_min)
        for n, row in enumerate(self.breaks):
            row.show_window(pattern.breaks[n] if n < len(pattern.breaks) else None)
        self.lunch.show_window(pattern.lunch)
        for day, box in zip(Weekday, self.day_boxes, strict=True):
            box.setChecked(day in pattern.days)
        self.holidays_box.setChecked(pattern.on_holidays)
        self._show_hints()

    def form_pattern(self) -> ShiftPattern:
        """The form as a pattern (``ValueError`` with the contract's sentence when it is not
        one: a break past the shift's end, an empty name, …)."""
        start = self.start_edit.time()
        minutes = start.hour() * 60 + start.minute()
        return ShiftPattern(
            key=self.key_edit.text().strip(),
            name=self.name_edit.text().strip(),
            kind=ShiftKind(self.kind_box.currentData()),
            start_min=minutes - minutes % INTERVAL_MIN,
            length_min=self.length_spin.value(),
            breaks=[w for w in (row.pause() for row in self.breaks) if w is not None],
            lunch=self.lunch.pause(),
            days=[d for d, box in zip(Weekday, self.day_boxes, strict=True) if box.isChecked()],
            on_holidays=self.holidays_box.isChecked(),
        )

    def apply_form(self) -> bool:
        """The form's pattern into the list (not yet sent); False, said, when it is not one."""
        if not 0 <= self._current < len(self.patterns):
            return False
        try:
            pattern = self.form_pattern()
        except (ValidationError, ValueError) as exc:
            self.problem_label.setText(
                self.tr("Not a valid pattern: %1").replace("%1", _first_problem(exc))
            )
            return False
        self.problem_label.clear()
        row = self._current
        self.patterns[row] = pattern
        self._refill(row)
        return True

    def save(self) -> None:
        if 0 <= self._current < len(self.patterns) and not self.apply_form():
            return
        self.service.save_patterns(list(self.patterns))


def _first_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        text = re.sub(r"^Value error, ", "", str(first["msg"]))
        return f"{where}: {text}" if where else text
    return str(exc)
