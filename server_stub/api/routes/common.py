"""Small helpers the resource routes share."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Path, Query
from sqlalchemy.orm import Session

from server_stub.api.errors import ApiProblem
from sync.contract.errors import ErrorCode

T = TypeVar("T")

PAGE_MAX = 500
ID_MAX = 2_147_483_647
IdPath = Annotated[int, Path(ge=1, le=ID_MAX)]
IdQuery = Annotated[int | None, Query(ge=1, le=ID_MAX)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


def get_or_404(session: Session, model: type[T], record_id: Any, what: str) -> T:
    row = session.get(model, record_id)
    if row is None:
        raise ApiProblem(404, ErrorCode.NOT_FOUND, f"No {what} with id {record_id}.")
    return row


def bad_field(field: str, message: str) -> ApiProblem:
    return ApiProblem(422, ErrorCode.INVALID_REQUEST, f"{field}: {message}", field)
