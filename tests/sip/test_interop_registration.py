"""Registration against Kamailio with digest auth (issue 24): the desk registers (401
answered), registers again after the registrar restarted with an empty location table, and
un-registers on quit and on sign-out so the binding is gone from Kamailio's location table at
once."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.app import Workstation
from agent_desktop.config import Settings
from softphone import EngineState, Phone, PhoneConfig
from softphone.events import RecordingSettings
from tests.fakes.credentials import MemoryCredentialStore
from tests.fakes.kamailio_auth import AuthKamailio

pytestmark = pytest.mark.slow
WAIT_MS = 15_000
USER, PASSWORD = "agent1001", "s3cret-1001"
log = logging.getLogger(__name__)


def desk_config(pbx: AuthKamailio, expires_s: int = 300) -> PhoneConfig:
    return PhoneConfig(
        user=USER,
        password=PASSWORD,
        domain=pbx.domain,
        registrar=f"sip:{pbx.address}",
        bind_address="127.0.0.1",
        register_expires_s=expires_s,
    )


def test_quit_unregisters_the_binding_is_gone_from_kamailio(qtbot: QtBot, tmp_path: Path) -> None:
    pbx = AuthKamailio(tmp_path, {USER: PASSWORD})
    phone = Phone()
    try:
        phone.start(desk_config(pbx))
        phone.wait_ready()
        qtbot.waitUntil(lambda: bool(pbx.contacts(USER)), timeout=WAIT_MS)
        assert phone.local_address.split(":")[-1] in pbx.contacts(USER)[0]

        began = time.monotonic()
        phone.stop()
        stopped_ms = (time.monotonic() - began) * 1000
        # Right after quit, not at the binding's expiry (300 s): the challenge was answered.
        assert pbx.contacts(USER) == []
        log.warning("quit with un-registration took %.0f ms", stopped_ms)
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        raise
    finally:
        phone.stop()
        pbx.stop()


def test_after_the_registrar_restarts_the_desk_registers_again(
    qtbot: QtBot, tmp_path: Path
) -> None:
    pbx = AuthKamailio(tmp_path, {USER: PASSWORD})
    phone = Phone()
    try:
        phone.start(desk_config(pbx, expires_s=10))
        phone.wait_ready()
        qtbot.waitUntil(lambda: bool(pbx.contacts(USER)), timeout=WAIT_MS)
        pbx.restart()  # its location table is in memory: empty now
        assert pbx.contacts(USER) == []
        # pjsua's refresh (5 s before the 10 s expiry) registers again, the challenge answered.
        qtbot.waitUntil(lambda: bool(pbx.contacts(USER)), timeout=WAIT_MS)
        phone.stop()
        assert pbx.contacts(USER) == []
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        raise
    finally:
        phone.stop()
        pbx.stop()


def test_a_wrong_password_never_binds(qtbot: QtBot, tmp_path: Path) -> None:
    pbx = AuthKamailio(tmp_path, {USER: "another"})
    phone = Phone()
    failed: list[object] = []
    phone.registration_changed.connect(lambda info: failed.append(info.status_code))
    try:
        phone.start(desk_config(pbx))
        phone.wait_ready()
        qtbot.waitUntil(lambda: 401 in failed or 403 in failed, timeout=WAIT_MS)
        assert pbx.contacts(USER) == []
    finally:
        phone.stop()
        pbx.stop()


class SigningOutDesk:
    """The parts of ``Workstation`` its sign-out and sign-in phone steps use (the real
    methods run on it): a desk built, its phone started, the settings and the keychain."""

    tr = staticmethod(lambda text: text)

    def __init__(self, phone: Phone, pbx: AuthKamailio, profile_dir: Path) -> None:
        self.phone = phone
        self.desk_built = True
        self._phone_started = True
        self._phone_signed_out = False
        self._phone_stopping = False
        self._phone_start_waiting = False
        self.settings = Settings(
            sip_user=USER, sip_domain=pbx.domain, sip_registrar=f"sip:{pbx.address}",
            sip_bind_address="127.0.0.1", sip_port=0,
        )  # fmt: skip
        self.credentials = MemoryCredentialStore()
        self.credentials.save_token(f"sip:{pbx.address}", USER, PASSWORD)
        self.options = SimpleNamespace(demo=False, profile_dir=profile_dir)
        self.messages = SimpleNamespace(warning=print, error=print)

    def _phone_stopped(self) -> None:
        Workstation._phone_stopped(self)  # type: ignore[arg-type]

    def _phone_on_after_sign_in(self) -> None:
        Workstation._phone_on_after_sign_in(self)  # type: ignore[arg-type]

    def _recording(self) -> RecordingSettings:
        return Workstation._recording(self)  # type: ignore[arg-type]


def test_sign_out_unregisters_and_the_next_sign_in_registers_again(
    qtbot: QtBot, tmp_path: Path
) -> None:
    pbx = AuthKamailio(tmp_path, {USER: PASSWORD})
    phone = Phone()
    desk = SigningOutDesk(phone, pbx, tmp_path / "profile")
    try:
        phone.start(desk_config(pbx))
        phone.wait_ready()
        qtbot.waitUntil(lambda: bool(pbx.contacts(USER)), timeout=WAIT_MS)

        Workstation._phone_off_for_sign_out(desk)  # type: ignore[arg-type]
        assert phone.engine_state == EngineState.STOPPED  # at once: the window never waits
        qtbot.waitUntil(lambda: not desk._phone_stopping, timeout=WAIT_MS)
        assert pbx.contacts(USER) == []  # nobody is signed in: the PBX sends no one here

        desk._phone_on_after_sign_in()
        qtbot.waitUntil(lambda: bool(pbx.contacts(USER)), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: phone.engine_state == EngineState.RUNNING, timeout=WAIT_MS)

        # Signed out and in again at once: the new engine starts when the old one is gone.
        Workstation._phone_off_for_sign_out(desk)  # type: ignore[arg-type]
        desk._phone_on_after_sign_in()
        assert desk._phone_start_waiting
        qtbot.waitUntil(lambda: phone.engine_state == EngineState.RUNNING, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: bool(pbx.contacts(USER)), timeout=WAIT_MS)
    except BaseException:
        log.error("Kamailio:\n%s", pbx.report())
        raise
    finally:
        phone.stop()
        pbx.stop()
