"""Prometheus metrics (``prometheus-client``): what IT watches on a running server.

- requests by route *template* (``/api/v1/customers/{customer_id}``, never the id: one series a
  route, not one a record) and status, and their latency (a histogram);
- the desks' push: batches and the outbox operations they carry;
- open event streams (a gauge: the desks connected);
- SLA sweeps and the tickets they escalated; presence heartbeats and desks marked lost.

Multi-process: ``agent-server --workers N`` sets ``PROMETHEUS_MULTIPROC_DIR`` (a fresh folder)
before it spawns the workers, so each process's metrics live in memory-mapped files there and
any worker's ``/metrics`` answers for all of them (prometheus_client's multiprocess mode; the
gauge of streams sums the live processes). ``/metrics`` is not for the desks: it answers only
this machine (loopback), or anyone with the token of ``--metrics-token-file``.

The per-request cost is a dictionary lookup, a counter and a histogram observation
(``bench/bench_metrics.py`` measures it against the same requests without the middleware).
"""

from __future__ import annotations

import hmac
import os
import shutil
import tempfile
from itertools import count
from pathlib import Path
from time import perf_counter

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server_stub.logs import request_id
from sync.contract.wire import API_PREFIX

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
PATH = "/metrics"
# No *_created series: twice the lines, nothing IT reads.
disable_created_metrics()  # type: ignore[no-untyped-call]

REQUESTS = Counter(
    "agent_server_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "agent_server_request_seconds",
    "Time from a request's arrival to the end of its answer",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
BATCHES = Counter("agent_server_push_batches_total", "Batches the desks pushed (POST /batch)")
PUSHED = Counter(
    "agent_server_push_operations_total", "Outbox operations received in the desks' batches"
)
STREAMS = Gauge(
    "agent_server_event_streams",
    "Event streams open (desks connected)",
    multiprocess_mode="livesum",
)
SLA_SWEEPS = Counter("agent_server_sla_sweeps_total", "SLA sweeps run")
SLA_ESCALATED = Counter("agent_server_sla_escalations_total", "Tickets the SLA sweeper escalated")
HEARTBEATS = Counter("agent_server_presence_heartbeats_total", "Presence heartbeats received")
LOST = Counter(
    "agent_server_presence_lost_total", "Agents marked logged out because their desk went silent"
)

_UNMATCHED = "unmatched"  # a path no route serves (a scanner's 404s make no new series)


def _template(route: object, path: str) -> str:
    """The route's path as the desks call it. FastAPI (0.16x) leaves the route object of the
    router it was declared in on the scope, without the prefix it was included under; every
    such route here is under API_PREFIX (``batch.include_routers``)."""
    template = str(getattr(route, "path", _UNMATCHED))
    if path.startswith(API_PREFIX) and not template.startswith((API_PREFIX, _UNMATCHED)):
        return API_PREFIX + template
    return template


class RequestMetrics:
    """Plain ASGI (no task per body chunk, unlike ``@app.middleware``); outermost, so a request
    the gate refuses is counted too. Sets the request id the JSON log lines carry."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._ids = count(1)
        self._prefix = f"{os.getpid():x}-"
        # (method, template, status) → the counter's and the histogram's children, looked up
        # once: .labels() takes a lock and builds a tuple every time.
        self._series: dict[tuple[str, int, int], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        status = 500  # an exception before any answer

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        token = request_id.set(self._prefix + str(next(self._ids)))
        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            key = (scope["method"], id(route), status)  # routes live as long as the app
            series = self._series.get(key)
            if series is None:
                template = _template(route, scope["path"])
                series = self._series[key] = (
                    REQUESTS.labels(key[0], template, str(status)),
                    LATENCY.labels(key[0], template),
                )
            series[0].inc()
            series[1].observe(perf_counter() - started)
            request_id.reset(token)


def allowed(request: Request, token: str | None) -> bool:
    """The token when one is configured, else loopback only."""
    if token is not None:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    host = request.client.host if request.client else ""
    return host in {"127.0.0.1", "::1", "localhost"} or host.startswith("127.")


def exposition() -> bytes:
    """Every process's metrics in multiprocess mode, else this process's."""
    folder = os.environ.get(MULTIPROC_VARIABLE)
    if folder:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


router = APIRouter()


@router.get(PATH, include_in_schema=False)
def metrics(request: Request) -> Response:
    if not allowed(request, request.app.state.settings.metrics_token):
        return Response("metrics: not for this client\n", status_code=403, media_type="text/plain")
    return Response(exposition(), media_type=CONTENT_TYPE_LATEST)


def multiprocess_folder() -> Path | None:
    """For ``--workers``: a fresh folder for the processes' metric files, set in the
    environment the workers inherit; None when ``PROMETHEUS_MULTIPROC_DIR`` was given (its
    files from an earlier run are removed: prometheus_client would add them up)."""
    given = os.environ.get(MULTIPROC_VARIABLE)
    if given:
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        return None
    folder = Path(tempfile.mkdtemp(prefix="agent-server-metrics-"))
    os.environ[MULTIPROC_VARIABLE] = str(folder)
    return folder


def process_ended(pid: int) -> None:
    """A worker is gone: its live gauges no longer count."""
    if os.environ.get(MULTIPROC_VARIABLE):
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


def remove_folder(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
