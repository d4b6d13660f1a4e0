"""``agent-server backup`` / ``restore`` for real: a server on SQLite or PostgreSQL written to
over HTTP while the backup is taken, the backup restored into a fresh database, a fresh server
on it at the same address. It serves the same records (every customer acknowledged before the
backup, none of those after it: one consistent moment), and a desk that pulled after the
backup goes on: its cursor and its last event id are beyond what the restored database holds,
and it still receives every row and event written after the restore."""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from server_stub.backup_cli import BACKUP, RESTORE, run
from server_stub.core.config import ServerSettings
from server_stub.models import EventRow
from sync.cache import open_cache
from sync.client import ApiClient
from sync.engine import SyncEngine
from tests.fakes.ports import free_port
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until
from tests.integration.conftest import Api

pytestmark = pytest.mark.timeout(300)
_names = itertools.count()


def login(base: str, user: str) -> dict[str, str]:
    answer = requests.post(
        f"{base}/api/v1/auth/login", json={"username": user, "password": "demo1234"}, timeout=30
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def cli(command: str, *args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = run(list(args), command, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


class Place:
    """Where a database lives, and the CLI's words for it."""

    def __init__(self, kind: str, tmp_path: Path, postgres: Any) -> None:
        self.kind, self._tmp, self._pg = kind, tmp_path, postgres

    def new(self, name: str) -> tuple[str, list[str]]:
        """A fresh database: its URL and the CLI's option naming it."""
        if self.kind == "sqlite":
            path = self._tmp / f"{name}.sqlite"
            return ServerSettings.sqlite_file(path), ["--database", str(path)]
        url: str = self._pg.create_database(f"bk_{name}_{next(_names)}")
        return url, ["--database-url", url]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Place:
    postgres = request.getfixturevalue("postgres_server") if request.param == "postgresql" else None
    return Place(request.param, tmp_path, postgres)


def everything(base: str, headers: dict[str, str]) -> dict[str, Any]:
    """What the server serves an admin: every customer, ticket and interaction."""

    def pages(path: str) -> list[Any]:
        got: list[Any] = []
        while True:
            page = requests.get(
                f"{base}/api/v1{path}",
                params={"limit": 500, "offset": len(got)},
                headers=headers,
                timeout=30,
            ).json()
            got += page
            if len(page) < 500:
                return got

    customers = pages("/customers")
    interactions = {
        c["id"]: requests.get(
            f"{base}/api/v1/customers/{c['id']}/interactions", headers=headers, timeout=30
        ).json()
        for c in customers
    }
    return {"customers": customers, "tickets": pages("/tickets"), "interactions": interactions}


class Writer(threading.Thread):
    """Creates customers BK-0, BK-1, … one after another over HTTP; ``acknowledged`` in order."""

    def __init__(self, base: str, headers: dict[str, str], team: int) -> None:
        super().__init__(daemon=True)
        self.base, self.headers, self.team = base, headers, team
        self.acknowledged: list[str] = []
        self.failures: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        for n in itertools.count():
            if self.stop.is_set():
                return
            code = f"BK-{n}"
            answer = requests.post(
                f"{self.base}/api/v1/customers",
                json={"code": code, "name": f"备份客户 {n}", "team_id": self.team, "contacts": []},
                headers=self.headers,
                timeout=30,
            )
            if answer.status_code != 201:
                self.failures.append(f"{code}: {answer.status_code} {answer.text}")
                return
            self.acknowledged.append(code)


def listen(
    base: str, headers: dict[str, str], into: list[dict[str, Any]], ready: threading.Event
) -> None:
    with requests.get(
        f"{base}/api/v1/events",
        params={"timeout_s": 8},
        headers=headers,
        stream=True,
        timeout=30,
    ) as stream:
        event: dict[str, Any] = {}
        for line in stream.iter_lines(decode_unicode=True):
            if line.startswith("retry: "):
                ready.set()
            elif line.startswith("id: "):
                event["id"] = int(line[4:])
            elif line.startswith("event: "):
                event["kind"] = line[7:]
            elif line.startswith("data: "):
                event.update(json.loads(line[6:]))
            elif not line and "kind" in event:
                into.append(event)
                event = {}


@dataclass
class Before:
    """What the original server served and the desk held when it stopped."""

    team: int
    customer: dict[str, Any]
    ticket: dict[str, Any]
    writer: Writer
    before: int  # customers acknowledged when the backup began
    during: int  # and when it ended
    served: dict[str, Any]  # ``everything`` at the end
    last_event: int
    desk_cursor: int


def seed_and_back_up(base: str, option: list[str], backup: Path, engine: SyncEngine) -> Before:
    agent = login(base, "wangfang")
    me = requests.get(f"{base}/api/v1/me", headers=agent, timeout=30).json()
    team = int(me["user"]["team"]["id"])
    customer = requests.get(f"{base}/api/v1/customers", headers=agent, timeout=30).json()[0]
    ticket = requests.post(
        f"{base}/api/v1/tickets",
        json={"customer_id": customer["id"], "category": "billing", "summary": "备份前的工单"},
        headers=agent,
        timeout=30,
    ).json()
    call = requests.post(
        f"{base}/api/v1/interactions",
        json={
            "customer_id": customer["id"],
            "kind": "call_in",
            "started_at": "2026-11-02T09:00:00+00:00",
            "ended_at": "2026-11-02T09:03:00+00:00",
            "answered_at": "2026-11-02T09:00:05+00:00",
            "talk_s": 175,
            "ticket_ids": [ticket["id"]],
        },
        headers=agent,
        timeout=30,
    )
    assert call.status_code == 201, call.text
    engine.run_once()
    writer = Writer(base, agent, team)
    writer.start()
    wait_until(lambda: len(writer.acknowledged) >= 5, 30, "writes before the backup")
    before = len(writer.acknowledged)
    code, _out, err = cli(BACKUP, *option, "--to", str(backup))
    during = len(writer.acknowledged)
    assert (code, err) == (0, "")
    wait_until(lambda: len(writer.acknowledged) >= during + 5, 30, "writes after the backup")
    writer.stop.set()
    writer.join(30)
    assert writer.failures == []
    engine.run_once()  # the desk now holds rows the backup does not
    return Before(
        team=team,
        customer=customer,
        ticket=ticket,
        writer=writer,
        before=before,
        during=during,
        served=everything(base, login(base, "admin")),
        last_event=0,
        desk_cursor=engine.cache.cursor(),
    )


def check_served(base: str, was: Before) -> None:
    now = everything(base, login(base, "admin"))
    kept = [c["code"] for c in now["customers"] if c["code"].startswith("BK-")]
    # One moment: every write acknowledged before the backup began, then a prefix of those
    # acknowledged while it ran, and nothing after.
    assert kept == was.writer.acknowledged[: len(kept)]
    assert was.before <= len(kept) <= was.during
    lost = set(was.writer.acknowledged[len(kept) :])
    assert now["customers"] == [c for c in was.served["customers"] if c["code"] not in lost]
    assert now["tickets"] == was.served["tickets"]
    assert now["interactions"] == {
        k: v for k, v in was.served["interactions"].items() if k in now["interactions"]
    }
    calls = now["interactions"][was.customer["id"]]
    assert any(was.ticket["id"] in i["ticket_ids"] for i in calls)


def check_desk_goes_on(
    base: str, was: Before, engine: SyncEngine, *, records_renumbered: bool
) -> None:
    """The desk's cursor and the lead's last event id are beyond the restored database's;
    what is written now still reaches both, and the desk's new write lands once."""
    cache = engine.cache
    events: list[dict[str, Any]] = []
    ready = threading.Event()
    lead = {**login(base, "zhangwei"), "Last-Event-ID": str(was.last_event)}
    stream = threading.Thread(target=listen, args=(base, lead, events, ready), daemon=True)
    stream.start()
    assert ready.wait(15)
    made = requests.post(
        f"{base}/api/v1/customers",
        json={"code": "AFTER-RESTORE", "name": "恢复后", "team_id": was.team, "contacts": []},
        headers=login(base, "wangfang"),
        timeout=30,
    )
    assert made.status_code == 201, made.text
    presence = requests.put(
        f"{base}/api/v1/presence/me",
        json={"state": "not_ready", "reason": "after-restore"},
        headers=login(base, "alice"),
        timeout=30,
    )
    assert presence.status_code == 200
    desk_write = {"code": "DESK-AFTER", "name": "桌面恢复后", "team_id": was.team, "contacts": []}
    cache.create("customer", desk_write).result()
    cursor = cache.cursor()
    feed = requests.get(
        f"{base}/api/v1/changes",
        params={"after": cursor},
        headers=login(base, "wangfang"),
        timeout=30,
    ).json()
    # The feed from the desk's cursor (beyond the restored head) carries the new record.
    assert made.json()["id"] in {c["id"] for c in feed["changes"] if c["entity"] == "customer"}
    engine.run_once()
    engine.run_once()
    codes = {r.data["code"] for r in cache.all("customer")}
    assert "DESK-AFTER" in codes
    assert cache.cursor() > was.desk_cursor
    if records_renumbered:
        assert "AFTER-RESTORE" in codes
    else:
        # SQLite numbers a record one above the highest it has: the new customer took the
        # number of one the backup lost and the desk still holds (installer/README.md: IT
        # resets the desks after restoring an older SQLite backup).
        assert made.json()["id"] <= max(c["id"] for c in was.served["customers"])
    found = requests.get(
        f"{base}/api/v1/customers",
        params={"q": "DESK-AFTER"},
        headers=login(base, "admin"),
        timeout=30,
    ).json()
    assert [c["code"] for c in found] == ["DESK-AFTER"]  # pushed once
    wait_until(
        lambda: any(e.get("data", {}).get("reason") == "after-restore" for e in list(events)),
        15,
        "the lead's stream, resumed from an id beyond the restored events, to get the change",
    )
    stream.join(30)


def test_a_backup_taken_during_writes_restores_into_a_fresh_server_that_serves_the_same(
    place: Place, tmp_path: Path
) -> None:
    url, option = place.new("live")
    port = free_port()
    backup = tmp_path / "server.backup"
    original = LiveBackend(database_url=url, port=port)
    token = login(original.url, "wangfang")["Authorization"].removeprefix("Bearer ")
    cache = open_cache(tmp_path / "desk.sqlite", f"{original.url}|wangfang").cache
    # A desk that syncs before and after the backup, through the real engine, at one address.
    engine = SyncEngine(cache, lambda: ApiClient(original.url, token=token), snapshots=False)
    try:
        was = seed_and_back_up(original.url, option, backup, engine)
        with original.database.session() as session:
            was.last_event = int(session.scalar(select(func.max(EventRow.id))) or 0)
    finally:
        original.stop()
    assert cli(BACKUP, *option, "--to", str(backup))[0] == 2  # a backup never overwrites

    fresh_url, fresh_option = place.new("restored")
    code, out, err = cli(RESTORE, *fresh_option, "--from", str(backup))
    assert (code, err) == (0, "")
    assert "start the servers on it" in out
    restored = LiveBackend(database_url=fresh_url, seed=False, port=port)
    try:
        check_served(restored.url, was)
        check_desk_goes_on(restored.url, was, engine, records_renumbered=place.kind == "postgresql")
    finally:
        cache.close()
        restored.stop()


def test_refusals_are_worded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live = LiveBackend(tmp_path / "a.sqlite")
    live.stop()
    target = tmp_path / "a.backup"
    target.write_bytes(b"")
    code, _out, err = cli(BACKUP, "--database", str(tmp_path / "a.sqlite"), "--to", str(target))
    assert code == 2
    assert "exists" in err
    code, _out, err = cli(BACKUP, "--database", str(tmp_path / "none.sqlite"), "--to", "x")
    assert code == 2
    assert "no such SQLite file" in err
    assert not (tmp_path / "none.sqlite").exists()  # never created by a typo
    code, _out, err = cli(BACKUP, "--database-url", "sqlite:///x.sqlite", "--to", "x")
    assert code == 2
    assert "for PostgreSQL" in err
    code, _out, err = cli(BACKUP, "--database-url", "not a url", "--to", "x")
    assert code == 2
    assert "not a database URL" in err
    fresh = tmp_path / "fresh.sqlite"
    code, _out, err = cli(RESTORE, "--database", str(fresh), "--from", str(target))
    assert code == 2
    assert "not an Agent Workstation server database" in err
    assert not fresh.exists()
    good = tmp_path / "good.backup"
    assert cli(BACKUP, "--database", str(tmp_path / "a.sqlite"), "--to", str(good))[0] == 0
    code, _out, err = cli(RESTORE, "--database", str(tmp_path / "a.sqlite"), "--from", str(good))
    assert code == 2
    assert "exists" in err
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _out, err = cli(
        BACKUP, "--database-url", "postgresql+psycopg://u:p@127.0.0.1:1/db", "--to", "y"
    )
    assert code == 2
    assert "pg_dump is not installed" in err


def test_the_password_reaches_pg_dump_in_a_private_file_not_its_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat
    import subprocess

    seen: dict[str, Any] = {}

    def fake_run(command: list[str], env: dict[str, str], **_kw: Any) -> Any:
        seen["command"], seen["env"] = command, env
        passfile = Path(env["PGPASSFILE"])
        seen["mode"] = stat.S_IMODE(passfile.stat().st_mode)
        seen["pass"] = passfile.read_text()
        Path(command[command.index("--file") + 1]).write_bytes(b"dump")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr("server_stub.backup_cli.subprocess.run", fake_run)
    monkeypatch.setattr("server_stub.backup_cli.shutil.which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setenv("PGPASSWORD", "leaked-from-outside")
    target = tmp_path / "pg.backup"
    url = "postgresql+psycopg://it:s3cr%3At@db.example:5433/centre"
    assert cli(BACKUP, "--database-url", url, "--to", str(target))[0] == 0
    assert "s3cr" not in " ".join(seen["command"])
    assert seen["mode"] == 0o600
    assert seen["pass"] == "*:*:*:*:s3cr\\:t\n"
    env = seen["env"]
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.example",
        "5433",
        "it",
        "centre",
    )
    assert "PGPASSWORD" not in env
    assert not any("s3cr" in v for v in env.values())
    assert not Path(env["PGPASSFILE"]).exists()  # deleted afterwards
    assert target.read_bytes() == b"dump"
    assert os.environ["PGPASSWORD"] == "leaked-from-outside"  # ours untouched


@pytest.mark.slow
def test_postgres_refusals_are_worded(postgres_server: Any, tmp_path: Path) -> None:
    live = postgres_server.create_database("bk_refusals")
    LiveBackend(database_url=live).stop()
    backup = tmp_path / "pg.backup"
    assert cli(BACKUP, "--database-url", live, "--to", str(backup))[0] == 0
    # Onto a database with data: refused, untouched.
    code, _out, err = cli(RESTORE, "--database-url", live, "--from", str(backup))
    assert code == 2
    assert "is not empty" in err
    # A database that does not exist: said, with what to do.
    missing = live.rsplit("/", 1)[0] + "/no_such_db"
    code, _out, err = cli(RESTORE, "--database-url", missing, "--from", str(backup))
    assert code == 2
    assert "createdb" in err
    code, _out, err = cli(BACKUP, "--database-url", missing, "--to", str(tmp_path / "x"))
    assert code == 2
    assert "pg_dump failed" in err
    assert "no_such_db" in err
    assert not (tmp_path / "x").exists()


def test_a_feed_cursor_beyond_the_head_is_answered_with_the_head(api: Api) -> None:
    """A restore made by hand (pg_restore, a file copied back) moves nothing on: a desk's
    cursor beyond the head is answered with the head, so it takes the rows written next."""
    page = api.ok("GET", "/changes", "wangfang", limit=1000)
    while page["has_more"]:
        page = api.ok("GET", "/changes", "wangfang", after=page["cursor"], limit=1000)
    head = page["cursor"]
    beyond = api.ok("GET", "/changes", "wangfang", after=head + 500)
    assert (beyond["changes"], beyond["cursor"], beyond["has_more"]) == ([], head, False)


def test_the_url_may_come_from_the_environment_and_libpq_finds_its_own_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    seen: dict[str, Any] = {}

    def fake_run(command: list[str], env: dict[str, str], **_kw: Any) -> Any:
        seen["command"], seen["env"] = command, env
        Path(command[command.index("--file") + 1]).write_bytes(b"dump")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr("server_stub.backup_cli.subprocess.run", fake_run)
    monkeypatch.setattr("server_stub.backup_cli.shutil.which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setenv("AGENT_SERVER_DATABASE_URL", "postgresql+psycopg://it@db.example/centre")
    monkeypatch.setenv("PGPASSWORD", "from-the-environment")
    assert cli(BACKUP, "--to", str(tmp_path / "env.backup"))[0] == 0
    assert seen["env"]["PGDATABASE"] == "centre"
    assert seen["env"]["PGPASSWORD"] == "from-the-environment"  # libpq's to use
    assert "PGPASSFILE" not in seen["env"]
    monkeypatch.delenv("AGENT_SERVER_DATABASE_URL")
    with pytest.raises(SystemExit):  # no database named at all: a usage error
        cli(BACKUP, "--to", str(tmp_path / "none.backup"))
