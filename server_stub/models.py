"""The backend's own storage models (the wire schemas live in ``sync.contract.wire``).

Every record a desktop caches has ``version`` (SQLAlchemy's version counter: an UPDATE carries
``WHERE version = :seen``, so two concurrent edits cannot both win) and ``updated_at``.
``changes`` is the change feed (one row per write, in commit order) and ``events`` the event
stream; both live in the database so every server process sees them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from sync.clock import utc


class UtcStamp(TypeDecorator[datetime]):
    """An instant, stored and compared in UTC on every database.

    SQLite keeps a datetime as text of its wall-clock digits and drops the zone, so a bound
    such as "midnight in Shanghai" (16:00 UTC the day before) was compared as "00:00" against
    UTC digits: the wallboard's day began 8 hours late. Every value is turned to UTC going in
    and comes back aware in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        return None if value is None else utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        return None if value is None else utc(value)


Stamp = UtcStamp()
# JSONB on PostgreSQL: comparable and indexable, unlike json.
Json = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: Json, list[Any]: Json}  # noqa: RUF012


class Versioned:
    """Mixin: optimistic concurrency and a modification time on every synced record."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(Stamp)


class TeamRow(Versioned, Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))
    # Above the lead: whom an escalation level for "the team's manager" goes to (issue 27).
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, name="fk_teams_manager_id_users")
    )
    # Callbacks (回访) after a ticket is resolved: for all tickets, complaints only, or none.
    callback_after: Mapped[str] = mapped_column(String(12), default="all")
    callback_delay_hours: Mapped[int] = mapped_column(Integer, default=24)
    # Whether the team's agents see "monitored by …" while their lead listens in.
    monitor_indicator: Mapped[bool] = mapped_column(Boolean, default=True)
    # How long the team's call recordings are kept (issue 20; server_stub.recording_retention).
    recording_retention_days: Mapped[int] = mapped_column(
        Integer, default=180, server_default="180"
    )
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class UserRow(Versioned, Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The stored role (``RoleRow.name``) the user's permissions come from; None: the shipped
    # role named like ``role`` (users made before roles were stored, and by the seeds).
    # ``role`` stays the role's kind, which the rest of the server reads (board, dispatch…).
    role_name: Mapped[str | None] = mapped_column(String(40), default=None)
    # A temporary password an admin set: the desk asks for a new one at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    region: Mapped[str] = mapped_column(String(60), default="")
    extension: Mapped[str] = mapped_column(String(40), default="")
    team: Mapped[TeamRow | None] = relationship(foreign_keys=[team_id], lazy="joined")
    skills: Mapped[list[UserSkillRow]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="UserSkillRow.skill"
    )
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class RoleRow(Base):
    """A role as the centre's admins keep it: a set of permissions (action names) and which
    teams' records it sees (``RecordScope``; ``teams`` for a listed scope). Seeded with the
    shipped roles by migration 0007."""

    __tablename__ = "roles"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # sync.contract.records.Role
    permissions: Mapped[list[str]] = mapped_column(Json)
    scope: Mapped[str] = mapped_column(String(10), default="own")
    teams: Mapped[list[int]] = mapped_column(Json)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(Stamp)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class UserSkillRow(Base):
    """An agent can be in several skill groups, at a different level in each."""

    __tablename__ = "user_skills"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    skill: Mapped[str] = mapped_column(String(60), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)


class SkillRow(Base):
    """The centre's skill catalogue (contract 1.6): the names admins give agents levels in.
    A skill an agent holds that is not listed still counts (older data)."""

    __tablename__ = "skills"
    skill: Mapped[str] = mapped_column(String(60), primary_key=True)
    description: Mapped[str] = mapped_column(String(400), default="")
    updated_at: Mapped[datetime] = mapped_column(Stamp)


class AccessTokenRow(Base):
    """A bearer token, stored only as its SHA-256: a copy of this table signs nobody in."""

    __tablename__ = "access_tokens"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(Stamp)
    expires_at: Mapped[datetime] = mapped_column(Stamp)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class CustomerRow(Versioned, Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    segment: Mapped[str] = mapped_column(String(32), default="standard")
    vip: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(8), default="zh")
    preferred_channel: Mapped[str] = mapped_column(String(16), default="phone")
    do_not_contact_by: Mapped[list[Any]] = mapped_column(default=list)
    address: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[list[ContactRow]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ContactRow.id"
    )
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class ContactRow(Base):
    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored in E.164 so a caller id looks it up with one indexed equality.
    phone_e164: Mapped[str] = mapped_column(String(20), index=True)
    extension: Mapped[str] = mapped_column(String(10), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(10), default="mobile")
    salutation: Mapped[str] = mapped_column(String(4), default="")


class AssetRow(Versioned, Base):
    __tablename__ = "assets"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    product_line: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(200))
    serial_number: Mapped[str] = mapped_column(String(64), unique=True)
    purchase_date: Mapped[date] = mapped_column(Date)
    warranty_end: Mapped[date] = mapped_column(Date)
    consumables: Mapped[list[Any]] = mapped_column(default=list)
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class InteractionRow(Versioned, Base):
    __tablename__ = "interactions"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(Stamp)
    ended_at: Mapped[datetime | None] = mapped_column(Stamp)
    answered_at: Mapped[datetime | None] = mapped_column(Stamp)
    talk_s: Mapped[int] = mapped_column(Integer, default=0)
    hold_s: Mapped[int] = mapped_column(Integer, default=0)
    queue: Mapped[str] = mapped_column(String(200), default="")
    remote_number: Mapped[str] = mapped_column(String(60), default="")
    disposition: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    ticket_ids: Mapped[list[Any]] = mapped_column(default=list)
    # Verify-on-file (contract 1.6): the identity checks the agent ticked ("name", "phone",
    # "address", "serial"…); [] from a desk before 1.6 or when nothing was ticked.
    checks: Mapped[list[Any]] = mapped_column(default=list)
    # The call's recording (contract 1.7; the recordings table's recording_id): the desk knows
    # it when it writes the interaction, after the recording was sealed.
    recording_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    # Reports (contract 1.8, migration 0018): after-call work, transfers made, and the product
    # the call was about; 0 / "" from a desk before 1.8.
    wrap_up_s: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    transfers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    product_line: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The start of the same customer's next inbound call (inbound calls only; NULL: none yet),
    # kept by server_stub.next_calls at write time: first-contact resolution in the reports.
    next_call_at: Mapped[datetime | None] = mapped_column(Stamp, nullable=True)
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012
    __table_args__ = (
        # The forecast's year of a team's inbound calls, read from the index alone (0019_wfm).
        Index("ix_interactions_team_kind_started", "team_id", "kind", "started_at"),
        # A year of calls read by period: by team, agent, or the whole centre; and a caller's
        # next call (first-contact resolution; 0018_reports).
        Index("ix_interactions_team_started", "team_id", "started_at"),
        Index("ix_interactions_agent_started", "agent_id", "started_at"),
        Index("ix_interactions_started", "started_at"),
        Index("ix_interactions_customer_started", "customer_id", "started_at"),
    )


class TicketRow(Versioned, Base):
    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(16), default="phone")
    urgency: Mapped[str] = mapped_column(String(8), default="medium")
    priority: Mapped[str] = mapped_column(String(4), default="P3")
    category: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(200), default="hotline")
    status: Mapped[str] = mapped_column(String(20), index=True)
    complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    article_ids: Mapped[list[Any]] = mapped_column(default=list)
    opened_at: Mapped[datetime] = mapped_column(Stamp)
    closed_at: Mapped[datetime | None] = mapped_column(Stamp)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    # The SLA clock of the current level: when it started and when it runs out.
    sla_since: Mapped[datetime | None] = mapped_column(Stamp)
    sla_due_at: Mapped[datetime | None] = mapped_column(Stamp, index=True)
    resolve_due_at: Mapped[datetime | None] = mapped_column(Stamp)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id"), index=True)
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    # The escalation chain's levels (sync.contract.sla.EscalationLevel, as JSON) as they were
    # when the clock started: a policy changed later does not rewrite this ticket's clock.
    escalation_chain: Mapped[list[Any] | None] = mapped_column()
    # Who the current level went to, by name ("王经理"), for the form and the board.
    escalated_to: Mapped[str | None] = mapped_column(Text)
    # The region the service is for (reports by region, migration 0018); "" unknown.
    region: Mapped[str] = mapped_column(String(60), default="", server_default="")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_tickets_team_opened", "team_id", "opened_at"),
        Index("ix_tickets_opened", "opened_at"),
    )


class TicketHistoryRow(Base):
    """Every change of a ticket: who, when, which field, from what to what."""

    __tablename__ = "ticket_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime] = mapped_column(Stamp)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)


class DispatchRow(Versioned, Base):
    __tablename__ = "dispatches"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    technician: Mapped[str] = mapped_column(String(200))
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(60), default="")
    result: Mapped[str | None] = mapped_column(String(16))
    parts_used: Mapped[list[Any]] = mapped_column(default=list)
    window_start: Mapped[datetime] = mapped_column(Stamp)
    window_end: Mapped[datetime] = mapped_column(Stamp)
    method: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="planned")
    cause: Mapped[str] = mapped_column(Text, default="")
    resolution: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    previous_dispatch_id: Mapped[int | None] = mapped_column(ForeignKey("dispatches.id"))
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class TaskRow(Versioned, Base):
    """Callbacks, satisfaction surveys and proactive (outbound) service."""

    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_at: Mapped[datetime] = mapped_column(Stamp)
    status: Mapped[str] = mapped_column(String(16), default="open")
    outcome: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    outcome_code: Mapped[str | None] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    campaign_outcome: Mapped[str] = mapped_column(String(40), default="")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012
    # A ticket's callbacks (the service report's satisfaction), migration 0018.
    __table_args__ = (Index("ix_tasks_ticket", "ticket_id"),)


class CampaignRow(Versioned, Base):
    """An outbound follow-up campaign (e.g. a product-usage survey): a script and the outcome
    codes its calls are recorded with; the customers to call are its tasks."""

    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    script: Mapped[str] = mapped_column(Text, default="")
    outcome_codes: Mapped[list[Any]] = mapped_column(default=list)  # [{code, en, zh}]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class RecurringIssueRow(Base):
    """A likely product issue: one flag per team, category and model and window."""

    __tablename__ = "recurring_issues"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(Integer)
    ticket_ids: Mapped[list[Any]] = mapped_column(default=list)
    flagged_at: Mapped[datetime] = mapped_column(Stamp)


class ArticleRow(Versioned, Base):
    __tablename__ = "kb_articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    tags: Mapped[list[Any]] = mapped_column(default=list)
    product_lines: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16), default="published")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    helpful: Mapped[int] = mapped_column(Integer, default=0)
    not_helpful: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int] = mapped_column(Integer, default=0)
    # Questions the experts answered with this article, in the askers' words (migration 0011).
    asked: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class SynonymRow(Versioned, Base):
    """A spoken form agents type and the article words it stands for, set by the experts
    (migration 0012); the desks search with it beside the shipped seed table."""

    __tablename__ = "kb_synonyms"
    id: Mapped[int] = mapped_column(primary_key=True)
    spoken: Mapped[str] = mapped_column(String(40), unique=True)
    words: Mapped[list[Any]] = mapped_column(default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class ArticleReaderRow(Base):
    """What one user did to one article: their vote (one per user; a new one replaces it) and
    the last centre day their view was counted (at most one a day), so that no agent can
    inflate an article's counters (migration 0002)."""

    __tablename__ = "kb_article_readers"
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    helpful: Mapped[bool | None] = mapped_column(Boolean, default=None)
    viewed_on: Mapped[date | None] = mapped_column(Date, default=None)


