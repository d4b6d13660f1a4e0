"""The AppImage: its size, and its start to the sign-in dialog beside the bundle it carries.

Each run launches, alternating, a fresh desk (offscreen, a throw-away profile, no server
contacted) from the AppImage through FUSE, from the AppImage with
``--appimage-extract-and-run``, and from the bundle itself (``dist/agent-desktop``: the floor,
what the AppImage adds to), and times from just before the launch to the desk's own mark of
the first paint of the sign-in dialog (``AGENT_WORKSTATION_STARTUP_PROBE=1``), as
``bench_bundle`` does. The first launch of each warms the page cache and is not timed (a
process start, not a cold boot: the cache is the machine's, shared, and not dropped).

``--variants`` also builds the squashfs with other compressors and block sizes from the same
AppDir (``build/appimage/AppDir``, kept by ``make appimage``) and times the FUSE start of each:
the figures behind ``build_appimage.SQUASHFS_OPTIONS`` (``bench/results/appimage_variants.json``;
their floor is the bundle's median from the main rounds).

Usage: ``make appimage`` first, then ``python -m bench.bench_appimage --runs 10 [--variants]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from bench.bench_bundle import size_mb
from bench.bench_startup import desk_command, launch, median
from bench.results import Figure, record

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "agent-desktop"
APPDIR = ROOT / "build" / "appimage" / "AppDir"
RUNTIME = ROOT / "build" / "appimage" / "runtime"
COMMON = ("-noappend", "-all-root", "-no-xattrs", "-mkfs-time", "0", "-all-time", "0")
COMMON += ("-no-progress", "-quiet")


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    options: tuple[str, ...]


VARIANTS = (
    Variant("zstd -19, 1 MiB blocks", ("-comp", "zstd", "-Xcompression-level", "19", "-b", "1M")),
    Variant("zstd -15, 1 MiB blocks", ("-comp", "zstd", "-Xcompression-level", "15", "-b", "1M")),
    Variant("xz, 1 MiB blocks", ("-comp", "xz", "-b", "1M")),
    Variant("gzip, 128 KiB blocks (mksquashfs's default)", ("-comp", "gzip")),
)


def builder() -> ModuleType:
    """installer/appimage/build_appimage.py (a script, not a package)."""
    path = ROOT / "installer" / "appimage" / "build_appimage.py"
    spec = importlib.util.spec_from_file_location("build_appimage", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start_ms(command: list[str], runs: int, work: Path, env: dict[str, str]) -> list[float]:
    """``runs`` timed launches to the painted sign-in dialog (after one untimed)."""
    times: list[float] = []
    for run in range(runs + 1):
        profile = Path(tempfile.mkdtemp(dir=work, prefix="profile-"))
        mark = launch(desk_command(profile, "http://127.0.0.1:9", *command), "login-painted", env)
        if run:
            times.append(mark["login-painted"].at_ms)
    return times


def variant_figures(
    runs: int, work: Path, env: dict[str, str], floor_ms: float, bundle_mb: float
) -> list[Figure]:
    build = builder()
    figures: list[Figure] = []
    for variant in VARIANTS:
        squashfs = work / "variant.squashfs"
        squashfs.unlink(missing_ok=True)
        began = time.perf_counter()
        subprocess.run(
            ["mksquashfs", str(APPDIR), str(squashfs), *variant.options, *COMMON], check=True
        )
        build_s = time.perf_counter() - began
        image = work / "variant.AppImage"
        build.assemble(RUNTIME, squashfs, image)
        squashfs.unlink()
        times = start_ms([str(image)], runs, work, env)
        figures.append(
            Figure(
                f"{variant.name}: sign-in dialog painted (FUSE)",
                median(times),
                "ms",
                floor_ms,
                "the bundle from dist/",
                "",
                {"min": min(times), "max": max(times), "mksquashfs_s": round(build_s, 1)},
            )
        )
        figures.append(
            Figure(
                f"{variant.name}: AppImage size",
                size_mb(image),
                "MB",
                bundle_mb,
                "the bundle it carries",
                "",
                {"mksquashfs_s": round(build_s, 1)},
            )
        )
        image.unlink()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10, help="timed launches of each")
    parser.add_argument("--variants", action="store_true", help="compare compressions too")
    args = parser.parse_args()
    build = builder()
    image = ROOT / "dist" / build.image_name(build.project_version())
    if not image.exists() or not (BUNDLE / "agent-desktop").exists():
        raise SystemExit("no AppImage: run 'make appimage' first")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "AGENT_WORKSTATION_STARTUP_PROBE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    fuse: list[float] = []
    extracted: list[float] = []
    floor: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env["TMPDIR"] = tmp  # mount points and extracted copies: removed with it
        for _ in range(args.runs):  # alternating, one timed launch of each per round
            floor += start_ms([str(BUNDLE / "agent-desktop")], 1, work, env)
            fuse += start_ms([str(image)], 1, work, env)
            extracted += start_ms([str(image), "--appimage-extract-and-run"], 1, work, env)
        bundle_mb = size_mb(BUNDLE)
        figures = [
            Figure(
                "sign-in dialog painted, from launch (AppImage through FUSE)",
                median(fuse),
                "ms",
                median(floor),
                "the bundle it carries, from dist/",
                "",
                {"min": min(fuse), "max": max(fuse), "floor_min": min(floor)},
            ),
            Figure(
                "sign-in dialog painted, from launch (AppImage, --appimage-extract-and-run)",
                median(extracted),
                "ms",
                median(floor),
                "the bundle it carries, from dist/",
                "",
                {"min": min(extracted), "max": max(extracted)},
            ),
            Figure(
                f"AppImage ({image.name}, zstd -15, 128 KiB blocks)",
                size_mb(image),
                "MB",
                bundle_mb,
                "the bundle it carries",
                "",
            ),
            Figure("its runtime (static but for libc)", size_mb(RUNTIME), "MB"),
        ]
        record("appimage", figures, {"runs": args.runs})
        if args.variants:
            variants = variant_figures(args.runs, work, env, median(floor), bundle_mb)
            record("appimage_variants", variants, {"runs": args.runs})


if __name__ == "__main__":
    main()
