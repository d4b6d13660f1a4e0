"""Quality scoring (质检, issue 20) on the server: scorecards and their kept versions,
evaluations scored here (``sync.contract.quality.score_answers``), their life (draft → shared →
acknowledged | disputed → answered), calibration and the calls a lead may pick.

Who sees what (the routes in ``api/routes/quality.py`` check it):
- ``qa.score``: evaluations and calls of the teams the caller's role lets them see (a lead's
  own team; the "qa" role's scope is every team);
- ``qa.view_own``: the caller's own evaluations once shared (never a draft);
- anyone else: nothing.

Each evaluation shared, disputed, acknowledged or answered is a ``qa.evaluation`` event to
whom it concerns (the agent; the evaluator and the team's leads), rows of ``events``
delivered by the broker like every other event. Nothing here commits: the route's write does.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server_stub.alerts import team_leads
from server_stub.clock import utc
from server_stub.feed import raise_event
from server_stub.models import (
    InteractionRow,
    QaEvaluationRow,
    QaScorecardRow,
    QaScorecardVersionRow,
    UserRow,
)
from sync.contract.quality import (
    MAX_CALLS_LISTED,
    CallFilter,
    EvaluationIn,
    EvaluationNotice,
    EvaluationOut,
    EvaluationStatus,
    ItemAnswer,
    PinnedComment,
    QaCallOut,
    ScorecardIn,
    ScorecardOut,
    ScorecardSection,
    sample_calls,
    score_answers,
)
from sync.contract.records import InteractionKind
from sync.contract.wallboard import centre_zone

CALL_KINDS = (InteractionKind.CALL_IN.value, InteractionKind.CALL_OUT.value)


class StaleScorecardError(Exception):
    def __init__(self, current: ScorecardOut) -> None:
        super().__init__(
            f"This scorecard was changed (now version {current.version}) since you read it."
        )
        self.current = current


class WrongStatusError(Exception):
    """The evaluation is not in a status that allows this step, or the step lacks its comment
    (a 422 naming ``field``)."""

    def __init__(self, message: str, field: str = "status") -> None:
        super().__init__(message)
        self.field = field


# -- scorecards ----------------------------------------------------------------------------------


def _name_of(session: Session, user_id: int | None) -> str:
    user = session.get(UserRow, user_id) if user_id is not None else None
    return user.display_name if user is not None else ""


def version_out(session: Session, row: QaScorecardVersionRow) -> ScorecardOut:
    return ScorecardOut(
        id=row.scorecard_id,
        name=row.name,
        version=row.version,
        pass_pct=row.pass_pct,
        sections=[ScorecardSection.model_validate(s) for s in row.sections],
        updated_at=utc(row.created_at),
        updated_by_name=_name_of(session, row.created_by),
    )


def scorecard_version(
    session: Session, scorecard_id: int, version: int
) -> QaScorecardVersionRow | None:
    return session.get(QaScorecardVersionRow, (scorecard_id, version))


def current_scorecard(session: Session, row: QaScorecardRow) -> ScorecardOut:
    kept = scorecard_version(session, row.id, row.version)
    assert kept is not None, "a scorecard's current version is always kept"
    return version_out(session, kept)


def scorecards(session: Session) -> list[ScorecardOut]:
    rows = session.scalars(select(QaScorecardRow).order_by(QaScorecardRow.name))
    return [current_scorecard(session, row) for row in rows]


def _keep_version(
    session: Session,
    scorecard_id: int,
    version: int,
    body: ScorecardIn,
    user_id: int,
    now: datetime,
) -> None:
    session.add(
        QaScorecardVersionRow(
            scorecard_id=scorecard_id,
            version=version,
            name=body.name,
            pass_pct=body.pass_pct,
            sections=[s.model_dump(mode="json") for s in body.sections],
            created_at=now,
            created_by=user_id,
        )
    )


def create_scorecard(
    session: Session, body: ScorecardIn, user_id: int, now: datetime
) -> ScorecardOut:
    row = QaScorecardRow(name=body.name, version=1, updated_at=now, updated_by=user_id)
    session.add(row)
    session.flush()
    _keep_version(session, row.id, 1, body, user_id, now)
    session.flush()
    return current_scorecard(session, row)


def new_version(
    session: Session, row: QaScorecardRow, body: ScorecardIn, user_id: int, now: datetime
) -> tuple[ScorecardOut, ScorecardOut]:
    """(before, after): a new version if ``body.version`` is the current one, else
    ``StaleScorecardError``. Evaluations keep the version they were scored on."""
    before = current_scorecard(session, row)
    if body.version != row.version:
        raise StaleScorecardError(before)
    row.version += 1
    row.name, row.updated_at, row.updated_by = body.name, now, user_id
    # Two editors at once: the second meets the primary key (scorecard, version), a 409.
    _keep_version(session, row.id, row.version, body, user_id, now)
    session.flush()
    return before, current_scorecard(session, row)


# -- evaluations ---------------------------------------------------------------------------------


def evaluation_out(session: Session, row: QaEvaluationRow) -> EvaluationOut:
    kept = scorecard_version(session, row.scorecard_id, row.scorecard_version)
    assert kept is not None, "an evaluation's scorecard version is never deleted"
    return EvaluationOut(
        id=row.id,
        status=EvaluationStatus(row.status),
        recording_id=row.recording_id,
        interaction_id=row.interaction_id,
        agent_id=row.agent_id,
        agent_name=_name_of(session, row.agent_id),
        team_id=row.team_id,
        evaluator_id=row.evaluator_id,
        evaluator_name=_name_of(session, row.evaluator_id),
        scorecard=version_out(session, kept),
        answers=[ItemAnswer.model_validate(a) for a in row.answers],
        comments=[PinnedComment.model_validate(c) for c in row.comments],
        summary=row.summary,
        score_pct=row.score_pct,
        failed=row.failed,
        critical_missed=list(row.critical_missed),
        created_at=utc(row.created_at),
        shared_at=utc(row.shared_at) if row.shared_at else None,
        agent_comment=row.agent_comment,
        replied_at=utc(row.replied_at) if row.replied_at else None,
        answer_comment=row.answer_comment,
        answered_by_name=_name_of(session, row.answered_by),
        answered_at=utc(row.answered_at) if row.answered_at else None,
        version=row.version,
    )


def notice_of(row: QaEvaluationRow) -> EvaluationNotice:
    return EvaluationNotice(
        id=row.id,
        status=EvaluationStatus(row.status),
        agent_id=row.agent_id,
        evaluator_id=row.evaluator_id,
        score_pct=row.score_pct,
        failed=row.failed,
    )


def tell(session: Session, row: QaEvaluationRow, users: set[int], now: datetime) -> None:
    # Addressed to each user alone (no team): an agent moved to another team since the call
    # still hears of their evaluation.
    for user_id in sorted(users):
        raise_event(session, notice_of(row), now=now, user_id=user_id)


def _fill(
    row: QaEvaluationRow, body: EvaluationIn, version: QaScorecardVersionRow, now: datetime
) -> None:
    """The answers, comments and the server's score (``AnswerError`` when they do not fit)."""
    sections = [ScorecardSection.model_validate(s) for s in version.sections]
    items = [item for section in sections for item in section.items]
    score = score_answers(items, body.answer_map(), version.pass_pct)
    row.recording_id, row.interaction_id = body.recording_id, body.interaction_id
    row.scorecard_id, row.scorecard_version = version.scorecard_id, version.version
    row.answers = [a.model_dump(mode="json") for a in body.answers]
    row.comments = [c.model_dump(mode="json") for c in sorted(body.comments, key=_at)]
    row.summary = body.summary
    row.score_pct, row.failed = score.pct, score.failed
    row.critical_missed = list(score.critical_missed)
    row.updated_at = now
    if body.share:
        row.status, row.shared_at = EvaluationStatus.SHARED.value, now


