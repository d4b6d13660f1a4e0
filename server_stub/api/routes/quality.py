"""Quality scoring routes (质检, contract 1.7; ``server_stub.quality`` keeps the records).

- scorecards: read by scorers, kept by ``qa.manage_scorecards`` (each save a new version);
- calls to score and the seeded weekly sample: ``qa.score``, of the teams the caller sees;
- evaluations: made and shared by scorers of the agent's team (a lead: their team; the "qa"
  role: every team); an agent (``qa.view_own``) reads their own once shared and acknowledges
  or disputes it; a scorer of the team answers a dispute;
- calibration: two evaluations of one call compared, for a scorer who sees both.

Every refusal is audited (``deps.deny``), and so is every change, with what changed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server_stub import quality as kept
from server_stub.api.deps import Caller, CurrentCaller, DbSession, Now, deny, require
from server_stub.api.errors import ApiProblem, VersionConflictError, conflict_response
from server_stub.api.routes.common import IdPath, IdQuery, bad_field, get_or_404
from server_stub.api.writes import write
from server_stub.feed import audit
from server_stub.models import InteractionRow, QaEvaluationRow, QaScorecardRow, UserRow
from sync.contract.errors import ErrorCode
from sync.contract.quality import (
    MANAGE_SCORECARDS,
    MAX_SAMPLE_PER_AGENT,
    SCORE,
    VIEW_OWN,
    AnswerError,
    CalibrationOut,
    CallFilter,
    EvaluationIn,
    EvaluationOut,
    EvaluationStatus,
    QaCallOut,
    Reply,
    ScorecardIn,
    ScorecardOut,
    compare,
)
from sync.contract.wire import ConflictBody

router = APIRouter(prefix="/qa", tags=["quality"])
Scorer = Annotated[Caller, Depends(require(SCORE))]
Keeper = Annotated[Caller, Depends(require(MANAGE_SCORECARDS))]
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)  # beyond: a typo, not a call
DayQuery = Annotated[date | None, Query()]
TalkQuery = Annotated[int | None, Query(ge=0, le=86_400)]
TextQuery = Annotated[str | None, Query(max_length=200)]
RecordingQuery = Annotated[str | None, Query(pattern=r"^[0-9a-f]{32}$")]


def _day(name: str, value: date | None) -> date | None:
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        raise bad_field(name, f"must be between {FIRST_DAY} and {LAST_DAY}, not {value}")
    return value


def _text(name: str, value: str | None) -> str:
    if value is not None and any(ord(c) < 32 for c in value):
        raise bad_field(name, "must not hold control characters (NUL, line breaks…)")
    return value or ""


def _filter(
    agent_id: int | None,
    queue: str | None,
    since: date | None,
    until: date | None,
    disposition: str | None,
    min_talk_s: int | None,
    max_talk_s: int | None,
) -> CallFilter:
    wanted = CallFilter(
        agent_id=agent_id,
        queue=_text("queue", queue),
        since=_day("since", since),
        until=_day("until", until),
        disposition=_text("disposition", disposition),
        min_talk_s=min_talk_s,
        max_talk_s=max_talk_s,
    )
    if wanted.since and wanted.until and wanted.since > wanted.until:
        raise bad_field("until", "is before since")
    return wanted


# -- scorecards ----------------------------------------------------------------------------------


def _reads_scorecards(
    request: Request, caller: CurrentCaller, session: DbSession, clock: Now
) -> Caller:
    """A scorer or a keeper of scorecards; else 403, audited."""
    if not {SCORE, MANAGE_SCORECARDS} & caller.permissions:
        raise deny(
            session,
            caller,
            SCORE,
            f"{request.method} {request.url.path}",
            f"Your role ({caller.user.role}) may not read scorecards.",
            clock.now(),
        )
    return caller


@router.get(
    "/scorecards",
    response_model=list[ScorecardOut],
    dependencies=[Depends(_reads_scorecards)],
)
def list_scorecards(session: DbSession) -> list[ScorecardOut]:
    """Every scorecard as it stands now (its latest version)."""
    return kept.scorecards(session)


@router.get(
    "/scorecards/{scorecard_id}/versions/{version}",
    response_model=ScorecardOut,
    dependencies=[Depends(_reads_scorecards)],
)
def get_version(scorecard_id: IdPath, version: IdPath, session: DbSession) -> ScorecardOut:
    row = kept.scorecard_version(session, scorecard_id, version)
    if row is None:
        raise ApiProblem(
            404, ErrorCode.NOT_FOUND, f"No version {version} of scorecard {scorecard_id}."
        )
    return kept.version_out(session, row)


@router.post("/scorecards", response_model=ScorecardOut, status_code=201)
def create_scorecard(
    body: ScorecardIn, request: Request, caller: Keeper, session: DbSession, clock: Now
) -> Response:
    def perform(now):  # type: ignore[no-untyped-def]
        out = kept.create_scorecard(session, body, caller.user.id, now)
        audit(
            session,
            user_id=caller.user.id,
            action="qa.scorecard.create",
            target=f"scorecard {out.id}",
            allowed=True,
            now=now,
            detail=f"{out.name!r} v1: {len(out.items())} items",
        )
        return 201, out

    return write(request, session, caller, clock, body, perform)


@router.put(
    "/scorecards/{scorecard_id}",
    response_model=ScorecardOut,
    responses={409: {"model": ConflictBody}},
)
def save_scorecard(
    scorecard_id: IdPath,
    body: ScorecardIn,
    request: Request,
    caller: Keeper,
    session: DbSession,
    clock: Now,
) -> Response:
    """A new version; ``version`` is the one the editor read (else 409 with the current)."""
    row = get_or_404(session, QaScorecardRow, scorecard_id, "scorecard")

    def perform(now):  # type: ignore[no-untyped-def]
        before, after = kept.new_version(session, row, body, caller.user.id, now)
        audit(
            session,
            user_id=caller.user.id,
            action="qa.scorecard.version",
            target=f"scorecard {scorecard_id}",
            allowed=True,
            now=now,
            detail=f"v{before.version} -> v{after.version} ({len(after.items())} items)",
        )
        return 200, after

    try:
        return write(request, session, caller, clock, body, perform)
    except kept.StaleScorecardError as exc:
        session.rollback()
        return conflict_response(VersionConflictError(exc.current, str(exc)))
    except IntegrityError:
        session.rollback()
        current = kept.current_scorecard(session, session.get(QaScorecardRow, scorecard_id))  # type: ignore[arg-type]
        return conflict_response(VersionConflictError(current))


# -- calls ---------------------------------------------------------------------------------------


@router.get("/calls", response_model=list[QaCallOut])
def list_calls(
    caller: Scorer,
    session: DbSession,
    agent_id: IdQuery = None,
    queue: TextQuery = None,
    since: DayQuery = None,
    until: DayQuery = None,
    disposition: TextQuery = None,
    min_talk_s: TalkQuery = None,
    max_talk_s: TalkQuery = None,
) -> list[QaCallOut]:
    """The newest calls of the caller's teams that fit the filters (dates are the centre's)."""
    wanted = _filter(agent_id, queue, since, until, disposition, min_talk_s, max_talk_s)
    return kept.find_calls(session, caller.team_ids, wanted)


@router.get("/sample", response_model=list[QaCallOut])
def weekly_sample(
    caller: Scorer,
    session: DbSession,
    week: Annotated[date, Query()],
    per_agent: Annotated[int, Query(ge=1, le=MAX_SAMPLE_PER_AGENT)] = 5,
    seed: Annotated[int, Query(ge=0, le=2_147_483_647)] = 0,
    agent_id: IdQuery = None,
    queue: TextQuery = None,
    disposition: TextQuery = None,
    min_talk_s: TalkQuery = None,
    max_talk_s: TalkQuery = None,
) -> list[QaCallOut]:
    """``per_agent`` calls of each agent in ``week``'s Monday-to-Sunday, drawn with ``seed``:
    the same calls every time for the same seed."""
    wanted = _filter(agent_id, queue, None, None, disposition, min_talk_s, max_talk_s)
    day = _day("week", week)
    assert day is not None
    return kept.sample(session, caller.team_ids, wanted, week=day, per_agent=per_agent, seed=seed)


# -- evaluations ---------------------------------------------------------------------------------


def _may_score(session: Session, caller: Caller, team_id: int | None, action: str, now) -> None:  # type: ignore[no-untyped-def]
    if SCORE not in caller.permissions or not caller.may_see_team(team_id):
        raise deny(
            session, caller, action, f"team {team_id}", "This call belongs to another team.", now
        )


def _readable(session: Session, caller: Caller, row: QaEvaluationRow, now) -> None:  # type: ignore[no-untyped-def]
    """A scorer of the evaluation's team, or its agent once shared; else 403, audited."""
    if SCORE in caller.permissions and caller.may_see_team(row.team_id):
        return
    own = row.agent_id == caller.user.id and row.status != EvaluationStatus.DRAFT.value
    if own and VIEW_OWN in caller.permissions:
        return
    raise deny(
        session,
        caller,
        "qa.evaluation.read",
        f"evaluation {row.id}",
        "You may not see this evaluation.",
        now,
    )


