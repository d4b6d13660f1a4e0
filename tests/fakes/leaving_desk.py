"""A real desk at a real site, for leaving it (issue 26): the ``Workstation`` signed in to the
real backend over HTTP (through a fault proxy), its phone registered at Kamailio, customers
played by SIPp. Used by ``tests/sip/test_leaving_the_desk.py`` and ``bench/bench_quit.py``.

Waits run the Qt event loop while they poll (``wait_qt``), as ``qtbot.waitUntil`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from agent_desktop.app import LaunchOptions, Workstation
from agent_desktop.config import Settings
from agent_desktop.tasks import TaskRunner
from server_stub.models import ChangeRow, InteractionRow, PresenceRow, UserRow
from softphone import CallState
from sync.contract.records import AgentState
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.kamailio import Kamailio
from tests.fakes.proxy import FaultProxy
from tests.fakes.servers import LiveBackend
from tests.fakes.sipp import Sipp
from tests.fakes.waiting import wait_until

WAIT_S = 20.0
DESK = "agent1001"
AGENT = "wangfang"
CALLER = "13700137000"  # not a seeded customer's: the history is read by number


def wait_qt(predicate: Callable[[], object], what: str, timeout_s: float = WAIT_S) -> None:
    """Until ``predicate`` holds, the Qt event loop running between looks."""

    def look() -> object:
        QApplication.processEvents()
        return predicate()

    wait_until(look, timeout_s, what)


@dataclass
class Site:
    backend: LiveBackend
    proxy: FaultProxy  # between the desk and the backend: "down" takes the server away
    pbx: Kamailio
    tmp: Path
    desks: list[Workstation]
    customers: list[Sipp]

    def desk(self, direct: bool = False) -> Workstation:
        """A desk signed in as the agent (through the fault proxy unless ``direct``)."""
        url = self.backend.url if direct else self.proxy.url
        settings = Settings(
            server_url=url, sip_user=DESK, sip_domain=self.pbx.domain,
            sip_registrar=f"sip:{self.pbx.address}", sip_bind_address="127.0.0.1", sip_port=0,
            request_timeout_s=3, remember_sign_in=False,
        )  # fmt: skip
        options = LaunchOptions(profile_dir=self.tmp / "profile", headless=True)
        desk = Workstation(
            QApplication.instance(),  # type: ignore[arg-type]
            settings,
            options,
            credentials=MemoryCredentialStore(),
            tasks=TaskRunner(),
        )
        self.desks.append(desk)
        desk.session.sign_in(url, AGENT, "demo1234", remember=False)
        return desk

    def customer(self, scenario: str, desk: Workstation, tag: str = "") -> Sipp:
        tmp = self.tmp / f"sipp{tag or len(self.customers)}"
        tmp.mkdir(exist_ok=True)
        caller = Sipp(
            scenario, tmp, remote=desk.phone.local_address, fields=["客户", CALLER],
            extra=["-key", "h1", "X-Filler: -"],  # uac_queue's queue header: none here
        )  # fmt: skip
        self.customers.append(caller)
        return caller

    def interactions(self) -> list[InteractionRow]:
        with self.backend.database.session() as session:
            rows = session.scalars(
                select(InteractionRow).where(InteractionRow.remote_number == CALLER)
            )
            return list(rows)

    def presence_history(self) -> list[str]:
        """The agent's states as the server took them, in order (its change feed)."""
        with self.backend.database.session() as session:
            user = session.scalars(select(UserRow).where(UserRow.username == AGENT)).one()
            rows = session.scalars(
                select(ChangeRow)
                .where(ChangeRow.entity == "presence", ChangeRow.entity_id == user.id)
                .order_by(ChangeRow.seq)
            )
            return [str((row.data or {}).get("state")) for row in rows]

    def presence(self) -> str:
        with self.backend.database.session() as session:
            user = session.scalars(select(UserRow).where(UserRow.username == AGENT)).one()
            row = session.get(PresenceRow, user.id)
            return "" if row is None else row.state


@contextmanager
def open_site(tmp: Path) -> Iterator[Site]:
    """Backend, fault proxy and Kamailio for one test (or bench round); everything it started
    stopped at the end, each desk quit first if it has not."""
    backend = LiveBackend(tmp / "server.sqlite")
    proxy = FaultProxy(backend.url)
    pbx = Kamailio(tmp)
    site = Site(backend, proxy, pbx, tmp, [], [])
    try:
        yield site
    except BaseException:
        print(pbx.report())  # noqa: T201 - beside the failure
        raise
    finally:
        try:
            for caller in site.customers:
                caller.stop()
            for desk in site.desks:
                if not desk.tasks.closed:
                    desk.shutdown()
                if desk.desk_built:
                    desk.main_window.deleteLater()
        finally:  # a desk that failed half-built must not leave Kamailio running
            pbx.stop()
            proxy.stop()
            backend.stop()


def ready(site: Site, desk: Workstation) -> None:
    """Signed in and synced, the phone registered, the agent Ready on the server."""
    wait_qt(lambda: desk.desk_built and desk.sync.status.state == "online", "the first sync")
    wait_qt(lambda: bool(site.pbx.contacts(DESK)), "the desk's binding at Kamailio")
    wait_qt(lambda: desk.agent_state.status.state == AgentState.NOT_READY, "the signed-in state")
    desk.agent_state.request(AgentState.READY)
    wait_qt(lambda: site.presence() == "ready", "Ready on the server")


def ringing(desk: Workstation) -> int:
    """The customer's call rings at the desk: its id."""
    wait_qt(lambda: bool(desk.phone.calls()), "the customer's call to ring")
    call = desk.phone.calls()[0]
    assert call.state == CallState.INCOMING
    return call.call_id


def talking(site: Site, desk: Workstation) -> None:
    """The ringing call answered, connected, and the server shows the agent on a call."""
    desk.phone.answer(ringing(desk))
    wait_qt(
        lambda: (
            desk.agent_state.status.state == AgentState.ON_CALL
            and desk.phone.calls()[0].state == CallState.CONNECTED
        ),
        "the call to connect",
    )
    wait_qt(lambda: site.presence() == "on_call", "on a call on the server")
