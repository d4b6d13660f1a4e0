"""The diagnostics bundle (issue 18): versions, OS, the configuration with each key's source,
the local caches checked with their outbox, the logs and (from a running desk) the SIP trace
and the desk's state, in one zip, written off the GUI thread and reported on it; no secret in
any member, in any of the forms a secret travels in."""

from __future__ import annotations

import base64
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from pytestqt.qtbot import QtBot

from agent_desktop.config import (
    COMMAND_LINE,
    DEFAULT,
    MACHINE_FILE,
    MACHINE_POLICY,
    USER_FILE,
    Settings,
    load_settings,
)
from agent_desktop.diagnostics_bundle import HIDDEN, LiveDesk, redact, write_bundle
from agent_desktop.policy import interpret
from agent_desktop.services.diagnostics import DiagnosticsService
from agent_desktop.tasks import TaskRunner
from softphone.sip_log import SipTrace, scrub

TIMEOUT = 5000
TOKEN = "tok-9f8e7d6c5b4a"
SIP_PASSWORD = "s1p-Secret/+="


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def members(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as bundle:
        return {name: bundle.read(name).decode() for name in bundle.namelist()}


def a_cache(path: Path) -> None:
    """A cache file as sync.cache_steps leaves it, as far as the check reads it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript(
        """
        PRAGMA journal_mode=WAL;
        CREATE TABLE records (entity TEXT, id INTEGER, state TEXT);
        CREATE TABLE outbox (seq INTEGER PRIMARY KEY, state TEXT);
        INSERT INTO records VALUES ('ticket', 1, 'synced'), ('ticket', 2, 'conflict'),
            ('customer', 3, 'pending');
        INSERT INTO outbox (state) VALUES ('queued'), ('queued'), ('failed');
        PRAGMA user_version = 7;
        """
    )
    db.close()


def test_the_bundle_holds_versions_config_caches_logs_and_the_desk(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    logs = profile / "logs"
    logs.mkdir(parents=True)
    (logs / "agent-desktop.log").write_text("now\n")
    (logs / "agent-desktop.log.1").write_text("before\n")
    (logs / "other.txt").write_text("not ours\n")
    a_cache(profile / "cache" / "wangfang-0123.sqlite")
    trace = SipTrace()
    trace.add(scrub('REGISTER sip:pbx SIP/2.0\r\nAuthorization: Digest response="abc123"\r\n'))
    live = LiveDesk("xcb", {"phone": {"registration": "registered 200"}}, trace.text())
    path = write_bundle(
        tmp_path / "bundle", profile_dir=profile, settings=Settings(), origins={}, live=live
    )
    assert path == tmp_path / "bundle.zip"
    got = members(path)
    assert sorted(got) == [
        "about.txt",
        "cache.json",
        "config.json",
        "desk.json",
        "logs/agent-desktop.log",
        "logs/agent-desktop.log.1",
        "sip-trace.txt",
        "system.json",
        "versions.json",
    ]
    assert "REGISTER sip:pbx" in got["sip-trace.txt"]
    assert "abc123" not in got["sip-trace.txt"]
    assert got["logs/agent-desktop.log.1"] == "before\n"
    versions = json.loads(got["versions.json"])
    assert set(versions) >= {"app", "contract", "python", "pyside6", "qt", "pjsua2"}
    assert "Qt platform: xcb" in got["about.txt"]
    [cache] = json.loads(got["cache.json"])
    assert cache["quick_check"] == ["ok"]
    assert cache["outbox"] == {"queued": 2, "failed": 1}
    assert cache["records_in_conflict"] == 1
    assert cache["user_version"] == 7
    assert "outbox: 2 queued, 1 refused by the server" in got["about.txt"]
    assert json.loads(got["desk.json"])["phone"]["registration"] == "registered 200"


def test_a_damaged_cache_is_reported_not_fatal(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    (profile / "cache").mkdir(parents=True)
    (profile / "cache" / "x.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 600)
    got = members(
        write_bundle(tmp_path / "b.zip", profile_dir=profile, settings=Settings(), origins={})
    )
    [cache] = json.loads(got["cache.json"])
    assert "error" in cache or cache["quick_check"] != ["ok"]


def test_a_cache_of_an_older_schema_still_gives_a_bundle(tmp_path: Path) -> None:
    """A cache whose check stops part-way (no outbox table: an older or foreign schema) is
    named with what was read and the error; the zip is still written (found in review)."""
    profile = tmp_path / "profile"
    (profile / "cache").mkdir(parents=True)
    db = sqlite3.connect(profile / "cache" / "old.sqlite")
    db.execute("CREATE TABLE records (id TEXT, state TEXT)")
    db.commit()
    db.close()
    got = members(
        write_bundle(tmp_path / "b.zip", profile_dir=profile, settings=Settings(), origins={})
    )
    [cache] = json.loads(got["cache.json"])
    assert cache["quick_check"] == ["ok"]
    assert "outbox" in cache["error"]
    assert "no such table: outbox" in got["about.txt"]


def test_every_key_says_where_its_value_came_from(tmp_path: Path) -> None:
    machine = tmp_path / "machine.toml"
    machine.write_text('[logging]\nlevel = "warning"\n[phone]\ntransport = "tcp"\n')
    user = tmp_path / "user.toml"
    user.write_text(
        '[server]\nurl = "https://mine.example.com"\n[ui]\nlanguage = "en"\n'
        '[phone]\nuser = "agent7"\n'
    )
    policy = interpret(
        {"SERVER_URL": "https://cc.example.com", "LANGUAGE": "zh_CN", "LOCK": "server"},
        "/etc/agent-workstation/policy.toml",
    )
    loaded = load_settings(machine, user, {"log_level": "debug"}, policy)
    origins = loaded.origins
    assert origins["log_level"].layer == COMMAND_LINE
    assert (origins["sip_transport"].layer, origins["sip_transport"].where) == (
        MACHINE_FILE,
        str(machine),
    )
    assert origins["sip_user"].layer == USER_FILE
    assert origins["language"].layer == USER_FILE  # the policy's value was a default only
    locked = origins["server_url"]
    assert (locked.layer, locked.where, locked.locked) == (
        MACHINE_POLICY,
        "/etc/agent-workstation/policy.toml",
        True,
    )
    assert loaded.settings.server_url == "https://cc.example.com"
    assert origins["sip_codecs"].layer == DEFAULT
    got = members(
        write_bundle(
            tmp_path / "b.zip",
            profile_dir=tmp_path,
            settings=loaded.settings,
            origins=origins,
        )
    )
    rows = {row["key"]: row for row in json.loads(got["config.json"])}
    assert rows["server.url"] == {
        "key": "server.url",
        "value": "https://cc.example.com",
        "source": MACHINE_POLICY,
        "where": "/etc/agent-workstation/policy.toml",
        "locked": True,
    }
    assert rows["phone.codecs"]["source"] == DEFAULT
    assert "server.url = 'https://cc.example.com'  (machine policy " in got["about.txt"]
    assert "locked by machine policy" in got["about.txt"]


def test_a_locked_key_without_a_policy_value_keeps_the_machine_file_and_says_so(
    tmp_path: Path,
) -> None:
    machine = tmp_path / "machine.toml"
    machine.write_text('[phone]\nregistrar = "sip:pbx.example.com"\n')
    user = tmp_path / "user.toml"
    user.write_text('[phone]\nregistrar = "sip:elsewhere.example.com"\n')
    loaded = load_settings(machine, user, None, interpret({"LOCK": "sip"}, "HKLM\\x"))
    origin = loaded.origins["sip_registrar"]
    assert (origin.layer, origin.where, origin.locked) == (MACHINE_FILE, str(machine), True)
    assert loaded.origins["sip_transport"].locked
    assert loaded.origins["sip_transport"].layer == DEFAULT


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Authorization: Bearer abc.def-ghi", "abc.def-ghi"),
        (
            'Proxy-Authorization: Digest username="a", response="r3sp0nse", cnonce="c0c0"',
            "r3sp0nse",
        ),
        ("  authorization: Digest nonce=n0nc3xyz, response=abcd1234", "n0nc3xyz"),
        ("GET https://user:pa55word@cc.example.com/x", "pa55word"),
        ("server https://cc.example.com/login?token=qwerty123&lang=en", "qwerty123"),
        ("Contact: <sip:agent:sippass99@10.0.0.1>", "sippass99"),
        ('{"password": "hunter22"}', "hunter22"),
    ],
)
def test_redact_hides_secrets_in_the_forms_they_travel_in(text: str, gone: str) -> None:
    cleaned = redact(text)
    assert gone not in cleaned
    assert HIDDEN in cleaned


def test_known_secrets_are_hidden_in_clear_base64_and_url_encoded() -> None:
    forms = [
        SIP_PASSWORD,
        quote(SIP_PASSWORD, safe=""),
        base64.b64encode(SIP_PASSWORD.encode()).decode(),
        TOKEN,
    ]
    cleaned = redact(
        " ".join(forms) + "\n" + "sip:agent1001@cc.test keeps its user", [SIP_PASSWORD, TOKEN]
    )
    assert all(form not in cleaned for form in forms)
    assert "sip:agent1001@cc.test keeps its user" in cleaned


def test_the_service_saves_off_the_gui_thread_and_says_where(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "agent-desktop.log").write_text(f"signed in with {TOKEN}\n")
    live = LiveDesk("offscreen", {"sync": {"outbox_waiting": 0}}, "", secrets=(TOKEN,))
    service = DiagnosticsService(runner, tmp_path, Settings, dict, lambda: live)
    with qtbot.waitSignal(service.saved, timeout=TIMEOUT) as saved:
        service.save(tmp_path / "d.zip")
    assert saved.args == [str(tmp_path / "d.zip")]
    got = members(tmp_path / "d.zip")
    assert got["sip-trace.txt"] == "(no SIP messages yet)\n"
    assert TOKEN not in got["logs/agent-desktop.log"]
    with qtbot.waitSignal(service.failed, timeout=TIMEOUT):
        service.save(tmp_path / "missing" / "d.zip")
