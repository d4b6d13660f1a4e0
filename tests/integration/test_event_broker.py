"""Event streams through the broker, on a real server (uvicorn on loopback) with desks' own
event-stream readers: many streams hold no database connection, each desk sees only its
teams' events, a stalled reader is told to resync while the others go on, and a broker that
stopped or lost its LISTEN connection delivers what was written meanwhile."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from server_stub.broker import LISTENER_NAME, READ_BATCH, EventBroker, latest_event_id
from server_stub.clock import system_clock
from server_stub.core.db import Database
from server_stub.feed import raise_event
from server_stub.seed import DEMO_PASSWORD
from sync.contract.events import QuestionData
from sync.contract.wire import EventOut
from sync.event_stream import EventStream
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until


def login(base: str, user: str) -> str:
    answer = requests.post(
        f"{base}/api/v1/auth/login",
        json={"username": user, "password": DEMO_PASSWORD},
        timeout=10,
    )
    answer.raise_for_status()
    return str(answer.json()["token"])


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Desk:
    """A desk's own event-stream reader (reconnects and resumes by itself), recording events."""

    def __init__(self, base: str, token: str) -> None:
        self.events: list[EventOut] = []
        self.states: list[str] = []
        self.stream = EventStream(
            base, token, on_event=self.events.append, on_state=self.states.append
        )
        self.stream.start()

    @property
    def connected(self) -> bool:
        return "connected" in self.states

    def ids(self, kind: str | None = None) -> list[int]:
        return [e.id for e in list(self.events) if kind is None or e.kind == kind]

    def stop(self) -> None:
        self.stream.stop()


@pytest.fixture
def desks() -> Iterator[list[Desk]]:
    opened: list[Desk] = []
    yield opened
    for desk in opened:
        desk.stop()


def open_desks(into: list[Desk], base: str, tokens: list[str], count: int) -> list[Desk]:
    new = [Desk(base, tokens[n % len(tokens)]) for n in range(count)]
    into.extend(new)
    wait_until(lambda: all(d.connected for d in new), 30, f"{count} event streams to open")
    return new


def presence(base: str, token: str, reason: str) -> int:
    """Set the caller's presence; the answer's status."""
    return requests.put(
        f"{base}/api/v1/presence/me",
        json={"state": "not_ready", "reason": reason},
        headers=auth(token),
        timeout=30,
    ).status_code


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveBackend]:
    if request.param == "sqlite":
        live = LiveBackend(tmp_path / "server.sqlite")
    else:
        server: Any = request.getfixturevalue("postgres_server")
        live = LiveBackend(database_url=server.create_database("broker_many"))
    yield live
    live.stop()


def test_sixty_streams_hold_no_connection_while_requests_and_writes_go_on(
    backend: LiveBackend, desks: list[Desk]
) -> None:
    # The default pool (5 + 10): before the broker, the 16th stream left requests waiting.
    team = [login(backend.url, u) for u in ("wangfang", "alice", "zhangwei")]
    streams = open_desks(desks, backend.url, team, 60)
    assert backend.app.state.broker.streams == 60
    for n in range(5):
        me = requests.get(f"{backend.url}/api/v1/me", headers=auth(team[n % 3]), timeout=30)
        assert me.status_code == 200
        assert presence(backend.url, team[1], f"break {n}") == 200
    wait_until(
        lambda: all(len(d.ids("presence")) == 5 for d in streams),
        30,
        lambda: f"every stream to get 5 presence events: {[len(d.ids()) for d in streams]}",
    )
    first = streams[0].ids("presence")
    assert all(d.ids("presence") == first for d in streams)  # once each, in order


