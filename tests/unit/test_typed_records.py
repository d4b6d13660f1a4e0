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
    "tour.py": (1, "the tour's own HTTP call for a monitor grant, read by the tour script"),
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

NOT_YET_TYPED: dict[str, tuple[int, str]] = {
    "services/work.py": (5, "create/save/save_together take payloads; TicketDetail is Json"),
    "services/monitoring.py": (7, "monitor call bodies and answers (MonitorRequest…)"),
    "services/agent_state.py": (1, "the call's interaction record (InteractionIn)"),
    "services/kb.py": (2, "question and answer bodies (QuestionIn, QuestionAnswer)"),
    "services/wallboard.py": (2, "a ticket move (TicketPatch) and a raw GET"),
    "ui/dialogs/ticket_form.py": (10, "TicketDetail's Json; values() (TicketIn/TicketPatch)"),
    "ui/dialogs/dispatch_form.py": (11, "dispatch and contact Json; data() (DispatchIn)"),
    "ui/dialogs/visit_report_dialog.py": (8, "dispatch Json; changes() (DispatchPatch)"),
    "ui/panels/callbacks_panel.py": (10, "task, campaign, ticket Json; changes() (TaskPatch)"),
    "ui/panels/dispatch_panel.py": (2, "WorkViews.dispatch answers Json"),
}


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


def test_the_customer_360_and_its_edit_are_typed() -> None:
    """What issue 15 has typed so far stays typed (no allowance may bring them back)."""
    for name in (
        "services/screen_pop.py",
        "ui/panels/customer_panel.py",
        "ui/panels/profile_editor.py",
        "ui/work_desk.py",
        "ui/main_window.py",
    ):
        assert name not in NOT_RECORDS
        assert name not in NOT_YET_TYPED
        text = (DESK / name).read_text(encoding="utf-8")
        assert not UNTYPED.search(text), name