class QuestionRow(Versioned, Base):
    """A question an agent could not answer from the knowledge base, routed to experts."""

    __tablename__ = "kb_questions"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    product_line: Mapped[str] = mapped_column(String(200), default="")
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    asked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    answer: Mapped[str] = mapped_column(Text, default="")
    article_id: Mapped[int | None] = mapped_column(ForeignKey("kb_articles.id"))
    # Who it was routed to, best first (user ids; contract 1.6): skill and level decide.
    routed_to: Mapped[list[Any] | None] = mapped_column(Json, nullable=True)
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class PresenceRow(Versioned, Base):
    __tablename__ = "presence"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(200), default="")
    since: Mapped[datetime] = mapped_column(Stamp)
    sip_uri: Mapped[str] = mapped_column(String(200), default="")
    # When the desk was last heard from (its heartbeats, batched: server_stub.presence_alive);
    # None: not known (a desk before contract 1.4, never marked lost). Not part of the record:
    # a heartbeat changes neither its version nor the change feed.
    last_seen: Mapped[datetime | None] = mapped_column(Stamp, nullable=True)
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


# The table itself, for statements beside the record (``last_seen``) that must not move its
# version as the ORM would.
PRESENCE_TABLE = cast(Table, PresenceRow.__table__)


class MonitorGrantRow(Base):
    """A one-time permission for a lead's leg to join an agent's call; a session's record."""

    __tablename__ = "monitor_grants"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    mode: Mapped[str] = mapped_column(String(12))
    modes: Mapped[list[Any]] = mapped_column(default=list)  # [{mode, at}]
    created_at: Mapped[datetime] = mapped_column(Stamp)
    expires_at: Mapped[datetime] = mapped_column(Stamp)
    ended_at: Mapped[datetime | None] = mapped_column(Stamp)
    end_reason: Mapped[str] = mapped_column(String(200), default="")