def _checked(session: Session, caller: Caller, body: EvaluationIn, now):  # type: ignore[no-untyped-def]
    """The scorecard version, and the agent's team, after every check of the body."""
    version = kept.scorecard_version(session, body.scorecard_id, body.scorecard_version)
    if version is None:
        raise bad_field(
            "scorecard_version",
            f"scorecard {body.scorecard_id} has no version {body.scorecard_version}",
        )
    agent = session.get(UserRow, body.agent_id)
    if agent is None:
        raise bad_field("agent_id", f"no user with id {body.agent_id}")
    team_id = agent.team_id
    if body.interaction_id is not None:
        call = session.get(InteractionRow, body.interaction_id)
        if call is None:
            raise bad_field("interaction_id", f"no call with id {body.interaction_id}")
        if call.agent_id != body.agent_id:
            raise bad_field("agent_id", "is not the agent of this call")
        team_id = call.team_id
    _may_score(session, caller, team_id, "qa.evaluation", now)
    return version, team_id


def _answer_error(exc: AnswerError) -> ApiProblem:
    return bad_field("answers", str(exc))


@router.post("/evaluations", response_model=EvaluationOut, status_code=201)
def create_evaluation(
    body: EvaluationIn, request: Request, caller: Scorer, session: DbSession, clock: Now
) -> Response:
    """Score a call: the server computes the score; ``share`` shows it to the agent now."""
    version, team_id = _checked(session, caller, body, clock.now())

    def perform(now):  # type: ignore[no-untyped-def]
        try:
            row = kept.create_evaluation(session, body, version, team_id, caller.user.id, now)
        except AnswerError as exc:
            raise _answer_error(exc) from None
        audit(
            session,
            user_id=caller.user.id,
            action="qa.evaluation.create",
            target=f"evaluation {row.id}",
            allowed=True,
            now=now,
            detail=f"agent {row.agent_id}, {row.status}, {row.score_pct}%"
            + (" FAILED" if row.failed else ""),
        )
        return 201, kept.evaluation_out(session, row)

    return write(request, session, caller, clock, body, perform)


