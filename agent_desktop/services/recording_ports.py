"""What the recording screens need from the rest of the desk (issue 20), as small protocols.

The call bar, the sensitive-field watcher and the player are built against these, not against
the concrete objects: the recorder's ``RecordingService`` (agent_desktop/services/recording.py)
satisfies ``RecordingControl``; the desk client's recording routes (sync/client.py) sit behind
``RecordingLibrary``. The composition root hands the real ones in; the UI tests hand in the
fakes of tests/fakes/recordings.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import SignalInstance

from softphone.events import RecordingInfo
from sync.contract.recordings import PauseReason, RecordingMeta


class RecordingControl(Protocol):
    """A call's recording as the desk's recorder runs it. ``changed`` carries a
    ``RecordingInfo`` on the GUI thread at every start, pause, resume, finish or failure."""

    @property
    def changed(self) -> SignalInstance: ...

    def pause(self, call_id: int, reason: PauseReason) -> None: ...

    def resume(self, call_id: int) -> None: ...

    def state(self, call_id: int) -> RecordingInfo | None: ...


class RecordingLibrary(Protocol):
    """The server's recordings (contract 1.7). Both calls block on the network: they run on a
    worker (TaskRunner.run_blocking), never on the GUI thread. A 1.6 server has no such routes:
    the client raises its 404 (``ServerError.status == 404``), read as "none here"."""

    def recordings_for(self, interaction_id: int) -> list[RecordingMeta]: ...

    def recordings_of_calls(self, interaction_ids: Sequence[int]) -> dict[int, list[RecordingMeta]]:
        """Each call's recordings that have audio (calls without any left out): one request
        to a 1.8 server, one per call to a 1.7 one."""
        ...

    def download_audio(self, recording_id: str, target: Path) -> None:
        """The recording's audio, written whole to ``target`` (a part file renamed at the end
        is the implementation's affair)."""
        ...
