"""App factory: wires settings, database, error handlers and routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from server_stub import __version__
from server_stub.api.errors import error_response, install_error_handlers
from server_stub.api.routes import auth, health
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.models import Base
from sync.wire import API_PREFIX


def create_app(settings: ServerSettings, database: Database | None = None) -> FastAPI:
    database = database or Database(settings.database_url)
    Base.metadata.create_all(database.engine)
    app = FastAPI(title="Agent Workstation backend", version=__version__)
    app.state.settings = settings
    app.state.database = database
    install_error_handlers(app)

    @app.middleware("http")
    async def limit_body_size(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length", "0")
        if not length.isdigit() or int(length) > settings.max_body_bytes:
            return error_response(
                413, "body_too_large", f"The request body exceeds {settings.max_body_bytes} bytes."
            )
        return await call_next(request)

    app.include_router(health.router, prefix=API_PREFIX)
    app.include_router(auth.router, prefix=API_PREFIX)
    return app
