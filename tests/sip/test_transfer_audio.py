"""Blind and attended transfer between real pjsua2 endpoints: a customer (its own process,
playing a tone and recording) calls the desk; the agent hands the call to an expert (another
process, another tone). Afterwards the customer and the expert hear each other and the desk
is out of the call."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallInfo, CallState, Phone
from tests.fakes.peers import listening_peer, peer
from tests.sip.conftest import Recorder
from tests.sip.test_conference import heard
from tests.sip.test_headset_audio import loud_part, tone_share

pytestmark = pytest.mark.slow
CUSTOMER_HZ, EXPERT_HZ = 700, 1100


@pytest.fixture
def expert(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process, address = listening_peer(
        "--number", "8001", "--tone-hz", str(EXPERT_HZ),
        "--record", str(tmp_path / "expert.wav"), "--talk-s", "4",
    )  # fmt: skip
    yield process, f"sip:expert@{address}"
    process.kill()


@pytest.fixture
def customer_of(tmp_path: Path) -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.kill()


def call_the_desk(phone: Phone, tmp_path: Path) -> subprocess.Popen[str]:
    return peer(
        f"sip:agent@{phone.local_address}",
        "--number",
        "13900000001",
        "--tone-hz",
        str(CUSTOMER_HZ),
        "--record",
        str(tmp_path / "customer.wav"),
        "--accept-transfer",
        "--talk-s",
        "12",
    )


def answered_customer(
    qtbot: QtBot, phone: Phone, heard: Recorder, started: list[subprocess.Popen[str]], tmp: Path
) -> tuple[subprocess.Popen[str], CallInfo]:
    """The customer rings the desk and the agent answers; back once the audio flows."""
    customer = call_the_desk(phone, tmp)
    started.append(customer)
    qtbot.waitUntil(lambda: bool(heard.incoming), timeout=10_000)
    call: CallInfo = heard.incoming[0]
    phone.answer(call.call_id)
    qtbot.waitUntil(lambda: (c := phone.call(call.call_id)) is not None and c.media_active,
                    timeout=5000)  # fmt: skip
    return customer, call


def assert_they_hear_each_other(
    customer: subprocess.Popen[str], expert: subprocess.Popen[str], tmp_path: Path
) -> None:
    customer_out, _ = customer.communicate(timeout=30)
    expert_out, _ = expert.communicate(timeout=30)
    assert customer.returncode == 0
    assert expert.returncode == 0
    assert "CONNECTED 8001" in customer_out or "CONNECTED expert" in customer_out, customer_out
    assert "CONNECTED 13900000001" in expert_out, expert_out
    customer_heard = loud_part(heard(tmp_path / "customer.wav"))
    expert_heard = loud_part(heard(tmp_path / "expert.wav"))
    assert len(customer_heard) > 16_000, "the customer heard nobody after the transfer"
    assert tone_share(customer_heard, EXPERT_HZ) > 0.3, "the customer does not hear the expert"
    assert tone_share(expert_heard, CUSTOMER_HZ) > 0.3, "the expert does not hear the customer"


def test_a_blind_transfer_puts_the_customer_through_to_the_expert(
    qtbot: QtBot,
    phone: Phone,
    heard: Recorder,
    expert: tuple[subprocess.Popen[str], str],
    customer_of: list[subprocess.Popen[str]],
    tmp_path: Path,
) -> None:
    expert_process, expert_uri = expert
    customer, call = answered_customer(qtbot, phone, heard, customer_of, tmp_path)
    phone.blind_transfer(call.call_id, expert_uri)
    # The desk's leg ends once the customer reaches the expert: the agent is free.
    qtbot.waitUntil(lambda: not phone.calls(), timeout=10_000)
    assert heard.last(call.call_id).state == CallState.ENDED  # type: ignore[union-attr]
    assert_they_hear_each_other(customer, expert_process, tmp_path)


def test_an_attended_transfer_joins_the_customer_to_the_consulted_expert(
    qtbot: QtBot,
    phone: Phone,
    heard: Recorder,
    expert: tuple[subprocess.Popen[str], str],
    customer_of: list[subprocess.Popen[str]],
    tmp_path: Path,
) -> None:
    expert_process, expert_uri = expert
    customer, call = answered_customer(qtbot, phone, heard, customer_of, tmp_path)
    phone.hold(call.call_id)  # the customer waits while the agent consults the expert
    consult = phone.dial(expert_uri)
    qtbot.waitUntil(
        lambda: (c := phone.call(consult.call_id)) is not None and c.media_active, timeout=10_000
    )
    phone.attended_transfer(call.call_id, consult.call_id)
    qtbot.waitUntil(lambda: not phone.calls(), timeout=10_000)
    assert_they_hear_each_other(customer, expert_process, tmp_path)
