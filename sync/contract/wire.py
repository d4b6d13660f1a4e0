"""Wire schemas: the JSON both ends speak, validated on both ends.

The backend uses these models for requests and responses (and so for its OpenAPI document);
the desktop parses every answer through them, so a server that answers garbage is caught here
with a message that names the field, instead of a KeyError deep in the UI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import UTC, date, datetime
from types import UnionType
from typing import Annotated, Any, Literal, Self, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from sync.contract.records import (
    AgentState,
    ArticleStatus,
    CallOutcome,
    Channel,
    DispatchMethod,
    DispatchResult,
    DispatchStatus,
    InteractionKind,
    MonitorMode,
    Priority,
    QuestionStatus,
    Role,
    SessionGrant,
    TaskKind,
    TaskStatus,
    Team,
    TicketStatus,
    Urgency,
    UserProfile,
)
from sync.contract.rules import RecordScope

API_PREFIX = "/api/v1"
# The first-sync snapshot (GET, since contract 1.2) answers a file, not JSON: its route, headers
# and format are in sync.contract.snapshot.

# -- what a request may carry -------------------------------------------------------------------
# Every text and instant a client sends is checked here, so that bad input is a 422 naming the
# field on both ends, never a database error: PostgreSQL refuses NUL in text, and an instant
# such as 0001-01-01T00:00:00+14:00 overflows when turned to UTC for storage.

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def refuse_control_characters(value: str) -> str:
    """Tab, line feed and carriage return are text; the other C0 controls (NUL first of all)
    are never typed by a person and PostgreSQL cannot store NUL."""
    found = _CONTROL.search(value)
    if found is not None:
        raise ValueError(
            f"contains the control character U+{ord(found.group()):04X}, which is not allowed"
        )
    return value


def refuse_far_instants(value: datetime) -> datetime:
    """An instant between 1900 and 2200, so that turning it to UTC (and adding to it) cannot
    overflow; anything outside is a typo or an attack, not a call or a visit."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    if not EARLIEST_YEAR <= value.astimezone(UTC).year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


def refuse_far_dates(value: date) -> date:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


Plain = AfterValidator(refuse_control_characters)
Instant = Annotated[AwareDatetime, AfterValidator(refuse_far_instants)]
Day = Annotated[date, AfterValidator(refuse_far_dates)]
Text = Annotated[str, Plain]  # free text with no length limit of its own

Username = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), Plain
]


class WireModel(BaseModel):
    # Unknown fields are refused where a request is checked (the server): a typo, or a field
    # a newer desk sends to an older server, must not be silently dropped.
    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def read(cls, data: Any) -> Self:
        """An answer from the other end, read tolerantly: fields this version does not know
        (a newer server's additions) are dropped at every level, then the rest is checked as
        strictly as ever. Every answer a desk reads comes through here."""
        return cls.model_validate(known_fields(cls, data))


def known_fields(annotation: Any, value: Any) -> Any:
    """``value`` without the keys ``annotation``'s models do not declare, at every depth."""
    if annotation is Any:  # nothing declared below: taken as it is (a batch's record bodies)
        return value
    origin = get_origin(annotation)
    if origin is Annotated:
        return known_fields(get_args(annotation)[0], value)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if not isinstance(value, dict):
            return value
        fields = annotation.model_fields
        by_key = {(field.alias or name): field for name, field in fields.items()}
        return {
            key: known_fields(by_key[key].annotation, item)
            for key, item in value.items()
            if key in by_key
        }
    if origin in (Union, UnionType):
        models = [a for a in get_args(annotation) if _is_model(a) or get_origin(a) is not None]
        return known_fields(models[0], value) if len(models) == 1 else value
    if origin in (list, tuple, set, frozenset, Sequence, AbstractSet) and isinstance(value, list):
        args = [a for a in get_args(annotation) if a is not Ellipsis]
        return [known_fields(args[0], item) for item in value] if len(args) == 1 else value
    if origin in (dict, Mapping) and isinstance(value, dict):
        pair = get_args(annotation)
        return {k: known_fields(pair[1], v) for k, v in value.items()} if pair else value
    return value


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


class LoginRequest(WireModel):
    username: Username
    password: Annotated[str, Field(min_length=1, max_length=256), Plain]


class TeamOut(WireModel):
    id: int
    name: str


class UserOut(WireModel):
    id: int
    username: str
    display_name: str
    role: Role
    team: TeamOut | None

    def to_record(self) -> UserProfile:
        team = Team(id=self.team.id, name=self.team.name) if self.team else None
        return UserProfile(
            id=self.id,
            username=self.username,
            display_name=self.display_name,
            role=self.role,
            team=team,
        )


