"""One simulated desk of the centre load test, and what all desks measure together.

A desk does what the real one does on the wire (``sync/client.py``, ``sync/event_stream.py``):
signs in, holds the event stream (``Last-Event-ID`` on every reconnect, the contract header
on every request), pushes presence changes, writes call records from an outbox in order (each
with its ``Idempotency-Key``, retried with the same key until the server answers), sends its
presence heartbeat (contract 1.4) and pulls the change feed. It keeps no cache: the point is
the server's load, not the desk's.

Markers: a call record's ``notes`` and a presence change's ``reason`` carry
``<run>-<desk>-<seq>`` so the bench can find each write on every stream that may see it, and
count it on the server afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import timedelta

import httpx

from sync.clock import Clock
from sync.contract import version as contract
from sync.contract.wire import API_PREFIX, MAX_BATCH_OPERATIONS
from sync.engine import Backoff
from sync.event_stream import STREAM_BACKOFF

PASSWORD = "demo1234"
REQUEST_TIMEOUT_S = 30.0  # as long as the server's pool waits before it answers 500
RETRY_AFTER_S = 1.0  # an outbox entry that failed is sent again after this
PRESENCE_CYCLE = ("on_call", "wrap_up", "ready")


@dataclass
class Sent:
    """A presence change whose event every live stream of the team must see."""

    team: int
    sent: float  # monotonic, request sent
    answered: float = 0.0  # monotonic, answer received (0: never answered)
    expected: frozenset[int] = frozenset()  # desks whose streams were live when it was sent


@dataclass
class Tally:
    """What every desk adds to: latencies (ms), errors by kind, markers written and seen."""

    writes_ms: list[float] = field(default_factory=list)  # call records answered, steady phase
    burst_writes_ms: list[float] = field(default_factory=list)  # after the outage, and drain
    presence_ms: list[float] = field(default_factory=list)
    pulls_ms: list[float] = field(default_factory=list)
    signins_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    acknowledged: set[str] = field(default_factory=set)  # call-record markers answered 201
    generated: set[str] = field(default_factory=set)  # every call record a desk queued
    presence: dict[str, Sent] = field(default_factory=dict)
    seen: dict[str, dict[int, float]] = field(default_factory=dict)  # marker -> desk -> when
    live: dict[int, float] = field(default_factory=dict)  # desk -> when its stream first went live
    reconnects: int = 0
    pulled_changes: int = 0
    # How late the load client's own event loop ran (ms): every latency above includes it,
    # so a client that cannot keep up shows here and not as the server's slowness.
    loop_lag_ms: list[float] = field(default_factory=list)
    loop_lag_at: list[float] = field(default_factory=list)  # monotonic, each sample's end

    def error(self, kind: str) -> None:
        self.errors[kind] += 1


def _kind(exc: BaseException) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timeout ({type(exc).__name__})"
    if isinstance(exc, httpx.TransportError):
        return f"connection ({type(exc).__name__})"
    return type(exc).__name__


@dataclass(frozen=True, slots=True)
class Pace:
    """How often a desk does each thing (seconds, mean; each wait jittered ±50 %)."""

    write_s: float = 4.0
    presence_s: float = 30.0
    pull_s: float = 30.0
    # The presence heartbeat of a desk of contract 1.4 (sync/heartbeat.py): a quarter of the
    # server's default timeout. Not jittered by the server's answer here: its default.
    heartbeat_s: float = 15.0


class Desk:
    def __init__(
        self,
        index: int,
        username: str,
        team: int,
        urls: list[str],
        client: httpx.AsyncClient,
        tally: Tally,
        clock: Clock,
        run: str,
        pace: Pace,
        cursor: int,
    ) -> None:
        self.index = index
        self.username = username
        self.team = team
        self._urls = urls
        self._turn = index  # client-side round robin when there are several urls
        self._client = client
        self._tally = tally
        self._clock = clock
        self._run = run
        self._pace = pace
        self._rng = random.Random(f"{run}-{index}")
        self._token = ""
        self._headers: dict[str, str] = {}
        self._cursor = cursor
        self._last_event = ""
        self._seq = 0
        self._state = ""  # the presence last sent: what its heartbeats carry
        # (marker, body): the body is fixed when the call is logged, as the desk's outbox
        # keeps it, so a retry is the same request (the same key with another body is a 422).
        self.outbox: deque[tuple[str, dict[str, object]]] = deque()
        self.online = asyncio.Event()
        self.stream_live = asyncio.Event()
        # After an outage: when this desk's sync engine and its event stream next try (their
        # own backoff), i.e. when each finds the server back (monotonic; 0: at once).
        self.back_at = 0.0
        self.stream_back_at = 0.0
        self.flushed_at = 0.0  # after an outage: when its backlog was acknowledged (monotonic)
        self._stop = asyncio.Event()

    # -- wire ------------------------------------------------------------------------------

    def _url(self, path: str, *, stream: bool = False) -> str:
        if stream:  # a desk's stream stays on the instance it first reached
            base = self._urls[self.index % len(self._urls)]
        else:  # requests spread as a balancer's new connections would
            self._turn += 1
            base = self._urls[self._turn % len(self._urls)]
        return f"{base}{API_PREFIX}{path}"

    def _jitter(self, mean_s: float) -> float:
        return mean_s * self._rng.uniform(0.5, 1.5)

    async def sign_in(self, until: float) -> None:
        """Sign in, retrying until ``until`` (monotonic); a desk that never could stays out."""
        started = time.perf_counter()
        while time.monotonic() < until:
            try:
                answer = await self._client.post(
                    self._url("/auth/login"),
                    json={"username": self.username, "password": PASSWORD},
                    headers={contract.HEADER: str(contract.CONTRACT)},
                    timeout=REQUEST_TIMEOUT_S,
                )
                if answer.status_code == 200:
                    break
                self._tally.error(f"sign-in {answer.status_code}")
            except httpx.HTTPError as exc:
                self._tally.error(f"sign-in {_kind(exc)}")
            await asyncio.sleep(RETRY_AFTER_S)
        else:
            self._tally.error("sign-in never succeeded")
            return
        self._tally.signins_ms.append((time.perf_counter() - started) * 1e3)
        self._token = answer.json()["token"]
        self._headers = {
            "Authorization": f"Bearer {self._token}",
            contract.HEADER: str(contract.CONTRACT),
        }
        self.online.set()

    # -- the event stream ------------------------------------------------------------------

    async def hold_stream(self) -> None:
        """Keep the stream open while online, resuming from the last event id; record every
        bench marker it carries."""
        while not self._stop.is_set():
            await self.online.wait()
            await asyncio.sleep(max(0.0, self.stream_back_at - time.monotonic()))
            headers = {**self._headers, "Accept": "text/event-stream"}
            if self._last_event:
                headers["Last-Event-ID"] = self._last_event
            try:
                async with self._client.stream(
                    "GET",
                    self._url("/events", stream=True),
                    params={"timeout_s": 3600},
                    headers=headers,
                    timeout=httpx.Timeout(REQUEST_TIMEOUT_S, read=60.0),
                ) as response:
                    if response.status_code != 200:
                        self._tally.error(f"stream {response.status_code}")
                        await response.aread()
                        await asyncio.sleep(RETRY_AFTER_S)
                        continue
                    await self._read(response)
            except httpx.HTTPError as exc:
                if self.online.is_set() and not self._stop.is_set():
                    self._tally.error(f"stream {_kind(exc)}")
                    await asyncio.sleep(RETRY_AFTER_S)
            if not self._stop.is_set() and self.online.is_set():
                self._tally.reconnects += 1

    async def _read(self, response: httpx.Response) -> None:
        event_id, kind, data = "", "", ""
        async for line in response.aiter_lines():
            if line.startswith("retry:"):
                self._tally.live[self.index] = time.monotonic()
                self.stream_live.set()
            elif line.startswith("id: "):
                event_id = line[4:]
            elif line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif not line and data:
                now = time.monotonic()
                self._last_event = event_id or self._last_event
                if kind == "presence":
                    reason = json.loads(data).get("data", {}).get("reason", "")
                    if reason.startswith(self._run):
                        self._tally.seen.setdefault(reason, {}).setdefault(self.index, now)
                event_id, kind, data = "", "", ""

    # -- writes ----------------------------------------------------------------------------

    def _marker(self) -> str:
        self._seq += 1
        return f"{self._run}-{self.index:04d}-{self._seq:06d}"

    def queue_write(self) -> None:
        marker = self._marker()
        self._tally.generated.add(marker)
        now = self._clock.now()
        body: dict[str, object] = {
            "kind": "call_in",
            "started_at": (now - timedelta(minutes=4)).isoformat(),
            "answered_at": (now - timedelta(minutes=3, seconds=50)).isoformat(),
            "ended_at": now.isoformat(),
            "talk_s": 230,
            "queue": "负载测试",
            "remote_number": f"+86138{self.index:04d}{self._seq % 10000:04d}",
            "disposition": "resolved",
            "notes": marker,
        }
        self.outbox.append((marker, body))

    async def push_outbox(self, *, burst: bool, until: float = float("inf")) -> None:
        """Send the outbox in order as the desk's engine does against a 1.2 server: in
        batches (``POST /batch``, at most ``MAX_BATCH_OPERATIONS``), each write with its own
        Idempotency-Key (until ``until``, monotonic: what is left waits for the next round)."""
        while self.outbox and self.online.is_set() and time.monotonic() < until:
            batch = list(itertools.islice(self.outbox, MAX_BATCH_OPERATIONS))
            settled = await self._send_batch(batch, burst=burst)
            for _ in range(settled):
                self.outbox.popleft()
            if settled < len(batch):
                await asyncio.sleep(RETRY_AFTER_S)

    async def _send_batch(self, batch: list[tuple[str, dict[str, object]]], *, burst: bool) -> int:
        """How many writes at the head of ``batch`` are settled: answered (or replayed by
        their key), or refused with a 4xx the desk would not retry (counted as errors). The
        first one to try again ends the count, as the engine stops a batch's tail."""
        started = time.perf_counter()
        operations = [
            {"method": "POST", "path": "/interactions", "key": marker, "body": body}
            for marker, body in batch
        ]
        try:
            answer = await self._client.post(
                self._url("/batch"),
                json={"operations": operations},
                headers=self._headers,
                timeout=REQUEST_TIMEOUT_S,
            )
        except httpx.HTTPError as exc:
            self._tally.error(f"write {_kind(exc)}")
            return 0
        if answer.status_code != 200:
            self._tally.error(f"write {answer.status_code}")
            return 0
        elapsed = (time.perf_counter() - started) * 1e3
        settled = 0
        for (marker, _body), result in zip(batch, answer.json()["results"], strict=True):
            status = int(result["status"])
            if status == 201:
                (self._tally.burst_writes_ms if burst else self._tally.writes_ms).append(elapsed)
                self._tally.acknowledged.add(marker)
            else:
                self._tally.error(f"write {status}")
                if status == 0 or status >= 500 or status in (408, 429):
                    break
            settled += 1
        return settled

    async def change_presence(self) -> None:
        marker = self._marker()
        state = PRESENCE_CYCLE[self._seq % len(PRESENCE_CYCLE)]
        self._state = state
        live = frozenset(d for d, at in self._tally.live.items() if at > 0)
        sent = Sent(team=self.team, sent=time.monotonic(), expected=live)
        self._tally.presence[marker] = sent
        started = time.perf_counter()
        try:
            answer = await self._client.put(
                self._url("/presence/me"),
                json={"state": state, "reason": marker},
                headers={**self._headers, "Idempotency-Key": marker},
                timeout=REQUEST_TIMEOUT_S,
            )
        except httpx.HTTPError as exc:
            self._tally.error(f"presence {_kind(exc)}")
            return
        if answer.status_code == 200:
            sent.answered = time.monotonic()
            self._tally.presence_ms.append((time.perf_counter() - started) * 1e3)
        else:
            self._tally.error(f"presence {answer.status_code}")

    async def heartbeat(self) -> None:
        """The desk is alive (``POST /presence/heartbeat``), in the state it last sent."""
        try:
            answer = await self._client.post(
                self._url("/presence/heartbeat"),
                json={"state": self._state} if self._state else {},
                headers=self._headers,
                timeout=REQUEST_TIMEOUT_S,
            )
        except httpx.HTTPError as exc:
            self._tally.error(f"heartbeat {_kind(exc)}")
            return
        if answer.status_code != 200:
            self._tally.error(f"heartbeat {answer.status_code}")

    async def pull(self) -> None:
        started = time.perf_counter()
        try:
            while True:
                answer = await self._client.get(
                    self._url("/changes"),
                    params={"after": self._cursor, "limit": 500},
                    headers=self._headers,
                    timeout=REQUEST_TIMEOUT_S,
                )
                if answer.status_code != 200:
                    self._tally.error(f"pull {answer.status_code}")
                    return
                page = answer.json()
                self._tally.pulled_changes += len(page["changes"])
                self._cursor = page["cursor"]
                if not page["has_more"]:
                    break
        except httpx.HTTPError as exc:
            self._tally.error(f"pull {_kind(exc)}")
            return
        self._tally.pulls_ms.append((time.perf_counter() - started) * 1e3)

    # -- the desk's life -------------------------------------------------------------------

    async def work(self, until: float, *, burst: bool = False) -> None:
        """Write, change presence and pull at the desk's pace until ``until`` (monotonic)."""
        next_write = time.monotonic() + self._jitter(self._pace.write_s)
        next_presence = time.monotonic() + self._jitter(self._pace.presence_s)
        next_pull = time.monotonic() + self._jitter(self._pace.pull_s)
        next_beat = time.monotonic() + self._jitter(self._pace.heartbeat_s)
        if not self._token:
            return  # never signed in
        if burst:
            await self.push_outbox(burst=True, until=until)
        while (now := time.monotonic()) < until:
            if now >= next_write:
                self.queue_write()
                await self.push_outbox(burst=burst, until=until)
                next_write += self._jitter(self._pace.write_s)
            if now >= next_presence:
                await self.change_presence()
                next_presence += self._jitter(self._pace.presence_s)
            if now >= next_pull:
                await self.pull()
                next_pull += self._jitter(self._pace.pull_s)
            if now >= next_beat:
                await self.heartbeat()
                next_beat += self._jitter(self._pace.heartbeat_s)
            wake = min(next_write, next_presence, next_pull, next_beat, until)
            await asyncio.sleep(max(0.0, wake - time.monotonic()))

    async def offline(self, until: float, *, together: bool = False) -> None:
        """An outage: no network; the agent goes on logging calls into the outbox.

        Meanwhile the desk's sync engine tries the server as the real one does
        (``sync.engine.SyncEngine._loop``): at once, then after ``Backoff().delay(failures)``,
        and whenever a call record is logged (``changed_locally`` wakes the loop); its event
        stream retries on its own backoff (``STREAM_BACKOFF``). Each fails until ``until``; the
        first try after it is when this desk finds the server back (``back_at``,
        ``stream_back_at``). ``together``: every desk back in the same instant instead, a
        harsher herd than real desks make (a stress figure).
        """
        self._tally.live[self.index] = 0.0  # its stream dropped with the network
        engine, stream = Backoff(), STREAM_BACKOFF
        engine_failures = stream_failures = 0
        now = time.monotonic()
        next_write = now + self._jitter(self._pace.write_s)
        next_try = next_stream = now
        while now < until:
            if now >= next_write:
                self.queue_write()
                next_write += self._jitter(self._pace.write_s)
                next_try = now  # the local write wakes the engine's loop
            if now >= next_try:
                engine_failures += 1
                next_try = now + engine.delay(engine_failures, self._rng)
            if now >= next_stream:
                stream_failures += 1
                next_stream = now + stream.delay(stream_failures, self._rng)
            await asyncio.sleep(max(0.0, min(next_write, next_try, next_stream, until) - now))
            now = time.monotonic()
        if together:
            self.back_at = self.stream_back_at = 0.0
        else:
            # A call record logged before the engine's timer also wakes it.
            self.back_at = min(next_try, next_write)
            self.stream_back_at = next_stream

    async def _log_calls(self) -> None:
        """The agent logging calls at its pace into the outbox (until cancelled)."""
        while True:
            await asyncio.sleep(self._jitter(self._pace.write_s))
            self.queue_write()

    async def reconnect(self, until: float) -> None:
        """Back from the outage: when this desk's engine next tries, one round as
        ``SyncEngine.run_once`` does it: the backlog pushed, then the feed pulled. The agent
        logs calls meanwhile (the desk saves them to its outbox whatever the engine is doing);
        those logged while the round waits on the server are pushed when ``work`` starts, as
        the engine's next round pushes them. ``flushed_at``: when the backlog was acknowledged
        (not counting the pull after it)."""
        await asyncio.sleep(max(0.0, self.back_at - time.monotonic()))
        agent = asyncio.create_task(self._log_calls())
        try:
            await self.push_outbox(burst=True, until=until)
            self.flushed_at = time.monotonic()
            await self.pull()
        finally:
            await cancel([agent])

    def stop(self) -> None:
        self._stop.set()


async def watch_loop(tally: Tally, every_s: float = 0.02) -> None:
    """Sample the client's event-loop lag until cancelled."""
    while True:
        started = time.monotonic()
        await asyncio.sleep(every_s)
        ended = time.monotonic()
        tally.loop_lag_ms.append(max(0.0, ended - started - every_s) * 1e3)
        tally.loop_lag_at.append(ended)


async def cancel(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
