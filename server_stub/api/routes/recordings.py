"""Call recordings (contract 1.7, issue 20): the tus upload, the list, one, and the audio.

Upload (tus 1.0.0 core + creation; ``server_stub.recording_uploads`` keeps the state):
POST ``/recordings/uploads`` creates (or finds) the upload named by the recording's id; HEAD
tells its offset; PATCH appends at that offset. When the last byte lands the file's SHA-256 is
checked against the desk's metadata, stored, the row written and audited; the same recording
sent again is the same recording. The metadata is checked as any request: the agent must be the
caller, the length must be the meta's size, the size within the server's bound.

Playback: ``/recordings/{id}/audio`` answers HTTP Range (206 with Content-Range) so a player
seeks; one audit row per playback, written for the request that starts at byte 0 (a player
asks many ranges of one playback).
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server_stub import recordings as kept
from server_stub.api.deps import Caller, DbSession, Now, deny, require
from server_stub.api.errors import ApiProblem, error_response
from server_stub.api.routes.common import IdPath, get_or_404
from server_stub.feed import audit
from server_stub.models import InteractionRow, RecordingRow, TeamRow
from server_stub.recording_store import RecordingStore
from server_stub.recording_uploads import Upload, UploadArea, UploadError
from sync.contract.errors import ErrorCode
from sync.contract.recordings import (
    CHECKSUM_MISMATCH,
    INTERACTIONS_MAX,
    META_MAX_BYTES,
    META_ZLIB,
    RECORDINGS_ROUTE,
    TUS_EXTENSIONS,
    TUS_VERSION,
    UPLOAD_CONTENT_TYPE,
    UPLOADS_ROUTE,
    RecordingMeta,
    RecordingMode,
    RecordingOut,
    RetentionIn,
    RetentionOut,
)
from sync.contract.records import Role
from sync.contract.wire import Instant, refuse_far_instants

router = APIRouter(tags=["recordings"])
Uploader = Annotated[Caller, Depends(require(kept.UPLOAD))]
Listener = Annotated[Caller, Depends(require(kept.LISTEN))]
TeamAdmin = Annotated[Caller, Depends(require("team.manage"))]
RecordingId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
LIST_MAX = 500


def _files(request: Request) -> RecordingStore:
    files: RecordingStore = request.app.state.recording_store
    return files


def _area(request: Request) -> UploadArea:
    area: UploadArea = request.app.state.recording_uploads
    return area


def _tus_headers(**more: str) -> dict[str, str]:
    return {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store", **more}


def _problem(exc: UploadError) -> Response:
    code = {
        409: ErrorCode.VERSION_CONFLICT,
        413: ErrorCode.BODY_TOO_LARGE,
        415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    }.get(exc.status, ErrorCode.INVALID_REQUEST)
    response = error_response(exc.status, code, str(exc), exc.field)
    response.headers.update(_tus_headers())
    return response


def _metadata(header: str) -> dict[str, bytes]:
    """tus Upload-Metadata: ``key base64,key base64``."""
    found: dict[str, bytes] = {}
    for pair in header.split(","):
        key, _, value = pair.strip().partition(" ")
        if not key:
            continue
        try:
            found[key] = base64.b64decode(value.strip(), validate=True)
        except binascii.Error:
            raise UploadError(400, f"Upload-Metadata {key!r} is not base64.", "metadata") from None
    return found


def _meta_json(fields: dict[str, bytes]) -> bytes:
    """The meta's JSON: plain (``meta``) or zlib-compressed (``meta_zlib``: a call with many
    pauses and holds has a meta too long for one header otherwise), never inflated past
    ``META_MAX_BYTES``."""
    if "meta" in fields:
        return fields["meta"]
    if META_ZLIB in fields:
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(fields[META_ZLIB], META_MAX_BYTES + 1)
        except zlib.error:
            raise UploadError(400, f"{META_ZLIB} is not zlib data.", META_ZLIB) from None
        if len(data) > META_MAX_BYTES or inflater.unconsumed_tail:
            raise UploadError(413, f"The meta inflates past {META_MAX_BYTES} bytes.", META_ZLIB)
        return data
    raise UploadError(400, "Upload-Metadata must carry the recording's 'meta'.", "meta")


def _meta_of(request: Request, caller: Caller, max_bytes: int) -> tuple[RecordingMeta, int]:
    """The creation request's recording metadata and length, checked."""
    length_text = request.headers.get("Upload-Length", "")
    if not length_text.isdigit() or len(length_text) > 15:
        raise UploadError(400, "Upload-Length must be the file's size in bytes.", "length")
    length = int(length_text)
    if length > max_bytes:
        raise UploadError(
            413, f"A recording of {length} bytes exceeds the server's bound of {max_bytes}."
        )
    fields = _metadata(request.headers.get("Upload-Metadata", ""))
    try:
        meta = RecordingMeta.model_validate_json(_meta_json(fields))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "meta"
        raise UploadError(422, f"meta.{where}: {first['msg']}", f"meta.{where}") from None
    named = fields.get("recording_id", meta.recording_id.encode())
    if named != meta.recording_id.encode():
        raise UploadError(422, "recording_id is not the meta's recording_id.", "recording_id")
    if meta.agent != caller.user.username:
        raise UploadError(403, "A desk uploads only its own agent's recordings.", "meta.agent")
    if length != meta.size_bytes:
        raise UploadError(
            400,
            f"Upload-Length {length} is not the meta's size_bytes {meta.size_bytes}.",
            "meta.size_bytes",
        )
    if meta.source is RecordingMode.DESK and not meta.sha256:
        raise UploadError(422, "A desk's recording must carry its sha256.", "meta.sha256")
    if meta.source is not RecordingMode.DESK and length != 0:
        raise UploadError(400, "A PBX's recording is linked, not uploaded: length 0.", "length")
    _check_instants(meta)
    if meta.ended_at < meta.started_at:
        raise UploadError(422, "meta.ended_at is before meta.started_at.", "meta.ended_at")
    return meta, length


