"""The desk against Debian's linphonec (linphone-cli 5.1), a second independent user agent, both
registered at Kamailio with digest auth (issue 24): linphonec's registration, calls both ways
through the proxy each ended by the other side, DTMF both ways and a tone each way (linphonec
plays and records WAV files: there is no sound card), blind and attended transfers, the latter
also with a second linphonec as the target."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallInfo, CallState, Phone, PhoneConfig
from tests.fakes.baresip import Baresip
from tests.fakes.kamailio_auth import AuthKamailio
from tests.fakes.linphone import Linphone
from tests.fakes.wav import wav_done
from tests.sip.conftest import Recorder
from tests.sip.test_conference import heard as desk_heard
from tests.sip.test_headset_audio import loud_part, tone_share
from tests.sip.test_interop_baresip import registered_desk

pytestmark = pytest.mark.slow
WAIT_MS = 15_000
DESK, DESK_PASSWORD = "agent1001", "desk-pw-1001"
FAR, FAR_PASSWORD = "cust4001", "linphone-pw-4001"
EXPERT, EXPERT_PASSWORD = "expert3001", "expert-pw-3001"
DESK_HZ, FAR_HZ, EXPERT_HZ = 1000, 600, 1400
log = logging.getLogger(__name__)


@dataclass
class Site:
    pbx: AuthKamailio
    phone: Phone
    heard: Recorder
    far: Linphone
    tmp: Path

    def state_of(self, call_id: int) -> CallState | None:
        info = self.heard.last(call_id)
        return None if info is None else info.state


@pytest.fixture
def site(qtbot: QtBot, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Site]:
    """``request.param`` (indirect parametrisation): linphonec's ``max_calls``."""
    max_calls = int(getattr(request, "param", 0))
    users = {DESK: DESK_PASSWORD, FAR: FAR_PASSWORD, EXPERT: EXPERT_PASSWORD}
    pbx = AuthKamailio(tmp_path, users)
    phone = Phone()
    heard = Recorder(phone)
    far: Linphone | None = None
    try:
        phone.start(
            PhoneConfig(
                user=DESK, password=DESK_PASSWORD, domain=pbx.domain,
                registrar=f"sip:{pbx.address}", bind_address="127.0.0.1",
            )
        )  # fmt: skip
        phone.wait_ready()
        far = Linphone(
            tmp_path, "far", user=FAR, password=FAR_PASSWORD, domain=pbx.domain,
            registrar=pbx.address, max_calls=max_calls,
        )  # fmt: skip
        far.register()
        qtbot.waitUntil(lambda: bool(pbx.contacts(DESK) and pbx.contacts(FAR)), timeout=WAIT_MS)
        yield Site(pbx, phone, heard, far, tmp_path)
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        if far is not None:
            log.error("linphonec:\n%s", far.report())
        raise
    finally:
        phone.stop()
        if far is not None:
            far.stop()
        pbx.stop()


def test_linphonec_registers_with_digest_auth(qtbot: QtBot, site: Site) -> None:
    contacts = site.pbx.contacts(FAR)
    assert len(contacts) == 1
    assert f"127.0.0.1:{site.far.port}" in contacts[0], contacts  # its own listening point
    qtbot.waitUntil(site.far.registered, timeout=WAIT_MS)  # linphonec knows it, too


def test_desk_calls_linphonec_which_answers_and_the_desk_hangs_up(qtbot: QtBot, site: Site) -> None:
    # The desk has no outbound-proxy setting: it sends to the PBX, which looks the user up.
    call = site.phone.dial(f"sip:{FAR}@{site.pbx.address}")
    qtbot.waitUntil(
        lambda: bool(site.far.said(f"Receiving new incoming call from sip:{DESK}@")),
        timeout=WAIT_MS,
    )
    site.far.answer()
    qtbot.waitUntil(lambda: site.state_of(call.call_id) == CallState.CONNECTED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(site.far.said("connected.")), timeout=WAIT_MS)
    site.phone.hangup(call.call_id)  # the desk's BYE
    qtbot.waitUntil(lambda: site.state_of(call.call_id) == CallState.ENDED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(site.far.said("ended (No error)")), timeout=WAIT_MS)


