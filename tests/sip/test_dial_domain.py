"""Dialling ``user@domain`` where the domain is a DNS name (issue 24): the desk's engine runs
in a private mount namespace (``unshare -m``) whose ``/etc/resolv.conf`` is a bind mount naming
a DNS stub on loopback (tests/fakes/dns_stub.py), so nothing asks the machine's resolver.

The account registers at the PBX by its address, as the interop suite's do; the calls name
the PBX's domain (``cc.test``), which only DNS turns into the PBX: an SRV record
(``_sip._udp.cc.test`` -> ``pbx.cc.test`` at Kamailio's port, and its A record), or an A record
with the port in the URI. With a name server that never answers, the dial fails with the
reason the panel shows, within a bounded time, while the GUI thread keeps running and the
engine is never taken for hung."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.ui.panels.phone_panel import PhonePanel
from softphone import CallInfo, CallState, Phone, PhoneConfig
from tests.fakes.baresip import Baresip
from tests.fakes.dns_stub import DnsStub, Srv
from tests.fakes.gap_probe import GapProbe
from tests.fakes.kamailio_auth import AuthKamailio
from tests.sip.conftest import Recorder

pytestmark = pytest.mark.slow
WAIT_MS = 15_000
# pjsip's resolver gives up after 5 tries 2 s apart (PJ_DNS_RESOLVER_QUERY_RETRANSMIT_*);
# the dial must have failed well within twice that.
DEAD_DNS_MS = 25_000
# A lookup blocking a thread lasts seconds (a resolver retries 2-5 s apart); this bound is far
# above what a loaded 2-core machine adds to a 10 ms timer, far below a blocked lookup.
GUI_GAP_LIMIT_MS = 1000
DESK, DESK_PASSWORD = "agent1001", "desk-pw-1001"
FAR, FAR_PASSWORD = "cust2001", "far-pw-2001"
DOMAIN = "cc.test"
log = logging.getLogger(__name__)


def in_namespace(resolv_conf: Path) -> list[str]:
    """The engine's command prefix: a private mount namespace whose resolv.conf is ours."""
    if shutil.which("unshare") is None:
        pytest.fail("unshare (util-linux) is missing")
    script = 'mount --bind "$0" /etc/resolv.conf && exec "$@"'
    return ["unshare", "-m", "sh", "-c", script, str(resolv_conf)]


@dataclass
class Site:
    pbx: AuthKamailio
    far: Baresip
    tmp: Path

    def desk(self, dns: DnsStub) -> tuple[Phone, Recorder]:
        resolv_conf = self.tmp / "resolv.conf"
        resolv_conf.write_text(f"nameserver {dns.address}\n", encoding="utf-8")
        phone = Phone(engine_prefix=in_namespace(resolv_conf))
        heard = Recorder(phone)
        phone.start(
            PhoneConfig(
                user=DESK, password=DESK_PASSWORD, domain=DOMAIN,
                registrar=f"sip:{self.pbx.address}", bind_address="127.0.0.1",
            )
        )  # fmt: skip
        phone.wait_ready()
        return phone, heard


@pytest.fixture
def site(qtbot: QtBot, tmp_path: Path) -> Iterator[Site]:
    pbx = AuthKamailio(tmp_path, {DESK: DESK_PASSWORD, FAR: FAR_PASSWORD}, domain=DOMAIN)
    far: Baresip | None = None
    try:
        far = Baresip(
            tmp_path, "far", user=FAR, password=FAR_PASSWORD, domain=DOMAIN,
            registrar=pbx.address, tone_hz=600,
        )  # fmt: skip
        qtbot.waitUntil(lambda: bool(pbx.contacts(FAR)), timeout=WAIT_MS)
        yield Site(pbx, far, tmp_path)
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        if far is not None:
            log.error("baresip:\n%s", far.report())
        raise
    finally:
        if far is not None:
            far.stop()
        pbx.stop()


def reach_and_hang_up(qtbot: QtBot, site: Site, phone: Phone, heard: Recorder, target: str) -> None:
    qtbot.waitUntil(lambda: bool(site.pbx.contacts(DESK)), timeout=WAIT_MS)
    call = phone.dial(target)
    qtbot.waitUntil(lambda: bool(site.far.saw("CALL_INCOMING")), timeout=WAIT_MS)
    site.far.accept()
    qtbot.waitUntil(
        lambda: (heard.last(call.call_id) or call).state == CallState.CONNECTED, timeout=WAIT_MS
    )
    phone.hangup(call.call_id)
    qtbot.waitUntil(lambda: bool(site.far.saw("CALL_CLOSED")), timeout=WAIT_MS)


