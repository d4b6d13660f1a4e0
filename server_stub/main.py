"""App factory: wires settings, database, clock, background workers (SLA sweeper, event broker,
the demo caller when asked for), error handlers, routes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from email.utils import format_datetime

from fastapi import FastAPI, Request, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server_stub import __version__
from server_stub.api.errors import error_response, install_error_handlers
from server_stub.api.routes import (
    assets,
    auth,
    customers,
    dispatches,
    feed,
    health,
    interactions,
    knowledge,
    monitor,
    people,
    tickets,
    wallboard,
)
from server_stub.broker import EventBroker
from server_stub.clock import Clock, system_clock
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import prepare
from server_stub.demo_caller import DemoCaller
from server_stub.sla import SlaSweeper
from sync.contract import version as contract
from sync.contract.errors import ErrorCode
from sync.contract.rules import EscalationPolicy
from sync.contract.wire import API_PREFIX, refuse_control_characters


class Gate:
    """Refuses what no route should see and stamps every answer (``Date``, the contract).

    Plain ASGI, not ``@app.middleware("http")``: that passes every chunk of a streamed body
    through an extra task, which made each event on 200 open streams cost about four times as
    much (bench/bench_fanout.py)."""

    def __init__(
        self,
        app: ASGIApp,
        refusal: Callable[[Request], Response | None],
        stamp: Callable[[MutableHeaders], None],
    ) -> None:
        self.app, self.refusal, self.stamp = app, refusal, stamp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.stamp(MutableHeaders(scope=message))
            await send(message)

        refused = self.refusal(Request(scope))
        if refused is not None:
            await refused(scope, receive, stamped)
        else:
            await self.app(scope, receive, stamped)


def create_app(
    settings: ServerSettings,
    database: Database | None = None,
    clock: Clock | None = None,
    *,
    background: bool = True,
) -> FastAPI:
    """``background=False`` leaves the SLA sweeper to the caller (unit tests).

    Raises ``SchemaError`` when the database is not at this code's schema revision (an empty
    one is created by the migrations)."""
    database = database or Database(settings.database_url)
    prepare(database.engine)
    clock = clock or system_clock()
    policy = EscalationPolicy(
        default_limit=settings.complaint_limit, limits=dict(settings.category_limits)
    )
    broker = EventBroker(database, settings.event_poll_s)
    sweeper = SlaSweeper(database, clock, policy, settings.sla_interval_s)
    caller = DemoCaller(database, settings.demo_calls) if settings.demo_calls else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await broker.start()
        if background:
            await sweeper.start()
        if caller is not None:
            await caller.start()
        try:
            yield
        finally:
            if caller is not None:  # first: its call ends with a BYE, not a dead peer
                await caller.stop()
            await sweeper.stop()
            await broker.stop()

    app = FastAPI(title="Agent Workstation backend", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    app.state.database = database
    app.state.clock = clock
    app.state.escalation_policy = policy
    app.state.broker = broker
    app.state.sla = sweeper
    install_error_handlers(app)

    def stamp(headers: MutableHeaders) -> None:
        # The server's time on every answer: a desk whose PC clock is off corrects to it.
        headers["Date"] = format_datetime(clock.now(), usegmt=True)
        headers[contract.HEADER] = str(contract.CONTRACT)

    def refusal(request: Request) -> Response | None:
        """The answer to a request refused before any route, else None."""
        if "transfer-encoding" in request.headers:
            # A chunked body has no length to check up front, and our clients always send one.
            return error_response(
                411,
                ErrorCode.LENGTH_REQUIRED,
                "Send the request body with a Content-Length header.",
            )
        try:
            desk = contract.parse_version(request.headers.get(contract.HEADER))
        except contract.ContractVersionError as exc:
            return error_response(400, ErrorCode.BAD_CONTRACT_HEADER, str(exc), contract.HEADER)
        if not contract.serves_desk(contract.CONTRACT, desk) or desk < settings.oldest_desk:
            return error_response(
                426,
                ErrorCode.DESK_TOO_OLD,
                f"This desk speaks contract {desk}; this server needs {settings.oldest_desk} "
                "or later. Update Agent Workstation.",
            )
        length = request.headers.get("content-length", "0")
        if not length.isdigit() or int(length) > settings.max_body_bytes:
            return error_response(
                413,
                ErrorCode.BODY_TOO_LARGE,
                f"The request body exceeds {settings.max_body_bytes} bytes.",
            )
        for name, value in request.query_params.multi_items():
            # Before any route: PostgreSQL cannot compare text with a NUL in it (a 500), and
            # no search term or number needs a control character.
            for text in (name, value):
                try:
                    refuse_control_characters(text)
                except ValueError as exc:
                    return error_response(422, ErrorCode.INVALID_REQUEST, f"{name}: {exc}", name)
        return None

    app.add_middleware(Gate, refusal=refusal, stamp=stamp)

    for module in (
        health,
        auth,
        customers,
        assets,
        interactions,
        tickets,
        dispatches,
        knowledge,
        people,
        wallboard,
        monitor,
        feed,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    return app