def test_linphonec_calls_the_desk_which_answers_and_linphonec_hangs_up(
    qtbot: QtBot, site: Site
) -> None:
    # linphonec's one-line ``register`` sets no route: a URI in the PBX's domain would be looked
    # up in DNS, so it names the PBX's address, as the desk does (Kamailio looks the user up).
    site.far.call(f"sip:{DESK}@{site.pbx.address}")
    qtbot.waitUntil(lambda: len(site.heard.incoming) == 1, timeout=WAIT_MS)
    offered = site.heard.incoming[0]
    assert offered.remote_number == FAR
    qtbot.waitUntil(lambda: bool(site.far.said("ringing.")), timeout=WAIT_MS)  # the desk's 180
    site.phone.answer(offered.call_id)
    qtbot.waitUntil(lambda: site.state_of(offered.call_id) == CallState.CONNECTED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(site.far.said("connected.")), timeout=WAIT_MS)
    site.far.terminate()  # linphonec's BYE
    qtbot.waitUntil(lambda: site.state_of(offered.call_id) == CallState.ENDED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(site.far.said("ended (No error)")), timeout=WAIT_MS)
    assert site.phone.calls() == []


def desk_calls_and_linphonec_answers(qtbot: QtBot, site: Site) -> CallInfo:
    call = site.phone.dial(f"sip:{FAR}@{site.pbx.address}")
    qtbot.waitUntil(lambda: bool(site.far.said("Receiving new incoming call")), timeout=WAIT_MS)
    site.far.answer()
    qtbot.waitUntil(lambda: site.state_of(call.call_id) == CallState.CONNECTED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(site.far.said("Media streams established")), timeout=WAIT_MS)
    return call


def hang_up_at_the_desk(qtbot: QtBot, site: Site, call: CallInfo) -> None:
    site.phone.hangup(call.call_id)
    qtbot.waitUntil(lambda: site.state_of(call.call_id) == CallState.ENDED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(site.far.said("ended (No error)")), timeout=WAIT_MS)


def test_dtmf_both_ways(qtbot: QtBot, site: Site) -> None:
    call = desk_calls_and_linphonec_answers(qtbot, site)
    site.phone.send_dtmf(call.call_id, "159#")  # RFC 4733, the desk's default
    qtbot.waitUntil(lambda: site.far.digits() == "159#", timeout=WAIT_MS)
    site.far.send_dtmf("2*7")
    qtbot.waitUntil(
        lambda: "".join(d for c, d in site.heard.dtmf if c == call.call_id) == "2*7",
        timeout=WAIT_MS,
    )
    hang_up_at_the_desk(qtbot, site, call)


def test_each_hears_the_other(qtbot: QtBot, site: Site) -> None:
    record = site.far.dir / "desk.wav"
    site.phone.test_audio(DESK_HZ, str(record))
    call = desk_calls_and_linphonec_answers(qtbot, site)
    site.far.speak_and_record(FAR_HZ)
    qtbot.wait(3000)  # they talk; the recordings fill
    hang_up_at_the_desk(qtbot, site, call)  # linphonec closes its recording with the call
    site.phone.test_audio(0, str(site.far.dir / "after.wav"))  # closes the desk's recording
    qtbot.waitUntil(lambda: wav_done(record), timeout=WAIT_MS)
    at_desk = loud_part(desk_heard(record))
    assert len(at_desk) > 8000, "the desk heard nothing"
    assert tone_share(at_desk, FAR_HZ) > 0.5, "the desk did not hear linphonec's tone"
    at_far = loud_part(site.far.heard())
    assert len(at_far) > 8000, "linphonec heard nothing"
    assert tone_share(at_far, DESK_HZ) > 0.5, "linphonec did not hear the desk's tone"


def now(site: Site, call: CallInfo) -> CallInfo:
    info = site.phone.call(call.call_id)
    assert info is not None, f"call {call.call_id} is gone"
    return info


def assert_heard_after_resume(qtbot: QtBot, site: Site, call: CallInfo, codec: str) -> None:
    """After a resume: the codec the call was answered in, and a tone each way, both
    recordings started after the resume."""
    assert now(site, call).codec == codec, (codec, now(site, call))
    record = site.far.dir / "desk-after-resume.wav"
    site.phone.test_audio(DESK_HZ, str(record))
    site.far.speak_and_record(FAR_HZ)
    qtbot.wait(3000)  # they talk; the recordings fill
    hang_up_at_the_desk(qtbot, site, call)
    site.phone.test_audio(0, str(site.far.dir / "after.wav"))  # closes the desk's recording
    qtbot.waitUntil(lambda: wav_done(record), timeout=WAIT_MS)
    at_desk = loud_part(desk_heard(record))
    assert len(at_desk) > 8000, "the desk heard nothing after the resume"
    assert tone_share(at_desk, FAR_HZ) > 0.5, "the desk did not hear linphonec after the resume"
    at_far = loud_part(site.far.heard())
    assert len(at_far) > 8000, "linphonec heard nothing after the resume"
    assert tone_share(at_far, DESK_HZ) > 0.5, "linphonec did not hear the desk after the resume"