class QueueRow(Versioned, Base):
    __tablename__ = "queues"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    waiting: Mapped[int] = mapped_column(Integer, default=0)
    longest_wait_s: Mapped[int] = mapped_column(Integer, default=0)
    answered_today: Mapped[int] = mapped_column(Integer, default=0)
    abandoned_today: Mapped[int] = mapped_column(Integer, default=0)
    extension: Mapped[str] = mapped_column(String(40), default="")  # where a transfer goes
    # Set by the centre's admins (contract 1.6); NULL: the centre's default.
    wrap_up_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    service_level_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    service_level_pct: Mapped[int | None] = mapped_column(Integer, nullable=True)
    announcement: Mapped[str] = mapped_column(String(400), default="", server_default="")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class PreferencesRow(Base):
    __tablename__ = "preferences"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(Stamp)


class DeskSettingsRow(Base):
    """The centre's desk settings (one row, id 1): the whole ``DeskSettings`` document as JSON,
    changed by admins as a whole. No row: the shipped defaults, version 1."""

    __tablename__ = "desk_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(Stamp)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SlaPoliciesRow(Base):
    """The centre's SLA policies and escalation chains (one row, id 1): the whole
    ``sync.contract.sla.SlaPolicies`` document as JSON. No row: the defaults, version 1."""

    __tablename__ = "sla_policies"
    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(Stamp)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class TeamAlertThresholdsRow(Base):
    """A team's alert thresholds (``sync.contract.wallboard.AlertThresholds`` as JSON), set by
    the team's leads. No row: the shipped defaults, version 0."""

    __tablename__ = "team_alert_thresholds"
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(Stamp)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AlertRow(Base):
    """An alert the server raised for a team (``server_stub.alerts``). ``open_key`` is
    "team:kind:subject" while the alert holds and NULL once cleared: unique, so of two server
    processes raising the same breach at once exactly one inserts (NULLs never collide, so
    the history keeps every past breach)."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[float] = mapped_column(Float)
    limit: Mapped[float] = mapped_column("limit_value", Float)
    raised_at: Mapped[datetime] = mapped_column(Stamp, index=True)
    cleared_at: Mapped[datetime | None] = mapped_column(Stamp)
    acked_at: Mapped[datetime | None] = mapped_column(Stamp)
    acked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    open_key: Mapped[str | None] = mapped_column(String(300), unique=True)


class AgentStateRow(Base):
    """One span of an agent's state (issue 21): from ``started_at`` until ``ended_at`` (NULL
    while it lasts). The presence record keeps only the state now; reports (occupancy) and
    workforce planning (adherence: scheduled activity against what the agent did) need the
    history. Written by ``server_stub.agent_states`` wherever presence changes."""

    __tablename__ = "agent_states"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(Stamp)
    ended_at: Mapped[datetime | None] = mapped_column(Stamp, nullable=True)
    __table_args__ = (
        # A day's spans of a team (reports, the board) and of one agent (adherence, the open
        # span closed at the next change).
        Index("ix_agent_states_team_started", "team_id", "started_at"),
        Index("ix_agent_states_user_started", "user_id", "started_at"),
    )


class MailboxCursorRow(Base):
    """How far a team mailbox was read (issue 22): IMAP's UIDVALIDITY and the last UID taken.
    Moved in the transaction that takes the mail, so a restart reads on from there; a new
    UIDVALIDITY (the folder was rebuilt) reads it again from the start, and Message-IDs
    already taken are skipped."""

    __tablename__ = "mailbox_cursors"
    mailbox: Mapped[str] = mapped_column(String(200), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(Stamp)


class MailMessageRow(Base):
    """A mail in or out of a team mailbox (issue 22). An incoming mail is claimed by its
    (mailbox, UIDVALIDITY, UID): the unique key makes a second server process reading the
    same mailbox fail its insert and skip the mail, so each mail is taken exactly once.
    Outgoing replies wait here ("queued") until the mail round sends them."""

    __tablename__ = "mail_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(200))
    direction: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(10), index=True)
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[str] = mapped_column(String(250), index=True)
    in_reply_to: Mapped[str] = mapped_column(Text, default="")
    references: Mapped[str] = mapped_column(Text, default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sender: Mapped[str] = mapped_column(String(254), index=True)
    recipient: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    at: Mapped[datetime] = mapped_column(Stamp, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(Stamp)
    # When a process claimed the reply to send it: one claimed long ago by a process that
    # died mid-send is queued again (at most one duplicate, never a lost reply).
    claimed_at: Mapped[datetime | None] = mapped_column(Stamp)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (UniqueConstraint("mailbox", "uidvalidity", "uid", name="uq_mail_uid"),)


class MailAttachmentRow(Base):
    """A file that came with a customer's mail, kept (within the size limits) under a
    sanitised name."""

    __tablename__ = "mail_attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("mail_messages.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PortalCodeRow(Base):
    """A one-time sign-in code sent by SMS to a customer's phone (issue 22): kept only as its
    SHA-256 (with the phone as salt), good for minutes and a few tries."""

    __tablename__ = "portal_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    phone_e164: Mapped[str] = mapped_column(String(20), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Stamp)
    expires_at: Mapped[datetime] = mapped_column(Stamp)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class PortalAttemptRow(Base):
    """One rate-limited portal action (a code asked for, a sign-in tried), by phone or by the
    client's address: the limits count these rows in a sliding window."""

    __tablename__ = "portal_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(Stamp)
    __table_args__ = (Index("ix_portal_attempts_kind_key_at", "kind", "key", "at"),)


