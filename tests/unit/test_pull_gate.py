"""The pull gate (server_stub/api/pull_gate.py): at most ``at_once`` feed pulls run in a
process, the others wait their turn in arrival order, beyond ``waiting`` they are told 503
with Retry-After; every other request passes as if there were no gate, even while pulls wait."""

from __future__ import annotations

import asyncio
import contextlib
import json

from starlette.types import Message, Receive, Scope, Send

from server_stub.api.pull_gate import PULL_PATH, PullGate


class Route:
    """An app whose answers to pulls are held until the test lets them go."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.release: dict[str, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = scope["query_string"].decode() or scope["path"]
        self.started.append(name)
        if scope["path"] == PULL_PATH:
            await self.release.setdefault(name, asyncio.Event()).wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


def _scope(path: str, query: str = "") -> Scope:
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query.encode(),
        "headers": [],
    }


async def _ask(gate: PullGate, path: str, query: str = "") -> tuple[int, dict[str, str], bytes]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await gate(_scope(path, query), receive, send)
    start = sent[0]
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, b"".join(m.get("body", b"") for m in sent[1:])


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def test_pulls_take_turns_in_order_and_the_rest_pass() -> None:
    async def scenario() -> None:
        route = Route()
        gate = PullGate(route, at_once=2, waiting=3)
        pulls = [asyncio.create_task(_ask(gate, PULL_PATH, f"p{n}")) for n in range(5)]
        await _settle()
        assert route.started == ["p0", "p1"]
        assert (gate.running, gate.waiting) == (2, 3)

        # A write (any other path) is not held by the waiting pulls.
        status, _, _ = await asyncio.wait_for(_ask(gate, "/api/v1/batch"), 1)
        assert status == 200

        # One more pull than the queue holds: 503 with Retry-After, the desk comes back.
        status, headers, body = await asyncio.wait_for(_ask(gate, PULL_PATH, "p5"), 1)
        assert status == 503
        assert headers["retry-after"] == "1"
        assert json.loads(body)["code"] == "server_busy"
        assert gate.refused == 1

        for n in range(5):  # each pull that ends lets the longest waiting one in
            route.release.setdefault(f"p{n}", asyncio.Event()).set()
            await _settle()
        assert [await p for p in pulls] == [(200, {}, b"{}")] * 5
        assert route.started == ["p0", "p1", "/api/v1/batch", "p2", "p3", "p4"]
        assert (gate.running, gate.waiting) == (0, 0)

    asyncio.run(scenario())


def test_a_pull_that_fails_gives_its_turn_back() -> None:
    async def failing(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("the route failed")

    async def scenario() -> None:
        gate = PullGate(failing, at_once=1, waiting=10)
        for _ in range(3):
            with contextlib.suppress(RuntimeError):
                await asyncio.wait_for(_ask(gate, PULL_PATH), 1)
        assert (gate.running, gate.waiting) == (0, 0)

    asyncio.run(scenario())


def test_no_gate_when_off() -> None:
    async def scenario() -> None:
        route = Route()
        gate = PullGate(route, at_once=0, waiting=0)
        pulls = [asyncio.create_task(_ask(gate, PULL_PATH, f"p{n}")) for n in range(4)]
        await _settle()
        assert route.started == ["p0", "p1", "p2", "p3"]
        for n in range(4):
            route.release.setdefault(f"p{n}", asyncio.Event()).set()
        await asyncio.gather(*pulls)

    asyncio.run(scenario())