def codec_of(qtbot: QtBot, site: Site, call: CallInfo) -> str:
    qtbot.waitUntil(lambda: bool(now(site, call).codec), timeout=WAIT_MS)
    return now(site, call).codec


def test_the_desk_holds_linphonec_and_resumes(qtbot: QtBot, site: Site) -> None:
    call = desk_calls_and_linphonec_answers(qtbot, site)
    codec = codec_of(qtbot, site, call)
    site.phone.hold(call.call_id)  # linphonec prints nothing when it is held
    qtbot.waitUntil(lambda: now(site, call).state == CallState.HELD, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not now(site, call).media_active, timeout=WAIT_MS)
    site.phone.resume(call.call_id)
    qtbot.waitUntil(lambda: now(site, call).state == CallState.CONNECTED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: now(site, call).media_active, timeout=WAIT_MS)
    assert_heard_after_resume(qtbot, site, call, codec)


def test_linphonec_holds_the_desk_and_resumes(qtbot: QtBot, site: Site) -> None:
    call = desk_calls_and_linphonec_answers(qtbot, site)
    codec = codec_of(qtbot, site, call)
    site.far.pause()
    qtbot.waitUntil(lambda: now(site, call).remote_hold, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(site.far.said("is now paused")), timeout=WAIT_MS)
    site.far.resume()
    qtbot.waitUntil(lambda: not now(site, call).remote_hold, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: now(site, call).media_active, timeout=WAIT_MS)
    assert now(site, call).state == CallState.CONNECTED
    assert_heard_after_resume(qtbot, site, call, codec)


@pytest.mark.parametrize("site", [1], indirect=True)  # linphonec takes one call at a time
def test_a_busy_linphonec_says_busy(qtbot: QtBot, site: Site) -> None:
    first = desk_calls_and_linphonec_answers(qtbot, site)
    second = site.phone.dial(f"sip:{FAR}@{site.pbx.address}")
    qtbot.waitUntil(lambda: site.state_of(second.call_id) == CallState.ENDED, timeout=WAIT_MS)
    ended = site.heard.last(second.call_id)
    assert ended is not None
    assert ended.status_code == 486, ended.reason
    assert site.state_of(first.call_id) == CallState.CONNECTED  # the call it is on goes on
    hang_up_at_the_desk(qtbot, site, first)


def test_linphonec_declines_a_ringing_call(qtbot: QtBot, site: Site) -> None:
    call = site.phone.dial(f"sip:{FAR}@{site.pbx.address}")
    qtbot.waitUntil(lambda: bool(site.far.said("Receiving new incoming call")), timeout=WAIT_MS)
    site.far.terminate()  # liblinphone declines: 603 (its "busy" is the max_calls case above)
    qtbot.waitUntil(lambda: site.state_of(call.call_id) == CallState.ENDED, timeout=WAIT_MS)
    ended = site.heard.last(call.call_id)
    assert ended is not None
    assert ended.status_code == 603, ended.reason


def test_linphonec_cancels_while_the_desk_rings(qtbot: QtBot, site: Site) -> None:
    site.far.call(f"sip:{DESK}@{site.pbx.address}")
    qtbot.waitUntil(lambda: len(site.heard.incoming) == 1, timeout=WAIT_MS)
    offered = site.heard.incoming[0]
    qtbot.waitUntil(lambda: bool(site.far.said("ringing.")), timeout=WAIT_MS)
    site.far.terminate()  # CANCEL
    qtbot.waitUntil(lambda: site.state_of(offered.call_id) == CallState.ENDED, timeout=WAIT_MS)
    ended = site.heard.last(offered.call_id)
    assert ended is not None
    assert ended.connected_at is None
    assert ended.status_code == 487, ended.reason
    assert site.phone.calls() == []


def linphonec_calls_and_the_desk_answers(qtbot: QtBot, site: Site) -> CallInfo:
    site.far.call(f"sip:{DESK}@{site.pbx.address}")
    qtbot.waitUntil(lambda: len(site.heard.incoming) == 1, timeout=WAIT_MS)
    offered = site.heard.incoming[0]
    site.phone.answer(offered.call_id)
    qtbot.waitUntil(lambda: site.state_of(offered.call_id) == CallState.CONNECTED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(site.far.said("Media streams established")), timeout=WAIT_MS)
    return offered


