"""The MSI recipe (issue 18): build it with wixl from a harvested stand-in payload (the real
one is a PyInstaller onedir built on a Windows runner: .github/workflows/windows-msi.yml) and
read its tables back with msitools: the policy properties, the HKLM policy values they land
in, the Start-menu shortcut, the upgrade code and the major-upgrade handling."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agent_desktop.policy import LOCK_KEY, POLICY_KEYS, REGISTRY_KEY

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "installer" / "windows" / "build_msi.py"
UPGRADE_CODE = "{989EBEB8-D120-4C8B-A77B-FA1ED6477614}"
POLICIES = [*POLICY_KEYS, LOCK_KEY]
HKLM = "2"  # the Registry table's Root for HKEY_LOCAL_MACHINE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not all(shutil.which(t) for t in ("wixl", "wixl-heat", "msibuild", "msidump", "msiinfo")),
        reason="wixl and msitools are not installed (Debian: apt-get install wixl msitools)",
    ),
]


def table(dump: Path, name: str) -> list[dict[str, str]]:
    """An .idt table as msidump writes it: names, types, key line, then tab-separated rows."""
    lines = (dump / f"{name}.idt").read_text(encoding="utf-8").splitlines()
    columns = lines[0].split("\t")
    return [dict(zip(columns, row.split("\t"), strict=False)) for row in lines[3:]]


@pytest.fixture(scope="module")
def msi(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("msi")
    payload = base / "payload" / "agent-desktop"
    for name in ("agent-desktop.exe", "_internal/python311.dll", "_internal/PySide6/Qt6Core.dll"):
        (payload / name).parent.mkdir(parents=True, exist_ok=True)
        (payload / name).write_bytes(b"stand-in for " + name.encode())
    out = base / "AgentWorkstation.msi"
    done = subprocess.run(
        [sys.executable, str(BUILD), "--payload", str(payload), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    dump = base / "tables"
    dump.mkdir()
    subprocess.run(["msidump", "-d", str(dump), str(out)], check=True, capture_output=True)
    return out, dump


def test_the_policy_properties_are_public_and_passed_to_the_elevated_install(
    msi: tuple[Path, Path],
) -> None:
    _out, dump = msi
    props = {row["Property"]: row["Value"] for row in table(dump, "Property")}
    assert props["UpgradeCode"].upper() == UPGRADE_CODE
    assert props["ALLUSERS"] == "1"  # per machine
    assert props["ProductName"] == "Agent Workstation"
    secure = props["SecureCustomProperties"].split(";")
    assert set(POLICIES) <= set(secure)
    # Each property is read back from the machine first, so an upgrade without it keeps it.
    searched = {row["Property"]: row["Signature_"] for row in table(dump, "AppSearch")}
    locators = {row["Signature_"]: row for row in table(dump, "RegLocator")}
    actions = {row["Action"]: row for row in table(dump, "CustomAction")}
    sequence = {row["Action"]: row for row in table(dump, "InstallExecuteSequence")}
    for name in POLICIES:
        locator = locators[searched[f"SAVED_{name}"]]
        assert (locator["Root"], locator["Key"], locator["Name"]) == (HKLM, REGISTRY_KEY, name)
        assert int(locator["Type"]) & 16  # the 64-bit registry view
        (action,) = [a for a in actions.values() if a["Source"] == name]
        assert action["Target"] == f"[SAVED_{name}]"
        assert sequence[action["Action"]]["Condition"] == f"NOT {name} AND SAVED_{name}"
        assert int(sequence[action["Action"]]["Sequence"]) > int(sequence["AppSearch"]["Sequence"])


def test_each_property_lands_as_an_hklm_policy_value_only_when_given(
    msi: tuple[Path, Path],
) -> None:
    _out, dump = msi
    registry = {row["Name"]: row for row in table(dump, "Registry")}
    components = {row["Component"]: row for row in table(dump, "Component")}
    for name in POLICIES:
        row = registry[name]
        assert (row["Root"], row["Key"], row["Value"]) == (HKLM, REGISTRY_KEY, f"[{name}]")
        component = components[row["Component_"]]
        assert component["Condition"] == name
        assert int(component["Attributes"]) & 256  # a 64-bit component: the 64-bit view
        assert component["KeyPath"] == row["Registry"]


def test_the_start_menu_shortcut_runs_the_installed_desk(msi: tuple[Path, Path]) -> None:
    _out, dump = msi
    (shortcut,) = table(dump, "Shortcut")
    assert shortcut["Directory_"] == "ProgramMenuFolder"
    assert shortcut["Name"] == "Agent Workstation"
    assert shortcut["Target"] == "[INSTALLDIR]agent-desktop.exe"
    files = {row["FileName"].split("|")[-1] for row in table(dump, "File")}
    assert {"agent-desktop.exe", "python311.dll", "Qt6Core.dll"} <= files
    directories = {row["Directory"]: row for row in table(dump, "Directory")}
    assert directories["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"


def test_major_upgrade_replaces_older_and_refuses_a_downgrade(msi: tuple[Path, Path]) -> None:
    out, dump = msi
    upgrades = table(dump, "Upgrade")
    assert {row["UpgradeCode"] for row in upgrades} == {UPGRADE_CODE}
    by_property = {row["ActionProperty"]: row for row in upgrades}
    version = {row["Property"]: row["Value"] for row in table(dump, "Property")}["ProductVersion"]
    older = by_property["WIX_UPGRADE_DETECTED"]
    assert (older["VersionMin"], older["VersionMax"]) == ("", version)
    # Up to and including this version (a rebuild of it too), migrating the features.
    assert int(older["Attributes"]) == 1 | 512
    newer = by_property["WIX_DOWNGRADE_DETECTED"]
    assert newer["VersionMin"] == version
    assert int(newer["Attributes"]) & 2  # only detected, never removed
    conditions = [row["Condition"] for row in table(dump, "LaunchCondition")]
    assert "NOT WIX_DOWNGRADE_DETECTED" in conditions
    rows = table(dump, "InstallExecuteSequence")
    sequence = {row["Action"]: int(row["Sequence"]) for row in rows}
    # The old version goes first, whole, before a file of the new one is written.
    assert sequence["InstallValidate"] < sequence["RemoveExistingProducts"]
    assert sequence["RemoveExistingProducts"] < sequence["InstallInitialize"]
    summary = subprocess.run(
        ["msiinfo", "suminfo", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert "Template: x64;1033" in summary


def test_a_payload_without_the_desk_is_refused_in_words(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = subprocess.run(
        [sys.executable, str(BUILD), "--payload", str(tmp_path / "empty"), "--out", "x.msi"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert "holds no agent-desktop.exe" in done.stderr