class LoginResponse(WireModel):
    token: Annotated[str, Field(min_length=16)]
    token_type: str = "bearer"
    expires_at: datetime
    user: UserOut
    permissions: list[str]
    must_change_password: bool = False  # 1.6: a temporary password set by an admin

    def to_record(self) -> SessionGrant:
        return SessionGrant(
            token=self.token,
            expires_at=self.expires_at,
            user=self.user.to_record(),
            permissions=frozenset(self.permissions),
            must_change_password=self.must_change_password,
        )


class MeResponse(WireModel):
    user: UserOut
    permissions: list[str]  # from the user's stored role as it is now (1.6: editable)
    expires_at: datetime
    must_change_password: bool = False  # 1.6


class HealthResponse(WireModel):
    status: str
    service: str
    version: str


class ErrorBody(WireModel):
    """Every 4xx/5xx answer: a stable code, a human message, and the field at fault if any."""

    code: str
    message: str
    field: str | None = None


class DeskCode(WireModel):
    """A code the agent picks (a Not Ready reason, a wrap-up disposition) with its labels."""

    code: str
    en: str
    zh: str


# -- resources --------------------------------------------------------------------------------
# Each resource has an In (create), a Patch (update: every field optional, ``version``
# required, so a stale edit is detected) and an Out (what the server returns and the change
# feed carries). Text is stored and returned verbatim: HTML or SQL in a note is just text.

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Plain]
ShortText = Annotated[str, StringConstraints(max_length=200), Plain]
LongText = Annotated[str, StringConstraints(max_length=20_000), Plain]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32), Plain]
PhoneText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), Plain
]
Version = Annotated[int, Field(ge=1, le=2_147_483_647)]
# Record ids are 32-bit on every store we support: a larger number is a client error (422),
# never a database overflow (500).
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
# A call recording's id (sync.contract.recordings.RecordingMeta.recording_id): a UUID's hex.
RecordingId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$"), Plain]


Salutation = Literal["", "mr", "ms", "dr"]


class ContactIn(WireModel):
    name: Name
    phone: PhoneText
    email: Annotated[str, StringConstraints(max_length=200), Plain] = ""
    kind: Literal["mobile", "office", "home", "other"] = "mobile"
    # How the agent greets them: 先生 / 女士 / 医生 (Mr / Ms / Dr) with the family name.
    salutation: Salutation = ""


class ContactOut(WireModel):
    id: int
    name: str
    phone_e164: str
    extension: str
    email: str
    kind: str
    salutation: str = ""


class CustomerIn(WireModel):
    code: Code
    name: Name
    team_id: Id
    segment: Literal["standard", "key_account", "government", "partner"] = "standard"
    vip: bool = False
    language: Literal["zh", "en"] = "zh"
    preferred_channel: Channel = Channel.PHONE
    do_not_contact_by: list[Channel] = Field(default_factory=list, max_length=5)
    address: Annotated[str, StringConstraints(max_length=500), Plain] = ""
    notes: LongText = ""
    contacts: list[ContactIn] = Field(default_factory=list, max_length=20)


# Verify-on-file (contract 1.6): the identity checks an agent ticks on a call, recorded with
# its interaction and required before sensitive actions (``DeskSettings.required_checks``).
IdentityCheck = Literal["name", "phone", "address", "serial"]
IDENTITY_CHECKS: tuple[IdentityCheck, ...] = ("name", "phone", "address", "serial")
# The actions a centre may guard with required checks (the desk blocks them until ticked and
# the server refuses them without): today an address change.
ADDRESS_CHANGE = "address_change"
GUARDED_ACTIONS = (ADDRESS_CHANGE,)
_Checks = Annotated[list[IdentityCheck], Field(max_length=len(IDENTITY_CHECKS))]


class CustomerPatch(WireModel):
    version: Version
    name: Name | None = None
    team_id: Id | None = None
    segment: Literal["standard", "key_account", "government", "partner"] | None = None
    vip: bool | None = None
    language: Literal["zh", "en"] | None = None
    preferred_channel: Channel | None = None
    do_not_contact_by: list[Channel] | None = Field(default=None, max_length=5)
    address: Annotated[str, StringConstraints(max_length=500), Plain] | None = None
    notes: LongText | None = None
    contacts: list[ContactIn] | None = Field(default=None, max_length=20)
    # 1.6: the identity checks ticked on the call when this change was made; not stored, but
    # an address change needs the centre's required ones (DeskSettings.required_checks).
    checks: _Checks | None = None


class RecordVersion(WireModel):
    """The body of a delete: the version the client saw, checked like a patch's."""

    version: Version


class CustomerOut(WireModel):
    id: int
    code: str
    name: str
    team_id: int
    segment: str
    vip: bool
    language: str
    preferred_channel: Channel
    do_not_contact_by: list[Channel]
    address: str
    notes: str
    contacts: list[ContactOut]
    version: int
    updated_at: datetime


