"""Knowledge articles, feedback on them, and questions routed to experts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server_stub.api.deps import Caller, DbSession, Now, check_team, require
from server_stub.api.errors import ApiProblem
from server_stub.api.routes.common import PAGE_MAX, IdPath, bad_field, get_or_404
from server_stub.api.writes import apply_patch, check_version, write
from server_stub.clock import utc
from server_stub.feed import raise_event, record_change
from server_stub.models import ArticleReaderRow, ArticleRow, QuestionRow, TicketRow, UserRow
from server_stub.serialize import article_out, question_out
from sync.contract.errors import ErrorCode
from sync.contract.events import AnsweredData, QuestionData
from sync.contract.kb import (
    ArticleCounts,
    ArticleViews,
    CountsOut,
    KbStatsOut,
    OpenQuestion,
    RankedArticle,
)
from sync.contract.records import ArticleStatus, QuestionStatus, Role
from sync.contract.rules import centre_day
from sync.contract.skills import Candidate, experts_for, skill_for
from sync.contract.wire import (
    ArticleFeedback,
    ArticleIn,
    ArticleOut,
    ArticlePatch,
    Id,
    QuestionAnswer,
    QuestionIn,
    QuestionOut,
)

router = APIRouter(prefix="/kb", tags=["knowledge base"])
Reader = Annotated[Caller, Depends(require("kb.read"))]
Publisher = Annotated[Caller, Depends(require("kb.publish"))]
Expert = Annotated[Caller, Depends(require("kb.answer"))]
STATS_TOP = 10
# An article needs this many votes before it can be called unhelpful: one vote says little.
LEAST_HELPFUL_MIN_VOTES = 1


def _reader(session: Session, article_id: int, user_id: int) -> None:
    """Make sure the user's row for the article exists (a concurrent insert is no error)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(ArticleReaderRow)
        .values(article_id=article_id, user_id=user_id)
        .on_conflict_do_nothing()
    )


def _mine(article_id: int, user_id: int) -> ColumnElement[bool]:
    return and_(ArticleReaderRow.article_id == article_id, ArticleReaderRow.user_id == user_id)


def _bump(session: Session, article_id: int, **columns: int) -> None:
    session.execute(
        update(ArticleRow)
        .where(ArticleRow.id == article_id)
        .values({getattr(ArticleRow, c): getattr(ArticleRow, c) + d for c, d in columns.items()})
        # A view or a vote is a counter, not an edit: it leaves the version desks edit against.
        .execution_options(synchronize_session=False)
    )


def count_view(session: Session, article_id: int, user_id: int, day: date) -> bool:
    """Count the user's view of the article unless one was counted on ``day`` already.

    The conditional update is the check: two views at the same moment cannot both count."""
    _reader(session, article_id, user_id)
    first_today = session.execute(
        update(ArticleReaderRow)
        .where(
            _mine(article_id, user_id),
            or_(ArticleReaderRow.viewed_on.is_(None), ArticleReaderRow.viewed_on != day),
        )
        .values(viewed_on=day)
        .execution_options(synchronize_session=False)
    )
    if first_today.rowcount:  # type: ignore[attr-defined]
        _bump(session, article_id, views=1)
        return True
    return False


