"""The .deb for real: ``apt install`` on this machine, ``/usr/bin/agent-desktop`` under Xvfb,
signed in to the live backend through the real sign-in dialog (typed by xdotool), removed and
purged; and an upgrade over an older version that keeps the user's profile and the cache's
unsent writes, which the new version then pushes.

The bundle and the packages are built once per session and only when their inputs changed
(``make deb`` is incremental; the older package reuses the same bundle with a lower version).
Needs root (apt); skipped otherwise. Screenshots land in the test's tmp_path.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sync.cache import open_cache
from tests.e2e.frozen_desk import Desk, desk_env, make, screenshot, wait_for_phone_engine
from tests.fakes.ports import free_port
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until

# The first test of a session may build the bundle (about 1-3 min on 2 busy cores).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
OLD_VERSION = "0.0.1"
IT_CONFIG = '[logging]\nlevel = "debug"\n'
QUESTION = "升级前离线提的问题 / asked offline before the upgrade"
APT_LOCK_WAIT_S = "300"  # other jobs on the machine may hold dpkg's lock
INSTALLED = ("/usr/bin/agent-desktop",)
MACHINE_CONFIG = Path("/etc/agent-workstation/config.toml")


@dataclass(frozen=True, slots=True)
class Packages:
    current: Path
    old: Path


def project_version() -> str:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


@pytest.fixture(scope="session")
def packages(frozen_bundle: Path) -> Packages:
    if os.geteuid() != 0:
        pytest.skip("installing a .deb needs root")
    for tool in ("apt-get", "dpkg-deb", "Xvfb", "xdotool", "readelf"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: run 'make system-deps-test system-deps-build'")
    make("deb")  # the session's bundle (frozen_bundle), packaged
    current = ROOT / "dist" / f"agent-workstation_{project_version()}_amd64.deb"
    old = ROOT / "dist" / "old" / f"agent-workstation_{OLD_VERSION}_amd64.deb"
    if not old.exists() or old.stat().st_mtime < current.stat().st_mtime:
        old.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "installer/deb/build_deb.py", "--version", OLD_VERSION,
             "--out", str(old.parent), "--uncompressed"],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return Packages(current, old)


def apt(*args: str) -> None:
    subprocess.run(
        [
            "apt-get",
            "-y",
            "-q",
            "-o",
            f"DPkg::Lock::Timeout={APT_LOCK_WAIT_S}",
            "-o",
            "Dpkg::Options::=--force-confold",
            *args,
        ],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        stdout=subprocess.DEVNULL,
    )


def installed_version() -> str:
    probe = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status} ${Version}", "agent-workstation"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.removeprefix("install ok installed ") if probe.returncode == 0 else ""


@pytest.fixture
def clean_machine() -> Iterator[None]:
    """No agent-workstation before the test, none after (purged)."""
    if installed_version():
        apt("purge", "agent-workstation")
    yield
    if (
        subprocess.run(
            ["dpkg", "-s", "agent-workstation"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        apt("purge", "agent-workstation")


def test_apt_install_sign_in_remove_and_purge(
    packages: Packages, clean_machine: None, display: str, secret_service: str, tmp_path: Path
) -> None:
    # IT's machine file, in place before the package: the silent install keeps it.
    machine = Path("/etc/agent-workstation/config.toml")
    machine.parent.mkdir(parents=True, exist_ok=True)
    machine.write_text(IT_CONFIG)
    apt("install", str(packages.current))
    assert installed_version() == project_version()
    assert machine.read_text() == IT_CONFIG
    assert machine.with_name("config.toml.dpkg-dist").exists()  # the package's template beside
    for path in (
        "/opt/agent-workstation/agent-desktop",
        "/usr/share/applications/agent-desktop.desktop",
        "/usr/share/icons/hicolor/scalable/apps/agent-workstation.svg",
        "/usr/share/man/man1/agent-desktop.1.gz",
        "/etc/agent-workstation/config.toml",
    ):
        assert Path(path).exists(), path
    assert Path("/usr/bin/agent-desktop").resolve() == Path("/opt/agent-workstation/agent-desktop")
    home = tmp_path / "home"
    home.mkdir()
    env = desk_env(display, secret_service, home, MACHINE_CONFIG)
    backend = LiveBackend(tmp_path / "server.sqlite")
    desk = Desk(env, home, backend.url, INSTALLED)
    try:
        desk.sign_in(env)
        desk.wait_for("window-painted")
        wait_for_phone_engine(home)
        screenshot(env, tmp_path / "deb-signed-in.png")
    finally:
        desk.stop()
        backend.stop()

    # IT's edit of the conffile survives remove; purge takes it.
    Path("/etc/agent-workstation/config.toml").write_text('[ui]\nlanguage = "zh_CN"\n')
    apt("remove", "agent-workstation")
    assert not Path("/opt/agent-workstation").exists()
    assert not Path("/usr/bin/agent-desktop").exists()
    assert Path("/etc/agent-workstation/config.toml").exists()
    apt("purge", "agent-workstation")
    assert not Path("/etc/agent-workstation").exists()
    assert (home / ".local" / "state" / "agent-workstation").is_dir()  # the user's, untouched


def queue_offline_writes(profile: Path, server_url: str) -> int:
    """What the old desk's cache holds after work done while the server was down: a KB
    question in the outbox. Written with the sync code the desk runs
    (the GUI would need a scripted agent); the cache file is the old desk's own."""
    caches = list((profile / "cache").glob("wangfang-*.sqlite"))
    assert len(caches) == 1, caches
    cache = open_cache(caches[0], f"{server_url}|wangfang").cache
    try:
        cache.call("kb.ask", {"text": QUESTION, "product_line": ""}).result(timeout=30)
        return len(cache.outbox("queued"))
    finally:
        cache.close()


