"""No secret in the diagnostics bundle (issue 18, Done when): the real desk (``Workstation``,
offscreen) signs in to the real backend over HTTP with a known password and gets a token; its
phone registers at a SIPp registrar that challenges with 401 (digest, the SIP password from
the keychain) and calls a SIPp party that challenges the INVITE with 401 (qop=auth); the app logs at
debug with the SIP trace in the log. The bundle is saved through Help > Save diagnostics and,
once the desk has quit, by ``agent-desktop --diagnostics``; every member of both is searched
for the password, the token, the SIP password and the digest values the desk sent
(``response``, ``cnonce``), in clear, base64 and URL-encoded forms: none is there, while the
REGISTER and INVITE exchanges are (so the search looked where the secrets would be).

Before this test, ``tests/sip/test_sip_trace.py`` checked the phone's log and SIP ring alone
(REGISTER digest against SIPp, no desk, no bundle, no token)."""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from agent_desktop.app import LaunchOptions, Workstation
from agent_desktop.config import Settings
from agent_desktop.logs import setup_logging
from agent_desktop.tasks import TaskRunner
from softphone import CallState, RegistrationState
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.servers import LiveBackend
from tests.fakes.sipp import Sipp
from tests.sip.conftest import finish

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]
WAIT_MS = 20_000
AGENT, PASSWORD = "wangfang", "demo1234"  # the seeded agent
SIP_USER, SIP_PASSWORD = "agent1001", "s3cret-pw"  # scenarios/registrar.xml, uas_digest.xml


def digest_values(sipp: Sipp) -> set[str]:
    """``response`` and ``cnonce`` of every (Proxy-)Authorization SIPp received."""
    text = sipp.messages.read_text(errors="replace")
    found = set()
    for line in text.splitlines():
        if re.match(r"(?i)^(proxy-)?authorization\s*:", line):
            for name, value in re.findall(r'(\w+)="?([^",\s]+)"?', line):
                if name.lower() in ("response", "cnonce"):
                    found.add(value)
    return found


def forms(secret: str) -> set[str]:
    raw = secret.encode()
    return {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        base64.b64encode(raw).decode(),
        base64.b64encode(raw).decode().rstrip("="),
        base64.urlsafe_b64encode(raw).decode(),
    }


def members(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as bundle:
        return {name: bundle.read(name).decode("utf-8", "replace") for name in bundle.namelist()}


def secrets_in(bundle: dict[str, str], secrets: set[str]) -> list[str]:
    return [
        f"{name}: a form of a secret ({form[:4]}…)"
        for name, text in bundle.items()
        for secret in secrets
        for form in forms(secret)
        if form in text
    ]


@pytest.fixture
def app_log(tmp_path: Path) -> Iterator[Path]:
    """The app's own log file at debug, as ``agent-desktop`` sets it up (then taken away)."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    logs = tmp_path / "profile" / "logs"
    setup_logging("debug", logs)
    yield logs
    for handler in [h for h in root.handlers if h not in before]:
        handler.close()
        root.removeHandler(handler)
    root.setLevel(level)


def test_no_secret_in_either_bundle(  # noqa: PLR0915 - one story, told in order
    qtbot: QtBot,
    tmp_path: Path,
    app_log: Path,
    monkeypatch: pytest.MonkeyPatch,
    app_look: None,
) -> None:
    backend = LiveBackend(tmp_path / "server.sqlite")
    registrar = Sipp("registrar", tmp_path, trace=True)
    far = Sipp("uas_digest", tmp_path, trace=True)
    profile = app_log.parent
    desk: Workstation | None = None
    try:
        registrar.wait_bound()
        far.wait_bound()
        settings = Settings(
            server_url=backend.url, sip_user=SIP_USER, sip_domain="cc.test",
            sip_registrar=f"sip:{registrar.address}", sip_bind_address="127.0.0.1", sip_port=0,
            request_timeout_s=5, remember_sign_in=False, sip_log_level="info", log_level="debug",
        )  # fmt: skip
        keychain = MemoryCredentialStore()
        keychain.save_token(settings.sip_registrar, SIP_USER, SIP_PASSWORD)  # as IT provisions
        desk = Workstation(
            QApplication.instance(),  # type: ignore[arg-type]
            settings,
            LaunchOptions(profile_dir=profile, headless=True),
            credentials=keychain,
            tasks=TaskRunner(),
        )
        desk.session.sign_in(backend.url, AGENT, PASSWORD, remember=False)
        qtbot.waitUntil(
            lambda: desk is not None and desk.desk_built and desk.sync.status.state == "online",
            timeout=WAIT_MS,
        )
        grant = desk.session.grant
        assert grant is not None
        token = grant.token
        qtbot.waitUntil(
            lambda: (
                desk is not None and desk.phone.registration.state == RegistrationState.REGISTERED
            ),
            timeout=WAIT_MS,
        )
        finish(qtbot, registrar)
        call = desk.phone.dial(f"sip:13800138000@{far.address}")
        qtbot.waitUntil(
            lambda: (
                desk is not None
                and any(
                    c.call_id == call.call_id and c.state == CallState.CONNECTED
                    for c in desk.phone.calls()
                )
            ),
            timeout=WAIT_MS,
        )
        desk.phone.hangup(call.call_id)
        finish(qtbot, far)
        # Help > Save diagnostics, the file dialog answered as the agent would.
        saved_here = tmp_path / "from-the-menu.zip"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(saved_here), ""))
        with qtbot.waitSignal(desk.diagnostics.saved, timeout=WAIT_MS):
            desk.main_window.diagnostics_action.trigger()
        desk.shutdown()
    finally:
        if desk is not None:
            if not desk.tasks.closed:
                desk.shutdown()
            if desk.desk_built:
                desk.main_window.deleteLater()
        registrar.stop()
        far.stop()
        backend.stop()
    # The same profile, the desk gone: IT's command line.
    env = dict(os.environ, AGENT_WORKSTATION_POLICY=str(tmp_path / "no-policy.toml"))
    written = subprocess.run(
        [sys.executable, "-m", "agent_desktop", "--diagnostics", str(tmp_path / "cli.zip"),
         "--profile-dir", str(profile), "--config", str(tmp_path / "user.toml"),
         "--machine-config", str(tmp_path / "machine.toml")],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert written.stdout.strip() == str(tmp_path / "cli.zip")

    digests = digest_values(registrar) | digest_values(far)
    assert len(digests) >= 3  # REGISTER's response; INVITE's response and cnonce (qop=auth)
    secrets = {PASSWORD, token, SIP_PASSWORD, *digests}
    from_menu, from_cli = members(saved_here), members(tmp_path / "cli.zip")
    # The search looks where secrets would be: the exchanges are in the trace and the log.
    assert "REGISTER sip:" in from_menu["sip-trace.txt"]
    assert re.search(
        r"INVITE sip:13800138000@[\s\S]*Authorization: Digest", from_menu["sip-trace.txt"]
    )
    assert "Authorization: Digest" in from_menu["logs/agent-desktop.log"]
    assert "INVITE sip:13800138000@" in from_cli["logs/agent-desktop.log"]
    desk_json = json.loads(from_menu["desk.json"])
    assert desk_json["phone"]["registration"].startswith("registered")
    assert desk_json["phone"]["password_set"] is True
    [cache] = json.loads(from_cli["cache.json"])
    assert cache["quick_check"] == ["ok"]
    assert secrets_in(from_menu, secrets) == []
    assert secrets_in(from_cli, secrets) == []