@router.put("/evaluations/{evaluation_id}", response_model=EvaluationOut)
def change_evaluation(
    evaluation_id: IdPath,
    body: EvaluationIn,
    request: Request,
    caller: Scorer,
    session: DbSession,
    clock: Now,
) -> Response:
    """Its evaluator changes a draft (and may share it)."""
    row = get_or_404(session, QaEvaluationRow, evaluation_id, "evaluation")
    now = clock.now()
    if row.evaluator_id != caller.user.id:
        raise deny(
            session,
            caller,
            "qa.evaluation.update",
            f"evaluation {evaluation_id}",
            "Only its evaluator changes a draft.",
            now,
        )
    version, _team = _checked(session, caller, body, now)

    def perform(now):  # type: ignore[no-untyped-def]
        try:
            kept.change_draft(session, row, body, version, now)
        except AnswerError as exc:
            raise _answer_error(exc) from None
        except kept.WrongStatusError as exc:
            raise bad_field(exc.field, str(exc)) from None
        audit(
            session,
            user_id=caller.user.id,
            action="qa.evaluation.update",
            target=f"evaluation {row.id}",
            allowed=True,
            now=now,
            detail=f"{row.status}, {row.score_pct}%" + (" FAILED" if row.failed else ""),
        )
        return 200, kept.evaluation_out(session, row)

    return write(request, session, caller, clock, body, perform)


@router.get("/evaluations", response_model=list[EvaluationOut])
def list_evaluations(
    caller: CurrentCaller,
    session: DbSession,
    clock: Now,
    agent_id: IdQuery = None,
    recording_id: RecordingQuery = None,
    interaction_id: IdQuery = None,
    status: Annotated[EvaluationStatus | None, Query()] = None,
    mine: bool = False,
) -> list[EvaluationOut]:
    """A scorer: the evaluations of their teams; an agent (or ``mine``): their own, shared."""
    own = mine or SCORE not in caller.permissions
    if own and VIEW_OWN not in caller.permissions:
        raise deny(
            session, caller, "qa.evaluation.read", "evaluations", "Your role has no evaluations.",
            clock.now(),
        )  # fmt: skip
    rows = kept.evaluations(
        session,
        team_ids=caller.team_ids,
        own_agent_id=caller.user.id if own else None,
        agent_id=agent_id,
        recording_id=recording_id,
        interaction_id=interaction_id,
        status=status,
        limit=500,
    )
    return [kept.evaluation_out(session, row) for row in rows]


