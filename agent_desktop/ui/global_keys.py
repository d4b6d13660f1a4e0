"""System-wide answer and hang-up keys (issue 19: "where the platform allows"), off by default.

X11 only: the keys are grabbed on the root window through libX11 (ctypes) on a private
``Display`` of our own, so Qt's connection is never touched; that connection's socket is
watched by a ``QSocketNotifier`` on the GUI thread (no thread of its own: Xlib is only ever
called from the GUI thread). Each key is grabbed four times, with and without Num Lock and
Caps Lock, because X matches the modifier state exactly.

Traps guarded against:

- Another program already holds the key: the X server answers ``BadAccess`` asynchronously,
  and Xlib's default error handler *exits the process*. An error handler of ours is installed
  only around our requests and an ``XSync`` (then the previous one is put back); errors on
  our display are recorded and reported per key (the editor says which), never fatal.
- ``XSync`` may read our key events into Xlib's queue before the notifier fires: the queue is
  drained after every grab as well as when the socket is readable.

Wayland gives no application other applications' keys, and offscreen has no keyboard: there
the option is disabled with the reason as its tooltip (``unavailable_reason``). Windows'
``RegisterHotKey`` through a ``QAbstractNativeEventFilter`` would fit the same seam; it is not
written, because it cannot be tried on this project's machines.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QSettings,
    QSocketNotifier,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence

from agent_desktop.ui.shortcuts import ShortcutId, ShortcutNames

GLOBAL_ACTIONS = (ShortcutId.ANSWER, ShortcutId.HANG_UP)
STORE_KEY = "shortcuts/global_keys"

# X11 protocol constants (X.h).
_KEY_PRESS = 2
_BAD_ACCESS = 10
_GRAB_MODE_ASYNC = 1
_SHIFT, _LOCK, _CONTROL, _MOD1, _MOD2, _MOD4 = 1, 2, 4, 8, 16, 64
_IGNORED = (0, _LOCK, _MOD2, _LOCK | _MOD2)  # Caps Lock and Num Lock, either or both
_MODIFIERS = (
    (Qt.KeyboardModifier.ShiftModifier, _SHIFT),
    (Qt.KeyboardModifier.ControlModifier, _CONTROL),
    (Qt.KeyboardModifier.AltModifier, _MOD1),
    (Qt.KeyboardModifier.MetaModifier, _MOD4),
)
_SPECIAL_KEYSYMS = {Qt.Key.Key_Return: 0xFF0D, Qt.Key.Key_Enter: 0xFF8D, Qt.Key.Key_Space: 0x20}


def unavailable_reason(platform: str) -> str:
    """Why system-wide keys cannot be offered on Qt's ``platform`` ("" when they can)."""
    if platform == "xcb":
        return ""
    if platform.startswith("wayland"):
        return QCoreApplication.translate(
            "GlobalKeys",
            "Wayland does not let an application take keys from other applications: "
            "use the desk's own keys, or sign in to an X11 session.",
        )
    if platform == "windows":
        return QCoreApplication.translate(
            "GlobalKeys", "System-wide keys are not available on Windows in this release."
        )
    return QCoreApplication.translate(
        "GlobalKeys", "System-wide keys need an X11 desktop (this one runs on “%1”)."
    ).replace("%1", platform)


def no_xlib_reason() -> str:
    """An X11 desktop whose display our own connection could not open (or no libX11)."""
    return QCoreApplication.translate(
        "GlobalKeys", "System-wide keys could not reach the X11 display (see the desk's log)."
    )


def keysym_and_mask(keys: QKeySequence) -> tuple[int, int] | None:
    """The X keysym and modifier mask of ``keys``' first chord (None: no key, or not one X
    can grab by name here: letters, digits, F-keys, Return, Enter, Space)."""
    if keys.isEmpty():
        return None
    chord = keys[0]  # type: ignore[index]  # (the stubs lack __getitem__)
    key, modifiers = chord.key(), chord.keyboardModifiers()
    value = int(key.value)
    if Qt.Key.Key_A.value <= value <= Qt.Key.Key_Z.value:
        keysym = value + 0x20  # XK_a.. (lower case: the key as it is unshifted)
    elif Qt.Key.Key_0.value <= value <= Qt.Key.Key_9.value:
        keysym = value
    elif Qt.Key.Key_F1.value <= value <= Qt.Key.Key_F35.value:
        keysym = 0xFFBE + value - Qt.Key.Key_F1.value  # XK_F1..
    elif key in _SPECIAL_KEYSYMS:
        keysym = _SPECIAL_KEYSYMS[key]
    else:
        return None
    mask = 0
    for qt, x in _MODIFIERS:
        if modifiers & qt:
            mask |= x
    return keysym, mask


