"""The ticket list follows changes row by row: the flat model and the views' model apply a
TicketDiff with row signals (never a reset), every view stays as a fresh filter and sort would
make it, and the selected ticket stays selected. End to end on a real cache: a synced change to
one ticket, to a customer, a deleted ticket and a local edit each reach their rows only."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt
from pytestqt.qtbot import QtBot

from agent_desktop.services.ticket_index import TicketDiff
from agent_desktop.services.work import WorkService
from agent_desktop.ui.models.ticket_filter import TicketFilter
from agent_desktop.ui.models.ticket_prep import TicketPreparer
from agent_desktop.ui.models.tickets_model import (
    COLUMNS,
    MANY_CHANGED,
    Column,
    TicketRow,
    TicketTableModel,
    View,
)
from agent_desktop.ui.panels.tickets_panel import TicketsPanel
from sync.cache import LocalCache
from sync.contract.wire import ChangeOut, TicketPatch
from sync.work_views import TicketLine
from tests.fakes.work import AGENT_ID, _ticket

TIMEOUT = 10_000
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ME = 7
STATUSES = ("new", "in_progress", "waiting_customer", "resolved", "closed")


def line(ticket_id: int, **changes: Any) -> TicketLine:
    base = TicketLine(
        id=ticket_id,
        number=f"SR-{ticket_id:05d}",
        customer_id=1,
        customer="协和医院",
        summary=f"pump alarm {ticket_id}",
        status="new",
        priority="P3",
        category="fault.alarm",
        complaint=False,
        handler_id=ME,
        handler="王芳",
        opened_at=NOW - timedelta(hours=ticket_id),
        sla_due_at=None,
        resolve_due_at=NOW + timedelta(hours=ticket_id),
        escalation_level=0,
        serial=f"SN-{ticket_id}",
        model="IP-300",
        state="synced",
        asset_id=11,
    )
    return replace(base, **changes)


class Resets(QObject):
    def __init__(self, *models: Any) -> None:
        super().__init__()
        self.count = 0
        for model in models:
            model.modelReset.connect(self._reset)

    def _reset(self) -> None:
        self.count += 1


def models(
    qtmodeltester: Any, lines: list[TicketLine], preparer: TicketPreparer | None = None
) -> tuple[TicketTableModel, TicketFilter]:
    model = TicketTableModel(now=lambda: NOW)
    proxy = TicketFilter(lambda: ME, lambda: NOW, preparer=preparer)
    proxy.setSourceModel(model)
    model.set_rows(lines, preparer.whole(lines) if preparer is not None else None)
    qtmodeltester.check(model)  # Qt's model tester keeps watching every signal from here on
    qtmodeltester.check(proxy)
    return model, proxy


def shown(proxy: TicketFilter) -> list[int]:
    return [
        proxy.data(proxy.index(r, 0), Qt.ItemDataRole.UserRole).id for r in range(proxy.rowCount())
    ]


def test_a_diff_inserts_updates_and_removes_rows_without_a_reset(qtmodeltester: Any) -> None:
    model, proxy = models(qtmodeltester, [line(1), line(2), line(3, handler_id=8)])
    proxy.sort(COLUMNS.index(Column.RESOLVE), Qt.SortOrder.AscendingOrder)
    resets = Resets(model, proxy)
    assert shown(proxy) == [1, 2]  # my tickets, soonest deadline first
    model.apply(TicketDiff(inserted=(line(4, resolve_due_at=NOW),)))
    assert shown(proxy) == [4, 1, 2]
    model.apply(TicketDiff(updated=(line(1, resolve_due_at=NOW + timedelta(days=9)),)))
    assert shown(proxy) == [4, 2, 1]  # moved to its new place
    model.apply(TicketDiff(updated=(line(2, status="closed"), line(3, handler_id=ME))))
    assert shown(proxy) == [4, 3, 1]  # a closed ticket leaves my tickets, one handed to me joins
    model.apply(TicketDiff(removed=(4,)))
    assert shown(proxy) == [3, 1]
    assert model.rowCount() == 3
    assert model.row_of(4) == -1
    proxy.set_view(View.ALL)
    assert shown(proxy) == [3, 1, 2]  # a closed ticket has no deadline: last
    assert resets.count == 1  # the view switch only
    assert model.data(model.index(model.row_of(2), COLUMNS.index(Column.RESOLVE))) == ""


def test_a_customer_renamed_changes_its_tickets_rows_in_place(qtmodeltester: Any) -> None:
    model, proxy = models(qtmodeltester, [line(1), line(2), line(3, customer_id=2, customer="x")])
    proxy.sort(COLUMNS.index(Column.CUSTOMER), Qt.SortOrder.AscendingOrder)
    proxy.set_view(View.ALL)
    changed: list[int] = []
    proxy.dataChanged.connect(lambda top, _bottom, _roles: changed.append(top.row()))
    resets = Resets(model, proxy)
    renamed = tuple(line(n, customer="北京协和医院") for n in (1, 2))
    model.apply(TicketDiff(updated=renamed))
    column = COLUMNS.index(Column.CUSTOMER)
    names = [proxy.data(proxy.index(r, column)) for r in range(3)]
    assert names == ["x", "北京协和医院", "北京协和医院"]
    assert sorted(changed) == [1, 2]
    assert resets.count == 0


def expected(
    lines: dict[int, TicketLine], view: View, needle: str, column: int, desc: bool
) -> list[int]:
    """What the old proxy showed: every row checked, then sorted (the oracle)."""
    model = TicketTableModel(now=lambda: NOW)

    def passes(row: TicketRow) -> bool:
        t = row.line
        if needle and not any(
            needle in text.casefold()
            for text in (t.number, t.customer, t.serial, t.model, t.summary)
        ):
            return False
        if view is View.ALL:
            return True
        if not row.open:
            return False
        if view is View.MINE:
            return t.handler_id == ME
        if view is View.COMPLAINTS:
            return t.complaint
        if view is View.OVERDUE:
            return row.overdue_at <= NOW.timestamp()
        if view is View.EMAIL:  # mail waiting for an agent (issue 22)
            return t.channel == "email" and t.handler_id is None
        return True

    rows = [TicketRow(t) for t in lines.values()]
    keep = sorted((model.sort_key(r, column), r.line.id) for r in rows if passes(r))
    ids = [ticket_id for _, ticket_id in keep]
    return ids[::-1] if desc else ids


@pytest.mark.parametrize("on_the_worker", [False, True], ids=["rows made here", "rows made ready"])
def test_every_view_stays_as_a_fresh_filter_and_sort_would_make_it(
    qtmodeltester: Any, on_the_worker: bool
) -> None:
    """Also with the rows, keys and (for a large diff) every view's list made by a
    ``TicketPreparer`` as the work thread makes them, the table sorted by other columns
    between two diffs."""
    rng = random.Random(16)
    preparer = TicketPreparer(lambda: ME, lambda: NOW, "en") if on_the_worker else None

    def random_line(ticket_id: int) -> TicketLine:
        due = NOW + timedelta(hours=rng.randint(-30, 30))
        return line(
            ticket_id,
            status=rng.choice(STATUSES),
            complaint=rng.random() < 0.2,
            handler_id=rng.choice((ME, 8, None)),
            channel=rng.choice(("phone", "email")),
            customer=rng.choice(("协和", "Harbour Clinic", "华山")),
            summary=rng.choice(("E-17 报警", "leak", "读数丢失")),
            priority=rng.choice(("P1", "P2", "P3")),
            resolve_due_at=rng.choice((due, None)),
            sla_due_at=due - timedelta(hours=3) if rng.random() < 0.3 else None,
        )

    lines = {n: random_line(n) for n in range(1, MANY_CHANGED + 21)}
    model, proxy = models(qtmodeltester, list(lines.values()), preparer)
    resets = Resets(model)
    next_id = 1000
    for step in range(40):
        if step % 6 == 0:  # the agent clicks around meanwhile
            column = rng.randrange(len(COLUMNS))
            desc = rng.random() < 0.5
            order = Qt.SortOrder.DescendingOrder if desc else Qt.SortOrder.AscendingOrder
            proxy.sort(column, order)
            view = rng.choice(list(View))
            proxy.set_view(view)
            needle = rng.choice(("", "", "harbour", "e-17", "sr-0002"))
            proxy.set_search(needle)
        size = MANY_CHANGED + 10 if step % 20 == 19 else rng.randint(1, 6)  # now and then many
        ids = list(lines)
        gone = tuple(rng.sample(ids, k=min(len(ids) // 10, rng.randint(0, 2))))
        changed = [i for i in rng.sample(ids, k=min(size, len(ids))) if i not in gone]
        new = []
        for _ in range(rng.randint(0, 3)):
            next_id += 1
            new.append(random_line(next_id))
        for ticket_id in gone:
            del lines[ticket_id]
        updated = tuple(random_line(i) for i in changed)
        lines |= {t.id: t for t in (*updated, *new)}
        diff = TicketDiff(inserted=tuple(new), updated=updated, removed=gone)
        if preparer is not None:
            diff = replace(diff, prepared=preparer.change(diff))
        model.apply(diff)
        assert shown(proxy) == expected(lines, view, needle, column, desc), step
    assert resets.count == 0
    assert sorted(model.line(r).id for r in range(model.rowCount())) == sorted(lines)


@pytest.mark.parametrize("resorted", [False, True], ids=["same column", "sorted meanwhile"])
def test_a_mass_change_made_ready_is_taken_whole(qtmodeltester: Any, resorted: bool) -> None:
    """A handler renamed on many tickets: the tickets model takes the rows the work thread
    made in one step, the views' model its lists (or, when the table was sorted by another
    column after they were made, every key anew): each view as a fresh sort would make it."""
    lines = {n: line(n, handler_id=ME if n % 3 else 8) for n in range(1, 3 * MANY_CHANGED)}
    preparer = TicketPreparer(lambda: ME, lambda: NOW, "en")
    model, proxy = models(qtmodeltester, list(lines.values()), preparer)
    handler = COLUMNS.index(Column.HANDLER)
    proxy.sort(handler, Qt.SortOrder.AscendingOrder)
    proxy.set_view(View.ALL)
    resets = Resets(model, proxy)
    renamed = tuple(replace(t, handler="Amy" if t.id % 2 else "王芳") for t in lines.values())
    diff = TicketDiff(updated=renamed)
    diff = replace(diff, prepared=preparer.change(diff))
    if resorted:  # the agent clicked a header between the work thread's making and now
        proxy.sort(COLUMNS.index(Column.SUMMARY), Qt.SortOrder.DescendingOrder)
    lines |= {t.id: t for t in renamed}
    taken: list[bool] = []
    model.applied.connect(lambda applied: taken.append(applied.wholesale))
    model.apply(diff)
    assert taken == [True]  # in one step, no row by row
    column = COLUMNS.index(Column.SUMMARY) if resorted else handler
    assert shown(proxy) == expected(lines, View.ALL, "", column, resorted)
    names = {model.data(model.index(r, handler)) for r in range(model.rowCount())}
    assert names == {"Amy", "王芳"}
    assert resets.count == 0


def test_time_passing_moves_tickets_into_the_overdue_view(qtmodeltester: Any) -> None:
    clock = [NOW]
    model = TicketTableModel(now=lambda: clock[0])
    proxy = TicketFilter(lambda: ME, lambda: clock[0])
    proxy.setSourceModel(model)
    model.set_rows([line(1, resolve_due_at=NOW + timedelta(minutes=10)), line(2)])
    qtmodeltester.check(proxy)
    proxy.set_view(View.OVERDUE)
    assert shown(proxy) == []
    clock[0] = NOW + timedelta(minutes=11)
    proxy.catch_up()
    assert shown(proxy) == [1]


def panel_with(qtbot: QtBot, work: WorkService) -> TicketsPanel:
    panel = TicketsPanel(work)
    qtbot.addWidget(panel)
    panel.resize(1200, 500)
    panel.show()
    with qtbot.waitSignal(work.tickets_loaded, timeout=TIMEOUT):
        panel.start()
    panel.set_view(View.ALL)
    return panel


def test_the_selected_ticket_stays_selected_and_current_as_rows_move(
    qtbot: QtBot, work: WorkService
) -> None:
    panel = panel_with(qtbot, work)
    resets = Resets(panel.model, panel.proxy)
    panel.select(21)
    before = panel.visible_numbers()
    assert before.index("SR-202611-00007") == 1  # by resolve deadline
    line21 = panel.proxy.data(panel.table.currentIndex(), Qt.ItemDataRole.UserRole)
    # A new ticket sorts above it, then its own deadline moves it to the end.
    panel.apply_changes(TicketDiff(inserted=(line(99, resolve_due_at=NOW - timedelta(days=3)),)))
    panel.apply_changes(
        TicketDiff(updated=(replace(line21, resolve_due_at=NOW + timedelta(days=30)),))
    )
    assert panel.visible_numbers()[-2:] == ["SR-202611-00007", "SR-202611-00009"]  # closed last
    assert panel.selected_id() == 21
    current = panel.proxy.data(panel.table.currentIndex(), Qt.ItemDataRole.UserRole)
    assert current.id == 21
    panel.apply_changes(TicketDiff(removed=(99,)))
    assert panel.selected_id() == 21
    assert resets.count == 0
    assert panel.count_label.text() == "4 of 4 tickets"


def synced(cache: LocalCache, entity: str, record_id: int, **changes: Any) -> None:
    """A change as the engine writes a pulled page into the cache (and the cache announces)."""
    record = cache.get(entity, record_id)
    assert record is not None
    cursor = cache.cursor() + 1
    data = {**record.data, **changes, "version": record.version + 1}
    change = ChangeOut(
        seq=cursor, entity=entity, id=record_id, op="upsert", version=record.version + 1, data=data
    )
    cache.apply_changes([change], cursor).result(timeout=10)


def quiet(qtbot: QtBot, work: WorkService) -> None:
    """Until the work thread has nothing left of earlier changes: a no-op read answered with
    no ticket diff on the way (the answers come in order), twice in a row. Under load the
    refreshes of a big insert can still be running when the list has loaded."""
    seen: list[TicketDiff] = []
    work.tickets_changed.connect(seen.append)
    try:
        quiet_rounds = 0
        for _ in range(50):  # bounded
            before = len(seen)
            answered: list[object] = []
            work.read(lambda _views: True, answered.append)
            qtbot.waitUntil(partial(bool, answered), timeout=TIMEOUT)
            quiet_rounds = quiet_rounds + 1 if len(seen) == before else 0
            if quiet_rounds == 2:
                return
        raise AssertionError("the work thread never went quiet")
    finally:
        work.tickets_changed.disconnect(seen.append)


def test_synced_changes_reach_their_rows_on_a_real_cache_without_a_reset(
    qtbot: QtBot, work: WorkService, work_cache: LocalCache
) -> None:
    panel = panel_with(qtbot, work)
    resets = Resets(panel.model, panel.proxy)
    diffs: list[TicketDiff] = []
    work.tickets_changed.connect(diffs.append)
    panel.select(22)
    summary = COLUMNS.index(Column.SUMMARY)
    customer = COLUMNS.index(Column.CUSTOMER)

    def cell(ticket_id: int, column: int) -> str:
        return str(panel.model.data(panel.model.index(panel.model.row_of(ticket_id), column)))

    synced(work_cache, "ticket", 22, summary="监护仪血氧读数丢失（已换探头）")
    qtbot.waitUntil(lambda: cell(22, summary) == "监护仪血氧读数丢失（已换探头）", timeout=TIMEOUT)
    assert [d.updated[0].id for d in diffs] == [22]  # that row only

    diffs.clear()
    synced(work_cache, "customer", 1, name="北京协和医院（东院）")
    qtbot.waitUntil(lambda: cell(21, customer) == "北京协和医院（东院）", timeout=TIMEOUT)
    assert sorted(t.id for t in diffs[0].updated) == [21, 22, 23]  # its tickets, not 24
    assert cell(24, customer) != "北京协和医院（东院）"

    cursor = work_cache.cursor() + 1
    gone = ChangeOut(seq=cursor, entity="ticket", id=23, op="delete", version=9, data=None)
    work_cache.apply_changes([gone], cursor).result(timeout=10)
    qtbot.waitUntil(lambda: panel.model.row_of(23) == -1, timeout=TIMEOUT)

    version = work_cache.get("ticket", 21).version
    edit = TicketPatch(version=version, summary="输液泵 E-17 报警（配件已到）")
    work.save(21, edit).result(timeout=10)
    qtbot.waitUntil(
        lambda: cell(21, COLUMNS.index(Column.SYNC)) == "waiting to sync", timeout=TIMEOUT
    )
    assert resets.count == 0
    assert panel.selected_id() == 22
    assert panel.count_label.text() == "3 of 3 tickets"


def test_a_handler_renamed_on_thousands_of_tickets_reaches_every_row_in_one_step(
    qtbot: QtBot, work: WorkService, work_cache: LocalCache
) -> None:
    """The rare big change, end to end on a real cache: the rows, keys and every view's list
    are made on the work thread and the table takes them with one layout change (no reset, no
    signal per row); every row shows the new name, the selected ticket stays selected."""
    many = 3 * MANY_CHANGED * 5
    cursor = work_cache.cursor()
    changes = [
        ChangeOut(
            seq=cursor + n,
            entity="ticket",
            id=1000 + n,
            op="upsert",
            version=1,
            data=_ticket(1000 + n, f"SR-202611-{1000 + n:05d}", "new", f"泵 {n}"),
        )
        for n in range(1, many + 1)
    ]
    work_cache.apply_changes(changes, cursor + many).result(timeout=30)
    panel = panel_with(qtbot, work)
    panel.proxy.sort(COLUMNS.index(Column.HANDLER), Qt.SortOrder.AscendingOrder)
    assert panel.model.rowCount() == many + 4
    quiet(qtbot, work)  # the insert's own refreshes are not the change under test
    resets = Resets(panel.model, panel.proxy)
    layouts: list[int] = []
    panel.proxy.layoutChanged.connect(lambda *_: layouts.append(1))
    panel.select(1000 + many // 2)
    diffs: list[TicketDiff] = []
    work.tickets_changed.connect(diffs.append)

    synced(work_cache, "user", AGENT_ID, display_name="王芳（二组）")
    handler = COLUMNS.index(Column.HANDLER)
    qtbot.waitUntil(lambda: bool(diffs), timeout=TIMEOUT)
    assert len(diffs[0].updated) == many + 3  # all hers (not 24's)
    state = getattr(diffs[0].prepared, "state", None)
    assert state is not None  # every view's list was made on the work thread
    names = {panel.model.data(panel.model.index(r, handler)) for r in range(many + 4)}
    assert names == {"王芳（二组）", "张伟"}
    shown_names = [panel.proxy.data(panel.proxy.index(r, handler)) for r in range(many + 4)]
    assert shown_names == sorted(shown_names, key=str.casefold)  # still sorted by handler
    assert panel.selected_id() == 1000 + many // 2
    current = panel.proxy.data(panel.table.currentIndex(), Qt.ItemDataRole.UserRole)
    assert current.id == 1000 + many // 2
    assert resets.count == 0
    assert layouts == [1]
    assert panel.count_label.text() == f"{many + 4} of {many + 4} tickets"
