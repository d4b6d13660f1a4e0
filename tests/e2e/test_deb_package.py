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
import queue
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sync.cache import open_cache
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until

# The first test of a session may build the bundle (about 1-3 min on 2 busy cores).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
OLD_VERSION = "0.0.1"
PASSWORD = "demo1234"  # the seeded agent wangfang
IT_CONFIG = '[logging]\nlevel = "debug"\n'
QUESTION = "升级前离线提的问题 / asked offline before the upgrade"
APT_LOCK_WAIT_S = "300"  # other jobs on the machine may hold dpkg's lock

SCREENSHOT = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(["shot", "-platform", "xcb"])
sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)
"""


@dataclass(frozen=True, slots=True)
class Packages:
    current: Path
    old: Path


def project_version() -> str:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


@pytest.fixture(scope="session")
def packages() -> Packages:
    if os.geteuid() != 0:
        pytest.skip("installing a .deb needs root")
    for tool in ("apt-get", "dpkg-deb", "Xvfb", "xdotool", "readelf"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: run 'make system-deps-test system-deps-build'")
    make = ["make", "-o", ".venv/.installed-stamp", "deb"]
    subprocess.run(make, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
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


@pytest.fixture
def display(tmp_path: Path) -> Iterator[str]:
    """A private Xvfb; its display name."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not say its display"
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


class Desk:
    """``/usr/bin/agent-desktop`` as a user starts it, with the start-up marks on stdout."""

    def __init__(self, env: dict[str, str], home: Path, server_url: str) -> None:
        self.marks: queue.Queue[str] = queue.Queue()
        self.seen: set[str] = set()
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            ["/usr/bin/agent-desktop", "--server", server_url, "--user", "wangfang"],
            cwd=home,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            if line.startswith("aw-startup "):
                self.marks.put(line.split()[1])

    def has(self, mark: str) -> bool:
        while not self.marks.empty():
            self.seen.add(self.marks.get_nowait())
        if self.process.poll() is not None and mark not in self.seen:
            raise AssertionError(f"the desk exited ({self.process.returncode}): {self.tail()}")
        return mark in self.seen

    def tail(self) -> str:
        return "\n".join(self.lines[-30:])

    def wait_for(self, mark: str, timeout_s: float = 90) -> None:
        wait_until(
            lambda: self.has(mark), timeout_s, lambda: f"{mark!r}; desk said:\n{self.tail()}"
        )

    def sign_in(self, env: dict[str, str]) -> None:
        """Type the password into the painted sign-in dialog, as an agent does."""
        self.wait_for("login-painted")
        window = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(self.process.pid)],
            capture_output=True, text=True, env=env, timeout=60, check=True,
        ).stdout.split()[0]  # fmt: skip
        for command in (
            ["xdotool", "windowfocus", "--sync", window],
            ["xdotool", "type", "--delay", "30", PASSWORD],
            ["xdotool", "key", "Return"],
        ):
            subprocess.run(command, env=env, timeout=60, check=True)
        self.wait_for("desk-built")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def desk_env(display: str, bus: str, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "PYTHON"))}
    return {
        **env,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "DBUS_SESSION_BUS_ADDRESS": bus,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "AGENT_WORKSTATION_STARTUP_PROBE": "1",
        "AGENT_WORKSTATION_MACHINE_CONFIG": "/etc/agent-workstation/config.toml",
    }


def screenshot(env: dict[str, str], path: Path) -> None:
    subprocess.run([sys.executable, "-c", SCREENSHOT, str(path)], env=env, timeout=60, check=True)
    assert path.stat().st_size > 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
    env = desk_env(display, secret_service, home)
    backend = LiveBackend(tmp_path / "server.sqlite")
    desk = Desk(env, home, backend.url)
    try:
        desk.sign_in(env)
        desk.wait_for("window-painted")
        # The phone engine runs from the bundle too (``agent-desktop -m softphone.engine``).
        log = home / ".local" / "state" / "agent-workstation" / "logs" / "agent-desktop.log"
        wait_until(
            lambda: log.exists() and "phone engine" in log.read_text() and "listening on"
            in log.read_text(), 60, "the phone engine listening (desk log)",
        )  # fmt: skip
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
    env = desk_env(display, secret_service, home)
    profile = home / ".local" / "state" / "agent-workstation"
    db, port = tmp_path / "server.sqlite", free_port()

    backend = LiveBackend(db, port=port)
    desk = Desk(env, home, backend.url)
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
    desk = Desk(env, home, backend.url)
    try:
        wait_until(lambda: desk.has("desk-built") or desk.has("login-painted"), 90, "the desk")
        if not desk.has("desk-built"):
            desk.sign_in(env)
        wait_until(lambda: questions_asked(db) == 1, 90, "the offline question on the server")
        screenshot(env, tmp_path / "deb-upgraded.png")
    finally:
        desk.stop()
        backend.stop()
