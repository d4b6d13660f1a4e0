"""End to end: what the trunk sends pops the right customer on the real desk, through the
site's dial plan (Beijing: area code 10). SIPp offers calls from a local number without its
area code, from a mobile behind an IP-dialling prefix, and from a pilot number in From with
the caller in P-Asserted-Identity; each pops the customer whose contact has that number."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.ui.panels.phone_panel import PhonePanel
from softphone import Phone, PhoneConfig
from softphone.dial_plan import DialPlan
from tests.fakes.sipp import Sipp
from tests.sip.conftest import finish
from tests.ui.conftest import LiveDesk

pytestmark = pytest.mark.slow
TIMEOUT_MS = 15_000
FILLER = "X-Filler: -"


def ring(qtbot: QtBot, phone: Phone, tmp_path: Path, from_: str, *headers: str) -> None:
    lines = [*headers, FILLER, FILLER, FILLER, FILLER][:4]
    keys = ["-key", "from", from_]
    for index, line in enumerate(lines, start=1):
        keys += ["-key", f"h{index}", line]
    trunk = Sipp("uac_identity", tmp_path, remote=phone.local_address, extra=keys)
    try:
        finish(qtbot, trunk)  # offered, rang, given up
    finally:
        trunk.stop()


@pytest.mark.parametrize(
    ("from_", "headers", "contact"),
    [
        ("<sip:65295114@127.0.0.1>", (), "陈建国"),  # local: +86 10 added
        ("<sip:6529-5114;phone-context=+86-10@127.0.0.1;user=phone>", (), "陈建国"),
        ("<sip:1795113800138000@127.0.0.1>", (), "赵敏"),  # IP-dialling prefix stripped
        (
            '"Hotline" <sip:4008001234@127.0.0.1>',
            ('P-Asserted-Identity: "Zhao" <sip:+8613800138000@127.0.0.1>',),
            "赵敏",
        ),
    ],
)
def test_the_trunks_forms_pop_the_customer_through_the_dial_plan(
    qtbot: QtBot,
    make_live_desk: Callable[..., LiveDesk],
    tmp_path: Path,
    from_: str,
    headers: tuple[str, ...],
    contact: str,
) -> None:
    config = PhoneConfig(bind_address="127.0.0.1", trusted_peers=("127.0.0.1",))
    rig, phone, _agent = make_live_desk(
        phone_config=config, dial_plan=DialPlan(area_code="10"), phone_panel=True
    )
    panel = rig.window.customer_panel
    ring(qtbot, phone, tmp_path, from_, *headers)
    qtbot.waitUntil(lambda: "北京协和医院" in panel.name_label.text(), timeout=TIMEOUT_MS)
    assert panel.view is not None
    assert panel.view.contact is not None
    assert panel.view.contact.name == contact  # the number that called, matched
    # The call line names the caller as the CRM does, over the network's "Hotline" / "Zhao".
    call_line = rig.window.phone_panel
    assert isinstance(call_line, PhonePanel)
    assert call_line.call_list.item(0).text().startswith(f"↓ {contact} ")
