"""``agent-server --workers N``: one listening socket, N server processes accepting on it.

Each worker is a whole server (its own event hub with its own LISTEN connection, SLA sweeper
and connection pool); they share only the socket and the PostgreSQL database, exactly as two
instances behind a load balancer share only the database. The parent binds the socket, checks
or creates the schema once (``prepare`` before it starts any worker; the migration itself takes
an advisory lock, so instances started together on an empty database migrate it once), then
starts the workers by ``spawn`` and keeps them running: a worker that dies after serving is
replaced; one that fails before serving stops the whole server (it would fail again).

Not uvicorn's own ``--workers`` supervisor: its workers run a plain ``uvicorn.Server``, and ours
must run ``ApiServer``, which ends the event streams first when it stops (desks reconnect with
their last event id instead of waiting for a cut).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

from server_stub import logs, metrics
from server_stub.clock import system_clock
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.main import create_app
from server_stub.serve import ApiServer
from sync.clock import CLOCK_VARIABLE, pin

log = logging.getLogger(__name__)
STARTUP_FAILURE = 3  # a worker's exit code when it never served (uvicorn uses the same)
_STOP_WAIT_S = 30.0


@dataclass(frozen=True, slots=True)
class WorkerPlan:
    """What a worker builds its server from (pickled to the spawned process)."""

    settings: ServerSettings
    host: str
    port: int
    log_level: str
    log_format: str = "text"


def refusal(database_url: str, workers: int, demo_calls: bool) -> str | None:
    """Why ``--workers`` cannot be used here, or None."""
    if workers < 1:
        return "--workers must be 1 or more"
    if workers == 1:
        return None
    if database_url.startswith("sqlite"):
        return (
            "--workers needs PostgreSQL (--database-url postgresql+psycopg://…). On SQLite the "
            "server runs as one process: the file has one writer at a time, so more processes "
            "would only queue on its lock (see the README, Scale)."
        )
    if demo_calls:
        return "--demo-calls-to rings one phone from one process: run it without --workers"
    return None


def anchor_clock() -> None:
    """A clock pinned without its anchor (``AGENT_WORKSTATION_CLOCK=2026-12-31T23:59:59+08:00``)
    starts where each process first reads it; anchor it here, before any worker starts, so
    every worker's "now" is this process's (as the test suite does for its processes)."""
    value = os.environ.get(CLOCK_VARIABLE, "").strip()
    if value and "@" not in value:
        os.environ[CLOCK_VARIABLE] = pin(system_clock().now())


def _worker(plan: WorkerPlan, sock: socket.socket) -> None:
    """A worker process's body: the app on the inherited socket, until told to stop."""
    logs.configure(plan.log_level, plan.log_format)
    database = Database(plan.settings.database_url)
    try:
        try:
            app = create_app(plan.settings, database, system_clock())
        except Exception:  # the schema, the database: the same on every restart
            log.exception("worker could not build the app")
            sys.exit(STARTUP_FAILURE)
        server = ApiServer(app, plan.host, plan.port, plan.log_level)
        server.run(sockets=[sock])
    finally:
        database.dispose()
    if not server.started:
        sys.exit(STARTUP_FAILURE)


class Supervisor:
    """Starts ``count`` workers on one socket and keeps them running until stopped."""

    def __init__(self, plan: WorkerPlan, count: int) -> None:
        self._plan = plan
        self._count = count
        self._context = multiprocessing.get_context("spawn")
        self._stopping = threading.Event()
        self._failed = False
        self._processes: list[BaseProcess] = []
        self.socket: socket.socket | None = None

    def bind(self) -> socket.socket:
        """Bind and listen (the same way uvicorn does); connections wait in the backlog until a
        worker accepts them, so the server is reachable from here on."""
        config = uvicorn.Config(
            "server_stub.main:create_app", host=self._plan.host, port=self._plan.port
        )
        self.socket = config.bind_socket()
        return self.socket

    def _start_one(self) -> BaseProcess:
        process = self._context.Process(
            target=_worker, args=(self._plan, self.socket), name="agent-server-worker"
        )
        process.start()
        return process

    def stop(self, *_args: object) -> None:
        self._stopping.set()

    def run(self) -> int:
        """Serve until SIGINT/SIGTERM (or ``stop``); 0, or 1 when a worker failed to start."""
        if self.socket is None:
            self.bind()
        anchor_clock()
        multiprocessing.allow_connection_pickling()

        def on_signal(_signum: int, _frame: FrameType | None) -> None:
            self._stopping.set()

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self._processes = [self._start_one() for _ in range(self._count)]
            log.info("started %d workers: %s", self._count, [p.pid for p in self._processes])
            while not self._stopping.wait(0.5):
                self._replace_dead()
        finally:
            self._stop_all()
            for number, handler in previous.items():
                signal.signal(number, handler)
        return 1 if self._failed else 0

    def _replace_dead(self) -> None:
        for index, process in enumerate(self._processes):
            if process.is_alive():
                continue
            if process.exitcode == STARTUP_FAILURE:
                log.error("worker %s failed to start: stopping the server", process.pid)
                self._failed = True
                self._stopping.set()
                return
            log.warning("worker %s ended (%s): starting another", process.pid, process.exitcode)
            if process.pid is not None:
                metrics.process_ended(process.pid)
            self._processes[index] = self._start_one()

    def _stop_all(self) -> None:
        for process in self._processes:
            if process.is_alive() and process.pid is not None:
                # uvicorn's own handler in the worker: ApiServer ends the streams, then exits.
                process.terminate()
        for process in self._processes:
            process.join(_STOP_WAIT_S)
            if process.is_alive():
                log.warning("worker %s did not stop in %.0f s: killed", process.pid, _STOP_WAIT_S)
                process.kill()
                process.join()
        if self.socket is not None:
            self.socket.close()
