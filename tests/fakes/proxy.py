"""An HTTP proxy on loopback that breaks the connection to the backend in the ways networks do.

Modes: ``pass`` (forward), ``down`` (close every connection unanswered: the server is
unreachable), and one-shot faults queued with ``fail_next``: ``drop_response`` (the backend
gets the request and commits, the desktop never hears back), ``html`` (a proxy's error page),
``truncated`` (half a JSON body), ``wrong_type`` (JSON labelled text/html), ``http502``,
``cut`` (the full length announced, half the body sent, the connection closed), ``corrupt``
(one byte in the middle of the body changed), ``busy`` (the backend's own 503 ``server_busy``
with Retry-After, as its pull gate or an exhausted pool answers; nothing is forwarded). A
first-sync snapshot's own headers (``X-AW-Snapshot-*``, ``ETag``) are passed on.
A broken route (``break_route``) answers every request to it with a 500 of the backend's own
kinds, without forwarding it (nothing commits): ``json500`` (an error body) or ``plain500``
(Starlette's "Internal Server Error" page for an unhandled exception), or ``missing`` (sent on
to a path the backend does not serve: its own 404, as from a server before that route); the
rest still passes.
``hold_write(n)``: the n-th write (not a GET) from now is forwarded and commits, and its answer
is held back (``holding`` is set) until ``release()``, which closes the connection unanswered:
the desk can be killed while it waits for an answer it will never get. ``strip_keys`` (methods)
sends those writes without their ``Idempotency-Key``: a server that does not replay them.
Streaming answers (server-sent events) are not proxied; the event stream connects directly.

A batch (``POST /api/v1/batch``) is seen through: each operation is a write of its own to
``writes()``, ``strip_keys`` and ``break_route``. A broken route inside a batch answers as the
backend does for an operation it fails: the other operations are forwarded (as a batch) and
answered, the broken one gets the 500 in its place.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FAULTS = (
    "drop_response",
    "html",
    "truncated",
    "wrong_type",
    "http502",
    "cut",
    "corrupt",
    "busy",
)
# The backend's own answer when it is too busy (a pool with no connection free, or the pull
# gate's queue full: server_stub/api/pull_gate.py), with its Retry-After.
BUSY = json.dumps(
    {
        "code": "server_busy",
        "message": "The server is busy; the request will be sent again.",
        "field": None,
    }
).encode()
API = "/api/v1"
# Answer headers passed on besides the snapshot's: the tus upload's (issue 20: the offset, the
# upload's address).
PASSED_HEADERS = frozenset({"etag", "upload-offset", "upload-length", "location", "tus-resumable"})
BATCH = f"{API}/batch"
BATCH_CONTRACT = "1.2"


def _faulted(fault: str | None, status: int, kind: str, data: bytes) -> tuple[int, str, bytes]:
    """The answer as a one-shot fault changes it (``cut`` is applied as it is sent)."""
    if fault == "html":
        return 502, "text/html", b"<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"
    if fault == "truncated":
        return status, kind, data[: max(1, len(data) // 2)]
    if fault == "wrong_type":
        return status, "text/html", data
    if fault == "http502":
        return 502, "text/plain", b"Bad Gateway"
    if fault == "corrupt" and data:
        middle = len(data) // 2
        return status, kind, data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
    return status, kind, data


class FaultProxy:
    def __init__(self, target_url: str) -> None:
        self.target = target_url
        self.mode = "pass"
        # Set: the contract version said to the desk instead of the server's (an older server).
        self.speaks: str | None = None
        self._faults: deque[str] = deque()
        self._lock = threading.Lock()
        self.forwarded: list[tuple[str, str, int]] = []  # method, path, status the backend gave
        self.broken: dict[tuple[str, str], str] = {}  # (method, path) -> json500 | plain500
        self.failed_here: list[tuple[str, str]] = []  # requests a broken route answered
        self.strip_keys: set[str] = set()  # methods whose Idempotency-Key is not forwarded
        self._hold_in = 0  # writes to let through before the one to hold (0: none armed)
        self.holding = threading.Event()  # a write committed, its answer held back
        self._released = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if proxy.mode == "down":
                    self.close_connection = True
                    self.connection.close()
                    return
                broken = proxy.broken.get((self.command, self.path))
                path = self.path
                if broken == "missing":  # the backend's own answer to a route it lacks
                    path = "/api/v1/no-such-route"
                elif broken is not None:
                    self._broken(broken)
                    return
                if self.command == "POST" and self.path == BATCH and body:
                    body = self._batch_seen_through(body)
                    if body is None:
                        return
                hold = proxy._take_hold(self.command)
                fault = None if hold else proxy._take_fault()  # a held write has its own fate
                if fault == "busy":  # refused before any route: nothing forwarded or committed
                    with proxy._lock:
                        proxy.failed_here.append((self.command, self.path))
                    self._send(
                        503, "application/json", BUSY, BATCH_CONTRACT, [("Retry-After", "1")]
                    )
                    return
                target = urlsplit(proxy.target)
                upstream = http.client.HTTPConnection(
                    target.hostname or "127.0.0.1", target.port, timeout=30
                )
                headers = proxy._forwarded_headers(self.command, dict(self.headers.items()))
                try:
                    upstream.request(self.command, path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                except OSError:
                    self.close_connection = True
                    self.connection.close()
                    return
                finally:
                    upstream.close()
                with proxy._lock:
                    proxy._count(self.command, self.path, answer.status, body, data)
                if hold:
                    proxy.holding.set()
                    # Bounded: a test that forgets to release must not leave the thread for ever.
                    proxy._released.wait(timeout=120)
                if hold or fault == "drop_response":
                    self.close_connection = True
                    self.connection.close()
                    return
                status, kind, data = _faulted(
                    fault, answer.status, answer.getheader("Content-Type", ""), data
                )
                passed = [
                    (name, value)
                    for name, value in answer.getheaders()
                    if name.lower().startswith("x-aw-snapshot") or name.lower() in PASSED_HEADERS
                ]
                said = proxy.speaks or answer.getheader("X-AW-Contract")
                self._send(status, kind, data, said, passed, fault == "cut")

            def _batch_seen_through(self, body: bytes) -> bytes | None:
                """The batch to forward; None when it is answered here (a broken route)."""
                body, broken_ops = proxy._see_through(body)
                if not broken_ops:
                    return body
                self._answer_cut_batch(body, broken_ops)
                return None

            def _answer_cut_batch(self, body: bytes, broken: dict[int, str]) -> None:
                """The operations not broken forwarded, the broken ones answered 500 in their
                places: what the backend answers when it fails some operations (404 for a
                route "missing": what a server of an older contract answers)."""
                operations = json.loads(body)["operations"]
                passed = [op for i, op in enumerate(operations) if i not in broken]
                answered: list[dict[str, object]] = []
                if passed:
                    sent = json.dumps({"operations": passed}).encode()
                    answered = proxy._forward_batch(sent, dict(self.headers.items()))
                results: list[dict[str, object]] = []
                for index in range(len(operations)):
                    if broken.get(index) == "missing":  # as the backend answers a route it lacks
                        missing = {"code": "not_found", "message": "Not Found"}
                        results.append({"status": 404, "body": missing})
                    elif index in broken:
                        error = {
                            "code": "internal_error",
                            "message": "The database refused the row.",
                        }
                        results.append(
                            {"status": 500, "body": error if broken[index] == "json500" else None}
                        )
                    else:
                        results.append(answered.pop(0))
                self._send(
                    200,
                    "application/json",
                    json.dumps({"results": results}).encode(),
                    BATCH_CONTRACT,
                )

            def _send(
                self,
                status: int,
                kind: str,
                data: bytes,
                contract: str | None,
                passed: list[tuple[str, str]] | None = None,
                cut: bool = False,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                if contract:  # what the server speaks: a desk batches its writes to 1.2
                    self.send_header("X-AW-Contract", contract)
                self.send_header("Connection", "close")
                for name, value in passed or ():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data[: len(data) // 2] if cut else data)
                self.close_connection = True

            def _broken(self, kind: str) -> None:
                with proxy._lock:
                    proxy.failed_here.append((self.command, self.path))
                if kind == "json500":
                    kind = "application/json"
                    data = b'{"code":"internal_error","message":"The database refused the row."}'
                else:
                    kind, data = "text/plain; charset=utf-8", b"Internal Server Error"
                self.send_response(500)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)
                self.close_connection = True

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _handle  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def fail_next(self, fault: str, times: int = 1) -> None:
        assert fault in FAULTS, fault
        with self._lock:
            self._faults.extend([fault] * times)

    def break_route(self, method: str, path: str, kind: str = "json500") -> None:
        """Every ``method path`` (``/api/v1/…``) answers 500 from now on; ``mend`` ends it."""
        assert kind in ("json500", "plain500", "missing"), kind
        self.broken[(method, path)] = kind

    def mend(self) -> None:
        self.broken.clear()

    def hold_write(self, nth: int = 1) -> None:
        """Hold back the answer of the ``nth`` write from now (see the module's text)."""
        assert nth >= 1, nth
        with self._lock:
            self._hold_in = nth
            self.holding.clear()
            self._released.clear()

    def release(self) -> None:
        """Close a held answer's connection unanswered, and disarm a hold not reached."""
        with self._lock:
            self._hold_in = 0
        self._released.set()

    def _see_through(self, body: bytes) -> tuple[bytes, dict[int, str]]:
        """A batch with ``strip_keys`` applied to its operations, and its operations a broken
        route answers (index: kind)."""
        request = json.loads(body)
        operations = request["operations"]
        broken: dict[int, str] = {}
        for index, operation in enumerate(operations):
            if operation["method"] in self.strip_keys:
                operation.pop("key", None)
            kind = self.broken.get((operation["method"], API + operation["path"]))
            if kind is not None:
                broken[index] = kind
                with self._lock:
                    self.failed_here.append((operation["method"], API + operation["path"]))
        return json.dumps(request).encode(), broken

    def _forward_batch(self, body: bytes, headers: dict[str, str]) -> list[dict[str, object]]:
        target = urlsplit(self.target)
        upstream = http.client.HTTPConnection(
            target.hostname or "127.0.0.1", target.port, timeout=30
        )
        try:
            upstream.request(
                "POST", BATCH, body=body, headers=self._forwarded_headers("POST", headers)
            )
            data = upstream.getresponse().read()
        finally:
            upstream.close()
        with self._lock:
            self._count_batch(body, data)
        results: list[dict[str, object]] = json.loads(data)["results"]
        return results

    def _count(self, method: str, path: str, status: int, body: bytes | None, data: bytes) -> None:
        if path == BATCH and status == 200 and body:
            self._count_batch(body, data)
        else:
            self.forwarded.append((method, path, status))

    def _count_batch(self, body: bytes, answer: bytes) -> None:
        """Each operation of a batch the backend answered, as a write of its own."""
        operations = json.loads(body)["operations"]
        for operation, result in zip(operations, json.loads(answer)["results"], strict=True):
            if result["status"]:
                self.forwarded.append(
                    (operation["method"], API + operation["path"], result["status"])
                )

    def _forwarded_headers(self, method: str, headers: dict[str, str]) -> dict[str, str]:
        dropped = {"host", "connection", "content-length"}  # http.client counts the body
        if method in self.strip_keys:
            dropped.add("idempotency-key")
        return {k: v for k, v in headers.items() if k.lower() not in dropped}

    def _take_hold(self, method: str) -> bool:
        if method in ("GET", "HEAD"):
            return False
        with self._lock:
            if not self._hold_in:
                return False
            self._hold_in -= 1
            return self._hold_in == 0

    def _take_fault(self) -> str | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def writes(self) -> list[tuple[str, str, int]]:
        with self._lock:
            return [f for f in self.forwarded if f[0] != "GET"]

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
