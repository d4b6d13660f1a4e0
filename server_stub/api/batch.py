"""Apply a batch of writes in one transaction, each answered as its route answers it alone.

Each operation runs the very route (and dependencies: the caller, its permission and team
checks, the Idempotency-Key replay check, body validation) that would serve it as a request
of its own, so no rule is written twice. What differs:

- One database transaction for the batch; each operation in a SAVEPOINT (its session joins the
  batch's connection with ``join_transaction_mode="create_savepoint"``: a route's ``commit``
  releases the savepoint, its ``rollback`` or an exception rolls only that operation back).
  A refused operation (4xx) is answered and the others stand; a refusal's audit row, which a
  route commits on purpose, is kept as it is for a single request.
- One hop to the thread pool for the batch, not ~6 per write: the dependencies are solved
  here, synchronously (an async one that would suspend is a bug here and says so).
- An operation the server fails (a bug: 500) is rolled back to its savepoint and answered 500;
  the others go on, as other requests would (the desk retries it, then refuses it). If the
  transaction itself fails (the database went away), the whole batch is a 5xx and the desk
  sends it again: the Idempotency-Keys make that safe.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Coroutine
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_body_to_args, request_params_to_args
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic_core import PydanticUndefined as Undefined  # FastAPI's "no body sent"
from sqlalchemy import Connection
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.routing import Match

from server_stub.api import fast_lane, idempotency
from server_stub.api.deps import authenticated, caller_of, get_db
from server_stub.api.errors import (
    ApiProblem,
    VersionConflictError,
    conflict_response,
    data_error_response,
    error_response,
    http_response,
    may_have_raced,
    problem_response,
    validation_answer,
)
from server_stub.clock import Clock
from server_stub.core.db import Database
from sync.contract import version as contract
from sync.contract.errors import ErrorCode
from sync.contract.wire import API_PREFIX, BatchOperation, BatchResult

log = logging.getLogger(__name__)

BATCH_PATH = "/batch"
# Not writes of records: signing in and out keep their own requests.
_NOT_IN_A_BATCH = (f"{API_PREFIX}/auth/", f"{API_PREFIX}{BATCH_PATH}")
_PASSED_ON = (b"authorization", contract.HEADER.lower().encode())


class _SuspendedError(RuntimeError):
    pass


def _drive(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that never waits (a dependency that is async only to stay off the thread
    pool; FastAPI's body check, which awaits only for forms) to its end, here."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise _SuspendedError("an async dependency waited inside a batch")


def apply_batch(
    app: FastAPI, outer: Request, token: str, operations: list[BatchOperation]
) -> list[BatchResult]:
    """Every operation's answer, in order (on a worker thread: this is database work)."""
    database: Database = app.state.database
    clock: Clock = app.state.clock
    with database.session() as session:  # the batch's caller, once (401 for the whole batch)
        found = authenticated(outer, session, token, clock.now())
    results: list[BatchResult | None] = [None] * len(operations)
    with database.engine.connect() as connection, connection.begin():
        if connection.dialect.name == "sqlite":
            # pysqlite opens a transaction only before a data change, so the first SAVEPOINT
            # would open it and its RELEASE commit it (a sync to disk per operation, and no
            # batch transaction at all). IMMEDIATE: the batch is a writer from its start.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        keys = [o.key for o in operations if o.key is not None]
        lanes = fast_lane.Batch(
            connection,
            caller_of(found, token),
            fast_lane.stored_keys(connection, found.user.id, keys),
        )
        lane: fast_lane.Lane | None = None
        group: list[fast_lane.Ready] = []

        def write_group() -> None:
            if lane is not None and group:
                _write_group(app, outer, lanes, lane, group, results, clock.now())
            group.clear()

        for index, operation in enumerate(operations):
            taken = fast_lane.ready(lanes, index, operation) if app.state.fast_lane else None
            if taken is None or taken[0] is not lane:
                write_group()
            if taken is None:
                results[index] = _apply_one(app, outer, connection, operation)
                continue
            lane = taken[0]
            group.append(taken[1])
        write_group()
    assert all(r is not None for r in results)
    return results  # type: ignore[return-value]


def _write_group(
    app: FastAPI,
    outer: Request,
    lanes: fast_lane.Batch,
    lane: fast_lane.Lane,
    group: list[fast_lane.Ready],
    results: list[BatchResult | None],
    now: datetime,
) -> None:
    """The group in one go; if the database refuses any of it, each through its route."""
    try:
        bodies = fast_lane.write_group(lanes, lane, group, now)
    except (IntegrityError, DataError):
        for ready in group:
            results[ready.index] = _apply_one(app, outer, lanes.connection, ready.operation)
        return
    for ready, body in zip(group, bodies, strict=True):
        results[ready.index] = BatchResult(status=lane.status, body=body)


def _apply_one(
    app: FastAPI, outer: Request, connection: Connection, operation: BatchOperation
) -> BatchResult:
    body_bytes = b"" if operation.body is None else json.dumps(operation.body).encode()
    request = _request_for(app, outer, operation, body_bytes)
    route, refusal = _route_for(app, request)
    if route is None:
        assert refusal is not None
        return _result(refusal)
    with Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    ) as session:
        try:
            values = _solve(
                route.dependant,
                request,
                Undefined if operation.body is None else operation.body,
                {get_db: session},
                {},
                route,
            )
            answer = route.dependant.call(**values)  # type: ignore[misc]
            response = _response_of(route, answer)
        except Exception as exc:  # answered per operation, as the app would
            session.rollback()
            response = _answer_to(request, session, exc)
    return _result(response)


