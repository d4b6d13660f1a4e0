"""Desk-issued ticket numbers stay unique without the network: one agent signed in on two PCs,
both offline, numbers tickets the same day; online, every ticket keeps the number the caller was
told (the desk's device id in the number, sync.contract.rules.TICKET_NUMBER)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.services.sync_service import SyncService
from agent_desktop.services.work import WorkService
from agent_desktop.tasks import TaskRunner
from sync.client import ApiClient
from sync.contract.rules import TICKET_NUMBER
from sync.contract.wire import TicketIn
from tests.fakes.proxy import FaultProxy
from tests.fakes.work import DeskSync
from tests.sync.conftest import DEMO_PASSWORD, Desk, Floor

pytestmark = pytest.mark.slow


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def test_one_agent_on_two_pcs_offline_keeps_every_number_told(
    qtbot: QtBot, floor: Floor, tasks: TaskRunner
) -> None:
    with ApiClient(floor.backend.url) as api:
        grant = api.login("wangfang", DEMO_PASSWORD)
    pcs: list[tuple[Desk, WorkService]] = []
    for name in ("pc1", "pc2"):
        proxy = FaultProxy(floor.backend.url)
        floor.proxies.append(proxy)
        desk = Desk("wangfang", floor.tmp / name / "cache.sqlite", proxy, grant.token)
        floor.desks.append(desk)
        desk.sync()
        work = WorkService(cast(SyncService, DeskSync(desk.cache, grant=grant)), tasks)
        pcs.append((desk, work))
    customer = min(pcs[0][0].records("customer"))
    told: list[str] = []
    for desk, _work in pcs:
        desk.proxy.mode = "down"
    for _round in range(2):  # interleaved: both PCs count 1, 2 for the same day and agent
        for desk, work in pcs:
            number = work.next_ticket_number()
            told.append(number)  # read to the caller now
            desk.cache.create(
                "ticket",
                {"customer_id": customer, "category": "fault", "summary": f"来电 {number}",
                 "number": number},
            ).result()  # fmt: skip
    assert len(set(told)) == 4, told
    assert all(TICKET_NUMBER.match(n) for n in told), told
    devices = {n.split("-")[3] for n in told}
    assert len(devices) == 2  # one id per PC, kept in its cache
    assert pcs[0][0].cache.meta_value("device_id") in devices
    for desk, _work in pcs:
        desk.proxy.mode = "pass"
        desk.sync()
    for desk, _work in pcs:
        desk.sync()
    on_server = {t["number"] for t in floor.server("/tickets", "wangfang", limit=200)}
    assert set(told) <= on_server
    for desk, work in pcs:
        assert set(told) <= {t["number"] for t in desk.records("ticket").values()}
        assert desk.cache.counts().failed == 0
        work.close()


def test_numbers_issued_before_device_ids_are_still_valid() -> None:
    assert (
        TicketIn.model_validate(
            {"number": "SR-20261123-7-001", "customer_id": 1, "category": "fault", "summary": "x"}
        ).number
        == "SR-20261123-7-001"
    )
    assert (
        TicketIn.model_validate(
            {
                "number": "SR-20261123-7-K7M-001",
                "customer_id": 1,
                "category": "fault",
                "summary": "x",
            }
        ).number
        == "SR-20261123-7-K7M-001"
    )
    for bad in ("SR-20261123-7-K0M-001", "SR-20261123-7-KM-001", "SR-20261123-7-k7m-001"):
        assert not TICKET_NUMBER.match(bad)
