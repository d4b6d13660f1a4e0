"""The softphone against SIPp on loopback: calls in and out, CANCEL, BYE, refusals, hold,
SIP INFO DTMF, registration with a digest challenge, the 4-call cap, and hostile packets."""

from __future__ import annotations

import contextlib
import socket
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import (
    CallDirection,
    CallInfo,
    CallState,
    Phone,
    PhoneConfig,
    PhoneError,
    RegistrationState,
)
from tests.fakes.ports import free_udp_port
from tests.fakes.sipp import Sipp
from tests.fakes.waiting import udp_unread
from tests.sip.conftest import Recorder, finish

pytestmark = pytest.mark.slow
WAIT_MS = 10_000


def test_a_customer_calls_with_caller_id_and_hangs_up(
    qtbot: QtBot, phone: Phone, heard: Recorder, sipps: list[Sipp], tmp_path: Path
) -> None:
    caller = Sipp(
        "uac_caller_id", tmp_path, remote=phone.local_address, fields=["王先生", "13800138000"]
    )
    sipps.append(caller)
    qtbot.waitUntil(lambda: bool(heard.incoming), timeout=WAIT_MS)
    offered = heard.incoming[0]
    assert offered.direction == CallDirection.INBOUND
    assert offered.state == CallState.INCOMING
    assert offered.remote_number == "13800138000"
    assert offered.display_name == "王先生"
    phone.answer(offered.call_id)
    qtbot.waitUntil(
        lambda: (s := heard.last(offered.call_id)) is not None and s.state == CallState.CONNECTED,
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: heard.dtmf == [(offered.call_id, "5")], timeout=WAIT_MS)
    finish(qtbot, caller)  # the customer hung up (BYE) and got 200
    qtbot.waitUntil(
        lambda: heard.last(offered.call_id).state == CallState.ENDED,  # type: ignore[union-attr]
        timeout=WAIT_MS,
    )
    ended = heard.last(offered.call_id)
    assert ended is not None
    assert ended.connected_at is not None
    assert phone.calls() == []


def test_a_caller_who_gives_up_before_answer_ends_the_ringing(
    qtbot: QtBot, phone: Phone, heard: Recorder, sipps: list[Sipp], tmp_path: Path
) -> None:
    caller = Sipp("uac_cancel", tmp_path, remote=phone.local_address)
    sipps.append(caller)
    qtbot.waitUntil(lambda: bool(heard.incoming), timeout=WAIT_MS)
    call_id = heard.incoming[0].call_id
    finish(qtbot, caller)
    ended = heard.last(call_id)
    assert ended is not None
    assert ended.state == CallState.ENDED
    assert ended.status_code == 487
    assert ended.connected_at is None


def test_the_agent_calls_out_and_hangs_up(
    qtbot: QtBot, phone: Phone, heard: Recorder, sipps: list[Sipp], tmp_path: Path
) -> None:
    far = Sipp("uas", tmp_path)
    sipps.append(far)
    far.wait_bound()
    call = phone.dial(f"sip:13800138000@{far.address}")
    assert call.direction == CallDirection.OUTBOUND
    assert call.remote_number == "13800138000"
    qtbot.waitUntil(
        lambda: heard.last(call.call_id).state == CallState.CONNECTED,  # type: ignore[union-attr]
        timeout=WAIT_MS,
    )
    assert any(s.state == CallState.RINGING for s in heard.states if s.call_id == call.call_id)
    phone.hangup(call.call_id)
    finish(qtbot, far)
    qtbot.waitUntil(
        lambda: heard.last(call.call_id).state == CallState.ENDED,  # type: ignore[union-attr]
        timeout=WAIT_MS,
    )


