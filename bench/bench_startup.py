"""Start-up: the real desk to its sign-in dialog painted, beside a bare PySide6 dialog (the floor).

Each run launches a fresh process (offscreen) and times, from just before the launch to the
moment the process says so on stdout, its first paint of the sign-in dialog, with its RSS
then (``agent_desktop/startup.py``, enabled by ``AGENT_WORKSTATION_STARTUP_PROBE=1``). The
floor is a bare script that creates a ``QApplication`` and paints a small dialog, timed and
measured the same way, in the same run, alternating with the desk. The desk is launched as a
user does (``python -m agent_desktop``), with a throw-away profile and config and no server
contacted: the dialog needs none.

Signed in: the desk is launched again against the real backend (on loopback, in this process)
through ``tests/fakes/signing_in_desk.py``, which submits the dialog as a user would once it is
painted (seeded agent wangfang, "remember" unticked); the RSS is taken when the first sync is
done and the desk has idled 2 s.
Usage: ``make bench`` (or ``python -m bench.bench_startup --runs 10``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.results import Figure, record
from tests.fakes.servers import LiveBackend

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 60.0

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QVBoxLayout

def rss_kb():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print(f"aw-startup login-painted rss_kb={rss_kb()}", flush=True)
        return False

app = QApplication(sys.argv)
dialog = QDialog()
layout = QVBoxLayout(dialog)
layout.addWidget(QLabel("Sign in"))
layout.addWidget(QLineEdit())
watcher = FirstPaint()
dialog.installEventFilter(watcher)
dialog.show()
app.exec()
"""


@dataclass(frozen=True, slots=True)
class Mark:
    at_ms: float  # since just before the launch
    rss_mb: float


def launch(command: list[str], until: str, env: dict[str, str]) -> dict[str, Mark]:
    """Start ``command``; collect its marks until ``until``; stop it (SIGTERM, as a logout)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT
    )
    marks: dict[str, Mark] = {}
    try:
        assert process.stdout is not None
        for line in process.stdout:  # pjsua2 writes its log here too: only our lines count
            if not line.startswith("aw-startup "):
                continue
            at = (time.perf_counter() - start) * 1000
            _, name, rss = line.split()
            marks[name] = Mark(at, int(rss.removeprefix("rss_kb=")) / 1024)
            if name == until:
                break
            if at > TIMEOUT_S * 1000:
                raise SystemExit(f"{command}: no {until!r} within {TIMEOUT_S:.0f} s")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if until not in marks:
        raise SystemExit(f"{command}: exited ({process.returncode}) before {until!r}")
    return marks


def desk_command(profile: Path, server: str, *extra: str) -> list[str]:
    config = profile / "user.toml"  # empty: the built-in defaults, not this machine's settings
    config.parent.mkdir(parents=True, exist_ok=True)
    config.touch()
    return [
        *extra,
        "--offscreen",
        "--profile-dir",
        str(profile / "profile"),
        "--config",
        str(config),
        "--machine-config",
        str(profile / "machine.toml"),  # absent
        "--server",
        server,
        "--user",
        "wangfang",
    ]


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10, help="launches of each (desk, bare)")
    parser.add_argument("--no-sign-in", action="store_true", help="skip the signed-in RSS")
    args = parser.parse_args()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "AGENT_WORKSTATION_STARTUP_PROBE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    python = sys.executable
    desk_ms: list[float] = []
    desk_mb: list[float] = []
    bare_ms: list[float] = []
    bare_mb: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # The dialog needs no server: an address nothing answers at, never contacted.
        login_only = [python, "-m", "agent_desktop"]
        for run in range(args.runs + 1):  # the first of each warms the file cache, untimed
            desk = launch(
                desk_command(work / f"desk-{run}", "http://127.0.0.1:9", *login_only),
                "login-painted",
                env,
            )["login-painted"]
            bare = launch([python, "-c", BARE], "login-painted", env)["login-painted"]
            if run:
                desk_ms.append(desk.at_ms)
                desk_mb.append(desk.rss_mb)
                bare_ms.append(bare.at_ms)
                bare_mb.append(bare.rss_mb)
        signed_in: dict[str, Mark] = {}
        if not args.no_sign_in:
            backend = LiveBackend(work / "server.sqlite")
            try:
                signing_in = [python, "-m", "tests.fakes.signing_in_desk", "demo1234"]
                command = desk_command(work / "signed-in", backend.url, *signing_in)
                signed_in = launch(command, "signed-in-idle", env)
            finally:
                backend.stop()
    figures = [
        Figure(
            "sign-in dialog painted, from launch",
            median(desk_ms),
            "ms",
            median(bare_ms),
            "bare PySide6 dialog",
            "≤ 1,000 ms",
            {"min": min(desk_ms), "max": max(desk_ms), "floor_min": min(bare_ms)},
        ),
        Figure(
            "RSS at the sign-in dialog",
            median(desk_mb),
            "MB",
            median(bare_mb),
            "bare PySide6 dialog",
            "≤ 2× floor",
        ),
    ]
    if signed_in:
        submitted, painted = signed_in["submitted"], signed_in["window-painted"]
        figures.append(
            Figure(
                "RSS of the signed-in desk before its first call (first sync done, 2 s idle)",
                signed_in["signed-in-idle"].rss_mb,
                "MB",
                median(bare_mb),
                "bare PySide6 window",
                "",
                {
                    "sign_in_to_desk_built_ms": signed_in["desk-built"].at_ms - submitted.at_ms,
                    "sign_in_to_window_painted_ms": painted.at_ms - submitted.at_ms,
                    "sign_in_to_first_sync_ms": signed_in["synced"].at_ms - submitted.at_ms,
                    "rss_at_window_painted_mb": painted.rss_mb,
                },
            )
        )
    record("startup", figures, {"runs": args.runs, "sign_in": not args.no_sign_in})
    if signed_in:
        built = signed_in["desk-built"].at_ms - submitted.at_ms
        print(
            f"sign-in to desk built: {built:,.0f} ms; "
            f"to main window painted: {painted.at_ms - submitted.at_ms:,.0f} ms; "
            f"to first sync done: {signed_in['synced'].at_ms - submitted.at_ms:,.0f} ms "
            "(one run, seeded demo data)"
        )


if __name__ == "__main__":
    main()