@dataclass(frozen=True, slots=True)
class GrabOutcome:
    """What became of a grab: the keys that work from any application, those another program
    holds already, and those X cannot grab here (no key set, or not a plain chord)."""

    grabbed: tuple[ShortcutId, ...] = ()
    taken: tuple[ShortcutId, ...] = ()
    unusable: tuple[ShortcutId, ...] = ()


class _XKeyEvent(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("root", ctypes.c_ulong),
        ("subwindow", ctypes.c_ulong),
        ("time", ctypes.c_ulong),
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("x_root", ctypes.c_int),
        ("y_root", ctypes.c_int),
        ("state", ctypes.c_uint),
        ("keycode", ctypes.c_uint),
        ("same_screen", ctypes.c_int),
    )


class _XEvent(ctypes.Union):
    _fields_ = (("type", ctypes.c_int), ("key", _XKeyEvent), ("pad", ctypes.c_long * 24))


class _XErrorEvent(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("resourceid", ctypes.c_ulong),
        ("serial", ctypes.c_ulong),
        ("error_code", ctypes.c_ubyte),
        ("request_code", ctypes.c_ubyte),
        ("minor_code", ctypes.c_ubyte),
    )


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_XErrorEvent))


class XlibUnavailableError(OSError):
    """No libX11, or the display does not open."""


def _xlib() -> ctypes.CDLL:
    name = ctypes.util.find_library("X11") or "libX11.so.6"
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        raise XlibUnavailableError(f"libX11 not found: {exc}") from exc
    display, window, keycode = ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int
    for func, args, result in (
        ("XOpenDisplay", [ctypes.c_char_p], display),
        ("XCloseDisplay", [display], ctypes.c_int),
        ("XDefaultRootWindow", [display], window),
        ("XConnectionNumber", [display], ctypes.c_int),
        ("XKeysymToKeycode", [display, ctypes.c_ulong], ctypes.c_ubyte),
        ("XGrabKey", [display, keycode, ctypes.c_uint, window, ctypes.c_int] + [ctypes.c_int] * 2,
         ctypes.c_int),
        ("XUngrabKey", [display, keycode, ctypes.c_uint, window], ctypes.c_int),
        ("XSync", [display, ctypes.c_int], ctypes.c_int),
        ("XPending", [display], ctypes.c_int),
        ("XNextEvent", [display, ctypes.POINTER(_XEvent)], ctypes.c_int),
        ("XSetErrorHandler", [ctypes.c_void_p], ctypes.c_void_p),
    ):  # fmt: skip
        function = getattr(lib, func)
        function.argtypes, function.restype = args, result
    return lib


