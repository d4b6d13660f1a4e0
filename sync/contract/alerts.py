"""A team's wallboard alerts on the server (contract 1.6): the thresholds a team's leads set,
and the alerts the server raises against them.

The thresholds are ``sync.contract.wallboard.AlertThresholds`` (the same limits a lead kept on
their own desk before 1.6), now one set per team: any lead of the team (or an administrator)
changes them, every change is audited, and every lead of the team hears of it
(``alert.thresholds``). The server evaluates them on its own clock against the same figures the
board shows and records each alert: what, the value seen against the limit, when it was raised,
when it cleared, and who acknowledged it and when (``alert`` events carry each change to every
lead of the team).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from sync.contract.wallboard import DEFAULT_ANSWER_WITHIN_S, AlertKind, AlertThresholds
from sync.contract.wire import WireModel

_Count = Annotated[int, Field(ge=0, le=100_000)]
_Seconds = Annotated[int, Field(ge=0, le=30 * 86_400)]


class TeamThresholdsIn(WireModel):
    """What a lead sends (``PUT /teams/{id}/alert-thresholds``): the whole set; None switches
    an alert off. ``version`` is the one the lead read (0: never set, the defaults)."""

    queue_waiting: _Count | None
    longest_wait_s: _Seconds | None
    service_level: Annotated[float, Field(ge=0.0, le=1.0)] | None
    not_ready_s: _Seconds | None
    complaint_breach_s: _Seconds | None
    answer_within_s: Annotated[int, Field(ge=1, le=600)] = DEFAULT_ANSWER_WITHIN_S
    version: Annotated[int, Field(ge=0, le=2_147_483_647)]

    def thresholds(self) -> AlertThresholds:
        return AlertThresholds(
            queue_waiting=self.queue_waiting,
            longest_wait_s=self.longest_wait_s,
            service_level=self.service_level,
            not_ready_s=self.not_ready_s,
            complaint_breach_s=self.complaint_breach_s,
            answer_within_s=self.answer_within_s,
        )

    @classmethod
    def of(cls, thresholds: AlertThresholds, version: int) -> TeamThresholdsIn:
        return cls(
            queue_waiting=thresholds.queue_waiting,
            longest_wait_s=thresholds.longest_wait_s,
            service_level=thresholds.service_level,
            not_ready_s=thresholds.not_ready_s,
            complaint_breach_s=thresholds.complaint_breach_s,
            answer_within_s=thresholds.answer_within_s,
            version=version,
        )


class TeamThresholdsOut(WireModel):
    """A team's thresholds as stored (version 0, no one: the shipped defaults, never set).
    Also the payload of the ``alert.thresholds`` event."""

    team_id: int
    queue_waiting: int | None
    longest_wait_s: int | None
    service_level: float | None
    not_ready_s: int | None
    complaint_breach_s: int | None
    answer_within_s: int
    version: int
    updated_at: datetime | None = None
    updated_by_name: str = ""

    def thresholds(self) -> AlertThresholds:
        return AlertThresholds(
            queue_waiting=self.queue_waiting,
            longest_wait_s=self.longest_wait_s,
            service_level=self.service_level,
            not_ready_s=self.not_ready_s,
            complaint_breach_s=self.complaint_breach_s,
            answer_within_s=self.answer_within_s,
        )

    @classmethod
    def of(
        cls,
        team_id: int,
        thresholds: AlertThresholds,
        version: int,
        updated_at: datetime | None = None,
        updated_by_name: str = "",
    ) -> TeamThresholdsOut:
        return cls(
            team_id=team_id,
            queue_waiting=thresholds.queue_waiting,
            longest_wait_s=thresholds.longest_wait_s,
            service_level=thresholds.service_level,
            not_ready_s=thresholds.not_ready_s,
            complaint_breach_s=thresholds.complaint_breach_s,
            answer_within_s=thresholds.answer_within_s,
            version=version,
            updated_at=updated_at,
            updated_by_name=updated_by_name,
        )


class AlertOut(WireModel):
    """One alert the server raised for a team (also the payload of the ``alert`` event, sent
    when it is raised, acknowledged and cleared: a desk keeps the latest by ``id``)."""

    id: int
    team_id: int
    kind: AlertKind
    subject_id: str  # the queue's name, the agent's or ticket's id
    subject: str  # what the board calls it
    value: float  # what was seen when it was raised: calls, seconds, a fraction
    limit: float
    raised_at: datetime
    cleared_at: datetime | None = None
    acked_at: datetime | None = None
    acked_by_id: int | None = None
    acked_by_name: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.subject_id}"
