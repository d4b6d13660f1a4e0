"""The one shape of every write: idempotency, optimistic versions, audit, one commit.

A write sent with an ``Idempotency-Key`` claims the key first in its transaction and stores
its answer there with the change (``server_stub.api.idempotency``); a retry gets that answer
again and creates nothing; the same key on a different request is refused (422).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from server_stub.api import idempotency
from server_stub.api.deps import Caller
from server_stub.api.errors import ApiProblem, VersionConflictError
from server_stub.clock import Clock
from server_stub.feed import audit
from server_stub.models import IdempotencyRow
from sync.contract.errors import ErrorCode
from sync.contract.records import Role

Perform = Callable[[datetime], tuple[int, BaseModel | None]]
_UNIQUE_FIELDS = ("serial_number", "code", "number", "name", "username", "spoken")
# Last-writer-wins writes (presence, a vote) start again on a race this many times at most.
RACE_RETRIES = 5


class _RaceLostError(Exception):
    """A last-writer-wins write met a concurrent one: run it again on what is there now."""


def write(
    request: Request,
    session: Session,
    caller: Caller,
    clock: Clock,
    body: BaseModel | None,  # noqa: ARG001  (the fingerprint is of the request as sent)
    perform: Perform,
    current: Callable[[], BaseModel] | None = None,
    *,
    last_writer_wins: bool = False,
) -> Response:
    """Run ``perform(now)`` (which changes rows and returns status and record) as one write.

    ``last_writer_wins``: a concurrent change of the same rows is not a conflict to show
    anyone (one account's presence from two desks, a user's vote): run ``perform`` again."""
    claim: idempotency.Claim | None = getattr(request.state, "idempotency", None)
    for attempt in range(RACE_RETRIES + 1):
        try:
            return _write_once(
                request,
                session,
                caller,
                clock,
                perform,
                current,
                claim,
                retry=last_writer_wins and attempt < RACE_RETRIES,
            )
        except _RaceLostError:
            continue
    raise AssertionError("unreachable: the last attempt does not retry")


def _write_once(
    request: Request,
    session: Session,
    caller: Caller,
    clock: Clock,
    perform: Perform,
    current: Callable[[], BaseModel] | None,
    claim: idempotency.Claim | None,
    *,
    retry: bool,
) -> Response:
    now = clock.now()
    claimed: IdempotencyRow | None = None
    try:
        if claim is not None:
            # First, so that a second request with this key waits here (on PostgreSQL for the
            # unique index entry, on SQLite for the write lock) until the first one ends.
            claimed = IdempotencyRow(
                user_id=claim.user_id,
                key=claim.key,
                request_hash=claim.fingerprint,
                status_code=idempotency.PENDING,
                body={},
                created_at=now,
            )
            session.add(claimed)
            session.flush()
        status, record = perform(now)
        data: dict[str, Any] = record.model_dump(mode="json") if record is not None else {}
        if claimed is not None:
            claimed.status_code, claimed.body = status, data
        if caller.role in (Role.SUPERVISOR, Role.ADMIN):
            audit(
                session,
                user_id=caller.user.id,
                action=f"{request.method} {request.url.path}",
                target=str(data.get("id", "")),
                allowed=True,
                now=now,
            )
        session.commit()
    except StaleDataError:
        # Someone committed between our read and our write: the same answer as a stale version.
        session.rollback()
        if retry:
            raise _RaceLostError from None
        if current is None:
            raise ApiProblem(
                409, ErrorCode.VERSION_CONFLICT, "The record changed; reload it."
            ) from None
        raise VersionConflictError(current()) from None
    except IntegrityError as exc:
        session.rollback()
        if claim is not None and (first := idempotency.stored(session, claim.user_id, claim.key)):
            return idempotency.answer_for(first, claim)  # the same key raced itself
        if retry:
            raise _RaceLostError from None
        message = str(exc.orig)
        field = next((f for f in _UNIQUE_FIELDS if f in message), None)
        raise ApiProblem(
            409,
            ErrorCode.DUPLICATE,
            f"A record with this {field or 'value'} already exists.",
            field,
        ) from None
    if status == 204:
        return Response(status_code=204)
    return JSONResponse(data, status_code=status)


def apply_patch(
    row: Any, patch: BaseModel, fields: tuple[str, ...] | None = None
) -> list[tuple[str, Any, Any]]:
    """Copy the fields the client sent (except ``version``) onto ``row``.

    Returns (field, old, new) for each field that really changed, for history and events.
    """
    sent = patch.model_fields_set - {"version"}
    columns = row.__table__.columns
    for name in sent:
        if getattr(patch, name) is None and name in columns and not columns[name].nullable:
            raise ApiProblem(422, ErrorCode.INVALID_REQUEST, f"{name}: may not be null", name)
    changed = []
    for name in sent:
        if fields is not None and name not in fields:
            continue
        new = getattr(patch, name)
        if isinstance(new, BaseModel):
            new = new.model_dump(mode="json")
        elif isinstance(new, list):
            new = [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in new]
        old = getattr(row, name)
        if hasattr(new, "value"):
            new = new.value
        if old != new:
            setattr(row, name, new)
            changed.append((name, old, new))
    return changed


def check_version(row: Any, version: int, current: Callable[[], BaseModel]) -> None:
    if row.version != version:
        raise VersionConflictError(current())