def _check_instants(meta: RecordingMeta) -> None:
    """Every time in the meta with its zone and between 1900 and 2200: a naive or far time
    cannot be stored or compared (the desk's meta is the shared shape, read as sent)."""
    named = [("meta.started_at", meta.started_at), ("meta.ended_at", meta.ended_at)]
    for number, pause in enumerate(meta.pauses):
        named += [
            (f"meta.pauses.{number}.paused_at", pause.paused_at),
            (f"meta.pauses.{number}.resumed_at", pause.resumed_at),
        ]
    for field, instant in named:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise UploadError(422, f"{field} needs a time zone.", field)
        try:
            refuse_far_instants(instant)
        except (ValueError, OverflowError) as exc:
            raise UploadError(422, f"{field} {exc}.", field) from None


@router.options(UPLOADS_ROUTE)
def upload_options(request: Request) -> Response:
    """What this tus server speaks (no token needed: tus clients ask before anything)."""
    max_bytes = request.app.state.settings.max_recording_bytes
    return Response(
        status_code=204,
        headers=_tus_headers(
            **{
                "Tus-Version": TUS_VERSION,
                "Tus-Extension": TUS_EXTENSIONS,
                "Tus-Max-Size": str(max_bytes),
            }
        ),
    )


def _finish(
    request: Request, session: Session, caller: Caller, upload: Upload, now: datetime
) -> Response | None:
    """The last byte is in: check, store, answer None; or the refusal (the upload dropped:
    the desk's file or meta is wrong, and sending the same bytes again would not help)."""
    area = _area(request)
    if upload.length:
        digest = area.digest(upload.recording_id)
        if digest != upload.meta.sha256:
            area.discard(upload.recording_id)
            message = (
                f"The file's SHA-256 {digest} is not the meta's sha256 {upload.meta.sha256}; "
                "the upload was dropped."
            )
            audit(
                session,
                user_id=caller.user.id,
                action="recording.store",
                target=f"recording {upload.recording_id}",
                allowed=False,
                now=now,
                detail=message,
            )
            session.commit()
            return _problem(UploadError(CHECKSUM_MISMATCH, message, "meta.sha256"))
    kept.store(
        session,
        _files(request),
        upload.meta,
        area.part_path(upload.recording_id) if upload.length else None,
        user_id=caller.user.id,
        team_id=caller.user.team_id,
        now=now,
    )
    area.discard(upload.recording_id)
    return None


