"""Forms build typed requests (sync.entities.request_of): checked as the server checks them,
with a record made on this desk (a local, negative id) standing in for the server's id, and
handed to the outbox with that local id kept for the outbox to replace."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sync.contract.wire import DispatchIn, InteractionIn, TaskPatch, TicketIn, TicketPatch
from sync.entities import (
    create_payload,
    edit_of,
    edit_payload,
    not_editable,
    refusal,
    request_of,
)


def test_a_new_ticket_for_a_customer_made_offline_keeps_its_local_ids() -> None:
    ticket = request_of(
        TicketIn,
        {"customer_id": -3, "asset_id": -4, "summary": "Pump alarms", "category": "fault"},
    )
    assert ticket.customer_id == -3
    assert ticket.asset_id == -4
    entity, payload = create_payload(ticket)
    assert entity == "ticket"
    # Only what the form set, local ids as they are (the outbox renumbers them when sent).
    assert payload == {
        "customer_id": -3,
        "asset_id": -4,
        "summary": "Pump alarms",
        "category": "fault",
    }


def test_a_local_id_in_a_list_is_kept_and_the_others_too() -> None:
    call = request_of(
        InteractionIn,
        {
            "customer_id": 7,
            "kind": "call_in",
            "started_at": "2024-03-01T09:00:00+08:00",
            "ticket_ids": [5, -2],
        },
    )
    assert call.ticket_ids == [5, -2]
    assert create_payload(call)[1]["ticket_ids"] == [5, -2]


def test_the_contract_still_refuses_what_is_wrong_naming_the_field() -> None:
    with pytest.raises(ValidationError) as refused:
        request_of(TicketIn, {"customer_id": -3, "summary": "", "category": "fault"})
    assert refusal(refused.value)[0] == "summary"
    with pytest.raises(ValidationError) as refused:
        request_of(TicketIn, {"customer_id": 0, "summary": "x", "category": "fault"})
    assert refusal(refused.value)[0] == "customer_id"  # zero is no id, local or not
    with pytest.raises(ValidationError):
        request_of(
            DispatchIn,
            {"ticket_id": -1, "window_start": "2024-03-01T09:00:00", "window_end": "x"},
        )


def test_an_edit_holds_what_the_form_set_and_its_entity() -> None:
    edit = edit_of(TicketPatch, {"handler_id": -9, "status": "closed"})
    assert edit_payload(edit) == ("ticket", {"handler_id": -9, "status": "closed"})
    assert edit_payload(edit_of(TaskPatch, {"notes": "ok"})) == ("task", {"notes": "ok"})


def test_a_field_an_edit_cannot_carry_is_said_as_the_cache_says_it() -> None:
    assert not_editable("ticket", {"summary": "x"}) is None
    assert not_editable("ticket", {"channel": "web", "summary": "x"}) == (
        "channel",
        "'channel' cannot be changed on a ticket.",
    )
