"""The event stream reconnects by itself and resumes from the last event id."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
import requests

from sync.contract.wire import EventOut
from sync.engine import Backoff
from sync.event_stream import EventStream, parse_sse
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until
from tests.sync.conftest import login


def wait_for(condition: Callable[[], bool], timeout_s: float = 15) -> None:
    wait_until(condition, timeout_s, "the event stream")


def set_presence(url: str, token: str, state: str, reason: str = "") -> None:
    answer = requests.put(
        f"{url}/api/v1/presence/me",
        json={"state": state, "reason": reason},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    answer.raise_for_status()


def test_parse_sse_follows_the_format() -> None:
    text = 'retry: 2000\n: comment\n\nid: 7\nevent: presence\ndata: {"a":\ndata: 1}\n\n'
    assert list(parse_sse(text.split("\n"))) == [("7", "presence", '{"a":\n1}')]


def test_an_id_without_data_is_yielded_with_empty_data() -> None:
    text = "retry: 250\nid: 41\n: resync: this stream fell behind\n\n: keep-alive\n\n"
    assert list(parse_sse(text.split("\n"))) == [("41", "message", "")]


class _Resyncing(BaseHTTPRequestHandler):
    """The first stream ends at once with the broker's resync frame; later ones stay empty."""

    protocol_version = "HTTP/1.1"
    asked: ClassVar[list[str | None]] = []

    def do_GET(self) -> None:
        self.asked.append(self.headers.get("Last-Event-ID"))
        body = b"retry: 250\nid: 41\n: resync\n\n" if len(self.asked) == 1 else b": idle\n\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def resyncing() -> Iterator[tuple[str, list[str | None]]]:
    asked: ClassVar[list[str | None]] = []
    handler = type("Handler", (_Resyncing,), {"asked": asked})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", asked
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_resync_moves_the_last_id_of_a_desk_that_has_read_no_event(
    resyncing: tuple[str, list[str | None]],
) -> None:
    url, asked = resyncing
    stream = EventStream(url, "t", on_event=lambda _e: None, backoff=Backoff(0.05, 0.1))
    stream.start()
    try:
        wait_for(lambda: len(asked) >= 2)
    finally:
        stream.stop()
    # It reconnected from where the server said it had sent up to, not from "now".
    assert asked[:2] == [None, "41"]
    assert stream.last_id == 41


def test_the_stream_survives_a_server_restart_and_misses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "server.sqlite"
    backend = LiveBackend(db)
    port = urlsplit(backend.url).port or 0
    lead = login(backend.url, "zhangwei")
    agent = login(backend.url, "wangfang")
    events: list[EventOut] = []
    states: list[str] = []
    lock = threading.Lock()

    def seen(event: EventOut) -> None:
        with lock:
            events.append(event)

    stream = EventStream(
        backend.url, lead, on_event=seen, on_state=states.append, backoff=Backoff(0.5, 1.0)
    )
    stream.start()
    try:
        wait_for(lambda: "connected" in states)
        set_presence(backend.url, agent, "ready")
        wait_for(lambda: len(events) == 1)
        backend.stop()
        wait_for(lambda: "reconnecting" in states)
        backend = LiveBackend(db, seed=False, port=port)
        # Raised while the lead's stream is still away: it must arrive after the reconnect.
        set_presence(backend.url, agent, "not_ready", "培训 training")
        set_presence(backend.url, agent, "ready")
        wait_for(lambda: len(events) == 3)
        # Nothing repeated behind them: a last event comes through, and nothing before it.
        set_presence(backend.url, agent, "not_ready", "last")
        wait_for(lambda: len(events) >= 4)
        assert len(events) == 4, [(e.id, e.kind) for e in events]
        last = events.pop()
        assert last.data["reason"] == "last"
        kinds = [(e.kind, e.data["state"]) for e in events]
        assert kinds == [("presence", "ready"), ("presence", "not_ready"), ("presence", "ready")]
        assert [e.id for e in events] == sorted({e.id for e in events})  # in order, no repeat
        assert events[1].data["reason"] == "培训 training"
        assert stream.last_id == last.id
    finally:
        stream.stop()
        backend.stop()
