"""Shared fixtures: offscreen Qt, a live backend on loopback, and the real Secret Service."""

from __future__ import annotations

import gc
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# Before any Qt import: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The machine's own policy (/etc/agent-workstation/policy.toml, left by an installed .deb or
# an administrator) must not steer the tests' desks: a path that never exists, unless a test
# names its own policy file.
os.environ.setdefault("AGENT_WORKSTATION_POLICY", "/nonexistent/agent-workstation-test-policy.toml")

from sync.clock import CLOCK_VARIABLE, ClockPinError, parse_pin, pin, system_clock
from tests.fakes.servers import GarbageServer, LiveBackend
from tests.fakes.waiting import wait_until

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# The whole suite at a chosen hour: AGENT_WORKSTATION_CLOCK=2026-12-31T23:59:59+08:00 make test.
# The pin is anchored once, here, so this process, the backends and every desk or peer the
# tests start agree on "now" (all read the variable) and run on from it together.
_PIN = os.environ.get(CLOCK_VARIABLE, "").strip()
if _PIN:
    try:
        _START = parse_pin(_PIN)
    except ClockPinError as exc:
        raise pytest.UsageError(str(exc)) from None
    if "@" not in _PIN:
        os.environ[CLOCK_VARIABLE] = pin(_START.now())
    system_clock.cache_clear()


def pytest_report_header() -> str:
    now = system_clock().now()
    pinned = " (pinned by " + CLOCK_VARIABLE + ")" if os.environ.get(CLOCK_VARIABLE) else ""
    return f"clock: {now.isoformat(timespec='seconds')}{pinned}"


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2id at production cost takes ~0.2 s a hash and as long a sign-in on this machine
    (more under load), and a backend in this process seeds one hash and its tests sign in many
    times. The rules under test are the same at the lowest cost. argon2 verifies at the cost
    written in the hash, so the users a backend seeds sign in cheaply too. For the session, so
    the session's own backend (``live_backend``) is seeded cheaply as well.
    (tests/integration/test_server_auth.py puts the production parameters back for its module;
    servers the tests start as processes keep them.)"""
    from argon2 import PasswordHasher

    import server_stub.auth

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            server_stub.auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
        )
        yield


@pytest.fixture(scope="session")
def live_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    backend = LiveBackend(tmp_path_factory.mktemp("backend") / "server.sqlite")
    yield backend
    backend.stop()


@pytest.fixture
def own_backend(tmp_path: Path) -> Iterator[LiveBackend]:
    """A backend this test may stop (to see the desktop go offline)."""
    backend = LiveBackend(tmp_path / "own.sqlite")
    yield backend
    backend.stop()


@pytest.fixture(scope="session")
def garbage_server() -> Iterator[GarbageServer]:
    server = GarbageServer()
    yield server
    server.stop()


@pytest.fixture
def dead_server_url() -> str:
    """A loopback port with nothing listening: what a server that is down looks like."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private D-Bus session with an unlocked GNOME Keyring: the real Secret Service."""
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: run 'make test' (it installs dbus and gnome-keyring)")
    home = tmp_path / "keyring-home"
    home.mkdir()
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().strip()
    env = dict(
        os.environ,
        DBUS_SESSION_BUS_ADDRESS=address,
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_RUNTIME_DIR=str(home),
    )
    keyring_daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert keyring_daemon.stdin is not None
    keyring_daemon.stdin.write(b"test-keyring-password")
    keyring_daemon.stdin.close()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    # Wait (bounded) until the daemon owns its name on the bus.

    def owns_its_name() -> bool:
        probe = subprocess.run(
            [
                "dbus-send",
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        return "boolean true" in probe.stdout

    try:
        wait_until(owns_its_name, 10, "gnome-keyring-daemon on the private bus", interval_s=0.05)
    except AssertionError as exc:
        pytest.fail(f"gnome-keyring-daemon did not start on the private bus: {exc}")
    yield address
    keyring_daemon.terminate()
    keyring_daemon.wait(timeout=5)
    bus.terminate()
    bus.wait(timeout=5)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """PostgreSQL from Debian's package. Skipped outside CI when missing; never skipped in CI."""
    from tests.fakes.postgres import PostgresServer, PostgresUnavailableError

    try:
        server = PostgresServer()
    except PostgresUnavailableError as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _qt_garbage_on_the_main_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test's windows are deleted here, at its end, and its objects caught in reference
    cycles freed, on the main thread, after the test's own fixtures.

    pytest-qt only asks for its widgets' deletion (``deleteLater``), which no later
    ``processEvents`` honours, and windows it was not given (a Workstation's, a dialog left
    open) stay too. Left alone they were deleted inside some later test's event loop, or
    their Python halves were cleared by a collection while Qt still held them: a window of a
    finished test then answered a later test's language switch with its attributes gone
    (CI: 7 failures and 20 errors in tests/ui), and the full suite crashed with a segfault in
    Qt's event loop. A collection left to chance may also run on whatever thread allocates
    next (a headset reader, a sync worker), and a QObject deleted off its own thread can crash
    Qt (seen once in CI in tests/sip/test_headset_buttons_sip.py)."""
    before = _top_level_windows()
    yield
    if "PySide6.QtWidgets" not in sys.modules:  # a test without Qt
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    windows = app.topLevelWidgets() if isinstance(app, QApplication) else []
    # Only the windows a test made and nobody owns: a dialog or popup with a parent dies with
    # it, and Qt's own (a combo box's list, a tooltip) belong to the widget that made them.
    left = [w for w in windows if _address(w) not in before and _ours_and_unowned(w)]
    for window in left:
        window.deleteLater()
    if left or "qtbot" in request.fixturenames:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # what it freed


def _top_level_windows() -> set[int]:
    """The C++ addresses of the application's windows now."""
    if "PySide6.QtWidgets" not in sys.modules:
        return set()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    return {_address(w) for w in app.topLevelWidgets()} if isinstance(app, QApplication) else set()


def _ours_and_unowned(widget: QWidget) -> bool:
    import shiboken6

    return widget.parentWidget() is None and bool(shiboken6.createdByPython(widget))


def _address(widget: QWidget) -> int:
    import shiboken6

    return int(shiboken6.getCppPointer(widget)[0])


@pytest.fixture
def app_look() -> Iterator[None]:
    """A test that puts a palette on the QApplication (a Workstation does) gives the session's
    next test the look it found. Here, not in tests/ui, because desk tests live in tests/sip
    and tests/e2e too."""
    from PySide6.QtWidgets import QApplication  # only tests with a desk need Qt

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    palette, sheet = app.palette(), app.styleSheet()
    yield
    app.setStyleSheet(sheet)
    app.setPalette(palette)
    app.setProperty("agentPalette", None)
