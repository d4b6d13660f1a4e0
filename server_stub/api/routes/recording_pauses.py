"""Recordings' pauses as they happen (contract 1.7, issue 20).

``POST /recordings/events``: a desk's recording was paused or resumed. Every one is written to
the audit log (who, when, which call, why) and raised to the team's leads as the event
``recording.pause``; it comes through the desk's outbox, so an event sent twice (a lost
answer) is answered from the idempotency store, never audited twice. Desks that take calls
send it (``presence.set``, as a refused monitor leg: not engineers, not API tokens).

``GET /recordings/paused``: the calls of the lead's teams whose recording is paused now, read
from the audit log (the last event of each recording in the past ``PAUSED_FOR_S``): the lead's
board shows them when it opens and follows the events after.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select

from server_stub.api.deps import Caller, DbSession, Now, require
from server_stub.api.writes import write
from server_stub.feed import audit, raise_event
from server_stub.models import AuditRow, UserRow
from sync.contract.recordings import (
    PAUSED_CALLS,
    PAUSED_FOR_S,
    RECORDING_EVENTS,
    PausedCallOut,
    RecordingEventIn,
    RecordingEventKind,
)

router = APIRouter(tags=["recordings"])
Desk = Annotated[Caller, Depends(require("presence.set"))]
Lead = Annotated[Caller, Depends(require("wallboard.view"))]
ACTIONS = {
    RecordingEventKind.PAUSED: "recording.paused",
    RecordingEventKind.RESUMED: "recording.resumed",
}
MAX_ROWS = 5000  # pause events a board reads back at most (a centre's half day is far fewer)


@router.post(RECORDING_EVENTS, status_code=204)
def recording_event(
    body: RecordingEventIn, request: Request, caller: Desk, session: DbSession, clock: Now
) -> Response:
    """A recording paused or resumed on the caller's desk: audited, told to the leads."""

    def perform(at):  # type: ignore[no-untyped-def]
        reason = body.reason.value if body.reason is not None else ""
        detail = {
            "sip_call_id": body.sip_call_id,
            "reason": reason,
            "auto": body.auto,
            "at": body.at.isoformat(),
        }
        audit(
            session,
            user_id=caller.user.id,
            action=ACTIONS[body.event],
            target=f"recording {body.recording_id}",
            allowed=True,
            now=at,
            detail=json.dumps(detail, ensure_ascii=False),
        )
        raise_event(
            session,
            PausedCallOut(
                recording_id=body.recording_id,
                sip_call_id=body.sip_call_id,
                agent_id=caller.user.id,
                agent_name=caller.user.display_name,
                team_id=caller.user.team_id,
                reason=reason,
                paused_at=body.at,
                paused=body.event is RecordingEventKind.PAUSED,
            ),
            now=at,
            team_id=caller.user.team_id,
        )
        return 204, None

    return write(request, session, caller, clock, body, perform)


@router.get(PAUSED_CALLS, response_model=list[PausedCallOut])
def paused_calls(caller: Lead, session: DbSession, clock: Now) -> list[PausedCallOut]:
    """The calls of the caller's teams whose recording is paused now."""
    since = clock.now() - timedelta(seconds=PAUSED_FOR_S)
    query = (
        select(AuditRow, UserRow)
        .join(UserRow, UserRow.id == AuditRow.user_id)
        .where(AuditRow.at >= since, AuditRow.action.in_(list(ACTIONS.values())))
        .order_by(AuditRow.id)
        .limit(MAX_ROWS)
    )
    if caller.team_ids is not None:
        query = query.where(UserRow.team_id.in_(caller.team_ids))
    last: dict[str, PausedCallOut] = {}
    for row, user in session.execute(query).all():
        detail = json.loads(row.detail or "{}")
        recording_id = row.target.removeprefix("recording ")
        last[recording_id] = PausedCallOut(
            recording_id=recording_id,
            sip_call_id=str(detail.get("sip_call_id", "")),
            agent_id=user.id,
            agent_name=user.display_name,
            team_id=user.team_id,
            reason=str(detail.get("reason", "")),
            paused_at=detail.get("at") or row.at,
            paused=row.action == ACTIONS[RecordingEventKind.PAUSED],
        )
    return [item for item in last.values() if item.paused]