@router.post(UPLOADS_ROUTE, status_code=201)
def create_upload(request: Request, caller: Uploader, session: DbSession, clock: Now) -> Response:
    """tus creation: the upload of one recording (or the same one again)."""
    try:
        meta, length = _meta_of(request, caller, request.app.state.settings.max_recording_bytes)
        location = f"{request.url.path}/{meta.recording_id}"
        stored = session.get(RecordingRow, meta.recording_id)
        if stored is not None:
            if stored.sha256 != meta.sha256 or stored.agent != caller.user.username:
                raise UploadError(
                    409,
                    f"Recording {meta.recording_id} is stored already with another checksum.",
                    "recording_id",
                )
            offset = stored.size_bytes
        else:
            area = _area(request)
            upload = area.create(meta, length, caller.user.id, clock.now())
            offset = upload.offset
            if length == 0:
                with area.lock(meta.recording_id):
                    refused = _finish(request, session, caller, upload, clock.now())
                if refused is not None:
                    return refused
    except UploadError as exc:
        return _problem(exc)
    return Response(
        status_code=201, headers=_tus_headers(Location=location, **{"Upload-Offset": str(offset)})
    )


def _own_upload(request: Request, caller: Caller, recording_id: str) -> Upload | None:
    upload = _area(request).find(recording_id)
    if upload is not None and upload.user_id != caller.user.id:
        return None  # another user's upload is not there for this caller
    return upload


@router.head(UPLOADS_ROUTE + "/{recording_id}")
def upload_offset(
    recording_id: RecordingId, request: Request, caller: Uploader, session: DbSession
) -> Response:
    """tus HEAD: how much of the upload the server has (all of it once stored)."""
    upload = _own_upload(request, caller, recording_id)
    if upload is not None:
        offset, length = upload.offset, upload.length
    else:
        stored = session.get(RecordingRow, recording_id)
        if stored is None or stored.agent_id != caller.user.id:
            return Response(status_code=404, headers=_tus_headers())
        offset = length = stored.size_bytes
    return Response(
        status_code=200,
        headers=_tus_headers(**{"Upload-Offset": str(offset), "Upload-Length": str(length)}),
    )


@router.patch(UPLOADS_ROUTE + "/{recording_id}")
async def append_upload(
    recording_id: RecordingId, request: Request, caller: Uploader, session: DbSession, clock: Now
) -> Response:
    """tus PATCH: bytes at the offset the server has; the last ones store the recording."""
    kind = request.headers.get("Content-Type", "")
    if kind != UPLOAD_CONTENT_TYPE:
        return _problem(UploadError(415, f"Content-Type must be {UPLOAD_CONTENT_TYPE}."))
    offset_text = request.headers.get("Upload-Offset", "")
    if not offset_text.isdigit() or len(offset_text) > 15:
        return _problem(UploadError(400, "Upload-Offset must be a byte count.", "offset"))
    data = await request.body()  # at most the gate's body bound

    def write() -> Response:
        area = _area(request)
        with area.lock(recording_id):  # found again under it: another worker may have finished
            upload = _own_upload(request, caller, recording_id)
            if upload is None:
                stored = session.get(RecordingRow, recording_id)
                if stored is not None and stored.agent_id == caller.user.id:
                    raise UploadError(409, f"Recording {recording_id} is stored already.", "offset")
                return Response(status_code=404, headers=_tus_headers())
            offset = area.append(upload, int(offset_text), data)
            if offset == upload.length:
                refused = _finish(request, session, caller, upload, clock.now())
                if refused is not None:
                    return refused
        return Response(status_code=204, headers=_tus_headers(**{"Upload-Offset": str(offset)}))

    try:
        return await run_in_threadpool(write)
    except UploadError as exc:
        return _problem(exc)


