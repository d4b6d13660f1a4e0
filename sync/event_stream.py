"""The server's event stream (server-sent events): presence, queue counters, escalations,
monitor grants. It reconnects by itself with backoff and resumes from the last event id, so a
network drop or a server restart loses no event and repeats none.

Runs on its own thread; ``on_event`` and ``on_state`` are called there (the Qt adapter turns
them into signals).
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterable, Iterator

import requests
from pydantic import ValidationError

from sync.client import normalise_server_url
from sync.contract.wire import API_PREFIX, EventOut
from sync.engine import Backoff

log = logging.getLogger(__name__)

# The server sends a keep-alive comment every 15 s; silence for longer means a dead link.
READ_TIMEOUT_S = 45.0
# Reconnects: 1 s, 2 s, 4 s … up to 30 s, jittered so a centre's desks do not come back as one.
STREAM_BACKOFF = Backoff(1.0, 30.0)


def parse_sse(lines: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """(id, event, data) for each event in a text/event-stream (WHATWG's format).

    A block with an ``id:`` and no data (the server's resync, which ends a stream that fell
    behind) is yielded with empty data: as in a browser, it still moves the last event id."""
    event_id, kind = "", "message"
    data: list[str] = []
    id_seen = False
    for line in lines:
        if line == "":
            if data or id_seen:
                yield event_id, kind, "\n".join(data)
            kind, data, id_seen = "message", [], False
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "id":
            event_id, id_seen = value, True
        elif name == "event":
            kind = value
        elif name == "data":
            data.append(value)


class EventStream:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        on_event: Callable[[EventOut], None],
        on_state: Callable[[str], None] = lambda _s: None,
        last_id: int | None = None,
        verify: bool | str = True,
        backoff: Backoff | None = None,
    ) -> None:
        self._url = f"{normalise_server_url(base_url)}{API_PREFIX}/events"
        self._token = token
        self._on_event = on_event
        self._on_state = on_state
        self.last_id = last_id
        self._backoff = backoff or STREAM_BACKOFF
        self._http = requests.Session()
        self._http.verify = verify
        self._stopping = threading.Event()
        self._response: requests.Response | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="event-stream", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stopping.set()
        response = self._response
        if response is not None:
            # Shutting the socket down wakes the reading thread at once (closing the response
            # from here would wait for the next keep-alive).
            sock = getattr(getattr(response.raw, "connection", None), "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=timeout_s)
        self._http.close()

    def _loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                state = self._listen()
                failures = 0
                if state == "signed_out":
                    self._on_state("signed_out")
                    return  # a new sign-in starts a new stream
            except (requests.RequestException, ValueError, OSError, AttributeError) as exc:
                if self._stopping.is_set():
                    return
                failures += 1
                wait = self._backoff.delay(failures)
                log.info("events: disconnected (%s); reconnecting in %.1f s", exc, wait)
                self._on_state("reconnecting")
                self._stopping.wait(wait)

    def _listen(self) -> str:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "text/event-stream"}
        if self.last_id is not None:
            headers["Last-Event-ID"] = str(self.last_id)
        with self._http.get(
            self._url, headers=headers, stream=True, timeout=(10, READ_TIMEOUT_S)
        ) as response:
            self._response = response
            if response.status_code == 401:
                return "signed_out"
            kind = response.headers.get("Content-Type", "")
            if response.status_code != 200 or not kind.startswith("text/event-stream"):
                raise ValueError(f"HTTP {response.status_code} {kind!r} instead of an event stream")
            self._on_state("connected")
            lines = response.iter_lines(decode_unicode=True)
            for event_id, _kind, data in parse_sse(line or "" for line in lines):
                if self._stopping.is_set():
                    return "stopped"
                if not data:
                    self._resume_from(event_id)
                    continue
                try:
                    event = EventOut.read(json.loads(data))
                except (ValueError, ValidationError):
                    log.warning("events: skipped an unreadable event %r", event_id)
                    continue
                if self.last_id is not None and event.id <= self.last_id:
                    continue  # already seen (a replay after reconnect)
                self.last_id = event.id
                self._on_event(event)
        return "closed"  # the server ended the stream (its timeout): reconnect at once

    def _resume_from(self, event_id: str) -> None:
        """An id without an event: where to resume (a resync names the last event sent on
        this stream). Matters for a desk that has not read an event yet, which would
        otherwise reconnect from "now" and miss what the server sent while it was behind."""
        if event_id.isdigit() and (self.last_id is None or int(event_id) > self.last_id):
            self.last_id = int(event_id)