@pytest.mark.parametrize(
    ("status", "reason"), [("486", "Busy Here"), ("503", "Service Unavailable")]
)
def test_a_refused_call_ends_with_the_reason(
    qtbot: QtBot,
    phone: Phone,
    heard: Recorder,
    sipps: list[Sipp],
    tmp_path: Path,
    status: str,
    reason: str,
) -> None:
    far = Sipp(f"uas_{status}", tmp_path)
    sipps.append(far)
    far.wait_bound()
    call = phone.dial(f"sip:4000@{far.address}")
    finish(qtbot, far)
    qtbot.waitUntil(
        lambda: heard.last(call.call_id).state == CallState.ENDED,  # type: ignore[union-attr]
        timeout=WAIT_MS,
    )
    ended = heard.last(call.call_id)
    assert ended is not None
    assert ended.status_code == int(status)
    assert reason in ended.reason


def test_a_call_nobody_answers_is_given_up_with_no_answer(
    qtbot: QtBot, sipps: list[Sipp], tmp_path: Path
) -> None:
    phone = Phone()
    phone.start(PhoneConfig(bind_address="127.0.0.1", ring_timeout_s=2))
    phone.wait_ready()  # the engine's process is up
    try:
        heard = Recorder(phone)
        far = Sipp("uas_no_answer", tmp_path)
        sipps.append(far)
        far.wait_bound()
        call = phone.dial(f"sip:4000@{far.address}")
        qtbot.waitUntil(
            lambda: (
                (last := heard.last(call.call_id)) is not None and last.state == CallState.RINGING
            ),
            timeout=WAIT_MS,
        )
        finish(qtbot, far)  # SIPp saw the CANCEL and closed the INVITE with 487
        qtbot.waitUntil(lambda: not phone.calls(), timeout=WAIT_MS)
        ended = heard.last(call.call_id)
        assert ended is not None
        assert ended.state == CallState.ENDED
        assert ended.status_code == 408
        assert "No answer after 2 s" in ended.reason
        assert ended.started_at
        assert phone.wall_clock() - ended.started_at < 10
    finally:
        phone.stop()


def test_hold_and_resume_renegotiate_the_media(
    qtbot: QtBot, phone: Phone, heard: Recorder, sipps: list[Sipp], tmp_path: Path
) -> None:
    far = Sipp("uas_hold", tmp_path)
    sipps.append(far)
    far.wait_bound()
    call = phone.dial(f"sip:4000@{far.address}")

    def state() -> CallState | None:
        last = heard.last(call.call_id)
        return last.state if last else None

    qtbot.waitUntil(lambda: state() == CallState.CONNECTED, timeout=WAIT_MS)
    media: list[CallInfo] = []
    phone.call_media_changed.connect(media.append)
    phone.hold(call.call_id)
    qtbot.waitUntil(lambda: state() == CallState.HELD, timeout=WAIT_MS)  # the engine says so
    # The hold's SDP answer arrived (and our ACK left): SIPp expects the resume after it.
    qtbot.waitUntil(
        lambda: any(m.state == CallState.HELD and not m.media_active for m in media),
        timeout=WAIT_MS,
    )
    held = len(media)
    phone.resume(call.call_id)
    # The resume's answer arrived: our BYE must not cross the re-INVITE.
    qtbot.waitUntil(
        lambda: any(m.state == CallState.CONNECTED and m.media_active for m in media[held:]),
        timeout=WAIT_MS,
    )
    phone.set_mute(call.call_id, True)
    qtbot.waitUntil(lambda: heard.last(call.call_id).muted, timeout=WAIT_MS)  # type: ignore[union-attr]
    phone.hangup(call.call_id)
    finish(qtbot, far)  # SIPp checked a=sendonly on hold and a=sendrecv on resume


