"""Where a benchmark's figures go: a README table and ``bench/results/<name>.json``.

Each figure stands beside its floor (the bare thing measured in the same run) so a later run
on another machine compares ratios, not milliseconds. The JSON keeps the machine, the command
and the time of the run, so ``git log -p bench/results/`` shows how a figure moved.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sync.clock import system_clock

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure; ``floor`` is the same thing done bare, in the same run."""

    what: str
    value: float
    unit: str  # "ms", "s", "MB", "/s", …
    floor: float | None = None
    floor_what: str = ""
    aim: str = ""  # the target, as the issue states it ("≤ 50 ms", "≥ 10× floor")
    detail: dict[str, float] = field(default_factory=dict)  # p50/p95/max and the like

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor == 0:
            return None
        return self.value / self.floor


def _cell(value: float, unit: str) -> str:
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def table(figures: Sequence[Figure]) -> str:
    """The README's table: figure, floor, ratio, aim."""
    lines = ["| what | figure | floor | ratio | aim |", "| --- | --- | --- | --- | --- |"]
    for f in figures:
        floor = f"{_cell(f.floor, f.unit)} ({f.floor_what})" if f.floor is not None else ""
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else ""
        lines.append(f"| {f.what} | {_cell(f.value, f.unit)} | {floor} | {ratio} | {f.aim} |")
    return "\n".join(lines)


def record(name: str, figures: Sequence[Figure], parameters: dict[str, object]) -> Path:
    """Print the table and write ``bench/results/<name>.json``; returns the file written."""
    print(table(figures))
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    document = {
        "bench": name,
        "when": system_clock().now().isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "parameters": parameters,
        "machine": {
            "python": platform.python_version(),
            "system": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "figures": [{**asdict(f), "ratio": f.ratio} for f in figures],
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