class Consumable(WireModel):
    name: Name
    cycle_days: Annotated[int, Field(ge=1, le=3650)]
    last_replaced: Day | None = None


class AssetIn(WireModel):
    customer_id: Id
    product_line: Name
    model: Name
    serial_number: Code
    purchase_date: Day
    warranty_end: Day
    consumables: list[Consumable] = Field(default_factory=list, max_length=20)


class AssetPatch(WireModel):
    version: Version
    product_line: Name | None = None
    model: Name | None = None
    purchase_date: Day | None = None
    warranty_end: Day | None = None
    consumables: list[Consumable] | None = Field(default=None, max_length=20)


class AssetOut(WireModel):
    id: int
    customer_id: int
    team_id: int
    product_line: str
    model: str
    serial_number: str
    purchase_date: date
    warranty_end: date
    consumables: list[Consumable]
    version: int
    updated_at: datetime


class InteractionIn(WireModel):
    customer_id: Id | None = None
    kind: InteractionKind
    started_at: Instant
    ended_at: Instant | None = None
    answered_at: Instant | None = None  # None: never answered (missed, failed)
    talk_s: Annotated[int, Field(ge=0, le=86_400)] = 0
    hold_s: Annotated[int, Field(ge=0, le=86_400)] = 0
    queue: ShortText = ""
    remote_number: Annotated[str, StringConstraints(max_length=60), Plain] = ""
    disposition: ShortText = ""
    notes: LongText = ""
    ticket_ids: list[Id] = Field(default_factory=list, max_length=20)
    checks: _Checks = Field(default_factory=list)  # 1.6: verified on this call
    recording_id: RecordingId | None = None  # 1.7: the call's recording (desk or PBX)
    # 1.8: after-call work (seconds in wrap-up), transfers made, the product it was about.
    wrap_up_s: Annotated[int, Field(ge=0, le=86_400)] = 0
    transfers: Annotated[int, Field(ge=0, le=100)] = 0
    product_line: ShortText = ""


class InteractionPatch(WireModel):
    version: Version
    customer_id: Id | None = None
    ended_at: Instant | None = None
    disposition: ShortText | None = None
    notes: LongText | None = None
    ticket_ids: list[Id] | None = Field(default=None, max_length=20)


class InteractionOut(WireModel):
    id: int
    customer_id: int | None
    team_id: int
    agent_id: int
    kind: InteractionKind
    started_at: datetime
    ended_at: datetime | None
    answered_at: datetime | None = None
    talk_s: int = 0
    hold_s: int = 0
    queue: str
    remote_number: str
    disposition: str
    notes: str
    ticket_ids: list[int]
    version: int
    updated_at: datetime
    checks: list[str] = Field(default_factory=list)  # 1.6: the identity checks ticked
    recording_id: str | None = None  # 1.7: the call's recording, if it was recorded
    wrap_up_s: int = 0  # 1.8
    transfers: int = 0  # 1.8
    product_line: str = ""  # 1.8


TicketNumber = Annotated[
    # rules.TICKET_NUMBER_PATTERN: day, agent, the desk's device id (newer desks), count
    str,
    StringConstraints(
        strip_whitespace=True, pattern=r"^SR-\d{8}-\d{1,7}-(?:[A-HJKMNP-Z2-9]{3}-)?\d{1,4}$"
    ),
    Plain,
]
Category = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), Plain
]


class Attachment(WireModel):
    """A file attached to a ticket: its name and size travel; the file may stay on the PC."""

    name: Name
    size: Annotated[int, Field(ge=0, le=2**40)]


class TicketIn(WireModel):
    # Given by the desk (sync.contract.rules.desk_ticket_number) so the caller hears it at once;
    # the server numbers a ticket sent without one.
    number: TicketNumber | None = None
    customer_id: Id
    contact_id: Id | None = None
    asset_id: Id | None = None
    attachments: list[Attachment] = Field(default_factory=list, max_length=20)
    channel: Channel = Channel.PHONE
    urgency: Urgency = Urgency.MEDIUM
    priority: Priority = Priority.P3
    category: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), Plain
    ]
    source: ShortText = "hotline"
    summary: Name
    content: LongText = ""
    complaint: bool = False
    handler_id: Id | None = None
    article_ids: list[Id] = Field(default_factory=list, max_length=20)


class TicketPatch(WireModel):
    version: Version
    status: TicketStatus | None = None
    urgency: Urgency | None = None
    priority: Priority | None = None
    category: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), Plain]
        | None
    ) = None
    summary: Name | None = None
    content: LongText | None = None
    complaint: bool | None = None
    handler_id: Id | None = None
    team_id: Id | None = None
    article_ids: list[Id] | None = Field(default=None, max_length=20)
    contact_id: Id | None = None
    asset_id: Id | None = None
    attachments: list[Attachment] | None = Field(default=None, max_length=20)
    # With a new handler_id: a handover to an expert, which an agent may make with a note.
    handover_note: (
        Annotated[
            str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), Plain
        ]
        | None
    ) = None


