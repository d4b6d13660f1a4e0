"""Where ``agent-server``'s options come from besides the command line: a TOML file and
environment variables, for a service manager (systemd's ``EnvironmentFile``, a container).

Precedence: a flag on the command line > ``AGENT_SERVER_<KEY>`` > the file's ``<key>`` > the
built-in default. The file is ``--config FILE`` or ``AGENT_SERVER_CONFIG``. The file and the
environment only *change argparse's defaults* (``parser.set_defaults``), so a flag given on the
command line wins by construction and every value then passes the same checks as a flag.

A small typed table rather than pydantic-settings: the settings are argparse's (flags with
their help, checked by ``server_settings``), and the one thing needed here — read a key as the
flag's type and say where a bad value came from — is this module; no second model of the same
settings to keep in step.

The database password may be kept out of the URL (and out of the environment, which
``systemctl show`` and ``/proc/PID/environ`` expose to the same user): ``database_password_file``
names a file only the service user may read (systemd's ``LoadCredential``), refused when the
group or others can read it.
"""

from __future__ import annotations

import argparse
import stat
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PREFIX = "AGENT_SERVER_"
CONFIG_VARIABLE = f"{PREFIX}CONFIG"


class SourceError(ValueError):
    """A bad value in the file or the environment; the message names the key and the problem."""


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError("expected a whole number")
    try:
        return int(value)
    except ValueError:
        raise TypeError("expected a whole number") from None


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError("expected a number")
    try:
        return float(value)
    except ValueError:
        raise TypeError("expected a number") from None


def _path(value: object) -> Path:
    return Path(_text(value))


def _limits(value: object) -> list[str]:
    """``CATEGORY=HOURS`` items: a TOML table ``{billing = 48}`` or ``"billing=48,outage=4"``."""
    if isinstance(value, dict):
        return [f"{key}={_number(hours)}" for key, hours in value.items()]
    return [item.strip() for item in _text(value).split(",") if item.strip()]


@dataclass(frozen=True, slots=True)
class Key:
    """One setting: its argparse ``dest`` (also the file's key, and upper-cased after
    ``AGENT_SERVER_`` the variable), how a value is read, the values allowed."""

    dest: str
    read: Callable[[object], object]
    choices: tuple[str, ...] = ()

    @property
    def variable(self) -> str:
        return PREFIX + self.dest.upper()


# One a flag that configures a running service; the one-off commands (--seed, --migrate,
# --seed-only) and the demo caller stay flags.
KEYS: tuple[Key, ...] = (
    Key("host", _text),
    Key("port", _integer),
    Key("database", _path),
    Key("database_url", _text),
    Key("database_password_file", _path),
    Key("workers", _integer),
    Key("complaint_limit_hours", _number),
    Key("category_limit", _limits),
    Key("presence_timeout", _number),
    Key("newest_desk", _text),
    Key("oldest_desk", _text),
    Key("oldest_desk_next", _text),
    Key("oldest_desk_next_from", _text),
    Key("log_level", _text, ("debug", "info", "warning")),
    Key("log_format", _text, ("text", "json")),
    Key("metrics", _text, ("off", "on")),
    Key("metrics_token_file", _path),
)
_BY_DEST = {key.dest: key for key in KEYS}


def _value(key: Key, raw: object, where: str) -> object:
    try:
        value = key.read(raw)
    except TypeError as exc:
        raise SourceError(f"{where}: {exc}, got {raw!r}") from None
    if key.choices and value not in key.choices:
        raise SourceError(f"{where}: {raw!r} is not one of {', '.join(key.choices)}")
    return value


def from_file(path: Path) -> dict[str, object]:
    """The file's settings by ``dest``; unknown keys are refused (a misspelt key would
    otherwise be ignored in silence)."""
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read it ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML ({exc})") from None
    values: dict[str, object] = {}
    for name, raw in document.items():
        key = _BY_DEST.get(name.replace("-", "_"))
        if key is None:
            known = ", ".join(sorted(_BY_DEST))
            raise SourceError(f"{path}: unknown key {name!r} (known: {known})")
        values[key.dest] = _value(key, raw, f"{path}: {name}")
    return values


def from_environment(environ: Mapping[str, str]) -> dict[str, object]:
    """``AGENT_SERVER_*`` variables by ``dest``; an empty one counts as unset."""
    values: dict[str, object] = {}
    for key in KEYS:
        raw = environ.get(key.variable, "")
        if raw.strip():
            values[key.dest] = _value(key, raw.strip(), key.variable)
    return values


def _named(argv: Sequence[str], flag: str) -> bool:
    return any(arg == flag or arg.startswith(flag + "=") for arg in argv)


def apply(parser: argparse.ArgumentParser, argv: Sequence[str], environ: Mapping[str, str]) -> None:
    """Lay the file's and then the environment's values over the parser's defaults;
    ``parser.error`` (exit 2) names a bad key or value."""
    finder = argparse.ArgumentParser(add_help=False)
    finder.add_argument("--config", type=Path)
    known, _ = finder.parse_known_args(list(argv))
    config: Path | None = known.config or (
        Path(environ[CONFIG_VARIABLE]) if environ.get(CONFIG_VARIABLE, "").strip() else None
    )
    try:
        layered = from_file(config) if config is not None else {}
        layered.update(from_environment(environ))
    except SourceError as exc:
        parser.error(str(exc))
    # --database and --database-url exclude each other: the one the command line names wins
    # over the other from the file or the environment.
    if _named(argv, "--database"):
        layered.pop("database_url", None)
    if _named(argv, "--database-url"):
        layered.pop("database", None)
    parser.set_defaults(**layered)


def read_secret(path: Path, key: str) -> str:
    """A secret kept in a file (trailing newline dropped), which must not be readable by the
    group or others (as ssh treats a private key)."""
    try:
        mode = path.stat().st_mode
        secret = path.read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as exc:
        raise SourceError(f"{key} {path}: {exc.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SourceError(
            f"{key} {path}: readable by others (mode {stat.S_IMODE(mode):o}); "
            "chmod 600 it, owned by the service user"
        )
    if not secret:
        raise SourceError(f"{key} {path}: empty")
    return secret


def with_password(url: str, password_file: Path | None) -> str:
    """The database URL with the password read from ``password_file``."""
    if password_file is None:
        return url
    secret = read_secret(password_file, "database_password_file")
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise SourceError(f"database_url: {exc}") from None
    return parsed.set(password=secret).render_as_string(hide_password=False)
