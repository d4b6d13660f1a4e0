"""A watch on the threads rule (``agent_desktop.tasks``): no signal the GUI observes is emitted
anywhere but on the GUI thread.

``OffThreadEmits.watch(obj, …)`` connects a probe with a *direct* connection to every public
signal of each object (its own and its Python bases', not ``QObject``'s), so the probe runs on
the emitting thread, and records each emission that happens on another thread.
"""

from __future__ import annotations

import threading
from functools import partial

from PySide6.QtCore import QMetaMethod, QObject, Qt


class OffThreadEmits:
    def __init__(self) -> None:
        self.seen: list[str] = []  # "Class.signal on thread-name"
        self.watched: list[str] = []
        self._lock = threading.Lock()

    def watch(self, *objects: QObject) -> None:
        first = QObject.staticMetaObject.methodCount()  # skip destroyed, objectNameChanged
        for obj in objects:
            meta = obj.metaObject()
            for index in range(first, meta.methodCount()):
                method = meta.method(index)
                name = bytes(method.name().data()).decode()
                if method.methodType() != QMetaMethod.MethodType.Signal or name.startswith("_"):
                    continue
                label = f"{type(obj).__name__}.{name}"
                getattr(obj, name).connect(
                    partial(self._probe, label), Qt.ConnectionType.DirectConnection
                )
                self.watched.append(label)

    def _probe(self, label: str, *_args: object) -> None:
        thread = threading.current_thread()
        if thread is not threading.main_thread():
            with self._lock:
                self.seen.append(f"{label} on {thread.name}")

    def check(self) -> None:
        """Fail for what was seen since the last check (each emission is reported once)."""
        with self._lock:
            seen = sorted(set(self.seen))
            self.seen.clear()
        assert not seen, "signals emitted off the GUI thread:\n" + "\n".join(seen)
