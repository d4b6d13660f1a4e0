"""The first-sync snapshot (contract 1.2): a new desk's records as one compressed file."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from server_stub.api.deps import DbSession
from server_stub.api.routes.feed import FeedReader
from server_stub.snapshots import SnapshotStore
from server_stub.visibility import Scope
from sync.contract import snapshot as contract

router = APIRouter(tags=["sync"])


@router.get(
    contract.SNAPSHOT_ROUTE,
    response_class=FileResponse,
    responses={200: {"content": {contract.MEDIA_TYPE: {}}}},
)
async def snapshot(request: Request, caller: FeedReader, session: DbSession) -> FileResponse:
    """Every record the caller may see, as a zstd-compressed SQLite file, and the change-feed
    cursor to go on from (``X-AW-Snapshot-Cursor``). Verify the body against the sha256 in
    ``X-AW-Snapshot-SHA256`` (also the ETag); byte ranges are served. Built once per scope of
    teams and kept while fresh: the first desk of a scope may wait for the build."""
    store: SnapshotStore = request.app.state.snapshots
    # The caller is known: give the request's connection back before waiting for a build or
    # a download, or 400 new desks asking at once would hold the whole pool (and the build
    # wait for a connection).
    await run_in_threadpool(session.close)
    found = await store.for_scope(Scope.of(caller))
    return FileResponse(
        found.path,
        media_type=contract.MEDIA_TYPE,
        headers={
            "ETag": f'"{found.sha256}"',
            "Cache-Control": "private, no-transform",  # a proxy must not re-encode it
            contract.SHA256_HEADER: found.sha256,
            contract.CURSOR_HEADER: str(found.cursor),
            contract.RECORDS_HEADER: str(found.records),
            contract.FORMAT_HEADER: str(contract.FORMAT),
        },
    )
