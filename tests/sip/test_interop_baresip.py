"""The desk against Debian's baresip, both registered at Kamailio with digest auth (issue 24):
calls both ways through the proxy with a tone each way, DTMF both ways, busy, not found and
the caller's cancel, blind transfer to a second baresip, and hold/resume from each side with
the codec unchanged and media checked after the resume."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallInfo, CallState, Phone, PhoneConfig
from tests.fakes.baresip import Baresip
from tests.fakes.kamailio_auth import AuthKamailio
from tests.fakes.wav import wav_done
from tests.sip.conftest import Recorder
from tests.sip.test_conference import heard as desk_heard
from tests.sip.test_headset_audio import loud_part, tone_share

pytestmark = pytest.mark.slow
WAIT_MS = 15_000
DESK, DESK_PASSWORD = "agent1001", "desk-pw-1001"
FAR, FAR_PASSWORD = "cust2001", "far-pw-2001"
EXPERT, EXPERT_PASSWORD = "expert3001", "expert-pw-3001"
DESK_HZ, FAR_HZ, EXPERT_HZ = 1000, 600, 1400
log = logging.getLogger(__name__)


@dataclass
class Site:
    pbx: AuthKamailio
    phone: Phone
    heard: Recorder
    far: Baresip
    tmp: Path
    started: list[Baresip]

    def via_pbx(self, user: str) -> str:
        """A URI the PBX routes: the desk has no outbound-proxy setting yet (the sipops part of
        issue 24), so the request goes to the PBX's address and Kamailio looks the user up."""
        return f"sip:{user}@{self.pbx.address}"

    def baresip(self, name: str, user: str, password: str, tone_hz: int, **kw: str) -> Baresip:
        peer = Baresip(
            self.tmp, name, user=user, password=password, domain=self.pbx.domain,
            registrar=self.pbx.address, tone_hz=tone_hz, **kw,
        )  # fmt: skip
        self.started.append(peer)
        return peer


@pytest.fixture
def site(qtbot: QtBot, tmp_path: Path) -> Iterator[Site]:
    users = {DESK: DESK_PASSWORD, FAR: FAR_PASSWORD, EXPERT: EXPERT_PASSWORD}
    pbx = AuthKamailio(tmp_path, users)
    phone = Phone()
    heard = Recorder(phone)
    started: list[Baresip] = []
    try:
        phone.start(
            PhoneConfig(
                user=DESK, password=DESK_PASSWORD, domain=pbx.domain,
                registrar=f"sip:{pbx.address}", bind_address="127.0.0.1",
            )
        )  # fmt: skip
        phone.wait_ready()
        site = Site(pbx, phone, heard, None, tmp_path, started)  # type: ignore[arg-type]
        site.far = site.baresip("far", FAR, FAR_PASSWORD, FAR_HZ)
        qtbot.waitUntil(lambda: bool(pbx.contacts(DESK) and pbx.contacts(FAR)), timeout=WAIT_MS)
        yield site
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        for peer in started:
            log.error("baresip %s:\n%s", peer.user, peer.report())
        raise
    finally:
        phone.stop()
        for peer in started:
            peer.stop()
        pbx.stop()


def state_of(site: Site, call_id: int) -> CallState | None:
    info = site.heard.last(call_id)
    return None if info is None else info.state


def test_desk_calls_baresip_through_the_proxy_and_each_hears_the_other(
    qtbot: QtBot, site: Site
) -> None:
    record = site.tmp / "desk.wav"
    site.phone.test_audio(DESK_HZ, str(record))
    call = site.phone.dial(site.via_pbx(FAR))
    qtbot.waitUntil(lambda: bool(site.far.saw("CALL_INCOMING")), timeout=WAIT_MS)
    site.far.accept()
    qtbot.waitUntil(lambda: state_of(site, call.call_id) == CallState.CONNECTED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(site.far.saw("CALL_ESTABLISHED")) == 1, timeout=WAIT_MS)
    talk(qtbot, site, call)
    assert_heard_each_other(qtbot, site, record, FAR_HZ, site.far)