def questions_asked(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        asked = "SELECT count(*) FROM kb_questions WHERE text = ?"
        return int(conn.execute(asked, (QUESTION,)).fetchone()[0])
    finally:
        conn.close()


def test_upgrade_keeps_the_profile_and_pushes_the_unsent_writes(
    packages: Packages, clean_machine: None, display: str, secret_service: str, tmp_path: Path
) -> None:
    apt("install", str(packages.old))
    assert installed_version() == OLD_VERSION
    home = tmp_path / "home"
    home.mkdir()
    env = desk_env(display, secret_service, home, MACHINE_CONFIG)
    profile = home / ".local" / "state" / "agent-workstation"
    db, port = tmp_path / "server.sqlite", free_port()

    backend = LiveBackend(db, port=port)
    desk = Desk(env, home, backend.url, INSTALLED)
    try:
        desk.sign_in(env)
        wait_until(lambda: list((profile / "cache").glob("wangfang-*.sqlite")), 60, "the cache")
    finally:
        desk.stop()
        backend.stop()  # the server is down from here on
    queued = queue_offline_writes(profile, backend.url)
    assert queued >= 1

    machine = Path("/etc/agent-workstation/config.toml")
    machine.write_text(IT_CONFIG)  # IT's edit of the conffile, kept by the upgrade
    apt("install", str(packages.current))
    assert installed_version() == project_version()
    assert machine.read_text() == IT_CONFIG
    assert list((profile / "cache").glob("wangfang-*.sqlite")), "the upgrade lost the cache"
    assert (profile / "logs").is_dir()

    backend = LiveBackend(db, port=port, seed=False)  # the same server, back up
    desk = Desk(env, home, backend.url, INSTALLED)
    try:
        wait_until(lambda: desk.has("desk-built") or desk.has("login-painted"), 90, "the desk")
        if not desk.has("desk-built"):
            desk.sign_in(env)
        wait_until(lambda: questions_asked(db) == 1, 90, "the offline question on the server")
        screenshot(env, tmp_path / "deb-upgraded.png")
    finally:
        desk.stop()
        backend.stop()