class PortalSessionRow(Base):
    """A signed-in customer: the cookie's token kept as SHA-256, the phone it proved (its
    customers' tickets are the only ones shown) and the form token (CSRF) of the session."""

    __tablename__ = "portal_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    phone_e164: Mapped[str] = mapped_column(String(20))
    # Signed in with a ticket number + phone: that ticket only.
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Stamp)
    expires_at: Mapped[datetime] = mapped_column(Stamp)


class PortalFileRow(Base):
    """A photo a customer attached to a ticket on the portal (size and type checked)."""

    __tablename__ = "portal_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(Stamp)


class PortalFeedbackRow(Base):
    """A customer's rating of a resolved ticket, or a complaint about it, from the portal."""

    __tablename__ = "portal_feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "rating" or "complaint"
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(Stamp)


class SelfServiceRow(Base):
    """ "This solved it" on a pushed or searched FAQ article: a request that never became a
    ticket (self-service), counted per article."""

    __tablename__ = "kb_self_service"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id"), index=True)
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(Stamp)


class SmsMessageRow(Base):
    """Every SMS notice asked for: sent, failed (and why) or held back by an opt-out."""

    __tablename__ = "sms_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    phone_e164: Mapped[str] = mapped_column(String(20), index=True)
    template: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(Stamp)


