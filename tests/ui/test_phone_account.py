"""View > Phone account: domain (with its port), registrar and outbound proxy set apart, checked
as the configuration file is, and saved to the per-user file for the next start."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.config import MACHINE_FILE, USER_FILE, Settings, load_settings
from agent_desktop.diagnostics_bundle import configuration
from agent_desktop.services.account_settings import AccountSettings, PhoneAccount
from agent_desktop.services.phone_setup import phone_config
from agent_desktop.tasks import TaskRunner
from agent_desktop.ui.dialogs.phone_account_dialog import PhoneAccountDialog
from softphone import Transport
from tests.fakes.credentials import MemoryCredentialStore

TIMEOUT = 5000


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def test_the_fields_are_saved_apart_and_reach_the_phone_at_the_next_start(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[ui]\nlanguage = "zh_CN"\n', encoding="utf-8")
    service = AccountSettings(runner, path, Settings())
    dialog = PhoneAccountDialog(service.account)
    qtbot.addWidget(dialog)
    dialog.domain.setText("cc.example.com:5070")
    dialog.registrar.setText("sips:pbx.example.com:5081")
    dialog.proxy.setText("sips:sbc.example.com:5091")
    dialog.transport.setCurrentIndex(dialog.transport.findData("tls"))
    dialog.trace.setCurrentIndex(dialog.trace.findData("info"))
    with qtbot.waitSignal(service.saved, timeout=TIMEOUT):
        dialog.accept()
        assert dialog.result() == PhoneAccountDialog.DialogCode.Accepted
        service.save(dialog.changes())
    assert service.settings.sip_outbound_proxy == "sips:sbc.example.com:5091"
    settings = load_settings(None, path).settings
    assert settings.language == "zh_CN"  # the rest of the file is kept
    config = phone_config(settings, MemoryCredentialStore(), False, lambda _w: None)
    assert config.domain == "cc.example.com:5070"
    assert config.registrar == "sips:pbx.example.com:5081"
    assert config.outbound_proxy == "sips:sbc.example.com:5091"
    assert config.transport == Transport.TLS
    assert config.sip_log_level == "info"


def test_an_address_without_sip_is_refused_in_words_and_not_saved(qtbot: QtBot) -> None:
    dialog = PhoneAccountDialog(PhoneAccount.of(Settings()))
    qtbot.addWidget(dialog)
    dialog.proxy.setText("sbc.example.com")
    dialog.accept()
    assert dialog.result() != PhoneAccountDialog.DialogCode.Accepted
    assert dialog.error.text() == "The outbound proxy must be empty or start with sip: or sips:."
    dialog.domain.setText("")
    dialog.proxy.setText("")
    dialog.accept()
    assert dialog.error.text() == "Enter the SIP domain."


def test_what_the_agent_saves_is_named_as_the_user_files_in_the_diagnostics(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    """The diagnostics bundle says where each setting came from: after a change in View ▸
    Phone account, the changed keys come from the user file, not the machine's file."""
    machine = tmp_path / "machine.toml"
    machine.write_text('[phone]\ndomain = "old.example.com"\n', encoding="utf-8")
    user = tmp_path / "config.toml"
    loaded = load_settings(machine, user)
    assert loaded.origins["sip_domain"].layer == MACHINE_FILE
    service = AccountSettings(runner, user, loaded.settings, origins=loaded.origins)
    changed = replace(service.account, domain="cc.example.com")
    with qtbot.waitSignal(service.saved, timeout=TIMEOUT):
        service.save(changed)
    rows = {row["key"]: row for row in configuration(service.settings, service.origins)}
    assert (rows["phone.domain"]["value"], rows["phone.domain"]["source"]) == (
        "cc.example.com",
        USER_FILE,
    )
    assert rows["phone.domain"]["where"] == str(user)
    assert loaded.origins["sip_domain"].layer == MACHINE_FILE  # the loader's record is its own
