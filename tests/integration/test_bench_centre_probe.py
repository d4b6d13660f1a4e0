"""The centre load test's probe (bench/centre_probe.py) on the real server: one desk in a process
of its own writes in the steady phase and after the outage, each of its call records answered
201 and stored once, and the table reports its latencies beside the load client's, with the
load client's loop lag during the backlog flush. The same with the desks over two client
processes (bench/centre_shards.py): the parent's merged figures and its count on the server
cover every process's desks, each call record stored exactly once."""

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
                "--client-procs",
                "1",
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
    assert "load client event-loop lag p95, during the backlog flush (all its processes)" in figures
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


def _stored(database_url: str, pattern: str) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(InteractionRow.notes, func.count())
                .where(InteractionRow.notes.like(pattern))
                .group_by(InteractionRow.notes)
            ).all()
    finally:
        engine.dispose()
    return {str(notes): int(n) for notes, n in rows}


def test_a_short_sharded_run_merges_every_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(results, "RESULTS", tmp_path)
    kept: list[centre_servers.Centre] = []

    class KeptCentre(centre_servers.Centre):
        def close(self) -> None:  # the database stays until the rows are counted
            kept.append(self)
            self.stop_servers()

    monkeypatch.setattr(bench_centre, "Centre", KeptCentre)
    desks = 30  # two teams (seed_centre.TEAM_SIZE 25): one process each
    argv = ["--backend", "sqlite", "--desks", str(desks), "--duration", "4", "--outage", "2"]
    argv += ["--burst", "3", "--presence-every", "1", "--client-procs", "2", "--name", "shard"]
    assert bench_centre.main(argv) == 0
    document = json.loads((tmp_path / "shard.json").read_text(encoding="utf-8"))
    parameters = document["parameters"]
    figures = {f["what"]: f for f in document["figures"]}
    assert parameters["client_procs"] == 2
    assert sorted(parameters["client_desks"]) == [5, 25]
    assert parameters["errors"] == {}
    for what in (
        "errors (all kinds, retried ones included)",
        "events owed to a stream and not delivered",
        "call records lost (acknowledged, or queued and never acknowledged)",
        "call records doubled on the server",
    ):
        assert figures[what]["value"] == 0, what
    # Both processes' desks wrote, were merged, and the parent counted them.
    steady = next(f for w, f in figures.items() if w.startswith("call-record write p95, steady ("))
    assert "2 client processes" in steady["what"]
    assert steady["detail"]["n"] >= 5
    assert figures["event delivery p95, presence change sent → each team stream"]["detail"]["n"]
    for process in (1, 2):
        lag = next(
            f for w, f in figures.items() if w.startswith(f"load client process {process} of 2")
        )
        assert lag["detail"]["whole_run_p95"] >= 0
    try:
        stored = _stored(kept[0].database_url, "lt%")
        probed = _stored(kept[0].database_url, "probe-%")
    finally:
        centre_servers.Centre.close(kept[0])
    writers = {int(marker.split("-")[1]) for marker in stored}
    assert min(writers) < 25 <= max(writers)  # desks of both processes wrote
    assert len(stored) == parameters["server_count"]["found"]
    assert all(n == 1 for n in stored.values())
    assert probed
    assert all(n == 1 for n in probed.values())
