"""Who is signed in, against which server, and whether that server can be reached.

Sign-in, restore from the keychain, sign-out and the periodic connection check all run in
workers (``TaskRunner``); results come back as signals on the GUI thread. The token lives in
memory and, if the user asked and a real keychain exists, in the keychain; never in a file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from agent_desktop import __version__
from agent_desktop.config import Settings
from agent_desktop.credentials import CredentialStore, CredentialStoreError
from agent_desktop.messages import MessageBridge
from agent_desktop.services.api_errors import describe
from agent_desktop.tasks import TaskRunner
from sync.clock import DeskClock
from sync.contract.records import SessionGrant
from sync.contract.release import DeskRelease, Urgency, advise
from sync.contract.version import CONTRACT

if TYPE_CHECKING:
    from sync.client import ApiClient

log = logging.getLogger(__name__)

ClientFactory = Callable[..., "ApiClient"]
# How long a sign-out's revocation waits for the farewell's push (which is bounded itself, a
# little less): the token must outlive the desk's last writes, but not by much.
FAREWELL_WAIT_S = 5.0

# sync.client (requests, pydantic's wire models: about 0.2 s) is imported by the first request,
# on the worker that makes it, not before the sign-in dialog shows; the handlers that run on
# the GUI thread afterwards import it again, which then costs a dictionary look-up.


class ConnectionState(Enum):
    SIGNED_OUT = "signed_out"
    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class SignInAttempt:
    server_url: str
    username: str
    password: str
    remember: bool


class SessionService(QObject):
    signed_in = Signal(object)  # SessionGrant
    sign_in_failed = Signal(str)  # a translated message naming the problem
    restore_failed = Signal(str)  # '' when there was nothing to restore
    signed_out = Signal(str)  # reason; '' when the user chose to sign out
    password_changed = Signal()  # the user's own new password was taken (contract 1.6)
    password_refused = Signal(str)  # why not, translated
    connection_changed = Signal(object)  # ConnectionState

    def __init__(
        self,
        tasks: TaskRunner,
        credentials: CredentialStore,
        messages: MessageBridge,
        settings: Settings,
        client_factory: ClientFactory | None = None,
        parent: QObject | None = None,
        *,
        clock: DeskClock | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock or DeskClock()  # corrected to the server's at each answer
        self._skew_told = timedelta(0)
        # Which desk releases the server says are current (set on a worker by _align, read on
        # the GUI thread: one reference swapped), and how urgently the agent was last told.
        self.desk_release: DeskRelease | None = None
        self.desk_version = __version__
        self._release_told = Urgency.UNKNOWN
        self._tasks = tasks
        self._credentials = credentials
        self._messages = messages
        self._settings = settings
        self._client_factory = client_factory
        self._grant: SessionGrant | None = None
        self._server_url = ""
        self._busy = False
        self._state = ConnectionState.SIGNED_OUT
        self._monitor = QTimer(self)
        self._monitor.setInterval(int(settings.health_interval_s * 1000))
        self._monitor.timeout.connect(self.check_connection)
        self._checking = False
        # Called on the GUI thread as a sign-out starts, before anything is forgotten: what the
        # desk must still tell the server (the calls' interactions, Logged out) goes into the
        # outbox and its push starts; the server revokes the token only after that future.
        self.farewell: Callable[[], Future[None] | None] | None = None

    # -- state -------------------------------------------------------------------------------

    @property
    def grant(self) -> SessionGrant | None:
        return self._grant

    @property
    def server_url(self) -> str:
        return self._server_url

    @property
    def connection(self) -> ConnectionState:
        return self._state

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def can_remember(self) -> bool:
        return self._credentials.available

    @property
    def why_cannot_remember(self) -> str:
        return self._credentials.why_unavailable

    def _client(self, server_url: str, token: str | None = None) -> ApiClient:
        factory = self._client_factory
        if factory is None:
            from sync.client import ApiClient  # noqa: PLC0415 - see ClientFactory

            factory = ApiClient
        return factory(
            server_url,
            token=token,
            verify=self._settings.tls_verify(),
            timeout_s=self._settings.request_timeout_s,
        )

    def _set_state(self, state: ConnectionState) -> None:
        if state != self._state:
            log.info("connection: %s -> %s", self._state.value, state.value)
            self._state = state
            self.connection_changed.emit(state)

    # -- sign in -----------------------------------------------------------------------------

    def sign_in(self, server_url: str, username: str, password: str, remember: bool) -> None:
        """Start signing in; ends with ``signed_in`` or ``sign_in_failed``."""
        if self._busy:
            return
        attempt = SignInAttempt(server_url.strip(), username.strip(), password, remember)
        self._forget_release()
        self._busy = True
        self._set_state(ConnectionState.CONNECTING)
        self._tasks.run_blocking(
            lambda: self._sign_in_blocking(attempt),
            lambda result: self._signed_in(attempt.server_url, result),
            lambda error: self._sign_in_error(attempt.server_url, error),
        )

    def _sign_in_blocking(self, attempt: SignInAttempt) -> tuple[SessionGrant, str]:
        from sync.client import normalise_server_url  # noqa: PLC0415 - see ClientFactory

        url = normalise_server_url(attempt.server_url)
        with self._client(url) as client:
            grant = client.login(attempt.username, attempt.password)
            self._align(client)
        warning = ""
        if attempt.remember and self._credentials.available:
            try:
                self._credentials.save_token(url, grant.user.username, grant.token)
            except CredentialStoreError as exc:
                warning = str(exc)
        elif not attempt.remember:
            # The user unticked "remember": forget any sign-in kept from an earlier day.
            try:
                self._credentials.forget_token(url, grant.user.username)
            except CredentialStoreError as exc:
                warning = str(exc)
        return grant, warning

    def _signed_in(self, server_url: str, result: tuple[SessionGrant, str]) -> None:
        from sync.client import normalise_server_url  # noqa: PLC0415 - see ClientFactory

        grant, keychain_warning = result
        self._busy = False
        self._grant = grant
        self._server_url = normalise_server_url(server_url)
        if keychain_warning:
            self._messages.warning(
                QCoreApplication.translate(
                    "SessionService", "Signed in, but the sign-in could not be remembered: %1"
                ).replace("%1", keychain_warning)
            )
        self._set_state(ConnectionState.ONLINE)
        self._tell_skew()
        self._tell_release()
        self._monitor.start()
        self._messages.info(
            QCoreApplication.translate("SessionService", "Signed in to %1.").replace(
                "%1", self._server_url
            )
        )
        self.signed_in.emit(grant)

    def _sign_in_error(self, server_url: str, error: BaseException) -> None:
        self._busy = False
        self._set_state(ConnectionState.SIGNED_OUT)
        self.sign_in_failed.emit(describe(error, server_url))

    # -- restore from the keychain -----------------------------------------------------------

    def restore(self, server_url: str, username: str) -> None:
        """Try the token kept in the keychain; ends with ``signed_in`` or ``restore_failed``."""
        if not (server_url and username and self._credentials.available) or self._busy:
            self.restore_failed.emit("")
            return
        self._forget_release()
        self._busy = True
        self._set_state(ConnectionState.CONNECTING)
        self._tasks.run_blocking(
            lambda: self._restore_blocking(server_url, username),
            lambda grant: self._signed_in(server_url, (grant, "")),
            lambda error: self._restore_error(server_url, error),
        )

    def _restore_blocking(self, server_url: str, username: str) -> SessionGrant:
        from sync.client import AuthError, normalise_server_url  # noqa: PLC0415 - see ClientFactory

        url = normalise_server_url(server_url)
        token = self._credentials.load_token(url, username)
        if token is None:
            raise LookupError("nothing remembered")
        with self._client(url, token) as client:
            try:
                me = client.me()
                self._align(client)
            except AuthError:
                self._credentials.forget_token(url, username)
                raise
        return SessionGrant(
            token=token,
            expires_at=me.expires_at,
            user=me.user.to_record(),
            permissions=frozenset(me.permissions),
            must_change_password=me.must_change_password,
        )

    def _restore_error(self, server_url: str, error: BaseException) -> None:
        self._busy = False
        self._set_state(ConnectionState.SIGNED_OUT)
        if isinstance(error, LookupError):
            self.restore_failed.emit("")
        elif isinstance(error, CredentialStoreError):
            self.restore_failed.emit(str(error))
        else:
            self.restore_failed.emit(describe(error, server_url))

    # -- sign out ----------------------------------------------------------------------------

    def sign_out(self, reason: str = "", *, revoke: bool | None = None) -> Future[None] | None:
        """Forget the session here, in the keychain and (unless it expired) on the server.

        ``reason`` is shown at the sign-in dialog; a reason means the token expired (nothing to
        revoke) unless ``revoke`` says otherwise (the lead's log-out). Returns the future of the
        background part, for callers that must wait for it.
        """
        grant, url = self._grant, self._server_url
        future = None
        revoke_token = not reason if revoke is None else revoke
        # First, while the token is good: the desk's last writes, pushed within a bound.
        last_words = self.farewell() if grant is not None and self.farewell else None
        self._grant = None
        self._monitor.stop()
        self._set_state(ConnectionState.SIGNED_OUT)
        if grant is not None:
            username = grant.user.username

            def forget() -> None:
                try:
                    self._credentials.forget_token(url, username)
                finally:
                    if last_words is not None:  # bounded by the farewell itself
                        try:
                            last_words.result(timeout=FAREWELL_WAIT_S)
                        except Exception as exc:  # the outbox keeps them
                            log.info("sign-out: the last writes were not pushed: %s", exc)
                    if revoke_token:  # an expired token needs no revoking
                        with self._client(url, grant.token) as client:
                            client.logout()

            future = self._tasks.run_blocking(
                forget,
                lambda _none: None,
                lambda error: log.info("sign-out not confirmed by the server: %s", error),
            )
        self.signed_out.emit(reason)
        return future

    # -- the user's own password --------------------------------------------------------------

    def change_password(self, current: str, new: str) -> None:
        """The user's new password (after a temporary one an admin set), on a worker; neither
        is kept or logged."""
        grant, url = self._grant, self._server_url
        if grant is None:
            return

        def send() -> None:
            with self._client(url, grant.token) as client:
                client.change_password(current, new)

        def done(_none: None) -> None:
            if self._grant is grant:
                self._grant = replace(grant, must_change_password=False)
            self.password_changed.emit()

        self._tasks.run_blocking(
            send, done, lambda error: self.password_refused.emit(describe(error, url))
        )

    # -- connection check --------------------------------------------------------------------

    def check_connection(self) -> None:
        """Ask the server who we are: online, offline, or the session has ended."""
        grant = self._grant
        if grant is None or self._checking:
            return
        self._checking = True
        url = self._server_url

        def probe() -> None:
            with self._client(url, grant.token) as client:
                client.me()
                self._align(client)

        self._tasks.run_blocking(probe, self._check_ok, self._check_failed)

    def _check_ok(self, _none: None) -> None:
        self._checking = False
        if self._grant is not None:
            self._set_state(ConnectionState.ONLINE)
            self._tell_skew()
            self._tell_release()

    # -- the server's time -------------------------------------------------------------------

    def _align(self, client: ApiClient) -> None:
        """On a worker: the desk's clock follows the server's (DeskClock is thread-safe)."""
        if client.server_time is not None and self.clock.align(client.server_time):
            log.info(
                "clock: the server's is %+.1f s from this PC's", self.clock.skew.total_seconds()
            )
        if client.desk_release is not None:
            self.desk_release = client.desk_release

    def _forget_release(self) -> None:
        """A new sign-in (perhaps to another server): what the last server said is not known."""
        self.desk_release = None
        self._release_told = Urgency.UNKNOWN

    @property
    def update_urgency(self) -> Urgency:
        """How urgently this desk should be updated, by what the server said last."""
        return advise(self.desk_version, CONTRACT, self.desk_release)

    def _tell_release(self) -> None:
        """A desk older than the newest release, or one the server's next step will refuse:
        the agent is told in the status bar (not a dialog: the call in progress matters more)
        and IT finds it in the log and the diagnostics. Told again only when it changes."""
        urgency, said = self.update_urgency, self.desk_release
        if urgency == self._release_told or said is None:
            return
        self._release_told = urgency
        if urgency == Urgency.ENDING:
            log.warning(
                "update: this desk %s (contract %s) will no longer be served from the server's "
                "next step (oldest contract %s%s); newest desk %s",
                self.desk_version, CONTRACT, said.oldest_next,
                f" from {said.next_from}" if said.next_from else "", said.newest or "not said",
            )  # fmt: skip
            text = (
                QCoreApplication.translate(
                    "SessionService",
                    "Update needed soon: this desk (version %1) will no longer work with the "
                    "server from %2. Ask IT to update Agent Workstation; your work is kept.",
                )
                if said.next_from
                else QCoreApplication.translate(
                    "SessionService",
                    "Update needed soon: this desk (version %1) will no longer work with the "
                    "server after its next upgrade. Ask IT to update Agent Workstation; your "
                    "work is kept.",
                )
            )
            text = text.replace("%1", self.desk_version).replace("%2", said.next_from)
            self._messages.error(text)
        elif urgency == Urgency.OUTDATED:
            log.warning(
                "update: this desk is %s, the newest released is %s", self.desk_version, said.newest
            )
            self._messages.warning(
                QCoreApplication.translate(
                    "SessionService",
                    "A newer Agent Workstation (%1) is available; this desk is %2. Ask IT to "
                    "update it when convenient.",
                )
                .replace("%1", said.newest)
                .replace("%2", self.desk_version)
            )
        elif urgency == Urgency.CURRENT:
            log.info("update: this desk %s is current", self.desk_version)

    def _tell_skew(self) -> None:
        """A PC clock a minute or more off is IT's to fix; the desk works on the server's."""
        skew = self.clock.skew
        if abs(skew) < timedelta(minutes=1) or abs(skew - self._skew_told) < timedelta(minutes=1):
            return
        self._skew_told = skew
        minutes = f"{abs(skew.total_seconds()) / 60:.0f}"
        text = (
            QCoreApplication.translate(
                "SessionService",
                "This PC's clock is %1 min behind the server's: the desk uses the server's "
                "time. Ask IT to set the PC's clock.",
            )
            if skew > timedelta(0)
            else QCoreApplication.translate(
                "SessionService",
                "This PC's clock is %1 min ahead of the server's: the desk uses the server's "
                "time. Ask IT to set the PC's clock.",
            )
        )
        self._messages.warning(text.replace("%1", minutes))

    def _check_failed(self, error: BaseException) -> None:
        from sync.client import AuthError  # noqa: PLC0415 - see ClientFactory

        self._checking = False
        if self._grant is None:
            return
        if isinstance(error, AuthError):
            self.sign_out(describe(error, self._server_url))
            return
        if self._state != ConnectionState.OFFLINE:
            self._messages.warning(describe(error, self._server_url))
        self._set_state(ConnectionState.OFFLINE)
