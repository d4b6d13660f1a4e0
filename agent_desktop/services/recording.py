"""Call recording on the desk (issue 20): the centre's settings applied to the phone, each
call's recording state for the call bar, PCI pause and resume, and what the server is told.

The phone engine records (``softphone.recorder``): the file, its silence while paused, its
metadata in the spool when the call ends. This service:

- applies the centre's recording settings (``agent_desktop.config``'s ``recording.*`` keys,
  set by IT) to the phone, with the spool under the profile when none is named;
- keeps the last ``RecordingInfo`` of each call and re-emits it as ``changed`` (on the GUI
  thread: the phone's signals arrive there, from the engine's channel);
- labels each call's recording with what the desk knows (the agent's username, the queue, the
  customer the screen pop found), so the metadata the engine writes at the end carries them;
- sends each pause and resume to the server through the outbox (``recording.event``): audited
  there and shown on the lead's board; a server before contract 1.7 answers 404 and the sync
  engine drops the event (``sync.routes.DROPPED_ON_404``), the recording going on.

The interaction's id is not known at the call's end (the interaction is written when the
wrap-up ends, with a local id until the server answers), so the metadata carries the
customer and the SIP Call-ID, not the interaction: a server links them later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from agent_desktop.config import Settings
from agent_desktop.services.screen_pop import ScreenPop
from agent_desktop.services.sync_service import SyncService
from agent_desktop.tasks import TaskRunner
from softphone import CallInfo, CallState, Phone, PhoneError
from softphone.events import (
    RecordingInfo,
    RecordingLabels,
    RecordingMode,
    RecordingSettings,
    RecordingState,
)
from sync.clock import system_clock
from sync.contract.recordings import PauseReason, RecordingEventIn, RecordingEventKind

log = logging.getLogger(__name__)

ANNOUNCEMENT = Path(__file__).resolve().parents[2] / "resources" / "sounds" / "recorded.wav"


def recording_settings(settings: Settings, profile_dir: Path) -> RecordingSettings:
    """The phone's recording settings from the desk's configuration."""
    spool = settings.recording_spool_dir or str(profile_dir / "recordings")
    return RecordingSettings(
        mode=RecordingMode(settings.recording_mode),
        spool_dir=spool,
        auto_resume_s=settings.recording_auto_resume_s,
        pbx_header=settings.recording_pbx_header,
        announce_queues=settings.recording_announce_queues,
        announcement_path=str(ANNOUNCEMENT) if settings.recording_announce_queues else "",
    )


KEPT_IDS = 32  # calls whose recording id is kept for their interaction (wrap-ups pending)


class RecordingService(QObject):
    changed = Signal(object)  # RecordingInfo, on the GUI thread
    failed = Signal(str)  # a pause or resume the phone refused, in words

    def __init__(
        self,
        phone: Phone,
        sync: SyncService,
        tasks: TaskRunner,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._phone = phone
        self._sync = sync
        self._tasks = tasks  # (nothing here blocks: the outbox's writer thread takes writes)
        self._now = now or system_clock().now
        self._states: dict[int, RecordingInfo] = {}
        self._labels: dict[int, RecordingLabels] = {}
        self._resuming: set[int] = set()  # calls the agent asked to resume (not the countdown)
        # Each call's recording id, kept past the call's end: its interaction is written at
        # the end of wrap-up and names it. The last few calls only.
        self._ids: dict[int, str] = {}
        phone.recording_changed.connect(self._changed)
        phone.call_state_changed.connect(self._call_changed)

    # -- the API the call bar uses ---------------------------------------------------------

    def apply(self, settings: RecordingSettings) -> None:
        """The centre's settings, for calls that connect from now on."""
        self._phone.configure_recording(settings)

    def state(self, call_id: int) -> RecordingInfo | None:
        return self._states.get(call_id)

    def recording_id(self, call_id: int) -> str | None:
        """The id of the call's recording (this desk's file, or the PBX's linked one), once it
        started; None for a call not recorded or whose recording failed."""
        return self._ids.get(call_id)

    def pause(self, call_id: int, reason: PauseReason | str = PauseReason.AGENT) -> None:
        """Silence on the call's recording (a card number is read out)."""
        info = self._states.get(call_id)
        if info is None or info.state is not RecordingState.RECORDING:
            return
        try:
            self._phone.pause_recording(call_id, str(PauseReason(reason)), self._username())
        except PhoneError as exc:
            self.failed.emit(str(exc))

    def resume(self, call_id: int) -> None:
        info = self._states.get(call_id)
        if info is None or info.state is not RecordingState.PAUSED:
            return
        self._resuming.add(call_id)
        try:
            self._phone.resume_recording(call_id)
        except PhoneError as exc:
            self._resuming.discard(call_id)
            self.failed.emit(str(exc))

    # -- labels ------------------------------------------------------------------------------

    def on_pop(self, pop: ScreenPop) -> None:
        """The screen pop found the caller: the customer goes on the recording's metadata."""
        if pop.call is None or pop.view is None:
            return
        customer_id = pop.view.customer.id
        if customer_id > 0:  # a customer made on this desk has no server id yet
            self.label(pop.call.call_id, customer_id=customer_id)

    def label(
        self, call_id: int, *, customer_id: int | None = None, interaction_id: int | None = None
    ) -> None:
        old = self._labels.get(call_id, RecordingLabels(agent=self._username()))
        labels = RecordingLabels(
            agent=old.agent or self._username(),
            queue=old.queue,
            interaction_id=interaction_id or old.interaction_id,
            customer_id=customer_id or old.customer_id,
        )
        self._labels[call_id] = labels
        self._phone.label_recording(call_id, labels)

    def _call_changed(self, info: CallInfo) -> None:
        if info.state is CallState.ENDED:
            self._labels.pop(info.call_id, None)
            last = self._states.pop(info.call_id, None)
            if last is not None and last.state is RecordingState.PAUSED:
                # The engine died with the call paused (it resumes before a call's end
                # otherwise): the lead's board must not show it paused for hours.
                self._tell(last, RecordingEventKind.RESUMED, auto=True)
            return
        if info.state is CallState.CONNECTED and info.call_id not in self._labels:
            self._labels[info.call_id] = RecordingLabels(agent=self._username(), queue=info.queue)
            self._phone.label_recording(info.call_id, self._labels[info.call_id])

    # -- the phone's reports -------------------------------------------------------------------

    def _changed(self, info: RecordingInfo) -> None:
        before = self._states.get(info.call_id)
        if info.state is RecordingState.FAILED:
            self._ids.pop(info.call_id, None)  # no file: the interaction names none
        elif info.recording_id:
            self._ids[info.call_id] = info.recording_id
            while len(self._ids) > KEPT_IDS:
                del self._ids[next(iter(self._ids))]  # the oldest call's
        if info.state in (RecordingState.FINISHED, RecordingState.FAILED):
            self._states.pop(info.call_id, None)
        else:
            self._states[info.call_id] = info
        was_paused = before is not None and before.state is RecordingState.PAUSED
        if before is not None and was_paused and info.state is not RecordingState.PAUSED:
            asked = info.call_id in self._resuming  # resumed by the agent, or by itself
            self._resuming.discard(info.call_id)
            self._tell(before, RecordingEventKind.RESUMED, auto=not asked)
        if info.state is RecordingState.PAUSED and (
            before is None or before.state is not RecordingState.PAUSED
        ):
            self._tell(info, RecordingEventKind.PAUSED)
        if info.state is RecordingState.FAILED:
            log.warning("call %d: recording failed: %s", info.call_id, info.reason)
        self.changed.emit(info)

    def _tell(self, info: RecordingInfo, event: RecordingEventKind, auto: bool = False) -> None:
        """The pause or resume, to the server through the outbox (kept through an outage)."""
        if self._sync.cache is None:
            log.warning("recording %s %s while signed out: not told", info.recording_id, event)
            return
        reason = PauseReason(info.pause_reason) if info.pause_reason else None
        body = RecordingEventIn(
            recording_id=info.recording_id,
            sip_call_id=info.sip_call_id[:200],
            event=event,
            reason=reason if event is RecordingEventKind.PAUSED else None,
            auto=auto,
            at=self._now().astimezone(UTC),
        )
        self._sync.call("recording.event", body)

    def _username(self) -> str:
        grant = self._sync.grant
        return grant.user.username if grant is not None else ""
