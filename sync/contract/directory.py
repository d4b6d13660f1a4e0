"""The colleague directory (contract 1.3): who an agent may consult or transfer a call to, with
their live presence, and the queues a call may be sent to.

``GET /directory`` answers it for the caller's own teams (a lead: the teams they lead too; an
admin: every team): colleagues with their skills, extension and presence, and every queue that
has a number to transfer to. After that, presence events keep it live (the event stream
carries them to desks of the same team only). A desk of this release facing an older server
(404) builds the same lists from its cache (users and presence records of its team's feed).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from sync.contract.records import AgentState, Role
from sync.contract.wire import SkillOut, WireModel

DIRECTORY_ROUTE = "/directory"
DIRECTORY_PERMISSION = "directory.view"
# Who answers a phone: field engineers are reached by dispatch, not by a transfer.
PHONE_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})


class ColleagueOut(WireModel):
    user_id: int
    username: str
    display_name: str
    role: Role
    team_id: int | None
    extension: str = ""  # on the PBX; empty: reached at ``sip_uri`` (registrar-less desks)
    # Where the colleague's signed-in desk answers (reported with its presence); empty while
    # signed out.
    sip_uri: str = ""
    skills: list[SkillOut] = Field(default_factory=list)
    state: AgentState = AgentState.LOGGED_OUT
    reason: str = ""
    since: datetime | None = None
    presence_version: int = 0  # the presence record's: an event older than it is not news


class TransferQueueOut(WireModel):
    id: int
    name: str
    team_id: int
    extension: str  # the queue's number (never empty here: a queue without one is left out)
    waiting: int | None = None  # callers waiting now; only for the caller's own teams' queues


class DirectoryOut(WireModel):
    colleagues: list[ColleagueOut]
    queues: list[TransferQueueOut]


def transfer_target(colleague: ColleagueOut) -> str:
    """What to dial to reach a colleague: the PBX extension, else their desk's SIP address
    while signed in; "" when neither is known (they cannot be called)."""
    if colleague.extension:
        return colleague.extension
    if colleague.state is not AgentState.LOGGED_OUT:
        return colleague.sip_uri
    return ""


def matches(colleague: ColleagueOut, query: str) -> bool:
    """Search by name, user name, extension or skill: every word of the query (case-blind)
    must appear in one of them."""
    fields = [
        colleague.display_name.casefold(),
        colleague.username.casefold(),
        colleague.extension.casefold(),
        *(skill.skill.casefold() for skill in colleague.skills),
    ]
    return all(any(word in text for text in fields) for word in query.casefold().split())


def skill_level_for(colleague: ColleagueOut, query: str) -> int:
    """The colleague's best level in a skill the query names (a word of it in the skill's
    name, case-blind); 0 when the query names none of their skills. A search by skill ranks
    the experts by it."""
    words = query.casefold().split()
    return max(
        (s.level for s in colleague.skills if any(w in s.skill.casefold() for w in words)),
        default=0,
    )
