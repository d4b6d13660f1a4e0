"""The server's recordings for the desk's players (issue 20): ``RecordingLibrary``
(services/recording_ports.py) over the desk's API client, signed in as the agent.

Each call opens the signed-in session's client (``SyncService.client_factory``) on the worker
the player runs it on; a server before contract 1.7 raises ``MissingRouteError`` (``status``
404), which the players read as "this server keeps no recordings". A recording whose file is
gone (retention ran out) or that only links the PBX's is not listed: there is nothing to play.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from agent_desktop.services.sync_service import SyncService
from sync.client import ApiClient, RecordingsUnsupportedError
from sync.contract.recordings import RecordingMeta, RecordingOut

_META_FIELDS = frozenset(RecordingMeta.model_fields)


class MissingRouteError(Exception):
    """The server answered 404 to a recordings route: it keeps none (contract before 1.7)."""

    status = 404


class SignedOutError(Exception):
    """No session to ask with (signed out meanwhile)."""


def meta_of(recording: RecordingOut) -> RecordingMeta:
    """What the player needs of a stored recording: the desk's own shape of it."""
    fields = recording.model_dump()
    return RecordingMeta.model_validate({k: v for k, v in fields.items() if k in _META_FIELDS})


class ServerRecordings:
    def __init__(self, sync: SyncService) -> None:
        self._sync = sync

    def _client(self) -> ApiClient:
        factory = self._sync.client_factory
        if factory is None:
            raise SignedOutError("signed out")
        return factory()

    def recordings_for(self, interaction_id: int) -> list[RecordingMeta]:
        try:
            with self._client() as api:
                found = api.recordings(interaction_id=interaction_id)
        except RecordingsUnsupportedError as exc:
            raise MissingRouteError(str(exc)) from exc
        return [meta_of(r) for r in found if r.has_audio]

    def recordings_of_calls(self, interaction_ids: Sequence[int]) -> dict[int, list[RecordingMeta]]:
        try:
            with self._client() as api:
                found = api.recordings_of_calls(interaction_ids)
        except RecordingsUnsupportedError as exc:
            raise MissingRouteError(str(exc)) from exc
        kept = {i: [meta_of(r) for r in rs if r.has_audio] for i, rs in found.items()}
        return {i: metas for i, metas in kept.items() if metas}

    def download_audio(self, recording_id: str, target: Path) -> None:
        try:
            with self._client() as api:
                api.download_recording(recording_id, target)
        except RecordingsUnsupportedError as exc:
            raise MissingRouteError(str(exc)) from exc
