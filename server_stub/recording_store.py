"""Where the server keeps recording files (issue 20): content-addressed by SHA-256, behind a
small interface so that an S3-compatible object store can stand behind it later.

``RecordingStore`` is what the routes and the retention job use: ``put`` a finished upload
under its digest, ``open_range`` to stream bytes back for HTTP Range, ``exists``, ``delete``.
``DirectoryStore`` is the one built here: ``<root>/objects/ab/<digest>``. A file is moved into
place with ``os.replace`` (atomic on one file system), so a reader never sees half a file and a
crash leaves either the old state or the new. Two recordings with the same bytes share one
file; the retention job deletes a file only when no kept recording names it.

An object store would implement the same four calls: ``put`` as a (multipart) upload under
the digest as key, ``open_range`` as a ranged GET, ``delete`` and ``exists`` as DELETE/HEAD.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
READ_CHUNK = 256 * 1024  # bytes per piece streamed back


class RecordingStore(Protocol):
    def put(self, source: Path, sha256: str) -> None:
        """Take ``source`` (a finished, checked upload) as the object ``sha256``; the source
        is gone afterwards. Putting an object that exists leaves the one stored."""

    def open_range(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        """The bytes ``start`` .. ``end`` (inclusive) of the object, in pieces."""

    def size(self, sha256: str) -> int: ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None:
        """Remove the object; no error if it is not there."""


def check_digest(sha256: str) -> str:
    if not _DIGEST.match(sha256):
        raise ValueError(f"not a SHA-256 in hex: {sha256[:70]!r}")
    return sha256


class DirectoryStore:
    """Objects as files under ``root`` (a server option, ``--recordings-dir``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "objects").mkdir(parents=True, exist_ok=True)

    def path_of(self, sha256: str) -> Path:
        digest = check_digest(sha256)
        return self.root / "objects" / digest[:2] / digest

    def put(self, source: Path, sha256: str) -> None:
        target = self.path_of(sha256)
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            source.unlink(missing_ok=True)
            return
        os.replace(source, target)

    def open_range(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        with self.path_of(sha256).open("rb") as file:
            file.seek(start)
            left = end - start + 1
            while left > 0:
                piece = file.read(min(READ_CHUNK, left))
                if not piece:
                    return
                left -= len(piece)
                yield piece

    def size(self, sha256: str) -> int:
        return self.path_of(sha256).stat().st_size

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def delete(self, sha256: str) -> None:
        self.path_of(sha256).unlink(missing_ok=True)
