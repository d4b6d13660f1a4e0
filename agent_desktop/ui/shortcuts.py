"""Every keyboard shortcut of the main window in one place: what each action is, its default
keys, what the agent has changed, and the checks that keep two actions from sharing a key.

Why the defaults look as they do: call and state actions are Ctrl+Shift+letter (or Ctrl+Enter
for wrap-up Done) so that bare digits, * and # -- what a headset user types on the numeric
keypad while on a call -- are never taken, and none of them is one of Qt's standard keys
(copy, paste, undo, find, ...) nor a key the desktop keeps for itself (Ctrl+Alt+..., Alt+F4,
Alt+Tab). ``tests/ui/test_shortcuts.py`` checks both, in English and in Chinese.

The agent's changes are kept in the user's QSettings (the profile's ``layout.ini``) under
``shortcuts/<action>``; an empty value there means "no key".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QKeySequence


class Group(StrEnum):
    CALL = "call"
    STATE = "state"
    FOCUS = "focus"
    WINDOW = "window"


class ShortcutId(StrEnum):
    """An action the keyboard can do (also its key in the settings)."""

    ANSWER = "call.answer"
    DECLINE = "call.decline"
    HANG_UP = "call.hang_up"
    HOLD = "call.hold"
    MUTE = "call.mute"
    TRANSFER = "call.transfer"
    PAUSE_RECORDING = "call.pause_recording"  # PCI: a card number is read out (issue 20)
    READY = "state.ready"
    NOT_READY = "state.not_ready"
    WRAP_UP_DONE = "state.wrap_up_done"
    NEW_TICKET = "work.new_ticket"
    FOCUS_CUSTOMER = "focus.customer"
    FOCUS_KB_SEARCH = "focus.kb_search"
    TICKETS_TAB = "focus.tickets"
    DISPATCH_TAB = "focus.dispatch"
    CALLBACKS_TAB = "focus.callbacks"
    PHONE_DOCK = "window.phone_dock"
    CUSTOMER_DOCK = "window.customer_dock"
    DIRECTORY = "window.directory"
    SYNC_NOW = "window.sync_now"
    REPORTS = "window.reports"  # issue 21
    CHEAT_SHEET = "window.cheat_sheet"
    WORKFORCE = "window.workforce"  # Tools ▸ Workforce (leads, issue 21)
    MY_SHIFTS = "window.my_shifts"  # Tools ▸ My shifts (agents, issue 21)
    QUIT = "window.quit"


@dataclass(frozen=True, slots=True)
class Shortcut:
    id: ShortcutId
    group: Group
    default: str  # portable text (QKeySequence.PortableText), "" for none
    # Fires from any window of the app (a ticket form in front, a floating dock): the call
    # and state actions. Others act on the main window only.
    everywhere: bool = False
    # Its default is the platform's standard key for this very purpose (Quit): not a clash.
    standard: QKeySequence.StandardKey | None = None


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut(ShortcutId.ANSWER, Group.CALL, "Ctrl+Shift+A", everywhere=True),
    Shortcut(ShortcutId.DECLINE, Group.CALL, "Ctrl+Shift+R", everywhere=True),
    Shortcut(ShortcutId.HANG_UP, Group.CALL, "Ctrl+Shift+E", everywhere=True),
    Shortcut(ShortcutId.HOLD, Group.CALL, "Ctrl+Shift+H", everywhere=True),
    Shortcut(ShortcutId.MUTE, Group.CALL, "Ctrl+Shift+M", everywhere=True),
    Shortcut(ShortcutId.TRANSFER, Group.CALL, "Ctrl+Shift+X", everywhere=True),
    # J: G is Qt's FindPrevious, S its SaveAs; IBus takes Ctrl+Shift+U (Unicode entry) and
    # fcitx Ctrl+Shift+F (simplified / traditional), both common on a Chinese agent's desk.
    Shortcut(ShortcutId.PAUSE_RECORDING, Group.CALL, "Ctrl+Shift+J", everywhere=True),
    Shortcut(ShortcutId.READY, Group.STATE, "Ctrl+Shift+Y", everywhere=True),
    Shortcut(ShortcutId.NOT_READY, Group.STATE, "Ctrl+Shift+P", everywhere=True),
    # The main window only: the colleague directory (its own window) transfers on Ctrl+Return.
    Shortcut(ShortcutId.WRAP_UP_DONE, Group.STATE, "Ctrl+Return"),
    Shortcut(ShortcutId.NEW_TICKET, Group.FOCUS, "Ctrl+Shift+N"),
    Shortcut(ShortcutId.FOCUS_CUSTOMER, Group.FOCUS, "Ctrl+Shift+C"),
    Shortcut(ShortcutId.FOCUS_KB_SEARCH, Group.FOCUS, "Ctrl+Shift+K"),
    Shortcut(ShortcutId.TICKETS_TAB, Group.FOCUS, "Ctrl+Shift+T"),
    Shortcut(ShortcutId.DISPATCH_TAB, Group.FOCUS, "Ctrl+Shift+D"),
    Shortcut(ShortcutId.CALLBACKS_TAB, Group.FOCUS, "Ctrl+Shift+B"),
    Shortcut(ShortcutId.PHONE_DOCK, Group.WINDOW, "Ctrl+1"),
    Shortcut(ShortcutId.CUSTOMER_DOCK, Group.WINDOW, "Ctrl+2"),
    Shortcut(ShortcutId.DIRECTORY, Group.WINDOW, "Ctrl+Shift+L"),
    Shortcut(ShortcutId.SYNC_NOW, Group.WINDOW, "F5", standard=QKeySequence.StandardKey.Refresh),
    Shortcut(ShortcutId.REPORTS, Group.WINDOW, "Ctrl+Shift+O"),
    # "?" only reaches the window when no text field has the focus: a line edit or text box
    # claims printable keys first (QEvent.ShortcutOverride), so typing "?" stays typing.
    Shortcut(ShortcutId.CHEAT_SHEET, Group.WINDOW, "?"),
    Shortcut(ShortcutId.WORKFORCE, Group.WINDOW, "Ctrl+Shift+W"),
    Shortcut(ShortcutId.MY_SHIFTS, Group.WINDOW, "Ctrl+Shift+I"),  # (I: "my")
    Shortcut(ShortcutId.QUIT, Group.WINDOW, "Ctrl+Q", standard=QKeySequence.StandardKey.Quit),
)
BY_ID: Mapping[ShortcutId, Shortcut] = {s.id: s for s in SHORTCUTS}

# Keys the desktop (GNOME, KDE, Windows) keeps for itself: a window never sees them.
OS_KEYS = (
    "Alt+F4", "Alt+Tab", "Alt+Shift+Tab", "Alt+F2", "Alt+F1", "Ctrl+Esc", "Ctrl+Alt+Del",
    "Ctrl+Alt+T", "Ctrl+Alt+L", "Ctrl+Alt+D", "Ctrl+Alt+Left", "Ctrl+Alt+Right",
    "Ctrl+Alt+Up", "Ctrl+Alt+Down", "Ctrl+Shift+Esc", "Print", "Alt+Print",
)  # fmt: skip


def standard_keys() -> dict[str, QKeySequence.StandardKey]:
    """Qt's standard keys on this platform (copy, paste, find, ...), by portable text."""
    found: dict[str, QKeySequence.StandardKey] = {}
    for standard in QKeySequence.StandardKey:
        if standard == QKeySequence.StandardKey.UnknownKey:
            continue
        for sequence in QKeySequence.keyBindings(standard):
            found.setdefault(portable(sequence), standard)
    return found