def _at(comment: PinnedComment) -> int:
    return comment.at_ms


def create_evaluation(
    session: Session,
    body: EvaluationIn,
    version: QaScorecardVersionRow,
    team_id: int | None,
    evaluator_id: int,
    now: datetime,
) -> QaEvaluationRow:
    row = QaEvaluationRow(
        status=EvaluationStatus.DRAFT.value,
        agent_id=body.agent_id,
        team_id=team_id,
        evaluator_id=evaluator_id,
        created_at=now,
        agent_comment="",
        answer_comment="",
    )
    _fill(row, body, version, now)
    session.add(row)
    session.flush()
    if row.status == EvaluationStatus.SHARED.value:
        tell(session, row, {row.agent_id}, now)
    return row


def change_draft(
    session: Session, row: QaEvaluationRow, body: EvaluationIn, version: QaScorecardVersionRow,
    now: datetime,
) -> None:  # fmt: skip
    if row.status != EvaluationStatus.DRAFT.value:
        raise WrongStatusError(f"This evaluation is {row.status}: only a draft can change.")
    _fill(row, body, version, now)
    session.flush()
    if row.status == EvaluationStatus.SHARED.value:
        tell(session, row, {row.agent_id}, now)


def reply(
    session: Session, row: QaEvaluationRow, dispute: bool, comment: str, now: datetime
) -> None:
    """The agent acknowledges or disputes a shared evaluation (once)."""
    if row.status != EvaluationStatus.SHARED.value:
        raise WrongStatusError(
            f"This evaluation is {row.status}: only a shared one can be acknowledged or disputed."
        )
    if dispute and not comment.strip():
        raise WrongStatusError("A dispute says why: the comment is empty.", "comment")
    row.status = (EvaluationStatus.DISPUTED if dispute else EvaluationStatus.ACKNOWLEDGED).value
    row.agent_comment, row.replied_at, row.updated_at = comment, now, now
    session.flush()
    told = {row.evaluator_id}
    if dispute and row.team_id is not None:
        told |= set(team_leads(session, row.team_id))
    tell(session, row, told, now)


