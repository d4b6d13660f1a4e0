"""The desk's half of the centre's administration (contract 1.6): what the Administration
pages read and write, as typed calls on one ``ApiClient`` (no Qt; run off the GUI thread by
``agent_desktop.services.centre_admin``).

A server before 1.6 has no queue, policy or skill routes: ``read_centre`` finds out (the
contract its answers name) and the pages say the server is too old for those parts; the
reason codes still work (the desk settings route is older)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sync.client import ApiClient
from sync.contract import version as contract
from sync.contract.wire import (
    DeskCode,
    DeskSettings,
    QueueOut,
    QueueSettingsIn,
    SkillCatalogueEntry,
    SkillCatalogueIn,
    SkillIn,
    TeamDetailOut,
    TeamPolicyIn,
    UserDetailOut,
)


@dataclass(frozen=True, slots=True)
class CentreView:
    """What the Administration pages show, read in one go."""

    settings: DeskSettings
    queues: list[QueueOut]
    teams: list[TeamDetailOut]
    users: list[UserDetailOut]
    skills: list[SkillCatalogueEntry]
    # False: the server is before 1.6 (no skill catalogue route): queues' own settings and
    # skills cannot be changed from the desk there.
    admin_routes: bool = True


def read_centre(api: ApiClient) -> CentreView:
    settings = api.desk_settings()
    queues = api.read_list("/queues", QueueOut)
    teams = api.read_list("/teams", TeamDetailOut)
    users = api.read_list("/users", UserDetailOut)
    # Every answer says which contract the server speaks: an older one has no such routes.
    speaks = api.server_contract or contract.LEGACY
    if speaks < contract.CENTRE_ADMIN_SINCE:
        return CentreView(settings, queues, teams, users, [], admin_routes=False)
    skills = api.read_list("/skills", SkillCatalogueEntry)
    return CentreView(settings, queues, teams, users, skills)


def _sent(api: ApiClient, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    return api.send(method, path, body) or {}


def save_queue(api: ApiClient, queue_id: int, change: QueueSettingsIn) -> QueueOut:
    path = f"/queues/{int(queue_id)}/settings"
    return QueueOut.read(_sent(api, "PUT", path, change.model_dump(mode="json")))


def save_team_policy(api: ApiClient, team_id: int, change: TeamPolicyIn) -> TeamDetailOut:
    path = f"/teams/{int(team_id)}/policy"
    return TeamDetailOut.read(_sent(api, "PUT", path, change.model_dump(mode="json")))


def save_skill(api: ApiClient, skill: str, description: str) -> SkillCatalogueEntry:
    body = SkillCatalogueIn(description=description).model_dump(mode="json")
    path = f"/skills/{quote_segment(skill)}"
    return SkillCatalogueEntry.read(_sent(api, "PUT", path, body))


def save_user_skills(api: ApiClient, user_id: int, skills: Sequence[SkillIn]) -> UserDetailOut:
    body = {"skills": [s.model_dump(mode="json") for s in skills]}
    return UserDetailOut.read(_sent(api, "PUT", f"/users/{int(user_id)}/skills", body))


def save_codes(
    api: ApiClient,
    settings: DeskSettings,
    *,
    not_ready_reasons: Sequence[DeskCode] | None = None,
    dispositions: Sequence[DeskCode] | None = None,
    ticket_categories: Sequence[DeskCode] | None = None,
) -> DeskSettings:
    """The centre's document with new reason, disposition or category lists, at the version
    read (a change by another admin since: ``ConflictError``)."""
    document = settings.model_dump(mode="json", exclude={"queues", "team_policies"})
    lists = {
        "not_ready_reasons": not_ready_reasons,
        "dispositions": dispositions,
        "ticket_categories": ticket_categories,
    }
    for field, codes in lists.items():
        if codes is not None:
            document[field] = [c.model_dump(mode="json") for c in codes]
    return DeskSettings.read(_sent(api, "PUT", "/desk-settings", document))


def quote_segment(text: str) -> str:
    return quote(text, safe="")
