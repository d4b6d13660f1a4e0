"""A desk's outbox in ordered batches: ``POST /batch`` (contract 1.2; see api/batch.py)."""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from server_stub import metrics
from server_stub.api.batch import BATCH_PATH, apply_batch
from server_stub.api.deps import bearer_token
from sync.contract.wire import API_PREFIX, BatchAnswer, BatchRequest

router = APIRouter(tags=["batch"])


class _HasRouter(Protocol):
    router: APIRouter


def include_routers(app: FastAPI, *modules: _HasRouter) -> None:
    """Serve each module's routes under API_PREFIX, and keep them as the table the batch route
    finds an operation's route in (the same routes: nothing to keep in step)."""
    routes: list[APIRoute] = []
    for module in modules:
        app.include_router(module.router, prefix=API_PREFIX)
        routes += [r for r in module.router.routes if isinstance(r, APIRoute)]
    app.state.batch_routes = tuple(routes)


@router.post(BATCH_PATH)
async def batch(
    body: BatchRequest, request: Request, token: Annotated[str, Depends(bearer_token)]
) -> BatchAnswer:
    """Each operation as the request it would be alone (method, path, body, Idempotency-Key),
    applied in order in one transaction and answered one by one: a refused operation does not
    undo the others. Async, with one trip to the thread pool for the whole batch."""
    metrics.BATCHES.inc()
    metrics.PUSHED.inc(len(body.operations))
    results = await run_in_threadpool(apply_batch, request.app, request, token, body.operations)
    return BatchAnswer(results=results)