def talk(qtbot: QtBot, site: Site, call: CallInfo, seconds: float = 3.0) -> None:
    """Let the call run ``seconds`` (the recordings fill), then the desk hangs up."""
    qtbot.wait(int(seconds * 1000))
    site.phone.hangup(call.call_id)
    qtbot.waitUntil(lambda: state_of(site, call.call_id) == CallState.ENDED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(site.far.saw("CALL_CLOSED")), timeout=WAIT_MS)


def assert_heard_each_other(
    qtbot: QtBot, site: Site, record: Path, far_hz: int, far: Baresip
) -> None:
    """The desk heard ``far_hz`` and ``far`` heard the desk's tone (its latest call)."""
    site.phone.test_audio(0, str(site.tmp / f"after-{record.name}"))  # closes the recording
    qtbot.waitUntil(lambda: wav_done(record), timeout=WAIT_MS)
    at_desk = loud_part(desk_heard(record))
    assert len(at_desk) > 8000, "the desk heard nothing"
    assert tone_share(at_desk, far_hz) > 0.5, "the desk did not hear the far end's tone"
    at_far = loud_part(far.heard())
    assert len(at_far) > 8000, f"{far.user} heard nothing"
    assert tone_share(at_far, DESK_HZ) > 0.5, f"{far.user} did not hear the desk's tone"


def answer_from_baresip(qtbot: QtBot, site: Site) -> CallInfo:
    """baresip calls the desk through the PBX; the desk answers."""
    site.far.dial(f"sip:{DESK}@{site.pbx.domain}")
    qtbot.waitUntil(lambda: len(site.heard.incoming) == 1, timeout=WAIT_MS)
    offered = site.heard.incoming[0]
    assert offered.remote_number == FAR
    site.phone.answer(offered.call_id)
    qtbot.waitUntil(lambda: state_of(site, offered.call_id) == CallState.CONNECTED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(site.far.saw("CALL_ESTABLISHED")), timeout=WAIT_MS)
    return offered


def test_baresip_calls_the_desk_through_the_proxy_and_each_hears_the_other(
    qtbot: QtBot, site: Site
) -> None:
    record = site.tmp / "desk.wav"
    site.phone.test_audio(DESK_HZ, str(record))
    call = answer_from_baresip(qtbot, site)
    talk(qtbot, site, call)
    assert_heard_each_other(qtbot, site, record, FAR_HZ, site.far)


def test_dtmf_both_ways(qtbot: QtBot, site: Site) -> None:
    call = answer_from_baresip(qtbot, site)
    site.phone.send_dtmf(call.call_id, "159#")  # RFC 4733, the desk's default
    qtbot.waitUntil(lambda: site.far.digits() == "159#", timeout=WAIT_MS)
    site.far.send_dtmf("2*7")
    qtbot.waitUntil(
        lambda: "".join(d for c, d in site.heard.dtmf if c == call.call_id) == "2*7",
        timeout=WAIT_MS,
    )
    talk(qtbot, site, call, seconds=0)


def test_a_busy_phone_says_busy(qtbot: QtBot, site: Site) -> None:
    call = site.phone.dial(site.via_pbx(FAR))
    qtbot.waitUntil(lambda: bool(site.far.saw("CALL_INCOMING")), timeout=WAIT_MS)
    site.far.hangup()  # baresip declines a ringing call: 486 Busy Here
    qtbot.waitUntil(lambda: state_of(site, call.call_id) == CallState.ENDED, timeout=WAIT_MS)
    ended = site.heard.last(call.call_id)
    assert ended is not None
    assert ended.status_code == 486, ended.reason


def test_an_unknown_number_is_not_found(qtbot: QtBot, site: Site) -> None:
    call = site.phone.dial(site.via_pbx("nobody9999"))
    qtbot.waitUntil(lambda: state_of(site, call.call_id) == CallState.ENDED, timeout=WAIT_MS)
    ended = site.heard.last(call.call_id)
    assert ended is not None
    assert ended.status_code == 404, ended.reason