def answer_dispute(
    session: Session, row: QaEvaluationRow, comment: str, user_id: int, now: datetime
) -> None:
    if row.status != EvaluationStatus.DISPUTED.value:
        raise WrongStatusError(f"This evaluation is {row.status}: only a dispute is answered.")
    if not comment.strip():
        raise WrongStatusError(
            "An answer to a dispute says something: the comment is empty.", "comment"
        )
    row.status = EvaluationStatus.ANSWERED.value
    row.answer_comment, row.answered_by, row.answered_at = comment, user_id, now
    row.updated_at = now
    session.flush()
    tell(session, row, {row.agent_id, row.evaluator_id}, now)


def evaluations(
    session: Session,
    *,
    team_ids: frozenset[int] | None,
    own_agent_id: int | None,
    agent_id: int | None,
    recording_id: str | None,
    interaction_id: int | None,
    status: EvaluationStatus | None,
    limit: int,
) -> list[QaEvaluationRow]:
    """Newest first. ``own_agent_id``: only that agent's, never a draft (an agent's view);
    else those of ``team_ids`` (None: every team)."""
    query = select(QaEvaluationRow).order_by(QaEvaluationRow.id.desc()).limit(limit)
    if own_agent_id is not None:
        query = query.where(
            QaEvaluationRow.agent_id == own_agent_id,
            QaEvaluationRow.status != EvaluationStatus.DRAFT.value,
        )
    elif team_ids is not None:
        query = query.where(QaEvaluationRow.team_id.in_(sorted(team_ids)))
    if agent_id is not None:
        query = query.where(QaEvaluationRow.agent_id == agent_id)
    if recording_id is not None:
        query = query.where(QaEvaluationRow.recording_id == recording_id)
    if interaction_id is not None:
        query = query.where(QaEvaluationRow.interaction_id == interaction_id)
    if status is not None:
        query = query.where(QaEvaluationRow.status == status.value)
    return list(session.scalars(query))


