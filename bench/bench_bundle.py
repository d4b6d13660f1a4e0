"""The frozen desk: its size, and its start to the sign-in dialog beside the venv's desk.

Each run launches a fresh process of each (offscreen, alternating, a throw-away profile, no
server contacted) and times from just before the launch to the desk's own mark of the first
paint of the sign-in dialog (``AGENT_WORKSTATION_STARTUP_PROBE=1``), as ``bench_startup``
does. The floor is the same desk run from the virtual environment (``python -m
agent_desktop``): the ratio says what freezing costs or saves. The first launch of each warms
the file cache and is not timed (a process start, not a cold boot: the page cache is the
machine's, shared with other jobs, and is not dropped). Sizes: the bundle directory, the
.deb, and the PySide6/shiboken6 the venv needs for the same desk.

Usage: ``make bundle deb`` first, then ``python -m bench.bench_bundle --runs 10``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from bench.bench_startup import desk_command, launch, median
from bench.results import Figure, record

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "agent-desktop"


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10, help="timed launches of each")
    args = parser.parse_args()
    executable = BUNDLE / "agent-desktop"
    if not executable.exists():
        raise SystemExit("no bundle: run 'make bundle' first")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "AGENT_WORKSTATION_STARTUP_PROBE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    frozen_ms: list[float] = []
    venv_ms: list[float] = []
    frozen_mb: list[float] = []
    venv_mb: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for run in range(args.runs + 1):
            nowhere = "http://127.0.0.1:9"  # the dialog needs no server
            frozen = launch(
                desk_command(work / f"frozen-{run}", nowhere, str(executable)),
                "login-painted",
                env,
            )["login-painted"]
            venv = launch(
                desk_command(work / f"venv-{run}", nowhere, sys.executable, "-m", "agent_desktop"),
                "login-painted",
                env,
            )["login-painted"]
            if run:
                frozen_ms.append(frozen.at_ms)
                venv_ms.append(venv.at_ms)
                frozen_mb.append(frozen.rss_mb)
                venv_mb.append(venv.rss_mb)
    import PySide6  # noqa: PLC0415 - only for its size
    import shiboken6  # noqa: PLC0415

    pyside = size_mb(Path(PySide6.__file__).parent) + size_mb(Path(shiboken6.__file__).parent)
    debs = sorted((ROOT / "dist").glob("agent-workstation_*_amd64.deb"))
    figures = [
        Figure(
            "sign-in dialog painted, from launch (frozen bundle)",
            median(frozen_ms),
            "ms",
            median(venv_ms),
            "the same desk from the venv",
            "≤ 1.2× floor",
            {"min": min(frozen_ms), "max": max(frozen_ms), "floor_min": min(venv_ms)},
        ),
        Figure(
            "RSS at the sign-in dialog (frozen bundle)",
            median(frozen_mb),
            "MB",
            median(venv_mb),
            "the same desk from the venv",
            "≤ 1.2× floor",
        ),
        Figure(
            "bundle on disk (dist/agent-desktop)",
            size_mb(BUNDLE),
            "MB",
            pyside,
            "PySide6 + shiboken6 in the venv",
            "",
        ),
    ]
    if debs:
        figures.append(
            Figure(
                f".deb ({debs[-1].name}, xz -1)",
                size_mb(debs[-1]),
                "MB",
                size_mb(BUNDLE),
                "the bundle it carries",
                "",
            )
        )
    record("bundle", figures, {"runs": args.runs})


if __name__ == "__main__":
    main()
