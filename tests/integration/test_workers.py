"""Several server processes on one PostgreSQL: ``agent-server --workers N`` (one port, N
processes), instances started together on an empty database, and SQLite kept to one process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from server_stub.__main__ import main
from server_stub.core.db import Database
from server_stub.core.schema import code_revision, migrate
from server_stub.models import UserRow
from server_stub.seed import seed_demo
from server_stub.workers import anchor_clock, refusal
from sync.clock import CLOCK_VARIABLE, parse_pin, system_clock
from tests.fakes.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_workers_are_refused_on_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--database", str(tmp_path / "one.sqlite"), "--workers", "2"])
    assert ended.value.code == 2
    error = capsys.readouterr().err
    assert "--workers needs PostgreSQL" in error
    assert "one writer at a time" in error
    assert not (tmp_path / "one.sqlite").exists()  # refused before anything was opened


def test_workers_refusals_name_the_reason() -> None:
    pg = "postgresql+psycopg://postgres@127.0.0.1:5432/x"
    assert refusal(pg, 4, demo_calls=False) is None
    assert refusal("sqlite:///x.sqlite", 1, demo_calls=False) is None
    assert "one phone" in str(refusal(pg, 2, demo_calls=True))
    assert "1 or more" in str(refusal(pg, 0, demo_calls=False))


def test_a_pinned_clock_is_anchored_before_workers_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(CLOCK_VARIABLE, "2026-12-31T23:59:59+08:00")
    system_clock.cache_clear()
    try:
        anchor_clock()
        value = os.environ[CLOCK_VARIABLE]
        assert "@" in value  # every worker reads the same instant at the same unix time
        assert parse_pin(value).now() - parse_pin("2026-12-31T23:59:59+08:00").now() < timedelta(
            seconds=5
        )
    finally:
        system_clock.cache_clear()


def _children(pid: int) -> list[int]:
    """The worker processes of the server ``pid`` (not multiprocessing's resource tracker)."""
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    workers = []
    for child in found.stdout.split():
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"resource_tracker" not in command:
            workers.append(int(child))
    return workers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def two_workers(
    postgres_server: Any, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    url = postgres_server.create_database("workers")
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server_stub",
            "--database-url",
            url,
            "--seed",
            "demo",
            "--workers",
            "2",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        assert server.poll() is None, (tmp_path / "server.log").read_text()
        try:
            return requests.get(f"{base}/api/v1/health", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    wait_until(healthy, 60, "the server with two workers to answer")
    yield server, base
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    log.close()


def _login(base: str, user: str) -> dict[str, str]:
    answer = requests.post(
        f"{base}/api/v1/auth/login", json={"username": user, "password": "demo1234"}, timeout=10
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _listen(base: str, headers: dict[str, str], into: list[str], ready: threading.Event) -> None:
    """Hold one stream for a few seconds; collect the presence reasons it carries."""
    with requests.get(
        f"{base}/api/v1/events",
        params={"timeout_s": 8},
        headers=headers,
        stream=True,
        timeout=30,
    ) as stream:
        for line in stream.iter_lines(decode_unicode=True):
            if line.startswith("retry: "):
                ready.set()
            elif line.startswith("data: "):
                into.append(json.loads(line[6:])["data"].get("reason", ""))


@pytest.mark.slow
def test_two_workers_serve_one_port_and_share_events(
    two_workers: tuple[subprocess.Popen[str], str],
) -> None:
    server, base = two_workers
    workers = wait_until(
        lambda: w if len(w := _children(server.pid)) == 2 else None,
        30,
        "two worker processes under the server",
    )
    lead = _login(base, "zhangwei")
    # Four streams on new connections: the kernel hands them to both workers in turn (the
    # events must reach each wherever the write was served).
    received: list[list[str]] = [[] for _ in range(4)]
    ready = [threading.Event() for _ in received]
    threads = [
        threading.Thread(target=_listen, args=(base, lead, into, live), daemon=True)
        for into, live in zip(received, ready, strict=True)
    ]
    for thread in threads:
        thread.start()
    assert all(live.wait(20) for live in ready)
    agent = _login(base, "alice")
    for n in range(4):  # four writes, on new connections too
        answer = requests.put(
            f"{base}/api/v1/presence/me",
            json={"state": "not_ready", "reason": f"workers-{n}"},
            headers=agent,
            timeout=10,
        )
        assert answer.status_code == 200
    wanted = {f"workers-{n}" for n in range(4)}
    wait_until(
        lambda: all(wanted <= set(into) for into in received),
        10,
        "every stream to carry all four presence changes",
    )
    for thread in threads:  # the streams end on their own (timeout_s) before a worker dies
        thread.join(timeout=30)
    # A worker that dies is replaced; the port keeps answering.
    os.kill(workers[0], signal.SIGKILL)
    wait_until(
        lambda: len(now := _children(server.pid)) == 2 and workers[0] not in now,
        30,
        "the supervisor to start a worker in place of the killed one",
    )
    assert requests.get(f"{base}/api/v1/me", headers=agent, timeout=10).status_code == 200
    server.send_signal(signal.SIGTERM)
    assert server.wait(60) == 0
    assert _children(server.pid) == []


@pytest.mark.slow
def test_instances_started_together_migrate_and_seed_once(postgres_server: Any) -> None:
    url = postgres_server.create_database("together")
    databases = [Database(url) for _ in range(3)]
    revisions: list[str] = []
    seeded: list[bool] = []
    failures: list[BaseException] = []
    start = threading.Barrier(len(databases))

    def instance(database: Database) -> None:
        try:
            start.wait(10)
            revisions.append(migrate(database.engine))
            with database.session() as session:
                seeded.append(seed_demo(session, now=system_clock().now()))
        except BaseException as exc:  # reported below, with the others
            failures.append(exc)

    threads = [threading.Thread(target=instance, args=(d,)) for d in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert failures == []
        assert revisions == [code_revision()] * 3
        assert sorted(seeded) == [False, False, True]  # one seeded; the others found users
        with databases[0].session() as session:
            users = session.scalar(select(func.count()).select_from(UserRow))
            names = session.scalar(select(func.count(func.distinct(UserRow.username))))
        assert users == names
    finally:
        for database in databases:
            database.dispose()


def _live_requests(base: str) -> float:
    """``/health/live`` requests counted by the /metrics of whichever worker answers."""
    from prometheus_client.parser import text_string_to_metric_families

    answer = requests.get(f"{base}/metrics", timeout=10)
    assert answer.status_code == 200, answer.text
    return sum(
        sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
        if sample.name == "agent_server_requests_total"
        and sample.labels.get("route") == "/health/live"
    )


@pytest.mark.slow
def test_metrics_add_up_every_worker(two_workers: tuple[subprocess.Popen[str], str]) -> None:
    """prometheus_client's multiprocess mode: any worker's /metrics counts every worker's
    requests. Which worker accepts is made certain by stopping the other (SIGSTOP: it cannot
    accept, the connection goes to the one running)."""
    server, base = two_workers
    first, second = wait_until(
        lambda: w if len(w := _children(server.pid)) == 2 else None, 30, "two workers"
    )

    def only(worker: int) -> None:
        os.kill(worker, signal.SIGCONT)
        os.kill(second if worker == first else first, signal.SIGSTOP)

    try:
        only(first)
        before = _live_requests(base)
        for worker in (first, second):
            only(worker)
            for _ in range(10):
                assert requests.get(f"{base}/health/live", timeout=10).status_code == 200
        seen = []
        for worker in (first, second):
            only(worker)
            seen.append(_live_requests(base) - before)
        assert seen == [20, 20]  # each worker's scrape counts both workers' requests
    finally:
        for worker in (first, second):
            os.kill(worker, signal.SIGCONT)
