"""Storage rows to wire records (``sync.contract.wire``): what routes and the change feed return."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server_stub.clock import utc
from server_stub.models import (
    ArticleRow,
    AssetRow,
    CampaignRow,
    CustomerRow,
    DispatchRow,
    InteractionRow,
    PresenceRow,
    QuestionRow,
    QueueRow,
    RecurringIssueRow,
    SynonymRow,
    TaskRow,
    TeamRow,
    TicketRow,
    UserRow,
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
    Priority,
    QuestionStatus,
    Role,
    TaskKind,
    TaskStatus,
    TicketStatus,
    Urgency,
)
from sync.contract.wire import (
    ArticleOut,
    AssetOut,
    Attachment,
    CampaignOut,
    Consumable,
    ContactOut,
    CustomerOut,
    DeskCode,
    DispatchOut,
    InteractionOut,
    PartUsed,
    PresenceOut,
    QuestionOut,
    QueueOut,
    RecurringIssueOut,
    SkillOut,
    SynonymOut,
    TaskOut,
    TeamDetailOut,
    TicketOut,
    UserDetailOut,
)


def _opt(moment: datetime | None) -> datetime | None:
    return utc(moment) if moment is not None else None


def customer_out(row: CustomerRow) -> CustomerOut:
    return CustomerOut(
        id=row.id,
        code=row.code,
        name=row.name,
        team_id=row.team_id,
        segment=row.segment,
        vip=row.vip,
        language=row.language,
        preferred_channel=Channel(row.preferred_channel),
        do_not_contact_by=[Channel(c) for c in row.do_not_contact_by],
        address=row.address,
        notes=row.notes,
        contacts=[
            ContactOut(
                id=c.id,
                name=c.name,
                phone_e164=c.phone_e164,
                extension=c.extension,
                email=c.email,
                kind=c.kind,
                salutation=c.salutation,
            )
            for c in row.contacts
        ],
        version=row.version,
        updated_at=utc(row.updated_at),
    )


def asset_out(row: AssetRow) -> AssetOut:
    return AssetOut(
        id=row.id,
        customer_id=row.customer_id,
        team_id=row.team_id,
        product_line=row.product_line,
        model=row.model,
        serial_number=row.serial_number,
        purchase_date=row.purchase_date,
        warranty_end=row.warranty_end,
        consumables=[Consumable.model_validate(c) for c in row.consumables],
        version=row.version,
        updated_at=utc(row.updated_at),
    )


def interaction_out(row: InteractionRow) -> InteractionOut:
    return InteractionOut(
        id=row.id,
        customer_id=row.customer_id,
        team_id=row.team_id,
        agent_id=row.agent_id,
        kind=InteractionKind(row.kind),
        started_at=utc(row.started_at),
        ended_at=_opt(row.ended_at),
        answered_at=_opt(row.answered_at),
        talk_s=row.talk_s or 0,
        hold_s=row.hold_s or 0,
        queue=row.queue,
        remote_number=row.remote_number,
        disposition=row.disposition,
        notes=row.notes,
        ticket_ids=list(row.ticket_ids),
        version=row.version,
        updated_at=utc(row.updated_at),
        checks=list(row.checks or []),
        recording_id=row.recording_id,
        wrap_up_s=row.wrap_up_s or 0,
        transfers=row.transfers or 0,
        product_line=row.product_line or "",
    )


def ticket_out(row: TicketRow) -> TicketOut:
    return TicketOut(
        id=row.id,
        number=row.number,
        customer_id=row.customer_id,
        team_id=row.team_id,
        handler_id=row.handler_id,
        channel=Channel(row.channel),
        urgency=Urgency(row.urgency),
        priority=Priority(row.priority),
        category=row.category,
        source=row.source,
        status=TicketStatus(row.status),
        summary=row.summary,
        content=row.content,
        complaint=row.complaint,
        article_ids=list(row.article_ids),
        opened_at=utc(row.opened_at),
        closed_at=_opt(row.closed_at),
        escalation_level=row.escalation_level,
        sla_due_at=_opt(row.sla_due_at),
        version=row.version,
        updated_at=utc(row.updated_at),
        contact_id=row.contact_id,
        asset_id=row.asset_id,
        attachments=[Attachment(**a) for a in row.attachments or []],
        resolve_due_at=_opt(row.resolve_due_at),
        **_escalation_shown(row),
    )


def _escalation_shown(row: TicketRow) -> dict[str, Any]:
    """The current level's target and labels, from the chain the ticket's clock started with."""
    chain = row.escalation_chain or []
    if not 0 < row.escalation_level <= len(chain):
        return {"escalated_to": row.escalated_to}
    level = chain[row.escalation_level - 1]
    return {
        "escalated_to": row.escalated_to,
        "escalation_target": level.get("target"),
        "escalation_label_en": level.get("label_en", ""),
        "escalation_label_zh": level.get("label_zh", ""),
    }


def dispatch_out(row: DispatchRow) -> DispatchOut:
    return DispatchOut(
        id=row.id,
        ticket_id=row.ticket_id,
        team_id=row.team_id,
        technician=row.technician,
        window_start=utc(row.window_start),
        window_end=utc(row.window_end),
        method=DispatchMethod(row.method),
        status=DispatchStatus(row.status),
        cause=row.cause,
        resolution=row.resolution,
        notes=row.notes,
        previous_dispatch_id=row.previous_dispatch_id,
        version=row.version,
        updated_at=utc(row.updated_at),
        technician_id=row.technician_id,
        address=row.address,
        contact_name=row.contact_name,
        contact_phone=row.contact_phone,
        result=DispatchResult(row.result) if row.result else None,
        parts_used=[PartUsed(**p) for p in row.parts_used or []],
    )


def task_out(row: TaskRow) -> TaskOut:
    return TaskOut(
        id=row.id,
        kind=TaskKind(row.kind),
        customer_id=row.customer_id,
        ticket_id=row.ticket_id,
        team_id=row.team_id,
        assignee_id=row.assignee_id,
        due_at=utc(row.due_at),
        status=TaskStatus(row.status),
        outcome=row.outcome,
        satisfaction=row.satisfaction,
        notes=row.notes,
        version=row.version,
        updated_at=utc(row.updated_at),
        outcome_code=CallOutcome(row.outcome_code) if row.outcome_code else None,
        attempts=row.attempts,
        campaign_id=row.campaign_id,
        campaign_outcome=row.campaign_outcome,
    )


def campaign_out(row: CampaignRow) -> CampaignOut:
    return CampaignOut(
        id=row.id,
        team_id=row.team_id,
        name=row.name,
        script=row.script,
        outcome_codes=[DeskCode(**c) for c in row.outcome_codes or []],
        active=row.active,
        version=row.version,
        updated_at=utc(row.updated_at),
    )


def recurring_out(row: RecurringIssueRow) -> RecurringIssueOut:
    return RecurringIssueOut(
        id=row.id,
        team_id=row.team_id,
        category=row.category,
        model=row.model,
        count=row.count,
        ticket_ids=list(row.ticket_ids),
        flagged_at=utc(row.flagged_at),
    )


def article_out(row: ArticleRow) -> ArticleOut:
    return ArticleOut(
        id=row.id,
        title=row.title,
        body=row.body,
        language=row.language,
        tags=list(row.tags),
        product_lines=list(row.product_lines),
        status=ArticleStatus(row.status),
        author_id=row.author_id,
        helpful=row.helpful,
        not_helpful=row.not_helpful,
        views=row.views,
        version=row.version,
        updated_at=utc(row.updated_at),
        asked=list(row.asked or []),
    )


def synonym_out(row: SynonymRow) -> SynonymOut:
    return SynonymOut(
        id=row.id,
        spoken=row.spoken,
        words=list(row.words),
        author_id=row.author_id,
        version=row.version,
        updated_at=utc(row.updated_at),
    )


def question_out(row: QuestionRow) -> QuestionOut:
    return QuestionOut(
        id=row.id,
        text=row.text,
        product_line=row.product_line,
        ticket_id=row.ticket_id,
        team_id=row.team_id,
        asked_by=row.asked_by,
        status=QuestionStatus(row.status),
        answer=row.answer,
        article_id=row.article_id,
        version=row.version,
        updated_at=utc(row.updated_at),
        experts=[int(i) for i in row.routed_to or []],
    )


def user_detail_out(row: UserRow) -> UserDetailOut:
    return UserDetailOut(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        team_id=row.team_id,
        skills=[SkillOut(skill=s.skill, level=s.level) for s in row.skills],
        version=row.version,
        updated_at=utc(row.updated_at),
        region=row.region,
        extension=row.extension,
    )


def team_out(row: TeamRow) -> TeamDetailOut:
    return TeamDetailOut(
        id=row.id,
        name=row.name,
        lead_id=row.lead_id,
        version=row.version,
        updated_at=utc(row.updated_at),
        callback_after=row.callback_after,
        callback_delay_hours=row.callback_delay_hours,
        monitor_indicator=row.monitor_indicator,
        manager_id=row.manager_id,
    )


def presence_out(row: PresenceRow) -> PresenceOut:
    return PresenceOut(
        user_id=row.user_id,
        team_id=row.team_id,
        state=AgentState(row.state),
        reason=row.reason,
        since=utc(row.since),
        version=row.version,
        updated_at=utc(row.updated_at),
    )


def queue_out(row: QueueRow) -> QueueOut:
    return QueueOut(
        id=row.id,
        name=row.name,
        team_id=row.team_id,
        waiting=row.waiting,
        longest_wait_s=row.longest_wait_s,
        answered_today=row.answered_today,
        abandoned_today=row.abandoned_today,
        version=row.version,
        updated_at=utc(row.updated_at),
        extension=row.extension,
        wrap_up_s=row.wrap_up_s,
        service_level_s=row.service_level_s,
        service_level_pct=row.service_level_pct,
        announcement=row.announcement or "",
    )
