"""Recording upload throughput (issue 20): the desk's uploader (tuspy, the tus protocol, the
server checking and storing) beside floors measured in the same run on the same machine:

- the same tus requests sent bare (one ``requests.Session``, the same chunks, no tuspy, no
  checks on the desk): what the uploader adds (its SHA-256 of the file before sending, the
  confirming GET after);
- a bare copy of the same bytes on this disk (read, write, fsync): what the bytes cost at all.

Runs the real backend (uvicorn, SQLite) on 127.0.0.1 in this process; each round uploads a new
recording of ``--mb`` MB of incompressible bytes (a real Opus file is incompressible too).
Usage: ``python -m bench.bench_recording_upload --mb 32 --rounds 5``.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import tempfile
import time
from pathlib import Path

import requests

from bench.results import Figure, record
from sync.client import ApiClient
from sync.contract.recordings import TUS_VERSION, UPLOAD_CHUNK_BYTES, UPLOADS_ROUTE
from sync.contract.wire import API_PREFIX
from sync.recording_upload import RecordingSpool, RecordingUploader
from tests.fakes.recordings import spool_recording
from tests.fakes.servers import LiveBackend

MB = 1024 * 1024


def uploader_round(backend: LiveBackend, token: str, spool: Path, size: int) -> float:
    meta = spool_recording(spool, "lina", size=size)
    uploader = RecordingUploader(RecordingSpool(spool), lambda: ApiClient(backend.url, token=token))
    start = time.perf_counter()
    report = uploader.run_round()
    elapsed = time.perf_counter() - start
    assert report.confirmed == [meta.recording_id], report
    return size / MB / elapsed


def bare_round(backend: LiveBackend, token: str, spool: Path, size: int) -> float:
    meta = spool_recording(spool, "lina", size=size, seed=1)
    audio = (spool / f"{meta.recording_id}.ogg").read_bytes()
    http = requests.Session()
    http.headers.update(
        {"Authorization": f"Bearer {token}", "Tus-Resumable": TUS_VERSION, "X-AW-Contract": "1.7"}
    )
    url = f"{backend.url}{API_PREFIX}{UPLOADS_ROUTE}"
    encoded = base64.b64encode(meta.model_dump_json().encode()).decode()
    start = time.perf_counter()
    created = http.post(
        url, headers={"Upload-Length": str(size), "Upload-Metadata": f"meta {encoded}"}
    )
    location = backend.url + created.headers["Location"]
    offset = 0
    while offset < size:
        piece = audio[offset : offset + UPLOAD_CHUNK_BYTES]
        answer = http.patch(
            location,
            data=piece,
            headers={
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
            },
        )
        offset = int(answer.headers["Upload-Offset"])
    elapsed = time.perf_counter() - start
    for path in spool.glob(f"{meta.recording_id}.*"):
        path.unlink()
    return size / MB / elapsed


def copy_round(spool: Path, size: int) -> float:
    meta = spool_recording(spool, "lina", size=size, seed=2)
    source = spool / f"{meta.recording_id}.ogg"
    target = spool / "copy.bin"
    start = time.perf_counter()
    with source.open("rb") as read, target.open("wb") as write:
        while piece := read.read(UPLOAD_CHUNK_BYTES):
            write.write(piece)
        write.flush()
        os.fsync(write.fileno())
    elapsed = time.perf_counter() - start
    for path in (source, target, source.with_suffix(".json")):
        path.unlink()
    return size / MB / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    size = args.mb * MB
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        backend = LiveBackend(root / "bench.sqlite", recordings_dir=root / "recordings")
        try:
            token = ApiClient(backend.url).login("lina", "demo1234").token
            ours, bare, copied = [], [], []
            for number in range(args.rounds):  # interleaved: load on the machine hits all
                spool = root / f"spool{number}"
                ours.append(uploader_round(backend, token, spool, size))
                bare.append(bare_round(backend, token, spool, size))
                copied.append(copy_round(spool, size))
        finally:
            backend.stop()
    figures = [
        Figure(
            f"upload of a {args.mb} MB recording (uploader, tus, checked, stored), median",
            statistics.median(ours),
            "MB/s",
            statistics.median(bare),
            "the same tus requests, bare requests.Session",
            aim="≥ 0.5× floor",
            detail={"min": min(ours), "max": max(ours)},
        ),
        Figure(
            f"upload of a {args.mb} MB recording (uploader), against a bare disk copy, median",
            statistics.median(ours),
            "MB/s",
            statistics.median(copied),
            "read + write + fsync on this disk",
            detail={"copy_min": min(copied), "copy_max": max(copied)},
        ),
    ]
    record(
        "recording_upload",
        figures,
        {"mb": args.mb, "rounds": args.rounds, "chunk_bytes": UPLOAD_CHUNK_BYTES},
    )


if __name__ == "__main__":
    main()
