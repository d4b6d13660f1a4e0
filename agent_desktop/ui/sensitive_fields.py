"""Fields marked sensitive pause the call's recording when they get the focus (issue 20, PCI).

A field is marked with a dynamic property (``mark_sensitive``: ``sensitive`` = true) where the
form is built, or by the centre: the desk setting ``recording.sensitive_fields`` lists object
names (the ticket form's ``content``, the new-customer dialog's ``contactName``, a 360 field),
for the product has no card or ID number field of its own. One app-wide watcher on
``QApplication.focusChanged`` (not an event filter per field: a form made later, a dialog, a
field inside a spin box or an editable combo are all seen the same way) asks the recorder to
pause the current call with the reason ``sensitive_field`` when the focus lands in such a field
(or in a child of one) while the call is recorded. The recording resumes by the recorder's
countdown or the call bar's button, not when the focus leaves: an agent tabbing between the
card's number and its expiry date must stay paused.

Whether it is on is the desk's setting ``recording.auto_pause_sensitive_fields``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from agent_desktop.services.recording_ports import RecordingControl
from softphone.events import RecordingInfo, RecordingState
from sync.contract.recordings import PauseReason

SENSITIVE = "sensitive"


def mark_sensitive(widget: QWidget) -> None:
    widget.setProperty(SENSITIVE, True)


def is_sensitive(widget: QWidget | None, names: frozenset[str] = frozenset()) -> bool:
    """The widget, or one of its parents up to its window, is marked sensitive, or has one of
    the centre's ``names``."""
    while widget is not None:
        if widget.property(SENSITIVE) is True or widget.objectName() in names:
            return True
        if widget.isWindow():
            return False
        widget = widget.parentWidget()
    return False


class SensitiveFocusWatcher(QObject):
    def __init__(
        self,
        control: RecordingControl,
        current_call: Callable[[], int | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._control = control
        self._current_call = current_call
        self._enabled = True
        self._names: frozenset[str] = frozenset()
        self._started: set[int] = set()  # calls whose recording start was seen
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        control.changed.connect(self._recording_changed)

    def set_enabled(self, on: bool) -> None:
        self._enabled = on

    def set_names(self, names: tuple[str, ...]) -> None:
        """The centre's sensitive fields by object name (``recording.sensitive_fields``)."""
        self._names = frozenset(n for n in names if n)

    def enabled(self) -> bool:
        return self._enabled

    def _recording_changed(self, info: RecordingInfo) -> None:
        """A recording that starts while the focus already sits in a sensitive field (the
        agent typing a card number as the call connects) pauses at once. Only its start: a
        resume the agent asked for in the field is not undone."""
        if info.state != RecordingState.RECORDING or info.call_id in self._started:
            return
        self._started.add(info.call_id)
        self._focus_changed(None, QApplication.focusWidget())

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not self._enabled or not is_sensitive(new, self._names):
            return
        call_id = self._current_call()
        if call_id is None:
            return
        info = self._control.state(call_id)
        if info is not None and info.state == RecordingState.RECORDING:
            self._control.pause(call_id, PauseReason.SENSITIVE_FIELD)
