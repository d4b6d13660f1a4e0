"""Wire schemas: the JSON both ends speak, validated on both ends.

The backend uses these models for requests and responses (and so for its OpenAPI document);
the desktop parses every answer through them, so a server that answers garbage is caught here
with a message that names the field, instead of a KeyError deep in the UI.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sync.records import Role, SessionGrant, Team, UserProfile

API_PREFIX = "/api/v1"

Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class WireModel(BaseModel):
    # Unknown fields are refused: a typo in a request must not be silently dropped.
    model_config = ConfigDict(extra="forbid", frozen=True)


class LoginRequest(WireModel):
    username: Username
    password: Annotated[str, Field(min_length=1, max_length=256)]


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

    def to_record(self) -> SessionGrant:
        return SessionGrant(
            token=self.token,
            expires_at=self.expires_at,
            user=self.user.to_record(),
            permissions=frozenset(self.permissions),
        )


class MeResponse(WireModel):
    user: UserOut
    permissions: list[str]
    expires_at: datetime


class HealthResponse(WireModel):
    status: str
    service: str
    version: str


class ErrorBody(WireModel):
    """Every 4xx/5xx answer: a stable code, a human message, and the field at fault if any."""

    code: str
    message: str
    field: str | None = None
