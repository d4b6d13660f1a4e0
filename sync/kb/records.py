"""The records of knowledge-base search: what goes into the index and what comes out."""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class Span:
    """A run of readable text; ``highlighted`` runs matched the query (the UI shows them bold)."""

    text: str
    highlighted: bool = False


@dataclass(frozen=True, slots=True)
class KbHit:
    """One search result, best first; ``score`` is BM25 relevance (higher is better)."""

    article_id: int
    title: str
    title_spans: tuple[Span, ...]
    snippet: tuple[Span, ...]
    language: str
    product_line: str
    score: float

    @property
    def snippet_text(self) -> str:
        return "".join(span.text for span in self.snippet)