def panel_says(qtbot: QtBot, phone: Phone, ended: CallInfo) -> str:
    """Why the call ended, as the phone panel tells the agent."""
    panel = PhonePanel(phone)
    qtbot.addWidget(panel)
    return panel.end_reason(ended)


def test_a_number_at_the_domain_is_found_by_srv(qtbot: QtBot, site: Site) -> None:
    dns = DnsStub(
        {
            (f"_sip._udp.{DOMAIN}", "SRV"): [Srv(10, 0, site.pbx.port, f"pbx.{DOMAIN}")],
            (f"pbx.{DOMAIN}", "A"): ["127.0.0.1"],
        }
    )
    phone, heard = site.desk(dns)
    try:
        reach_and_hang_up(qtbot, site, phone, heard, FAR)  # "cust2001": sip:cust2001@cc.test
        assert dns.questions(f"_sip._udp.{DOMAIN}", "SRV") >= 1
        assert dns.questions(f"pbx.{DOMAIN}", "A") >= 1
        assert phone.restarts == 0
    finally:
        phone.stop()
        dns.close()


def test_user_at_domain_with_a_port_is_found_by_its_a_record(qtbot: QtBot, site: Site) -> None:
    dns = DnsStub({(DOMAIN, "A"): ["127.0.0.1"]})
    phone, heard = site.desk(dns)
    try:
        # A port in the URI: no SRV (RFC 3263), the A record alone.
        reach_and_hang_up(qtbot, site, phone, heard, f"sip:{FAR}@{DOMAIN}:{site.pbx.port}")
        assert dns.questions(DOMAIN, "A") >= 1
        assert dns.questions(f"_sip._udp.{DOMAIN}", "SRV") == 0
    finally:
        phone.stop()
        dns.close()


def test_a_dead_name_server_fails_the_dial_in_bounded_time_and_the_gui_runs_on(
    qtbot: QtBot, site: Site
) -> None:
    dns = DnsStub(drop=True)
    phone, heard = site.desk(dns)
    probe = GapProbe()
    try:
        qtbot.waitUntil(lambda: bool(site.pbx.contacts(DESK)), timeout=WAIT_MS)  # by address
        probe.start()
        dialled = time.monotonic()  # a duration, printed (pytest -s) for the README
        call = phone.dial(f"sip:{FAR}@{DOMAIN}")
        assert call.state == CallState.DIALING  # dial() returned at once
        qtbot.waitUntil(
            lambda: (heard.last(call.call_id) or call).state == CallState.ENDED,
            timeout=DEAD_DNS_MS,
        )
        longest = probe.stop()
        failed_after = time.monotonic() - dialled
        ended = heard.last(call.call_id)
        assert ended is not None
        print(  # noqa: T201 - the figures (pytest -s)
            f"\ndead DNS: {ended.status_code} {ended.reason!r} after {failed_after:.1f} s, "
            f"longest GUI gap {longest:.1f} ms"
        )
        assert dns.total() > 0  # the lookups went to the silent stub
        assert ended.status_code == 503, ended  # "503 Operation timed out (PJ_ETIMEDOUT)"
        assert "name server" in panel_says(qtbot, phone, ended)
        assert not site.far.saw("CALL_INCOMING")
        assert phone.restarts == 0  # the engine's thread never blocked in a lookup
        assert longest < GUI_GAP_LIMIT_MS, longest
    finally:
        probe.stop()
        phone.stop()
        dns.close()


def test_an_unknown_domain_fails_the_dial_with_a_clear_reason(qtbot: QtBot, site: Site) -> None:
    dns = DnsStub({("other.test", "A"): ["127.0.0.1"]})  # cc.test: NXDOMAIN
    phone, heard = site.desk(dns)
    try:
        qtbot.waitUntil(lambda: bool(site.pbx.contacts(DESK)), timeout=WAIT_MS)
        call = phone.dial(FAR)
        qtbot.waitUntil(
            lambda: (heard.last(call.call_id) or call).state == CallState.ENDED, timeout=WAIT_MS
        )
        ended = heard.last(call.call_id)
        assert ended is not None
        assert ended.status_code == 502, ended  # '502 DNS "Name Error" (..._EDNS_NXDOMAIN)'
        assert "(DNS)" in panel_says(qtbot, phone, ended)
    finally:
        phone.stop()
        dns.close()
