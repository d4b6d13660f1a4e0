"""uvicorn, told to end the event streams first when it shuts down.

Event streams stay open for minutes. Left alone, uvicorn would wait for them (or cancel them
with an error after ``timeout_graceful_shutdown``); instead each stream is asked to finish,
its response ends cleanly, and the desktops reconnect with their last event id — to this
instance once restarted, or to another behind the load balancer.
"""

from __future__ import annotations

import socket

import uvicorn
from fastapi import FastAPI

from server_stub.http_protocol import ErrorShapedH11
from server_stub.logs import uvicorn_log_config

KEEP_ALIVE_S = 75  # nginx's default; longer than any desk's quiet spell at work


class ApiServer(uvicorn.Server):
    def __init__(self, app: FastAPI, host: str, port: int, log_level: str = "info") -> None:
        self.app = app
        super().__init__(
            uvicorn.Config(
                app,
                host=host,
                port=port,
                log_level=log_level,
                # uvicorn's lines through the root logger's handler (text or JSON, scrubbed).
                log_config=uvicorn_log_config(),
                timeout_graceful_shutdown=5,
                # A desk sends a request every few seconds (a call record every ~4 s at a
                # peak): with uvicorn's 5 s, the server closed idle connections just as desks
                # reused them (54 connection errors a minute at 400 desks).
                timeout_keep_alive=KEEP_ALIVE_S,
                # The app writes Date from its own clock, the one desks align to.
                date_header=False,
                # Even a request uvicorn cannot parse is refused in the project's error shape.
                http=ErrorShapedH11,
            )
        )

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.app.state.broker.close_streams()
        await super().shutdown(sockets)
