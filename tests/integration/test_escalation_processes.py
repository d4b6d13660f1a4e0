"""A three-level escalation chain on two real server processes (``agent-server``, each on its own
port, like two instances behind a load balancer) sharing one PostgreSQL: each level fires
exactly once, when it is due on the server clock.

The server clock is pinned (``AGENT_WORKSTATION_CLOCK``): for each level both processes are
started with a clock that reaches the level's due time a few seconds after they start, and
sweep every 0.1 s, so both race for the same level. (The in-process test in
``test_api_sla_policies.py`` checks the second-exact timing with a manual clock.)"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.clock import CLOCK_VARIABLE, pin
from tests.fakes.waiting import wait_until

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LEAD_TIME_S = 20.0  # from a process's start to the level's due time: both are sweeping by then
API = "/api/v1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """``python -m server_stub`` on a free loopback port with a pinned clock."""

    def __init__(self, url: str, clock_pin: str, log: Path, *, seed: bool) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = log.open("a")
        command = [
            sys.executable,
            "-m",
            "server_stub",
            "--database-url",
            url,
            "--port",
            str(self.port),
            "--sla-interval",
            "0.1",
            "--log-level",
            "warning",
        ]
        if seed:
            command += ["--seed", "demo"]
        self._process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, CLOCK_VARIABLE: clock_pin},
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        self._log_path = log

    def healthy(self) -> bool:
        assert self._process.poll() is None, self._log_path.read_text()
        try:
            return requests.get(f"{self.base}{API}/health", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def sweeps(self) -> float:
        """The process's SLA sweeps so far (its /metrics, which answers loopback)."""
        text = requests.get(f"{self.base}/metrics", timeout=5).text
        found = re.search(r"^agent_server_sla_sweeps_total (\S+)$", text, re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            self._process.wait(60)
        self._log.close()


def _start_both(
    url: str, instant: datetime, log: Path, *, seed: bool = False
) -> list[ServerProcess]:
    """Two processes whose clocks read ``instant`` now (the same pin: they agree to the µs)."""
    clock_pin = pin(instant)  # anchored now
    first = ServerProcess(url, clock_pin, log, seed=seed)
    if seed:  # the seed must be in before the second reads the users
        wait_until(first.healthy, 90, "the first server process to answer")
    second = ServerProcess(url, clock_pin, log, seed=False)
    both = [first, second]
    wait_until(lambda: all(p.healthy() for p in both), 90, "both server processes to answer")
    return both


def _login(base: str, user: str) -> dict[str, str]:
    answer = requests.post(
        f"{base}{API}/auth/login", json={"username": user, "password": "demo1234"}, timeout=10
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _ok(method: str, url: str, headers: dict[str, str], json: Any = None) -> Any:
    answer = requests.request(method, url, headers=headers, json=json, timeout=10)
    assert answer.status_code < 300, f"{method} {url}: {answer.status_code} {answer.text}"
    return answer.json()


@pytest.fixture
def database(postgres_server: Any) -> str:
    url: str = postgres_server.create_database("escalation_processes")
    return url


@pytest.fixture
def processes() -> Iterator[list[ServerProcess]]:
    running: list[ServerProcess] = []
    yield running
    for process in running:
        process.stop()


def _level_fires_once_on_time(
    processes: list[ServerProcess], ticket: dict[str, Any], level: int, due: datetime, name: str
) -> None:
    a, b = processes
    agent = _login(a.base, "wangfang")

    def climbed() -> dict[str, Any] | None:
        now: dict[str, Any] = _ok("GET", f"{b.base}{API}/tickets/{ticket['id']}", agent)
        return now if now["escalation_level"] >= level else None

    wait_until(climbed, LEAD_TIME_S + 30, f"level {level} to fire")
    # Each process has had its chance to fire it again: five more sweeps each.
    since = [p.sweeps() for p in processes]
    wait_until(
        lambda: all(p.sweeps() >= s + 5 for p, s in zip(processes, since, strict=True)),
        30,
        "both processes to sweep five more times",
    )
    now = _ok("GET", f"{a.base}{API}/tickets/{ticket['id']}", agent)
    assert (now["escalation_level"], now["escalated_to"]) == (level, name)
    history = _ok("GET", f"{a.base}{API}/tickets/{ticket['id']}/history", agent)
    fired = [h for h in history if h["field"] == "escalation_level"]
    assert [h["new"] for h in fired] == [str(n) for n in range(1, level + 1)]  # once each
    late = datetime.fromisoformat(fired[-1]["at"]) - due
    assert timedelta(0) <= late < timedelta(seconds=5), late  # on time on the server clock


def test_a_three_level_chain_fires_each_level_once_on_time_across_two_processes(
    database: str, processes: list[ServerProcess], tmp_path: Path
) -> None:
    log = tmp_path / "servers.log"
    processes += _start_both(database, T0, log, seed=True)
    a, b = processes
    admin = _login(a.base, "admin")
    users = {u["username"]: u for u in _ok("GET", f"{a.base}{API}/users", admin)}
    team = _ok("GET", f"{a.base}{API}/me", _login(a.base, "wangfang"))["user"]["team"]["id"]
    _ok("PUT", f"{b.base}{API}/teams/{team}/manager", admin, {"manager_id": users["liuyang"]["id"]})
    policies = _ok("GET", f"{b.base}{API}/sla-policies", admin)
    policies["chains"] = [
        {
            "category": "",
            "levels": [
                {"after_hours": 24, "target": "team_lead"},
                {"after_hours": 48, "target": "team_manager", "label_en": "service manager"},
                {"after_hours": 72, "target": "user", "user_id": users["admin"]["id"]},
            ],
        }
    ]
    _ok("PUT", f"{a.base}{API}/sla-policies", admin, policies)
    agent = _login(a.base, "wangfang")
    customer = _ok("GET", f"{a.base}{API}/customers", agent)[0]
    ticket = _ok(
        "POST",
        f"{b.base}{API}/tickets",
        agent,
        {
            "customer_id": customer["id"],
            "category": "complaint",
            "summary": "投诉",
            "complaint": True,
        },
    )
    opened = datetime.fromisoformat(ticket["opened_at"])
    names = [users[u]["display_name"] for u in ("zhangwei", "liuyang", "admin")]

    for level, hours in enumerate((24, 48, 72), start=1):
        for process in processes:
            process.stop()
        processes.clear()
        due = opened + timedelta(hours=hours)
        processes += _start_both(database, due - timedelta(seconds=LEAD_TIME_S), log)
        _level_fires_once_on_time(processes, ticket, level, due, names[level - 1])
        agent = _login(processes[0].base, "wangfang")  # sessions last 12 h: sign in again
        now = _ok("GET", f"{processes[0].base}{API}/tickets/{ticket['id']}", agent)
        next_due = opened + timedelta(hours=hours + 24) if level < 3 else None
        assert (datetime.fromisoformat(now["sla_due_at"]) if now["sla_due_at"] else None) == (
            next_due
        )
    b = processes[1]
    audit = _ok("GET", f"{b.base}{API}/audit", _login(b.base, "admin"))
    assert (
        sum(x["action"] == "sla.escalate" and x["target"] == ticket["number"] for x in audit) == 3
    )
