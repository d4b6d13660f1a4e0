"""Recordings as the desk's recorder leaves them in its spool (issue 20), made by tests until
the recorder itself writes them: ``<id>.ogg`` with any bytes (the server trusts no file: it
checks the SHA-256 the meta names) and then, atomically, ``<id>.json``."""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sync.clock import SystemClock
from sync.contract.recordings import RecordingMeta, RecordingMode


def spool_recording(
    spool: Path,
    agent: str,
    *,
    size: int = 64 * 1024,
    started_at: datetime | None = None,
    source: RecordingMode = RecordingMode.DESK,
    interaction_id: int | None = None,
    queue: str = "",
    seed: int = 0,
) -> RecordingMeta:
    spool.mkdir(parents=True, exist_ok=True)
    recording_id = uuid.uuid4().hex
    start = started_at or SystemClock().now() - timedelta(minutes=5)
    audio = b""
    if source is RecordingMode.DESK:
        # Not compressible and different per recording: a real recording's bytes are neither.
        audio = hashlib.shake_256(f"{recording_id}-{seed}".encode()).digest(size)
        (spool / f"{recording_id}.ogg").write_bytes(audio)
    meta = RecordingMeta(
        recording_id=recording_id,
        source=source,
        pbx_recording_id="pbx-77" if source is RecordingMode.PBX else None,
        agent=agent,
        interaction_id=interaction_id,
        queue=queue,
        started_at=start,
        ended_at=start + timedelta(minutes=3),
        duration_ms=180_000,
        size_bytes=len(audio),
        sha256=hashlib.sha256(audio).hexdigest() if audio else "",
    )
    temporary = spool / f"{recording_id}.json.tmp"
    temporary.write_text(meta.model_dump_json(), encoding="utf-8")
    os.replace(temporary, spool / f"{recording_id}.json")
    return meta
