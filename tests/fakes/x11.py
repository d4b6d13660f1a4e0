"""Another X client for the system-wide key tests: a plain window of its own that holds the
input focus, a key grabbed the way another program would, and key presses sent through the
XTest extension (libXtst, Debian libxtst6) as a keyboard would send them."""

from __future__ import annotations

import ctypes
import ctypes.util

_CONTROL, _SHIFT = 4, 1
_REVERT_TO_PARENT = 2
_GRAB_MODE_ASYNC = 1
_KEYSYMS = {"ctrl": 0xFFE3, "shift": 0xFFE1}  # XK_Control_L, XK_Shift_L


def _lib(name: str, soname: str) -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library(name) or soname)


class OtherXClient:
    """A program of someone else's on the display: its window has the focus."""

    def __init__(self, display_name: str) -> None:
        self._x = _lib("X11", "libX11.so.6")
        self._xtst = _lib("Xtst", "libXtst.so.6")
        x, d, w = self._x, ctypes.c_void_p, ctypes.c_ulong
        x.XOpenDisplay.argtypes, x.XOpenDisplay.restype = [ctypes.c_char_p], d
        x.XDefaultRootWindow.argtypes, x.XDefaultRootWindow.restype = [d], w
        position, size, pixel = [ctypes.c_int] * 2, [ctypes.c_uint] * 3, [ctypes.c_ulong] * 2
        x.XCreateSimpleWindow.argtypes = [d, w, *position, *size, *pixel]
        x.XCreateSimpleWindow.restype = w
        x.XMapWindow.argtypes = [d, w]
        x.XSetInputFocus.argtypes = [d, w, ctypes.c_int, ctypes.c_ulong]
        x.XGetInputFocus.argtypes = [d, ctypes.POINTER(w), ctypes.POINTER(ctypes.c_int)]
        x.XSync.argtypes = [d, ctypes.c_int]
        x.XKeysymToKeycode.argtypes = [d, ctypes.c_ulong]
        x.XKeysymToKeycode.restype = ctypes.c_ubyte
        x.XGrabKey.argtypes = [d, ctypes.c_int, ctypes.c_uint, w] + [ctypes.c_int] * 3
        x.XUngrabKey.argtypes = [d, ctypes.c_int, ctypes.c_uint, w]
        x.XCloseDisplay.argtypes = [d]
        self._xtst.XTestFakeKeyEvent.argtypes = [d, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self._d = x.XOpenDisplay(display_name.encode())
        assert self._d, f"cannot open {display_name}"
        self._root = x.XDefaultRootWindow(self._d)
        self.window = x.XCreateSimpleWindow(self._d, self._root, 10, 10, 200, 100, 0, 0, 0)
        x.XMapWindow(self._d, self.window)
        x.XSync(self._d, 0)  # mapped (no window manager: at once) before it takes the focus
        x.XSetInputFocus(self._d, self.window, _REVERT_TO_PARENT, 0)
        x.XSync(self._d, 0)

    def has_focus(self) -> bool:
        focus, revert = ctypes.c_ulong(), ctypes.c_int()
        self._x.XGetInputFocus(self._d, ctypes.byref(focus), ctypes.byref(revert))
        return focus.value == self.window

    def _code(self, key: str) -> int:
        keysym = _KEYSYMS[key] if key in _KEYSYMS else ord(key.lower())
        return int(self._x.XKeysymToKeycode(self._d, keysym))

    def press(self, *keys: str) -> None:
        """Hold ``keys`` down in order ("ctrl", "shift", "a"), then let them go."""
        for key in keys:
            self._xtst.XTestFakeKeyEvent(self._d, self._code(key), 1, 0)
        for key in reversed(keys):
            self._xtst.XTestFakeKeyEvent(self._d, self._code(key), 0, 0)
        self._x.XSync(self._d, 0)

    def grab_ctrl_shift(self, letter: str) -> None:
        """Take Ctrl+Shift+``letter`` as another program would (no lock variants)."""
        self._x.XGrabKey(
            self._d, self._code(letter), _CONTROL | _SHIFT, self._root, 0,
            _GRAB_MODE_ASYNC, _GRAB_MODE_ASYNC,
        )  # fmt: skip
        self._x.XSync(self._d, 0)

    def ungrab_ctrl_shift(self, letter: str) -> None:
        self._x.XUngrabKey(self._d, self._code(letter), _CONTROL | _SHIFT, self._root)
        self._x.XSync(self._d, 0)

    def close(self) -> None:
        self._x.XCloseDisplay(self._d)
