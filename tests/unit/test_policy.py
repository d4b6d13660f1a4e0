"""Machine policy (issue 18): the policy file on Linux, HKLM values on Windows (read through
an injected registry here: this machine has no winreg), locked keys winning over the user's
file and the command line, unlocked ones acting as machine defaults, bad values named."""

from __future__ import annotations

import contextlib
import sys
import types
from collections.abc import Mapping
from pathlib import Path

import pytest

from agent_desktop.config import Settings, load_settings
from agent_desktop.policy import (
    LOCK_GROUPS,
    POLICY_KEYS,
    REGISTRY_KEY,
    MachinePolicy,
    WindowsRegistry,
    load_policy,
    read_policy_file,
    server_to_sign_in,
)


class FakeRegistry:
    """HKLM as a dict of key paths to values, as winreg's EnumValue would list them."""

    def __init__(self, keys: Mapping[str, Mapping[str, object]]) -> None:
        self.keys = keys
        self.asked: list[str] = []

    def values(self, key_path: str) -> Mapping[str, object] | None:
        self.asked.append(key_path)
        return self.keys.get(key_path)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_locked_server_url_wins_over_the_user_file_and_the_command_line(tmp_path: Path) -> None:
    policy = write(
        tmp_path / "policy.toml",
        'SERVER_URL = "https://cc.corp.example"\nLOCK = "server"\n',
    )
    user = write(tmp_path / "user.toml", '[server]\nurl = "https://elsewhere.example"\n')
    loaded = load_settings(
        None, user, {"server_url": "https://cli.example"}, load_policy(policy, platform="linux")
    )
    assert loaded.settings.server_url == "https://cc.corp.example"
    assert loaded.settings.locked == frozenset({"server_url"})
    assert loaded.policy_problems == ()


def test_the_registry_policy_locks_as_the_msi_writes_it() -> None:
    registry = FakeRegistry(
        {
            REGISTRY_KEY: {
                "SERVER_URL": "https://cc.corp.example",
                "SIP_REGISTRAR": "sips:pbx.corp.example:5061",
                "SIP_TRANSPORT": "TLS",
                "LANGUAGE": "zh-CN",
                "LOCK": "server,sip",
            }
        }
    )
    policy = load_policy(registry=registry, platform="win32")
    assert registry.asked == [r"Software\Policies\AgentWorkstation"]
    assert policy.source == r"HKLM\Software\Policies\AgentWorkstation"
    assert policy.locked == frozenset({"server_url", "sip_registrar", "sip_transport"})
    loaded = load_settings(
        None,
        None,
        {"server_url": "https://cli.example", "language": "en"},
        policy,
    )
    s = loaded.settings
    assert (s.server_url, s.sip_registrar, s.sip_transport) == (
        "https://cc.corp.example",
        "sips:pbx.corp.example:5061",
        "tls",  # IT's capitals accepted
    )
    assert s.language == "en"  # LANGUAGE is not locked: the command line still beats it


def test_an_unlocked_policy_value_is_a_machine_default(tmp_path: Path) -> None:
    policy = load_policy(
        write(tmp_path / "p.toml", 'SERVER_URL = "https://policy.example"\nLANGUAGE = "zh_CN"\n'),
        platform="linux",
    )
    machine = write(tmp_path / "m.toml", '[server]\nurl = "https://machine.example"\n')
    alone = load_settings(machine, None, None, policy).settings
    assert alone.server_url == "https://policy.example"  # over the machine file
    assert alone.language == "zh_CN"
    assert alone.locked == frozenset()
    user = write(tmp_path / "u.toml", '[server]\nurl = "https://user.example"\n')
    assert load_settings(machine, user, None, policy).settings.server_url == "https://user.example"
    cli = load_settings(machine, user, {"language": "en"}, policy).settings
    assert cli.language == "en"


def test_a_lock_without_a_value_keeps_the_machine_files_value(tmp_path: Path) -> None:
    policy = MachinePolicy("test", {}, frozenset({"server_url"}))
    machine = write(tmp_path / "m.toml", '[server]\nurl = "https://machine.example"\n')
    user = write(tmp_path / "u.toml", '[server]\nurl = "https://user.example"\n')
    settings = load_settings(machine, user, {"server_url": "https://cli.example"}, policy).settings
    assert settings.server_url == "https://machine.example"


