"""Caller identity through real INVITEs: SIPp (a trunk on loopback) offers calls with
P-Asserted-Identity, Remote-Party-ID, Privacy, phone-context, quoted display names holding
``<``, GBK bytes, a pilot number in From, IP-dialling prefixes and local numbers; the real
phone (pjsua2) reads them, and the site's dial plan makes the screen pop's lookup number."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.ui.panels.phone_panel import PhonePanel
from softphone import CallInfo, Phone, PhoneConfig
from softphone.dial_plan import DialPlan
from tests.fakes.sipp import Sipp
from tests.sip.conftest import Recorder, finish

pytestmark = pytest.mark.slow
WAIT_MS = 10_000
BEIJING = DialPlan(area_code="10")
FILLER = "X-Filler: -"  # a harmless header where a test needs fewer than four


def gbk(text: str) -> str:
    """``text`` as GBK bytes, in the form argv carries raw bytes (surrogateescape)."""
    return text.encode("gbk").decode("utf-8", "surrogateescape")


@pytest.fixture
def trunk_phone(qtbot: QtBot) -> Iterator[Callable[..., tuple[Phone, Recorder]]]:
    """A phone whose trunk (SIPp on 127.0.0.1) is trusted, or not."""
    made: list[Phone] = []

    def make(trusted: tuple[str, ...] = ("127.0.0.1",), **config: object) -> tuple[Phone, Recorder]:
        phone = Phone()
        phone.start(
            PhoneConfig(
                bind_address="127.0.0.1",
                domain="127.0.0.1",
                trusted_peers=trusted,
                call_data_headers=("Diversion", "X-IVR-Choice"),
                **config,  # type: ignore[arg-type]
            )
        )
        phone.wait_ready()  # the engine's process is up
        made.append(phone)
        return phone, Recorder(phone)

    yield make
    for phone in made:
        phone.stop()


def offer(
    qtbot: QtBot,
    phone: Phone,
    heard: Recorder,
    tmp_path: Path,
    from_: str,
    *headers: str,
    dialled: str = "agent",
) -> CallInfo:
    """SIPp offers one call with these headers and gives up after the 180; what rang."""
    lines = [*headers, FILLER, FILLER, FILLER, FILLER][:4]
    keys = ["-key", "from", from_]
    for index, line in enumerate(lines, start=1):
        keys += ["-key", f"h{index}", line]
    before = len(heard.incoming)
    trunk = Sipp("uac_identity", tmp_path, remote=phone.local_address, service=dialled, extra=keys)
    try:
        qtbot.waitUntil(lambda: len(heard.incoming) > before, timeout=WAIT_MS)
        finish(qtbot, trunk)
    finally:
        trunk.stop()
    return heard.incoming[-1]


def test_pai_from_the_trusted_trunk_beats_a_pilot_number_in_from_and_gbk_names_read(
    qtbot: QtBot, trunk_phone: Callable[..., tuple[Phone, Recorder]], tmp_path: Path
) -> None:
    phone, heard = trunk_phone()
    call = offer(
        qtbot, phone, heard, tmp_path,
        '"Hotline" <sip:4008001234@127.0.0.1>',
        gbk('P-Asserted-Identity: "王先生" <sip:+8613800138000@127.0.0.1;user=phone>'),
        dialled="4008001234",
    )  # fmt: skip
    assert call.remote_number == "+8613800138000"
    assert call.display_name == "王先生"
    assert call.identity_source == "pai"
    assert not call.caller_withheld
    assert call.dialled_number == "4008001234"


def test_the_same_pai_from_an_untrusted_source_is_ignored(
    qtbot: QtBot, trunk_phone: Callable[..., tuple[Phone, Recorder]], tmp_path: Path
) -> None:
    phone, heard = trunk_phone(trusted=("127.0.0.77",))
    call = offer(
        qtbot, phone, heard, tmp_path,
        '"Hotline" <sip:4008001234@127.0.0.1>',
        'P-Asserted-Identity: "Boss" <sip:+8613800138000@127.0.0.1>',
    )  # fmt: skip
    assert call.remote_number == "4008001234"
    assert call.display_name == "Hotline"
    assert call.identity_source == "from"


def test_rpid_with_a_quoted_name_holding_angle_brackets_and_quotes(
    qtbot: QtBot, trunk_phone: Callable[..., tuple[Phone, Recorder]], tmp_path: Path
) -> None:
    phone, heard = trunk_phone()
    call = offer(
        qtbot, phone, heard, tmp_path,
        "<sip:4008001234@127.0.0.1>",
        r'Remote-Party-ID: "Li \"<VIP>\" 李" <sip:13700000002@127.0.0.1>;party=calling;screen=yes',
    )  # fmt: skip
    assert call.identity_source == "rpid"
    assert call.remote_number == "13700000002"
    assert call.display_name == 'Li "<VIP>" 李'


def test_privacy_id_is_withheld_but_the_asserted_number_is_kept_for_the_lookup(
    qtbot: QtBot, trunk_phone: Callable[..., tuple[Phone, Recorder]], tmp_path: Path
) -> None:
    phone, heard = trunk_phone()
    panel = PhonePanel(phone)
    qtbot.addWidget(panel)
    call = offer(
        qtbot, phone, heard, tmp_path,
        '"Anonymous" <sip:anonymous@anonymous.invalid>',
        'P-Asserted-Identity: "Wang" <sip:+8613800138000@127.0.0.1>',
        "Privacy: id",
    )  # fmt: skip
    assert call.caller_withheld
    assert call.display_name == ""
    assert call.remote_number == "+8613800138000"
    row = panel.call_list.item(0)
    assert row.text().startswith("↓ Withheld number · ")  # never the number
    assert "138" not in row.text() + row.toolTip()


def test_privacy_with_a_site_that_does_not_keep_withheld_numbers(
    qtbot: QtBot, trunk_phone: Callable[..., tuple[Phone, Recorder]], tmp_path: Path
) -> None:
    phone, heard = trunk_phone(keep_withheld_number=False)
    call = offer(
        qtbot, phone, heard, tmp_path,
        '"Anonymous" <sip:anonymous@anonymous.invalid>',
        'P-Asserted-Identity: <sip:+8613800138000@127.0.0.1>',
        "Privacy: id",
    )  # fmt: skip
    assert call.caller_withheld
    assert call.remote_number == ""


def test_phone_context_and_tel_uris_give_the_global_number(
    qtbot: QtBot, trunk_phone: Callable[..., tuple[Phone, Recorder]], tmp_path: Path
) -> None:
    phone, heard = trunk_phone()
    call = offer(
        qtbot, phone, heard, tmp_path,
        "<sip:65295114;phone-context=+86-10@127.0.0.1;user=phone>",
    )  # fmt: skip
    assert call.remote_number == "+861065295114"
    call = offer(
        qtbot, phone, heard, tmp_path,
        "<sip:4008001234@127.0.0.1>",
        "P-Asserted-Identity: <tel:6529-5114;phone-context=+86-10>",
    )  # fmt: skip
    assert call.remote_number == "+861065295114"


def test_local_numbers_ip_prefixes_and_extensions_under_the_dial_plan(
    qtbot: QtBot, trunk_phone: Callable[..., tuple[Phone, Recorder]], tmp_path: Path
) -> None:
    phone, heard = trunk_phone()
    local = offer(qtbot, phone, heard, tmp_path, "<sip:65295114@127.0.0.1>")
    assert BEIJING.lookup_number(local.remote_number) == "+861065295114"
    ip = offer(qtbot, phone, heard, tmp_path, "<sip:1795113800138000@127.0.0.1>")
    assert BEIJING.lookup_number(ip.remote_number) == "+8613800138000"
    colleague = offer(qtbot, phone, heard, tmp_path, '"Expert" <sip:2301@127.0.0.1>')
    assert BEIJING.lookup_number(colleague.remote_number) == "2301"


def test_queue_and_ivr_data_headers_ride_on_the_call(
    qtbot: QtBot, trunk_phone: Callable[..., tuple[Phone, Recorder]], tmp_path: Path
) -> None:
    phone, heard = trunk_phone()
    panel = PhonePanel(phone)
    qtbot.addWidget(panel)
    call = offer(
        qtbot, phone, heard, tmp_path,
        "<sip:13800138000@127.0.0.1>",
        gbk("X-Queue: 投诉热线"),
        "X-IVR-Choice: 2",
        "Diversion: <sip:4008009999@127.0.0.1>;reason=unconditional",
        dialled="4008001234",
    )  # fmt: skip
    assert call.queue == "投诉热线"
    assert call.dialled_number == "4008001234"
    assert call.call_data == (
        ("Diversion", "<sip:4008009999@127.0.0.1>;reason=unconditional"),
        ("X-IVR-Choice", "2"),
    )
    row = panel.call_list.item(0)
    assert row.text().endswith(" · queue 投诉热线 (4008001234)")  # the call line
    assert "X-IVR-Choice: 2" in row.toolTip()


def test_overlong_names_and_headers_are_read_bounded_and_the_phone_takes_the_next_call(
    qtbot: QtBot, trunk_phone: Callable[..., tuple[Phone, Recorder]], tmp_path: Path
) -> None:
    # As long as pjsip takes over UDP (its packets stop at 4,000 bytes; NUL bytes and longer
    # headers are in tests/unit/test_identity.py, as argv cannot carry a NUL to SIPp).
    phone, heard = trunk_phone()
    call = offer(
        qtbot, phone, heard, tmp_path,
        '"' + "长" * 500 + '" <sip:13800138000@127.0.0.1>',
        "X-Queue: " + "Q" * 1000,
    )  # fmt: skip
    assert call.remote_number == "13800138000"
    assert len(call.display_name) <= 128
    assert len(call.queue) <= 128
    after = offer(qtbot, phone, heard, tmp_path, "<sip:13900000009@127.0.0.1>")
    assert after.remote_number == "13900000009"