def test_registration_answers_the_digest_challenge(
    qtbot: QtBot, sipps: list[Sipp], tmp_path: Path
) -> None:
    registrar = Sipp("registrar", tmp_path)
    sipps.append(registrar)
    registrar.wait_bound()
    phone = Phone()
    Recorder(phone)
    phone.start(
        PhoneConfig(
            user="agent1001",
            domain="cc.test",
            registrar=f"sip:{registrar.address}",
            password="s3cret-pw",
            bind_address="127.0.0.1",
        )
    )
    phone.wait_ready()  # the engine's process is up
    try:
        qtbot.waitUntil(
            lambda: phone.registration.state == RegistrationState.REGISTERED, timeout=WAIT_MS
        )
        assert phone.registration.expires_s == 300
        finish(qtbot, registrar)
    finally:
        phone.stop()


@pytest.mark.parametrize(
    ("scenario", "code", "reason"),
    [("registrar", 403, "Forbidden"), ("registrar_503", 503, "Service Unavailable")],
)
def test_a_refused_registration_is_shown_with_the_reason_and_retried(
    qtbot: QtBot, sipps: list[Sipp], tmp_path: Path, scenario: str, code: int, reason: str
) -> None:
    registrar = Sipp(scenario, tmp_path)
    sipps.append(registrar)
    registrar.wait_bound()
    phone = Phone()
    phone.start(
        PhoneConfig(
            user="agent1001",
            domain="cc.test",
            registrar=f"sip:{registrar.address}",
            password="wrong",
            bind_address="127.0.0.1",
            retry_interval_s=60,
        )
    )
    phone.wait_ready()  # the engine's process is up
    try:
        qtbot.waitUntil(
            lambda: phone.registration.state == RegistrationState.FAILED, timeout=WAIT_MS
        )
        assert phone.registration.status_code == code
        assert reason in phone.registration.reason
        assert phone.registration.retry_at is not None
        assert phone.registration.retry_at > phone.wall_clock() + 30
    finally:
        phone.stop()


def test_a_fifth_call_is_refused_with_a_sentence_not_a_crash(
    qtbot: QtBot, phone: Phone, heard: Recorder
) -> None:
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # a far end that never answers
    silent.bind(("127.0.0.1", 0))
    target = f"sip:4000@127.0.0.1:{silent.getsockname()[1]}"
    try:
        calls = [phone.dial(target) for _ in range(4)]
        with pytest.raises(PhoneError, match="4 calls at once"):
            phone.dial(target)
        for call in calls:
            phone.hangup(call.call_id)
        qtbot.waitUntil(lambda: phone.calls() == [], timeout=WAIT_MS)
    finally:
        silent.close()


TORTURE = [
    b"\x00\xff\xfe garbage that is not SIP at all\r\n\r\n",
    b"INVITE sip:agent@127.0.0.1 SIP/2.0\r\n\r\n",  # no Via, From, To, Call-ID, CSeq
    b"INVITE sip:agent@127.0.0.1 SIP/7.0\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bK1\r\n"
    b"From: <sip:a@b>;tag=1\r\nTo: <sip:agent@127.0.0.1>\r\nCall-ID: v7\r\nCSeq: 1 INVITE\r\n"
    b"Content-Length: 0\r\n\r\n",  # an unknown SIP version
    b"OPTIONS sip:agent@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bK2\r\n"
    b"From: <sip:a@b>;tag=2\r\nTo: <sip:agent@127.0.0.1>\r\nCall-ID: cl\r\nCSeq: 1 OPTIONS\r\n"
    b"Content-Length: 99999\r\n\r\nshort",  # Content-Length far beyond the body
    b"INVITE sip:agent@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bK3\r\n"
    b"From: <sip:a@b>;tag=3\r\nTo: <sip:agent@127.0.0.1>\r\nCall-ID: neg\r\nCSeq: -1 INVITE\r\n"
    b"Max-Forwards: -5\r\nContent-Type: application/sdp\r\nContent-Length: 12\r\n\r\n"
    b"v=9\r\nm=xx\r\n",
    b"REGISTER sip:127.0.0.1 SIP/2.0\r\n" + b"Via: SIP/2.0/UDP 127.0.0.1:1\r\n" * 400 + b"\r\n",
    b"INVITE sip:agent@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bK4\r\n"
    b'From: "\xe7\x8e\x8b\xff\xfe" <sip:a@b>;tag=4\r\nTo: <sip:agent@127.0.0.1>\r\n'
    b"Call-ID: utf\r\nCSeq: 1 INVITE\r\nContact: <sip:a@127.0.0.1:1>\r\n"
    b"Content-Type: application/sdp\r\nContent-Length: 30\r\n\r\n"
    b"v=0\r\nc=IN IP4 999.1.1.1\r\nm=\r\n",
]