# -- reading ----------------------------------------------------------------------------------


def _visible(caller: Caller):  # type: ignore[no-untyped-def]
    return kept.visible(caller.permissions, caller.role, caller.user.username, caller.team_ids)


def _one(session: Session, caller: Caller, recording_id: str, now: datetime) -> RecordingRow:
    """The recording if the caller may hear it; another's is refused 403, audited."""
    row = get_or_404(session, RecordingRow, recording_id, "recording")
    allowed = session.scalar(
        select(RecordingRow.recording_id).where(
            RecordingRow.recording_id == recording_id, _visible(caller)
        )
    )
    if allowed is None:
        raise deny(
            session,
            caller,
            "recording.listen",
            f"recording {recording_id}",
            "This recording is not one of your calls or your team's.",
            now,
        )
    return row


@router.get(RECORDINGS_ROUTE, response_model=list[RecordingOut])
def list_recordings(
    caller: Listener,
    session: DbSession,
    # One call's or, repeated, several calls' (contract 1.8: a customer's history in one
    # request; a 1.7 server reads only the last one given).
    interaction_id: Annotated[list[int] | None, Query(max_length=INTERACTIONS_MAX)] = None,
    agent: Annotated[str | None, Query(max_length=200)] = None,
    queue: Annotated[str | None, Query(max_length=200)] = None,
    since: Instant | None = None,
    until: Instant | None = None,
    limit: Annotated[int, Query(ge=1, le=LIST_MAX)] = 100,
) -> list[RecordingOut]:
    """The recordings the caller may hear, newest first, filtered. Each answer names its
    interaction where one names the recording, though the recording's own meta may not."""
    query = select(RecordingRow).where(_visible(caller))
    named: dict[str, int] = {}
    if interaction_id is not None:
        ids = sorted(set(interaction_id))
        if not ids or any(not 1 <= i <= 2_147_483_647 for i in ids):
            raise ApiProblem(
                422,
                ErrorCode.INVALID_REQUEST,
                "interaction_id must be whole numbers from 1 to 2147483647.",
                "interaction_id",
            )
        # The recording's own meta rarely knows its interaction (the desk seals the file
        # before wrap-up ends); the interaction names its recording (contract 1.7).
        named = {
            str(recording_id): int(row_id)
            for row_id, recording_id in session.execute(
                select(InteractionRow.id, InteractionRow.recording_id).where(
                    InteractionRow.id.in_(ids), InteractionRow.recording_id.is_not(None)
                )
            )
        }
        query = query.where(
            or_(
                RecordingRow.interaction_id.in_(ids),
                RecordingRow.recording_id.in_(list(named)),
            )
        )
    if agent:
        query = query.where(RecordingRow.agent == agent)
    if queue:
        query = query.where(RecordingRow.queue == queue)
    if since is not None:
        query = query.where(RecordingRow.started_at >= since)
    if until is not None:
        query = query.where(RecordingRow.started_at < until)
    rows = session.scalars(query.order_by(RecordingRow.started_at.desc()).limit(limit))
    answers = []
    for row in rows:
        out = kept.recording_out(row)
        if out.interaction_id is None and row.recording_id in named:
            out = out.model_copy(update={"interaction_id": named[row.recording_id]})
        answers.append(out)
    return answers


@router.get(RECORDINGS_ROUTE + "/{recording_id}", response_model=RecordingOut)
def get_recording(
    recording_id: RecordingId, caller: Listener, session: DbSession, clock: Now
) -> RecordingOut:
    return kept.recording_out(_one(session, caller, recording_id, clock.now()))


