"""What every request passes before a route: the contract version, the body's size, query text.

And what every answer carries: the server's time in ``Date`` (from the injected clock; desks
align to it) and the contract this server speaks. The desk's contract version is read here
once and left on ``request.state.desk_contract`` (``api.deps.DeskContract``).

Plain ASGI, not ``@app.middleware("http")``: that passes every chunk of a streamed body
through an extra task, which made each event on 200 open streams cost about four times as
much (bench/bench_fanout.py).
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import format_datetime

from fastapi import FastAPI, Request, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server_stub.api.errors import error_response
from server_stub.clock import Clock
from server_stub.core.config import ServerSettings
from server_stub.portal.limits import PORTAL_MAX_BODY_BYTES, PORTAL_PREFIX, too_large_page
from sync.contract import release as desk_release
from sync.contract import version as contract
from sync.contract.errors import ErrorCode
from sync.contract.wire import refuse_control_characters


class Gate:
    """Refuses what no route should see and stamps every answer."""

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


def install_gate(app: FastAPI, settings: ServerSettings, clock: Clock) -> None:
    # Which desks are current, on every answer: any call a desk makes tells it (contract 1.5).
    releases = desk_release.headers_for(
        desk_release.DeskRelease(
            newest=settings.newest_desk,
            oldest=settings.oldest_desk,
            oldest_next=settings.oldest_desk_next,
            next_from=settings.oldest_desk_next_from,
        )
    )

    def stamp(headers: MutableHeaders) -> None:
        # The server's time on every answer: a desk whose PC clock is off corrects to it.
        headers["Date"] = format_datetime(clock.now(), usegmt=True)
        headers[contract.HEADER] = str(contract.CONTRACT)
        for name, value in releases.items():
            headers[name] = value

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
        # Read once here (kept in the request's scope); a route that serves older desks
        # differently asks for it (api.deps.DeskContract) rather than parse the header again.
        request.state.desk_contract = desk
        if not contract.serves_desk(contract.CONTRACT, desk) or desk < settings.oldest_desk:
            return error_response(
                426,
                ErrorCode.DESK_TOO_OLD,
                f"This desk speaks contract {desk}; this server needs {settings.oldest_desk} "
                "or later. Update Agent Workstation.",
            )
        length = request.headers.get("content-length", "0")
        if request.url.path.startswith(PORTAL_PREFIX):
            # The customer portal's forms carry photos: their own limit, said in a page.
            if not length.isdigit() or int(length) > PORTAL_MAX_BODY_BYTES:
                return too_large_page()
        elif not length.isdigit() or int(length) > settings.max_body_bytes:
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