@router.get("/evaluations/{evaluation_id}", response_model=EvaluationOut)
def get_evaluation(
    evaluation_id: IdPath, caller: CurrentCaller, session: DbSession, clock: Now
) -> EvaluationOut:
    row = get_or_404(session, QaEvaluationRow, evaluation_id, "evaluation")
    _readable(session, caller, row, clock.now())
    return kept.evaluation_out(session, row)


def _agent_reply(
    evaluation_id: int,
    body: Reply,
    request: Request,
    caller: Caller,
    session: Session,
    clock: Now,
    dispute: bool,
) -> Response:
    row = get_or_404(session, QaEvaluationRow, evaluation_id, "evaluation")
    action = "qa.evaluation.dispute" if dispute else "qa.evaluation.acknowledge"
    if row.agent_id != caller.user.id or VIEW_OWN not in caller.permissions:
        raise deny(
            session,
            caller,
            action,
            f"evaluation {evaluation_id}",
            "Only the evaluated agent replies to an evaluation.",
            clock.now(),
        )

    def perform(now):  # type: ignore[no-untyped-def]
        try:
            kept.reply(session, row, dispute, body.comment, now)
        except kept.WrongStatusError as exc:
            raise bad_field(exc.field, str(exc)) from None
        audit(
            session,
            user_id=caller.user.id,
            action=action,
            target=f"evaluation {row.id}",
            allowed=True,
            now=now,
            detail=body.comment[:500],
        )
        return 200, kept.evaluation_out(session, row)

    return write(request, session, caller, clock, body, perform)


@router.post("/evaluations/{evaluation_id}/acknowledge", response_model=EvaluationOut)
def acknowledge(
    evaluation_id: IdPath,
    body: Reply,
    request: Request,
    caller: CurrentCaller,
    session: DbSession,
    clock: Now,
) -> Response:
    return _agent_reply(evaluation_id, body, request, caller, session, clock, dispute=False)


@router.post("/evaluations/{evaluation_id}/dispute", response_model=EvaluationOut)
def dispute(
    evaluation_id: IdPath,
    body: Reply,
    request: Request,
    caller: CurrentCaller,
    session: DbSession,
    clock: Now,
) -> Response:
    """The agent disputes, saying why: the evaluator and the team's leads are told."""
    return _agent_reply(evaluation_id, body, request, caller, session, clock, dispute=True)


@router.post("/evaluations/{evaluation_id}/answer", response_model=EvaluationOut)
def answer(
    evaluation_id: IdPath,
    body: Reply,
    request: Request,
    caller: Scorer,
    session: DbSession,
    clock: Now,
) -> Response:
    """A scorer of the team answers the agent's dispute; the agent is told."""
    row = get_or_404(session, QaEvaluationRow, evaluation_id, "evaluation")
    _may_score(session, caller, row.team_id, "qa.evaluation.answer", clock.now())

    def perform(now):  # type: ignore[no-untyped-def]
        try:
            kept.answer_dispute(session, row, body.comment, caller.user.id, now)
        except kept.WrongStatusError as exc:
            raise bad_field(exc.field, str(exc)) from None
        audit(
            session,
            user_id=caller.user.id,
            action="qa.evaluation.answer",
            target=f"evaluation {row.id}",
            allowed=True,
            now=now,
            detail=body.comment[:500],
        )
        return 200, kept.evaluation_out(session, row)

    return write(request, session, caller, clock, body, perform)


@router.get("/calibration", response_model=CalibrationOut)
def calibration(
    first: Annotated[int, Query(ge=1, le=2_147_483_647)],
    second: Annotated[int, Query(ge=1, le=2_147_483_647)],
    caller: Scorer,
    session: DbSession,
    clock: Now,
) -> CalibrationOut:
    """Two evaluations of one call, item by item, and the difference of their scores."""
    rows = [get_or_404(session, QaEvaluationRow, i, "evaluation") for i in (first, second)]
    for row in rows:
        _may_score(session, caller, row.team_id, "qa.calibration", clock.now())
    a, b = (kept.evaluation_out(session, row) for row in rows)
    out = compare(a, b)
    if not out.same_call:
        raise bad_field("second", "scores another call: calibration compares one call's scores")
    return out