class X11GlobalKeys(QObject):
    """Answer and hang-up keys grabbed on the X server's root window (see the module)."""

    pressed = Signal(object)  # ShortcutId

    def __init__(self, display_name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._x = _xlib()
        self._display = self._x.XOpenDisplay(display_name.encode() if display_name else None)
        if not self._display:
            raise XlibUnavailableError(f"cannot open X display {display_name or '$DISPLAY'}")
        self._root = self._x.XDefaultRootWindow(self._display)
        self._grabs: dict[tuple[int, int], ShortcutId] = {}  # (keycode, mask) -> action
        self._errors: list[int] = []  # error codes X sent for our requests (see _guarded)
        self._handler = _ERROR_HANDLER(self._on_error)  # kept: C holds only a pointer
        self._previous: int | None = None
        self._notifier = QSocketNotifier(
            self._x.XConnectionNumber(self._display), QSocketNotifier.Type.Read, self
        )
        self._notifier.activated.connect(self._drain)
        self.last = GrabOutcome()

    def grab(self, keys: Mapping[ShortcutId, QKeySequence]) -> GrabOutcome:
        """Release what was grabbed, then grab ``keys`` (of ``GLOBAL_ACTIONS``) on the root."""
        self.release()
        grabbed: list[ShortcutId] = []
        taken: list[ShortcutId] = []
        unusable: list[ShortcutId] = []
        for action in GLOBAL_ACTIONS:
            chord = keysym_and_mask(keys.get(action, QKeySequence()))
            keycode = self._x.XKeysymToKeycode(self._display, chord[0]) if chord else 0
            if chord is None or not keycode:
                unusable.append(action)
                continue
            mask = chord[1]
            if self._grab_one(keycode, mask):
                self._grabs[(keycode, mask)] = action
                grabbed.append(action)
            else:
                taken.append(action)
        self.last = GrabOutcome(tuple(grabbed), tuple(taken), tuple(unusable))
        QTimer.singleShot(0, self, self._drain)  # XSync may have queued events already
        return self.last

    def _grab_one(self, keycode: int, mask: int) -> bool:
        """All four lock variants, or none (a key half-grabbed would work only with Num Lock
        off, say): False when X refused any of them."""
        variants = [mask | ignored for ignored in _IGNORED]

        def request() -> None:
            for variant in variants:
                self._x.XGrabKey(
                    self._display, keycode, variant, self._root, 0,
                    _GRAB_MODE_ASYNC, _GRAB_MODE_ASYNC,
                )  # fmt: skip

        if self._guarded(request):
            return True

        def undo() -> None:
            for variant in variants:
                self._x.XUngrabKey(self._display, keycode, variant, self._root)

        self._guarded(undo)
        return False

    def _guarded(self, request: Callable[[], None]) -> bool:
        """Run ``request`` (Xlib calls) with our error handler, wait for X's answers; False if
        X refused any of them."""
        self._errors.clear()
        self._previous = self._x.XSetErrorHandler(ctypes.cast(self._handler, ctypes.c_void_p))
        try:
            request()
            self._x.XSync(self._display, 0)
        finally:
            self._x.XSetErrorHandler(self._previous)
            self._previous = None
        return not self._errors

    def _on_error(self, display: int | None, error: ctypes._Pointer[_XErrorEvent]) -> int:
        if display == self._display:
            self._errors.append(int(error.contents.error_code))
            return 0
        # Another Xlib connection of this process (Qt's, for GL): its own handler decides.
        if self._previous:
            return int(_ERROR_HANDLER(self._previous)(display, error))
        return 0

    def release(self) -> None:
        """Let the keys go (sign-out, quit, the option turned off)."""
        if not self._grabs:
            return
        grabs = list(self._grabs)
        self._grabs.clear()

        def ungrab() -> None:
            for keycode, mask in grabs:
                for ignored in _IGNORED:
                    self._x.XUngrabKey(self._display, keycode, mask | ignored, self._root)

        self._guarded(ungrab)
        self.last = GrabOutcome()

    def close(self) -> None:
        self.release()
        self._notifier.setEnabled(False)
        self._x.XCloseDisplay(self._display)
        self._display = None

    def _drain(self) -> None:
        """Every event X sent us: a key press of a grabbed chord is its action."""
        if not self._display:
            return
        event = _XEvent()
        while self._x.XPending(self._display):
            self._x.XNextEvent(self._display, ctypes.byref(event))
            if event.type != _KEY_PRESS:
                continue
            state = event.key.state & ~(_LOCK | _MOD2)
            action = self._grabs.get((event.key.keycode, state))
            if action is not None:
                self.pressed.emit(action)


class GlobalKeysOption(QObject):
    """The option as the desk holds it: on or off (``shortcuts/global_keys`` in the profile's
    ``layout.ini``; not roaming: whether it works is the seat's desktop's business), grabbed
    while signed in, released at sign-out and quit; the editor's way to try keys at once."""

    def __init__(
        self,
        store: QSettings,
        actions: Mapping[ShortcutId, QAction],
        names: ShortcutNames,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._actions = actions
        self._names = names
        self.keys: X11GlobalKeys | None = None
        self.unavailable = unavailable_reason(QGuiApplication.platformName())

    def attach(self, keys: X11GlobalKeys | None, unavailable: str = "") -> None:
        """The seat's means (the composition root makes it on X11), or why there is none."""
        self.keys = keys
        self.unavailable = "" if keys is not None else unavailable or self.unavailable
        if keys is not None:
            # The same actions as the keys in the window: one thing done, whoever presses.
            keys.pressed.connect(lambda action: self._actions[action].trigger())

    def on(self) -> bool:
        return str(self._store.value(STORE_KEY, "false")).lower() == "true"

    def set_on(self, on: bool) -> None:
        self._store.setValue(STORE_KEY, on)
        self._store.sync()

    def apply(self, keys: Mapping[ShortcutId, QKeySequence], signed_in: bool) -> GrabOutcome:
        """Grab ``keys`` if the option is on and someone is signed in; else let them go."""
        if self.keys is None:
            return GrabOutcome()
        if not (signed_in and self.on()):
            self.keys.release()
            return GrabOutcome()
        return self.keys.grab(keys)

    def try_keys(self, keys: Mapping[ShortcutId, QKeySequence]) -> GrabOutcome:
        """The editor's tick: grab these now, to say at once what another program holds."""
        return self.keys.grab(keys) if self.keys is not None else GrabOutcome()

    def release(self) -> None:
        if self.keys is not None:
            self.keys.release()

    def describe(self, outcome: GrabOutcome, keys: Mapping[ShortcutId, QKeySequence]) -> str:
        """What the agent should know of ``outcome`` ("" when every key works)."""
        lines = [
            self.tr(
                "%1 (%2) is held system-wide by another program: it works only while the desk "
                "is in front."
            )
            .replace("%1", self._names.keys_text(keys[action]))
            .replace("%2", self._names.name(action))
            for action in outcome.taken
        ]
        lines += [
            self.tr("%1 has no key that can work system-wide.").replace(
                "%1", self._names.name(action)
            )
            for action in outcome.unusable
        ]
        return "\n".join(lines)