def test_a_desk_never_sees_another_teams_events(tmp_path: Path, desks: list[Desk]) -> None:
    backend = LiveBackend(tmp_path / "server.sqlite")
    try:
        tokens = {u: login(backend.url, u) for u in ("alice", "lina", "tom", "admin")}
        alice, lina, admin = (
            open_desks(desks, backend.url, [tokens[u]], 1)[0] for u in ("alice", "lina", "admin")
        )
        assert presence(backend.url, tokens["alice"], "team 0") == 200
        assert presence(backend.url, tokens["tom"], "team 1") == 200
        wait_until(lambda: len(admin.ids("presence")) == 2, 10, "the admin to see both teams")
        wait_until(lambda: len(alice.ids("presence")) == 1, 10, "alice to see her team's")
        wait_until(lambda: len(lina.ids("presence")) == 1, 10, "lina to see her team's")
        # The one event after both, for everyone: past it, nothing more can be on its way.
        assert presence(backend.url, tokens["lina"], "team 1 again") == 200
        wait_until(lambda: len(admin.ids("presence")) == 3, 10, "the admin's third event")
        wait_until(lambda: len(lina.ids("presence")) == 2, 10, "lina's second")
        reasons = {
            name: [e.data["reason"] for e in desk.events if e.kind == "presence"]
            for name, desk in (("alice", alice), ("lina", lina))
        }
        assert reasons == {"alice": ["team 0"], "lina": ["team 1", "team 1 again"]}
    finally:
        backend.stop()


