"""Layered configuration: defaults < machine < user < command line; broken files named."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desktop.config import ConfigError, Settings, load_settings, read_layer
from agent_desktop.services.phone_setup import dial_plan, phone_config
from softphone.dial_plan import IP_PREFIXES
from tests.fakes.credentials import MemoryCredentialStore


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_no_file_exists(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "none.toml", tmp_path / "missing.toml")
    assert loaded.settings == Settings()
    assert loaded.errors == ()
    assert loaded.settings.verify_tls is True  # TLS verification is on unless IT turns it off


def test_later_layers_win(tmp_path: Path) -> None:
    machine = write(
        tmp_path / "machine.toml",
        '[server]\nurl = "https://cc.corp.example"\ntimeout_s = 20\n[ui]\nlanguage = "zh_CN"\n',
    )
    user = write(tmp_path / "user.toml", '[ui]\nlanguage = "en"\n[account]\nusername = "lina"\n')
    loaded = load_settings(machine, user, {"username": "tom", "server_url": None})
    settings = loaded.settings
    assert settings.server_url == "https://cc.corp.example"  # machine, untouched by user
    assert settings.request_timeout_s == 20.0  # an integer is accepted for a duration
    assert settings.language == "en"  # user beats machine
    assert settings.username == "tom"  # command line beats user
    assert loaded.sources == (machine, user)


def test_malformed_file_names_file_and_line_and_falls_back(tmp_path: Path) -> None:
    machine = write(tmp_path / "machine.toml", '[ui]\nlanguage = "zh_CN"\n')
    user = write(
        tmp_path / "user.toml",
        '[server]\nurl = "https://a.example"\nverify_tls = tru\n[ui]\nlanguage = "en"\n',
    )
    loaded = load_settings(machine, user)
    # The broken user layer is skipped whole (not half-applied); the machine layer stays.
    assert loaded.settings.language == "zh_CN"
    assert loaded.settings.server_url == Settings().server_url
    (error,) = loaded.errors
    assert error.path == user
    assert error.line == 3
    assert error.key == "verify_tls"
    assert str(user) in str(error)
    assert "line 3" in str(error)
    assert "verify_tls" in str(error)


def test_unknown_key_is_named_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", '[server]\nurl = "https://a.example"\nverfy_tls = false\n')
    with pytest.raises(ConfigError) as caught:
        read_layer(path)
    assert caught.value.key == "server.verfy_tls"
    assert caught.value.line == 3
    assert "unknown key" in str(caught.value)


def test_wrong_type_is_named(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", '[server]\n\nverify_tls = "yes"\n')
    with pytest.raises(ConfigError) as caught:
        read_layer(path)
    assert (caught.value.key, caught.value.line) == ("server.verify_tls", 3)
    assert "expected true or false" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('[ui]\nlanguage = "fr"\n', "ui.language", "must be one of"),
        ('[server]\nurl = "cc.example.com"\n', "server.url", "http://"),
        ("[server]\ntimeout_s = 0\n", "server.timeout_s", "greater than 0"),
        ("[phone]\ntrusted_peers = [1]\n", "phone.trusted_peers", "a list of text"),
        ('[phone]\nqueue_headers = "X-Queue"\n', "phone.queue_headers", "a list of text"),
        ('[phone]\nqueue_headers = ["X Queue"]\n', "phone.queue_headers", "SIP header"),
        ('[dial_plan]\narea_code = "010a"\n', "dial_plan.area_code", "digits"),
        ('[phone]\ncodecs = ["opus"]\n', "phone.codecs", "G722, PCMA, PCMU"),
        ('[phone]\ncodecs = ["PCMU", "pcmu"]\n', "phone.codecs", "each once"),
        ("[phone]\ncodecs = []\n", "phone.codecs", "at least one"),
        ("[phone]\nrtp_port = 70000\n", "phone.rtp_port", "port number"),
        ('[dial_plan]\nqueue_numbers = ["VIP"]\n', "dial_plan.queue_numbers", "number=queue"),
    ],
)
def test_invalid_values_are_named(tmp_path: Path, text: str, key: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read_layer(write(tmp_path / "c.toml", text))
    assert caught.value.key == key
    assert words in str(caught.value)


def test_binary_file_is_reported_not_crashed(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    loaded = load_settings(None, path)
    assert loaded.settings == Settings()
    assert "not UTF-8" in str(loaded.errors[0])


def test_ca_file_becomes_the_tls_verify_argument() -> None:
    assert Settings(ca_file="/etc/ssl/corp.pem").tls_verify() == "/etc/ssl/corp.pem"
    assert Settings().tls_verify() is True
    assert Settings(verify_tls=False, ca_file="/x.pem").tls_verify() is False


def test_the_dial_plan_and_caller_identity_settings_reach_the_phone(tmp_path: Path) -> None:
    text = (
        '[phone]\ntrusted_peers = ["10.1.2.3", "10.1.8.0/24"]\nkeep_withheld_number = false\n'
        'call_data_headers = ["Diversion"]\n'
        '[dial_plan]\narea_code = "10"\noutside_line = "9"\n'
        'queue_numbers = ["4008001234=VIP hotline"]\n'
    )
    settings = load_settings(write(tmp_path / "c.toml", text), None).settings
    config = phone_config(settings, MemoryCredentialStore(), False, lambda _w: None)
    assert config.trusted_peers == ("10.1.2.3", "10.1.8.0/24")
    assert config.keep_withheld_number is False
    assert config.queue_headers == ("X-Queue",)
    assert config.call_data_headers == ("Diversion",)
    plan = dial_plan(settings)
    assert (plan.area_code, plan.outside_line, plan.ip_prefixes) == ("10", "9", IP_PREFIXES)
    assert plan.queue_of("4008001234") == "VIP hotline"


def test_media_settings_reach_the_phone(tmp_path: Path) -> None:
    text = (
        '[phone]\nbind_address = "10.8.0.5"\nrtp_port = 16384\nrtp_port_range = 100\n'
        'codecs = ["pcmu", "G722"]\nstun_servers = ["stun.example.com:3478"]\nice = true\n'
    )
    settings = load_settings(write(tmp_path / "c.toml", text), None).settings
    config = phone_config(settings, MemoryCredentialStore(), False, lambda _w: None)
    assert (config.bind_address, config.rtp_port, config.rtp_port_range) == (
        "10.8.0.5",
        16384,
        100,
    )
    assert config.codecs == ("PCMU", "G722")
    assert (config.stun_servers, config.ice) == (("stun.example.com:3478",), True)


def test_nat_traversal_is_off_by_default() -> None:
    config = phone_config(Settings(), MemoryCredentialStore(), False, lambda _w: None)
    assert (config.stun_servers, config.ice) == ((), False)
    assert config.codecs == ("G722", "PCMA", "PCMU")
