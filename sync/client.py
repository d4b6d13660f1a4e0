"""REST client for the backend (blocking; the desktop calls it from worker threads).

Failures are typed by what the user can do about them (STYLE habit 6):
``AuthError`` (sign in again), ``NetworkError`` (the server cannot be reached: check the
address or wait), ``ProtocolError`` (something answered, but not our backend), ``ServerError``
(the backend refused or failed; its message is passed on).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit

import requests
from pydantic import ValidationError

from sync import routes
from sync.clock import ServerTimeSample, system_clock
from sync.contract import release
from sync.contract import version as contract
from sync.contract.alerts import AlertOut, TeamThresholdsIn, TeamThresholdsOut
from sync.contract.alive import HEARTBEAT_ROUTE, HeartbeatIn, HeartbeatOut
from sync.contract.directory import DIRECTORY_ROUTE, DirectoryOut
from sync.contract.errors import ErrorCode
from sync.contract.kb import CountsOut, KbStatsOut
from sync.contract.quality import (
    CalibrationOut,
    CallFilter,
    EvaluationIn,
    EvaluationOut,
    QaCallOut,
    Reply,
    ScorecardIn,
    ScorecardOut,
)
from sync.contract.recordings import (
    INTERACTIONS_MAX,
    PAUSED_CALLS,
    RECORDINGS_ROUTE,
    PausedCallOut,
    RecordingOut,
    RetentionIn,
    RetentionOut,
)
from sync.contract.records import SessionGrant
from sync.contract.reports import (
    DIMENSIONS_ROUTE,
    DRILL_ROUTE,
    HANDLING_ROUTE,
    PEOPLE_ROUTE,
    SERVICE_ROUTE,
    TRAFFIC_ROUTE,
    DrillPage,
    DrillQuery,
    HandlingReport,
    PeopleReport,
    ReportDimensions,
    ReportFilter,
    ServiceReport,
    TrafficReport,
)
from sync.contract.sla import (
    SLA_POLICIES_ROUTE,
    TEAM_MANAGER_ROUTE,
    SlaPolicies,
    TeamManagerIn,
    TeamManagerOut,
)
from sync.contract.snapshot import SNAPSHOT_ROUTE
from sync.contract.wallboard import (
    AgentCommandIn,
    AgentCommandOut,
    ForecastOut,
    TeamMessageIn,
    TeamMessageOut,
    WallboardToday,
)
from sync.contract.wfm import (
    ADHERENCE_ROUTE,
    FORECAST_ROUTE,
    MY_SHIFTS_ROUTE,
    PROPOSE_ROUTE,
    ROSTER_ROUTE,
    SHIFT_PATTERNS_ROUTE,
    STAFFING_ROUTE,
    AdherenceOut,
    MyShiftsOut,
    RosterIn,
    RosterOut,
    RosterProposal,
    ShiftPatternsIn,
    ShiftPatternsOut,
    StaffingOut,
    StaffingTarget,
)
from sync.contract.wfm import ForecastOut as WfmForecastOut
from sync.contract.wire import (
    API_PREFIX,
    MAX_BATCH_OPERATIONS,
    AdminTeamIn,
    AdminTeamOut,
    AdminUserChange,
    AdminUserIn,
    AdminUserOut,
    BatchAnswer,
    BatchOperation,
    BatchRequest,
    BatchResult,
    ChangesPage,
    ConflictBody,
    CustomerOut,
    DeskSettings,
    ErrorBody,
    HealthResponse,
    ImportApplied,
    ImportIn,
    ImportPreview,
    LoginRequest,
    LoginResponse,
    MeResponse,
    MonitorEnd,
    MonitorGrantOut,
    MonitorModeIn,
    MonitorRequest,
    PasswordChange,
    Preferences,
    RoleIn,
    RoleOut,
    TeamDetailOut,
    TemporaryPassword,
    TicketChangeOut,
    UserDetailOut,
    WireModel,
)
from sync.routes import Operation, UnknownOperationError

M = TypeVar("M", bound=WireModel)

DEFAULT_TIMEOUT_S = 10.0
# The first desk of a scope waits while the server builds its snapshot (tens of seconds for
# millions of records); past this it uses the change feed.
SNAPSHOT_WAIT_S = 180.0


# Request fields a contract minor added, by (entity, op): sent only to a server that reads them.
# An older server refuses a field it does not know (requests are checked strictly), so a write
# queued for it would be refused for good; without the field it is the write it always took.
ADDED_FIELDS: dict[tuple[str, str], tuple[tuple[str, contract.ContractVersion], ...]] = {
    # 1.6, verify-on-file: the identity checks ticked on the call.
    # 1.7: the call's recording.
    # 1.8: after-call work, transfers and the call's product line (reports).
    ("interaction", "create"): (
        ("checks", contract.SERVER_ALERTS_SINCE),
        ("recording_id", contract.RECORDINGS_SINCE),
        ("wrap_up_s", contract.REPORTS_SINCE),
        ("transfers", contract.REPORTS_SINCE),
        ("product_line", contract.REPORTS_SINCE),
    ),
    ("customer", "update"): (("checks", contract.SERVER_ALERTS_SINCE),),
}


def fit_body(
    operation: Operation, body: dict[str, Any] | None, server: contract.ContractVersion
) -> dict[str, Any] | None:
    """``body`` as a server of contract ``server`` takes it: the fields added after it left out."""
    added = ADDED_FIELDS.get((operation.entity, operation.op), ())
    dropped = {name for name, since in added if server < since}
    if body is None or not dropped.intersection(body):
        return body
    return {name: value for name, value in body.items() if name not in dropped}


class ApiError(Exception):
    """Base of every failure the client reports.

    ``str()`` is an English sentence for logs; ``reason`` is a stable word the desktop maps to a
    translated message (``sync`` has no Qt, so it does not translate).
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class InvalidServerUrlError(ApiError):
    """reason: empty, no_scheme, bad_scheme, no_host, bad_port."""


