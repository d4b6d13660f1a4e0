"""Quality scoring (质检, issue 20, contract 1.7) on the desk: the Quality window's face of the
server. Every request runs off the GUI thread (``TaskRunner.run_blocking``); answers come back
as signals on the GUI thread.

Changes go straight to the server, not through the outbox: the score is the server's, so a
lead sees it only once the server has computed it, and an agent's dispute is a conversation,
not an offline edit. ``qa.evaluation`` events (an evaluation shared with this agent, a dispute
for this lead, an answer) make the service read its lists again and say so (``noticed``).

A server before 1.7 answers 404 on ``/qa/...``: ``unavailable`` says so once, and the window
shows that sentence instead of empty lists.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from agent_desktop.services.api_errors import describe
from agent_desktop.tasks import TaskRunner
from sync.client import ApiClient, ConflictError, ProtocolError
from sync.contract.events import QA_EVALUATION, payload_of
from sync.contract.quality import (
    MANAGE_SCORECARDS,
    SCORE,
    VIEW_OWN,
    CalibrationOut,
    CallFilter,
    EvaluationIn,
    EvaluationNotice,
    EvaluationOut,
    QaCallOut,
    ScorecardIn,
    ScorecardOut,
)
from sync.contract.records import SessionGrant
from sync.contract.wire import EventOut

T = TypeVar("T")


class QualitySource(Protocol):
    """The signed-in session (a ``SyncService``)."""

    @property
    def client_factory(self) -> Callable[[], ApiClient] | None: ...

    @property
    def grant(self) -> SessionGrant | None: ...


class QualityService(QObject):
    scorecards_loaded = Signal(object)  # list[ScorecardOut]
    scorecard_saved = Signal(object)  # ScorecardOut
    scorecard_conflict = Signal(object)  # ScorecardOut: another editor's version, stored since
    calls_loaded = Signal(object)  # list[QaCallOut]
    evaluations_loaded = Signal(object)  # list[EvaluationOut]: a scorer's teams', or one's own
    evaluation_saved = Signal(object)  # EvaluationOut, as the server scored it
    evaluation_changed = Signal(object)  # EvaluationOut after an acknowledgement, dispute, answer
    calibration_loaded = Signal(object)  # CalibrationOut
    noticed = Signal(object)  # EvaluationNotice from the event stream
    done = Signal(str)  # what was just done, for the status line
    failed = Signal(str)
    unavailable = Signal(str)  # the server is older than contract 1.7

    def __init__(self, source: QualitySource, tasks: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self._source = source
        self._tasks = tasks
        self.scorecards: list[ScorecardOut] = []
        self.evaluations: list[EvaluationOut] = []
        self.calls: list[QaCallOut] = []
        self.is_unavailable = False

    # -- who -------------------------------------------------------------------------------------

    def may(self, permission: str) -> bool:
        grant = self._source.grant
        return grant is not None and permission in grant.permissions

    @property
    def scores(self) -> bool:
        return self.may(SCORE)

    @property
    def keeps_scorecards(self) -> bool:
        return self.may(MANAGE_SCORECARDS)

    @property
    def sees_own(self) -> bool:
        return self.may(VIEW_OWN)

    @property
    def user_id(self) -> int | None:
        grant = self._source.grant
        return grant.user.id if grant is not None else None

    def on_event(self, event: EventOut) -> None:
        """An evaluation of this user's changed (shared, disputed, answered): read again."""
        if event.kind != QA_EVALUATION:
            return
        try:
            notice = payload_of(event)
        except ValueError:
            return
        if isinstance(notice, EvaluationNotice):
            self.noticed.emit(notice)
            self.load_evaluations()

    # -- reads -----------------------------------------------------------------------------------

    def load_scorecards(self) -> None:
        self._run(lambda c: c.qa_scorecards(), self._scorecards)

    def _scorecards(self, found: list[ScorecardOut]) -> None:
        self.scorecards = found
        self.scorecards_loaded.emit(found)

    def find_calls(self, wanted: CallFilter) -> None:
        self._run(lambda c: c.qa_calls(wanted), self._calls)

    def sample(self, week: date, per_agent: int, seed: int, wanted: CallFilter) -> None:
        self._run(lambda c: c.qa_sample(week, per_agent, seed, wanted), self._calls)

    def _calls(self, found: list[QaCallOut]) -> None:
        self.calls = found
        self.calls_loaded.emit(found)

    def load_evaluations(self) -> None:
        mine = not self.scores

        def fetch(client: ApiClient) -> list[EvaluationOut]:
            return client.qa_evaluations(mine=mine)

        self._run(fetch, self._evaluations)

    def _evaluations(self, found: list[EvaluationOut]) -> None:
        self.evaluations = found
        self.evaluations_loaded.emit(found)

    def calibrate(self, first: int, second: int) -> None:
        self._run(lambda c: c.qa_calibration(first, second), self.calibration_loaded.emit)

    # -- changes ---------------------------------------------------------------------------------

    def save_scorecard(self, scorecard: ScorecardIn, scorecard_id: int | None) -> None:
        key = f"qa-scorecard-{uuid.uuid4()}"  # one save, retried safely by the client

        def saved(out: ScorecardOut) -> None:
            self.scorecard_saved.emit(out)
            self.done.emit(
                QCoreApplication.translate("QualityService", "Scorecard %1 saved (version %2).")
                .replace("%1", out.name)
                .replace("%2", str(out.version))
            )
            self.load_scorecards()

        self._run(lambda c: c.qa_save_scorecard(scorecard, key, scorecard_id), saved)

    def save_evaluation(self, evaluation: EvaluationIn, evaluation_id: int | None) -> None:
        key = f"qa-evaluation-{uuid.uuid4()}"

        def saved(out: EvaluationOut) -> None:
            self.evaluation_saved.emit(out)
            if out.status.value == "shared":
                said = QCoreApplication.translate("QualityService", "Shared with the agent: %1 %.")
            else:
                said = QCoreApplication.translate("QualityService", "Draft saved: %1 %.")
            self.done.emit(said.replace("%1", f"{out.score_pct:g}"))
            self.load_evaluations()

        self._run(lambda c: c.qa_save_evaluation(evaluation, key, evaluation_id), saved)

    def reply(self, evaluation_id: int, step: str, comment: str) -> None:
        """``acknowledge`` or ``dispute`` (the agent), ``answer`` (a scorer)."""
        key = f"qa-{step}-{uuid.uuid4()}"
        said = {
            "acknowledge": QCoreApplication.translate("QualityService", "Evaluation acknowledged."),
            "dispute": QCoreApplication.translate(
                "QualityService", "Dispute sent to your team lead."
            ),
            "answer": QCoreApplication.translate("QualityService", "Answer sent to the agent."),
        }[step]

        def replied(out: EvaluationOut) -> None:
            self.evaluation_changed.emit(out)
            self.done.emit(said)
            self.load_evaluations()

        self._run(lambda c: c.qa_reply(evaluation_id, step, comment, key), replied)

    # -- plumbing --------------------------------------------------------------------------------

    def _run(self, op: Callable[[ApiClient], T], success: Callable[[T], object]) -> None:
        factory = self._source.client_factory
        if factory is None:
            self.failed.emit(
                QCoreApplication.translate("QualityService", "Not signed in to the server.")
            )
            return

        def call() -> T:
            with factory() as client:
                return op(client)

        self._tasks.run_blocking(call, success, self._failed)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ConflictError):
            try:
                self.scorecard_conflict.emit(ScorecardOut.read(error.current))
            except ValueError:
                self.failed.emit(describe(error))
            else:
                self.failed.emit(
                    QCoreApplication.translate(
                        "QualityService",
                        "Someone else saved this scorecard first; their version is shown.",
                    )
                )
            return
        # A route a server does not have answers FastAPI's own 404, which the client cannot read
        # as ours (ProtocolError): a server before contract 1.7. Our 404 (ServerError) is a
        # record gone, said as such.
        if isinstance(error, ProtocolError) and error.status == 404:
            if self.is_unavailable:
                return
            self.is_unavailable = True
            self.unavailable.emit(
                QCoreApplication.translate(
                    "QualityService",
                    "This server has no quality scoring yet (it is older than contract 1.7).",
                )
            )
            return
        self.failed.emit(describe(error))


__all__ = ["CalibrationOut", "QualityService"]
