"""The diagnostics zip IT asks an agent for: what it holds, and writing it, without Qt widgets.

Two callers: Help > Save diagnostics in a running desk (``services.diagnostics``, which adds
what only a live desk knows: the Qt platform, audio devices, the phone's registration, the SIP
trace ring, the sync status, the update advice) and ``agent-desktop --diagnostics FILE``
(``diagnostics_cli``: no window, no sign-in; what the files on this PC say). Members:

- ``about.txt``: a page to read first (versions, OS, and a summary of the rest);
- ``versions.json``, ``system.json``; ``config.json``: every setting's effective value and the
  layer it came from (built-in default, machine config file, machine policy (locked or not),
  user file, command line);
- ``cache.json``: each local cache file of the profile: ``PRAGMA quick_check`` on a read-only
  connection, and its outbox by state (queued, failed = refused by the server and parked
  for the agent) and its records in conflict;
- ``desk.json`` and ``sip-trace.txt`` (live desk only); ``logs/``: the app's log files.

No secret leaves in it: the settings hold none (the keychain does), the logs and the trace
were scrubbed when written, and every member is scrubbed again here (``redact``): bearer
tokens and password/token fields, the digest values of SIP (Proxy-)Authorization headers,
a URL's user information and query values, and every secret the caller knows (the session
token, the SIP password) in clear, base64 and URL-encoded forms.
"""

from __future__ import annotations

import base64
import importlib.metadata
import json
import locale
import os
import platform
import re
import sqlite3
import sys
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

from agent_desktop import APP_NAME, __version__
from agent_desktop.config import DEFAULT, KEYS, Origin, Settings
from agent_desktop.logs import scrub as scrub_log_line
from sync.contract.version import CONTRACT

LOG_NAME = "agent-desktop.log"  # agent_desktop.logs: the file and its rotations .1 … .3
SIP_TRACE_NAME = "sip-trace.txt"
ABOUT_NAME = "about.txt"
HIDDEN = "<hidden>"
# Shorter known secrets are not searched for (they would blank ordinary words): the same
# bound as the SIP trace's (softphone.sip_log.MIN_SECRET_CHARS; not imported: no phone here).
MIN_SECRET_CHARS = 4

_AUTH_LINE = re.compile(r"(?im)^(\s*(?:proxy-)?authorization\s*:)(.*)$")
_DIGEST_VALUE = re.compile(r'(?i)\b(response|nonce|cnonce)(\s*=\s*)("[^"]*"|[^,\s]*)')
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@'\"<>]+@")
_SIP_PASSWORD = re.compile(r"(?i)\b(sips?:[^:@\s;<>'\"]+:)[^@\s;<>'\"]+@")
_URL_QUERY = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s?#'\"<>]*\?)([^\s#'\"<>]+)")


@dataclass(frozen=True, slots=True)
class LiveDesk:
    """What only a running desk knows, read on its GUI thread before the zip is written."""

    qt_platform: str
    desk: Mapping[str, Any]  # audio, phone, sync status, update advice: desk.json
    sip_trace: str
    secrets: tuple[str, ...] = field(default=(), repr=False)  # token, SIP password: redacted


def _secret_forms(secret: str) -> list[str]:
    raw = secret.encode()
    forms = {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode(),
        base64.b64encode(raw).decode().rstrip("="),
    }
    return sorted((f for f in forms if len(f) >= MIN_SECRET_CHARS), key=len, reverse=True)


def _hide_digest(line: re.Match[str]) -> str:
    def hidden(m: re.Match[str]) -> str:
        quoted = m.group(3).startswith('"')
        return f"{m.group(1)}{m.group(2)}{chr(34) + HIDDEN + chr(34) if quoted else HIDDEN}"

    value = line.group(2)
    if value.strip().lower().startswith("digest"):
        return line.group(1) + _DIGEST_VALUE.sub(hidden, value)
    scheme = value.strip().split(" ", 1)[0]
    return f"{line.group(1)} {scheme} {HIDDEN}" if scheme else line.group(0)


