"""The console entry points as a user or IT meets them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
