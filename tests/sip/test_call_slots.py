"""Call-slot ownership and the ghost watchdog (issue 17), made to happen on purpose: the real
pjsua2 stack (``PjStack``, polled by the test) and a caller that writes SIP by hand on a
loopback UDP socket, so the test decides what lands in one poll.

pjsua gives call slots round robin over its 4 lines; a call that ends and a new INVITE read in
the same poll can share a slot. Releasing the old ``Call`` object then (its destructor clears
the slot's owner and hangs up what is in it) declined the new caller with a 603 nobody pressed
and left that call ringing here for ever.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from softphone._pj import Listener, PjStack
from softphone.events import CallInfo, CallState, PhoneConfig
from tests.fakes.waiting import udp_unread, wait_until

WAIT_S = 10.0


@dataclass
class Heard:
    offered: list[CallInfo] = field(default_factory=list)
    states: list[CallInfo] = field(default_factory=list)

    def last(self, call_id: int) -> CallInfo | None:
        return next((s for s in reversed(self.states) if s.call_id == call_id), None)

    def ended(self, call_id: int) -> bool:
        last = self.last(call_id)
        return last is not None and last.state == CallState.ENDED


class HandCaller:
    """INVITE, CANCEL and ACK written by hand; every response kept by Call-ID."""

    def __init__(self, target: str) -> None:
        host, port = target.rsplit(":", 1)
        self.target = (host, int(port))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        self.port = int(self.sock.getsockname()[1])
        self.responses: dict[str, list[int]] = {}

    def close(self) -> None:
        self.sock.close()

    def _head(self, method: str, call_id: str, cseq_method: str, to_tag: str = "") -> str:
        host, port = self.target
        to = f"<sip:agent@{host}:{port}>" + (f";tag={to_tag}" if to_tag else "")
        return (
            f"{method} sip:agent@{host}:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK-{call_id}\r\n"
            f"From: <sip:1390000{len(call_id)}@127.0.0.1:{self.port}>;tag=t-{call_id}\r\n"
            f"To: {to}\r\nCall-ID: {call_id}\r\nCSeq: 1 {cseq_method}\r\n"
            f"Contact: <sip:caller@127.0.0.1:{self.port}>\r\nMax-Forwards: 70\r\n"
        )

    def invite(self, call_id: str) -> None:
        sdp = (
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
        )
        message = self._head("INVITE", call_id, "INVITE")
        message += f"Content-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}"
        self.sock.sendto(message.encode(), self.target)

    def cancel(self, call_id: str) -> None:
        message = self._head("CANCEL", call_id, "CANCEL") + "Content-Length: 0\r\n\r\n"
        self.sock.sendto(message.encode(), self.target)

    def read(self) -> None:
        """Take every response waiting; ACK the final non-2xx ones to INVITE."""
        while True:
            try:
                data = self.sock.recv(65_536).decode(errors="replace")
            except BlockingIOError:
                return
            lines = data.split("\r\n")
            if not lines[0].startswith("SIP/2.0 "):
                continue
            code = int(lines[0].split()[1])
            headers = {
                line.split(":", 1)[0].strip().lower(): line.split(":", 1)[1].strip()
                for line in lines[1:]
                if ":" in line
            }
            call_id = headers.get("call-id", "")
            self.responses.setdefault(call_id, []).append(code)
            if code >= 300 and headers.get("cseq", "").endswith("INVITE"):
                to_tag = headers.get("to", "").partition(";tag=")[2]
                ack = self._head("ACK", call_id, "ACK", to_tag) + "Content-Length: 0\r\n\r\n"
                self.sock.sendto(ack.encode(), self.target)

    def got(self, call_id: str, code: int) -> bool:
        self.read()
        return code in self.responses.get(call_id, [])


@pytest.fixture
def stack() -> Iterator[tuple[PjStack, Heard]]:
    heard = Heard()
    stack = PjStack(
        Listener(
            incoming=heard.offered.append,
            call_changed=heard.states.append,
            registration=lambda _info: None,
            dtmf=lambda _call, _digit: None,
            transfer=lambda _call, _code, _final: None,
        )
    )
    stack.start(PhoneConfig(bind_address="127.0.0.1"))
    yield stack, heard
    stack.stop()


@pytest.fixture
def caller(stack: tuple[PjStack, Heard]) -> Iterator[HandCaller]:
    hand = HandCaller(stack[0].local_address)
    yield hand
    hand.close()


def polled(stack: PjStack, condition: object) -> object:
    """Poll the stack once (as the desk's timer does), then look at the condition."""
    stack.handle_events(5)
    assert callable(condition)
    return condition()


def offer(stack: PjStack, heard: Heard, caller: HandCaller, call_id: str) -> CallInfo:
    before = len(heard.offered)
    caller.invite(call_id)
    wait_until(lambda: polled(stack, lambda: len(heard.offered) > before), WAIT_S, call_id)
    return heard.offered[-1]


def give_up(stack: PjStack, heard: Heard, caller: HandCaller, call_id: str, serial: int) -> None:
    caller.cancel(call_id)
    wait_until(
        lambda: polled(stack, lambda: heard.ended(serial) and caller.got(call_id, 487)),
        WAIT_S,
        f"{call_id} cancelled",
    )


def test_a_call_that_takes_a_slot_freed_in_the_same_poll_rings_and_is_never_declined(
    stack: tuple[PjStack, Heard], caller: HandCaller
) -> None:
    pj_stack, heard = stack
    first = offer(pj_stack, heard, caller, "first")  # line 0, ringing on
    for name in ("two", "three", "four"):  # lines 1-3, each given up: pjsua's next line is 0
        call = offer(pj_stack, heard, caller, name)
        give_up(pj_stack, heard, caller, name, call.call_id)
    host, port = pj_stack.local_address.rsplit(":", 1)
    # Without a poll in between: the first caller gives up and a new caller rings, so pjsua
    # frees line 0 and gives it to the new call while reading one batch of packets.
    caller.cancel("first")
    caller.invite("next")
    assert udp_unread(host, int(port)) > 0
    pj_stack.handle_events(0)
    wait_until(
        lambda: polled(pj_stack, lambda: heard.ended(first.call_id) and len(heard.offered) == 5),
        WAIT_S,
        "the first call ended and the next one offered",
    )
    following = heard.offered[-1]
    for _ in range(20):  # the old call's object is released in these polls
        pj_stack.handle_events(5)
    wait_until(lambda: polled(pj_stack, lambda: caller.got("next", 180)), WAIT_S, "180")
    assert 603 not in caller.responses.get("next", []), "a 603 nobody pressed"
    assert [c.call_id for c in pj_stack.calls()] == [following.call_id]
    assert pj_stack.calls()[0].state == CallState.INCOMING
    # The call is whole: the agent answers it and pjsua says so.
    pj_stack.answer(following.call_id)
    wait_until(lambda: polled(pj_stack, lambda: caller.got("next", 200)), WAIT_S, "200")
    assert pj_stack.ghosts == 0


def test_a_ringing_call_pjsua_no_longer_reports_on_is_found_and_cleaned_up(
    stack: tuple[PjStack, Heard], caller: HandCaller, caplog: pytest.LogCaptureFixture
) -> None:
    """A call whose end never reached us (its callbacks went elsewhere) rings here for ever
    and holds a line: the watchdog finds pjsua no longer has it."""
    import pjsua2 as pj

    pj_stack, heard = stack
    offered = offer(pj_stack, heard, caller, "lost")
    ours = pj_stack._calls[offered.call_id]
    thief = pj.Call(pj_stack._account, ours.getId())  # takes the slot's callbacks
    caller.cancel("lost")
    wait_until(lambda: polled(pj_stack, lambda: caller.got("lost", 487)), WAIT_S, "487")
    assert not heard.ended(offered.call_id)  # the end went to the thief: a ghost, ringing
    del ours
    with caplog.at_level(logging.WARNING, logger="softphone.pjsua"):
        wait_until(
            lambda: polled(pj_stack, lambda: heard.ended(offered.call_id)),
            WAIT_S,
            "the ghost cleaned up",
        )
    del thief  # its slot is free: releasing it touches nobody's call
    assert pj_stack.calls() == []
    assert pj_stack.ghosts == 1
    assert "pjsua no longer has this call; cleaned up" in caplog.text
    assert "Gone" in (heard.last(offered.call_id) or offered).reason
    nxt = offer(pj_stack, heard, caller, "after")  # and the desk takes the next call
    assert [c.call_id for c in pj_stack.calls()] == [nxt.call_id]


def test_a_line_held_by_a_call_nobody_owns_is_ended_and_freed(
    stack: tuple[PjStack, Heard], caller: HandCaller, caplog: pytest.LogCaptureFixture
) -> None:
    pj_stack, heard = stack
    offered = offer(pj_stack, heard, caller, "orphan")
    # Forget the call without ending it, as a lost object would: pjsua still rings it.
    orphan = pj_stack._calls.pop(offered.call_id)
    del pj_stack._slots[orphan.slot]
    pj_stack._graveyard.append(orphan)
    del orphan
    with caplog.at_level(logging.WARNING, logger="softphone.pjsua"):
        wait_until(
            lambda: polled(pj_stack, lambda: caller.got("orphan", 480)),
            WAIT_S,
            "the orphan refused with 480",
        )
    assert "held by a call nobody owned" in caplog.text
    wait_until(
        lambda: polled(pj_stack, lambda: not pj_stack._calls and not pj_stack._graveyard),
        WAIT_S,
        "every object released",
    )
    nxt = offer(pj_stack, heard, caller, "after")
    assert [c.call_id for c in pj_stack.calls()] == [nxt.call_id]


def test_an_offered_call_ringing_past_its_sip_life_is_refused(
    stack: tuple[PjStack, Heard], caller: HandCaller, caplog: pytest.LogCaptureFixture
) -> None:
    pj_stack, heard = stack
    pj_stack.incoming_cap_s = 0.5  # (200 s in service: beyond a proxy's Timer C)
    offered = offer(pj_stack, heard, caller, "endless")
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="softphone.pjsua"):
        wait_until(lambda: polled(pj_stack, lambda: caller.got("endless", 480)), WAIT_S, "480")
    assert time.monotonic() - started >= 0.5
    assert heard.ended(offered.call_id)
    assert "still ringing after" in caplog.text
    assert pj_stack.calls() == []


def test_hanging_up_a_call_pjsua_already_ended_cleans_it_up_without_an_error(
    stack: tuple[PjStack, Heard], caller: HandCaller
) -> None:
    import pjsua2 as pj

    pj_stack, heard = stack
    offered = offer(pj_stack, heard, caller, "gone")
    thief = pj.Call(pj_stack._account, pj_stack._calls[offered.call_id].getId())
    caller.cancel("gone")
    wait_until(lambda: polled(pj_stack, lambda: caller.got("gone", 487)), WAIT_S, "487")
    pj_stack._next_watch = time.monotonic() + 60  # the agent is quicker than the watchdog
    pj_stack.hangup(offered.call_id)  # the agent rejects the ghost: no PJSIP_ESESSION...
    assert heard.ended(offered.call_id)
    assert pj_stack.calls() == []
    for _ in range(3):
        pj_stack.handle_events(5)
    del thief
    assert 603 not in caller.responses.get("gone", [])
