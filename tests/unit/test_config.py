"""Layered configuration: defaults < machine < user < command line; broken files named."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desktop.config import (
    ConfigError,
    Settings,
    load_settings,
    read_layer,
    write_user_layer,
)
from agent_desktop.services.outside_lines import outside_extensions
from agent_desktop.services.phone_setup import dial_plan, phone_config
from softphone.dial_plan import IP_PREFIXES
from softphone.events import Transport
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
        (
            '[directory]\noutside_extensions = ["Reception=8001"]\n',
            "directory.outside_extensions",
            "extension=name",
        ),
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


def test_registrar_outbound_proxy_and_domain_with_its_port_reach_the_phone_separately(
    tmp_path: Path,
) -> None:
    text = (
        '[phone]\ndomain = "cc.example.com:5070"\nregistrar = "sip:reg.example.com:5080"\n'
        'outbound_proxy = "sip:sbc.example.com:5090"\nsip_log_level = "info"\n'
    )
    settings = load_settings(write(tmp_path / "c.toml", text), None).settings
    config = phone_config(settings, MemoryCredentialStore(), False, lambda _w: None)
    assert config.domain == "cc.example.com:5070"
    assert config.registrar == "sip:reg.example.com:5080"
    assert config.outbound_proxy == "sip:sbc.example.com:5090"
    assert config.transport == Transport.UDP
    assert config.sip_log_level == "info"
    secure = load_settings(
        write(tmp_path / "s.toml", '[phone]\nregistrar = "sips:reg.example.com"\n'), None
    ).settings
    assert phone_config(secure, MemoryCredentialStore(), False, lambda _w: None).transport == (
        Transport.TLS
    )
    bad = load_settings(write(tmp_path / "b.toml", '[phone]\noutbound_proxy = "sbc"\n'), None)
    assert "must be empty or start with sip:" in str(bad.errors[0])


def test_the_user_layer_is_written_with_the_changes_and_its_other_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        '[ui]\nlanguage = "zh_CN"\n'
        '[phone]\ndomain = "old.example.com"\ntrusted_peers = ["10.0.0.1"]\n',
    )
    write_user_layer(
        path,
        {
            "phone.domain": "cc.example.com:5070",
            "phone.outbound_proxy": 'sip:sbc."quoted".example.com',
            "phone.transport": "tls",
        },
    )
    settings = load_settings(None, path).settings
    assert settings.language == "zh_CN"
    assert settings.sip_trusted_peers == ("10.0.0.1",)
    assert settings.sip_domain == "cc.example.com:5070"
    assert settings.sip_outbound_proxy == 'sip:sbc."quoted".example.com'
    assert settings.sip_transport == "tls"


def test_a_bad_change_or_a_broken_file_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", '[phone]\ndomain = "cc.example.com"\n')
    with pytest.raises(ConfigError, match="must be empty or start with sip:"):
        write_user_layer(path, {"phone.registrar": "pbx.example.com"})
    broken = write(tmp_path / "b.toml", "[phone\n")
    with pytest.raises(ConfigError):
        write_user_layer(broken, {"phone.domain": "x"})
    assert path.read_text() == '[phone]\ndomain = "cc.example.com"\n'
    assert broken.read_text() == "[phone\n"
    fresh = tmp_path / "new" / "config.toml"
    write_user_layer(fresh, {"phone.registrar": "sips:pbx.example.com"})
    assert load_settings(None, fresh).settings.sip_registrar == "sips:pbx.example.com"


def test_outside_extensions_reach_the_phone_and_the_directory(tmp_path: Path) -> None:
    text = (
        '[directory]\noutside_extensions = ["8001=前台 Reception", " 8002 = Engineer on call",'
        ' "8003", "sip:duty@pbx.example.com=Duty manager", "8001=again"]\n'
    )
    settings = load_settings(write(tmp_path / "c.toml", text), None).settings
    config = phone_config(settings, MemoryCredentialStore(), False, lambda _w: None)
    assert config.watched_lines == ("8001", "8002", "8003", "sip:duty@pbx.example.com")
    lines = outside_extensions(settings)
    assert [(o.extension, o.name) for o in lines] == [
        ("8001", "前台 Reception"),
        ("8002", "Engineer on call"),
        ("8003", "8003"),  # no name: the extension stands for it
        ("sip:duty@pbx.example.com", "Duty manager"),
    ]
    assert phone_config(Settings(), MemoryCredentialStore(), False, print).watched_lines == ()


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


def test_the_recording_keys_are_read(tmp_path: Path) -> None:
    assert Settings().recording_auto_pause is True  # on unless the centre turns it off
    assert Settings().recording_sensitive_fields == ()  # nothing marked by default
    text = '[recording]\nauto_pause_sensitive_fields = false\nsensitive_fields = ["content"]\n'
    settings = load_settings(write(tmp_path / "c.toml", text), None).settings
    assert settings.recording_auto_pause is False
    assert settings.recording_sensitive_fields == ("content",)
