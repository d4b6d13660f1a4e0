"""Encrypted calls between real pjsua2 endpoints: SIP over TLS with the far end's certificate
checked against a CA file, and SRTP (SDES) made mandatory; audio flows only when both hold,
and a failure says why."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.ui.panels.phone_panel import PhonePanel
from softphone import CallInfo, CallState, Phone, PhoneConfig, SrtpUse, Transport
from tests.fakes.peers import listening_peer, peer
from tests.sip.conftest import Recorder
from tests.sip.test_conference import heard as samples
from tests.sip.test_headset_audio import loud_part, tone_share

pytestmark = pytest.mark.slow
FAR_HZ = 900


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (it is its own CA)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "peer.pem", folder / "peer.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def peers() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.kill()


def listening(peers: list[subprocess.Popen[str]], *args: str) -> tuple[subprocess.Popen[str], str]:
    process, address = listening_peer("--number", "8002", "--talk-s", "3", *args)
    peers.append(process)
    return process, address


def desk(qtbot: QtBot, config: PhoneConfig, record: Path) -> Phone:
    phone = Phone()
    phone.start(config)
    phone.wait_ready()  # the engine's process is up
    phone.test_audio(record_path=str(record))
    return phone


def wait_ended(qtbot: QtBot, heard: Recorder, call: CallInfo) -> CallInfo:
    qtbot.waitUntil(
        lambda: (last := heard.last(call.call_id)) is not None and last.state == CallState.ENDED,
        timeout=20_000,
    )
    ended = heard.last(call.call_id)
    assert ended is not None
    return ended


def test_a_call_over_tls_with_mandatory_srtp_carries_the_audio(
    qtbot: QtBot,
    certificate: tuple[Path, Path],
    tmp_path: Path,
    peers: list[subprocess.Popen[str]],
) -> None:
    cert, key = certificate
    far, address = listening(peers, "--transport", "tls", "--tls-cert", str(cert),
                             "--tls-key", str(key), "--srtp", "mandatory",
                             "--tone-hz", str(FAR_HZ))  # fmt: skip
    phone = desk(
        qtbot,
        PhoneConfig(
            bind_address="127.0.0.1",
            transport=Transport.TLS,
            tls_ca_file=str(cert),
            srtp=SrtpUse.MANDATORY,
        ),
        tmp_path / "desk.wav",
    )
    try:
        heard = Recorder(phone)
        call = phone.dial(f"sip:8002@{address}")
        qtbot.waitUntil(
            lambda: (c := phone.call(call.call_id)) is not None and c.media_active,
            timeout=10_000,
        )
        wait_ended(qtbot, heard, call)  # the far end hangs up after 3 s
    finally:
        phone.stop()
    out, _ = far.communicate(timeout=20)
    assert "CONNECTED" in out
    desk_heard = loud_part(samples(tmp_path / "desk.wav"))
    assert len(desk_heard) > 8000, "no audio came through the encrypted call"
    assert tone_share(desk_heard, FAR_HZ) > 0.3


def test_a_far_end_whose_certificate_is_not_trusted_is_not_called(
    qtbot: QtBot,
    certificate: tuple[Path, Path],
    tmp_path: Path,
    peers: list[subprocess.Popen[str]],
) -> None:
    cert, key = certificate
    far, address = listening(
        peers, "--transport", "tls", "--tls-cert", str(cert), "--tls-key", str(key)
    )
    # Verification on (the default) and no CA file: the self-signed peer is not trusted.
    phone = desk(
        qtbot,
        PhoneConfig(bind_address="127.0.0.1", transport=Transport.TLS),
        tmp_path / "desk.wav",
    )
    try:
        heard = Recorder(phone)
        call = phone.dial(f"sip:8002@{address}")
        ended = wait_ended(qtbot, heard, call)
    finally:
        phone.stop()
    assert ended.connected_at is None
    assert "certificate" in ended.reason, ended  # "503 SSL certificate verification error"
    panel = PhonePanel(phone)
    qtbot.addWidget(panel)
    assert "CA file" in panel.end_reason(ended)
    far.kill()


def test_a_caller_without_srtp_is_refused_when_srtp_is_mandatory(
    qtbot: QtBot, tmp_path: Path
) -> None:
    phone = desk(
        qtbot,
        PhoneConfig(bind_address="127.0.0.1", srtp=SrtpUse.MANDATORY),
        tmp_path / "desk.wav",
    )
    try:
        heard = Recorder(phone)
        caller = peer(f"sip:agent@{phone.local_address}", "--ring-s", "5")
        qtbot.waitUntil(lambda: caller.poll() is not None, timeout=20_000)
        assert caller.returncode == 1, "a plain-RTP caller got through"
        assert not heard.incoming, "the desk rang for a call it cannot take"
    finally:
        phone.stop()
