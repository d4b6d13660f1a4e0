"""Layered, typed settings: built-in defaults < machine-wide file < machine policy < per-user file
< command line (a key the policy locks keeps its machine value); each value's origin is kept.

Files are TOML. A file that does not parse, or holds an unknown key or a value of the wrong type,
is reported with its path, line and key, and that whole layer is skipped (never half-applied):
the layers below stay in force. Secrets never live here; they go to the OS keychain.

Where the files are (``AGENT_WORKSTATION_MACHINE_CONFIG`` / ``AGENT_WORKSTATION_CONFIG`` or
``--config`` override them):

- Linux: ``/etc/agent-workstation/config.toml`` (machine) and
  ``$XDG_CONFIG_HOME/agent-workstation/config.toml`` (user, default ``~/.config``).
- Windows: ``%ProgramData%\\AgentWorkstation\\config.toml`` and
  ``%APPDATA%\\AgentWorkstation\\config.toml``.
- macOS: ``/Library/Application Support/AgentWorkstation/config.toml`` and the same
  under ``~/Library``.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent_desktop.policy import MachinePolicy

LANGUAGES = ("auto", "en", "zh_CN")
LOG_LEVELS = ("debug", "info", "warning", "error")
# softphone.sip_log.SIP_LOG_LEVELS (not imported: the sign-in loads no phone; a test compares)
SIP_LOG_LEVELS = ("off", "debug", "info")


@dataclass(frozen=True, slots=True)
class Settings:
    server_url: str = "http://127.0.0.1:8640"
    verify_tls: bool = True
    ca_file: str = ""
    request_timeout_s: float = 10.0
    health_interval_s: float = 15.0
    username: str = ""
    remember_sign_in: bool = True
    language: str = "auto"
    log_level: str = "info"
    # The softphone. No registrar: registrar-less mode (calls straight to this PC's port).
    sip_user: str = "agent"
    sip_domain: str = "127.0.0.1"
    sip_registrar: str = ""
    # Every SIP request goes through this proxy (an SBC, the PBX), whatever the domain says.
    sip_outbound_proxy: str = ""
    sip_auth_user: str = ""
    sip_transport: str = "udp"
    sip_port: int = 5062
    sip_bind_address: str = "0.0.0.0"
    sip_srtp: str = "off"
    sip_ca_file: str = ""
    sip_dtmf: str = "rfc4733"
    # Caller identity and the queue on the call (softphone.identity).
    sip_trusted_peers: tuple[str, ...] = ()  # PBX/SBC addresses or networks we believe
    sip_keep_withheld_number: bool = True
    sip_queue_headers: tuple[str, ...] = ("X-Queue",)
    sip_call_data_headers: tuple[str, ...] = ()
    sip_max_offers_per_s: int = 10  # offers above this in a second are answered 503
    sip_only_trusted_sources: bool = False  # without a registrar too: only trusted peers call
    sip_log_level: str = "debug"  # the SIP trace in the log: off, debug (at debug), info
    # Media (issue 24): RTP ports from rtp_port (0: the library's 4000) within rtp_port_range
    # ports (0: no limit); codecs best first; STUN and ICE off unless set.
    sip_rtp_port: int = 0
    sip_rtp_port_range: int = 0
    sip_codecs: tuple[str, ...] = ("G722", "PCMA", "PCMU")
    sip_stun_servers: tuple[str, ...] = ()
    sip_ice: bool = False
    # The site's dial plan (softphone.dial_plan).
    dial_country_code: str = "86"
    dial_area_code: str = ""
    dial_trunk_prefix: str = "0"
    dial_international_prefix: str = "00"
    dial_outside_line: str = ""
    dial_max_extension_digits: int = 5
    dial_ip_prefixes: tuple[str, ...] = ()  # empty: the plan's own list of Chinese carriers'
    dial_queue_numbers: tuple[str, ...] = ()  # "4008001234=VIP hotline"
    auto_answer: bool = False
    playback_device: str = ""  # a device's name as the OS shows it; "" = the system default
    capture_device: str = ""
    ringing_device: str = ""  # where incoming calls ring; "" = the system default
    # USB telephony headset buttons: "auto" (the first one found), "off", or "vvvv:pppp".
    headset_buttons: str = "auto"
    # Extensions outside the product shown in the colleague directory with their line state
    # (SIP dialog events, when the PBX offers them): "8001=Reception".
    directory_outside_extensions: tuple[str, ...] = ()
    # Recording (issue 20): a field marked sensitive (a card or ID number) pauses the call's
    # recording when it gets the focus (agent_desktop/ui/sensitive_fields.py).
    recording_auto_pause: bool = True
    # Fields the centre marks sensitive, by object name (e.g. "content": the ticket form's
    # description, where some centres take a card number for a paid repair). The product has
    # no card or ID number field of its own: nothing is marked unless the centre lists it.
    recording_sensitive_fields: tuple[str, ...] = ()
    # Call recording (issue 20), the centre's choice: "desk" (this desk records each call into
    # recording_spool_dir, default <profile>/recordings), "pbx" (the PBX records; the desk
    # links its id from recording_pbx_header) or "off". A pause resumes by itself after
    # recording_auto_resume_s (0: only when the agent resumes). Callers of the queues listed
    # in recording_announce_queues ("*": all) hear "this call may be recorded" at answer.
    recording_mode: str = "off"
    recording_spool_dir: str = ""
    # The most disk the spool may use; the agent is warned at 80 %, and only recordings the
    # server confirmed are ever removed to make room (sync/recording_upload.py).
    recording_spool_max_mb: int = 2048
    recording_auto_resume_s: int = 0
    recording_pbx_header: str = "X-Recording-ID"
    recording_announce_queues: tuple[str, ...] = ()
    # Fields the machine policy locks (agent_desktop.policy): the UI shows them disabled and
    # says IT set them. Not a file key: only the policy sets it.
    locked: frozenset[str] = frozenset()

    def tls_verify(self) -> bool | str:
        """What ``requests`` takes as ``verify``: a CA bundle path when set, else the flag."""
        return self.ca_file if (self.verify_tls and self.ca_file) else self.verify_tls


@dataclass(frozen=True, slots=True)
class _Key:
    attr: str
    kind: type
    check: Callable[[Any], str | None] = field(default=lambda _v: None)


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str | None]:
    return lambda v: None if v in choices else f"must be one of {', '.join(choices)}"


def _positive(v: Any) -> str | None:
    return None if v > 0 else "must be greater than 0"


def _url(v: Any) -> str | None:
    return None if re.match(r"^https?://[^/\s]+", v) else "must start with http:// or https://"


def _sip_uri(v: Any) -> str | None:
    return None if not v or re.match(r"^sips?:\S+$", v) else "must be empty or start with sip:"


def _headset(v: Any) -> str | None:
    ok = re.match(r"^(auto|off|[0-9a-fA-F]{4}:[0-9a-fA-F]{4})$", v)
    return None if ok else "must be auto, off, or a USB id like 0b0e:0305"


def _digits(v: Any) -> str | None:
    return None if re.fullmatch(r"\d*", v) else "must be digits only"


def _header_names(v: Any) -> str | None:
    bad = [n for n in v if not re.fullmatch(r"[A-Za-z0-9!%*_+`'~.-]+", n)]
    return f"holds {bad[0]!r}, not a SIP header name" if bad else None


def _header_name(v: Any) -> str | None:
    return _header_names((v,)) if v else None


def _not_negative(v: Any) -> str | None:
    return None if 0 <= v <= 86_400 else "must be a number of seconds from 0 to 86400"


def _queue_numbers(v: Any) -> str | None:
    bad = [n for n in v if not re.fullmatch(r"\s*\+?[\d\s-]+=.+", n)]
    return f'holds {bad[0]!r}; write each as "number=queue"' if bad else None


def _outside_extensions(v: Any) -> str | None:
    bad = [n for n in v if not re.fullmatch(r"\s*(sips?:[^\s=]+|[\d*#+]+)\s*(=.*)?", n)]
    return f'holds {bad[0]!r}; write each as "extension=name"' if bad else None


def _port(v: Any) -> str | None:
    return None if 0 <= v <= 65535 else "must be a port number from 0 to 65535"


CODECS = ("G722", "PCMA", "PCMU")  # what the phone can be told to offer (softphone._pj)


def _codecs(v: Any) -> str | None:
    names = [str(n).upper() for n in v]
    bad = [n for n in names if n not in CODECS]
    if bad:
        return f"holds {bad[0]!r}; the codecs are {', '.join(CODECS)}"
    if not names or len(set(names)) != len(names):
        return "must list at least one codec, each once"
    return None


def _port_range(v: Any) -> str | None:
    return None if 0 <= v <= 65535 else "must be a number of ports from 0 to 65535"


# The file's dotted key -> the Settings field, its type and a check.
KEYS: Mapping[str, _Key] = {
    "server.url": _Key("server_url", str, _url),
    "server.verify_tls": _Key("verify_tls", bool),
    "server.ca_file": _Key("ca_file", str),
    "server.timeout_s": _Key("request_timeout_s", float, _positive),
    "server.health_interval_s": _Key("health_interval_s", float, _positive),
    "account.username": _Key("username", str),
    "account.remember_sign_in": _Key("remember_sign_in", bool),
    "ui.language": _Key("language", str, _one_of(LANGUAGES)),
    "logging.level": _Key("log_level", str, _one_of(LOG_LEVELS)),
    "phone.user": _Key("sip_user", str),
    "phone.domain": _Key("sip_domain", str),
    "phone.registrar": _Key("sip_registrar", str, _sip_uri),
    "phone.outbound_proxy": _Key("sip_outbound_proxy", str, _sip_uri),
    "phone.auth_user": _Key("sip_auth_user", str),
    "phone.transport": _Key("sip_transport", str, _one_of(("udp", "tcp", "tls"))),
    "phone.port": _Key("sip_port", int, _port),
    "phone.bind_address": _Key("sip_bind_address", str),
    "phone.srtp": _Key("sip_srtp", str, _one_of(("off", "optional", "mandatory"))),
    "phone.ca_file": _Key("sip_ca_file", str),
    "phone.dtmf": _Key("sip_dtmf", str, _one_of(("rfc4733", "sip_info"))),
    "phone.max_offers_per_s": _Key("sip_max_offers_per_s", int, _positive),
    "phone.only_trusted_sources": _Key("sip_only_trusted_sources", bool),
    "phone.sip_log_level": _Key("sip_log_level", str, _one_of(SIP_LOG_LEVELS)),
    "phone.rtp_port": _Key("sip_rtp_port", int, _port),
    "phone.rtp_port_range": _Key("sip_rtp_port_range", int, _port_range),
    "phone.codecs": _Key("sip_codecs", tuple, _codecs),
    "phone.stun_servers": _Key("sip_stun_servers", tuple),
    "phone.ice": _Key("sip_ice", bool),
    "phone.auto_answer": _Key("auto_answer", bool),
    "phone.trusted_peers": _Key("sip_trusted_peers", tuple),
    "phone.keep_withheld_number": _Key("sip_keep_withheld_number", bool),
    "phone.queue_headers": _Key("sip_queue_headers", tuple, _header_names),
    "phone.call_data_headers": _Key("sip_call_data_headers", tuple, _header_names),
    "dial_plan.country_code": _Key("dial_country_code", str, _digits),
    "dial_plan.area_code": _Key("dial_area_code", str, _digits),
    "dial_plan.trunk_prefix": _Key("dial_trunk_prefix", str, _digits),
    "dial_plan.international_prefix": _Key("dial_international_prefix", str, _digits),
    "dial_plan.outside_line": _Key("dial_outside_line", str, _digits),
    "dial_plan.max_extension_digits": _Key("dial_max_extension_digits", int, _positive),
    "dial_plan.ip_prefixes": _Key("dial_ip_prefixes", tuple),
    "dial_plan.queue_numbers": _Key("dial_queue_numbers", tuple, _queue_numbers),
    "audio.playback_device": _Key("playback_device", str),
    "audio.capture_device": _Key("capture_device", str),
    "audio.ringing_device": _Key("ringing_device", str),
    "audio.headset_buttons": _Key("headset_buttons", str, _headset),
    "recording.auto_pause_sensitive_fields": _Key("recording_auto_pause", bool),
    "recording.sensitive_fields": _Key("recording_sensitive_fields", tuple),
    "recording.spool_max_mb": _Key("recording_spool_max_mb", int, _positive),
    "directory.outside_extensions": _Key(
        "directory_outside_extensions", tuple, _outside_extensions
    ),
    "recording.mode": _Key("recording_mode", str, _one_of(("desk", "pbx", "off"))),
    "recording.spool_dir": _Key("recording_spool_dir", str),
    "recording.auto_resume_s": _Key("recording_auto_resume_s", int, _not_negative),
    "recording.pbx_header": _Key("recording_pbx_header", str, _header_name),
    "recording.announce_queues": _Key("recording_announce_queues", tuple),
}

_TYPE_NAMES = {
    str: "text",
    bool: "true or false",
    float: "a number",
    int: "a whole number",
    tuple: "a list of text",
}


class ConfigError(Exception):
    """A configuration file that cannot be used; ``str()`` names the file, line and key."""

    def __init__(self, path: Path, problem: str, line: int | None = None, key: str | None = None):
        self.path = path
        self.line = line
        self.key = key
        self.problem = problem
        where = str(path)
        if line is not None:
            where += f", line {line}"
        if key is not None:
            where += f", key '{key}'"
        super().__init__(f"{where}: {problem}")


# Where a setting's value came from (Origin.layer), in the order the layers are applied.
DEFAULT = "built-in default"
MACHINE_FILE = "machine config file"
MACHINE_POLICY = "machine policy"
USER_FILE = "user file"
COMMAND_LINE = "command line"


@dataclass(frozen=True, slots=True)
class Origin:
    """The layer that gave a setting its effective value, and which file or option it was;
    ``locked``: the machine policy locks it (so a user file or option naming it lost)."""

    layer: str = DEFAULT
    where: str = ""
    locked: bool = False


@dataclass(frozen=True, slots=True)
class LoadedConfig:
    settings: Settings
    sources: tuple[Path, ...]
    errors: tuple[ConfigError, ...]
    policy_problems: tuple[str, ...] = ()  # bad policy values, each naming its key
    # Settings field -> where its value came from (IT's diagnostics: agent_desktop.bundle).
    origins: Mapping[str, Origin] = field(default_factory=dict)

    def problems(self) -> tuple[str, ...]:
        """What was skipped: files that did not load, policy values refused."""
        return (*(str(error) for error in self.errors), *self.policy_problems)


def machine_config_path() -> Path:
    override = os.environ.get("AGENT_WORKSTATION_MACHINE_CONFIG")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return (
            Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData"))
            / "AgentWorkstation"
            / "config.toml"
        )
    if sys.platform == "darwin":
        return Path("/Library/Application Support/AgentWorkstation/config.toml")
    return Path("/etc/agent-workstation/config.toml")


def user_config_path() -> Path:
    override = os.environ.get("AGENT_WORKSTATION_CONFIG")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "AgentWorkstation" / "config.toml"
    if sys.platform == "darwin":
        return Path.home() / "Library/Application Support/AgentWorkstation/config.toml"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "agent-workstation" / "config.toml"


def default_profile_dir() -> Path:
    """Where window layout, logs and (later) the local cache live, per user."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "AgentWorkstation"
    if sys.platform == "darwin":
        return Path.home() / "Library/Application Support/AgentWorkstation"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "agent-workstation"


