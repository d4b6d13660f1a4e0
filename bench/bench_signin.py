"""Sign-in and 'who am I' through the desktop's ApiClient, beside bare requests (the floor).

Runs the real backend (uvicorn, SQLite) on 127.0.0.1 in this process and reports p50/p95 per
call and the ratio to bare ``requests`` doing the same HTTP call without validation.
Usage: ``make bench`` (or ``python -m bench.bench_signin --rounds 200``).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

from bench.results import Figure, record
from sync.client import ApiClient
from tests.fakes.servers import LiveBackend


def timed(op: Callable[[], object], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        op()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def pct(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        backend = LiveBackend(Path(tmp) / "bench.sqlite")
        try:
            body = {"username": "wangfang", "password": "demo1234"}
            http = requests.Session()
            url = backend.url + "/api/v1"
            client = ApiClient(backend.url)
            token = client.login("wangfang", "demo1234").token
            bare_me = timed(
                lambda: http.get(url + "/me", headers={"Authorization": f"Bearer {token}"}).json(),
                args.rounds,
            )
            ours_me = timed(client.me, args.rounds)
            bare_login = timed(
                lambda: http.post(url + "/auth/login", json=body).json(), args.rounds
            )
            ours_login = timed(lambda: client.login("wangfang", "demo1234"), args.rounds)
        finally:
            backend.stop()
    print(f"{'call':<30}{'p50 ms':>9}{'p95 ms':>9}{'ratio p50':>11}")
    figures = []
    for name, ours, floor in (
        ("GET /me", ours_me, bare_me),
        ("POST /auth/login", ours_login, bare_login),
    ):
        print(f"{name + ' (bare)':<30}{pct(floor, 50):9.2f}{pct(floor, 95):9.2f}{'1.00':>11}")
        ratio = pct(ours, 50) / pct(floor, 50)
        print(f"{name + ' (ApiClient)':<30}{pct(ours, 50):9.2f}{pct(ours, 95):9.2f}{ratio:11.2f}")
        figures.append(
            Figure(
                f"{name}, ApiClient, p50",
                pct(ours, 50),
                "ms",
                pct(floor, 50),
                "bare requests",
                detail={"p95": pct(ours, 95), "floor_p95": pct(floor, 95)},
            )
        )
    record("signin", figures, {"rounds": args.rounds})


if __name__ == "__main__":
    main()
