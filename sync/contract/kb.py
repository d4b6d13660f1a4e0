"""What the knowledge base's counters and reports look like on the wire (desk and server)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from sync.contract.wire import WireModel


class ArticleViews(WireModel):
    """Views of one article on one desk since it last reported (sent through the outbox)."""

    count: Annotated[int, Field(ge=1, le=10_000)] = 1


class ArticleCounts(WireModel):
    id: int
    views: int
    helpful: int
    not_helpful: int


class CountsOut(WireModel):
    """The counters of published articles: they change without a new article version, so they
    are not in the change feed (a vote must not make an expert's edit conflict)."""

    articles: list[ArticleCounts]


class RankedArticle(WireModel):
    id: int
    title: str
    views: int
    helpful: int
    not_helpful: int


class OpenQuestion(WireModel):
    id: int
    text: str
    product_line: str
    ticket_id: int | None
    asked_by: int
    asked_at: datetime
    age_hours: float


class KbStatsOut(WireModel):
    """The experts' and team leads' view of how well the knowledge base answers."""

    most_viewed: list[RankedArticle]
    least_helpful: list[RankedArticle]
    unanswered: list[OpenQuestion]  # oldest first
    tickets: int  # tickets of the caller's teams
    tickets_with_article: int

    @property
    def coverage(self) -> float:
        return self.tickets_with_article / self.tickets if self.tickets else 0.0
