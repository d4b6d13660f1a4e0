"""A new desk's first sync from the server's snapshot (``sync.contract.snapshot``).

Download (with progress), verify, unpack, load, and hand back the cursor: the engine then
pulls the change feed from it as usual. The compressed stream is hashed and unpacked as it
arrives (one pass, no second read of the file); nothing is loaded until its length, its
sha256 and its zstd frame are all complete and right. Any failure (no route on an older
server, a cut or corrupted download, a file that does not fit) is ``SnapshotUnavailable``: the
engine pulls the whole feed instead, having changed nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
import zstandard

from sync.cache import LocalCache
from sync.client import ApiClient, ApiError, AuthError
from sync.contract import snapshot as contract
from sync.snapshot_load import SnapshotRefused

log = logging.getLogger(__name__)

_CHUNK = 1 << 20
_PROGRESS_EVERY_S = 0.1

# (bytes so far, bytes in all); called on the engine's thread
Progress = Callable[[int, int], None]


class SnapshotUnavailable(Exception):  # noqa: N818 - an outcome the engine handles: use the feed
    """No snapshot could be used this time; the change feed can. ``str()`` says why."""


@dataclass(frozen=True, slots=True)
class Loaded:
    cursor: int
    records: int
    size: int  # compressed bytes downloaded
    seconds: float


def first_sync(
    client: ApiClient,
    cache: LocalCache,
    progress: Progress = lambda _done, _total: None,
    stopping: Callable[[], bool] = lambda: False,
) -> Loaded:
    """Fill a new cache from the server's snapshot. Raises ``AuthError`` (sign in again) or
    ``SnapshotUnavailable`` (use the feed); the cache is unchanged unless it returns."""
    started = time.monotonic()
    unpacked = cache.path.with_name(cache.path.name + ".snapshot")
    try:
        cursor, records, size = _download(client, unpacked, progress, stopping)
        try:
            loaded = cache.load_snapshot(unpacked, cursor, records).result()
        except (SnapshotRefused, OSError, sqlite3.Error) as exc:  # a damaged file, a full disk
            raise SnapshotUnavailable(f"the snapshot could not be loaded: {exc}") from None
    finally:
        with contextlib.suppress(OSError):
            unpacked.unlink()
    return Loaded(cursor, loaded, size, time.monotonic() - started)


def _download(
    client: ApiClient, target: Path, progress: Progress, stopping: Callable[[], bool]
) -> tuple[int, int, int]:
    """Stream the snapshot into ``target`` unpacked; (cursor, records, compressed size)."""
    try:
        response = client.open_snapshot()
    except AuthError:
        raise
    except ApiError as exc:  # 404 from a server before 1.2, a 5xx, the network
        raise SnapshotUnavailable(f"no snapshot from the server: {exc}") from None
    with response:
        try:
            sha256 = response.headers[contract.SHA256_HEADER].strip().lower()
            cursor = int(response.headers[contract.CURSOR_HEADER])
            records = int(response.headers[contract.RECORDS_HEADER])
            total = int(response.headers["Content-Length"])
            form = response.headers.get(contract.FORMAT_HEADER, "")
        except (KeyError, ValueError) as exc:
            raise SnapshotUnavailable(f"the snapshot's headers are incomplete: {exc}") from None
        if form != str(contract.FORMAT):
            raise SnapshotUnavailable(f"snapshot format {form!r}, not {contract.FORMAT}")
        digest = hashlib.sha256()
        unpack = zstandard.ZstdDecompressor().decompressobj()
        received = 0
        reported = 0.0
        progress(0, total)
        try:
            with target.open("wb") as out:
                for chunk in response.iter_content(_CHUNK):
                    if stopping():
                        raise SnapshotUnavailable("the desk is stopping")
                    digest.update(chunk)
                    received += len(chunk)
                    out.write(unpack.decompress(chunk))
                    if time.monotonic() - reported >= _PROGRESS_EVERY_S:
                        reported = time.monotonic()
                        progress(received, total)
        except (requests.RequestException, zstandard.ZstdError, OSError) as exc:
            raise SnapshotUnavailable(f"the snapshot download failed: {exc}") from None
    progress(received, total)
    if received != total:
        raise SnapshotUnavailable(f"the snapshot was cut off: {received} of {total} bytes")
    if digest.hexdigest() != sha256:
        raise SnapshotUnavailable("the snapshot does not match its sha256")
    if not unpack.eof:
        raise SnapshotUnavailable("the snapshot's zstd frame is incomplete")
    log.info("snapshot: %d bytes, %d records at cursor %d", received, records, cursor)
    return cursor, records, received
