"""Quality scoring (质检, contract 1.7, issue 20): scorecards, evaluations, disputes and
calibration, the shapes both ends speak under ``/api/v1/qa/...`` and the one scoring rule.

- A **scorecard** has sections of items; each item has a weight, may be *critical* (missed:
  the whole call fails, whatever the rest scores) and may allow N/A. Saving a scorecard makes
  a new **version**; an evaluation keeps the version it was scored on, so a later edit never
  changes an old score.
- An **evaluation** scores one call (a recording id, an interaction id, or both) of one agent
  on one scorecard version: an answer per item and comments pinned to moments of the call
  (milliseconds from the recording's start). The score is computed by the SERVER
  (``score_answers``): the weights of the items met over the weights of the items answered
  (N/A left out), in percent; a missed critical item fails the call. Its life:
  draft → shared → acknowledged | disputed → answered.
- **Calibration**: two evaluations of the same call compared item by item.
- **Sampling**: the calls a lead may pick by filters, or a seeded random sample of N calls per
  agent per week (the same seed, week and calls give the same sample on any server).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from sync.contract.wire import Id, Name, Plain, ShortText, WireModel

# Permissions (stored roles since contract 1.6; granted by migration 0014_quality).
SCORE = "qa.score"  # score calls of the teams one sees (leads: their team; QA: all)
MANAGE_SCORECARDS = "qa.manage_scorecards"
VIEW_OWN = "qa.view_own"  # an agent's own shared evaluations: acknowledge or dispute them
QA_PERMISSIONS = frozenset({SCORE, MANAGE_SCORECARDS, VIEW_OWN})

MAX_SECTIONS = 30
MAX_ITEMS = 100  # per scorecard
MAX_COMMENTS = 200  # pinned to one evaluation
MAX_SAMPLE_PER_AGENT = 50
MAX_CALLS_LISTED = 500
CALL_MS = 86_400_000  # a pinned moment lies within a day of call

RecordingId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$"), Plain]
ItemKey = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_.-]+$"), Plain]
Weight = Annotated[int, Field(ge=0, le=100)]
Moment = Annotated[int, Field(ge=0, le=CALL_MS)]
Comment = Annotated[str, Field(max_length=2_000), Plain]


class Answer(StrEnum):
    MET = "met"
    MISSED = "missed"
    NA = "na"


class EvaluationStatus(StrEnum):
    DRAFT = "draft"  # the evaluator's own, not yet shown to the agent
    SHARED = "shared"  # the agent sees it and is asked to acknowledge or dispute
    ACKNOWLEDGED = "acknowledged"
    DISPUTED = "disputed"  # the agent's comment waits for a lead's answer
    ANSWERED = "answered"


# -- scorecards ----------------------------------------------------------------------------------


class ScorecardItem(WireModel):
    key: ItemKey  # unique in the scorecard; what answers name
    label: Name
    weight: Weight = 1
    critical: bool = False  # missed: the call fails
    allow_na: bool = True


class ScorecardSection(WireModel):
    title: Name
    items: list[ScorecardItem] = Field(min_length=1, max_length=MAX_ITEMS)


class ScorecardIn(WireModel):
    """A new scorecard (POST) or a new version of one (PUT; ``version`` is the one the editor
    read: another's save since is a 409)."""

    name: Name
    pass_pct: Annotated[int, Field(ge=0, le=100)] = 80
    sections: list[ScorecardSection] = Field(min_length=1, max_length=MAX_SECTIONS)
    version: Annotated[int, Field(ge=0, le=2_147_483_647)] = 0

    @model_validator(mode="after")
    def _items_are_unique_and_weighed(self) -> ScorecardIn:
        keys = [item.key for section in self.sections for item in section.items]
        if len(keys) > MAX_ITEMS:
            raise ValueError(f"a scorecard holds at most {MAX_ITEMS} items, not {len(keys)}")
        doubled = sorted({k for k in keys if keys.count(k) > 1})
        if doubled:
            raise ValueError(f"item keys must be unique; used twice: {', '.join(doubled)}")
        if not any(item.weight > 0 for section in self.sections for item in section.items):
            raise ValueError("at least one item must weigh more than 0")
        return self


class ScorecardOut(WireModel):
    id: int
    name: str
    version: int
    pass_pct: int
    sections: list[ScorecardSection]
    updated_at: datetime
    updated_by_name: str = ""

    def items(self) -> list[ScorecardItem]:
        return [item for section in self.sections for item in section.items]


# -- scoring -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Score:
    pct: float  # 0–100, rounded to one decimal; 0 when every item is N/A
    failed: bool  # below the pass mark, or a critical item missed
    critical_missed: tuple[str, ...]  # the keys of the critical items missed


class AnswerError(ValueError):
    """Answers that do not fit the scorecard: a 422 naming the item."""


def score_answers(
    items: Sequence[ScorecardItem], answers: dict[str, Answer], pass_pct: int
) -> Score:
    """The one scoring rule (the server's; the desk shows a preview with it): the weights of the
    items met over the weights of the items answered met or missed, N/A left out; a missed
    critical item fails the call. Every item must be answered; N/A only where allowed."""
    known = {item.key for item in items}
    strangers = sorted(set(answers) - known)
    if strangers:
        raise AnswerError(f"answers name items the scorecard does not have: {', '.join(strangers)}")
    earned = possible = 0
    critical: list[str] = []
    for item in items:
        answer = answers.get(item.key)
        if answer is None:
            raise AnswerError(f"item '{item.key}' ({item.label}) is not answered")
        if answer is Answer.NA:
            if not item.allow_na:
                raise AnswerError(f"item '{item.key}' ({item.label}) may not be N/A")
            continue
        possible += item.weight
        if answer is Answer.MET:
            earned += item.weight
        elif item.critical:
            critical.append(item.key)
    pct = round(100.0 * earned / possible, 1) if possible else 0.0
    return Score(pct, bool(critical) or pct < pass_pct, tuple(critical))


# -- evaluations ---------------------------------------------------------------------------------


class ItemAnswer(WireModel):
    key: ItemKey
    answer: Answer
    note: ShortText = ""


class PinnedComment(WireModel):
    """A comment pinned to a moment of the call (ms from the recording's start)."""

    at_ms: Moment
    text: Annotated[str, Field(min_length=1, max_length=2_000), Plain]
    item_key: ItemKey | None = None


class EvaluationIn(WireModel):
    """A new evaluation (POST) or a draft's change (PUT, by its evaluator). ``share``: show it to
    the agent now (it can no longer change)."""

    recording_id: RecordingId | None = None
    interaction_id: Id | None = None
    agent_id: Id
    scorecard_id: Id
    scorecard_version: Id
    answers: list[ItemAnswer] = Field(max_length=MAX_ITEMS)
    comments: list[PinnedComment] = Field(default_factory=list, max_length=MAX_COMMENTS)
    summary: Comment = ""
    share: bool = False

    @model_validator(mode="after")
    def _names_a_call(self) -> EvaluationIn:
        if self.recording_id is None and self.interaction_id is None:
            raise ValueError("an evaluation names its call: recording_id or interaction_id")
        keys = [a.key for a in self.answers]
        if len(set(keys)) != len(keys):
            raise ValueError("each item is answered once")
        return self

    def answer_map(self) -> dict[str, Answer]:
        return {a.key: a.answer for a in self.answers}


class Reply(WireModel):
    """An agent's acknowledgement or dispute, or a lead's answer to a dispute."""

    comment: Comment = ""


class EvaluationOut(WireModel):
    id: int
    status: EvaluationStatus
    recording_id: str | None = None
    interaction_id: int | None = None
    agent_id: int
    agent_name: str = ""
    team_id: int | None = None
    evaluator_id: int
    evaluator_name: str = ""
    scorecard: ScorecardOut  # the version it was scored on
    answers: list[ItemAnswer]
    comments: list[PinnedComment]
    summary: str = ""
    score_pct: float
    failed: bool
    critical_missed: list[str] = Field(default_factory=list)
    created_at: datetime
    shared_at: datetime | None = None
    agent_comment: str = ""  # the acknowledgement's or the dispute's
    replied_at: datetime | None = None
    answer_comment: str = ""  # the lead's answer to a dispute
    answered_by_name: str = ""
    answered_at: datetime | None = None
    version: int = 1

    def answer_of(self, key: str) -> Answer | None:
        return next((a.answer for a in self.answers if a.key == key), None)


class EvaluationNotice(WireModel):
    """The ``qa.evaluation`` event: an evaluation was shared with its agent, disputed (to its
    evaluator and the team's leads) or answered (to its agent). The desk fetches it again."""

    id: int
    status: EvaluationStatus
    agent_id: int
    evaluator_id: int
    score_pct: float
    failed: bool


# -- calibration ---------------------------------------------------------------------------------


class ItemDifference(WireModel):
    key: str
    label: str
    first: Answer | None
    second: Answer | None

    @property
    def differs(self) -> bool:
        return self.first != self.second


class CalibrationOut(WireModel):
    first: EvaluationOut
    second: EvaluationOut
    items: list[ItemDifference]
    score_difference: float  # second − first, in points
    same_call: bool
    same_version: bool


def compare(first: EvaluationOut, second: EvaluationOut) -> CalibrationOut:
    """Two evaluations item by item (the items of the first's scorecard version, then any of the
    second's it lacks)."""
    labels = {i.key: i.label for i in second.scorecard.items()}
    labels.update({i.key: i.label for i in first.scorecard.items()})
    order = [i.key for i in first.scorecard.items()]
    order += [i.key for i in second.scorecard.items() if i.key not in order]
    return CalibrationOut(
        first=first,
        second=second,
        items=[
            ItemDifference(
                key=key, label=labels[key], first=first.answer_of(key), second=second.answer_of(key)
            )
            for key in order
        ],
        score_difference=round(second.score_pct - first.score_pct, 1),
        same_call=(first.recording_id, first.interaction_id)
        == (second.recording_id, second.interaction_id),
        same_version=(first.scorecard.id, first.scorecard.version)
        == (second.scorecard.id, second.scorecard.version),
    )


# -- calls to score ------------------------------------------------------------------------------


class QaCallOut(WireModel):
    """A call a lead may score: an interaction the server has."""

    interaction_id: int
    agent_id: int
    agent_name: str = ""
    team_id: int
    queue: str = ""
    started_at: datetime
    talk_s: int = 0
    disposition: str = ""
    kind: str = ""
    evaluations: int = 0  # how many evaluations it has already
    recording_id: str | None = None  # the call's recording, when the server has one


@dataclass(frozen=True, slots=True)
class CallFilter:
    """The call picker's filters (all optional), as query parameters."""

    agent_id: int | None = None
    queue: str = ""
    since: date | None = None
    until: date | None = None  # inclusive
    disposition: str = ""
    min_talk_s: int | None = None
    max_talk_s: int | None = None

    def query(self) -> dict[str, str]:
        pairs = {
            "agent_id": self.agent_id,
            "queue": self.queue or None,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "disposition": self.disposition or None,
            "min_talk_s": self.min_talk_s,
            "max_talk_s": self.max_talk_s,
        }
        return {k: str(v) for k, v in pairs.items() if v is not None}


def sample_calls(
    calls_by_agent: dict[int, list[int]], per_agent: int, seed: int, week: date
) -> list[int]:
    """A reproducible random sample: for each agent (in id order) ``per_agent`` of their calls
    of the week (ids), drawn by a generator seeded with the seed, the week and the agent, so
    adding one agent's calls never changes another's draw."""
    chosen: list[int] = []
    for agent_id in sorted(calls_by_agent):
        calls = sorted(calls_by_agent[agent_id])
        rng = random.Random(f"{seed}:{week.isoformat()}:{agent_id}")
        chosen += sorted(rng.sample(calls, min(per_agent, len(calls))))
    return chosen


__all__ = [
    "MANAGE_SCORECARDS",
    "QA_PERMISSIONS",
    "SCORE",
    "VIEW_OWN",
    "Answer",
    "AnswerError",
    "CalibrationOut",
    "CallFilter",
    "EvaluationIn",
    "EvaluationNotice",
    "EvaluationOut",
    "EvaluationStatus",
    "ItemAnswer",
    "ItemDifference",
    "PinnedComment",
    "QaCallOut",
    "Reply",
    "Score",
    "ScorecardIn",
    "ScorecardItem",
    "ScorecardOut",
    "ScorecardSection",
    "compare",
    "sample_calls",
    "score_answers",
]