class SmsOptOutRow(Base):
    """A phone that asked for no more SMS notices (STOP / 退订, or the portal's switch).
    Sign-in codes still go: the customer asked for them that minute."""

    __tablename__ = "sms_opt_outs"
    phone_e164: Mapped[str] = mapped_column(String(20), primary_key=True)
    at: Mapped[datetime] = mapped_column(Stamp)
    via: Mapped[str] = mapped_column(String(16))


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(Stamp, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(80))
    target: Mapped[str] = mapped_column(String(200), default="")
    allowed: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(Text, default="")


class RecordingRow(Base):
    """A call's recording (issue 20): the desk's metadata, who it belongs to, and where the
    file is (``sha256`` names it in the recordings store; '' for a PBX's recording, which the
    server only links). ``deleted_at``: retention removed the file; the row stays for the
    audit trail and the interaction's history."""

    __tablename__ = "recordings"
    recording_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str] = mapped_column(String(8))
    pbx_recording_id: Mapped[str | None] = mapped_column(String(200))
    sip_call_id: Mapped[str] = mapped_column(String(200), default="")
    agent: Mapped[str] = mapped_column(String(200))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(Integer, index=True)
    customer_id: Mapped[int | None] = mapped_column(Integer)
    queue: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(12))
    started_at: Mapped[datetime] = mapped_column(Stamp, index=True)
    ended_at: Mapped[datetime] = mapped_column(Stamp)
    duration_ms: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    pauses: Mapped[list[Any]] = mapped_column()
    holds: Mapped[list[Any]] = mapped_column()
    stored_at: Mapped[datetime] = mapped_column(Stamp)
    deleted_at: Mapped[datetime | None] = mapped_column(Stamp)