def test_the_caller_cancels_while_the_desk_rings(qtbot: QtBot, site: Site) -> None:
    site.far.dial(f"sip:{DESK}@{site.pbx.domain}")
    qtbot.waitUntil(lambda: len(site.heard.incoming) == 1, timeout=WAIT_MS)
    offered = site.heard.incoming[0]
    site.far.hangup()  # CANCEL
    qtbot.waitUntil(lambda: state_of(site, offered.call_id) == CallState.ENDED, timeout=WAIT_MS)
    assert site.phone.calls() == []
    assert site.heard.last(offered.call_id).connected_at is None  # type: ignore[union-attr]


def test_blind_transfer_to_a_second_baresip(qtbot: QtBot, site: Site) -> None:
    expert = site.baresip("expert", EXPERT, EXPERT_PASSWORD, EXPERT_HZ, answer="auto")
    qtbot.waitUntil(lambda: bool(site.pbx.contacts(EXPERT)), timeout=WAIT_MS)
    call = answer_from_baresip(qtbot, site)
    site.phone.blind_transfer(call.call_id, f"sip:{EXPERT}@{site.pbx.domain}")
    # The customer's baresip follows the REFER through the PBX; the expert answers by itself.
    qtbot.waitUntil(lambda: bool(expert.saw("CALL_ESTABLISHED")), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: state_of(site, call.call_id) == CallState.ENDED, timeout=WAIT_MS)
    assert site.phone.calls() == []
    qtbot.wait(3000)  # they talk; the recordings fill
    site.far.hangup()
    qtbot.waitUntil(lambda: bool(expert.saw("CALL_CLOSED")), timeout=WAIT_MS)
    at_expert = loud_part(expert.heard())
    assert len(at_expert) > 8000, "the expert heard nothing"
    assert tone_share(at_expert, FAR_HZ) > 0.5, "the expert did not hear the customer"
    at_far = loud_part(site.far.heard())
    assert tone_share(at_far, EXPERT_HZ) > 0.5, "the customer did not hear the expert"


def test_quit_during_a_call_sends_bye_and_unregisters(qtbot: QtBot, site: Site) -> None:
    answer_from_baresip(qtbot, site)
    site.phone.stop()  # the desk quits with the call up
    assert site.pbx.contacts(DESK) == []  # un-registered: the challenge answered
    qtbot.waitUntil(lambda: bool(site.far.saw("CALL_CLOSED")), timeout=WAIT_MS)
    # baresip says why: the far end ended the call (BYE), not a timeout
    assert "reset by peer" in site.far.saw("CALL_CLOSED")[0].param.lower()


def now(site: Site, call: CallInfo) -> CallInfo:
    """The call as the desk has it now (state, hold, media and codec)."""
    info = site.phone.call(call.call_id)
    assert info is not None, f"call {call.call_id} is gone"
    return info


def codec_of(qtbot: QtBot, site: Site, call: CallInfo) -> str:
    """The codec the call was answered in, once media is up."""
    qtbot.waitUntil(lambda: bool(now(site, call).codec), timeout=WAIT_MS)
    return now(site, call).codec


def assert_heard_after_resume(
    qtbot: QtBot, site: Site, call: CallInfo, codec: str, record: Path
) -> None:
    """After a resume the call is in the codec it was answered in and media flows both ways.
    The desk records only from the resume on (``record``) and must hear baresip's tone. The
    other way, baresip's RTP stream must carry the desk's RFC 4733 digits sent after the
    resume: baresip 1.0.0's own recording cannot show it, because any re-INVITE (hold or
    resume, from either side) drops its decode filters. Its dump then stops at the first
    re-INVITE, though its RTP statistics (``rtp_stats``) count the packets it keeps getting."""
    assert now(site, call).codec == codec, (codec, now(site, call))
    site.phone.send_dtmf(call.call_id, "73")
    qtbot.waitUntil(lambda: site.far.digits().endswith("73"), timeout=WAIT_MS)
    talk(qtbot, site, call)
    site.phone.test_audio(0, str(site.tmp / "closed.wav"))  # closes the desk's recording
    qtbot.waitUntil(lambda: wav_done(record), timeout=WAIT_MS)
    at_desk = loud_part(desk_heard(record))
    assert len(at_desk) > 8000, "the desk heard nothing after the resume"
    assert tone_share(at_desk, FAR_HZ) > 0.5, "the desk did not hear baresip after the resume"


