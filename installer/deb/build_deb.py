"""Build ``agent-workstation_<version>_amd64.deb`` from the PyInstaller bundle (``make deb``).

``python installer/deb/build_deb.py --bundle dist/agent-desktop --out dist [--version V]``

The package installs the bundle under ``/opt/agent-workstation``, ``/usr/bin/agent-desktop`` (a
symlink: the bootloader finds its ``_internal`` through ``/proc/self/exe``), a desktop entry, the
icon, a man page and the machine configuration ``/etc/agent-workstation/config.toml`` (a
conffile: dpkg keeps IT's edits on upgrade and asks nothing; ``apt purge`` removes it).

``Depends`` is computed, not curated: every shared library an ELF file of the bundle needs
(``DT_NEEDED``) that the bundle does not carry is looked up with ``dpkg -S`` and its package
named. A library no installed package provides is printed (it belongs to an optional Qt plugin,
e.g. a Vulkan or EGL device integration, that this build machine cannot load either).
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PACKAGE = "agent-workstation"
PREFIX = Path("opt") / PACKAGE
ELF_MAGIC = b"\x7fELF"
# The C library and the dynamic loader are in every Debian system (libc6 is Essential).
ALWAYS_THERE = re.compile(
    r"^(ld-linux.*|libc\.so\..*|libm\.so\..*|libdl\.so\..*|"
    r"libpthread\.so\..*|librt\.so\..*|libutil\.so\..*)$"
)

MACHINE_CONFIG = """\
# Agent Workstation: the machine-wide configuration (IT). Layers, later wins: built-in
# defaults < this file < the user's ~/.config/agent-workstation/config.toml < the command line.
# dpkg keeps your edits across upgrades (a conffile); `apt purge agent-workstation` removes it.
# Every key is described in /usr/share/doc/agent-workstation/README.md.
#
# [server]
# url = "https://cc.example.com"
# verify_tls = true
# ca_file = ""
#
# [ui]
# language = "auto"          # auto, en, zh_CN
#
# [logging]
# level = "info"             # debug, info, warning, error
"""

POSTRM = """\
#!/bin/sh
# purge: the machine configuration directory, once dpkg has removed its conffiles.
# Users' profiles (~/.local/state/agent-workstation) are theirs: never touched.
set -e
if [ "$1" = purge ]; then
    rmdir /etc/agent-workstation 2>/dev/null || true
fi
exit 0
"""


@dataclass(frozen=True, slots=True)
class Dependencies:
    packages: list[str]  # Debian packages providing what the bundle leaves out
    unresolved: list[str]  # sonames no installed package provides


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def is_elf(path: Path) -> bool:
    if not path.is_file() or path.is_symlink():
        return False
    with path.open("rb") as file:
        return file.read(4) == ELF_MAGIC


def needed_of(path: Path) -> list[str]:
    out = subprocess.run(
        ["readelf", "-d", str(path)], capture_output=True, text=True, check=False
    ).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def missing_sonames(bundle: Path) -> set[str]:
    """The sonames some ELF file of the bundle needs and the bundle does not carry."""
    carried = {p.name for p in bundle.rglob("*") if p.is_file()}
    needed: set[str] = set()
    for path in bundle.rglob("*"):
        if is_elf(path):
            needed.update(needed_of(path))
    return {name for name in needed - carried if not ALWAYS_THERE.match(name)}


def packages_of(sonames: set[str]) -> Dependencies:
    if not sonames:
        return Dependencies([], [])
    result = subprocess.run(
        ["dpkg", "-S", *(f"*/{name}" for name in sorted(sonames))],
        capture_output=True,
        text=True,
        check=False,
    )
    packages: set[str] = set()
    found: set[str] = set()
    for line in result.stdout.splitlines():
        owners, _, path = line.partition(": ")
        name = Path(path).name
        if name not in sonames or "-dev" in owners or "/usr/share/" in path:
            continue
        found.add(name)
        for owner in owners.split(", "):
            packages.add(owner.split(":")[0])  # "libfoo1:amd64" -> "libfoo1"
    return Dependencies(sorted(packages), sorted(sonames - found))


def control(version: str, depends: list[str], size_kb: int) -> str:
    return f"""\
Package: {PACKAGE}
Version: {version}
Architecture: amd64
Maintainer: Agent Workstation maintainers <it@agent-workstation.invalid>
Installed-Size: {size_kb}
Depends: {", ".join(depends)}
Section: net
Priority: optional
Homepage: https://agent-workstation.invalid/
Description: contact-centre agent workstation (softphone, screen pop, tickets)
 The agent's desk: a SIP softphone, screen pop and the customer 360, service
 requests with SLA clocks, a knowledge base and a supervisor mode, in Chinese
 and English. Works on through network outages from a local cache.
 .
 This package carries its own Python and Qt under /opt/agent-workstation.
"""


def stage(bundle: Path, root: Path, version: str, depends: list[str]) -> None:
    shutil.copytree(bundle, root / PREFIX, symlinks=True)
    usr_bin = root / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    (usr_bin / "agent-desktop").symlink_to(Path("/") / PREFIX / "agent-desktop")
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy(HERE / "agent-desktop.desktop", share / "applications" / "agent-desktop.desktop")
    icons = share / "icons" / "hicolor" / "scalable" / "apps"
    icons.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "icons" / "agent-workstation.svg", icons)
    man = share / "man" / "man1"
    man.mkdir(parents=True)
    with gzip.GzipFile(man / "agent-desktop.1.gz", "wb", mtime=0) as out:
        out.write((HERE / "agent-desktop.1").read_bytes())
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    shutil.copy(ROOT / "installer" / "README.md", doc / "README.md")
    (doc / "copyright").write_text(
        "Agent Workstation\nLicense: GPL-2.0-or-later (it links pjproject, GPLv2)\n"
        "On Debian systems the GPL is in /usr/share/common-licenses/GPL-2.\n",
        encoding="utf-8",
    )
    etc = root / "etc" / PACKAGE
    etc.mkdir(parents=True)
    (etc / "config.toml").write_text(MACHINE_CONFIG, encoding="utf-8")
    debian = root / "DEBIAN"
    debian.mkdir()
    size_kb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) // 1024
    (debian / "control").write_text(control(version, depends, size_kb), encoding="utf-8")
    (debian / "conffiles").write_text(f"/etc/{PACKAGE}/config.toml\n", encoding="utf-8")
    postrm = debian / "postrm"
    postrm.write_text(POSTRM, encoding="utf-8")
    postrm.chmod(0o755)


def build(bundle: Path, out: Path, version: str, *, compress: bool = True) -> Path:
    found = packages_of(missing_sonames(bundle))
    for name in found.unresolved:
        print(f"build_deb: no installed package provides {name} (optional plugin)")  # noqa: T201
    work = out / f"deb-root-{version}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    stage(bundle, work, version, found.packages)
    deb = out / f"{PACKAGE}_{version}_amd64.deb"
    subprocess.run(
        [
            "dpkg-deb",
            "--root-owner-group",
            *(["-Zxz", "-z1"] if compress else ["-Znone"]),
            "--build",
            str(work),
            str(deb),
        ],
        check=True,
    )
    shutil.rmtree(work)
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_deb.py")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "agent-desktop")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--version", default="", help="default: the project's version")
    parser.add_argument(
        "--uncompressed", action="store_true", help="quick to build (the tests' older version)"
    )
    args = parser.parse_args(argv)
    version = args.version or project_version()
    deb = build(args.bundle, args.out, version, compress=not args.uncompressed)
    print(deb)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
