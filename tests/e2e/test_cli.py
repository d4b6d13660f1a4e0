"""The console entry points as a user or IT meets them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from agent_desktop.cli import build_parser
from tests.fakes.waiting import TOUR_BUDGET_S

pytestmark = pytest.mark.slow


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), capture_output=True, text=True, timeout=60, env=env, check=False
    )


def test_help_documents_every_option() -> None:
    result = run(sys.executable, "-m", "agent_desktop", "--help")
    assert result.returncode == 0
    for action in build_parser()._actions:
        for flag in action.option_strings:
            assert flag in result.stdout
        if action.option_strings and action.help is None:
            pytest.fail(f"{action.option_strings} has no help text")
    assert "machine-wide file" in result.stdout


def test_console_scripts_are_installed() -> None:
    bindir = Path(sys.executable).parent
    for name in ("agent-desktop", "agent-server"):
        exe = bindir / name if (bindir / name).exists() else shutil.which(name)
        assert exe, f"{name} is not installed"
        assert run(str(exe), "--version").returncode == 0


def test_no_display_says_so_in_one_line() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = run(sys.executable, "-m", "agent_desktop", "--demo", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no display" in lines[0]
    assert "--offscreen --tour" in lines[0]


def test_server_help() -> None:
    result = run(sys.executable, "-m", "server_stub", "--help")
    assert result.returncode == 0
    assert "--seed" in result.stdout
    assert "--database-url" in result.stdout


@pytest.mark.timeout(TOUR_BUDGET_S + 60)
def test_broken_config_file_is_named_and_the_app_still_runs(tmp_path: Path) -> None:
    config = tmp_path / "user.toml"
    config.write_text('[server]\nurl = "https://cc.example.com"\ntimeout_s = "ten"\n')
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "agent_desktop",
            "--demo",
            "--offscreen",
            "--tour",
            str(tmp_path / "tour"),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=TOUR_BUDGET_S,  # it runs the whole tour
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"{config}, line 3, key 'server.timeout_s'" in result.stderr


def test_diagnostics_without_a_display_or_a_sign_in(tmp_path: Path) -> None:
    """``--diagnostics FILE``: no window, no display needed; the zip's path on stdout."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["AGENT_WORKSTATION_POLICY"] = str(tmp_path / "no-policy.toml")
    env["AGENT_WORKSTATION_MACHINE_CONFIG"] = str(tmp_path / "machine.toml")
    (tmp_path / "machine.toml").write_text('[phone]\nregistrar = "sip:pbx.example.com"\n')
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "agent-desktop.log").write_text("a line of the last run\n")
    common = [sys.executable, "-m", "agent_desktop", "--profile-dir", str(tmp_path)]
    common += ["--config", str(tmp_path / "user.toml"), "--server", "https://cc.example.com"]
    result = run(*common, "--diagnostics", str(tmp_path / "diag"), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "diag.zip")
    with zipfile.ZipFile(tmp_path / "diag.zip") as bundle:
        names = set(bundle.namelist())
        about = bundle.read("about.txt").decode()
        config = {row["key"]: row for row in json.loads(bundle.read("config.json"))}
    assert {"about.txt", "config.json", "cache.json", "logs/agent-desktop.log"} <= names
    assert "desk.json" not in names  # nothing of a running desk: there is none
    assert "Qt platform: none (written without a GUI)" in about
    assert config["server.url"]["source"] == "command line"
    assert config["phone.registrar"]["source"] == "machine config file"
    assert config["phone.registrar"]["where"] == str(tmp_path / "machine.toml")
    # A folder that cannot be written: non-zero and a message that says where and why.
    failed = run(*common, "--diagnostics", str(tmp_path / "missing" / "d.zip"), env=env)
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert "cannot write the diagnostics to" in failed.stderr
    assert "No such file or directory" in failed.stderr