def _range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end) inclusive of a single-range Range header; None: the whole file.
    Raises ApiProblem 416 for a range outside the file or a form we do not serve."""
    if header is None:
        return None
    match = _RANGE.match(header.strip())
    if match is None or (not match.group(1) and not match.group(2)):
        raise ApiProblem(416, ErrorCode.INVALID_REQUEST, "Range must be bytes=start-end.", "range")
    first, last = match.group(1), match.group(2)
    if not first:  # the last N bytes
        start, end = max(0, size - int(last[:15])), size - 1
    else:
        start = int(first[:15])
        end = min(int(last[:15]), size - 1) if last else size - 1
    if start >= size or end < start:
        raise ApiProblem(
            416, ErrorCode.INVALID_REQUEST, f"Range {header[:40]} is outside {size} bytes.", "range"
        )
    return start, end


@router.get(RECORDINGS_ROUTE + "/{recording_id}/audio")
def get_audio(
    recording_id: RecordingId,
    request: Request,
    caller: Listener,
    session: DbSession,
    clock: Now,
) -> Response:
    """The recording's file, whole (200) or a byte range (206) for seeking."""
    return _audio(recording_id, request, caller, session, clock.now())


@router.head(RECORDINGS_ROUTE + "/{recording_id}/audio")
def probe_audio(
    recording_id: RecordingId,
    request: Request,
    caller: Listener,
    session: DbSession,
    clock: Now,
) -> Response:
    """The answer's headers alone: a player learns the size and type (no playback audited)."""
    return _audio(recording_id, request, caller, session, clock.now())


def _audio(
    recording_id: str, request: Request, caller: Caller, session: Session, now: datetime
) -> Response:
    row = _one(session, caller, recording_id, now)
    files = _files(request)
    if row.deleted_at is not None or not row.sha256 or not files.exists(row.sha256):
        why = (
            "its retention ran out"
            if row.deleted_at is not None
            else "the PBX keeps its audio"
            if row.source != RecordingMode.DESK.value
            else "the call recorded nothing"
        )
        raise ApiProblem(410, ErrorCode.NOT_FOUND, f"Recording {recording_id} has no audio: {why}.")
    size = files.size(row.sha256)
    span = _range(request.headers.get("Range"), size)
    start, end = span if span is not None else (0, size - 1)
    if start == 0 and request.method == "GET":  # a playback begins; later ranges are the same
        audit(
            session,
            user_id=caller.user.id,
            action="recording.play",
            target=f"recording {recording_id}",
            allowed=True,
            now=now,
            detail=f"agent {row.agent}, interaction {row.interaction_id}",
        )
        session.commit()
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Length": str(end - start + 1),
        "Cache-Control": "private, no-store",
    }
    if span is not None:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return StreamingResponse(
        files.open_range(row.sha256, start, end),
        status_code=206 if span is not None else 200,
        media_type=row.media_type.split(";")[0],
        headers=headers,
    )


# -- retention --------------------------------------------------------------------------------


@router.get("/teams/{team_id}/recording-retention", response_model=RetentionOut)
def get_retention(team_id: IdPath, caller: TeamAdmin, session: DbSession) -> RetentionOut:  # noqa: ARG001
    team = get_or_404(session, TeamRow, team_id, "team")
    return RetentionOut(team_id=team.id, days=team.recording_retention_days)


@router.put("/teams/{team_id}/recording-retention", response_model=RetentionOut)
def put_retention(
    team_id: IdPath, body: RetentionIn, caller: TeamAdmin, session: DbSession, clock: Now
) -> RetentionOut:
    """How long the team keeps its recordings; the next retention round applies it."""
    team = get_or_404(session, TeamRow, team_id, "team")
    if caller.role is not Role.ADMIN and caller.team_ids is not None:
        raise deny(
            session,
            caller,
            "recording.retention",
            f"team {team_id}",
            "Only an administrator sets retention.",
            clock.now(),
        )
    before = team.recording_retention_days
    team.recording_retention_days = body.days
    team.updated_at = clock.now()
    audit(
        session,
        user_id=caller.user.id,
        action="recording.retention",
        target=f"team {team_id}",
        allowed=True,
        now=clock.now(),
        detail=f"{before} -> {body.days} days",
    )
    session.commit()
    return RetentionOut(team_id=team.id, days=team.recording_retention_days)
