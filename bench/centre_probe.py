"""One more desk, in a process of its own: the write latency a desk sees from an idle PC.

The load client runs every desk in one Python process. On a small machine it shares the cores
with the servers and the database, and in the seconds after an outage its event loop runs late
(its loop lag is reported): every latency it measures includes the time its own requests and
answers waited for that loop. A real desk is a PC of its own, idle between the agent's actions.

The probe is one desk of the centre, signed in as its own user, that logs a call record every
``EVERY_S`` through ``POST /batch`` (one operation with its ``Idempotency-Key``, as the desk's
engine sends a call just logged) from a process that does nothing else, and times each answer.
It writes in the steady phase and from the outage's end, and is offline during the outage as the
other desks are. Its figures are the servers', the database's and the machine's scheduling,
without the load client's queue. Its call records are marked ``probe-<run>-<n>`` and counted on
the server apart from the desks' ones.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from sync.clock import system_clock
from sync.contract import version as contract
from sync.contract.wire import API_PREFIX

EVERY_S = 0.1  # 10 call records a second (a tenth of a 400-desk peak): ~60 in a 6 s flush
TIMEOUT_S = 30.0

# Phases, as the bench sets them (``Probe.phase``).
WAIT, STEADY, OUTAGE, AFTER, DONE = range(5)


@dataclass
class ProbeResult:
    steady_ms: list[float] = field(default_factory=list)
    after_ms: list[float] = field(default_factory=list)
    after_sent: list[float] = field(default_factory=list)  # monotonic (system-wide) send times
    errors: int = 0
    signed_in: bool = False


def _call_record(marker: str, n: int) -> dict[str, Any]:
    now = system_clock().now()
    return {
        "kind": "call_in",
        "started_at": (now - timedelta(minutes=4)).isoformat(),
        "answered_at": (now - timedelta(minutes=3, seconds=50)).isoformat(),
        "ended_at": now.isoformat(),
        "talk_s": 230,
        "queue": "探针",
        "remote_number": f"+86139{n % 100_000_000:08d}",
        "disposition": "resolved",
        "notes": marker,
    }


def _run(
    url: str,
    username: str,
    password: str,
    run: str,
    phase: Any,  # multiprocessing.Value("i")
    answers: multiprocessing.Queue[ProbeResult],
) -> None:
    result = ProbeResult()
    with httpx.Client(timeout=TIMEOUT_S) as client:
        headers = {contract.HEADER: str(contract.CONTRACT)}
        try:
            signed = client.post(
                f"{url}{API_PREFIX}/auth/login",
                json={"username": username, "password": password},
                headers=headers,
            )
            signed.raise_for_status()
        except httpx.HTTPError:
            answers.put(result)
            return
        result.signed_in = True
        headers["Authorization"] = f"Bearer {signed.json()['token']}"
        n = 0
        while (now := phase.value) != DONE:
            if now in (STEADY, AFTER):
                n += 1
                marker = f"probe-{run}-{n:06d}"
                operation = {
                    "method": "POST",
                    "path": "/interactions",
                    "key": marker,
                    "body": _call_record(marker, n),
                }
                started, sent = time.perf_counter(), time.monotonic()
                try:
                    answer = client.post(
                        f"{url}{API_PREFIX}/batch",
                        json={"operations": [operation]},
                        headers=headers,
                    )
                    ok = answer.status_code == 200 and answer.json()["results"][0]["status"] == 201
                except httpx.HTTPError:
                    ok = False
                elapsed = (time.perf_counter() - started) * 1e3
                if not ok:
                    result.errors += 1
                elif now == STEADY:
                    result.steady_ms.append(elapsed)
                else:
                    result.after_ms.append(elapsed)
                    result.after_sent.append(sent)
            time.sleep(EVERY_S)
    answers.put(result)


class Probe:
    """The probe's process; ``phase`` is set by the bench as its phases go."""

    def __init__(self, url: str, username: str, password: str, run: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.phase = context.Value("i", WAIT)
        self._answers: multiprocessing.Queue[ProbeResult] = context.Queue()
        self._process = context.Process(
            target=_run,
            args=(url, username, password, run, self.phase, self._answers),
            daemon=True,
        )
        self._process.start()

    def set(self, phase: int) -> None:
        self.phase.value = phase

    @staticmethod
    def within(result: ProbeResult, start: float, end: float) -> list[float]:
        """The probe's latencies after the outage of writes sent in ``[start, end]``
        (monotonic: one clock for every process of the machine)."""
        return [
            ms
            for ms, sent in zip(result.after_ms, result.after_sent, strict=True)
            if start <= sent <= end
        ]

    def finish(self) -> ProbeResult:
        self.set(DONE)
        try:
            result: ProbeResult = self._answers.get(timeout=TIMEOUT_S + 10)
        except Exception:  # the probe died: no figures, said so in the table
            result = ProbeResult()
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
        return result
