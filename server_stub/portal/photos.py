"""Photos a customer attaches: the type read from the bytes (not the name or the browser's
claim), the size and the count checked before anything is stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from server_stub.portal import limits

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


@dataclass(frozen=True, slots=True)
class Photo:
    name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class PhotoRefusedError(ValueError):
    """A photo refused: ``key`` names the catalogue's text saying why."""

    def __init__(self, name: str, key: str) -> None:
        super().__init__(f"{name}: {key}")
        self.name = name
        self.key = key


def sniffed_type(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def safe_name(name: str) -> str:
    """The file's base name, printable, at most 120 characters (it is shown to agents)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable() and c not in "<>\"'&")
    return cleaned[:120] or "photo"


def checked(name: str, data: bytes) -> Photo:
    if len(data) > limits.MAX_PHOTO_BYTES:
        raise PhotoRefusedError(safe_name(name), "photo_size")
    kind = sniffed_type(data)
    if kind is None:
        raise PhotoRefusedError(safe_name(name), "photo_type")
    return Photo(safe_name(name), kind, data)
