"""A warm transfer between two real desks' phones in one test process (each with its engine
process): agent A holds the customer, consults colleague B with a note (``X-AW-Note``, as the
directory service sends it), B's phone rings with the note, B answers, A completes the transfer
(REFER with Replaces). B ends up with the customer, A has no call, and A's engine can be
stopped without dropping them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from softphone import NOTE_HEADER, CallInfo, CallState, Phone, encode_note
from tests.fakes.peers import peer, read_lines
from tests.sip.conftest import two_desks

pytestmark = pytest.mark.slow
WAIT_MS = 15_000
NOTE = "王先生的退款，订单 2026-1203 已核实"


@pytest.fixture
def desks(qtbot: QtBot) -> Iterator[tuple[Phone, Phone]]:
    yield from two_desks("8101", "8102")


def test_a_consults_b_with_a_note_and_b_ends_up_with_the_customer(
    qtbot: QtBot, desks: tuple[Phone, Phone]
) -> None:
    a, b = desks
    a_offered: list[CallInfo] = []
    a.incoming_call.connect(a_offered.append)
    b_offered: list[CallInfo] = []
    b.incoming_call.connect(b_offered.append)
    customer = peer(
        f"sip:8101@{a.local_address}", "--number", "13800138000", "--talk-s", "60",
        "--accept-transfer",
    )  # fmt: skip
    said, _pump = read_lines(customer)
    try:
        qtbot.waitUntil(lambda: bool(a_offered), timeout=WAIT_MS)
        call = a_offered[0]
        a.answer(call.call_id)
        qtbot.waitUntil(lambda: "CONNECTED 8101" in said, timeout=WAIT_MS)
        a.hold(call.call_id)
        consult = a.dial(f"sip:8102@{b.local_address}", {NOTE_HEADER: encode_note(NOTE)})
        qtbot.waitUntil(lambda: bool(b_offered), timeout=WAIT_MS)
        assert b_offered[0].note == NOTE  # shown on B's desk while it rings
        assert b_offered[0].remote_number == "8101"
        b.answer(b_offered[0].call_id)
        qtbot.waitUntil(
            lambda: (c := a.call(consult.call_id)) is not None and c.media_active,
            timeout=WAIT_MS,
        )

        a.attended_transfer(call.call_id, consult.call_id)

        qtbot.waitUntil(lambda: "CONNECTED 8102" in said, timeout=WAIT_MS)  # customer -> B
        qtbot.waitUntil(lambda: a.calls() == [], timeout=WAIT_MS)
        qtbot.waitUntil(
            lambda: (
                [(c.state, c.remote_number) for c in b.calls()]
                == [(CallState.CONNECTED, "13800138000")]
            ),
            timeout=WAIT_MS,
        )
        assert len(b_offered) == 1  # the customer came in the consult's place: no second ring
        a.stop()  # A's PC can be closed
        assert customer.poll() is None
        assert [c.state for c in b.calls()] == [CallState.CONNECTED]
        b.hangup(b.calls()[0].call_id)
        qtbot.waitUntil(lambda: b.calls() == [], timeout=WAIT_MS)
        assert customer.wait(timeout=15) == 0
    finally:
        customer.kill()
        customer.wait(timeout=10)