class TicketOut(WireModel):
    id: int
    number: str
    customer_id: int
    team_id: int
    handler_id: int | None
    channel: Channel
    urgency: Urgency
    priority: Priority
    category: str
    source: str
    status: TicketStatus
    summary: str
    content: str
    complaint: bool
    article_ids: list[int]
    opened_at: datetime
    closed_at: datetime | None
    escalation_level: int
    sla_due_at: datetime | None  # the complaint's response deadline (the escalation clock)
    version: int
    updated_at: datetime
    contact_id: int | None = None
    asset_id: int | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    resolve_due_at: datetime | None = None  # the resolution target for its priority
    # Contract 1.6: to whom the current escalation level went ("王经理"), and what the
    # centre calls that level ("service manager" / "服务经理"; empty: by its target).
    escalated_to: str | None = None
    escalation_target: str | None = None  # sync.contract.sla.EscalationTarget's value
    escalation_label_en: str = ""
    escalation_label_zh: str = ""


class TicketChangeOut(WireModel):
    at: datetime
    user_id: int | None
    field: str
    old: str | None
    new: str | None


class PartUsed(WireModel):
    name: Name
    quantity: Annotated[int, Field(ge=1, le=10_000)] = 1


class DispatchIn(WireModel):
    ticket_id: Id
    technician_id: Id | None = None  # an engineer (role technician); or a name alone
    technician: Name | None = None
    window_start: Instant
    window_end: Instant
    method: DispatchMethod = DispatchMethod.ON_SITE
    address: Annotated[str, StringConstraints(max_length=500), Plain] = ""
    contact_name: ShortText = ""
    contact_phone: Annotated[str, StringConstraints(max_length=60), Plain] = ""
    notes: LongText = ""
    previous_dispatch_id: Id | None = None


class DispatchPatch(WireModel):
    version: Version
    technician_id: Id | None = None
    technician: Name | None = None
    address: Annotated[str, StringConstraints(max_length=500), Plain] | None = None
    contact_name: ShortText | None = None
    contact_phone: Annotated[str, StringConstraints(max_length=60), Plain] | None = None
    # The engineer's report taken by phone (the same rules as PUT /dispatches/{id}/feedback).
    result: DispatchResult | None = None
    parts_used: list[PartUsed] | None = Field(default=None, max_length=50)
    window_start: Instant | None = None
    window_end: Instant | None = None
    method: DispatchMethod | None = None
    status: DispatchStatus | None = None
    cause: LongText | None = None
    resolution: LongText | None = None
    notes: LongText | None = None


class DispatchFeedback(WireModel):
    """The technician's report of a visit (from their app, or taken by an agent by phone)."""

    version: Version
    result: DispatchResult
    cause: LongText = ""
    resolution: LongText = ""
    parts_used: list[PartUsed] = Field(default_factory=list, max_length=50)


class DispatchOut(WireModel):
    id: int
    ticket_id: int
    team_id: int
    technician: str
    window_start: datetime
    window_end: datetime
    method: DispatchMethod
    status: DispatchStatus
    cause: str
    resolution: str
    notes: str
    previous_dispatch_id: int | None
    version: int
    updated_at: datetime
    technician_id: int | None = None
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    result: DispatchResult | None = None
    parts_used: list[PartUsed] = Field(default_factory=list)


class TaskIn(WireModel):
    kind: TaskKind
    customer_id: Id
    ticket_id: Id | None = None
    campaign_id: Id | None = None
    assignee_id: Id | None = None
    due_at: Instant
    notes: LongText = ""


class TaskPatch(WireModel):
    version: Version
    status: TaskStatus | None = None
    assignee_id: Id | None = None
    due_at: Instant | None = None
    outcome: LongText | None = None
    satisfaction: Annotated[int, Field(ge=1, le=5)] | None = None
    notes: LongText | None = None
    # One call's result: the status, attempts and next due time follow rules.after_call.
    outcome_code: CallOutcome | None = None
    campaign_outcome: Annotated[str, StringConstraints(max_length=40), Plain] | None = None


class TaskOut(WireModel):
    id: int
    kind: TaskKind
    customer_id: int
    ticket_id: int | None
    team_id: int
    assignee_id: int | None
    due_at: datetime
    status: TaskStatus
    outcome: str
    satisfaction: int | None
    notes: str
    version: int
    updated_at: datetime
    outcome_code: CallOutcome | None = None
    attempts: int = 0
    campaign_id: int | None = None
    campaign_outcome: str = ""


class CampaignOut(WireModel):
    """An outbound follow-up campaign: who to call is its tasks; how, its script and codes."""

    id: int
    team_id: int
    name: str
    script: str
    outcome_codes: list[DeskCode]
    active: bool
    version: int
    updated_at: datetime