def open_stalled_stream(base: str, token: str) -> socket.socket:
    """An event stream whose reader never reads: a tiny receive window, so the server's
    writes back up at once."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    host, port = base.removeprefix("http://").split(":")
    sock.connect((host, int(port)))
    sock.sendall(
        f"GET /api/v1/events?timeout_s=120 HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    return sock


def read_to_end(sock: socket.socket) -> str:
    sock.settimeout(30)
    chunks = []
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    while chunk := sock.recv(65536):
        chunks.append(chunk)
        if chunks[-1].endswith(b"0\r\n\r\n"):  # the chunked body's end
            break
    return b"".join(chunks).decode()


def test_a_stalled_reader_is_told_to_resync_and_the_others_keep_receiving(
    tmp_path: Path, desks: list[Desk]
) -> None:
    backend = LiveBackend(tmp_path / "server.sqlite")
    broker: EventBroker = backend.app.state.broker
    try:
        token = login(backend.url, "alice")
        team = requests.get(f"{backend.url}/api/v1/me", headers=auth(token), timeout=10)
        team_id = int(team.json()["user"]["team"]["id"])
        reader = open_desks(desks, backend.url, [token], 1)[0]
        # Above one read's batch, so only a reader that stopped reading can fall this far behind.
        broker.max_pending = READ_BATCH + 100
        stalled = open_stalled_stream(backend.url, token)
        wait_until(lambda: broker.streams == 2, 10, "the stalled stream to subscribe")
        large = "长" * 4000  # large events fill the stalled stream's socket buffers sooner
        written = 0
        with backend.database.session() as session:
            while broker.resyncs == 0:
                assert written < 20_000, "the stalled stream never fell behind"
                for _ in range(25):
                    written += 1
                    payload = QuestionData(question_id=written, text=large)
                    raise_event(session, payload, now=system_clock().now(), team_id=team_id)
                session.commit()
                # Read before the next commit: one stalled stream, not one read too large.
                upto = latest_event_id(backend.database)

                def read(upto: int = upto) -> bool:
                    return broker.last_id >= upto

                wait_until(read, 10, "the broker to read them")
        for _ in range(3):  # the others go on receiving after the resync
            assert presence(backend.url, token, "after") == 200
        wait_until(
            lambda: len(reader.ids()) == written + 3,
            30,
            lambda: f"the reading desk to get all {written + 3}: {len(reader.ids())}",
        )
        everything = reader.ids()
        assert everything == sorted(set(everything))
        assert broker.streams == 1  # the stalled stream is offered nothing more

        text = read_to_end(stalled)  # now it reads: what was sent, then the resync, the end
        got = [int(n) for n in re.findall(r"^id: (\d+)$", text, re.MULTILINE)]
        assert ": resync" in text
        resync_id = got.pop()  # the resync frame names the last id sent
        assert got == everything[: len(got)]
        assert resync_id == got[-1]
        # Reconnecting from its last id, it catches up from the database: nothing lost.
        rest = requests.get(
            f"{backend.url}/api/v1/events",
            params={"timeout_s": 0.5},
            headers={**auth(token), "Last-Event-ID": str(resync_id)},
            timeout=30,
        )
        more = [int(n) for n in re.findall(r"^id: (\d+)$", rest.text, re.MULTILINE)]
        assert got + more == everything
    finally:
        backend.stop()


def run_on_loop(broker: EventBroker, what: str) -> None:
    assert broker.loop is not None
    coroutine = broker.stop() if what == "stop" else broker.start()
    asyncio.run_coroutine_threadsafe(coroutine, broker.loop).result(timeout=30)


def test_a_restarted_broker_delivers_what_was_written_while_it_was_stopped(
    tmp_path: Path, desks: list[Desk]
) -> None:
    backend = LiveBackend(tmp_path / "server.sqlite")
    broker: EventBroker = backend.app.state.broker
    try:
        token = login(backend.url, "alice")
        desk = open_desks(desks, backend.url, [token], 1)[0]
        run_on_loop(broker, "stop")
        seen_up_to = broker.last_id
        for n in range(3):
            assert presence(backend.url, token, f"while stopped {n}") == 200
        assert broker.last_id == seen_up_to  # nothing read while stopped
        run_on_loop(broker, "start")
        wait_until(lambda: len(desk.ids("presence")) == 3, 10, "the three events to arrive")
        assert presence(backend.url, token, "after") == 200
        wait_until(lambda: len(desk.ids("presence")) == 4, 10, "the next one too")
    finally:
        backend.stop()


@pytest.fixture
def two_instances(postgres_server: Any) -> Iterator[tuple[LiveBackend, LiveBackend, str]]:
    url = postgres_server.create_database("broker_two")
    first = LiveBackend(database_url=url)
    second = LiveBackend(database_url=url, seed=False)
    yield first, second, url
    first.stop()
    second.stop()


@pytest.mark.slow
def test_two_instances_each_deliver_what_the_other_wrote_once(
    two_instances: tuple[LiveBackend, LiveBackend, str], desks: list[Desk]
) -> None:
    a, b, _url = two_instances
    lead_a, lead_b = login(a.url, "zhangwei"), login(b.url, "zhangwei")
    on_a = open_desks(desks, a.url, [lead_a], 3)
    on_b = open_desks(desks, b.url, [lead_b], 3)
    writers = [(a.url, login(a.url, "alice")), (b.url, login(b.url, "wangfang"))]
    for n in range(6):
        base, token = writers[n % 2]
        assert presence(base, token, f"write {n}") == 200
    everyone = on_a + on_b
    wait_until(
        lambda: all(len(d.ids("presence")) == 6 for d in everyone),
        20,
        lambda: f"every desk on both instances to get 6: {[len(d.ids()) for d in everyone]}",
    )
    assert len({tuple(d.ids("presence")) for d in everyone}) == 1  # same, once, in order


@pytest.mark.slow
def test_a_lost_listen_connection_reconnects_and_delivers_what_it_missed(
    two_instances: tuple[LiveBackend, LiveBackend, str], desks: list[Desk]
) -> None:
    a, _b, url = two_instances
    broker: EventBroker = a.app.state.broker
    assert broker.loop is not None
    broker.poll_s = 3600  # NOTIFY only: no safety poll to hide a lost LISTEN
    broker.loop.call_soon_threadsafe(broker.wake)
    desk = open_desks(desks, a.url, [login(a.url, "zhangwei")], 1)[0]
    team = requests.get(f"{a.url}/api/v1/me", headers=auth(login(a.url, "alice")), timeout=10)
    team_id = int(team.json()["user"]["team"]["id"])
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0].replace("postgresql+psycopg", "postgresql") + "/postgres"
    writer = Database(url)  # another process's writer, connected before the outage
    try:
        with writer.session() as session, psycopg.connect(admin_url, autocommit=True) as admin:
            session.connection()
            # The listener cannot reconnect until connections are allowed again.
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s AND datname = %s",
                [LISTENER_NAME, name],
            )
            raise_event(
                session,
                QuestionData(question_id=1, text="漏掉的"),
                now=system_clock().now(),
                team_id=team_id,
            )
            session.commit()
            assert broker.listens == 1  # still down: its reconnects are refused
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        wait_until(lambda: broker.listens >= 2, 20, "the LISTEN connection to come back")
        wait_until(lambda: desk.ids("kb.question"), 20, "the event written while it was down")
    finally:
        writer.dispose()
