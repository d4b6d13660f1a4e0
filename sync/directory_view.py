"""The colleague directory from the desk's cache, for a server before contract 1.3 (no
``GET /directory``): the users and presence records its team's change feed brought. Queues
carry no number before 1.3, so none is offered for a transfer. Read-only, on a worker thread.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pydantic import ValidationError

from sync.contract.directory import PHONE_ROLES, ColleagueOut, DirectoryOut
from sync.contract.records import AgentState, Role
from sync.contract.wire import PresenceOut, SkillOut, UserDetailOut


def directory_from_cache(path: Path, me: int) -> DirectoryOut:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        db.execute("PRAGMA busy_timeout=2000")
        users = db.execute("SELECT data FROM records WHERE entity = 'user'").fetchall()
        presence_rows = db.execute("SELECT data FROM records WHERE entity = 'presence'").fetchall()
    finally:
        db.close()
    presence: dict[int, PresenceOut] = {}
    for (data,) in presence_rows:
        try:
            found = PresenceOut.read(json.loads(data))
        except (ValidationError, ValueError):
            continue  # a record this release cannot read: the colleague shows as signed out
        presence[found.user_id] = found
    colleagues = []
    for (data,) in users:
        try:
            user = UserDetailOut.read(json.loads(data))
        except (ValidationError, ValueError):
            continue
        if user.id == me or Role(user.role) not in PHONE_ROLES:
            continue
        state = presence.get(user.id)
        colleagues.append(
            ColleagueOut(
                user_id=user.id,
                username=user.username,
                display_name=user.display_name,
                role=user.role,
                team_id=user.team_id,
                extension=user.extension,
                skills=[SkillOut(skill=s.skill, level=s.level) for s in user.skills],
                state=state.state if state else AgentState.LOGGED_OUT,
                reason=state.reason if state else "",
                since=state.since if state else None,
                presence_version=state.version if state else 0,
            )
        )
    colleagues.sort(key=lambda c: (c.display_name, c.user_id))
    return DirectoryOut(colleagues=colleagues, queues=[])