class RecurringIssueOut(WireModel):
    """Five or more open tickets in a week on one category and product model: likely a
    product issue, flagged to the team lead."""

    id: int
    team_id: int
    category: str
    model: str
    count: int
    ticket_ids: list[int]
    flagged_at: datetime


class ArticleIn(WireModel):
    title: Name
    body: LongText
    language: Literal["zh", "en"]
    tags: list[Annotated[str, StringConstraints(max_length=40), Plain]] = Field(
        default_factory=list, max_length=20
    )
    product_lines: list[ShortText] = Field(default_factory=list, max_length=20)
    status: ArticleStatus = ArticleStatus.DRAFT


class ArticlePatch(WireModel):
    version: Version
    title: Name | None = None
    body: LongText | None = None
    tags: list[Annotated[str, StringConstraints(max_length=40), Plain]] | None = Field(
        default=None, max_length=20
    )
    product_lines: list[ShortText] | None = Field(default=None, max_length=20)
    status: ArticleStatus | None = None


class ArticleOut(WireModel):
    id: int
    title: str
    body: str
    language: str
    tags: list[str]
    product_lines: list[str]
    status: ArticleStatus
    author_id: int | None
    helpful: int
    not_helpful: int
    views: int
    version: int
    updated_at: datetime
    # Questions the experts answered with it (contract 1.6; absent from an older server).
    asked: list[str] = Field(default_factory=list)


# A spoken form and the article words it stands for (the KB's synonym table, managed by the
# experts; contract 1.6). Short: a word or two as agents type them.
SynonymWord = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), Plain
]


class SynonymIn(WireModel):
    spoken: SynonymWord
    words: Annotated[list[SynonymWord], Field(min_length=1, max_length=10)]


class SynonymPatch(WireModel):
    version: Version
    spoken: SynonymWord | None = None
    words: Annotated[list[SynonymWord], Field(min_length=1, max_length=10)] | None = None


class SynonymOut(WireModel):
    id: int
    spoken: str
    words: list[str]
    author_id: int | None
    version: int
    updated_at: datetime


class ArticleFeedback(WireModel):
    helpful: bool


class QuestionIn(WireModel):
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), Plain
    ]
    product_line: ShortText = ""
    ticket_id: Id | None = None


class QuestionAnswer(WireModel):
    version: Version
    answer: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000), Plain
    ]
    publish_as_article: bool = True
    title: Name | None = None
    language: Literal["zh", "en"] = "zh"
    # Answered with an article that exists (contract 1.6): no new article is published, and
    # the question is kept with that one (``ArticleOut.asked``), like a published answer's.
    article_id: Id | None = None
    # The words kept with the article for the search, as the expert left them (names and
    # addresses taken out: every team's desks receive them); None: the question as asked.
    # Either way the server drops phone numbers, e-mail addresses and ID numbers too.
    asked_text: Annotated[str, StringConstraints(max_length=2000), Plain] | None = None


class QuestionOut(WireModel):
    id: int
    text: str
    product_line: str
    ticket_id: int | None
    team_id: int
    asked_by: int
    status: QuestionStatus
    answer: str
    article_id: int | None
    version: int
    updated_at: datetime
    # Who the question went to, best first (1.6): the team's people with the product line's
    # skill by level, then the second-line experts and the on-duty engineer.
    experts: list[int] = Field(default_factory=list)


class SkillOut(WireModel):
    skill: str
    level: int


class SkillIn(WireModel):
    skill: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), Plain
    ]
    level: Annotated[int, Field(ge=1, le=10)]


class UserDetailOut(WireModel):
    id: int
    username: str
    display_name: str
    role: Role
    team_id: int | None
    skills: list[SkillOut]
    version: int
    updated_at: datetime
    region: str = ""  # where a field engineer works
    extension: str = ""  # where a consult transfer reaches them


class TeamDetailOut(WireModel):
    id: int
    name: str
    lead_id: int | None
    version: int
    updated_at: datetime
    callback_after: str = "all"  # all | complaints | none: which resolved tickets get a callback
    callback_delay_hours: int = 24
    monitor_indicator: bool = True  # agents see when their lead listens in
    manager_id: int | None = None  # contract 1.6: whom a "team manager" escalation goes to


class PresenceIn(WireModel):
    state: AgentState
    reason: ShortText = ""
    # Where this desk's softphone answers (a lead's monitor leg dials it): a plain SIP
    # address, no tel: number, no parameters (a lead's phone must never be sent elsewhere).
    sip_uri: Annotated[
        str,
        StringConstraints(
            max_length=200, pattern=r"^(|sips?:[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+(:\d{1,5})?)$"
        ),
        Plain,
    ] = ""


