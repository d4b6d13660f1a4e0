"""Build the Windows MSI from a payload directory (the PyInstaller onedir) with wixl.

    python installer/windows/build_msi.py --payload DIR --out AgentWorkstation.msi [--version V]

Steps: harvest the payload's files into a WiX fragment (``Files.wxs``, one component a file)
with ``wixl-heat``; compile it with ``AgentWorkstation.wxs`` by ``wixl``; then set, with
``msibuild``, what wixl's WiX dialect cannot say: each policy component's condition (written
only when its property is given), the policy properties in SecureCustomProperties (so a
managed, elevated install passes them from the client to the server side), and a same-version
rebuild counting as an upgrade.

Runs on Linux (Debian's ``wixl`` and ``msitools``). The real payload is built on a Windows
runner (.github/workflows/windows-msi.yml); the tests harvest a small stand-in directory.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PRODUCT_WXS = HERE / "AgentWorkstation.wxs"
EXECUTABLE = "agent-desktop.exe"  # the Start-menu shortcut's target
# The policy properties (agent_desktop.policy.POLICY_KEYS and LOCK) -> their components.
POLICY_COMPONENTS = {
    "SERVER_URL": "PolicyServerUrl",
    "SIP_REGISTRAR": "PolicySipRegistrar",
    "SIP_TRANSPORT": "PolicySipTransport",
    "LANGUAGE": "PolicyLanguage",
    "LOCK": "PolicyLock",
}


class BuildError(Exception):
    pass


def project_version() -> str:
    """pyproject's version as an MSI ProductVersion (numbers only: 1.2.3rc1 -> 1.2.3)."""
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    match = re.match(r"^(\d+)\.(\d+)(?:\.(\d+))?", version)
    if not match:
        raise BuildError(f"pyproject's version {version!r} does not start with numbers")
    return ".".join(part or "0" for part in match.groups())


def harvest(payload: Path, out_dir: Path) -> Path:
    """Files.wxs: every file under ``payload`` as a component of the PayloadFiles group."""
    files = sorted(p.relative_to(payload).as_posix() for p in payload.rglob("*") if p.is_file())
    if EXECUTABLE not in files:
        raise BuildError(f"{payload} holds no {EXECUTABLE}: not a PyInstaller onedir payload")
    heat = subprocess.run(
        [
            "wixl-heat",
            "--prefix",
            "",
            "--directory-ref",
            "INSTALLDIR",
            "--component-group",
            "PayloadFiles",
            "--var",
            "var.PayloadDir",
            "--win64",
        ],
        input="\n".join(files) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    if heat.returncode != 0:
        raise BuildError(f"wixl-heat failed: {heat.stderr.strip()}")
    fragment = out_dir / "Files.wxs"
    fragment.write_text(heat.stdout, encoding="utf-8")
    return fragment


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    # wixl exits 0 after some failures (a duplicate row): the missing output tells.
    if done.returncode != 0:
        raise BuildError(f"{command[0]} failed: {(done.stderr or done.stdout).strip()}")


def build(payload: Path, out: Path, version: str | None = None) -> Path:
    payload, out = payload.resolve(), out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="msi-") as work:
        fragment = harvest(payload, Path(work))
        # wixl resolves a File's Source against the directory of the .wxs that names it.
        source = os.path.relpath(payload, fragment.parent)
        _run(
            [
                "wixl",
                "--arch",
                "x64",
                "-D",
                f"Version={version or project_version()}",
                "-D",
                f"PayloadDir={source}",
                "-D",
                "Win64=yes",
                "-o",
                str(out),
                str(PRODUCT_WXS),
                str(fragment),
            ]
        )
    if not out.exists():
        raise BuildError(f"wixl wrote no {out}")
    for prop, component in POLICY_COMPONENTS.items():
        _run(
            [
                "msibuild",
                str(out),
                "-q",
                f"UPDATE `Component` SET `Condition` = '{prop}' WHERE `Component` = '{component}'",
            ]
        )
    _upgrade_same_version(out)
    secure = ";".join(["WIX_DOWNGRADE_DETECTED", "WIX_UPGRADE_DETECTED", *POLICY_COMPONENTS])
    _run(
        [
            "msibuild",
            str(out),
            "-q",
            f"UPDATE `Property` SET `Value` = '{secure}' "
            "WHERE `Property` = 'SecureCustomProperties'",
        ]
    )
    return out


def _upgrade_same_version(msi: Path) -> None:
    """A rebuild of the installed version replaces it too (WiX's AllowSameVersionUpgrades,
    which wixl lacks); without it two builds of one version would install side by side. The
    Upgrade row's Attributes are part of its key, which libmsi cannot UPDATE: the row is
    replaced, as MigrateFeatures | VersionMaxInclusive."""
    table = subprocess.run(
        ["msiinfo", "export", str(msi), "Upgrade"], capture_output=True, text=True, check=False
    )
    rows = [line.rstrip("\r").split("\t") for line in table.stdout.splitlines()[3:]]
    found = [r for r in rows if len(r) == 7 and r[6] == "WIX_UPGRADE_DETECTED"]
    if table.returncode != 0 or len(found) != 1:
        raise BuildError(f"no WIX_UPGRADE_DETECTED row in the Upgrade table: {table.stderr}")
    code, _minimum, maximum = found[0][:3]
    _run(
        [
            "msibuild",
            str(msi),
            "-q",
            "DELETE FROM `Upgrade` WHERE `ActionProperty` = 'WIX_UPGRADE_DETECTED'",
        ]
    )
    _run(
        [
            "msibuild",
            str(msi),
            "-q",
            "INSERT INTO `Upgrade` (`UpgradeCode`, `VersionMax`, `Attributes`, `ActionProperty`)"
            f" VALUES ('{code}', '{maximum}', 513, 'WIX_UPGRADE_DETECTED')",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--payload", type=Path, required=True, help="the PyInstaller onedir")
    parser.add_argument("--out", type=Path, required=True, help="the .msi to write")
    parser.add_argument("--version", help="ProductVersion (default: pyproject's)")
    args = parser.parse_args(argv)
    try:
        built = build(args.payload, args.out, args.version)
    except BuildError as exc:
        print(f"build_msi: {exc}", file=sys.stderr)  # noqa: T201
        return 1
    print(f"{built} ({built.stat().st_size:,} bytes)")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
