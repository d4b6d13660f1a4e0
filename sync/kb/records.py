"""The records of knowledge-base search: what goes into the index and what comes out."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Article:
    """One knowledge-base article as the index takes it (body may be plain text or HTML)."""

    id: int
    title: str
    body: str
    tags: tuple[str, ...]
    product_line: str
    language: str
    version: int = 1
    # Questions the experts answered with this article, in the askers' words: searched like
    # the title (the knowledge base learns how agents ask).
    asked: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    """A run of readable text; ``highlighted`` runs matched the query (the UI shows them bold)."""

    text: str
    highlighted: bool = False


@dataclass(frozen=True, slots=True)
class KbHit:
    """One search result, best first; ``score`` is its place as a figure (1, 1/2, 1/3 …: higher
    is better; the order is BM25's, whose own figure is not read back, see ``KbIndex._run``);
    ``quality`` how much of the query it answers, 0 to 1 (``MatchQuality.of``)."""

    article_id: int
    title: str
    title_spans: tuple[Span, ...]
    snippet: tuple[Span, ...]
    language: str
    product_line: str
    score: float
    quality: float = 1.0

    @property
    def snippet_text(self) -> str:
        return "".join(span.text for span in self.snippet)


class MatchQuality(enum.Enum):
    """What the panel tells the agent about a result list (thresholds set on the field
    evaluation set, tests/data/kb/queries_field.json: see the README)."""

    GOOD = "good"
    WEAK = "weak"  # shown, marked as a weak match
    NONE = "none"  # "no good match — ask the experts"

    @staticmethod
    def of(hits: Sequence[KbHit]) -> MatchQuality:
        best = max((hit.quality for hit in hits), default=0.0)
        if best >= GOOD_FROM:
            return MatchQuality.GOOD
        if best >= WEAK_FROM:
            return MatchQuality.WEAK
        return MatchQuality.NONE


GOOD_FROM = 0.5
WEAK_FROM = 0.33
