"""The server's background rounds: a round that raises is logged and the next one still runs;
``stop`` ends the loop and can be called twice."""

from __future__ import annotations

import asyncio
import logging

import pytest

from server_stub.periodic import Periodic


def test_a_failed_round_is_logged_and_the_next_runs(caplog: pytest.LogCaptureFixture) -> None:
    rounds: list[int] = []
    recovered: list[int] = []

    async def round_() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise RuntimeError("the database blipped")

    async def main() -> None:
        periodic = Periodic(
            "test-rounds", 0.0, round_, failed="test round failed",
            after_failure=lambda: recovered.append(len(rounds)),
        )  # fmt: skip
        periodic.start()
        assert periodic.running
        while len(rounds) < 3:  # bounded by the test's own timeout
            await asyncio.sleep(0)
        await periodic.stop()
        await periodic.stop()
        assert not periodic.running

    with caplog.at_level(logging.WARNING, logger="server_stub.periodic"):
        asyncio.run(asyncio.wait_for(main(), timeout=10))
    assert len(rounds) >= 3
    assert recovered == [1]
    [failure] = [r for r in caplog.records if "test round failed" in r.getMessage()]
    assert failure.exc_info is not None