def _line_of(text: str, dotted: str) -> int | None:
    """The line that sets ``dotted`` (``table.key``), for error messages; None if not found."""
    table, _, key = dotted.rpartition(".")
    current = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1)
            continue
        match = re.match(r"^([A-Za-z0-9_.\-\"]+)\s*=", line)
        if match:
            name = match.group(1).replace('"', "")
            full = f"{current}.{name}" if current else name
            if full == dotted or (current == table and name == key):
                return number
    return None


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in data.items():
        dotted = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{dotted}."))
        else:
            flat[dotted] = value
    return flat


def read_layer(path: Path) -> dict[str, Any]:
    """Parse and check one file; returns Settings field values. Raises ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(path, "is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(path, f"cannot be read ({exc.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(match.group(1)) if match else None
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        bad = text.splitlines()[line - 1].strip() if line and line <= len(text.splitlines()) else ""
        # Name the key on the broken line when there is one, so the message points at it.
        key = bad.split("=", 1)[0].strip() if "=" in bad else ""
        if key:
            problem = f"{problem} in '{bad}'"
        raise ConfigError(path, f"not valid TOML: {problem}", line, key or None) from None
    values: dict[str, Any] = {}
    for dotted, value in _flatten(data).items():
        spec = KEYS.get(dotted)
        if spec is None:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(
                path, f"unknown key (known keys: {known})", _line_of(text, dotted), dotted
            )
        if spec.kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)  # noqa: PLW2901 - TOML's 10 means 10.0 for a duration
        if (
            spec.kind is tuple
            and isinstance(value, list)
            and all(isinstance(v, str) for v in value)
        ):
            value = tuple(value)  # noqa: PLW2901 - settings are frozen: a list of text is a tuple
        if not isinstance(value, spec.kind) or (spec.kind is not bool and isinstance(value, bool)):
            raise ConfigError(
                path,
                f"expected {_TYPE_NAMES[spec.kind]}, got {value!r}",
                _line_of(text, dotted),
                dotted,
            )
        invalid = spec.check(value)
        if invalid:
            raise ConfigError(path, f"{value!r} {invalid}", _line_of(text, dotted), dotted)
        values[spec.attr] = value
    return values


def check_value(dotted: str, value: Any) -> str | None:
    """Why ``value`` cannot be set as ``dotted`` (None when it can): the file's own checks."""
    spec = KEYS.get(dotted)
    if spec is None:
        return "unknown key"
    if not isinstance(value, spec.kind) or (spec.kind is not bool and isinstance(value, bool)):
        return f"expected {_TYPE_NAMES[spec.kind]}"
    return spec.check(value)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def write_user_layer(path: Path, changes: Mapping[str, Any]) -> None:
    """Set these dotted keys in the per-user file, keeping its other keys (its comments are
    not kept). A file that does not load, or a change that would not, raises ConfigError and
    nothing is written: the desk never leaves a layer it would skip at the next start."""
    if path.exists():
        read_layer(path)  # checks it, with its line and key
    current = _flatten(tomllib.loads(path.read_text(encoding="utf-8"))) if path.exists() else {}
    for dotted, value in changes.items():
        invalid = check_value(dotted, value)
        if invalid:
            raise ConfigError(path, f"{value!r} {invalid}", key=dotted)
    merged = {**current, **changes}
    sections: dict[str, list[str]] = {}
    for dotted in sorted(merged):
        section, _dot, key = dotted.rpartition(".")
        sections.setdefault(section, []).append(f"{key} = {_toml_value(merged[dotted])}")
    text = "\n\n".join(f"[{name}]\n" + "\n".join(lines) for name, lines in sections.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, path)  # whole or not at all: a crash never leaves half a file
    read_layer(path)  # what was written loads (a bug here must not wait for the next start)


