"""Answers that arrive after their widget is gone (a dialog closed while its read ran)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject


def while_alive(owner: QObject, callback: Callable[[Any], object]) -> Callable[[Any], None]:
    """``callback``, or nothing once ``owner``'s C++ object was deleted: a read's answer for a
    closed dialog is dropped instead of raising on a dead widget."""

    def call(value: Any) -> None:
        if shiboken6.isValid(owner):
            callback(value)

    return call
