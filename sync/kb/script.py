"""Chinese script and regional wording folded to one form, so an article written in either
script is found from the other (the HIT service centre writes Traditional; most articles are
Simplified).

OpenCC (the ``opencc`` wheel, Apache-2.0; its dictionaries ship inside it) converts Traditional
to Simplified with Taiwan phrases (``tw2sp``: 印表機 → 打印机, 列印 → 打印, 設定 → 设置) and,
as a second form, character by character (``t2s``: 離線 → 离线, where ``tw2sp`` says 脱机): an
article may use either word. Text already Simplified comes back unchanged. Articles are shown
as written; only the index and the query see the folded forms.

A converter costs about 5 ms to load and 3 µs a sentence; one pair per process, loaded on
first use under a lock, shared by threads (OpenCC's converters keep no state between calls).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opencc

_lock = threading.Lock()
_converters: tuple[opencc.OpenCC, opencc.OpenCC] | None = None


def _loaded() -> tuple[opencc.OpenCC, opencc.OpenCC]:
    global _converters  # noqa: PLW0603 - one pair a process, loaded on first use
    converters = _converters
    if converters is None:
        with _lock:
            if _converters is None:
                import opencc  # noqa: PLC0415 - loads its dictionaries: keep it lazy

                _converters = (opencc.OpenCC("tw2sp"), opencc.OpenCC("t2s"))
            converters = _converters
    return converters


def simplified_forms(text: str) -> tuple[str, ...]:
    """``text`` in Simplified: the regional phrasing first, then character by character if
    that differs; empty when ``text`` is Simplified (or not Chinese) already."""
    if not text.isascii():
        regional, plain = _loaded()
        forms = []
        for converter in (regional, plain):
            converted = str(converter.convert(text))
            if converted != text and converted not in forms:
                forms.append(converted)
        return tuple(forms)
    return ()