def load_settings(
    machine_file: Path | None,
    user_file: Path | None,
    cli_overrides: Mapping[str, Any] | None = None,
    policy: MachinePolicy | None = None,
) -> LoadedConfig:
    """Merge the layers. Missing files are fine; broken ones are skipped and reported.

    The machine policy's values sit just above the machine file (IT's defaults); the keys it
    locks keep the value below the user's layers whatever the user file or command line say."""
    settings = Settings()
    sources: list[Path] = []
    errors: list[ConfigError] = []
    origins = {f.name: Origin() for f in fields(Settings) if f.name != "locked"}
    machine_level, machine_origins = settings, dict(origins)
    for layer, path in enumerate((machine_file, user_file)):
        if path is not None and path.exists():
            try:
                values = read_layer(path)
                settings = replace(settings, **values)
                sources.append(path)
                kind = MACHINE_FILE if layer == 0 else USER_FILE
                origins.update((name, Origin(kind, str(path))) for name in values)
            except ConfigError as exc:
                errors.append(exc)
        if layer == 0:  # the policy's unlocked values: IT's defaults over the machine file
            checked: Mapping[str, Any] = policy.values if policy else {}  # checked by its reader
            settings = replace(settings, **checked)
            where = policy.source if policy else ""
            origins.update((name, Origin(MACHINE_POLICY, where)) for name in checked)
            machine_level, machine_origins = settings, dict(origins)
    overrides = {k: v for k, v in (cli_overrides or {}).items() if v is not None}
    unknown = set(overrides) - {f.name for f in fields(Settings)}
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")  # a bug in the caller, not input
    settings = replace(settings, **overrides)
    origins.update((name, Origin(COMMAND_LINE)) for name in overrides)
    if policy is not None:
        kept = {name: getattr(machine_level, name) for name in policy.locked}
        settings = replace(settings, **kept, locked=policy.locked)
        for name in policy.locked:
            origins[name] = replace(machine_origins[name], locked=True)
    return LoadedConfig(
        settings=settings,
        sources=tuple(sources),
        errors=tuple(errors),
        policy_problems=policy.problems if policy is not None else (),
        origins=origins,
    )
