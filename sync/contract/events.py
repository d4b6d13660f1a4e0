"""What the event stream carries, typed: one payload model per kind.

On the wire an event is ``EventOut`` (id, kind, at, data) as it always was, so every release
reads every other's stream. Above that, nobody handles strings plus dicts: the server raises
an event from its payload model (the kind follows from the type), and a desk turns what it
receives into that model with ``payload_of`` (``None`` for a kind from a newer server, which it
skips) and handles it by type.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from sync.contract.alerts import AlertOut, TeamThresholdsOut
from sync.contract.quality import EvaluationNotice
from sync.contract.recordings import PausedCallOut
from sync.contract.records import MonitorMode
from sync.contract.wallboard import AgentCommandOut, TeamMessageOut
from sync.contract.wfm import ROSTER_PUBLISHED, RosterPublishedData
from sync.contract.wire import EventOut, PresenceOut, QueueOut, RecurringIssueOut, WireModel


class MonitorGrantData(WireModel):
    """To the agent's desk: a lead may join its call once, with the token of this digest."""

    grant_id: int
    token_sha256: Annotated[str, Field(min_length=64, max_length=64)]
    mode: MonitorMode
    lead_id: int
    lead_name: str
    expires_at: datetime
    indicator: bool = True


class MonitorModeData(WireModel):
    grant_id: int
    mode: MonitorMode


class MonitorEndData(WireModel):
    grant_id: int
    reason: str


class EscalationData(WireModel):
    ticket_id: int
    number: str
    level: int
    notify_user_ids: list[int] = Field(default_factory=list)
    summary: str = ""
    # Contract 1.6: to whom, by name, and why it climbed ("time", "survey", "repeat").
    escalated_to: str = ""
    reason: str = "time"


class ComplaintData(WireModel):
    """A new complaint on the team: the lead's board lists it at once."""

    ticket_id: int
    number: str


class QuestionData(WireModel):
    """A "not found" question waiting for the experts."""

    question_id: int
    text: str


class AnsweredData(WireModel):
    """To the asker: the experts answered, with an article."""

    question_id: int
    article_id: int | None
    text: str


class DeskSettingsChangedData(WireModel):
    """To every desk: an admin changed the centre's desk settings; fetch them again."""

    version: int


class SlaPoliciesChangedData(WireModel):
    """To every desk (contract 1.6): an admin changed the SLA policies or escalation chains."""

    version: int


class AccessChangedData(WireModel):
    """To every desk (1.6): an admin changed a role, a user or a team; a desk asks ``/me``
    again (its permissions may have changed) and admin pages reload."""

    subject: Literal["role", "user", "team"]
    name: str = ""  # the role's name, the user's user name, the team's name
    user_id: int | None = None


EventPayload = (
    PresenceOut
    | QueueOut
    | AgentCommandOut
    | TeamMessageOut
    | RecurringIssueOut
    | EscalationData
    | ComplaintData
    | QuestionData
    | AnsweredData
    | MonitorGrantData
    | MonitorModeData
    | MonitorEndData
    | DeskSettingsChangedData
    | SlaPoliciesChangedData
    | AccessChangedData
    | AlertOut
    | TeamThresholdsOut
    | EvaluationNotice
    | PausedCallOut
    | RosterPublishedData
)

DESK_SETTINGS_CHANGED = "desk_settings.changed"
SLA_POLICIES_CHANGED = "sla_policies.changed"
ACCESS_CHANGED = "access.changed"
QA_EVALUATION = "qa.evaluation"

# The discriminator: each kind and its payload type, both ways.
KINDS: dict[str, type[EventPayload]] = {
    "presence": PresenceOut,
    "queue": QueueOut,
    "presence.command": AgentCommandOut,
    "team.message": TeamMessageOut,
    "ticket.recurring": RecurringIssueOut,
    "escalation": EscalationData,
    "ticket.complaint": ComplaintData,
    "kb.question": QuestionData,
    "kb.answered": AnsweredData,
    "monitor.grant": MonitorGrantData,
    "monitor.mode": MonitorModeData,
    "monitor.end": MonitorEndData,
    DESK_SETTINGS_CHANGED: DeskSettingsChangedData,
    SLA_POLICIES_CHANGED: SlaPoliciesChangedData,
    ACCESS_CHANGED: AccessChangedData,
    # 1.6: a team's alerts on the server (sync.contract.alerts), to each lead of the team.
    "alert": AlertOut,
    "alert.thresholds": TeamThresholdsOut,
    # 1.7: an evaluation shared, acknowledged, disputed or answered (sync.contract.quality).
    QA_EVALUATION: EvaluationNotice,
    # 1.7: a call's recording paused or resumed, to the team's leads (issue 20).
    "recording.pause": PausedCallOut,
    # 1.8: a team's roster published (sync.contract.wfm), to the team.
    ROSTER_PUBLISHED: RosterPublishedData,
}
_KIND_OF = {payload: kind for kind, payload in KINDS.items()}


def kind_of(payload: EventPayload) -> str:
    return _KIND_OF[type(payload)]


def payload_of(event: EventOut) -> EventPayload | None:
    """The event's payload as its model, read tolerantly; ``None`` for a kind this release
    does not know. ``ValueError`` (pydantic's) for a known kind with unreadable data."""
    model = KINDS.get(event.kind)
    return model.read(event.data) if model is not None else None