def test_the_desk_holds_baresip_and_resumes_with_the_codec_and_audio_unchanged(
    qtbot: QtBot, site: Site
) -> None:
    site.phone.test_audio(DESK_HZ, str(site.tmp / "before.wav"))
    call = answer_from_baresip(qtbot, site)
    codec = codec_of(qtbot, site, call)
    site.phone.hold(call.call_id)
    qtbot.waitUntil(lambda: state_of(site, call.call_id) == CallState.HELD, timeout=WAIT_MS)
    site.phone.resume(call.call_id)
    qtbot.waitUntil(lambda: state_of(site, call.call_id) == CallState.CONNECTED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: now(site, call).media_active, timeout=WAIT_MS)
    record = site.tmp / "after-resume.wav"
    site.phone.test_audio(DESK_HZ, str(record))
    assert_heard_after_resume(qtbot, site, call, codec, record)


def test_baresip_holds_the_desk_and_resumes_with_the_codec_and_audio_unchanged(
    qtbot: QtBot, site: Site
) -> None:
    site.phone.test_audio(DESK_HZ, str(site.tmp / "before.wav"))
    call = answer_from_baresip(qtbot, site)
    codec = codec_of(qtbot, site, call)
    site.far.hold()
    qtbot.waitUntil(lambda: now(site, call).remote_hold, timeout=WAIT_MS)
    site.far.resume()
    qtbot.waitUntil(lambda: not now(site, call).remote_hold, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: now(site, call).media_active, timeout=WAIT_MS)
    assert now(site, call).state == CallState.CONNECTED
    record = site.tmp / "after-resume.wav"
    site.phone.test_audio(DESK_HZ, str(record))
    assert_heard_after_resume(qtbot, site, call, codec, record)


@contextlib.contextmanager
def registered_desk(
    qtbot: QtBot, pbx: AuthKamailio, user: str, password: str
) -> Iterator[tuple[Phone, Recorder]]:
    """Another desk registered at ``pbx`` (a colleague's), with what it saw."""
    phone = Phone()
    heard = Recorder(phone)
    try:
        phone.start(
            PhoneConfig(
                user=user, password=password, domain=pbx.domain,
                registrar=f"sip:{pbx.address}", bind_address="127.0.0.1",
            )
        )  # fmt: skip
        phone.wait_ready()
        qtbot.waitUntil(lambda: bool(pbx.contacts(user)), timeout=WAIT_MS)
        yield phone, heard
    finally:
        phone.stop()


@pytest.fixture
def second_desk(qtbot: QtBot, site: Site) -> Iterator[tuple[Phone, Recorder]]:
    """A colleague's desk, registered as the expert."""
    with registered_desk(qtbot, site.pbx, EXPERT, EXPERT_PASSWORD) as desk:
        yield desk


def consult(qtbot: QtBot, site: Site, call: CallInfo, target: str) -> CallInfo:
    """The desk holds the customer and calls ``target`` through the PBX."""
    site.phone.hold(call.call_id)
    qtbot.waitUntil(lambda: state_of(site, call.call_id) == CallState.HELD, timeout=WAIT_MS)
    return site.phone.dial(site.via_pbx(target))


