"""Typed records above the sync boundary: services and widgets get model objects (the wire's
``…Out`` models read by ``sync.shown``, or the views' dataclasses), and forms build typed
requests; the ``Json`` alias and ``dict[str, Any]`` stop at ``sync/``.

The guard counts, per module of ``agent_desktop/``, the places that name ``Json`` or annotate
with ``dict[str, Any]``. A module not listed below must have none. A listed one has exactly its
count: adding one fails, and so does removing one without lowering the count (so the list
only shrinks). ``NOT_RECORDS`` holds what is genuinely not a record; ``NOT_YET_TYPED`` is the
rest of issue 15's work, to be emptied, never added to.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DESK = ROOT / "agent_desktop"
UNTYPED = re.compile(r"\bJson\b|dict\[str, Any\]")

NOT_RECORDS: dict[str, tuple[int, str]] = {
    "config.py": (4, "settings layers (TOML and environment), not records: out of scope"),
    "diagnostics_bundle.py": (
        4,
        "the diagnostics zip's JSON members (config rows with their sources, cache checks, the "
        "desk's state for IT), written once to a file, not records",
    ),
    "services/sync_service.py": (
        5,
        "the sync boundary: create/save/resolve/resend pass the outbox's payload to the cache "
        "for any entity; typed callers use save_edit",
    ),
    "ui/dialogs/conflict_dialog.py": (
        2,
        "the fields the agent picked in a conflict, of whatever entity conflicts: the cache's "
        "three-way merge takes field -> value",
    ),
    "ui/dialogs/unsent_dialog.py": (
        2,
        "the payload of a refused write of any kind, edited as the outbox holds it",
    ),
    "ui/fields.py": (1, "record_title: a title for a conflict or refused write of any entity"),
}

# Issue 15's remainder, emptied: the ticket, dispatch, visit-report and callback forms, the
# work views and the work, monitoring, call-record, knowledge and wallboard services are typed.
NOT_YET_TYPED: dict[str, tuple[int, str]] = {}


def untyped_places() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted(DESK.rglob("*.py")):
        count = len(UNTYPED.findall(path.read_text(encoding="utf-8")))
        if count:
            found[path.relative_to(DESK).as_posix()] = count
    return found


def test_no_module_above_sync_handles_records_as_json_beyond_its_allowance() -> None:
    allowed = {name: count for name, (count, _why) in {**NOT_RECORDS, **NOT_YET_TYPED}.items()}
    found = untyped_places()
    new = {name: n for name, n in found.items() if n > allowed.get(name, 0)}
    assert not new, (
        f"Json or dict[str, Any] above the sync boundary in {new}: hand the UI typed records "
        "(sync.shown, the views' dataclasses) and build typed requests (sync.contract.wire)"
    )
    fewer = {name: (n, found.get(name, 0)) for name, n in allowed.items() if found.get(name, 0) < n}
    assert not fewer, f"fewer untyped places than allowed (allowed, found): lower {fewer}"


def test_every_allowance_says_why() -> None:
    for name, (_count, why) in {**NOT_RECORDS, **NOT_YET_TYPED}.items():
        assert (DESK / name).is_file(), name
        assert len(why) > 20, name


TYPED = (
    "services/screen_pop.py",
    "ui/panels/customer_panel.py",
    "ui/panels/profile_editor.py",
    "ui/work_desk.py",
    "ui/main_window.py",
    "services/work.py",
    "services/monitoring.py",
    "services/agent_state.py",
    "services/kb.py",
    "services/wallboard.py",
    "ui/dialogs/ticket_form.py",
    "ui/dialogs/dispatch_form.py",
    "ui/dialogs/visit_report_dialog.py",
    "ui/panels/callbacks_panel.py",
    "ui/panels/dispatch_panel.py",
)


def test_the_records_and_forms_typed_by_issue_15_stay_typed() -> None:
    """What issue 15 has typed stays typed (no allowance may bring them back)."""
    for name in TYPED:
        assert name not in NOT_RECORDS
        assert name not in NOT_YET_TYPED
        text = (DESK / name).read_text(encoding="utf-8")
        assert not UNTYPED.search(text), name


# An HTTP method as a string, or a literal path of one of the backend's routes.
_URLISH = re.compile(
    r"""["'](GET|POST|PUT|PATCH|DELETE)["']|f?["']/(api|auth|batch|changes|events|snapshot"""
    r"""|customers|assets|interactions|tickets|dispatches|tasks|kb|presence|team-messages"""
    r"""|wallboard|monitor|users|teams|skills|desk-settings|queues)\b"""
)


def test_only_the_desk_half_of_sync_knows_urls() -> None:
    """Services ask ``sync.client.ApiClient`` by name (``wallboard_today``, ``kb_counts``,
    ``start_monitor``…) or queue an operation; no route is spelled above ``sync``."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "agent_desktop").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _URLISH.search(line)
    ]
    assert found == []
