"""A re-read dispatch or callback list is laid over the rows shown: rows gone are removed,
changed rows change in place, new rows come at the end; never a reset (the selection stays)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel

from agent_desktop.ui.models.dispatch_model import DispatchTableModel
from sync.work_views import DispatchLine


def dispatch(dispatch_id: int, status: str = "planned") -> DispatchLine:
    return DispatchLine(
        id=dispatch_id, ticket_id=1, ticket_number=f"SR-{dispatch_id}", customer="协和",
        technician_id=11, technician="张工", window_start=None, window_end=None,
        method="on_site", status=status, result="", address="", previous_dispatch_id=None,
        state="synced",
    )  # fmt: skip


def test_a_reread_list_is_merged_row_by_row_and_the_selection_stays(qtmodeltester: Any) -> None:
    model = DispatchTableModel()
    model.set_lines([dispatch(1), dispatch(2), dispatch(3), dispatch(4)])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    selection = QItemSelectionModel(proxy)
    selection.setCurrentIndex(
        proxy.mapFromSource(model.index(2, 0)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.set_lines([dispatch(3, "en_route"), dispatch(5), dispatch(4)])
    assert [model.line(r).id for r in range(model.rowCount())] == [3, 4, 5]
    assert model.line(0).status == "en_route"
    current = proxy.mapToSource(selection.currentIndex())
    assert model.line(current.row()).id == 3
    model.set_lines([])
    assert model.rowCount() == 0
    assert resets == []


def test_unchanged_rows_send_no_signal() -> None:
    model = DispatchTableModel()
    model.set_lines([dispatch(1), dispatch(2)])
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _b, _r: changed.append(top.row()))
    model.set_lines([dispatch(1), dispatch(2, "done")])
    assert changed == [1]
