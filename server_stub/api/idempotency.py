"""Idempotency keys as payment APIs use them.

A write sent with an ``Idempotency-Key`` is fingerprinted (the caller, method, path, query and
the SHA-256 of the canonical JSON body). The first answer that succeeds is stored under the key
in the same transaction as the change; any later request with that key gets that answer again
(marked ``Idempotent-Replayed``) *before* any version or existence check runs, so a retry of
an edit or a delete the server already committed is not a 409 or a 404. The same key with
another fingerprint is a 422.

The key is claimed first in the write's transaction (a unique row), so two requests with one
key sent at the same moment cannot both write: the second waits on the database for the first
to end, then replays its answer (same fingerprint) or gets the 422 (another one).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server_stub.core.db import Database
from server_stub.models import IdempotencyRow
from sync.contract.errors import ErrorCode
from sync.contract.wire import ErrorBody

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HEADER = "Idempotency-Key"
_KEY = re.compile(r"[A-Za-z0-9._:\-]{1,200}")
PENDING = 0  # the status of a claim whose write has not committed yet (never visible outside)


class KeyFormatError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Claim:
    """What a keyed write claims: its key and the fingerprint of the request."""

    user_id: int
    key: str
    fingerprint: str


class ReplayError(Exception):
    """Raised before a route runs: answer with what the key answered the first time."""

    def __init__(self, status_code: int, body: dict[str, Any]) -> None:
        super().__init__(f"replay of a {status_code} answer")
        self.status_code = status_code
        self.body = body


def requested_key(request: Request) -> str | None:
    """The Idempotency-Key of a write as sent; None for reads and for writes without one."""
    if request.method not in WRITE_METHODS:
        return None
    return request.headers.get(HEADER)


def check_key(key: str) -> None:
    if not _KEY.fullmatch(key):
        raise KeyFormatError(f"{HEADER} must be 1-200 letters, digits or . _ : -")


def body_digest(body: bytes) -> str:
    """SHA-256 of the body as canonical JSON (sorted keys, no spaces), so key order and spacing
    do not make one request two; a body that is not JSON is taken byte for byte."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8", "surrogatepass")
    except ValueError:
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def canonical_digest(body: Any) -> str:
    """``body_digest`` of a body already decoded (a batch operation's): the same canonical
    JSON, without encoding and decoding it once more."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprint(user_id: int, method: str, path: str, query: str, digest: str) -> str:
    what = f"{user_id}\n{method}\n{path}\n{query}\n{digest}"
    return hashlib.sha256(what.encode("utf-8", "surrogatepass")).hexdigest()


def claim_for(request: Request, user_id: int, key: str, digest: str) -> Claim:
    return Claim(
        user_id,
        key,
        fingerprint(user_id, request.method, request.url.path, request.url.query, digest),
    )


def stored(session: Session, user_id: int, key: str) -> IdempotencyRow | None:
    return session.scalar(
        select(IdempotencyRow).where(
            IdempotencyRow.user_id == user_id,
            IdempotencyRow.key == key,
            IdempotencyRow.status_code != PENDING,
        )
    )


def key_reused_response() -> JSONResponse:
    body = ErrorBody(
        code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
        message="This Idempotency-Key was used for a different request.",
        field=HEADER,
    )
    return JSONResponse(body.model_dump(), status_code=422)


def replay_response(status_code: int, body: dict[str, Any]) -> Response:
    headers = {"Idempotent-Replayed": "true"}
    if status_code == 204:
        return Response(status_code=204, headers=headers)
    return JSONResponse(body, status_code=status_code, headers=headers)


def answer_for(row: IdempotencyRow, claim: Claim) -> Response:
    """The stored answer if this is the same request again; else the key was reused: 422."""
    if row.request_hash != claim.fingerprint:
        return key_reused_response()
    return replay_response(row.status_code, row.body)


Stored = tuple[str, int, dict[str, Any]]  # fingerprint, status, body of a stored answer


def lookup_in(session: Session, claim: Claim) -> Stored | None:
    row = stored(session, claim.user_id, claim.key)
    return None if row is None else (row.request_hash, row.status_code, row.body)


def _lookup(database: Database, claim: Claim) -> Stored | None:
    with database.session() as session:
        return lookup_in(session, claim)


def raced_answer(request: Request, lookup: Callable[[Claim], Stored | None]) -> Response | None:
    """``answer_after_race`` with the lookup given (the batch route looks in its own
    transaction, on its worker thread)."""
    claim: Claim | None = getattr(request.state, "idempotency", None)
    if claim is None:
        return None
    found = lookup(claim)
    if found is None:
        return None
    fingerprint, status_code, body = found
    if fingerprint != claim.fingerprint:
        return key_reused_response()
    return replay_response(status_code, body)


async def answer_after_race(request: Request) -> Response | None:
    """For a keyed write refused by a check (404, 409, 422): if another request with the same
    key committed meanwhile, its answer (or the 422 for a reused key) is the answer instead.

    The check found the record gone or moved on *because* that request wrote it: a retry
    racing its own first attempt must still get the first answer."""
    claim: Claim | None = getattr(request.state, "idempotency", None)
    if claim is None:
        return None
    found = await run_in_threadpool(_lookup, request.app.state.database, claim)
    if found is None:
        return None
    fingerprint, status_code, body = found
    if fingerprint != claim.fingerprint:
        return key_reused_response()
    return replay_response(status_code, body)