def leaves_the_leg_to_the_agent(qtbot: QtBot, site: Site, call: CallInfo) -> None:
    """linphonec 5.1, the transferee, reports only the start of its new call: one NOTIFY
    with ``SIP/2.0 100 Trying``, never the final ``200 OK`` (trace at the desk: REFER, 202
    Accepted, NOTIFY ``Subscription-State: active`` with the 100, and nothing more while the
    new call is up). The desk leaves the customer's leg only on a final 2xx NOTIFY (so a
    failed transfer keeps the customer with the agent), so here the leg stays, held by
    linphonec (blind) or by the desk itself (attended: the agent held the customer to
    consult), until the agent hangs up."""
    qtbot.waitUntil(
        lambda: now(site, call).remote_hold or now(site, call).state == CallState.HELD,
        timeout=WAIT_MS,
    )
    assert site.state_of(call.call_id) != CallState.ENDED
    site.phone.hangup(call.call_id)
    qtbot.waitUntil(lambda: site.phone.calls() == [], timeout=WAIT_MS)


def test_blind_transfer_of_linphonec_to_a_baresip(qtbot: QtBot, site: Site) -> None:
    expert = Baresip(
        site.tmp, "expert", user=EXPERT, password=EXPERT_PASSWORD, domain=site.pbx.domain,
        registrar=site.pbx.address, tone_hz=EXPERT_HZ, answer="auto",
    )  # fmt: skip
    try:
        qtbot.waitUntil(lambda: bool(site.pbx.contacts(EXPERT)), timeout=WAIT_MS)
        call = linphonec_calls_and_the_desk_answers(qtbot, site)
        # Named by the PBX's address: linphonec would look the domain up in DNS.
        site.phone.blind_transfer(call.call_id, f"sip:{EXPERT}@{site.pbx.address}")
        qtbot.waitUntil(lambda: bool(expert.saw("CALL_ESTABLISHED")), timeout=WAIT_MS)
        leaves_the_leg_to_the_agent(qtbot, site, call)
        site.far.speak_and_record(FAR_HZ)
        qtbot.wait(3000)  # they talk; the recordings fill
        site.far.terminate()
        qtbot.waitUntil(lambda: bool(expert.saw("CALL_CLOSED")), timeout=WAIT_MS)
        at_expert = loud_part(expert.heard())
        assert len(at_expert) > 8000, "the expert heard nothing"
        assert tone_share(at_expert, FAR_HZ) > 0.5, "the expert did not hear linphonec"
        at_far = loud_part(site.far.heard())
        assert tone_share(at_far, EXPERT_HZ) > 0.5, "linphonec did not hear the expert"
    except BaseException:
        log.error("baresip expert:\n%s", expert.report())
        raise
    finally:
        expert.stop()


def test_attended_transfer_of_linphonec_to_a_colleagues_desk(qtbot: QtBot, site: Site) -> None:
    """linphonec as the transferee sends a Replaces header (RFC 3891): the colleague's desk
    swaps the consult call for the customer's without ringing."""
    with registered_desk(qtbot, site.pbx, EXPERT, EXPERT_PASSWORD) as (colleague, seen):
        record = site.far.dir / "colleague.wav"
        colleague.test_audio(EXPERT_HZ, str(record))
        call = linphonec_calls_and_the_desk_answers(qtbot, site)
        site.phone.hold(call.call_id)
        qtbot.waitUntil(lambda: site.state_of(call.call_id) == CallState.HELD, timeout=WAIT_MS)
        asked = site.phone.dial(f"sip:{EXPERT}@{site.pbx.address}")
        qtbot.waitUntil(lambda: len(seen.incoming) == 1, timeout=WAIT_MS)
        colleague.answer(seen.incoming[0].call_id)
        qtbot.waitUntil(
            lambda: site.state_of(asked.call_id) == CallState.CONNECTED, timeout=WAIT_MS
        )
        site.phone.attended_transfer(call.call_id, asked.call_id)
        qtbot.waitUntil(
            lambda: [c.remote_number for c in colleague.calls()] == [FAR], timeout=WAIT_MS
        )
        qtbot.waitUntil(lambda: site.state_of(asked.call_id) == CallState.ENDED, timeout=WAIT_MS)
        leaves_the_leg_to_the_agent(qtbot, site, call)
        qtbot.waitUntil(
            lambda: [c.state for c in colleague.calls()] == [CallState.CONNECTED], timeout=WAIT_MS
        )
        assert len(seen.incoming) == 1  # the customer's call never rang there
        (talking,) = colleague.calls()
        site.far.speak_and_record(FAR_HZ)
        qtbot.wait(3000)  # they talk; the recordings fill
        colleague.hangup(talking.call_id)
        qtbot.waitUntil(lambda: not colleague.calls(), timeout=WAIT_MS)
        colleague.test_audio(0, str(site.far.dir / "closed.wav"))
        qtbot.waitUntil(lambda: wav_done(record), timeout=WAIT_MS)
    at_colleague = loud_part(desk_heard(record))
    assert tone_share(at_colleague[-16_000:], FAR_HZ) > 0.5, "the colleague did not hear them"
    at_far = loud_part(site.far.heard())
    assert len(at_far) > 8000, "linphonec heard nothing after the transfer"
    assert tone_share(at_far, EXPERT_HZ) > 0.5, "linphonec did not hear the colleague"