class PresenceOut(WireModel):
    user_id: int
    team_id: int | None
    state: AgentState
    reason: str
    since: datetime
    version: int
    updated_at: datetime


class MonitorRequest(WireModel):
    agent_id: Id
    mode: MonitorMode = MonitorMode.LISTEN


class MonitorModeIn(WireModel):
    mode: MonitorMode


class MonitorEnd(WireModel):
    reason: ShortText = ""


class MonitorRefusal(WireModel):
    """An agent's desk refused a monitor leg (no, a forged or an expired grant)."""

    reason: ShortText


class MonitorGrantOut(WireModel):
    """A one-time monitor grant. ``token`` is given to the lead alone; the agent's desk gets
    its SHA-256 by the event stream and checks the leg's header against it."""

    id: int
    lead_id: int
    agent_id: int
    mode: MonitorMode
    expires_at: datetime
    ended_at: datetime | None = None
    end_reason: str = ""
    token: str = ""
    agent_sip_uri: str = ""
    modes: list[dict[str, str]] = Field(default_factory=list)  # [{mode, at}] in order


class QueueOut(WireModel):
    id: int
    name: str
    team_id: int
    waiting: int
    longest_wait_s: int
    answered_today: int
    abandoned_today: int
    version: int
    updated_at: datetime
    extension: str = ""  # the queue's number: a call transferred there joins the queue (1.3)
    # Set by the centre's admins (1.6); None: the centre's default.
    wrap_up_s: int | None = None  # after-call work after this queue's calls
    service_level_s: int | None = None  # the service level's T: answered within this...
    service_level_pct: int | None = None  # ...for at least this share of the offered calls
    announcement: str = ""  # the prompt id or text the PBX plays to a caller waiting here


class QueueCounters(WireModel):
    waiting: Annotated[int, Field(ge=0, le=100_000)]
    longest_wait_s: Annotated[int, Field(ge=0, le=864_000)]
    answered_today: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    abandoned_today: Annotated[int, Field(ge=0, le=10_000_000)] | None = None


class Preferences(WireModel):
    """Per-user settings kept on the server, so an agent gets the same desktop at any seat."""

    language: Literal["auto", "en", "zh_CN"] = "auto"
    layout: Annotated[str, StringConstraints(max_length=20_000), Plain] = ""
    shortcuts: dict[
        Annotated[str, StringConstraints(max_length=60), Plain],
        Annotated[str, StringConstraints(max_length=40), Plain],
    ] = Field(default_factory=dict, max_length=100)
    capture_device: ShortText = ""
    playback_device: ShortText = ""
    ringing_device: ShortText = ""
    auto_answer: bool = False
    # A lead's wallboard alert thresholds (AlertThresholds.to_json()); "" = the built-in ones.
    wallboard_thresholds: Annotated[str, StringConstraints(max_length=4000), Plain] = ""
    # Contract 1.6: the compact always-on-top call bar while the window is minimised.
    compact_call_bar: bool = False


class AuditOut(WireModel):
    id: int
    at: datetime
    user_id: int | None
    action: str
    target: str
    allowed: bool
    detail: str


# -- change feed and events -------------------------------------------------------------------

ENTITIES = (
    "customer",
    "asset",
    "interaction",
    "ticket",
    "dispatch",
    "task",
    "article",
    "question",
    "user",
    "team",
    "presence",
    "queue",
    "campaign",
)


class ChangeOut(WireModel):
    """One changed record: ``op`` is upsert (``data`` is the record) or delete (a tombstone)."""

    seq: int
    entity: str
    id: int
    op: Literal["upsert", "delete"]
    version: int
    data: dict[str, Any] | None


class ChangesPage(WireModel):
    changes: list[ChangeOut]
    cursor: int
    has_more: bool
    remaining: int | None = None  # changes after ``cursor``, when asked with ``count=true``


class EventOut(WireModel):
    id: int
    kind: str
    at: datetime
    data: dict[str, Any]


class ConflictBody(WireModel):
    """409: the record changed since the client read it; ``current`` is what the server has."""

    code: str
    message: str
    field: str | None = None
    current: dict[str, Any]


# -- the batch route (contract 1.2) ------------------------------------------------------------
# A desk pushes its outbox in ordered batches. Each operation is the request it would have sent
# alone (method, path under API_PREFIX, body, Idempotency-Key), so a write first sent alone and
# sent again in a batch after a lost answer is the same request to the idempotency check.

MAX_BATCH_OPERATIONS = 200
WriteMethod = Literal["POST", "PUT", "PATCH", "DELETE"]
BatchPath = Annotated[str, StringConstraints(pattern=r"^/[A-Za-z0-9_\-/]{1,300}$"), Plain]
BatchKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:\-]{1,200}$"), Plain]


class BatchOperation(WireModel):
    method: WriteMethod
    path: BatchPath  # e.g. "/customers/12": a write route, no query
    key: BatchKey | None = None  # its Idempotency-Key
    body: dict[Text, Any] | None = None  # None: no body, as a request without one