def test_hostile_packets_do_not_bring_the_phone_down(
    qtbot: QtBot, phone: Phone, heard: Recorder
) -> None:
    host, port = phone.local_address.split(":")
    reply_port = free_udp_port()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", reply_port))
        s.setblocking(False)
        for packet in TORTURE:
            s.sendto(packet, (host, int(port)))
            # One at a time: the phone (on its Qt timer) has read it off its socket.
            qtbot.waitUntil(lambda: udp_unread(host, int(port)) == 0, timeout=WAIT_MS)
        options = (
            f"OPTIONS sip:agent@{host}:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{reply_port};branch=z9hG4bKalive\r\n"
            f"From: <sip:probe@127.0.0.1:{reply_port}>;tag=alive\r\n"
            f"To: <sip:agent@{host}:{port}>\r\nCall-ID: alive-check\r\nCSeq: 1 OPTIONS\r\n"
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
        ).encode()
        s.sendto(options, (host, int(port)))
        answers: list[bytes] = []

        def answered() -> bool:  # the phone answers from its Qt timer: the loop runs meanwhile
            with contextlib.suppress(BlockingIOError):
                answers.append(s.recvfrom(65535)[0])
            return any(a.startswith(b"SIP/2.0 200") for a in answers)

        qtbot.waitUntil(answered, timeout=5000)
    for call in phone.calls():  # whatever the garbage offered, the phone still works
        phone.hangup(call.call_id)
    qtbot.waitUntil(lambda: phone.calls() == [], timeout=WAIT_MS)


def test_quitting_with_a_call_up_ends_it_with_a_bye_and_does_not_hang(
    qtbot: QtBot, sipps: list[Sipp], tmp_path: Path
) -> None:
    far = Sipp("uas", tmp_path)
    sipps.append(far)
    far.wait_bound()
    phone = Phone()
    phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1"))
    phone.wait_ready()  # the engine's process is up
    heard = Recorder(phone)
    call = phone.dial(f"sip:4000@{far.address}")
    qtbot.waitUntil(
        lambda: (s := heard.last(call.call_id)) is not None and s.state == CallState.CONNECTED,
        timeout=WAIT_MS,
    )
    started = time.monotonic()
    phone.stop()
    assert time.monotonic() - started < 3
    assert not phone.running
    finish(qtbot, far)  # SIPp's uas got our BYE and answered it


def test_after_the_pc_wakes_the_phone_re_registers_and_the_first_call_rings(
    qtbot: QtBot, phone: Phone, heard: Recorder, sipps: list[Sipp], tmp_path: Path
) -> None:
    woke: list[bool] = []
    original = phone.network_changed

    def spy() -> None:
        woke.append(True)
        original()

    phone.network_changed = spy  # type: ignore[method-assign]
    phone._last_beat = time.monotonic() - 120  # the heartbeat stood still: the PC slept
    qtbot.waitUntil(lambda: woke == [True], timeout=WAIT_MS)
    caller = Sipp(
        "uac_caller_id", tmp_path, remote=phone.local_address, fields=["早班", "13900000009"]
    )
    sipps.append(caller)
    qtbot.waitUntil(lambda: bool(heard.incoming), timeout=WAIT_MS)
    phone.answer(heard.incoming[0].call_id)
    finish(qtbot, caller)