# -- calls to score ------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), centre_zone())


def calls_query(team_ids: frozenset[int] | None, wanted: CallFilter):  # type: ignore[no-untyped-def]
    query = select(InteractionRow).where(
        InteractionRow.kind.in_(CALL_KINDS), InteractionRow.ended_at.is_not(None)
    )
    if team_ids is not None:
        query = query.where(InteractionRow.team_id.in_(sorted(team_ids)))
    if wanted.agent_id is not None:
        query = query.where(InteractionRow.agent_id == wanted.agent_id)
    if wanted.queue:
        query = query.where(InteractionRow.queue == wanted.queue)
    if wanted.disposition:
        query = query.where(InteractionRow.disposition == wanted.disposition)
    if wanted.since is not None:
        query = query.where(InteractionRow.started_at >= _day_start(wanted.since))
    if wanted.until is not None:
        query = query.where(
            InteractionRow.started_at < _day_start(wanted.until + timedelta(days=1))
        )
    if wanted.min_talk_s is not None:
        query = query.where(InteractionRow.talk_s >= wanted.min_talk_s)
    if wanted.max_talk_s is not None:
        query = query.where(InteractionRow.talk_s <= wanted.max_talk_s)
    return query


def _calls_out(session: Session, rows: list[InteractionRow]) -> list[QaCallOut]:
    ids = [r.id for r in rows]
    counts = dict(
        session.execute(
            select(QaEvaluationRow.interaction_id, func.count())
            .where(QaEvaluationRow.interaction_id.in_(ids))
            .group_by(QaEvaluationRow.interaction_id)
        ).all()
    )
    names = dict(
        session.execute(
            select(UserRow.id, UserRow.display_name).where(
                UserRow.id.in_({r.agent_id for r in rows})
            )
        ).all()
    )
    return [
        QaCallOut(
            interaction_id=r.id,
            agent_id=r.agent_id,
            agent_name=names.get(r.agent_id, ""),
            team_id=r.team_id,
            queue=r.queue,
            started_at=utc(r.started_at),
            talk_s=r.talk_s,
            disposition=r.disposition,
            kind=r.kind,
            evaluations=int(counts.get(r.id, 0)),
            recording_id=r.recording_id,
        )
        for r in rows
    ]


def find_calls(
    session: Session, team_ids: frozenset[int] | None, wanted: CallFilter
) -> list[QaCallOut]:
    """The newest calls that fit the filters (at most ``MAX_CALLS_LISTED``)."""
    query = calls_query(team_ids, wanted)
    query = query.order_by(InteractionRow.started_at.desc(), InteractionRow.id.desc())
    return _calls_out(session, list(session.scalars(query.limit(MAX_CALLS_LISTED))))


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def sample(
    session: Session,
    team_ids: frozenset[int] | None,
    wanted: CallFilter,
    *,
    week: date,
    per_agent: int,
    seed: int,
) -> list[QaCallOut]:
    """``per_agent`` calls of each agent in the week (Monday to Sunday, the centre's days) that
    fit ``wanted``, drawn with ``seed``: the same answer every time (``sample_calls``)."""
    monday = week_of(week)
    bounded = CallFilter(
        agent_id=wanted.agent_id,
        queue=wanted.queue,
        disposition=wanted.disposition,
        min_talk_s=wanted.min_talk_s,
        max_talk_s=wanted.max_talk_s,
        since=monday,
        until=monday + timedelta(days=6),
    )
    query = calls_query(team_ids, bounded).with_only_columns(
        InteractionRow.id, InteractionRow.agent_id
    )
    by_agent: dict[int, list[int]] = defaultdict(list)
    for call_id, agent_id in session.execute(query).all():
        by_agent[agent_id].append(call_id)
    chosen = sample_calls(dict(by_agent), per_agent, seed, monday)
    rows = list(session.scalars(select(InteractionRow).where(InteractionRow.id.in_(chosen))))
    rows.sort(key=lambda r: (r.agent_id, r.id))
    return _calls_out(session, rows)
