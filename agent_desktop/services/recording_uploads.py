"""The desk's recording uploads (issue 20): runs ``sync.recording_upload`` rounds on the task
runner (never on the GUI thread) and tells the agent what they need to know.

A round runs at sign-in, every ``every_s``, when the spool folder changes (a
``QFileSystemWatcher``: the recorder finished a call's ``.json``) and when asked (``kick``).
Rounds never overlap: a change during a round asks for one more after it.

What the agent hears, each once until it changes: the spool is nearly full (unconfirmed
recordings past 80 % of the bound: they are never deleted, so the agent must get the desk back
online or call IT), the server keeps no recordings (a server before contract 1.7: the files
stay), a recording was refused.

``pending`` (finished recordings not yet confirmed by the server) goes to the connection label
beside the records' outbox count. Quitting does not wait for them: they stay in the spool and
go at the next sign-in.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from agent_desktop.messages import MessageBridge
from agent_desktop.tasks import TaskRunner
from sync.client import ApiClient
from sync.recording_upload import RecordingSpool, RecordingUploader, RoundReport

log = logging.getLogger(__name__)
EVERY_S = 30.0


class RecordingUploads(QObject):
    pending_changed = Signal(int)  # finished recordings the server has not confirmed

    def __init__(
        self,
        tasks: TaskRunner,
        messages: MessageBridge,
        spool: RecordingSpool,
        *,
        verify: bool | str = True,
        timeout_s: float = 10.0,
        every_s: float = EVERY_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks, self._messages, self._spool = tasks, messages, spool
        self._verify, self._timeout_s = verify, timeout_s
        self._server_url = ""
        self._token = ""
        self._agent: str | None = None
        self._running = False
        self._again = False
        self._stopping = threading.Event()
        self._said: set[str] = set()  # what the agent was told (once each)
        self.pending = 0
        self.last_report: RoundReport | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(int(every_s * 1000))
        self._timer.timeout.connect(self.kick)
        # The recorder's finished .json appears: send it now, not at the next tick.
        self._watcher = QFileSystemWatcher([str(spool.directory)], self)
        self._watcher.directoryChanged.connect(lambda _path: self.kick())

    def start(self, server_url: str, token: str, agent: str | None = None) -> None:
        """Rounds for this signed-in ``agent`` (None: every recording in the spool)."""
        self._server_url, self._token, self._agent = server_url, token, agent
        self._stopping = threading.Event()
        self._timer.start()
        self.kick()

    def stop(self) -> None:
        """Sign-out or quit: no new round, and the one under way ends after its chunk (the
        desk's quit does not wait for a long upload; the server keeps what arrived)."""
        self._timer.stop()
        self._token = ""
        self._stopping.set()

    def kick(self) -> None:
        """A round now (or right after the one running)."""
        if not self._token:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        uploader = RecordingUploader(
            self._spool, self._client, stop=self._stopping, agent=self._agent
        )
        self._tasks.run_blocking(uploader.run_round, self._done, self._failed)

    def _client(self) -> ApiClient:
        return ApiClient(
            self._server_url, token=self._token, verify=self._verify, timeout_s=self._timeout_s
        )

    def _done(self, report: RoundReport) -> None:
        self._running = False
        self.last_report = report
        if report.unsupported:
            self._once(
                "unsupported",
                self.tr(
                    "The server keeps no call recordings (it is older than this desk): they "
                    "stay on this PC until it is updated."
                ),
            )
        for recording_id, why in report.refused.items():
            log.warning("recording %s refused: %s", recording_id, why)
            self._once(
                f"refused:{recording_id}",
                self.tr(
                    "A call recording was refused by the server and is kept on this PC: %1"
                ).replace("%1", why),
            )
        usage = report.usage
        if usage is not None:
            if usage.nearly_full:
                megabytes = f"{usage.unconfirmed_bytes / 1024**2:.0f}"
                limit = f"{usage.limit_bytes / 1024**2:.0f}"
                self._once(
                    "nearly_full",
                    self.tr(
                        "Call recordings waiting for the server use %1 MB of the %2 MB allowed "
                        "on this PC. Check the network or call IT before the space runs out."
                    )
                    .replace("%1", megabytes)
                    .replace("%2", limit),
                )
            else:
                self._said.discard("nearly_full")
            if usage.pending != self.pending:
                self.pending = usage.pending
                self.pending_changed.emit(self.pending)
        if self._again:
            self._again = False
            self.kick()

    def _failed(self, error: BaseException) -> None:
        self._running = False
        log.warning("recording upload round failed: %s", error, exc_info=error)

    def _once(self, key: str, text: str) -> None:
        if key not in self._said:
            self._said.add(key)
            self._messages.warning(text)
