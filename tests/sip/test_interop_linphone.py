"""The desk against Debian's linphonec (linphone-cli 5.1), a second independent user agent, both
registered at Kamailio with digest auth (issue 24): linphonec's registration, calls both ways
through the proxy each ended by the other side, DTMF both ways and a tone each way (linphonec
plays and records WAV files: there is no sound card)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from softphone import CallInfo, CallState, Phone, PhoneConfig
from tests.fakes.kamailio_auth import AuthKamailio
from tests.fakes.linphone import Linphone
from tests.fakes.wav import wav_done
from tests.sip.conftest import Recorder
from tests.sip.test_conference import heard as desk_heard
from tests.sip.test_headset_audio import loud_part, tone_share

pytestmark = pytest.mark.slow
WAIT_MS = 15_000
DESK, DESK_PASSWORD = "agent1001", "desk-pw-1001"
FAR, FAR_PASSWORD = "cust4001", "linphone-pw-4001"
DESK_HZ, FAR_HZ = 1000, 600
log = logging.getLogger(__name__)


@dataclass
class Site:
    pbx: AuthKamailio
    phone: Phone
    heard: Recorder
    far: Linphone

    def state_of(self, call_id: int) -> CallState | None:
        info = self.heard.last(call_id)
        return None if info is None else info.state


@pytest.fixture
def site(qtbot: QtBot, tmp_path: Path) -> Iterator[Site]:
    pbx = AuthKamailio(tmp_path, {DESK: DESK_PASSWORD, FAR: FAR_PASSWORD})
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
            registrar=pbx.address,
        )  # fmt: skip
        far.register()
        qtbot.waitUntil(lambda: bool(pbx.contacts(DESK) and pbx.contacts(FAR)), timeout=WAIT_MS)
        yield Site(pbx, phone, heard, far)
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
