"""The event stream's kinds, typed: each payload round-trips through the wire form, a kind
from a newer server is skipped, a known kind with bad data is named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sync.contract.events import (
    KINDS,
    AnsweredData,
    DeskSettingsChangedData,
    EscalationData,
    MonitorEndData,
    kind_of,
    payload_of,
)
from sync.contract.wire import EventOut

AT = datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    "payload",
    [
        EscalationData(ticket_id=7, number="SR-20261231-2-001", level=1, summary="泵漏液"),
        AnsweredData(question_id=3, article_id=None, text="打印机卡纸"),
        MonitorEndData(grant_id=9, reason="the call ended"),
        DeskSettingsChangedData(version=4),
    ],
)
def test_a_payload_travels_as_its_kind_and_comes_back_typed(payload: object) -> None:
    kind = kind_of(payload)  # type: ignore[arg-type]
    assert KINDS[kind] is type(payload)
    wire = EventOut(id=1, kind=kind, at=AT, data=payload.model_dump(mode="json"))  # type: ignore[attr-defined]
    assert payload_of(EventOut.read(wire.model_dump(mode="json"))) == payload


def test_every_kind_has_one_payload_type() -> None:
    assert len(set(KINDS.values())) == len(KINDS)


def test_a_newer_servers_kind_is_skipped_and_new_fields_ignored() -> None:
    assert payload_of(EventOut(id=2, kind="chat.offered", at=AT, data={"x": 1})) is None
    newer = {"grant_id": 9, "reason": "left", "by_device": "PC-7"}
    assert payload_of(EventOut(id=3, kind="monitor.end", at=AT, data=newer)) == MonitorEndData(
        grant_id=9, reason="left"
    )


def test_a_known_kind_with_bad_data_is_named() -> None:
    with pytest.raises(ValueError, match="grant_id"):
        payload_of(EventOut(id=4, kind="monitor.end", at=AT, data={"reason": "left"}))