def vote(session: Session, article_id: int, user_id: int, helpful: bool) -> None:
    """One vote per user and article: a first vote counts, a changed one moves its count."""
    _reader(session, article_id, user_id)
    column = "helpful" if helpful else "not_helpful"
    other = "not_helpful" if helpful else "helpful"
    for before in (None, not helpful):
        was = (
            ArticleReaderRow.helpful.is_(None)
            if before is None
            else ArticleReaderRow.helpful == before
        )
        changed = session.execute(
            update(ArticleReaderRow)
            .where(_mine(article_id, user_id), was)
            .values(helpful=helpful)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount:  # type: ignore[attr-defined]
            _bump(
                session, article_id, **({column: 1} if before is None else {column: 1, other: -1})
            )
            return
    # The same vote again: nothing to count.


@router.get("/articles", response_model=list[ArticleOut])
def list_articles(
    caller: Reader,
    session: DbSession,
    q: Annotated[str, Query(max_length=200)] = "",
    language: Annotated[str | None, Query(pattern="^(zh|en)$")] = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 50,
) -> list[ArticleOut]:
    query = select(ArticleRow).order_by(ArticleRow.id)
    if "kb.publish" not in caller.permissions:
        query = query.where(ArticleRow.status == ArticleStatus.PUBLISHED.value)
    if language:
        query = query.where(ArticleRow.language == language)
    if q.strip():
        like = f"%{q.strip()}%"
        query = query.where(or_(ArticleRow.title.like(like), ArticleRow.body.like(like)))
    return [article_out(r) for r in session.scalars(query.limit(limit))]


@router.get("/articles/{article_id}", response_model=ArticleOut)
def get_article(article_id: IdPath, caller: Reader, session: DbSession, clock: Now) -> ArticleOut:
    """The article; the reader's first read of it on a day counts as a view."""
    row = get_or_404(session, ArticleRow, article_id, "article")
    if row.status != ArticleStatus.PUBLISHED.value and "kb.publish" not in caller.permissions:
        raise ApiProblem(404, ErrorCode.NOT_FOUND, f"No article with id {article_id}.")
    count_view(session, article_id, caller.user.id, centre_day(clock.now()))
    session.commit()
    session.refresh(row)
    return article_out(row)


@router.post("/articles", status_code=201, response_model=ArticleOut)
def create_article(
    body: ArticleIn, request: Request, caller: Publisher, session: DbSession, clock: Now
) -> Response:
    def perform(now):  # type: ignore[no-untyped-def]
        row = ArticleRow(
            title=body.title,
            body=body.body,
            language=body.language,
            tags=list(body.tags),
            product_lines=list(body.product_lines),
            status=body.status.value,
            author_id=caller.user.id,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        out = article_out(row)
        record_change(session, "article", out, team_id=None, now=now)
        return 201, out

    return write(request, session, caller, clock, body, perform)


@router.patch("/articles/{article_id}", response_model=ArticleOut)
def update_article(
    article_id: IdPath,
    body: ArticlePatch,
    request: Request,
    caller: Publisher,
    session: DbSession,
    clock: Now,
) -> Response:
    row = get_or_404(session, ArticleRow, article_id, "article")

    def current() -> ArticleOut:
        session.expire_all()
        return article_out(get_or_404(session, ArticleRow, article_id, "article"))

    check_version(row, body.version, current)

    def perform(now):  # type: ignore[no-untyped-def]
        if apply_patch(row, body):
            row.updated_at = now
            session.flush()
            out = article_out(row)
            record_change(session, "article", out, team_id=None, now=now)
            return 200, out
        return 200, article_out(row)

    return write(request, session, caller, clock, body, perform, current)


@router.post("/articles/{article_id}/feedback", status_code=204)
def article_feedback(
    article_id: IdPath,
    body: ArticleFeedback,
    request: Request,
    caller: Annotated[Caller, Depends(require("kb.feedback"))],
    session: DbSession,
    clock: Now,
) -> Response:
    """The caller's vote; a second one replaces the first (never two votes from one user)."""
    get_or_404(session, ArticleRow, article_id, "article")

    def perform(_now):  # type: ignore[no-untyped-def]
        vote(session, article_id, caller.user.id, body.helpful)
        return 204, None

    return write(request, session, caller, clock, body, perform, last_writer_wins=True)


@router.post("/articles/{article_id}/views", status_code=204)
def article_views(
    article_id: IdPath,
    body: ArticleViews,
    request: Request,
    caller: Reader,
    session: DbSession,
    clock: Now,
) -> Response:
    """Views counted on a desk, which reads articles from its own cache (offline too) and
    reports them through its outbox. A user's views of an article count once per centre day
    (``count`` above 1 is accepted from older desks but counts as one), so no one can inflate
    an article's ranking by reading it, or reporting reads, again and again."""
    get_or_404(session, ArticleRow, article_id, "article")

    def perform(now):  # type: ignore[no-untyped-def]
        count_view(session, article_id, caller.user.id, centre_day(now))
        return 204, None

    return write(request, session, caller, clock, body, perform)


@router.get("/counts", response_model=CountsOut)
def article_counts(
    _caller: Reader,
    session: DbSession,
    ids: Annotated[list[Id] | None, Query(max_length=PAGE_MAX)] = None,
) -> CountsOut:
    """Views and votes of published articles (of ``ids`` only, when given)."""
    query = select(
        ArticleRow.id, ArticleRow.views, ArticleRow.helpful, ArticleRow.not_helpful
    ).where(ArticleRow.status == ArticleStatus.PUBLISHED.value)
    if ids:
        query = query.where(ArticleRow.id.in_(ids))
    return CountsOut(
        articles=[
            ArticleCounts(id=i, views=v, helpful=h, not_helpful=n)
            for i, v, h, n in session.execute(query.order_by(ArticleRow.id))
        ]
    )


@router.get("/stats", response_model=KbStatsOut)
def kb_stats(caller: Expert, session: DbSession, clock: Now) -> KbStatsOut:
    """Most viewed, least helpful, the experts' open questions by age, and how many of the
    team's tickets name an article (the answer coverage)."""
    published = ArticleRow.status == ArticleStatus.PUBLISHED.value

    def ranked(rows: Iterable[ArticleRow]) -> list[RankedArticle]:
        return [
            RankedArticle(
                id=r.id, title=r.title, views=r.views, helpful=r.helpful, not_helpful=r.not_helpful
            )
            for r in rows
        ]

    most_viewed = session.scalars(
        select(ArticleRow)
        .where(published, ArticleRow.views > 0)
        .order_by(ArticleRow.views.desc(), ArticleRow.id)
        .limit(STATS_TOP)
    )
    votes = ArticleRow.helpful + ArticleRow.not_helpful
    least_helpful = session.scalars(
        select(ArticleRow)
        .where(published, ArticleRow.not_helpful > 0, votes >= LEAST_HELPFUL_MIN_VOTES)
        # The share of "not helpful" votes, worst first; more votes first among equals.
        .order_by((ArticleRow.not_helpful * 1.0 / votes).desc(), votes.desc(), ArticleRow.id)
        .limit(STATS_TOP)
    )
    now = clock.now()
    open_questions = select(QuestionRow).where(QuestionRow.status == QuestionStatus.OPEN.value)
    tickets = select(TicketRow.article_ids)
    if caller.team_ids is not None:
        open_questions = open_questions.where(QuestionRow.team_id.in_(caller.team_ids))
        tickets = tickets.where(TicketRow.team_id.in_(caller.team_ids))
    unanswered = [
        OpenQuestion(
            id=q.id,
            text=q.text,
            product_line=q.product_line,
            ticket_id=q.ticket_id,
            asked_by=q.asked_by,
            asked_at=utc(q.updated_at),
            age_hours=round((now - utc(q.updated_at)).total_seconds() / 3600, 1),
        )
        for q in session.scalars(
            open_questions.order_by(QuestionRow.updated_at, QuestionRow.id).limit(PAGE_MAX)
        )
    ]
    # article_ids is a JSON list: counted here rather than with a dialect's JSON functions, so
    # SQLite and PostgreSQL agree; a team's tickets are thousands, not millions.
    total = with_article = 0
    for (article_ids,) in session.execute(tickets):
        total += 1
        with_article += bool(article_ids)
    return KbStatsOut(
        most_viewed=ranked(most_viewed),
        least_helpful=ranked(least_helpful),
        unanswered=unanswered,
        tickets=total,
        tickets_with_article=with_article,
    )


@router.get("/questions", response_model=list[QuestionOut])
def list_questions(
    caller: Reader,
    session: DbSession,
    status: QuestionStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 100,
) -> list[QuestionOut]:
    query = select(QuestionRow).order_by(QuestionRow.id.desc())
    if caller.team_ids is not None:
        query = query.where(QuestionRow.team_id.in_(caller.team_ids))
    if status is not None:
        query = query.where(QuestionRow.status == status.value)
    return [question_out(r) for r in session.scalars(query.limit(limit))]


@router.post("/questions", status_code=201, response_model=QuestionOut)
def ask_question(
    body: QuestionIn,
    request: Request,
    caller: Annotated[Caller, Depends(require("kb.ask"))],
    session: DbSession,
    clock: Now,
) -> Response:
    if caller.user.team_id is None:
        raise ApiProblem(
            422, ErrorCode.INVALID_REQUEST, "Only a member of a team can ask the experts."
        )
    team_id = caller.user.team_id
    if body.ticket_id is not None:
        ticket = session.get(TicketRow, body.ticket_id)
        if ticket is None or ticket.team_id != team_id:
            raise bad_field("ticket_id", f"no ticket {body.ticket_id} in your team")

    def perform(now):  # type: ignore[no-untyped-def]
        routed = route_question(session, team_id, body.product_line, asker=caller.user.id)
        row = QuestionRow(
            text=body.text,
            product_line=body.product_line,
            ticket_id=body.ticket_id,
            team_id=team_id,
            asked_by=caller.user.id,
            status=QuestionStatus.OPEN.value,
            updated_at=now,
            routed_to=routed,
        )
        session.add(row)
        session.flush()
        out = question_out(row)
        record_change(session, "question", out, team_id=team_id, now=now)
        raise_event(
            session,
            QuestionData(question_id=row.id, text=row.text[:200]),
            now=now,
            team_id=team_id,
        )
        return 201, out

    return write(request, session, caller, clock, body, perform)


ASKED_TEXT = 500  # of a question kept with its article: the words that say what was asked
ASKED_KEPT = 50  # questions kept per article: the newest; the first ones taught the most words


# What identifies a customer in a question, dropped before it is kept with an article every
# team's desks receive: phone numbers, e-mail addresses, ID and card numbers (long digit runs).
# Model numbers and error codes (IP-300, E-17, 50.1) are short and stay: they are the words.
_PERSONAL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    # A phone, ID or card number: 7 or more digits with their separators, not glued to a
    # model number ("LP-3100 12 张" keeps its model; "138.0013.8000" goes).
    r"|(?<![\w-])\+?\d[\d .\-]{5,}\d[\dXx]?(?![\w-])"
    # A messaging id named as such (微信 zhang_san1988, QQ 123456).
    r"|(?:微信号?|weixin|wechat|vx|qq)\s*[:：]?\s*[\w.-]{4,}",
    re.IGNORECASE,
)


def scrubbed(question: str) -> str:
    """The question without the customer's numbers and addresses (see ``_PERSONAL``)."""
    return re.sub(r"\s{2,}", " ", _PERSONAL.sub(" ", question)).strip()


def learn(article: ArticleRow, question: str, now: datetime) -> None:
    """Keep ``question`` with ``article``: the desks search it like the title, so the next
    agent who asks in these words finds the article (a new version: desks re-index it)."""
    text = scrubbed(question)[:ASKED_TEXT]
    if not text:
        return
    kept = [q for q in article.asked or [] if q != text]
    article.asked = [*kept, text][-ASKED_KEPT:]
    article.updated_at = now


def route_question(session: Session, team_id: int, product_line: str, *, asker: int) -> list[int]:
    """The people of the team a "not found" question goes to, best first: those holding the
    product line's skill by level, then the second-line experts (``sync.contract.skills``)."""
    members = session.scalars(
        select(UserRow).where(
            UserRow.team_id == team_id,
            UserRow.active,
            UserRow.id != asker,
            UserRow.role != Role.TECHNICIAN.value,  # field engineers read no questions
        )
    )
    people = [
        Candidate(id=u.id, name=u.username, skills=tuple((s.skill, s.level) for s in u.skills))
        for u in members
    ]
    return [p.id for p in experts_for(people, skill_for(product_line))]


@router.post("/questions/{question_id}/answer", response_model=QuestionOut)
def answer_question(
    question_id: IdPath,
    body: QuestionAnswer,
    request: Request,
    caller: Annotated[Caller, Depends(require("kb.answer"))],
    session: DbSession,
    clock: Now,
) -> Response:
    row = get_or_404(session, QuestionRow, question_id, "question")
    check_team(session, caller, row.team_id, "kb.answer", request.url.path, clock.now())

    def current() -> QuestionOut:
        session.expire_all()
        return question_out(get_or_404(session, QuestionRow, question_id, "question"))

    check_version(row, body.version, current)
    if row.status == QuestionStatus.ANSWERED.value:
        raise bad_field("status", "this question is already answered")

    linked: ArticleRow | None = None
    if body.article_id is not None:
        linked = get_or_404(session, ArticleRow, body.article_id, "article")
        if linked.status != ArticleStatus.PUBLISHED.value:
            raise bad_field("article_id", "answer with a published article")

    kept = row.text if body.asked_text is None else body.asked_text  # what the expert left

    def perform(now):  # type: ignore[no-untyped-def]
        if linked is not None:
            row.article_id = linked.id
            learn(linked, kept, now)
            session.flush()
            record_change(session, "article", article_out(linked), team_id=None, now=now)
        elif body.publish_as_article:
            article = ArticleRow(
                title=body.title or row.text[:200],
                body=body.answer,
                language=body.language,
                tags=[],
                product_lines=[row.product_line] if row.product_line else [],
                status=ArticleStatus.PUBLISHED.value,
                author_id=caller.user.id,
                updated_at=now,
                asked=[scrubbed(kept)[:ASKED_TEXT]] if scrubbed(kept) else [],
            )
            session.add(article)
            session.flush()
            row.article_id = article.id
            record_change(session, "article", article_out(article), team_id=None, now=now)
        row.answer = body.answer
        row.status = QuestionStatus.ANSWERED.value
        row.updated_at = now
        session.flush()
        out = question_out(row)
        record_change(session, "question", out, team_id=row.team_id, now=now)
        raise_event(
            session,
            # What the asker's desk says in its status bar, without waiting for the pull.
            AnsweredData(question_id=row.id, article_id=row.article_id, text=row.text[:200]),
            now=now,
            user_id=row.asked_by,
        )
        return 200, out

    return write(request, session, caller, clock, body, perform, current)