class NetworkError(ApiError):
    """reason: unreachable, timeout, tls, other."""


class AuthError(ApiError):
    """reason: the server's code (bad_credentials, token_invalid, …) or missing_field."""


class ProtocolError(ApiError):
    """reason: not_json, bad_field, bad_status (``status``: the HTTP status of that answer)."""

    status: int | None = None


class ServerError(ApiError):
    """The backend refused (4xx) or failed (5xx, JSON or its plain crash page); ``reason`` is
    its code (``server_error`` for a crash page)."""

    def __init__(self, message: str, status: int, code: str = "", field: str | None = None):
        super().__init__(message, code)
        self.status = status
        self.field = field

    @property
    def transient(self) -> bool:
        """5xx (and 429): worth retrying as is. A 4xx needs the request changed."""
        return self.status >= 500 or self.status == 429


class UpdateRequiredError(ServerError):
    """426: the server no longer serves this desk's contract; only an update helps."""

    @property
    def transient(self) -> bool:
        """Never a refusal of the write: it waits, kept, until the desk is updated (or the
        server is set to serve it again)."""
        return True


class ConflictError(ServerError):
    """409 on a stale version: ``current`` is the record as the server has it now."""

    def __init__(self, message: str, code: str, current: dict[str, Any]) -> None:
        super().__init__(message, 409, code)
        self.current = current


class RecordingsUnsupportedError(ApiError):
    """The server keeps no recordings (a server before contract 1.7 answered 404): the desk
    keeps its files and its players say so."""


class BatchUnsupportedError(ApiError):
    """The server has no batch route (a release before contract 1.2): send one by one."""


class HeartbeatUnsupportedError(ApiError):
    """The server has no heartbeat route (a release before contract 1.4): send none."""


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One write of a batch, as ``perform`` would send it alone."""

    operation: Operation
    body: dict[str, Any] | None
    key: str | None


class NotTried:
    """A batch's operation the server did not try (one before it failed): send it again."""


NOT_TRIED = NotTried()
# One operation's outcome: the record answered (None: 204), the failure ``perform`` would
# raise, or NOT_TRIED.
Outcome = dict[str, Any] | None | ApiError | NotTried
# Well under the server's body limit (1 MB by default): a batch is cut here.
MAX_BATCH_BYTES = 512_000


def normalise_server_url(url: str) -> str:
    """Check a server address as typed by a user and return it without a trailing slash."""
    text = url.strip()
    if not text:
        raise InvalidServerUrlError("The server address is empty.", "empty")
    if "://" not in text:
        raise InvalidServerUrlError(
            f"The server address {text!r} has no scheme: start it with https:// or http://.",
            "no_scheme",
        )
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise InvalidServerUrlError(
            f"The server address must start with https:// or http://, not {parts.scheme}://.",
            "bad_scheme",
        )
    if not parts.hostname:
        raise InvalidServerUrlError(f"The server address {text!r} has no host name.", "no_host")
    try:
        _ = parts.port
    except ValueError:
        raise InvalidServerUrlError(
            f"The server address {text!r} has an invalid port.", "bad_port"
        ) from None
    return text.rstrip("/")


