"""deploy/systemd: the unit passes ``systemd-analyze verify`` and its hardening is there; the
example settings are ones agent-server reads."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from server_stub.core.sources import KEYS, PREFIX, from_file

ROOT = Path(__file__).resolve().parents[2]
SYSTEMD = ROOT / "deploy" / "systemd"


def _unit() -> str:
    return (SYSTEMD / "agent-server.service").read_text(encoding="utf-8")


def test_the_example_settings_are_read_whole() -> None:
    values = from_file(SYSTEMD / "server.toml")
    assert values["port"] == 8640
    assert values["log_format"] == "json"


def test_the_example_environment_file_names_known_variables() -> None:
    known = {key.variable for key in KEYS}
    names = re.findall(r"^#?(AGENT_SERVER_\w+)=", (SYSTEMD / "agent-server.env").read_text(), re.M)
    assert names
    assert set(names) <= known
    unit_names = set(re.findall(r"Environment=(AGENT_SERVER_\w+)=", _unit()))
    assert unit_names <= known | {f"{PREFIX}CONFIG"}


def test_the_unit_is_hardened_and_honest_about_readiness() -> None:
    unit = _unit()
    for line in (
        "Type=exec",  # no sd_notify in the server: not Type=notify
        "DynamicUser=yes",
        "ProtectSystem=strict",
        "StateDirectory=agent-server",
        "NoNewPrivileges=yes",
        "CapabilityBoundingSet=",
        "PrivateTmp=yes",
        "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
        "EnvironmentFile=-%E/agent-server/agent-server.env",
    ):
        assert re.search(rf"^{re.escape(line)}$", unit, re.M), line


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze absent")
def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    # verify checks that ExecStart's program exists: point it at this environment's.
    here = Path(sys.executable).parent / "agent-server"
    unit = tmp_path / "agent-server.service"
    unit.write_text(_unit().replace("/opt/agent-server/bin/agent-server", str(here)))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "agent-server.service" not in done.stderr, done.stderr  # no warning about it