def test_attended_transfer_of_linphonec_to_a_second_linphonec(qtbot: QtBot, site: Site) -> None:
    """The target is an independent phone too (baresip 1.0.0 cannot be one: no Replaces): the
    desk consults a second linphonec, then REFERs the customer's linphonec with Replaces naming
    the consult call; the customer's new call replaces the consult call at the target, which
    takes it without an ``answer`` and ends the consult call to the desk itself. The customer's
    leg at the desk stays held until the agent hangs up (linphonec 5.1 as a transferee never
    sends the final NOTIFY: see ``leaves_the_leg_to_the_agent``); then the customer and the
    target hear each other."""
    target = Linphone(
        site.tmp, "target", user=EXPERT, password=EXPERT_PASSWORD, domain=site.pbx.domain,
        registrar=site.pbx.address,
    )  # fmt: skip
    try:
        target.register()
        qtbot.waitUntil(lambda: bool(site.pbx.contacts(EXPERT)), timeout=WAIT_MS)
        call = linphonec_calls_and_the_desk_answers(qtbot, site)
        site.phone.hold(call.call_id)
        qtbot.waitUntil(lambda: site.state_of(call.call_id) == CallState.HELD, timeout=WAIT_MS)
        asked = site.phone.dial(f"sip:{EXPERT}@{site.pbx.address}")
        qtbot.waitUntil(
            lambda: bool(target.said(f"Receiving new incoming call from sip:{DESK}@")),
            timeout=WAIT_MS,
        )
        target.answer()
        qtbot.waitUntil(
            lambda: site.state_of(asked.call_id) == CallState.CONNECTED, timeout=WAIT_MS
        )
        qtbot.waitUntil(lambda: bool(target.said("Media streams established")), timeout=WAIT_MS)
        site.phone.attended_transfer(call.call_id, asked.call_id)
        # The customer dials the Refer-To with its ``?Replaces=`` (linphonec makes URI headers
        # request headers); the target takes it as call 2 at once, with no ``answer`` (only
        # one was sent, for the consult) and ends call 1, the consult with the desk.
        qtbot.waitUntil(
            lambda: bool(target.said(f"Call 2 with sip:{FAR}@{site.pbx.domain} connected.")),
            timeout=WAIT_MS,
        )
        qtbot.waitUntil(
            lambda: bool(target.said(f"Call 1 with sip:{DESK}@{site.pbx.domain} ended")),
            timeout=WAIT_MS,
        )
        qtbot.waitUntil(lambda: site.state_of(asked.call_id) == CallState.ENDED, timeout=WAIT_MS)
        assert "replaces" in site.far.said("Call 2 to <sip:")[0].lower()  # the REFER's URI
        assert len(target.said("Receiving new incoming call")) == 2
        leaves_the_leg_to_the_agent(qtbot, site, call)
        qtbot.waitUntil(
            lambda: bool(site.far.said(f"Call 1 with sip:{DESK}@{site.pbx.address} ended")),
            timeout=WAIT_MS,
        )
        site.far.speak_and_record(FAR_HZ)
        target.speak_and_record(EXPERT_HZ)
        qtbot.wait(3000)  # they talk; the recordings fill
        site.far.terminate()  # the customer's BYE to the target; both recordings close
        qtbot.waitUntil(
            lambda: bool(target.said(f"Call 2 with sip:{FAR}@{site.pbx.domain} ended")),
            timeout=WAIT_MS,
        )
        qtbot.waitUntil(lambda: wav_done(target.dir / "heard.wav"), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: wav_done(site.far.dir / "heard.wav"), timeout=WAIT_MS)
        at_target = loud_part(target.heard())
        assert len(at_target) > 8000, "the target heard nothing"
        assert tone_share(at_target, FAR_HZ) > 0.5, "the target did not hear the customer"
        at_far = loud_part(site.far.heard())
        assert len(at_far) > 8000, "the customer heard nothing after the transfer"
        assert tone_share(at_far, EXPERT_HZ) > 0.5, "the customer did not hear the target"
    except BaseException:
        log.error("linphonec target:\n%s", target.report())
        raise
    finally:
        target.stop()