class BatchRequest(WireModel):
    operations: Annotated[
        list[BatchOperation], Field(min_length=1, max_length=MAX_BATCH_OPERATIONS)
    ]


class BatchResult(WireModel):
    """One operation's answer, as the route would have answered it alone: ``status`` 2xx with
    the record (None for 204), or 4xx/5xx with an ``ErrorBody`` (a ``ConflictBody`` for a
    stale version). ``status`` 0: not tried; the desk sends it again in a later batch (this
    server tries every operation; a later one may stop early, and the desk is ready for it)."""

    status: int
    body: dict[str, Any] | None = None
    replayed: bool = False  # the answer stored under its Idempotency-Key, sent again


class BatchAnswer(WireModel):
    results: list[BatchResult]  # one per operation, in order


class TeamPolicy(WireModel):
    # (Checked types: a desk may send the document it read back in ``DeskSettingsIn``.)
    callback_after: Literal["all", "complaints", "none"] = "all"
    callback_delay_hours: int = 24


class QueueSettings(WireModel):
    """What the centre's admins set for one queue (1.6): ``None`` is the centre's default."""

    wrap_up_s: int | None = None
    service_level_s: int | None = None
    service_level_pct: int | None = None
    announcement: Annotated[str, StringConstraints(max_length=400), Plain] = ""


class QueueSettingsIn(WireModel):
    """An admin's change to one queue (``PUT /queues/{id}/settings``), at the version read."""

    wrap_up_s: Annotated[int, Field(ge=0, le=3600)] | None = None
    service_level_s: Annotated[int, Field(ge=1, le=3600)] | None = None
    service_level_pct: Annotated[int, Field(ge=1, le=100)] | None = None
    announcement: Annotated[str, StringConstraints(max_length=400), Plain] = ""
    version: Annotated[int, Field(ge=0, le=2_147_483_647)]


class TeamPolicyIn(WireModel):
    """A team's callback (回访) and survey policy (``PUT /teams/{id}/policy``, 1.6): which
    resolved tickets get a survey call (all, complaints only, none) and how long after."""

    callback_after: Literal["all", "complaints", "none"]
    callback_delay_hours: Annotated[int, Field(ge=0, le=24 * 30)]
    version: Annotated[int, Field(ge=0, le=2_147_483_647)]


class SkillCatalogueEntry(WireModel):
    """A skill the centre knows (``GET /skills``, 1.6), with how many people hold it."""

    skill: str
    description: str = ""
    holders: int = 0


class SkillCatalogueIn(WireModel):
    description: Annotated[str, StringConstraints(max_length=400), Plain] = ""


class AgentSkillsOut(WireModel):
    """One person's skills and levels, for the PBX's skill-based routing
    (``GET /skills/agents``, 1.6)."""

    user_id: int
    username: str
    extension: str
    team_id: int | None
    skills: list[SkillOut]


class DeskSettings(WireModel):
    """What the centre sets for every desk: reason and disposition codes, after-call work."""

    not_ready_reasons: list[DeskCode]
    dispositions: list[DeskCode]
    default_wrap_up_s: int
    wrap_up_s: dict[str, int]  # per queue name; default_wrap_up_s for the others
    ring_no_answer_s: int  # an offered call not answered in this time counts as missed
    # The ticket category tree: "fault" is a branch, "fault.alarm" a leaf under it.
    ticket_categories: list[DeskCode] = Field(default_factory=list)
    # 1.6: the identity checks an action needs first, by action (GUARDED_ACTIONS), e.g.
    # {"address_change": ["name", "address"]}; none by default.
    required_checks: dict[str, list[str]] = Field(default_factory=dict)
    # The stored document's version (1: the shipped defaults, never changed); 0 from a server
    # before stored settings. An admin's change sends back the version it read.
    version: int = 0
    # Each queue's own settings by queue name (1.6; a server before sends none): its wrap-up
    # time wins over ``wrap_up_s``. Not part of the document an admin PUTs: queues are rows.
    queues: dict[str, QueueSettings] = Field(default_factory=dict)
    # Each team's callback policy by team id (1.6), as the server applies it.
    team_policies: dict[int, TeamPolicy] = Field(default_factory=dict)


# What an admin sends (PUT /desk-settings, the whole document). Types and sizes are checked
# here; the rules a centre must keep (codes as identifiers, the desk's own reasons, ranges) by
# ``sync.contract.desk.settings_problems``, so the route and the command line refuse alike.
_SettingText = Annotated[str, StringConstraints(max_length=400), Plain]


class DeskCodeIn(WireModel):
    code: _SettingText
    en: _SettingText
    zh: _SettingText