def portable(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def clashes(keys: Mapping[ShortcutId, QKeySequence]) -> list[tuple[ShortcutId, ShortcutId]]:
    """Pairs of actions that share a key (actions without a key share nothing)."""
    seen: dict[str, ShortcutId] = {}
    found: list[tuple[ShortcutId, ShortcutId]] = []
    for action, sequence in keys.items():
        text = portable(sequence)
        if not text:
            continue
        if text in seen:
            found.append((seen[text], action))
        else:
            seen[text] = action
    return found


class ShortcutMap:
    """The keys in force: the defaults, with the agent's changes from the user's settings."""

    def __init__(self, store: QSettings) -> None:
        self._store = store
        self._keys: dict[ShortcutId, QKeySequence] = {}
        for shortcut in SHORTCUTS:
            saved = store.value(f"shortcuts/{shortcut.id.value}")
            text = saved if isinstance(saved, str) else shortcut.default
            self._keys[shortcut.id] = QKeySequence.fromString(
                text, QKeySequence.SequenceFormat.PortableText
            )

    def keys(self, action: ShortcutId) -> QKeySequence:
        return QKeySequence(self._keys[action])

    def all(self) -> dict[ShortcutId, QKeySequence]:
        return {a: QKeySequence(k) for a, k in self._keys.items()}

    def save(self, keys: Mapping[ShortcutId, QKeySequence]) -> None:
        """Keep the agent's choice: only what differs from the default is written."""
        for action, sequence in keys.items():
            self._keys[action] = QKeySequence(sequence)
            name = f"shortcuts/{action.value}"
            if portable(sequence) == BY_ID[action].default:
                self._store.remove(name)
            else:
                self._store.setValue(name, portable(sequence))
        self._store.sync()


class ShortcutNames(QObject):
    """What each action and group is called, in the agent's language (the cheat sheet, the
    editor, the menus)."""

    def name(self, action: ShortcutId) -> str:
        return {
            ShortcutId.ANSWER: self.tr("Answer the ringing call"),
            ShortcutId.DECLINE: self.tr("Decline the ringing call"),
            ShortcutId.HANG_UP: self.tr("Hang up"),
            ShortcutId.HOLD: self.tr("Hold / resume"),
            ShortcutId.MUTE: self.tr("Mute / unmute"),
            ShortcutId.TRANSFER: self.tr("Transfer the call…"),
            ShortcutId.PAUSE_RECORDING: self.tr("Pause / resume the call's recording"),
            ShortcutId.READY: self.tr("Ready"),
            ShortcutId.NOT_READY: self.tr("Not ready (choose a reason)…"),
            ShortcutId.WRAP_UP_DONE: self.tr("Wrap-up done"),
            ShortcutId.NEW_TICKET: self.tr("New ticket for the customer on screen"),
            ShortcutId.FOCUS_CUSTOMER: self.tr("Go to the customer 360"),
            ShortcutId.FOCUS_KB_SEARCH: self.tr("Search the knowledge base"),
            ShortcutId.TICKETS_TAB: self.tr("Go to Tickets"),
            ShortcutId.DISPATCH_TAB: self.tr("Go to Dispatch"),
            ShortcutId.CALLBACKS_TAB: self.tr("Go to Callbacks"),
            ShortcutId.PHONE_DOCK: self.tr("Show or hide the phone"),
            ShortcutId.CUSTOMER_DOCK: self.tr("Show or hide the customer 360"),
            ShortcutId.DIRECTORY: self.tr("Colleague directory"),
            ShortcutId.SYNC_NOW: self.tr("Sync now"),
            ShortcutId.REPORTS: self.tr("Reports"),
            ShortcutId.CHEAT_SHEET: self.tr("Keyboard shortcuts"),
            ShortcutId.WORKFORCE: self.tr("Workforce planning (shift patterns, staffing, roster)"),
            ShortcutId.MY_SHIFTS: self.tr("My shifts"),
            ShortcutId.QUIT: self.tr("Quit"),
        }[action]

    def group(self, group: Group) -> str:
        return {
            Group.CALL: self.tr("Call"),
            Group.STATE: self.tr("Your state"),
            Group.FOCUS: self.tr("Work"),
            Group.WINDOW: self.tr("Window"),
        }[group]

    def keys_text(self, sequence: QKeySequence) -> str:
        """Keys as the agent reads them (NativeText: "Ctrl+Shift+A"; "—" for none)."""
        return sequence.toString(QKeySequence.SequenceFormat.NativeText) or "—"


def in_groups(actions: Iterable[Shortcut]) -> list[tuple[Group, list[Shortcut]]]:
    """The actions grouped, groups in declaration order (the cheat sheet's sections)."""
    grouped: dict[Group, list[Shortcut]] = {}
    for shortcut in actions:
        grouped.setdefault(shortcut.group, []).append(shortcut)
    return list(grouped.items())
