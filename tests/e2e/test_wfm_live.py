"""Workforce planning end to end over HTTP: the real backend (uvicorn on loopback, a SQLite
file, the demo seed's five weeks of calls) driven as the lead's and the agent's desks would
drive it — patterns saved, the forecast read with its held-out error, a roster proposed by the
optimiser from the forecast's staffing, adjusted and published; the agent reads her shifts,
signs in ready, and the lead's adherence board shows her in adherence and her colleague not."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from server_stub.clock import ManualClock
from sync.contract import version as contract
from tests.fakes.servers import LiveBackend

WEEK = date(2026, 11, 9)
SEEDED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PATTERN = {
    "key": "day",
    "name": "Day",
    "start_min": 8 * 60,
    "length_min": 9 * 60,
    "breaks": [{"length_min": 15, "earliest_min": 90, "latest_min": 150}],
    "lunch": {"length_min": 60, "earliest_min": 210, "latest_min": 300},
}


class Desk:
    """One user's HTTP session, speaking this release's contract."""

    def __init__(self, url: str, user: str) -> None:
        self.url = f"{url}/api/v1"
        self.session = requests.Session()
        answer = self.session.post(
            f"{self.url}/auth/login", json={"username": user, "password": "demo1234"}, timeout=10
        )
        answer.raise_for_status()
        self.session.headers.update(
            {
                "Authorization": f"Bearer {answer.json()['token']}",
                contract.HEADER: str(contract.CONTRACT),
            }
        )

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        answer = self.session.request(
            method, f"{self.url}{path}", json=body, params=params or None, timeout=120
        )
        assert answer.status_code < 300, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json()


def test_a_week_planned_published_and_adhered_to(tmp_path: Path) -> None:
    clock = ManualClock(SEEDED)
    # Sessions outlive the week the test moves the clock by.
    backend = LiveBackend(tmp_path / "wfm.sqlite", clock=clock, token_lifetime=timedelta(days=30))
    try:
        lead, agent = Desk(backend.url, "zhangwei"), Desk(backend.url, "wangfang")
        team = lead.call("GET", "/me")["user"]["team"]["id"]
        me = agent.call("GET", "/me")["user"]["id"]
        lead.call("PUT", f"/teams/{team}/shift-patterns", {"patterns": [PATTERN], "version": 0})
        forecast = lead.call("GET", f"/teams/{team}/forecast", start=WEEK.isoformat(), days=7)
        assert forecast["accuracy"]["held_out_to"] == "2026-11-01"
        assert sum(day["calls"] for day in forecast["days"]) > 0
        # The optimiser staffs the forecast (Erlang C at 80 % in 20 s) with the team's agents.
        proposal = {"week": WEEK.isoformat(), "target": {"aht_s": 240}, "time_limit_s": 30}
        roster = lead.call("POST", f"/teams/{team}/rosters/propose", proposal)
        assert roster["status"] == "proposed"
        assert roster["solve_status"] in {"optimal", "feasible"}
        assert any(max(day["required"]) > 0 for day in roster["coverage"])
        # The lead gives Monday to wangfang whatever the optimiser chose, and publishes.
        kept = [
            {"agent_id": a["agent_id"], "day": a["day"], "pattern_key": a["pattern_key"]}
            for a in roster["assignments"]
            if not (a["agent_id"] == me and a["day"] == WEEK.isoformat())
        ]
        kept.append({"agent_id": me, "day": WEEK.isoformat(), "pattern_key": "day"})
        published = lead.call(
            "PUT",
            f"/teams/{team}/rosters/{WEEK}",
            {"assignments": kept, "publish": True, "version": roster["version"]},
        )
        assert published["status"] == "published"
        shifts = agent.call("GET", "/me/shifts", start=WEEK.isoformat(), days=7)["shifts"]
        monday = next(s for s in shifts if s["day"] == WEEK.isoformat())
        assert monday["start"].startswith("2026-11-09T00:00:00")  # 08:00 in Shanghai
        # Monday 08:05 local: she signs in ready; 08:35 the board asks.
        clock.set(datetime(2026, 11, 9, 0, 5, tzinfo=UTC))
        agent.call("PUT", "/presence/me", {"state": "ready"})
        clock.set(datetime(2026, 11, 9, 0, 35, tzinfo=UTC))
        board = lead.call("GET", f"/teams/{team}/adherence")
        hers = next(a for a in board["agents"] if a["agent_id"] == me)
        assert hers["in_adherence"] is True
        assert hers["scheduled"] == "work"
        assert hers["adherence_pct_today"] == pytest.approx(100 * 30 / 35, abs=0.1)
        absent = [
            a
            for a in board["agents"]
            if a["agent_id"] != me and a["scheduled"] == "work" and a["actual"] == "logged_out"
        ]
        assert all(a["in_adherence"] is False for a in absent)
    finally:
        backend.stop()
