"""The quality contract's own rules (sync.contract.quality), both ends' one copy: the score
(weights, N/A left out, a missed critical item fails), what a scorecard may hold, the
reproducible weekly sample and calibration's comparison."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from sync.contract.quality import (
    Answer,
    AnswerError,
    EvaluationOut,
    EvaluationStatus,
    ItemAnswer,
    ScorecardIn,
    ScorecardItem,
    ScorecardOut,
    ScorecardSection,
    compare,
    sample_calls,
    score_answers,
)

ITEMS = [
    ScorecardItem(key="a", label="A", weight=3),
    ScorecardItem(key="b", label="B", weight=1, critical=True, allow_na=False),
    ScorecardItem(key="c", label="C", weight=6),
]


def test_weights_count_and_na_is_left_out() -> None:
    every = {"a": Answer.MET, "b": Answer.MET, "c": Answer.MISSED}
    assert score_answers(ITEMS, every, 80).pct == 40.0
    assert score_answers(ITEMS, {**every, "c": Answer.NA}, 80).pct == 100.0
    assert not score_answers(ITEMS, {**every, "c": Answer.NA}, 80).failed


def test_a_missed_critical_item_fails_a_call_that_scores_high() -> None:
    score = score_answers(ITEMS, {"a": Answer.MET, "b": Answer.MISSED, "c": Answer.MET}, 80)
    assert (score.pct, score.failed, score.critical_missed) == (90.0, True, ("b",))


def test_every_item_is_answered_na_only_where_allowed_and_nothing_else() -> None:
    with pytest.raises(AnswerError, match="'c'"):
        score_answers(ITEMS, {"a": Answer.MET, "b": Answer.MET}, 80)
    with pytest.raises(AnswerError, match="may not be N/A"):
        score_answers(ITEMS, {"a": Answer.MET, "b": Answer.NA, "c": Answer.MET}, 80)
    with pytest.raises(AnswerError, match="zz"):
        score_answers(
            ITEMS, {"a": Answer.MET, "b": Answer.MET, "c": Answer.MET, "zz": Answer.MET}, 80
        )


def test_all_na_scores_zero_rather_than_dividing_by_it() -> None:
    items = [ScorecardItem(key="a", label="A")]
    assert score_answers(items, {"a": Answer.NA}, 0).pct == 0.0


def test_a_scorecard_has_unique_keys_and_some_weight() -> None:
    section = ScorecardSection(title="S", items=[ScorecardItem(key="a", label="A")] * 2)
    with pytest.raises(ValidationError, match="used twice: a"):
        ScorecardIn(name="X", sections=[section])
    weightless = ScorecardSection(title="S", items=[ScorecardItem(key="a", label="A", weight=0)])
    with pytest.raises(ValidationError, match="weigh more than 0"):
        ScorecardIn(name="X", sections=[weightless])


def test_the_sample_is_reproducible_and_per_agent() -> None:
    calls = {1: list(range(100, 140)), 2: list(range(200, 203))}
    week = date(2026, 11, 30)
    first = sample_calls(calls, 5, 7, week)
    assert first == sample_calls(calls, 5, 7, week)
    assert first != sample_calls(calls, 5, 8, week)
    assert [c for c in first if c >= 200] == [200, 201, 202]  # fewer than asked: all of them
    # Another agent's calls do not change this agent's draw.
    assert sample_calls({1: calls[1]}, 5, 7, week) == [c for c in first if c < 200]


def _evaluation(
    ident: int, evaluator: str, answers: dict[str, Answer], pct: float
) -> EvaluationOut:
    card = ScorecardOut(
        id=1,
        name="Card",
        version=1,
        pass_pct=80,
        sections=[ScorecardSection(title="S", items=ITEMS)],
        updated_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    return EvaluationOut(
        id=ident,
        status=EvaluationStatus.SHARED,
        interaction_id=9,
        agent_id=3,
        evaluator_id=ident,
        evaluator_name=evaluator,
        scorecard=card,
        answers=[ItemAnswer(key=k, answer=v) for k, v in answers.items()],
        comments=[],
        score_pct=pct,
        failed=pct < 80,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
    )


def test_calibration_names_each_difference_and_the_score_gap() -> None:
    first = _evaluation(1, "张伟", {"a": Answer.MET, "b": Answer.MET, "c": Answer.MET}, 100.0)
    second = _evaluation(2, "QA", {"a": Answer.MET, "b": Answer.MET, "c": Answer.MISSED}, 40.0)
    out = compare(first, second)
    assert [i.key for i in out.items if i.differs] == ["c"]
    assert out.score_difference == -60.0
    assert out.same_call
    assert out.same_version