class ApiClient:
    """One backend, one optional bearer token. Not thread-safe: one per worker use."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        verify: bool | str = True,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.base_url = normalise_server_url(base_url)
        self._token = token
        self._timeout_s = timeout_s
        self._http = requests.Session()
        # TLS verification stays on unless configured with a CA bundle path (or, explicitly, off).
        self._http.verify = verify
        self._http.headers["User-Agent"] = "AgentWorkstation/0.1"
        self._http.headers[contract.HEADER] = str(contract.CONTRACT)
        # What the server speaks, from its last answer (a server before the header: 1.0).
        self.server_contract: contract.ContractVersion | None = None
        # The server's clock from its last answer (its Date header): see sync.clock.DeskClock.
        self.server_time: ServerTimeSample | None = None
        # Which desk releases are current, from the last answer that said (contract 1.5).
        self.desk_release: release.DeskRelease | None = None
        self._no_batch_route = False  # the server answered 404 to a batch

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- endpoints ---------------------------------------------------------------------------

    def health(self) -> HealthResponse:
        return self._call("GET", "/health", HealthResponse)

    def login(self, username: str, password: str) -> SessionGrant:
        try:
            body = LoginRequest(username=username, password=password)
        except ValidationError as exc:
            field = str(exc.errors()[0]["loc"][0]) if exc.errors() else "input"
            raise AuthError(f"Please enter a {field}.", f"missing_{field}") from None
        answer = self._call("POST", "/auth/login", LoginResponse, json_body=body.model_dump())
        grant = answer.to_record()
        self._token = grant.token
        return grant

    def me(self) -> MeResponse:
        return self._call("GET", "/me", MeResponse)

    def logout(self) -> None:
        self._request("POST", "/auth/logout")
        self._token = None

    def changes(self, after: int, limit: int = 500, *, count: bool = False) -> ChangesPage:
        query = f"/changes?after={after}&limit={limit}" + ("&count=true" if count else "")
        return self._call("GET", query, ChangesPage)

    def open_snapshot(self, wait_s: float = SNAPSHOT_WAIT_S) -> requests.Response:
        """The first-sync snapshot (``sync.contract.snapshot``) as a streamed answer: read its
        body in chunks, then close it. A server before contract 1.2 answers 404 (a
        ``ServerError`` or, from its framework's page, a ``ProtocolError``)."""
        return self._request("GET", SNAPSHOT_ROUTE, stream=True, read_timeout_s=wait_s)

    def desk_settings(self) -> DeskSettings:
        return self._call("GET", "/desk-settings", DeskSettings)

    def sla_policies(self) -> SlaPolicies:
        """The centre's SLA policies and escalation chains (admins; contract 1.6: an older
        server answers 404, a ``ServerError``)."""
        return self._call("GET", SLA_POLICIES_ROUTE, SlaPolicies)

    def save_sla_policies(self, policies: SlaPolicies, key: str) -> SlaPolicies:
        """Replace them, from the version read (``policies.version``); a ``ConflictError``
        with what is stored when another admin changed them since."""
        answer = self.send("PUT", SLA_POLICIES_ROUTE, policies.model_dump(mode="json"), key)
        try:
            return SlaPolicies.read(answer or {})
        except ValidationError as exc:
            raise ProtocolError(
                f"The server at {self.base_url} answered SLA policies this desk cannot read "
                f"({exc}); is this the Agent Workstation backend address?",
                "bad_field",
            ) from None

    def teams(self) -> list[TeamDetailOut]:
        return self._list("/teams", TeamDetailOut)

    def users(self) -> list[UserDetailOut]:
        return self._list("/users", UserDetailOut)

    def set_team_manager(self, team_id: int, manager_id: int | None, key: str) -> TeamManagerOut:
        """Name a team's manager (admins; contract 1.6: an older server answers 404)."""
        path = TEAM_MANAGER_ROUTE.format(team_id=int(team_id))
        return self._write("PUT", path, TeamManagerIn(manager_id=manager_id), TeamManagerOut, key)

    def _list(self, path: str, model: type[M]) -> list[M]:
        response = self._request("GET", path, None)
        payload = self._json(response)
        try:
            if not isinstance(payload, list):
                raise ValueError("not a list")
            return [model.read(item) for item in payload]
        except ValueError as exc:  # pydantic's ValidationError is one
            raise ProtocolError(
                self._not_our_server(response, f"sent a list we cannot read ({exc})"), "bad_field"
            ) from None

    def preferences(self) -> Preferences:
        """The signed-in user's roaming profile (``/me/preferences``)."""
        return self._call("GET", "/me/preferences", Preferences)

    def save_preferences(self, preferences: Preferences, key: str) -> Preferences:
        """Replace the roaming profile (a PUT of the whole document). Fields at their default
        are left out, the server fills them in: the same document, and a server older than a
        field added since is not sent it unless it is set."""
        body = preferences.model_dump(mode="json", exclude_defaults=True)
        if (
            self.server_contract is not None
            and self.server_contract < contract.COMPACT_CALL_BAR_SINCE
        ):
            body.pop("compact_call_bar", None)  # a 1.5 server refuses a field it does not know
        answer = self.send("PUT", "/me/preferences", body, key)
        return Preferences.read(answer or {})

    def heartbeat(self, beat: HeartbeatIn) -> HeartbeatOut:
        """The desk is alive (``sync.contract.alive``); the answer says when to say it again.
        ``HeartbeatUnsupportedError`` from a server before contract 1.4 (404)."""
        try:
            return self._call(
                "POST", HEARTBEAT_ROUTE, HeartbeatOut, json_body=beat.model_dump(mode="json")
            )
        except ServerError as exc:
            if exc.status in (404, 405) and not isinstance(exc, UpdateRequiredError):
                raise HeartbeatUnsupportedError(str(exc), "no_heartbeat_route") from None
            raise

    def lookup_customers(self, phone: str) -> list[CustomerOut]:
        """The server's screen-pop lookup, for a caller the local cache does not know."""
        response = self._request("GET", f"/customers/lookup?phone={quote(phone)}", None)
        payload = self._json(response)
        if not isinstance(payload, list):
            raise ProtocolError(
                self._not_our_server(response, "answered a lookup with no list"),
                "bad_field",
            )
        try:
            return [CustomerOut.read(item) for item in payload if isinstance(item, dict)]
        except ValidationError as exc:
            raise ProtocolError(
                self._not_our_server(response, f"sent a customer we cannot read ({exc})"),
                "bad_field",
            ) from None

    def ticket_history(self, ticket_id: int) -> list[TicketChangeOut]:
        """Every change of a ticket (escalations and handovers too), oldest first."""
        response = self._request("GET", f"/tickets/{int(ticket_id)}/history", None)
        payload = self._json(response)
        if not isinstance(payload, list):
            raise ProtocolError(
                self._not_our_server(response, "answered a history with no list"), "bad_field"
            )
        try:
            return [TicketChangeOut.read(item) for item in payload]
        except ValidationError as exc:
            raise ProtocolError(
                self._not_our_server(response, f"sent a history entry we cannot read ({exc})"),
                "bad_field",
            ) from None

    def read_list(self, path: str, model: type[M]) -> list[M]:
        """A route that answers a list of ``model`` (read tolerantly, item by item)."""
        response = self._request("GET", path, None)
        payload = self._json(response)
        if not isinstance(payload, list):
            raise ProtocolError(
                self._not_our_server(response, "answered with no list"), "bad_field"
            )
        try:
            return [model.read(item) for item in payload]
        except ValidationError as exc:
            raise ProtocolError(
                self._not_our_server(response, f"sent a {model.__name__} we cannot read ({exc})"),
                "bad_field",
            ) from None

    def directory(self) -> DirectoryOut:
        """Colleagues with presence and the queues to transfer to (contract 1.3; an older
        server answers 404, a ``ServerError``)."""
        return self._call("GET", DIRECTORY_ROUTE, DirectoryOut)

    def wallboard_today(self, answer_within_s: int) -> WallboardToday:
        path = f"/wallboard/today?answer_within_s={int(answer_within_s)}"
        return self._call("GET", path, WallboardToday)

    def wallboard_forecast(self, day: date | None) -> ForecastOut:
        query = f"?day={day.isoformat()}" if day is not None else ""
        return self._call("GET", f"/wallboard/forecast{query}", ForecastOut)

    def command_agent(self, user_id: int, command: AgentCommandIn) -> AgentCommandOut:
        """A lead's order to an agent's desk (applied now, or after its call and wrap-up)."""
        path = f"/presence/{int(user_id)}/command"
        return self._call("POST", path, AgentCommandOut, command.model_dump(mode="json"))

    def message_team(self, message: TeamMessageIn) -> TeamMessageOut:
        body = message.model_dump(mode="json", exclude_unset=True)
        return self._call("POST", "/team-messages", TeamMessageOut, body)

    def team_thresholds(self, team_id: int) -> TeamThresholdsOut:
        """The team's alert thresholds on the server (contract 1.6; an older server answers
        404, a ``ServerError``)."""
        return self._call("GET", f"/teams/{int(team_id)}/alert-thresholds", TeamThresholdsOut)

    def set_team_thresholds(self, team_id: int, body: TeamThresholdsIn) -> TeamThresholdsOut:
        """Replace them (409 ``version_conflict`` when another lead changed them since)."""
        path = f"/teams/{int(team_id)}/alert-thresholds"
        return self._call("PUT", path, TeamThresholdsOut, body.model_dump(mode="json"))

    def alerts(self) -> list[AlertOut]:
        """The alerts of the teams this lead leads: open ones and the last day's (1.6)."""
        response = self._request("GET", "/alerts", None)
        payload = self._json(response)
        if not isinstance(payload, list):
            raise ProtocolError(
                self._not_our_server(response, "answered alerts with no list"), "bad_field"
            )
        try:
            return [AlertOut.read(item) for item in payload]
        except ValidationError as exc:
            raise ProtocolError(
                self._not_our_server(response, f"sent an alert we cannot read ({exc})"),
                "bad_field",
            ) from None

    def paused_calls(self) -> list[PausedCallOut]:
        """The calls of this lead's teams whose recording is paused now (1.7; an older
        server answers 404: ``ServerError``)."""
        response = self._request("GET", PAUSED_CALLS, None)
        payload = self._json(response)
        if not isinstance(payload, list):
            raise ProtocolError(
                self._not_our_server(response, "answered paused calls with no list"), "bad_field"
            )
        try:
            return [PausedCallOut.read(item) for item in payload]
        except ValidationError as exc:
            raise ProtocolError(
                self._not_our_server(response, f"sent a paused call we cannot read ({exc})"),
                "bad_field",
            ) from None

    def acknowledge_alert(self, alert_id: int) -> AlertOut:
        return self._call("POST", f"/alerts/{int(alert_id)}/ack", AlertOut)

    # -- quality scoring (contract 1.7; a 1.6 server answers 404) --------------------------------

    def qa_scorecards(self) -> list[ScorecardOut]:
        return self._list("/qa/scorecards", ScorecardOut)

    def qa_save_scorecard(
        self, scorecard: ScorecardIn, key: str, scorecard_id: int | None = None
    ) -> ScorecardOut:
        """A new scorecard, or (``scorecard_id``) a new version of one: 409 if another editor
        saved since ``scorecard.version``."""
        if scorecard_id is None:
            return self._write("POST", "/qa/scorecards", scorecard, ScorecardOut, key)
        return self._write(
            "PUT", f"/qa/scorecards/{int(scorecard_id)}", scorecard, ScorecardOut, key
        )

    def qa_calls(self, wanted: CallFilter) -> list[QaCallOut]:
        query = urlencode(wanted.query())
        return self._list("/qa/calls" + (f"?{query}" if query else ""), QaCallOut)

    def qa_sample(
        self, week: date, per_agent: int, seed: int, wanted: CallFilter | None = None
    ) -> list[QaCallOut]:
        """A seeded random sample of ``per_agent`` calls per agent in ``week`` (reproducible)."""
        params = {
            **(wanted or CallFilter()).query(),
            "week": week.isoformat(),
            "per_agent": str(per_agent),
            "seed": str(seed),
        }
        params.pop("since", None)
        params.pop("until", None)
        return self._list("/qa/sample?" + urlencode(params), QaCallOut)

    def qa_save_evaluation(
        self, evaluation: EvaluationIn, key: str, evaluation_id: int | None = None
    ) -> EvaluationOut:
        if evaluation_id is None:
            return self._write("POST", "/qa/evaluations", evaluation, EvaluationOut, key)
        return self._write(
            "PUT", f"/qa/evaluations/{int(evaluation_id)}", evaluation, EvaluationOut, key
        )

    def qa_evaluations(self, *, mine: bool = False) -> list[EvaluationOut]:
        """A scorer's teams' evaluations; ``mine`` (or an agent): their own, shared."""
        return self._list("/qa/evaluations" + ("?mine=true" if mine else ""), EvaluationOut)

    def qa_evaluation(self, evaluation_id: int) -> EvaluationOut:
        return self._call("GET", f"/qa/evaluations/{int(evaluation_id)}", EvaluationOut)

    def qa_reply(self, evaluation_id: int, step: str, comment: str, key: str) -> EvaluationOut:
        """``step``: acknowledge or dispute (the agent), answer (a scorer, to a dispute)."""
        if step not in ("acknowledge", "dispute", "answer"):
            raise ValueError(f"no such step of an evaluation: {step!r}")
        path = f"/qa/evaluations/{int(evaluation_id)}/{step}"
        return self._write("POST", path, Reply(comment=comment), EvaluationOut, key)

    def qa_calibration(self, first: int, second: int) -> CalibrationOut:
        return self._call(
            "GET", f"/qa/calibration?first={int(first)}&second={int(second)}", CalibrationOut
        )

    # -- workforce planning (contract 1.8; a 1.7 server answers 404: a ProtocolError, status 404)

    def wfm_shift_patterns(self, team_id: int) -> ShiftPatternsOut:
        return self._call("GET", SHIFT_PATTERNS_ROUTE.format(team=int(team_id)), ShiftPatternsOut)

    def wfm_save_shift_patterns(
        self, team_id: int, patterns: ShiftPatternsIn, key: str
    ) -> ShiftPatternsOut:
        """The team's whole set (409 when another lead saved since ``patterns.version``)."""
        path = SHIFT_PATTERNS_ROUTE.format(team=int(team_id))
        return self._write("PUT", path, patterns, ShiftPatternsOut, key)

    def wfm_forecast(self, team_id: int, start: date, days: int) -> WfmForecastOut:
        query = urlencode({"start": start.isoformat(), "days": str(int(days))})
        path = FORECAST_ROUTE.format(team=int(team_id))
        return self._call("GET", f"{path}?{query}", WfmForecastOut)

    def wfm_staffing(
        self, team_id: int, start: date, days: int, target: StaffingTarget
    ) -> StaffingOut:
        params = {"start": start.isoformat(), "days": str(int(days))}
        params.update({k: f"{v:g}" for k, v in target.model_dump().items()})
        path = STAFFING_ROUTE.format(team=int(team_id))
        return self._call("GET", f"{path}?{urlencode(params)}", StaffingOut)

    def wfm_propose(self, team_id: int, proposal: RosterProposal, key: str) -> RosterOut:
        """The server's optimiser proposes a roster for the week (it may take its time limit:
        the caller runs this off the GUI thread, with a read timeout to match)."""
        path = PROPOSE_ROUTE.format(team=int(team_id))
        body = proposal.model_dump(mode="json", exclude_unset=True)
        response = self._request(
            "POST",
            path,
            body,
            {"Idempotency-Key": key},
            read_timeout_s=float(proposal.time_limit_s) + self._timeout_s,
        )
        try:
            return RosterOut.read(self._json(response))
        except ValidationError as exc:
            raise ProtocolError(
                self._not_our_server(response, f"answered a roster we cannot read ({exc})"),
                "bad_field",
            ) from None

    def wfm_roster(self, team_id: int, week: date) -> RosterOut:
        """The stored roster of the week (our 404 ``not_found``: none stored yet)."""
        path = ROSTER_ROUTE.format(team=int(team_id), week=week.isoformat())
        return self._call("GET", path, RosterOut)

    def wfm_save_roster(self, team_id: int, week: date, roster: RosterIn, key: str) -> RosterOut:
        """The lead's roster for the week (``roster.publish``: agents see it)."""
        path = ROSTER_ROUTE.format(team=int(team_id), week=week.isoformat())
        return self._write("PUT", path, roster, RosterOut, key)

    def wfm_my_shifts(self, start: date, days: int) -> MyShiftsOut:
        query = urlencode({"start": start.isoformat(), "days": str(int(days))})
        return self._call("GET", f"{MY_SHIFTS_ROUTE}?{query}", MyShiftsOut)

    def wfm_adherence(self, team_id: int) -> AdherenceOut:
        return self._call("GET", ADHERENCE_ROUTE.format(team=int(team_id)), AdherenceOut)

    # -- reports (contract 1.8, issue 21; a 1.7 server answers 404: a ProtocolError, status 404)

    def report_dimensions(self) -> ReportDimensions:
        """What the signed-in user may filter reports by (their teams, queues, agents)."""
        return self._call("GET", DIMENSIONS_ROUTE, ReportDimensions)

    def report_traffic(self, wanted: ReportFilter) -> TrafficReport:
        return self._call("GET", f"{TRAFFIC_ROUTE}?{urlencode(wanted.query())}", TrafficReport)

    def report_handling(self, wanted: ReportFilter) -> HandlingReport:
        return self._call("GET", f"{HANDLING_ROUTE}?{urlencode(wanted.query())}", HandlingReport)

    def report_service(self, wanted: ReportFilter) -> ServiceReport:
        return self._call("GET", f"{SERVICE_ROUTE}?{urlencode(wanted.query())}", ServiceReport)

    def report_people(self, wanted: ReportFilter) -> PeopleReport:
        return self._call("GET", f"{PEOPLE_ROUTE}?{urlencode(wanted.query())}", PeopleReport)

    def report_drill(self, wanted: ReportFilter, which: DrillQuery) -> DrillPage:
        """One page of the interactions or tickets behind one number of a report."""
        query = urlencode({**wanted.query(), **which.query()})
        return self._call("GET", f"{DRILL_ROUTE}?{query}", DrillPage)

    # -- call recordings (contract 1.7; a 1.6 server answers 404: a ProtocolError, status 404)

    @property
    def http(self) -> requests.Session:
        """This client's connection pool (TLS settings included), for the recording uploader's
        tus requests: one desk, one set of connections."""
        return self._http

    @property
    def timeouts(self) -> tuple[float, float]:
        return (self._timeout_s, self._timeout_s)

    def upload_headers(self) -> dict[str, str]:
        """What a request of this desk carries (token, contract): the tus uploader's headers."""
        headers = {contract.HEADER: str(contract.CONTRACT), "User-Agent": "AgentWorkstation/0.1"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def recordings(
        self,
        *,
        interaction_id: int | None = None,
        agent: str | None = None,
        queue: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[RecordingOut]:
        """The recordings this user may hear, newest first (own calls; a lead's team's)."""
        query: dict[str, str] = {"limit": str(int(limit))}
        if interaction_id is not None:
            query["interaction_id"] = str(int(interaction_id))
        for name, text in (("agent", agent), ("queue", queue)):
            if text:
                query[name] = text
        for name, instant in (("since", since), ("until", until)):
            if instant is not None:
                query[name] = instant.isoformat()
        with self._recordings_route():
            return self.read_list(f"{RECORDINGS_ROUTE}?{urlencode(query)}", RecordingOut)

    def recordings_of_calls(self, interaction_ids: Sequence[int]) -> dict[int, list[RecordingOut]]:
        """The recordings of each of these calls (interaction ids), newest first: one request
        to a server of 1.8 or later; a 1.7 server reads only the last id of such a request, so
        the others are asked about one by one. Calls without a recording are left out."""
        ids = list(dict.fromkeys(int(i) for i in interaction_ids))[:INTERACTIONS_MAX]
        found: dict[int, list[RecordingOut]] = {}
        if not ids:
            return found
        query = [("limit", str(4 * len(ids)))] + [("interaction_id", str(i)) for i in ids]
        with self._recordings_route():
            answers = self.read_list(f"{RECORDINGS_ROUTE}?{urlencode(query)}", RecordingOut)
        older = self.server_contract is not None and (
            self.server_contract < contract.RECORDINGS_MANY_SINCE
        )
        if older:  # the answer covers the last id only, and may not name it
            last = [a for a in answers if a.interaction_id in (None, ids[-1])]
            if last:
                found[ids[-1]] = last
            for interaction_id in ids[:-1]:
                alone = self.recordings(interaction_id=interaction_id)
                if alone:
                    found[interaction_id] = alone
            return found
        for answer in answers:
            if answer.interaction_id is not None and answer.interaction_id in ids:
                found.setdefault(answer.interaction_id, []).append(answer)
        return found

    def recording(self, recording_id: str) -> RecordingOut:
        with self._recordings_route():
            return self._call("GET", f"{RECORDINGS_ROUTE}/{quote(recording_id)}", RecordingOut)

    def download_recording(
        self, recording_id: str, target: Path, *, chunk_bytes: int = 256 * 1024
    ) -> int:
        """The recording's audio into ``target`` (written beside it, then moved in place), in
        chunks; continues a part file left by an earlier try with a Range request. Bytes."""
        part = target.with_name(target.name + ".part")
        start = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={start}-"} if start else {}
        path = f"{RECORDINGS_ROUTE}/{quote(recording_id)}/audio"
        try:
            with self._recordings_route():
                response = self._request("GET", path, None, headers, stream=True)
        except ServerError as exc:
            if exc.status != 416 or not start:
                raise
            part.unlink()  # a part file longer than the recording: not its start; again
            return self.download_recording(recording_id, target, chunk_bytes=chunk_bytes)
        with response, part.open("ab" if response.status_code == 206 else "wb") as file:
            for piece in response.iter_content(chunk_bytes):
                file.write(piece)
        part.replace(target)
        return target.stat().st_size

    @contextlib.contextmanager
    def _recordings_route(self) -> Iterator[None]:
        """A 404 from a server before contract 1.7 is no missing recording: it has no
        recordings at all (``RecordingsUnsupportedError``)."""
        try:
            yield
        except (ServerError, ProtocolError) as exc:
            older = self.server_contract is not None and (
                self.server_contract < contract.RECORDINGS_SINCE
            )
            if getattr(exc, "status", None) == 404 and older:
                raise RecordingsUnsupportedError(
                    f"The server at {self.base_url} keeps no call recordings "
                    f"(it speaks contract {self.server_contract}).",
                    "recordings_unsupported",
                ) from None
            raise

    def recording_retention(self, team_id: int) -> RetentionOut:
        path = f"/teams/{int(team_id)}/recording-retention"
        return self._call("GET", path, RetentionOut)

    def set_recording_retention(self, team_id: int, days: int) -> RetentionOut:
        """How long the team keeps its recordings (administrators)."""
        body = RetentionIn(days=days).model_dump(mode="json")
        return self._call("PUT", f"/teams/{int(team_id)}/recording-retention", RetentionOut, body)

    def kb_counts(self, ids: Sequence[int] = ()) -> CountsOut:
        """Views and votes of the published articles (or of ``ids``)."""
        query = "&".join(f"ids={int(i)}" for i in ids)
        return self._call("GET", "/kb/counts" + (f"?{query}" if query else ""), CountsOut)

    def kb_stats(self) -> KbStatsOut:
        return self._call("GET", "/kb/stats", KbStatsOut)

    def start_monitor(self, request: MonitorRequest, key: str) -> MonitorGrantOut:
        """A lead's grant to listen to an agent's call (its token is the lead's alone)."""
        return self._write("POST", "/monitor", request, MonitorGrantOut, key)

    def change_monitor(self, grant_id: int, request: MonitorModeIn, key: str) -> MonitorGrantOut:
        path = f"/monitor/{int(grant_id)}/mode"
        return self._write("POST", path, request, MonitorGrantOut, key)

    def end_monitor(self, grant_id: int, request: MonitorEnd, key: str) -> MonitorGrantOut:
        path = f"/monitor/{int(grant_id)}/end"
        return self._write("POST", path, request, MonitorGrantOut, key)

    # -- administration (contract 1.6; a server before it answers 404: a ServerError) --------

    def admin_roles(self) -> list[RoleOut]:
        return self._list(routes.ADMIN_ROLES, RoleOut)

    def admin_save_role(self, role: RoleIn, *, new: bool) -> RoleOut:
        body = role.model_dump(mode="json")
        if new:
            return self._call("POST", routes.ADMIN_ROLES, RoleOut, body)
        path = routes.ADMIN_ROLE.replace("{name}", quote(role.name, safe=""))
        return self._call("PUT", path, RoleOut, body)

    def admin_delete_role(self, name: str) -> None:
        self._request("DELETE", routes.ADMIN_ROLE.replace("{name}", quote(name, safe="")))

    def admin_users(self) -> list[AdminUserOut]:
        return self._list(routes.ADMIN_USERS, AdminUserOut)

    def admin_create_user(self, user: AdminUserIn) -> TemporaryPassword:
        return self._call(
            "POST", routes.ADMIN_USERS, TemporaryPassword, user.model_dump(mode="json")
        )

    def admin_change_user(self, user_id: int, change: AdminUserChange) -> AdminUserOut:
        path = routes.ADMIN_USER.replace("{id}", str(int(user_id)))
        body = change.model_dump(mode="json", exclude_unset=True)
        return self._call("PATCH", path, AdminUserOut, body)

    def admin_reset_password(self, user_id: int) -> TemporaryPassword:
        path = routes.ADMIN_USER_PASSWORD.replace("{id}", str(int(user_id)))
        return self._call("POST", path, TemporaryPassword)

    def admin_sign_out(self, user_id: int) -> None:
        self._request("POST", routes.ADMIN_USER_SIGN_OUT.replace("{id}", str(int(user_id))))

    def admin_teams(self) -> list[AdminTeamOut]:
        return self._list(routes.ADMIN_TEAMS, AdminTeamOut)

    def admin_create_team(self, team: AdminTeamIn) -> AdminTeamOut:
        return self._call("POST", routes.ADMIN_TEAMS, AdminTeamOut, team.model_dump(mode="json"))

    def admin_preview_import(self, content: str) -> ImportPreview:
        body = ImportIn(content=content).model_dump(mode="json")
        return self._call("POST", routes.ADMIN_IMPORT_PREVIEW, ImportPreview, body)

    def admin_apply_import(self, content: str) -> ImportApplied:
        body = ImportIn(content=content).model_dump(mode="json")
        return self._call("POST", routes.ADMIN_IMPORT_APPLY, ImportApplied, body)

    def change_password(self, current: str, new: str) -> None:
        body = PasswordChange(current=current, new=new).model_dump(mode="json")
        self._request("POST", routes.OWN_PASSWORD, body)

    def _write(self, method: str, path: str, request: WireModel, model: type[M], key: str) -> M:
        answer = self.send(method, path, request.model_dump(mode="json", exclude_unset=True), key)
        try:
            return model.read(answer or {})
        except ValidationError as exc:
            raise ProtocolError(
                f"The server at {self.base_url} answered with a {model.__name__} this desk "
                f"cannot read ({exc}); is this the Agent Workstation backend address?",
                "bad_field",
            ) from None

    def send(
        self, method: str, path: str, body: dict[str, Any] | None, key: str | None = None
    ) -> dict[str, Any] | None:
        """One write; the record the server answers, or None (204)."""
        headers = {"Idempotency-Key": key} if key else None
        response = self._request(method, path, body, headers)
        if response.status_code == 204 or not response.content:
            return None
        payload = self._json(response)
        if not isinstance(payload, dict):
            raise ProtocolError(
                self._not_our_server(response, "answered a write with something not a record"),
                "bad_field",
            )
        return payload

    def perform(
        self, operation: Operation, body: dict[str, Any] | None, key: str | None = None
    ) -> dict[str, Any] | None:
        """One write of the outbox: its operation goes to this release's route for it
        (``sync.routes``). One this release cannot send (written by a newer one) is refused
        like a 4xx, before any request: kept and shown to the agent, the rest go on."""
        try:
            route = operation.route()
        except UnknownOperationError as exc:
            raise ServerError(str(exc), 0, ErrorCode.UNKNOWN_OPERATION) from None
        return self.send(route.method, route.path, self._fit(operation, body), key)

    def _fit(self, operation: Operation, body: dict[str, Any] | None) -> dict[str, Any] | None:
        """The write's body for this server (``fit_body``). A body with a field some servers
        do not read waits until the server has said its contract (one small read, once)."""
        if body is None or not ADDED_FIELDS.get((operation.entity, operation.op)):
            return body
        if self.server_contract is None:
            self._request("GET", "/me", None)  # every answer says the server's contract
        return fit_body(operation, body, self.server_contract or contract.LEGACY)

    @property
    def batches(self) -> bool:
        """Whether to send writes in batches: the server speaks contract 1.2 or later, or has
        not said yet (then a 404 to the first batch says no)."""
        if self._no_batch_route:
            return False
        return self.server_contract is None or self.server_contract >= contract.BATCH_SINCE

    def perform_batch(self, items: list[BatchItem]) -> list[Outcome]:
        """Several writes of the outbox in one request (``POST /batch``), applied in order;
        each one's outcome as ``perform`` would have it. Raises what a whole request raises
        (network, 401, 5xx of the batch), and ``BatchUnsupportedError`` for a server without
        the route."""
        assert 0 < len(items) <= MAX_BATCH_OPERATIONS
        operations = []
        for item in items:
            route = item.operation.route()  # UnknownOperationError: the caller checks first
            operations.append(
                BatchOperation(
                    method=route.method,  # type: ignore[arg-type]
                    path=route.path,
                    key=item.key,
                    body=self._fit(item.operation, item.body),
                )
            )
        request = BatchRequest(operations=operations).model_dump(mode="json")
        try:
            answer = self._call("POST", "/batch", BatchAnswer, json_body=request)
        except ServerError as exc:
            if exc.status in (404, 405) and not isinstance(exc, UpdateRequiredError):
                self._no_batch_route = True
                raise BatchUnsupportedError(str(exc), "no_batch_route") from None
            raise
        if len(answer.results) != len(items):
            raise ProtocolError(
                f"The server at {self.base_url} answered {len(answer.results)} results to a "
                f"batch of {len(items)}.",
                "bad_field",
            )
        return [self._outcome(result) for result in answer.results]

    def _outcome(self, result: BatchResult) -> Outcome:
        """What ``_request`` and ``send`` make of an answer, for one answer of a batch."""
        status, body = result.status, result.body
        if status == 0:
            return NOT_TRIED
        if status < 300:
            return body if status != 204 else None
        if status == 409 and body is not None and "current" in body:
            with contextlib.suppress(ValidationError):
                conflict = ConflictBody.read(body)
                return ConflictError(conflict.message, conflict.code, conflict.current)
        error: ErrorBody | None = None
        with contextlib.suppress(ValidationError):
            error = ErrorBody.read(body)
        if status == 401:
            return AuthError(
                error.message if error else "Sign-in required.",
                error.code if error else ErrorCode.NOT_AUTHENTICATED,
            )
        if error is None:
            return ServerError(
                f"The server at {self.base_url} had a problem (HTTP {status}).",
                status,
                ErrorCode.SERVER_ERROR,
            )
        return ServerError(error.message, status, error.code, error.field)

    # -- plumbing ----------------------------------------------------------------------------

    def _call(
        self, method: str, path: str, model: type[M], json_body: dict[str, Any] | None = None
    ) -> M:
        payload = self._json(self._request(method, path, json_body))
        try:
            return model.read(payload)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise ProtocolError(
                f"The server at {self.base_url} answered with an unexpected '{where}' field; "
                "is this the Agent Workstation backend address?",
                "bad_field",
            ) from None

    def _json(self, response: requests.Response) -> Any:
        # A proxy's error page or a captive portal may send JSON-looking text; only trust JSON
        # that says it is JSON.
        kind = response.headers.get("Content-Type", "")
        try:
            if not kind.startswith("application/json"):
                raise ValueError(kind)
            return response.json()
        except (json.JSONDecodeError, ValueError):
            raise ProtocolError(
                self._not_our_server(response, "does not answer with JSON"), "not_json"
            ) from None

    def _request(
        self,
        method: str,
        path: str,
        json_body: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
        *,
        stream: bool = False,
        read_timeout_s: float | None = None,
    ) -> requests.Response:
        url = f"{self.base_url}{API_PREFIX}{path}"
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        headers.update(extra_headers or {})
        sent = system_clock().timestamp()
        timeout = (self._timeout_s, read_timeout_s or self._timeout_s)
        try:
            response = self._http.request(
                method, url, json=json_body, headers=headers, timeout=timeout, stream=stream
            )
        except requests.exceptions.SSLError:
            raise NetworkError(
                f"The server {self.base_url} did not present a trusted certificate. "
                "Ask IT for the CA file and set it as 'ca_file' in the configuration.",
                "tls",
            ) from None
        except requests.exceptions.Timeout:
            raise NetworkError(
                f"The server {self.base_url} did not answer within {self._timeout_s:g} s.",
                "timeout",
            ) from None
        except requests.exceptions.ConnectionError:
            raise NetworkError(
                f"Cannot reach the server {self.base_url}: check the address and the network.",
                "unreachable",
            ) from None
        except requests.exceptions.RequestException as exc:
            raise NetworkError(
                f"Request to {self.base_url} failed: {type(exc).__name__}", "other"
            ) from None
        self._keep_server_time(response, sent)
        with contextlib.suppress(contract.ContractVersionError):
            self.server_contract = contract.parse_version(response.headers.get(contract.HEADER))
        said = release.from_headers(response.headers)
        if said is not None:
            self.desk_release = said
        if response.status_code == 426:
            body = self._error_body(response)
            raise UpdateRequiredError(
                body.message if body else "This desk is too old for the server.",
                426,
                body.code if body else ErrorCode.DESK_TOO_OLD,
            )
        if response.status_code == 401:
            body = self._error_body(response)
            raise AuthError(
                body.message if body else "Sign-in required.",
                body.code if body else ErrorCode.NOT_AUTHENTICATED,
            )
        if response.status_code == 409:
            conflict = self._conflict_body(response)
            if conflict is not None:
                raise ConflictError(conflict.message, conflict.code, conflict.current)
        if response.status_code >= 400:
            body = self._error_body(response)
            if (
                body is None
                and response.status_code >= 500
                and response.status_code
                not in (
                    502,
                    503,
                    504,
                )
            ):
                # Our backend's own crash answer (Starlette's plain "Internal Server Error"):
                # the server had a problem, the address is right. A gateway's 502/503/504 page
                # is not from our backend: the backend behind it is not there.
                raise ServerError(
                    f"The server at {self.base_url} had a problem (HTTP {response.status_code}).",
                    response.status_code,
                    ErrorCode.SERVER_ERROR,
                )
            if body is None:
                # A route older servers lack answers FastAPI's own 404 ({"detail": …}): the
                # status lets a caller tell that from a wrong address.
                error = ProtocolError(
                    self._not_our_server(response, f"answered HTTP {response.status_code}"),
                    "bad_status",
                )
                error.status = response.status_code
                raise error
            raise ServerError(body.message, response.status_code, body.code, body.field)
        return response

    def _keep_server_time(self, response: requests.Response, sent: float) -> None:
        stamp = response.headers.get("Date", "")
        try:
            server = parsedate_to_datetime(stamp) if stamp else None
        except (TypeError, ValueError):  # a proxy's odd header: no sample, nothing else
            server = None
        if server is not None and server.tzinfo is not None:
            self.server_time = ServerTimeSample(server, sent, system_clock().timestamp())

    def _not_our_server(self, response: requests.Response, what: str) -> str:
        return (
            f"The server at {self.base_url} {what} (HTTP {response.status_code}); "
            "is this the Agent Workstation backend address?"
        )

    @staticmethod
    def _conflict_body(response: requests.Response) -> ConflictBody | None:
        try:
            return ConflictBody.read(response.json())
        except (ValueError, ValidationError):
            return None

    @staticmethod
    def _error_body(response: requests.Response) -> ErrorBody | None:
        try:
            return ErrorBody.read(response.json())
        except (ValueError, ValidationError):
            return None
