"""What the workforce routes cost on a year of calls (issue 21): the real app in-process on a
database made by the history generator (``python -m server_stub.history --db sqlite:///…``,
two lines, a year of calls), each figure beside its floor in the same run:

- ``GET /teams/{id}/forecast`` (14 days, with its held-out error), asked first (the year's
  counts read) and again (kept: ``wfm.history_cache``), beside the bare SQL it cannot avoid:
  the team's offered calls of the year counted per 15-minute slot (``GROUP BY``);
- ``GET /teams/{id}/staffing`` (7 days, Erlang C per interval) beside the same floor;
- ``POST /teams/{id}/rosters/propose`` for a week with the team's agents and four patterns
  (the optimiser's time limit 60 s; its status said).

Usage: ``python -m bench.bench_wfm_routes --db /tmp/year.sqlite --rounds 5``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Integer, cast, func, select

from bench.results import Figure, record
from server_stub.clock import ManualClock
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.history import DEFAULT_PASSWORD
from server_stub.main import create_app
from server_stub.models import InteractionRow
from server_stub.wfm.history_cache import OfferedHistoryCache
from sync.contract import version as contract
from sync.contract.wallboard import centre_zone

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, the day after the year
PATTERNS = [
    {
        "key": key,
        "name": key,
        "start_min": start * 60,
        "length_min": 9 * 60,
        "breaks": [{"length_min": 15, "earliest_min": 90, "latest_min": 150}],
        "lunch": {"length_min": 60, "earliest_min": 180, "latest_min": 300},
    }
    for key, start in (("early", 7), ("day", 9), ("late", 12), ("evening", 15))
]


def _bare_group_by(database: Database, team_id: int) -> float:
    """The floor: the year's offered calls of the team counted per slot, nothing else."""
    zone = centre_zone()
    first = datetime.combine(date(2025, 12, 1), datetime.min.time(), zone)
    slot = cast((func.julianday(InteractionRow.started_at) - 2_440_587.5) * 86_400, Integer) // 900
    started = time.perf_counter()
    with database.session() as session:
        session.execute(
            select(slot, func.count())
            .where(
                InteractionRow.team_id == team_id,
                InteractionRow.kind == "call_in",
                InteractionRow.started_at >= first,
                InteractionRow.started_at < NOW,
            )
            .group_by(slot)
        ).all()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    url = ServerSettings.sqlite_file(args.db)
    database = Database(url)
    settings = ServerSettings(database_url=url, token_lifetime=timedelta(days=30))
    client = TestClient(create_app(settings, database, ManualClock(NOW), background=False))
    figures: list[Figure] = []
    with client:
        for code in ("h1", "h2"):
            token = client.post(
                "/api/v1/auth/login", json={"username": f"{code}lead", "password": DEFAULT_PASSWORD}
            ).json()["token"]
            headers = {"Authorization": f"Bearer {token}", contract.HEADER: str(contract.CONTRACT)}
            me = client.get("/api/v1/me", headers=headers).json()
            team = int(me["user"]["team"]["id"])

            def timed(
                method: str, path: str, sent: dict[str, str] = headers, **params: Any
            ) -> float:
                started = time.perf_counter()
                answer = client.request(
                    method, f"/api/v1{path}", params=params or None, headers=sent
                )
                assert answer.status_code == 200, answer.text
                return time.perf_counter() - started

            cold, warm, staffing, floor = [], [], [], []
            for _ in range(args.rounds):  # interleaved: the machine's load hits all alike
                floor.append(_bare_group_by(database, team))
                client.app.state.wfm_history = OfferedHistoryCache()  # type: ignore[attr-defined]
                cold.append(timed("GET", f"/teams/{team}/forecast", start="2026-12-01"))
                warm.append(timed("GET", f"/teams/{team}/forecast", start="2026-12-02"))
                staffing.append(
                    timed("GET", f"/teams/{team}/staffing", start="2026-12-07", days=7, aht_s=300)
                )
            bare = statistics.median(floor)
            line = me["user"]["team"]["name"]
            figures += [
                Figure(
                    what=f"{line}: GET forecast, 14 days + held-out error, a year of calls, "
                    "first ask",
                    value=1000 * statistics.median(cold),
                    unit="ms",
                    floor=1000 * bare,
                    floor_what="the year's offered calls counted per slot (bare GROUP BY)",
                    aim="≤ 1 s",
                    detail={"max_ms": 1000 * max(cold)},
                ),
                Figure(
                    what=f"{line}: GET forecast again within 5 min (the year's counts kept)",
                    value=1000 * statistics.median(warm),
                    unit="ms",
                    floor=1000 * bare,
                    floor_what="the same bare GROUP BY",
                    aim="≤ 1 s",
                    detail={"max_ms": 1000 * max(warm)},
                ),
                Figure(
                    what=f"{line}: GET staffing, 7 days (Erlang C per interval), counts kept",
                    value=1000 * statistics.median(staffing),
                    unit="ms",
                    floor=1000 * bare,
                    floor_what="the same bare GROUP BY",
                    aim="≤ 1 s",
                    detail={"max_ms": 1000 * max(staffing)},
                ),
            ]
            patterns = client.get(f"/api/v1/teams/{team}/shift-patterns", headers=headers).json()
            client.put(
                f"/api/v1/teams/{team}/shift-patterns",
                json={"patterns": PATTERNS, "version": patterns["version"]},
                headers=headers,
            ).raise_for_status()
            proposal = {
                "week": "2026-12-07",
                "target": {"aht_s": 300, "shrinkage_pct": 10},
                "time_limit_s": 60,
            }
            started = time.perf_counter()
            answer = client.post(
                f"/api/v1/teams/{team}/rosters/propose", json=proposal, headers=headers
            )
            took = time.perf_counter() - started
            roster = answer.json()
            assert answer.status_code == 200, answer.text
            figures.append(
                Figure(
                    what=f"{line}: POST propose, a week, {len(roster['assignments'])} shifts "
                    f"({roster['solve_status']})",
                    value=took,
                    unit="s",
                    aim="within the 60 s limit",
                    detail={
                        "under_intervals": roster["under_intervals"],
                        "over_intervals": roster["over_intervals"],
                        "solve_s": roster["solve_seconds"],
                    },
                )
            )
    database.dispose()
    record("wfm_routes", figures, {"db": str(args.db), "rounds": args.rounds})


if __name__ == "__main__":
    main()
