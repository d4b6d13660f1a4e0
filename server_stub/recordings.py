"""Call recordings on the server (issue 20): a finished upload becomes a stored recording,
who may hear which recording, and the retention job.

Who hears what (``visible``): ``recording.listen_all`` (admins, a QA role) every recording; a
lead (supervisor kind) with ``recording.listen`` the recordings of the teams they see
(``Caller.team_ids``); anyone else with ``recording.listen`` only their own calls. Without
``recording.listen`` (technicians) nothing: the route refuses before this is asked.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, false, func, select, true
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server_stub.core.db import Database
from server_stub.feed import audit
from server_stub.models import RecordingRow, TeamRow
from server_stub.periodic import Periodic
from server_stub.recording_store import RecordingStore
from server_stub.recording_uploads import ABANDONED_AFTER_DAYS, UploadArea
from sync.clock import Clock
from sync.contract.recordings import RecordingMeta, RecordingMode, RecordingOut
from sync.contract.records import Role

log = logging.getLogger(__name__)

LISTEN = "recording.listen"
LISTEN_ALL = "recording.listen_all"
UPLOAD = "recording.upload"


def recording_out(row: RecordingRow) -> RecordingOut:
    return RecordingOut.model_validate(
        {
            "recording_id": row.recording_id,
            "source": row.source,
            "pbx_recording_id": row.pbx_recording_id,
            "sip_call_id": row.sip_call_id,
            "interaction_id": row.interaction_id,
            "customer_id": row.customer_id,
            "kind": row.kind,
            "queue": row.queue,
            "agent": row.agent,
            "team_id": row.team_id,
            "started_at": row.started_at,
            "ended_at": row.ended_at,
            "duration_ms": row.duration_ms,
            "media_type": row.media_type,
            "size_bytes": row.size_bytes,
            "sha256": row.sha256,
            "pauses": row.pauses,
            "holds": row.holds,
            "stored_at": row.stored_at,
            "deleted_at": row.deleted_at,
            "has_audio": row.deleted_at is None and row.source == RecordingMode.DESK.value,
        }
    )


def visible(
    permissions: frozenset[str], role: Role, username: str, team_ids: frozenset[int] | None
) -> ColumnElement[bool]:
    """The recordings a caller may list and hear, as a WHERE clause."""
    if LISTEN_ALL in permissions:
        return true()
    if LISTEN not in permissions:
        return false()
    if role in (Role.SUPERVISOR, Role.ADMIN):
        if team_ids is None:
            return true()
        return RecordingRow.team_id.in_(sorted(team_ids)) | (RecordingRow.agent == username)
    return RecordingRow.agent == username


def store(
    session: Session,
    files: RecordingStore,
    meta: RecordingMeta,
    part: Path | None,
    *,
    user_id: int,
    team_id: int | None,
    now: datetime,
) -> RecordingRow:
    """The recording ``meta`` describes, stored (its checked file moved into ``files``) and
    audited; the row already there if it was (an upload finished twice: one recording)."""
    row = session.get(RecordingRow, meta.recording_id)
    if row is not None:
        if part is not None:
            part.unlink(missing_ok=True)
        return row
    if part is not None:
        files.put(part, meta.sha256)
    row = RecordingRow(
        recording_id=meta.recording_id,
        source=meta.source.value,
        pbx_recording_id=meta.pbx_recording_id,
        sip_call_id=meta.sip_call_id,
        agent=meta.agent,
        agent_id=user_id,
        team_id=team_id,
        interaction_id=meta.interaction_id,
        customer_id=meta.customer_id,
        queue=meta.queue,
        kind=meta.kind.value,
        started_at=meta.started_at,
        ended_at=meta.ended_at,
        duration_ms=meta.duration_ms,
        media_type=meta.media_type,
        size_bytes=meta.size_bytes,
        sha256=meta.sha256,
        pauses=[p.model_dump(mode="json") for p in meta.pauses],
        holds=[h.model_dump(mode="json") for h in meta.holds],
        stored_at=now,
        deleted_at=None,
    )
    session.add(row)
    audit(
        session,
        user_id=user_id,
        action="recording.store",
        target=f"recording {meta.recording_id}",
        allowed=True,
        now=now,
        detail=f"{meta.source.value}, {meta.size_bytes} bytes, sha256 {meta.sha256 or '-'}, "
        f"interaction {meta.interaction_id}",
    )
    session.commit()
    return row


def expire(session: Session, files: RecordingStore, now: datetime) -> int:
    """Delete the files of recordings older than their team's retention and mark their rows;
    each one audited. A file shared by a recording still kept stays. The count marked."""
    marked = 0
    teams = {t.id: t.recording_retention_days for t in session.scalars(select(TeamRow))}
    for team_id, days in sorted(teams.items(), key=lambda item: item[0]):
        cutoff = now - timedelta(days=days)
        rows = session.scalars(
            select(RecordingRow).where(
                RecordingRow.team_id == team_id,
                RecordingRow.deleted_at.is_(None),
                RecordingRow.started_at < cutoff,
            )
        ).all()
        for row in rows:
            row.deleted_at = now
            session.flush()
            if row.sha256 and not _still_kept(session, row.sha256):
                files.delete(row.sha256)
            audit(
                session,
                user_id=None,
                action="recording.expire",
                target=f"recording {row.recording_id}",
                allowed=True,
                now=now,
                detail=f"team {team_id} keeps recordings {days} days; started {row.started_at}",
            )
            session.commit()  # one at a time: a crash part-way leaves each one consistent
            marked += 1
    return marked


def drop_abandoned(session: Session, area: UploadArea, now: datetime) -> int:
    """Partial uploads begun more than ``ABANDONED_AFTER_DAYS`` ago, dropped and audited."""
    dropped = 0
    for recording_id in area.abandoned(now - timedelta(days=ABANDONED_AFTER_DAYS)):
        with area.lock(recording_id):
            area.discard(recording_id)
        audit(
            session,
            user_id=None,
            action="recording.upload.abandoned",
            target=f"recording {recording_id}",
            allowed=True,
            now=now,
            detail=f"a partial upload older than {ABANDONED_AFTER_DAYS} days was dropped",
        )
        session.commit()
        dropped += 1
    return dropped


def _still_kept(session: Session, sha256: str) -> bool:
    count = session.scalar(
        select(func.count())
        .select_from(RecordingRow)
        .where(RecordingRow.sha256 == sha256, RecordingRow.deleted_at.is_(None))
    )
    return bool(count)


class RetentionSweeper:
    """Runs ``expire`` and ``drop_abandoned`` every ``interval_s`` (0: never; a test calls
    ``sweep``)."""

    def __init__(
        self,
        database: Database,
        files: RecordingStore,
        uploads: UploadArea,
        clock: Clock,
        interval_s: float,
    ) -> None:
        self._database, self._files, self._clock = database, files, clock
        self._uploads = uploads
        self._interval_s = interval_s
        self._rounds = Periodic(
            "recording-retention",
            interval_s,
            lambda: run_in_threadpool(self.sweep),
            failed="recording retention sweep failed",
        )

    def sweep(self) -> int:
        with self._database.session() as session:
            marked = expire(session, self._files, self._clock.now())
            dropped = drop_abandoned(session, self._uploads, self._clock.now())
        if marked or dropped:
            log.info("recordings: %d expired, %d abandoned uploads dropped", marked, dropped)
        return marked

    async def start(self) -> None:
        if self._interval_s > 0:
            self._rounds.start()

    async def stop(self) -> None:
        await self._rounds.stop()
