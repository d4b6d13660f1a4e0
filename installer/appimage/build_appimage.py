"""Build ``Agent_Workstation-<version>-x86_64.AppImage`` from the PyInstaller bundle.

``python installer/appimage/build_appimage.py --bundle dist/agent-desktop
--runtime build/appimage/runtime --out dist`` (``make appimage`` builds the runtime first).

1. An AppDir (``build/appimage/AppDir``): ``AppRun``, the desktop entry and the icon at the top
   (the AppImage specification's "exactly one .desktop file"), ``.DirIcon`` (a 256x256 PNG drawn
   from the SVG with Qt), the bundle under ``usr/lib/agent-workstation`` (hard links, not a
   420 MB copy), the entry, icon and AppStream metadata under ``usr/share``. The desktop entry
   and the metadata are validated with ``desktop-file-validate`` and ``appstreamcli validate``.
2. ``mksquashfs``: zstd level 15, 128 KiB blocks (see ``SQUASHFS_OPTIONS``), everything owned
   by root and stamped with time 0 so two builds of the same tree are the same bytes.
3. The runtime (``installer/appimage/runtime``) with the type-2 magic ``AI\\x02`` written at
   offset 8, then the squashfs: the runtime finds it at the end of its own ELF headers. The
   result is checked by running its ``--appimage-offset``.

Nothing is signed (``.sha256_sig`` stays empty): this machine holds no signing key that IT
could verify (installer/README.md).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
APP_ID = "invalid.agent_workstation.desk"  # AppStream id; the desktop entry is named after it
ICON = "agent-workstation"
MAGIC_OFFSET = 8
MAGIC = b"AI\x02"  # AppImage type 2
SQUASHFS_MAGIC = b"hsqs"
# zstd, level 15, squashfs's default 128 KiB blocks. Measured here (bench/bench_appimage.py
# --variants; installer/README.md): 1 MiB blocks were no smaller and the desk came up about 4x
# slower through FUSE (every small read decompresses a whole block); zstd -19 saved 11 MB
# for a build several times longer; xz is smallest and far slower to start; gzip is bigger.
SQUASHFS_OPTIONS = (
    "-comp", "zstd", "-Xcompression-level", "15",
    "-noappend", "-all-root", "-no-xattrs", "-mkfs-time", "0", "-all-time", "0",
    "-no-progress", "-quiet",
)  # fmt: skip


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def image_name(version: str) -> str:
    return f"Agent_Workstation-{version}-x86_64.AppImage"


def link_tree(source: Path, target: Path) -> None:
    """The bundle into the AppDir as hard links (same file system), else as copies."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, symlinks=True, copy_function=link)


def desktop_entry(version: str) -> str:
    """The .deb's entry (installer/deb), with the AppImage's version for integrators."""
    text = (ROOT / "installer" / "deb" / "agent-desktop.desktop").read_text(encoding="utf-8")
    return text.rstrip("\n") + f"\nX-AppImage-Version={version}\n"


def dir_icon(svg: Path, png: Path) -> None:
    """``.DirIcon``: the specification asks for a 256x256 PNG; drawn from the SVG by Qt."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt  # noqa: PLC0415 - Qt only when building
    from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: PLC0415
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415

    _app = QGuiApplication.instance() or QGuiApplication(["build_appimage"])
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    if not image.save(str(png), "PNG"):
        raise SystemExit(f"build_appimage: cannot write {png}")


def check_metadata(appdir: Path, version: str) -> None:
    metainfo = appdir / "usr" / "share" / "metainfo" / f"{APP_ID}.appdata.xml"
    if f'<release version="{version}"' not in metainfo.read_text(encoding="utf-8"):
        raise SystemExit(
            f'build_appimage: add a <release version="{version}" date=...> to '
            f"installer/appimage/{APP_ID}.metainfo.xml"
        )
    checks = (
        ("desktop-file-validate", str(appdir / f"{APP_ID}.desktop")),
        ("appstreamcli", "validate", "--no-net", "--pedantic", str(metainfo)),
    )
    for command in checks:
        if shutil.which(command[0]) is None:
            print(f"build_appimage: {command[0]} not installed; not validated")  # noqa: T201
            continue
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"build_appimage: {command[0]} failed:\n{result.stdout}")


def stage(bundle: Path, appdir: Path, version: str) -> None:
    if appdir.exists():
        shutil.rmtree(appdir)
    usr = appdir / "usr"
    link_tree(bundle, usr / "lib" / "agent-workstation")
    shutil.copy2(HERE / "AppRun", appdir / "AppRun")
    (appdir / "AppRun").chmod(0o755)
    entry = desktop_entry(version)
    applications = usr / "share" / "applications"
    for path in (appdir / f"{APP_ID}.desktop", applications / f"{APP_ID}.desktop"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(entry, encoding="utf-8")
    svg = ROOT / "resources" / "icons" / f"{ICON}.svg"
    icons = usr / "share" / "icons" / "hicolor" / "scalable" / "apps"
    icons.mkdir(parents=True)
    shutil.copy2(svg, icons / svg.name)
    shutil.copy2(svg, appdir / svg.name)
    dir_icon(svg, appdir / ".DirIcon")
    metainfo = usr / "share" / "metainfo"
    metainfo.mkdir(parents=True)
    # The specification names it $ID.appdata.xml; AppStream reads both names.
    shutil.copy2(HERE / f"{APP_ID}.metainfo.xml", metainfo / f"{APP_ID}.appdata.xml")
    check_metadata(appdir, version)


def squash(appdir: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    subprocess.run(["mksquashfs", str(appdir), str(target), *SQUASHFS_OPTIONS], check=True)


def with_magic(runtime: bytes) -> bytes:
    if runtime[:4] != b"\x7fELF":
        raise SystemExit("build_appimage: the runtime is not an ELF file")
    return runtime[:MAGIC_OFFSET] + MAGIC + runtime[MAGIC_OFFSET + len(MAGIC) :]


def assemble(runtime: Path, squashfs: Path, out: Path) -> None:
    """Runtime + squashfs, written beside the target and renamed when whole."""
    head = with_magic(runtime.read_bytes())
    partial = out.with_name(out.name + ".partial")
    with partial.open("wb") as file:
        file.write(head)
        with squashfs.open("rb") as source:
            shutil.copyfileobj(source, file, 1 << 20)
    partial.chmod(0o755)
    # The runtime must find the squashfs exactly where it was put.
    said = subprocess.run(
        [str(partial), "--appimage-offset"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if not re.fullmatch(r"\d+", said) or int(said) != len(head):
        partial.unlink()
        raise SystemExit(f"build_appimage: the runtime says offset {said!r}, not {len(head)}")
    partial.replace(out)


def build(bundle: Path, runtime: Path, out: Path, work: Path, version: str) -> Path:
    appdir = work / "AppDir"
    stage(bundle, appdir, version)
    squashfs = work / "AppDir.squashfs"
    squash(appdir, squashfs)
    out.mkdir(parents=True, exist_ok=True)
    image = out / image_name(version)
    assemble(runtime, squashfs, image)
    squashfs.unlink()
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_appimage.py")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "agent-desktop")
    parser.add_argument("--runtime", type=Path, default=ROOT / "build" / "appimage" / "runtime")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "appimage")
    parser.add_argument("--version", default="", help="default: the project's version")
    args = parser.parse_args(argv)
    image = build(args.bundle, args.runtime, args.out, args.work, args.version or project_version())
    print(f"{image} ({image.stat().st_size / 1e6:.1f} MB)")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
