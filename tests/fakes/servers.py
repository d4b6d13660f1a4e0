"""Real servers on loopback for tests: the backend in a thread, and a server answering garbage."""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from server_stub.channels.mail_settings import MailboxSettings
from server_stub.clock import Clock, system_clock
from server_stub.core.config import DemoCallSettings, ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.main import create_app
from server_stub.seed import seed_demo, seed_scale
from server_stub.serve import ApiServer
from sync.contract.version import OLDEST_DESK, ContractVersion
from tests.fakes.waiting import wait_until


class LiveBackend:
    """The real FastAPI app served by uvicorn on 127.0.0.1, on a free port, in a thread."""

    def __init__(
        self,
        db_file: Path | None = None,
        *,
        database_url: str | None = None,
        clock: Clock | None = None,
        sla_interval_s: float = 30.0,
        alert_interval_s: float = 5.0,
        seed: bool = True,
        scale_customers: int = 0,
        port: int = 0,
        demo_calls: DemoCallSettings | None = None,
        complaint_limit: timedelta = timedelta(hours=24),
        token_lifetime: timedelta = timedelta(hours=12),
        oldest_desk: ContractVersion = OLDEST_DESK,
        # Off unless a test keeps snapshots ready: the others count builds made on request.
        snapshot_keep_ready_s: float = 0.0,
        # Where snapshots are kept; None: the server's default, named by the database's URL
        # (one a later run with the same temporary path finds again).
        snapshot_dir: Path | None = None,
        # Presence liveness (server_stub.presence_alive): short in the tests that kill desks.
        presence_timeout_s: float = 60.0,
        presence_flush_s: float = 5.0,
        presence_sweep_s: float = 5.0,
        pull_at_once: int = 2,
        pull_waiting: int = 1_000,
        # Which desk releases are current (sync.contract.release): not said by default.
        newest_desk: str = "",
        oldest_desk_next: ContractVersion | None = None,
        oldest_desk_next_from: str = "",
        # Call recordings (issue 20): a test's own folder keeps them apart from other runs'.
        recordings_dir: Path | None = None,
        recording_retention_s: float = 0.0,
        # Team mailboxes (issue 22): the email channel's tests point them at their Dovecot.
        mailboxes: tuple[MailboxSettings, ...] = (),
    ) -> None:
        url = database_url or ServerSettings.sqlite_file(db_file or Path("server.sqlite"))
        clock = clock or system_clock()
        self.database = Database(url)
        migrate(self.database.engine)
        if seed:
            with self.database.session() as session:
                if scale_customers:
                    seed_scale(session, scale_customers, now=clock.now())
                else:
                    seed_demo(session, now=clock.now())
        settings = ServerSettings(
            database_url=url,
            sla_interval_s=sla_interval_s,
            alert_interval_s=alert_interval_s,
            event_poll_s=0.1,
            demo_calls=demo_calls,
            complaint_limit=complaint_limit,
            token_lifetime=token_lifetime,
            oldest_desk=oldest_desk,
            snapshot_keep_ready_s=snapshot_keep_ready_s,
            snapshot_dir=snapshot_dir,
            presence_timeout_s=presence_timeout_s,
            presence_flush_s=presence_flush_s,
            presence_sweep_s=presence_sweep_s,
            pull_at_once=pull_at_once,
            pull_waiting=pull_waiting,
            newest_desk=newest_desk,
            oldest_desk_next=oldest_desk_next,
            oldest_desk_next_from=oldest_desk_next_from,
            recordings_dir=recordings_dir,
            recording_retention_s=recording_retention_s,
            mailboxes=mailboxes,
        )
        app = create_app(settings, self.database, clock)
        self.app = app  # its state: the SLA sweeper, the event hub
        self._server = ApiServer(app, "127.0.0.1", port, "warning")
        self._thread = threading.Thread(target=self._server.run, name="live-backend", daemon=True)
        self._thread.start()

        def started() -> bool:
            if not self._thread.is_alive():
                raise AssertionError("the test backend's thread ended before it served")
            return bool(self._server.started)

        wait_until(started, 15, "the test backend to start serving")
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self._server.should_exit = True
        # Its streams end and its workers (event hub, sweeper) close their connections before
        # the thread returns: wait for that, however loaded the machine, but not for ever.
        self._thread.join(timeout=60)
        if self._thread.is_alive():
            raise RuntimeError("the test backend did not stop within 60 s")
        self.database.dispose()


class _Garbage(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        body = b"<html><body>Welcome to nginx!</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


class GarbageServer:
    """Something that answers HTTP, but is not our backend (a captive portal, a wrong port)."""

    def __init__(self) -> None:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Garbage)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
