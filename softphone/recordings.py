"""The engine's recordings of its calls (issue 20): which calls record, their pauses, and what
is reported about them. Runs on the engine's thread; ``softphone._pj`` calls it as calls
connect, hold and end, and polls it from ``handle_events`` (the writers' results, the pause
countdowns). The taps on the bridge are ``_pj``'s; here a call's recording is a
``softphone.recorder.CallRecording`` (desk mode) or a link to the PBX's id (pbx mode).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from softphone.errors import PhoneError
from softphone.events import (
    RecordingInfo,
    RecordingLabels,
    RecordingMode,
    RecordingSettings,
    RecordingState,
)
from softphone.recorder import (
    CallFacts,
    CallRecording,
    Opener,
    OpenFile,
    adopt_orphans,
    orphans,
    pbx_meta,
    write_meta,
)

log = logging.getLogger(__name__)

DROPS_SAID_S = 1.0  # frames dropped (the writer stalls): reported at most this often
FINISH_WAIT_S = 3.0  # at the engine's stop: how long each writer may take to close its file


@dataclass(slots=True)
class _Linked:
    """A call the PBX records: its id, and when the call was up."""

    call_id: int
    recording_id: str
    pbx_recording_id: str
    facts: CallFacts
    started_at: float


@dataclass(slots=True)
class CallStart:
    """What ``_pj`` knows of a call as it connects."""

    call_id: int
    sip_call_id: str
    kind: str  # sync.contract.recordings.CallKind
    queue: str = ""
    pbx_recording_id: str = ""  # the INVITE's header (pbx mode)
    labels: RecordingLabels = field(default_factory=RecordingLabels)


class Recordings:
    def __init__(
        self,
        report: Callable[[RecordingInfo], None],
        wall_clock: Callable[[], float],
        user: Callable[[], str],
        opener: Opener = OpenFile,
    ) -> None:
        self._report = report
        self._clock = wall_clock
        self._user = user  # the account's user: the agent when the desk has not said
        self._opener = opener
        self.settings = RecordingSettings()
        self._files: dict[int, CallRecording] = {}
        self._finishing: list[CallRecording] = []
        self._linked: dict[int, _Linked] = {}
        self._labels: dict[int, RecordingLabels] = {}
        self._last: dict[int, RecordingInfo] = {}
        self._drops_said: dict[int, float] = {}
        self._adopted: set[str] = set()  # spools searched for a killed engine's recordings
        self._adopting: threading.Thread | None = None

    # -- settings and labels --------------------------------------------------------------

    def configure(self, settings: RecordingSettings) -> None:
        """New settings apply to calls that connect from now on. A spool seen for the first
        time is searched for recordings a killed engine left unfinished (on a thread)."""
        if settings.mode is not RecordingMode.OFF and not settings.spool_dir:
            raise PhoneError("Recording needs a spool folder on the desk.", "recording")
        self.settings = settings
        if settings.mode is RecordingMode.DESK and settings.spool_dir not in self._adopted:
            self._adopted.add(settings.spool_dir)
            # Listed now, finished on a thread: a recording this engine starts later is
            # never taken for a killed engine's.
            found, agent = orphans(Path(settings.spool_dir)), self._user()
            self._adopting = threading.Thread(
                target=lambda: adopt_orphans(found, agent), name="recording-adopt", daemon=True
            )
            self._adopting.start()

    def label(self, call_id: int, labels: RecordingLabels) -> None:
        """What the desk knows of the call (agent, queue, interaction, customer)."""
        self._labels[call_id] = labels
        recording = self._files.get(call_id)
        if recording is not None:
            recording.facts.labels = self._merged(recording.facts.labels, labels)
        linked = self._linked.get(call_id)
        if linked is not None:
            linked.facts.labels = self._merged(linked.facts.labels, labels)

    @staticmethod
    def _merged(old: RecordingLabels, new: RecordingLabels) -> RecordingLabels:
        return RecordingLabels(
            agent=new.agent or old.agent,
            queue=new.queue or old.queue,
            interaction_id=new.interaction_id or old.interaction_id,
            customer_id=new.customer_id or old.customer_id,
        )

    def announces(self, queue: str) -> bool:
        wanted = self.settings.announce_queues
        return bool(self.settings.announcement_path) and ("*" in wanted or queue in wanted)

    # -- calls ----------------------------------------------------------------------------

    def recording(self, call_id: int) -> CallRecording | None:
        return self._files.get(call_id)

    def started(self, start: CallStart) -> CallRecording | None:
        """A call's media is up: record it (desk), link it (pbx), or nothing (off). Returns
        the recording whose taps ``_pj`` must connect."""
        call_id = start.call_id
        if call_id in self._files or call_id in self._linked:
            return self._files.get(call_id)
        mode = self.settings.mode
        if mode is RecordingMode.OFF:
            return None
        labels = self._merged(
            RecordingLabels(agent=self._user(), queue=start.queue),
            self._labels.get(call_id, start.labels),
        )
        facts = CallFacts(start.sip_call_id, start.kind, labels)
        recording_id = uuid.uuid4().hex
        if mode is RecordingMode.PBX:
            if not start.pbx_recording_id:
                log.info("call %d: the PBX sent no recording id; nothing to link", call_id)
                return None
            linked = _Linked(call_id, recording_id, start.pbx_recording_id, facts, self._clock())
            self._linked[call_id] = linked
            self._say(
                RecordingInfo(
                    call_id,
                    RecordingState.LINKED,
                    recording_id,
                    started_at=linked.started_at,
                    pbx_recording_id=linked.pbx_recording_id,
                    sip_call_id=start.sip_call_id,
                )
            )
            return None
        try:
            recording = CallRecording(
                call_id,
                recording_id,
                Path(self.settings.spool_dir),
                self._clock,
                facts,
                self._opener,
            )
        except OSError as exc:  # the spool cannot be made: the call goes on unrecorded
            self._say(
                RecordingInfo(
                    call_id,
                    RecordingState.FAILED,
                    recording_id,
                    reason=f"The recording folder cannot be used: {exc.strerror or exc}",
                )
            )
            return None
        self._files[call_id] = recording
        self._say(self._info(recording))
        return recording

    def conferenced(self, call_id: int) -> None:
        recording = self._files.get(call_id)
        if recording is not None:
            recording.facts.kind = "conference"
        linked = self._linked.get(call_id)
        if linked is not None:
            linked.facts.kind = "conference"

    def held(self, call_id: int, on: bool) -> None:
        recording = self._files.get(call_id)
        if recording is not None:
            recording.held(on)

    def ended(self, call_id: int) -> None:
        self._labels.pop(call_id, None)
        self._drops_said.pop(call_id, None)
        linked = self._linked.pop(call_id, None)
        if linked is not None:
            spool = Path(self.settings.spool_dir)
            try:
                spool.mkdir(parents=True, exist_ok=True)
                write_meta(
                    spool / f"{linked.recording_id}.json",
                    pbx_meta(
                        linked.recording_id,
                        linked.pbx_recording_id,
                        linked.facts,
                        linked.started_at,
                        self._clock(),
                    ),
                )
            except OSError as exc:
                log.warning("call %d: the PBX link could not be written: %s", call_id, exc)
            self._last.pop(call_id, None)
            return
        recording = self._files.pop(call_id, None)
        if recording is None:
            return
        paused = recording.paused
        recording.finish()
        if paused:  # resumed by the call's end: say so before it finishes
            self._say(self._info(recording))
        self._finishing.append(recording)

    # -- pause ----------------------------------------------------------------------------

    def pause(self, call_id: int, reason: str, by: str = "") -> None:
        recording = self._files.get(call_id)
        if recording is None:
            raise PhoneError(f"Call {call_id} is not being recorded.", "not_recording")
        seconds = self.settings.auto_resume_s
        resume_at = self._clock() + seconds if seconds > 0 else None
        recording.pause(reason, by or recording.facts.labels.agent, resume_at)
        self._say(self._info(recording))

    def resume(self, call_id: int, auto: bool = False) -> None:
        recording = self._files.get(call_id)
        if recording is None:
            raise PhoneError(f"Call {call_id} is not being recorded.", "not_recording")
        recording.resume(auto)
        self._say(self._info(recording))

    # -- the poll -------------------------------------------------------------------------

    def poll(self) -> None:
        """Countdowns due, writers failed or finished: reported (the engine's thread)."""
        now = self._clock()
        for recording in list(self._files.values()):
            pause = recording.current_pause()
            if pause is not None and pause.resume_at is not None and now >= pause.resume_at:
                self.resume(recording.call_id, auto=True)
            if recording.poll() is RecordingState.FAILED and not recording.reported:
                recording.reported = True
                self._say(self._info(recording))
            elif recording.dropped != self._dropped(recording.call_id) and (
                now - self._drops_said.get(recording.call_id, 0.0) >= DROPS_SAID_S
            ):  # a stalled writer is said once a second, not on every poll
                self._drops_said[recording.call_id] = now
                self._say(self._info(recording))
        for recording in list(self._finishing):
            state = recording.poll()
            if state in (RecordingState.FINISHED, RecordingState.FAILED):
                self._finishing.remove(recording)
                if not recording.reported:
                    recording.reported = True
                    self._say(self._info(recording))
                self._last.pop(recording.call_id, None)

    def stop(self) -> None:
        """The engine stops: every file is finished (bounded) before the library goes."""
        if self._adopting is not None:
            self._adopting.join(FINISH_WAIT_S)
        for call_id in list(self._files):
            self.ended(call_id)
        for recording in list(self._finishing):
            if not recording.wait(FINISH_WAIT_S):
                log.warning("recording %s: not finished at stop", recording.recording_id)
        self.poll()

    def state(self, call_id: int) -> RecordingInfo | None:
        return self._last.get(call_id)

    # -- reports --------------------------------------------------------------------------

    def _dropped(self, call_id: int) -> int:
        last = self._last.get(call_id)
        return last.dropped_frames if last is not None else 0

    def _info(self, recording: CallRecording) -> RecordingInfo:
        state = recording.poll()
        if state is RecordingState.RECORDING and recording.paused:
            state = RecordingState.PAUSED
        pause = recording.current_pause()
        return RecordingInfo(
            call_id=recording.call_id,
            state=state,
            recording_id=recording.recording_id,
            path=str(recording.path),
            started_at=recording.started_at,
            paused_at=pause.paused_at if pause is not None else None,
            resume_at=pause.resume_at if pause is not None else None,
            pause_reason=pause.reason if pause is not None else "",
            reason=recording.reason,
            dropped_frames=recording.dropped,
            sip_call_id=recording.facts.sip_call_id,
        )

    def _say(self, info: RecordingInfo) -> None:
        last = self._last.get(info.call_id)
        if last == info:
            return
        self._last[info.call_id] = info
        self._report(replace(info))
