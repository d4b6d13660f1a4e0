"""A rolling upgrade of two instances on one PostgreSQL behind the shipped HAProxy config, with
desks connected (real sync engines and a lead's event stream, as a desk runs them): stop
instance A, migrate the database to the new release's revision, start A on the new release,
then the same for B. The desks keep writing throughout. Every write lands exactly once, none
is refused, and the lead's stream (resumed with Last-Event-ID after each instance it was on
went away) gets every event it is owed, once.

The "new release" is this code plus a revision 0007 that changes nothing
(``server_stub/migrations`` copied with one more file): the mechanism a real release's
migration goes through (``agent-server --migrate`` while the old instance B still serves; B
checks the revision only when it starts)."""

from __future__ import annotations

import itertools
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

import server_stub.migrations
from server_stub.__main__ import main as agent_server
from server_stub.core import schema
from server_stub.models import EventRow
from sync.cache import LocalCache, open_cache
from sync.client import ApiClient
from sync.contract.wire import EventOut
from sync.engine import Backoff, SyncEngine
from sync.event_stream import EventStream
from tests.fakes.haproxy import Haproxy, HaproxyUnavailableError
from tests.fakes.ports import free_port
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

AGENTS = ("wangfang", "alice", "chenjie")  # the medical team: the lead zhangwei's desks
NEW_REVISION = "0007_rolling_noop"
NOOP_MIGRATION = f'''"""A release's migration that changes nothing (test_rolling_upgrade.py)."""

revision = "{NEW_REVISION}"
down_revision = "{{previous}}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''


def token_of(base: str, user: str) -> str:
    answer = requests.post(
        f"{base}/api/v1/auth/login", json={"username": user, "password": "demo1234"}, timeout=30
    )
    answer.raise_for_status()
    return str(answer.json()["token"])


@dataclass
class Desk:
    """An agent's desk: its cache and sync engine, and a thread writing as the agent does."""

    user: str
    cache: LocalCache
    engine: SyncEngine
    team: int
    written: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def start(self) -> None:
        self.engine.start()
        self.thread = threading.Thread(target=self._write, daemon=True)
        self.thread.start()

    def _write(self) -> None:
        for n in itertools.count():
            if self.stop.wait(0.05):
                return
            code = f"ROLL-{self.user}-{n}"
            customer = {"code": code, "name": f"滚动升级 {n}", "team_id": self.team, "contacts": []}
            self.cache.create("customer", customer).result()
            if n % 3 == 0:  # a presence change: an event the lead's stream is owed
                presence = {"state": "not_ready", "reason": code, "sip_uri": ""}
                self.cache.call("presence.set", presence).result()
            self.written.append(code)
            self.engine.changed_locally()


@pytest.fixture
def new_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This code with one more revision; applied only by ``--migrate`` once asked for."""
    copy = tmp_path / "migrations"
    here = Path(server_stub.migrations.__file__).parent
    shutil.copytree(here, copy, ignore=shutil.ignore_patterns("__pycache__"))
    previous = schema.code_revision()
    (copy / "versions" / f"{NEW_REVISION}.py").write_text(
        NOOP_MIGRATION.replace("{previous}", previous), encoding="utf-8"
    )
    yield None
    schema._script.cache_clear()


def upgrade_to_new_release(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(
        server_stub.migrations, "__file__", str(tmp_path / "migrations" / "__init__.py")
    )
    schema._script.cache_clear()


def served_by(proxy: Haproxy) -> bool:
    """HAProxy sends requests to both instances (the one restarted passed its health check)."""
    names = set()
    for _ in range(6):
        try:
            answer = requests.get(f"{proxy.url}/api/v1/health", timeout=5)
            names.add(answer.headers.get("X-AW-Instance", ""))
        except requests.RequestException:
            return False
    return len(names) == 2


@dataclass
class Rig:
    url: str
    ports: list[int]
    instances: list[LiveBackend]
    proxy: Haproxy
    desks: list[Desk] = field(default_factory=list)
    received: list[EventOut] = field(default_factory=list)
    first_event: int = 0
    lead: EventStream | None = None

    def written(self, at_least: int) -> None:
        """Wait until each desk wrote ``at_least`` more."""
        counts = [len(d.written) + at_least for d in self.desks]
        wait_until(
            lambda: all(len(d.written) >= c for d, c in zip(self.desks, counts, strict=True)),
            30,
            f"each desk to write {at_least} more",
        )

    def restart(self, index: int) -> None:
        self.instances[index] = LiveBackend(
            database_url=self.url, seed=False, port=self.ports[index]
        )
        wait_until(lambda: served_by(self.proxy), 30, f"HAProxy to send to instance {index} again")


@pytest.fixture
def rig(postgres_server: Any, tmp_path: Path) -> Iterator[Rig]:
    url = postgres_server.create_database("rolling")
    ports = [free_port(), free_port()]
    instances = [
        LiveBackend(database_url=url, port=ports[0]),
        LiveBackend(database_url=url, seed=False, port=ports[1]),
    ]
    try:
        proxy = Haproxy([f"127.0.0.1:{p}" for p in ports])
    except HaproxyUnavailableError as exc:
        for instance in instances:
            instance.stop()
        pytest.skip(str(exc))
    rig = Rig(url, ports, instances, proxy, first_event=_newest_event(instances[0]))
    fast = Backoff(0.2, 1.0)
    base = proxy.url
    try:
        rig.lead = EventStream(
            base,
            token_of(base, "zhangwei"),
            on_event=rig.received.append,
            last_id=rig.first_event,
            backoff=fast,
        )
        rig.lead.start()
        for user in AGENTS:
            token = token_of(base, user)
            me = requests.get(
                f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=30
            ).json()
            cache = open_cache(tmp_path / f"{user}.sqlite", f"{base}|{user}").cache
            engine = SyncEngine(
                cache,
                lambda token=token: ApiClient(base, token=token),  # type: ignore[misc]
                poll_interval_s=0.5,
                backoff=fast,
                snapshots=False,
            )
            rig.desks.append(Desk(user, cache, engine, int(me["user"]["team"]["id"])))
        for desk in rig.desks:
            desk.start()
        yield rig
    finally:
        if rig.lead is not None:
            rig.lead.stop()
        for desk in rig.desks:
            desk.stop.set()
            desk.engine.stop()
            desk.cache.close()
        proxy.stop()
        for instance in rig.instances:
            instance.stop()


def test_a_rolling_upgrade_loses_no_write_and_no_event(
    rig: Rig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_release: None
) -> None:
    rig.written(5)
    # Instance A: stop it (its desks fail over to B), migrate, start it on the new release.
    rig.instances[0].stop()
    rig.written(5)
    upgrade_to_new_release(monkeypatch, tmp_path)
    assert agent_server(["--database-url", rig.url, "--migrate"]) == 0
    assert schema.code_revision() == NEW_REVISION
    rig.written(5)  # B, of the old release, serves a database at the new revision meanwhile
    rig.restart(0)
    rig.written(5)
    # Then instance B.
    rig.instances[1].stop()
    rig.written(5)
    rig.restart(1)
    rig.written(5)

    for desk in rig.desks:
        desk.stop.set()
        assert desk.thread is not None
        desk.thread.join(30)
        desk.engine.sync_now()
    wait_until(
        lambda: all(d.cache.counts().waiting == 0 for d in rig.desks),
        60,
        "every desk's outbox to be sent",
    )
    for desk in rig.desks:
        counts = desk.cache.counts()
        assert (counts.failed, counts.conflicts) == (0, 0), desk.user  # no failed push
    _check_every_write_once(rig.proxy.url, rig.desks)
    last = _newest_event(rig.instances[0])
    wait_until(
        lambda: rig.received and rig.received[-1].id >= last, 30, "the lead's stream to catch up"
    )
    owed = _events_owed(rig.proxy.url, rig.first_event)
    assert [e.id for e in rig.received] == owed  # every event owed, once, in order
    reasons = {e.data.get("reason") for e in rig.received if e.kind == "presence"}
    assert any(str(r).startswith("ROLL-") for r in reasons)


def _newest_event(instance: LiveBackend) -> int:
    with instance.database.session() as session:
        return int(session.scalar(select(func.max(EventRow.id))) or 0)


def _check_every_write_once(base: str, desks: list[Desk]) -> None:
    admin = {"Authorization": f"Bearer {token_of(base, 'admin')}"}
    for desk in desks:
        query: dict[str, str | int] = {"q": f"ROLL-{desk.user}-", "limit": 500}
        found = requests.get(
            f"{base}/api/v1/customers",
            params=query,
            headers=admin,
            timeout=30,
        ).json()
        codes = [c["code"] for c in found]
        assert sorted(codes) == sorted(desk.written), desk.user  # each once, none lost


def _events_owed(base: str, after: int) -> list[int]:
    """The lead's events after ``after`` as a fresh stream replays them from the database."""
    ids: list[int] = []
    headers = {"Authorization": f"Bearer {token_of(base, 'zhangwei')}"}
    with requests.get(
        f"{base}/api/v1/events",
        params={"after": after, "timeout_s": 3},
        headers=headers,
        stream=True,
        timeout=30,
    ) as stream:
        for line in stream.iter_lines(decode_unicode=True):
            if line.startswith("id: ") and line[4:].isdigit():
                ids.append(int(line[4:]))
    return sorted(set(ids))