def _request_for(app: FastAPI, outer: Request, operation: BatchOperation, body: bytes) -> Request:
    headers = [(name, value) for name, value in outer.scope["headers"] if name in _PASSED_ON]
    headers.append((b"content-type", b"application/json"))
    headers.append((b"content-length", str(len(body)).encode()))
    if operation.key is not None:
        headers.append((idempotency.HEADER.lower().encode(), operation.key.encode()))
    path = API_PREFIX + operation.path
    scope = {
        "type": "http",
        "asgi": outer.scope.get("asgi", {"version": "3.0"}),
        "http_version": outer.scope.get("http_version", "1.1"),
        "method": operation.method,
        "scheme": outer.scope.get("scheme", "http"),
        "server": outer.scope.get("server"),
        "client": outer.scope.get("client"),
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "app": app,
        # What the request gate read from the batch's headers (the desk's contract), which the
        # operations share: a route that asks for it (api.deps.DeskContract) finds it.
        "state": {"desk_contract": outer.state.desk_contract},
    }
    request = Request(scope)
    request._body = body  # read by the key check, never received
    return request


def _route_for(app: FastAPI, request: Request) -> tuple[APIRoute | None, Response | None]:
    path = request.scope["path"]
    if path.startswith(_NOT_IN_A_BATCH):
        return None, error_response(
            400, ErrorCode.BAD_REQUEST, f"{path} cannot be sent in a batch.", "path"
        )
    # The routers' own routes, whose paths are without API_PREFIX (routes.batch).
    unprefixed = {**request.scope, "path": path.removeprefix(API_PREFIX)}
    wrong_method = False
    for route in app.state.batch_routes:
        match, child = route.matches(unprefixed)
        if match is Match.FULL:
            request.scope.update(child)
            return route, None
        wrong_method = wrong_method or match is Match.PARTIAL
    if wrong_method:
        return None, error_response(405, ErrorCode.METHOD_NOT_ALLOWED, "Method Not Allowed")
    return None, error_response(404, ErrorCode.NOT_FOUND, "Not Found")


def _solve(
    dependant: Dependant,
    request: Request,
    body: Any,
    given: dict[Any, Any],
    cache: dict[Any, Any],
    route: APIRoute,
) -> dict[str, Any]:
    """FastAPI's ``solve_dependencies``, synchronously: sub-dependencies first (the caller, its
    permission), then path, query and header parameters, then the body."""
    values: dict[str, Any] = {}
    for sub in dependant.dependencies:
        call = sub.call
        if call in given:
            solved = given[call]
        elif sub.use_cache and call in cache:
            solved = cache[call]
        else:
            sub_values = _solve(sub, request, body, given, cache, route)
            assert call is not None
            solved = call(**sub_values)
            if isinstance(solved, Coroutine):
                solved = _drive(solved)
            cache[call] = solved
        if sub.name is not None:
            values[sub.name] = solved
    errors: list[Any] = []
    for fields, received in (
        (dependant.path_params, request.path_params),
        (dependant.query_params, request.query_params),
        (dependant.header_params, request.headers),
    ):
        found, wrong = request_params_to_args(fields, received)
        values.update(found)
        errors += wrong
    if dependant.body_params:
        found, wrong = _drive(
            request_body_to_args(
                body_fields=dependant.body_params,
                received_body=body,
                embed_body_fields=route._embed_body_fields,
            )
        )
        values.update(found)
        errors += wrong
    if errors:
        raise RequestValidationError(errors)
    if dependant.request_param_name:
        values[dependant.request_param_name] = request
    return values


def _response_of(route: APIRoute, answer: Any) -> Response:
    if isinstance(answer, Coroutine):
        answer = _drive(answer)
    if isinstance(answer, Response):
        return answer
    status = route.status_code or 200
    if answer is None:
        return Response(status_code=status)
    data = answer.model_dump(mode="json") if isinstance(answer, BaseModel) else answer
    return Response(json.dumps(data), status_code=status, media_type="application/json")


def _answer_to(request: Request, session: Session, exc: Exception) -> Response:
    """What the app's exception handlers answer (``server_stub.api.errors``)."""

    def raced() -> Response | None:
        return idempotency.raced_answer(request, lambda c: idempotency.lookup_in(session, c))

    if isinstance(exc, idempotency.ReplayError):
        return idempotency.replay_response(exc.status_code, exc.body)
    if isinstance(exc, VersionConflictError):
        return raced() or conflict_response(exc)
    if isinstance(exc, ApiProblem):
        return (raced() if may_have_raced(exc) else None) or problem_response(exc)
    if isinstance(exc, HTTPException):
        return http_response(exc)
    if isinstance(exc, RequestValidationError):
        return validation_answer(request, list(exc.errors()))
    if isinstance(exc, DataError):
        return data_error_response(request, exc)
    log.error("%s %s in a batch failed", request.method, request.url.path, exc_info=exc)
    return error_response(500, ErrorCode.INTERNAL_ERROR, "The server failed; this is a bug.")


def _result(response: Response) -> BatchResult:
    body = json.loads(bytes(response.body)) if response.body else None
    return BatchResult(
        status=response.status_code,
        body=body if isinstance(body, dict) else None,
        replayed=response.headers.get("Idempotent-Replayed") == "true",
    )
