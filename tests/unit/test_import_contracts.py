"""The arrows are enforced: each import-linter contract fails when its rule is broken.

A copy of the packages gets one forbidden import per contract; ``lint-imports`` must name that
contract as broken (and passes on the untouched copy).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("agent_desktop", "softphone", "sync", "server_stub")
LINT = Path(sys.executable).with_name("lint-imports")

# contract name -> (module file, the forbidden import it gets)
BREAKS = {
    "sync/ has no Qt and no pjsua2": ("sync/contract/rules.py", "import PySide6.QtCore"),
    "server_stub never imports the desktop or the phone": (
        "server_stub/seed.py",
        "import agent_desktop.config",
    ),
    "softphone knows nothing of agents, tickets or HTTP": (
        "softphone/events.py",
        "import requests",
    ),
    "arrows point down: desktop and server above softphone and sync": (
        "softphone/events.py",
        "import agent_desktop.config",
    ),
    "widgets reach the world only through services": (
        "agent_desktop/ui/fields.py",
        "import sync.client",
    ),
    "only softphone touches pjsua2": ("agent_desktop/services/ringer.py", "import pjsua2"),
    "server_stub uses only the contract half of sync": (
        "server_stub/seed.py",
        "import sync.cache",
    ),
    "the contract stands alone: sync.contract imports nothing of the desk half": (
        "sync/contract/wire.py",
        "import sync.routes",
    ),
}
# Shared by both halves and not part of the contract: the injected clock, and the KB's search
# engine (the customer portal's FAQ, issue 22) but for its desk-cache adapter.
SHARED = {"sync", "sync.clock", "sync.kb"}
DESK_PARTS_OF_SHARED = {"sync.kb.store"}


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("contracts")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_copy_keeps_every_contract(clean_copy: Path) -> None:
    done = lint(clean_copy)
    assert done.returncode == 0, done.stdout[-3000:]
    for contract in BREAKS:
        assert f"{contract} KEPT" in done.stdout


@pytest.mark.parametrize("contract", list(BREAKS))
def test_breaking_a_rule_breaks_its_contract(
    clean_copy: Path, tmp_path: Path, contract: str
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(clean_copy, tree)
    module, line = BREAKS[contract]
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # broken on purpose\n")
    done = lint(tree)
    assert done.returncode != 0
    assert f"{contract} BROKEN" in done.stdout, done.stdout[-3000:]


def test_the_server_is_kept_from_every_module_of_the_desk_half() -> None:
    """A new module in sync/ is either in the contract or forbidden to the server."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}
    forbidden = set(
        contracts["server_stub uses only the contract half of sync"]["forbidden_modules"]
    )
    desk_half = set(
        contracts["the contract stands alone: sync.contract imports nothing of the desk half"][
            "forbidden_modules"
        ]
    )
    top_level = {
        "sync." + (path.stem if path.is_file() else path.name)
        for path in (ROOT / "sync").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    outside = top_level - {"sync.contract"} - SHARED
    assert outside == forbidden - DESK_PARTS_OF_SHARED, (
        "forbid the new module to server_stub or move it into contract"
    )
    assert forbidden - DESK_PARTS_OF_SHARED <= desk_half
