"""Bytes that are not HTTP get the one error shape too, from the real server on a socket."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.contract.errors import ErrorCode
from sync.contract.wire import ErrorBody
from tests.fakes.servers import LiveBackend

GARBAGE = (
    b"\x00\x01\x02 not http at all\r\n\r\n",
    b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n",
    b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Nul: a\x00b\r\n\r\n",
    b"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
)


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    server = LiveBackend(Path(tmp_path_factory.mktemp("raw")) / "server.sqlite")
    try:
        yield server
    finally:
        server.stop()


def exchange(backend: LiveBackend, sent: bytes) -> bytes:
    host, port = backend.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(sent)
        answer = b""
        # The server closes the connection after a 400 of its own: read to the end.
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("sent", GARBAGE)
def test_unparseable_requests_are_refused_in_the_error_shape(
    backend: LiveBackend, sent: bytes
) -> None:
    answer = exchange(backend, sent)
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n")[0]
    assert status_line.startswith(b"HTTP/1.1 400"), answer[:300]
    assert b"content-type: application/json" in head.lower()
    refusal = ErrorBody.model_validate_json(body)
    assert refusal.code == ErrorCode.BAD_REQUEST
    assert "could not be read as HTTP" in refusal.message


@pytest.mark.parametrize(
    "header",
    [b"X-Plain: 1", b"X-Obs-Text: \xff\xfe (legal, if odd, in a header value)"],
)
def test_a_readable_request_on_the_same_server_is_answered(
    backend: LiveBackend, header: bytes
) -> None:
    answer = exchange(
        backend,
        b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + header + b"\r\nConnection: close\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
