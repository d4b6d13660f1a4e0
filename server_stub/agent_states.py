"""The history of agents' states (issue 21): one ``agent_states`` span per state an agent was
in, from when to when.

The presence record says only what an agent is doing now; occupancy in the reports and
adherence against a published roster need what they did all day. Every path that changes a
presence record (the desk's ``PUT /presence/me``, also inside ``POST /batch``; an agent marked
lost by the sweeper; one restored by its next heartbeat) calls :func:`note_state` in the same
transaction, so the history and the record cannot disagree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server_stub.models import AgentStateRow


def note_state(
    session: Session,
    *,
    user_id: int,
    team_id: int | None,
    state: str,
    reason: str,
    now: datetime,
) -> None:
    """Close the agent's open span at ``now`` and open one for ``state``/``reason``; nothing
    when the open span already says the same (a desk repeating its state)."""
    current = session.execute(
        select(AgentStateRow.id, AgentStateRow.state, AgentStateRow.reason)
        .where(AgentStateRow.user_id == user_id, AgentStateRow.ended_at.is_(None))
        .order_by(AgentStateRow.started_at.desc(), AgentStateRow.id.desc())
    ).all()
    if current and current[0].state == state and current[0].reason == reason:
        return
    if current:
        # Every open span ends (a crash between two writes cannot leave two open ones for
        # ever); one that began after ``now`` (a clock stepped back) ends where it began.
        session.execute(
            update(AgentStateRow)
            .where(AgentStateRow.user_id == user_id, AgentStateRow.ended_at.is_(None))
            .values(ended_at=now)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(AgentStateRow)
            .where(
                AgentStateRow.id.in_([row.id for row in current]),
                AgentStateRow.started_at > now,
            )
            .values(ended_at=AgentStateRow.started_at)
            .execution_options(synchronize_session=False)
        )
    session.add(
        AgentStateRow(
            user_id=user_id,
            team_id=team_id,
            state=state,
            reason=reason,
            started_at=now,
            ended_at=None,
        )
    )
