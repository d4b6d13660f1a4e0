"""requirements.lock matches pyproject.toml: every dependency pinned (with hashes) at a version
its specifier allows, nothing pinned that nothing asks for. No network: 'make lock' refreshes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
VIA_ONE = re.compile(r"^\s+# via (.+)$")
VIA_MANY = re.compile(r"^\s+#   (.+)$")


class Pin:
    def __init__(self, version: str) -> None:
        self.version = Version(version)
        self.hashes = 0
        self.via: list[str] = []


def parse_lock(text: str) -> dict[NormalizedName, Pin]:
    pins: dict[NormalizedName, Pin] = {}
    current: Pin | None = None
    for line in text.splitlines():
        if match := PIN.match(line):
            current = pins[canonicalize_name(match[1])] = Pin(match[2])
        elif current is not None and "--hash=sha256:" in line:
            current.hashes += 1
        elif current is not None and (match := VIA_ONE.match(line) or VIA_MANY.match(line)):
            current.via.append(match[1])
    return pins


def wanted() -> tuple[list[Requirement], list[Requirement]]:
    """(what the project and its dev extra ask for, what building it asks for, plus pip)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    direct = [Requirement(r) for r in project["dependencies"]]
    direct += [Requirement(r) for r in project["optional-dependencies"]["dev"]]
    build = [Requirement(r) for r in pyproject["build-system"]["requires"]]
    return direct, [*build, Requirement("pip")]


def stale(pins: dict[NormalizedName, Pin], asked: list[Requirement]) -> str:
    """What is wrong with the lock, by package name; empty when nothing is."""
    asked_names = {canonicalize_name(r.name) for r in asked}
    missing = [r.name for r in asked if canonicalize_name(r.name) not in pins]
    wrong = [
        f"{r.name} {pins[name].version} (wants {r.specifier})"
        for r in asked
        if (name := canonicalize_name(r.name)) in pins
        and not r.specifier.contains(pins[name].version, prereleases=True)
    ]
    extra = []
    for name, pin in pins.items():
        if name in asked_names:
            continue
        parents = {canonicalize_name(v.split(" (")[0]) for v in pin.via if not v.startswith("-")}
        if not parents & (pins.keys() - {name}):
            extra.append(name)  # asked for by nothing, or only by the project that dropped it
    unhashed = [name for name, pin in pins.items() if pin.hashes == 0]
    problems = {"missing": missing, "wrong version": wrong, "extra": extra, "no hash": unhashed}
    return "; ".join(f"{what}: {', '.join(items)}" for what, items in problems.items() if items)


def test_the_lock_pins_what_pyproject_asks_for_and_nothing_else() -> None:
    pins = parse_lock((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    direct, build = wanted()
    problems = stale(pins, [*direct, *build])
    assert not problems, f"requirements.lock is stale ({problems}): run 'make lock'"


def test_the_check_names_a_dropped_a_new_and_a_moved_dependency() -> None:
    lock = parse_lock(
        "fastapi==0.1 \\\n    --hash=sha256:00\n    # via agent-workstation (pyproject.toml)\n"
        "starlette==0.2 \\\n    --hash=sha256:11\n    # via fastapi\n"
        "left-over==1.0 \\\n    --hash=sha256:22\n"
        "    # via\n    #   -c constraints.txt\n    #   agent-workstation (pyproject.toml)\n"
    )
    assert lock["starlette"].via == ["fastapi"]
    asked = [Requirement("fastapi>=0.2"), Requirement("uvicorn")]
    assert stale(lock, asked) == (
        "missing: uvicorn; wrong version: fastapi 0.1 (wants >=0.2); extra: left-over"
    )
