"""Machine policy: what IT sets for every user of this PC and, for the keys it locks, what
nobody on it can change (not the per-user file, not the command line, not the UI).

Where it comes from:

- Windows: the string values under ``HKLM\\Software\\Policies\\AgentWorkstation``, written by
  the MSI's public properties (``installer/windows``) or by Group Policy with the ADMX
  template (``installer/windows/policy``).
- Linux (and macOS): ``/etc/agent-workstation/policy.toml`` (``/Library/Application
  Support/AgentWorkstation/policy.toml``); ``AGENT_WORKSTATION_POLICY`` names another file.

The keys (the same names in the registry, the TOML file, the MSI properties and the ADMX):

- ``SERVER_URL``: the backend's address (``server.url``).
- ``SIP_REGISTRAR``: the phone's registrar, ``sip:``/``sips:`` or empty (``phone.registrar``).
- ``SIP_TRANSPORT``: ``udp``, ``tcp`` or ``tls`` (``phone.transport``).
- ``LANGUAGE``: ``auto``, ``en`` or ``zh_CN`` (``ui.language``).
- ``LOCK``: what is locked, comma-separated: ``server`` (SERVER_URL), ``sip`` (SIP_REGISTRAR
  and SIP_TRANSPORT), ``language`` (LANGUAGE), ``all``, or a key's own name.

A value that is not locked is a machine default: it wins over the machine-wide configuration
file and loses to the user's file and the command line. A locked key keeps the value below the
user's layers (the policy's, else the machine file's, else the built-in default) whatever the
user's file or the command line say. A bad value or an unknown key is reported (its key and
what is wrong) and skipped; the rest of the policy still applies: a typo must not unlock the
rest, nor stop the desk.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from agent_desktop.config import KEYS, Settings, check_value

# The policy key -> the configuration file's dotted key.
POLICY_KEYS: Mapping[str, str] = {
    "SERVER_URL": "server.url",
    "SIP_REGISTRAR": "phone.registrar",
    "SIP_TRANSPORT": "phone.transport",
    "LANGUAGE": "ui.language",
}
LOCK_KEY = "LOCK"
# LOCK's words: the MSI's LOCK=server,sip names groups, as IT thinks of them.
LOCK_GROUPS: Mapping[str, tuple[str, ...]] = {
    "server": ("SERVER_URL",),
    "sip": ("SIP_REGISTRAR", "SIP_TRANSPORT"),
    "language": ("LANGUAGE",),
    "all": tuple(POLICY_KEYS),
}
REGISTRY_KEY = r"Software\Policies\AgentWorkstation"
REGISTRY_SOURCE = "HKLM\\" + REGISTRY_KEY


@dataclass(frozen=True, slots=True)
class MachinePolicy:
    """The policy as read: Settings field values, the fields locked, and what was wrong."""

    source: str = ""
    values: Mapping[str, str] = field(default_factory=dict)  # Settings field -> value
    locked: frozenset[str] = frozenset()
    problems: tuple[str, ...] = ()


class Registry(Protocol):
    """The part of the Windows registry the reader needs (a fake in tests)."""

    def values(self, key_path: str) -> Mapping[str, object] | None:
        """The values under ``HKEY_LOCAL_MACHINE\\key_path``; None when the key is absent."""


class WindowsRegistry:
    """``winreg``, imported when first used: it exists on Windows only."""

    def values(self, key_path: str) -> Mapping[str, object] | None:
        winreg = importlib.import_module("winreg")
        access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY  # the x64 MSI writes the 64-bit view
        try:
            key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key_path, 0, access)
        except OSError:
            return None
        found: dict[str, object] = {}
        with key:
            index = 0
            while True:
                try:
                    name, data, _kind = winreg.EnumValue(key, index)
                except OSError:  # no more values
                    break
                found[str(name)] = data
                index += 1
        return found


def policy_file_path() -> Path:
    override = os.environ.get("AGENT_WORKSTATION_POLICY")
    if override:
        return Path(override)
    if sys.platform == "darwin":
        return Path("/Library/Application Support/AgentWorkstation/policy.toml")
    return Path("/etc/agent-workstation/policy.toml")


def policy_location() -> str:
    """Where this machine's policy is read from, in words (``--help``, the README)."""
    return REGISTRY_SOURCE if sys.platform == "win32" else str(policy_file_path())