def test_attended_transfer_of_a_baresip_caller_to_a_colleagues_desk(
    qtbot: QtBot, site: Site, second_desk: tuple[Phone, Recorder]
) -> None:
    """baresip 1.0.0 as the transferee: it does not turn the Refer-To's ``?Replaces=`` into a
    header but sends the whole URI as Request-URI and To, mangling the escaping; Kamailio's
    lookup rewrites the Request-URI, so the colleague's desk receives (SIP trace)::

        INVITE sip:expert3001@127.0.0.1:44109;ob SIP/2.0
        To: <sip:expert3001@127.0.0.1:47380?Require=replaces&Replaces=yVbSQeQIVXLnj1quEpayD
            rXokAxzeNmt?to-tag?ylOfPAY6cLePgqvOpVtMVx.6IBMQNsgC?from-tag?bEG4G8tvAMrZpBjuqTOPW
            WmgTaSTk0ss>
        User-Agent: baresip v1.0.0 (x86_64/linux)

    The desk finds the Replaces in To (softphone.replaces) and swaps the calls itself: the
    colleague is talking to the customer without a second ring, the consult call is gone."""
    colleague, colleague_heard = second_desk
    record = site.tmp / "colleague.wav"
    colleague.test_audio(EXPERT_HZ, str(record))
    call = answer_from_baresip(qtbot, site)
    asked = consult(qtbot, site, call, EXPERT)
    qtbot.waitUntil(lambda: len(colleague_heard.incoming) == 1, timeout=WAIT_MS)
    colleague.answer(colleague_heard.incoming[0].call_id)
    qtbot.waitUntil(lambda: state_of(site, asked.call_id) == CallState.CONNECTED, timeout=WAIT_MS)
    site.phone.attended_transfer(call.call_id, asked.call_id)
    # The customer's new call replaces the consult call at the colleague's desk.
    qtbot.waitUntil(lambda: len(site.far.saw("CALL_ESTABLISHED")) == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: site.phone.calls() == [], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(colleague.calls()) == 1, timeout=WAIT_MS)
    (now_talking,) = colleague.calls()
    assert now_talking.remote_number == FAR
    assert now_talking.state == CallState.CONNECTED
    assert len(colleague_heard.incoming) == 1  # the customer's call never rang there
    qtbot.wait(3000)  # they talk; the recordings fill
    colleague.hangup(now_talking.call_id)
    qtbot.waitUntil(lambda: len(site.far.saw("CALL_CLOSED")) == 2, timeout=WAIT_MS)
    colleague.test_audio(0, str(site.tmp / "closed.wav"))
    qtbot.waitUntil(lambda: wav_done(record), timeout=WAIT_MS)
    at_colleague = loud_part(desk_heard(record))
    assert tone_share(at_colleague[-16_000:], FAR_HZ) > 0.5, "the colleague did not hear them"
    at_far = loud_part(site.far.heard())  # its new call's recording (no re-INVITE on it)
    assert len(at_far) > 8000, "the customer heard nothing after the transfer"
    assert tone_share(at_far, EXPERT_HZ) > 0.5, "the customer did not hear the colleague"


@pytest.mark.xfail(
    strict=True,
    reason="baresip 1.0.0 has no Replaces support (no 'Replaces' string in the binary or "
    "libre): as the transfer target it answers the transferee's INVITE as a second call and "
    "keeps the consult call up",
)
def test_attended_transfer_to_a_baresip(qtbot: QtBot, site: Site) -> None:
    expert = site.baresip("expert", EXPERT, EXPERT_PASSWORD, EXPERT_HZ, answer="auto")
    qtbot.waitUntil(lambda: bool(site.pbx.contacts(EXPERT)), timeout=WAIT_MS)
    call = answer_from_baresip(qtbot, site)
    asked = consult(qtbot, site, call, EXPERT)
    qtbot.waitUntil(lambda: state_of(site, asked.call_id) == CallState.CONNECTED, timeout=WAIT_MS)
    site.phone.attended_transfer(call.call_id, asked.call_id)
    qtbot.waitUntil(lambda: len(expert.saw("CALL_ESTABLISHED")) == 2, timeout=WAIT_MS)
    # A Replaces-aware target ends the consult call by itself; baresip 1.0.0 keeps it.
    qtbot.waitUntil(lambda: state_of(site, asked.call_id) == CallState.ENDED, timeout=5_000)
