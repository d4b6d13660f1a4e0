"""uvicorn's HTTP/1.1 protocol, with its one answer of its own in the project's error shape.

A request that cannot be parsed as HTTP at all (a bad request line, a header with bytes h11
refuses, a broken chunk) never reaches the app: uvicorn answers it by itself with a plain-text
400 ("Invalid HTTP request received."). Every other refusal is a ``wire.ErrorBody``; a client
should never need a second parser for one case. ``send_400_response`` is the hook uvicorn's
protocol exposes for exactly this answer (uvicorn is pinned in requirements.lock;
tests/integration/test_raw_http.py fails if the hook stops being called).
"""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from sync.contract.errors import ErrorCode
from sync.contract.wire import ErrorBody


def unreadable_request_body(reason: str) -> bytes:
    message = f"The request could not be read as HTTP/1.1 ({reason.rstrip('.')})."
    return ErrorBody(code=ErrorCode.BAD_REQUEST, message=message).model_dump_json().encode()


class ErrorShapedH11(H11Protocol):
    def send_400_response(self, msg: str) -> None:
        if self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            # The answer to this connection's last request is already out (e.g. bytes after a
            # "Connection: close" request): nothing may follow it but the close.
            self.transport.close()
            return
        body = unreadable_request_body(msg)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode("ascii")),
            (b"connection", b"close"),
        ]
        for chunk in (
            self.conn.send(h11.Response(status_code=400, headers=headers, reason=b"Bad Request")),
            self.conn.send(h11.Data(data=body)),
            self.conn.send(h11.EndOfMessage()),
        ):
            if chunk:
                self.transport.write(chunk)
        if self.cycle and not self.cycle.response_complete:
            # The headers were read and the app is already handling the request (a broken
            # chunk came later): this 400 is the answer; the app's own must go nowhere.
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        self.transport.close()