def _lock_words(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [w for w in re.split(r"[\s,;]+", value.strip().lower()) if w]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [str(v).strip().lower() for v in value if str(v).strip()]
    return None


def _normalised(name: str, value: str) -> str:
    value = value.strip()
    if name == "SIP_TRANSPORT":
        return value.lower()
    if name == "LANGUAGE":
        return {"zh-cn": "zh_CN", "zh_cn": "zh_CN", "zh": "zh_CN"}.get(value.lower(), value)
    return value


def interpret(raw: Mapping[str, object], source: str) -> MachinePolicy:
    """Check the raw values (from the registry or the file) key by key."""
    values: dict[str, str] = {}
    problems: list[str] = []
    lock: object = None
    for name, value in raw.items():
        key = name.strip().upper()
        if key == LOCK_KEY:
            lock = value
            continue
        dotted = POLICY_KEYS.get(key)
        if dotted is None:
            known = ", ".join([*POLICY_KEYS, LOCK_KEY])
            problems.append(f"{source}: unknown policy key {name!r} ignored (known: {known})")
            continue
        if not isinstance(value, str):
            problems.append(f"{source}: {key} = {value!r} ignored: expected text")
            continue
        if not value.strip():
            continue  # an MSI property left empty: not set
        text = _normalised(key, value)
        invalid = check_value(dotted, text)
        if invalid:
            problems.append(f"{source}: {key} = {value!r} ignored: {invalid}")
            continue
        values[KEYS[dotted].attr] = text
    locked = _locked(lock, source, problems) if lock is not None else frozenset()
    return MachinePolicy(source, values, locked, tuple(problems))


def _locked(lock: object, source: str, problems: list[str]) -> frozenset[str]:
    """The Settings fields LOCK names; a word it does not know is reported, the others hold."""
    words = _lock_words(lock)
    if words is None:
        problems.append(f"{source}: {LOCK_KEY} = {lock!r} ignored: expected text")
        words = []
    locked: set[str] = set()
    for word in words:
        names = LOCK_GROUPS.get(word) or ((word.upper(),) if word.upper() in POLICY_KEYS else ())
        if not names:
            choices = ", ".join([*LOCK_GROUPS, *POLICY_KEYS])
            problems.append(
                f"{source}: {LOCK_KEY} names {word!r}, which is not a policy "
                f"(ignored; it can name {choices})"
            )
        locked.update(KEYS[POLICY_KEYS[n]].attr for n in names)
    return frozenset(locked)


def read_policy_file(path: Path) -> MachinePolicy:
    """The policy file; a missing file is no policy, a broken one is reported and ignored."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return MachinePolicy()
    except (OSError, UnicodeDecodeError) as exc:
        return MachinePolicy(source, problems=(f"{source}: cannot be read ({exc})",))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return MachinePolicy(source, problems=(f"{source}: not valid TOML: {exc}",))
    return interpret(data, source)


def read_policy_registry(registry: Registry) -> MachinePolicy:
    try:
        raw = registry.values(REGISTRY_KEY)
    except OSError as exc:
        return MachinePolicy(
            REGISTRY_SOURCE, problems=(f"{REGISTRY_SOURCE}: cannot be read ({exc})",)
        )
    return MachinePolicy() if raw is None else interpret(raw, REGISTRY_SOURCE)


def server_to_sign_in(settings: Settings, *candidates: str) -> str:
    """The server a sign-in goes to: the first candidate given (one typed or remembered), else
    the settings'; but only the settings' (the policy's) when the machine policy locks it."""
    if "server_url" in settings.locked:
        return settings.server_url
    return next((c for c in candidates if c), settings.server_url)


def load_policy(
    path: Path | None = None, registry: Registry | None = None, platform: str = sys.platform
) -> MachinePolicy:
    """This machine's policy: the registry on Windows, else the file (either injectable)."""
    if registry is not None or (platform == "win32" and path is None):
        return read_policy_registry(registry or WindowsRegistry())
    return read_policy_file(path or policy_file_path())