class IdempotencyRow(Base):
    """The first answer to a write sent with an Idempotency-Key, replayed on a retry."""

    __tablename__ = "idempotency_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(Stamp)
    __table_args__ = (UniqueConstraint("user_id", "key"),)


class ChangeRow(Base):
    """The change feed: one row per write, ``seq`` increasing in commit order."""

    __tablename__ = "changes"
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(Integer)  # None: everyone may see it
    user_id: Mapped[int | None] = mapped_column(Integer)  # set: only this user may see it
    op: Mapped[str] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any] | None] = mapped_column(Json)
    at: Mapped[datetime] = mapped_column(Stamp)
    __table_args__ = (Index("ix_changes_team_seq", "team_id", "seq"),)


class EventRow(Base):
    """The event stream: presence, queue counters, escalations, monitor grants."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    team_id: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column()
    at: Mapped[datetime] = mapped_column(Stamp)


class QaScorecardRow(Base):
    """A scorecard (``sync.contract.quality``) as it stands now: its latest version. Each
    version is kept whole in ``qa_scorecard_versions``; evaluations name the one they used."""

    __tablename__ = "qa_scorecards"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(Stamp)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class QaScorecardVersionRow(Base):
    """One version of a scorecard, never changed once written."""

    __tablename__ = "qa_scorecard_versions"
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("qa_scorecards.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    pass_pct: Mapped[int] = mapped_column(Integer)
    sections: Mapped[list[Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(Stamp)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class QaEvaluationRow(Base):
    """One call scored on one scorecard version (``server_stub.quality``)."""

    __tablename__ = "qa_evaluations"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    recording_id: Mapped[str | None] = mapped_column(String(32), index=True)
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("qa_scorecards.id"))
    scorecard_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[list[Any]] = mapped_column()
    comments: Mapped[list[Any]] = mapped_column()
    summary: Mapped[str] = mapped_column(Text, default="")
    score_pct: Mapped[float] = mapped_column(Float)
    failed: Mapped[bool] = mapped_column(Boolean)
    critical_missed: Mapped[list[Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(Stamp)
    updated_at: Mapped[datetime] = mapped_column(Stamp)
    shared_at: Mapped[datetime | None] = mapped_column(Stamp)
    agent_comment: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(Stamp)
    answer_comment: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(Stamp)
    version: Mapped[int] = mapped_column(Integer)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class WfmShiftPatternsRow(Base):
    """A team's shift patterns (``sync.contract.wfm.ShiftPattern``), kept whole as one set."""

    __tablename__ = "wfm_shift_patterns"
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    patterns: Mapped[list[Any]] = mapped_column()
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(Stamp)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class WfmRosterRow(Base):
    """A team's roster for one week (Monday first), proposed or published, with the
    requirement (7 × 96 agents) it was made against."""

    __tablename__ = "wfm_rosters"
    __table_args__ = (UniqueConstraint("team_id", "week", name="uq_wfm_rosters_team_week"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    week: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    required: Mapped[list[Any]] = mapped_column()
    solve_status: Mapped[str] = mapped_column(String(20))
    solve_seconds: Mapped[float] = mapped_column(Float)
    objective: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(Stamp)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(Stamp)


class WfmAssignmentRow(Base):
    """One agent's shift on one day of a roster; the pattern is kept as it was when rostered
    (a later edit of the team's patterns does not move a published shift)."""

    __tablename__ = "wfm_assignments"
    __table_args__ = (Index("ix_wfm_assignments_agent_start", "agent_id", "start_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(
        ForeignKey("wfm_rosters.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    day: Mapped[date] = mapped_column(Date)
    pattern: Mapped[dict[str, Any]] = mapped_column()
    start_at: Mapped[datetime] = mapped_column(Stamp)
    end_at: Mapped[datetime] = mapped_column(Stamp)
    break_starts_min: Mapped[list[Any]] = mapped_column()
    lunch_start_min: Mapped[int | None] = mapped_column(Integer)


# Report summaries (issue 21, migration 0023_report_rollup; ``server_stub.reports.rollup``).
# Answered within each of these many seconds: the service-level thresholds the summaries
# count; a report asking for another reads the raw calls.
ROLLUP_THRESHOLDS_S = (10, 15, 20, 30, 45, 60, 90, 120, 180, 300)


class CallBucketRow(Base):
    """The calls that started in one UTC quarter hour (``slot`` = epoch seconds // 900), per
    team, queue, kind and product line: what the traffic and handling reports sum."""

    __tablename__ = "report_call_buckets"
    id: Mapped[int] = mapped_column(primary_key=True)
    slot: Mapped[int] = mapped_column(BigInteger)
    team_id: Mapped[int] = mapped_column(Integer)
    queue: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    product_line: Mapped[str] = mapped_column(String(200))
    calls: Mapped[int] = mapped_column(Integer)
    offered: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    abandoned: Mapped[int] = mapped_column(Integer)
    ab0: Mapped[int] = mapped_column(Integer)
    ab1: Mapped[int] = mapped_column(Integer)
    ab2: Mapped[int] = mapped_column(Integer)
    ab3: Mapped[int] = mapped_column(Integer)
    ab4: Mapped[int] = mapped_column(Integer)
    outbound: Mapped[int] = mapped_column(Integer)
    wait_s: Mapped[float] = mapped_column(Float)
    within_10: Mapped[int] = mapped_column(Integer)
    within_15: Mapped[int] = mapped_column(Integer)
    within_20: Mapped[int] = mapped_column(Integer)
    within_30: Mapped[int] = mapped_column(Integer)
    within_45: Mapped[int] = mapped_column(Integer)
    within_60: Mapped[int] = mapped_column(Integer)
    within_90: Mapped[int] = mapped_column(Integer)
    within_120: Mapped[int] = mapped_column(Integer)
    within_180: Mapped[int] = mapped_column(Integer)
    within_300: Mapped[int] = mapped_column(Integer)
    handled: Mapped[int] = mapped_column(Integer)
    talk_s: Mapped[int] = mapped_column(BigInteger)
    hold_s: Mapped[int] = mapped_column(BigInteger)
    wrap_up_s: Mapped[int] = mapped_column(BigInteger)
    transferred: Mapped[int] = mapped_column(Integer)
    transfers: Mapped[int] = mapped_column(Integer)
    contacts: Mapped[int] = mapped_column(Integer)
    first_contact_resolved: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_report_call_buckets_slot", "slot"),)


class RepeatBucketRow(Base):
    """The customers whose answered inbound call in one quarter hour was followed by another
    within the repeat window (distinct customers do not add up: the report counts them)."""

    __tablename__ = "report_repeat_buckets"
    id: Mapped[int] = mapped_column(primary_key=True)
    slot: Mapped[int] = mapped_column(BigInteger)
    team_id: Mapped[int] = mapped_column(Integer)
    queue: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    product_line: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_report_repeat_buckets_slot", "slot"),)


class DirtySlotRow(Base):
    """A quarter hour whose calls changed since its summaries were computed: written by
    database triggers on ``interactions`` (every write path, in the writer's transaction);
    the summaries are recomputed before a report reads them."""

    __tablename__ = "report_dirty_slots"
    id: Mapped[int] = mapped_column(primary_key=True)
    slot: Mapped[int] = mapped_column(BigInteger)
