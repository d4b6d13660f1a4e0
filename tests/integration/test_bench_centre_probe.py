"""The centre load test's probe (bench/centre_probe.py) on the real server: one desk in a process
of its own writes in the steady phase and after the outage, each of its call records answered
201 and stored once, and the table reports its latencies beside the load client's, with the
load client's loop lag during the backlog flush."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from bench import bench_centre, centre_servers, results
from server_stub.models import InteractionRow

pytestmark = pytest.mark.slow


def test_a_short_centre_run_reports_the_probe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(results, "RESULTS", tmp_path)
    kept: list[centre_servers.Centre] = []

    class KeptCentre(centre_servers.Centre):
        def close(self) -> None:  # the database stays until the probe's rows are counted
            kept.append(self)
            self.stop_servers()

    monkeypatch.setattr(bench_centre, "Centre", KeptCentre)
    assert (
        bench_centre.main(
            [
                "--backend",
                "sqlite",
                "--desks",
                "3",
                "--duration",
                "3",
                "--outage",
                "2",
                "--burst",
                "3",
                "--presence-every",
                "0.5",
                "--name",
                "probe_test",
            ]
        )
        == 0
    )
    document = json.loads((tmp_path / "probe_test.json").read_text(encoding="utf-8"))
    figures = {f["what"]: f for f in document["figures"]}
    steady = figures["call-record write p95, steady, one desk in a process of its own (probe)"]
    after = figures[
        "call-record write p95, from the outage's end, one desk in a process of its own (probe)"
    ]
    assert steady["detail"]["n"] >= 5
    assert steady["detail"]["errors"] == 0
    assert after["detail"]["n"] >= 5
    assert figures["errors (all kinds, retried ones included)"]["value"] == 0
    assert (
        figures["call records lost (acknowledged, or queued and never acknowledged)"]["value"] == 0
    )
    assert "load client event-loop lag p95, during the backlog flush" in figures
    # Every probe write answered 201 is one row on the server, none twice.
    engine = create_engine(kept[0].database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(InteractionRow.notes, func.count())
                .where(InteractionRow.notes.like("probe-%"))
                .group_by(InteractionRow.notes)
            ).all()
    finally:
        engine.dispose()
        centre_servers.Centre.close(kept[0])
    assert len(rows) >= steady["detail"]["n"] + after["detail"]["n"]
    assert all(n == 1 for _, n in rows)
