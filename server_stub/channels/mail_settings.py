"""A team mailbox's settings: where to read (IMAP) and send (SMTP), as whom, how often.

Read from the server's mailbox file (``agent-server --mailboxes FILE``, TOML, one
``[[mailbox]]`` table each). The password is never in that file: ``password_file`` names a
file only the server's account reads (a systemd credential, a Kubernetes secret) or
``password_env`` an environment variable; it is kept out of ``repr`` and every log. TLS is
verified by default (``ca_file`` for a private CA); plain text is allowed only to a loopback
host (a test's server, a local relay).
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Security = Literal["tls", "starttls", "none"]
_SECURITIES = ("tls", "starttls", "none")


class MailboxSettingsError(ValueError):
    """The mailbox file says something that cannot work; the message names the key."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    host: str
    port: int
    security: Security

    def check(self, what: str) -> None:
        if self.security not in _SECURITIES:
            raise MailboxSettingsError(f"{what}.security must be one of {', '.join(_SECURITIES)}")
        if self.security == "none" and not is_loopback(self.host):
            raise MailboxSettingsError(
                f'{what}: plain text (security = "none") only to a loopback host, not '
                f"{self.host!r}: the password would cross the network readable"
            )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class MailboxSettings:
    name: str  # the mailbox's key in the database (its read position)
    team_id: int
    address: str  # the team's address: From of our replies, and a sender never taken in
    imap: Endpoint
    smtp: Endpoint
    username: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    ca_file: str = ""
    poll_s: float = 30.0  # how often the mailbox is read (and queued replies sent)
    batch: int = 50  # at most this many mails taken per round
    timeout_s: float = 30.0  # each IMAP/SMTP operation
    per_sender_per_hour: int = 20  # more from one sender in an hour is ignored (a loop, a flood)

    @property
    def domain(self) -> str:
        """The right side of our Message-IDs."""
        return self.address.rpartition("@")[2] or "localhost"


def _get(table: Mapping[str, object], key: str, kind: type, where: str) -> object:
    if key not in table:
        raise MailboxSettingsError(f"{where}: {key} is missing")
    value = table[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise MailboxSettingsError(f"{where}: {key} must be a {kind.__name__}")
    return value


def _password(table: Mapping[str, object], where: str, env: Mapping[str, str]) -> str:
    if "password" in table:
        raise MailboxSettingsError(
            f"{where}: no password in this file; name a file (password_file) or an "
            "environment variable (password_env) that holds it"
        )
    if "password_file" in table:
        path = Path(str(table["password_file"]))
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise MailboxSettingsError(
                f"{where}: password_file {path} cannot be read ({exc.strerror})"
            ) from exc
    if "password_env" in table:
        name = str(table["password_env"])
        if name not in env:
            raise MailboxSettingsError(f"{where}: the environment has no {name}")
        return env[name]
    raise MailboxSettingsError(f"{where}: password_file or password_env is missing")


def _endpoint(table: Mapping[str, object], prefix: str, where: str) -> Endpoint:
    endpoint = Endpoint(
        str(_get(table, f"{prefix}_host", str, where)),
        int(_get(table, f"{prefix}_port", int, where)),  # type: ignore[call-overload]
        str(table.get(f"{prefix}_security", "tls")),  # type: ignore[arg-type]
    )
    endpoint.check(f"{where}.{prefix}")
    return endpoint


def mailbox_from(
    table: Mapping[str, object], where: str, env: Mapping[str, str]
) -> MailboxSettings:
    address = str(_get(table, "address", str, where))
    if "@" not in address:
        raise MailboxSettingsError(f"{where}: address must be an email address")
    return MailboxSettings(
        name=str(_get(table, "name", str, where)),
        team_id=int(_get(table, "team_id", int, where)),  # type: ignore[call-overload]
        address=address.lower(),
        imap=_endpoint(table, "imap", where),
        smtp=_endpoint(table, "smtp", where),
        username=str(_get(table, "username", str, where)),
        password=_password(table, where, env),
        folder=str(table.get("folder", "INBOX")),
        ca_file=str(table.get("ca_file", "")),
        poll_s=float(table.get("poll_s", 30.0)),  # type: ignore[arg-type]
        batch=int(table.get("batch", 50)),  # type: ignore[call-overload]
        per_sender_per_hour=int(table.get("per_sender_per_hour", 20)),  # type: ignore[call-overload]
    )


def load_mailboxes(path: Path, env: Mapping[str, str] | None = None) -> tuple[MailboxSettings, ...]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MailboxSettingsError(f"{path}: {exc}") from exc
    tables = document.get("mailbox", [])
    if not isinstance(tables, list):
        raise MailboxSettingsError(f"{path}: [[mailbox]] tables expected")
    found = tuple(
        mailbox_from(t, f"{path} mailbox {i + 1}", os.environ if env is None else env)
        for i, t in enumerate(tables)
    )
    names = [m.name for m in found]
    if len(set(names)) != len(names):
        raise MailboxSettingsError(f"{path}: two mailboxes share a name")
    return found
