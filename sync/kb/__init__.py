"""Knowledge-base search: a segmented FTS5 index in the desktop's SQLite cache.

``KbIndex`` owns the index tables and the search; ``Segmenter`` owns how Chinese and English
text becomes index terms (rjieba, loaded lazily: warm it up off the UI thread); ``records``
holds the frozen dataclasses that cross into the desktop (``Article``, ``KbHit``, ``Span``).
"""

from sync.kb.index import KbIndex
from sync.kb.records import Article, KbHit, Span
from sync.kb.segment import Segmenter

__all__ = ["Article", "KbHit", "KbIndex", "Segmenter", "Span"]