class DeskSettingsIn(WireModel):
    not_ready_reasons: Annotated[list[DeskCodeIn], Field(max_length=200)]
    dispositions: Annotated[list[DeskCodeIn], Field(max_length=200)]
    default_wrap_up_s: int
    wrap_up_s: Annotated[dict[_SettingText, int], Field(max_length=500)]
    ring_no_answer_s: int
    ticket_categories: Annotated[list[DeskCodeIn], Field(max_length=1000)] = Field(
        default_factory=list
    )
    required_checks: Annotated[dict[_SettingText, _Checks], Field(max_length=20)] = Field(
        default_factory=dict
    )
    version: Annotated[int, Field(ge=0, le=2_147_483_647)]  # the version the admin read
    # What GET answers beside the document (1.6), taken when sent back and ignored: queues
    # and teams are rows with routes of their own.
    queues: Annotated[dict[_SettingText, QueueSettings], Field(max_length=500)] = Field(
        default_factory=dict
    )
    team_policies: Annotated[dict[int, TeamPolicy], Field(max_length=500)] = Field(
        default_factory=dict
    )

    def settings(self, version: int) -> DeskSettings:
        def codes(items: list[DeskCodeIn]) -> list[DeskCode]:
            return [DeskCode(code=c.code, en=c.en, zh=c.zh) for c in items]

        return DeskSettings(
            not_ready_reasons=codes(self.not_ready_reasons),
            dispositions=codes(self.dispositions),
            default_wrap_up_s=self.default_wrap_up_s,
            wrap_up_s=dict(self.wrap_up_s),
            ring_no_answer_s=self.ring_no_answer_s,
            ticket_categories=codes(self.ticket_categories),
            required_checks={k: list(v) for k, v in self.required_checks.items()},
            version=version,
        )


# -- administration: roles, users, teams (contract 1.6; server_stub.api.routes.admin) ---------

RoleName = Annotated[str, Field(min_length=2, max_length=40, pattern=r"^[a-z][a-z0-9_.-]*$"), Plain]
PermissionName = Annotated[str, Field(min_length=1, max_length=80), Plain]


class RoleIn(WireModel):
    """A role as the admin writes it. ``version``: the one they read (on a change)."""

    name: RoleName
    kind: Role = Role.AGENT
    permissions: list[PermissionName]
    scope: RecordScope = RecordScope.OWN
    teams: list[int] = []
    version: int | None = None


class RoleOut(WireModel):
    name: str
    kind: Role
    permissions: list[str]
    scope: RecordScope
    teams: list[int]
    version: int
    users: int  # how many users hold it


class AdminUserOut(WireModel):
    id: int
    username: str
    display_name: str
    role_name: str
    kind: Role
    team: TeamOut | None
    active: bool
    must_change_password: bool


class AdminUserIn(WireModel):
    username: Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[a-z0-9_.-]+$"), Plain]
    display_name: Annotated[str, Field(min_length=1, max_length=120), Plain]
    role_name: RoleName
    team_id: int | None = None


class AdminUserChange(WireModel):
    """Only the fields given change."""

    display_name: Annotated[str, Field(min_length=1, max_length=120), Plain] | None = None
    role_name: RoleName | None = None
    team_id: int | None = None
    move_to_no_team: bool = False  # team_id None means "unchanged"; this means "no team"
    active: bool | None = None


class TemporaryPassword(WireModel):
    """Shown once to the admin, never stored or logged in clear; the user must change it at
    the next sign-in."""

    user: AdminUserOut
    password: str


class AdminTeamIn(WireModel):
    name: Annotated[str, Field(min_length=1, max_length=120), Plain]
    lead_id: int | None = None


class AdminTeamOut(WireModel):
    id: int
    name: str
    lead_id: int | None
    members: int


class ImportIn(WireModel):
    """A CSV of users (header: username, display_name, role, team) for a new centre: teams it
    names that do not exist are created."""

    format: Literal["csv"] = "csv"
    content: Annotated[str, Field(max_length=2_000_000), Plain]


class ImportProblem(WireModel):
    row: int  # 1 is the header line; the first user is row 2
    field: str
    message: str


class ImportRow(WireModel):
    """One user of an import, as read from its row."""

    row: int
    username: Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[a-z0-9_.-]+$"), Plain]
    display_name: Annotated[str, Field(min_length=1, max_length=120), Plain]
    role: RoleName
    team: Annotated[str, Field(max_length=120), Plain] = ""  # a name; created if new


class ImportPreview(WireModel):
    rows: list[ImportRow]
    new_teams: list[str]
    problems: list[ImportProblem]


class ImportApplied(WireModel):
    users: list[TemporaryPassword]
    new_teams: list[AdminTeamOut]


class PasswordChange(WireModel):
    current: Annotated[str, Field(min_length=1, max_length=256), Plain]
    new: Annotated[str, Field(min_length=8, max_length=256), Plain]