def test_bad_values_are_named_and_skipped_and_the_rest_applies() -> None:
    registry = FakeRegistry(
        {
            REGISTRY_KEY: {
                "SERVER_URL": "ftp://cc.corp.example",
                "SIP_TRANSPORT": "carrier-pigeon",
                "SIP_REGISTRAR": "sip:pbx.corp.example",
                "LANGUAGE": 7,
                "COLOUR": "blue",
                "LOCK": "server,sip,everything",
            }
        }
    )
    policy = load_policy(registry=registry, platform="win32")
    problems = "\n".join(policy.problems)
    assert "SERVER_URL = 'ftp://cc.corp.example' ignored: must start with http" in problems
    assert "SIP_TRANSPORT = 'carrier-pigeon' ignored: must be one of udp, tcp, tls" in problems
    assert "LANGUAGE = 7 ignored: expected text" in problems
    assert "unknown policy key 'COLOUR'" in problems
    assert "LOCK names 'everything'" in problems
    assert all(p.startswith(r"HKLM\Software\Policies\AgentWorkstation: ") for p in policy.problems)
    assert policy.values == {"sip_registrar": "sip:pbx.corp.example"}
    # The locks that make sense still hold: a typo in LOCK must not unlock the server.
    assert policy.locked == frozenset({"server_url", "sip_registrar", "sip_transport"})
    loaded = load_settings(None, None, {"server_url": "https://cli.example"}, policy)
    assert loaded.settings.server_url == Settings().server_url
    assert loaded.policy_problems == policy.problems


def test_a_broken_or_missing_policy_file_does_not_stop_the_desk(tmp_path: Path) -> None:
    assert read_policy_file(tmp_path / "absent.toml") == MachinePolicy()
    broken = read_policy_file(write(tmp_path / "p.toml", "SERVER_URL = https://x\n"))
    (problem,) = broken.problems
    assert str(tmp_path / "p.toml") in problem
    assert "not valid TOML" in problem
    assert load_settings(None, None, None, broken).settings == Settings()


def test_no_policy_key_on_windows_is_no_policy() -> None:
    assert load_policy(registry=FakeRegistry({}), platform="win32") == MachinePolicy()


def test_lock_as_a_toml_list_and_by_key_name(tmp_path: Path) -> None:
    policy = read_policy_file(write(tmp_path / "p.toml", 'LOCK = ["language", "sip_transport"]\n'))
    assert policy.locked == frozenset({"language", "sip_transport"})
    assert set(LOCK_GROUPS["all"]) == set(POLICY_KEYS)


class FakeWinreg(types.ModuleType):
    """The few names of ``winreg`` WindowsRegistry uses (spelt as winreg spells them), over a
    dict: this machine has no Windows."""

    HKEY_LOCAL_MACHINE = 0x80000002
    KEY_READ = 0x20019
    KEY_WOW64_64KEY = 0x0100

    def __init__(self, keys: Mapping[str, list[tuple[str, object, int]]]) -> None:
        super().__init__("winreg")
        self.keys = keys
        self.opened: list[tuple[int, str, int, int]] = []

    def OpenKey(
        self, root: int, path: str, reserved: int, access: int
    ) -> contextlib.nullcontext[list[tuple[str, object, int]]]:
        self.opened.append((root, path, reserved, access))
        if path not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return contextlib.nullcontext(self.keys[path])

    def EnumValue(
        self, key: contextlib.nullcontext[list[tuple[str, object, int]]], index: int
    ) -> tuple[str, object, int]:
        with key as values:
            if index >= len(values):
                raise OSError(259, "No more data is available")
            return values[index]


def test_the_windows_reader_enumerates_hklm_in_the_64_bit_view(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reg_sz = 1
    fake = FakeWinreg(
        {
            REGISTRY_KEY: [
                ("SERVER_URL", "https://cc.corp.example", reg_sz),
                ("LOCK", "server", reg_sz),
            ]
        }
    )
    monkeypatch.setitem(sys.modules, "winreg", fake)
    policy = load_policy(registry=WindowsRegistry(), platform="win32")
    assert fake.opened == [(fake.HKEY_LOCAL_MACHINE, REGISTRY_KEY, 0, 0x20019 | 0x0100)]
    assert policy.values == {"server_url": "https://cc.corp.example"}
    assert policy.locked == frozenset({"server_url"})
    assert WindowsRegistry().values(r"Software\Policies\Nobody") is None


def test_the_sign_in_goes_to_the_locked_server_whatever_was_typed_or_remembered() -> None:
    policy = MachinePolicy("test", {"server_url": "https://cc.corp.example"}, frozenset())
    free = load_settings(None, None, None, policy).settings
    assert server_to_sign_in(free, "", "https://remembered.example") == "https://remembered.example"
    assert server_to_sign_in(free, "", "") == "https://cc.corp.example"
    locked = load_settings(
        None, None, None, MachinePolicy("test", policy.values, frozenset({"server_url"}))
    ).settings
    assert server_to_sign_in(locked, "https://typed.example", "https://remembered.example") == (
        "https://cc.corp.example"
    )