def _hide_query(match: re.Match[str]) -> str:
    pairs = match.group(2).split("&")
    kept = [f"{p.split('=', 1)[0]}={HIDDEN}" if "=" in p else HIDDEN for p in pairs]
    return match.group(1) + "&".join(kept)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every kind of secret this module knows replaced by ``<hidden>``."""
    for secret in secrets:
        if len(secret) >= MIN_SECRET_CHARS:
            for form in _secret_forms(secret):
                text = text.replace(form, HIDDEN)
    text = _AUTH_LINE.sub(_hide_digest, text)
    text = _URL_USERINFO.sub(rf"\1{HIDDEN}@", text)
    text = _SIP_PASSWORD.sub(rf"\1{HIDDEN}@", text)
    text = _URL_QUERY.sub(_hide_query, text)
    return "\n".join(scrub_log_line(line) for line in text.split("\n"))


def versions() -> dict[str, str]:
    """The app's and what it runs on. pjsua2 is not imported here (only the phone engine
    loads it): its installed distribution says its version."""
    from PySide6 import __version__ as pyside_version  # noqa: PLC0415 - Qt only when asked
    from PySide6.QtCore import qVersion  # noqa: PLC0415

    try:
        pjsua2 = importlib.metadata.version("pjsua2-python")
    except importlib.metadata.PackageNotFoundError:
        pjsua2 = "unknown (no package metadata: a frozen bundle)"
    return {
        "app": f"{APP_NAME} {__version__}",
        "contract": str(CONTRACT),
        "python": sys.version.split()[0],
        "pyside6": pyside_version,
        "qt": qVersion(),
        "pjsua2": pjsua2,
        "frozen": "yes" if getattr(sys, "frozen", False) else "no",
        "executable": sys.executable,
    }


def _locale_name() -> str:
    # getlocale() raises ValueError on a locale name Python cannot parse (seen with odd
    # LC_ALL values); the zip must still be written.
    try:
        return ".".join(filter(None, locale.getlocale())) or "C"
    except ValueError as exc:
        return f"unreadable ({exc})"


def system() -> dict[str, str]:
    about = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "locale": _locale_name(),
        "qt_platform_env": os.environ.get("QT_QPA_PLATFORM", ""),
        "session": os.environ.get("XDG_SESSION_TYPE", ""),
        "display": os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY") or "none",
    }
    try:
        release = platform.freedesktop_os_release()
        about["os"] = release.get("PRETTY_NAME", release.get("NAME", ""))
    except OSError:
        about["os"] = f"{platform.system()} {platform.release()}"
    return about


def configuration(settings: Settings, origins: Mapping[str, Origin]) -> list[dict[str, Any]]:
    """Every file key: its effective value and where it came from."""
    rows = []
    for dotted, spec in sorted(KEYS.items()):
        # No origins at all: settings made in code (a test, a benchmark), not by the loader.
        origin = origins.get(spec.attr) or Origin(DEFAULT if origins else "not recorded")
        value = getattr(settings, spec.attr)
        rows.append(
            {
                "key": dotted,
                "value": list(value) if isinstance(value, tuple) else value,
                "source": origin.layer,
                "where": origin.where,
                "locked": origin.locked,
            }
        )
    return rows


def check_cache(path: Path) -> dict[str, Any]:
    """One cache file, opened read-only (the desk may have it open: WAL readers do not
    block it, nor it them): its integrity and its outbox. Never raises."""
    report: dict[str, Any] = {"file": str(path)}
    try:
        report["bytes"] = path.stat().st_size
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except (OSError, sqlite3.Error) as exc:
        report["error"] = f"cannot be opened: {exc}"
        return report
    try:
        report["quick_check"] = [row[0] for row in db.execute("PRAGMA quick_check")]
        report["user_version"] = db.execute("PRAGMA user_version").fetchone()[0]
        report["outbox"] = dict(db.execute("SELECT state, count(*) FROM outbox GROUP BY state"))
        report["records_in_conflict"] = db.execute(
            "SELECT count(*) FROM records WHERE state = 'conflict'"
        ).fetchone()[0]
        report["records_not_synced"] = db.execute(
            "SELECT count(*) FROM records WHERE state != 'synced'"
        ).fetchone()[0]
    except sqlite3.Error as exc:
        report["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        db.close()
    return report


def check_caches(profile_dir: Path) -> list[dict[str, Any]]:
    """Every cache file of the profile (one per server and user: services.sync_service)."""
    folder = profile_dir / "cache"
    return [check_cache(p) for p in sorted(folder.glob("*.sqlite"))] if folder.is_dir() else []


def _about(
    versions_: Mapping[str, str],
    system_: Mapping[str, str],
    config: Sequence[Mapping[str, Any]],
    caches: Sequence[Mapping[str, Any]],
    live: LiveDesk | None,
    problems: Sequence[str],
) -> str:
    lines = [f"{APP_NAME} diagnostics", ""]
    lines += [f"{name}: {value}" for name, value in versions_.items()]
    lines += [f"{name}: {value}" for name, value in system_.items()]
    lines.append(f"Qt platform: {live.qt_platform if live else 'none (written without a GUI)'}")
    lines += ["", "Configuration not at its built-in default (all of it in config.json):"]
    for row in config:
        if row["source"] != DEFAULT or row["locked"]:
            lock = ", locked by machine policy" if row["locked"] else ""
            where = f" {row['where']}" if row["where"] else ""
            lines.append(f"  {row['key']} = {row['value']!r}  ({row['source']}{where}{lock})")
    if problems:
        lines += ["", "Configuration problems at start (those files or keys were skipped):"]
        lines += [f"  {problem}" for problem in problems]
    lines += ["", "Local caches (cache.json):"]
    for cache in caches or [{"file": "(none in this profile)"}]:
        lines.append(f"  {cache['file']}")
        if "quick_check" in cache:
            lines.append(f"    quick_check: {'; '.join(cache['quick_check'])}")
        # A cache of an older schema or a damaged one stops the check part-way (check_cache
        # records the error): say what was read and go on; this is when IT needs the zip most.
        if "outbox" in cache:
            outbox = cache["outbox"]
            conflicts = cache.get("records_in_conflict", "?")
            lines.append(
                f"    outbox: {outbox.get('queued', 0)} queued, {outbox.get('failed', 0)} refused "
                f"by the server (parked for the agent); {conflicts} records in conflict"
            )
        if "error" in cache:
            lines.append(f"    error: {cache['error']}")
    if live is None:
        lines += [
            "",
            "Written by 'agent-desktop --diagnostics' (no running desk): no audio devices, SIP "
            "registration, SIP trace (kept in the running desk's memory only) or sync status.",
        ]
    else:
        lines += ["", "The running desk (desk.json):"]
        lines += [f"  {name}: {value}" for name, value in _summary(live.desk)]
    return "\n".join(lines) + "\n"


def _summary(desk: Mapping[str, Any]) -> list[tuple[str, Any]]:
    return [(name, desk[name]) for name in ("phone", "sync", "update") if name in desk]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n"


def write_bundle(
    target: Path,
    *,
    profile_dir: Path,
    settings: Settings,
    origins: Mapping[str, Origin],
    live: LiveDesk | None = None,
    problems: Sequence[str] = (),
) -> Path:
    """Write the zip at ``target`` (".zip" added when missing); returns its path. Blocking
    (the cache check reads every page): never on the GUI thread."""
    path = target if target.suffix.lower() == ".zip" else target.with_name(target.name + ".zip")
    versions_, system_ = versions(), system()
    config = configuration(settings, origins)
    caches = check_caches(profile_dir)
    secrets = live.secrets if live else ()
    members = {
        ABOUT_NAME: _about(versions_, system_, config, caches, live, problems),
        "versions.json": _json(versions_),
        "system.json": _json(system_),
        "config.json": _json(config),
        "cache.json": _json(caches),
    }
    if live is not None:
        members["desk.json"] = _json(live.desk)
        members[SIP_TRACE_NAME] = live.sip_trace or "(no SIP messages yet)\n"
    log_dir = profile_dir / "logs"
    logs = sorted(log_dir.glob(LOG_NAME + "*")) if log_dir.is_dir() else []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, text in members.items():
            bundle.writestr(name, redact(text, secrets))
        for log_file in logs:
            text = log_file.read_text(encoding="utf-8", errors="replace")
            bundle.writestr(f"logs/{log_file.name}", redact(text, secrets))
    return path
