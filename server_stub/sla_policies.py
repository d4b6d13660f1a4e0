"""The centre's SLA policies and escalation chains as stored (``sync.contract.sla``): read (the
server's defaults until an admin changes them) and replaced as a whole, with a version so two
admins never overwrite each other silently; every desk hears of a change (an event) and the
change is audited by the route's write."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from server_stub.documents import FIRST_VERSION, ROW_ID, locked_row
from server_stub.feed import raise_event
from server_stub.models import SlaPoliciesRow
from sync.contract.events import SlaPoliciesChangedData
from sync.contract.sla import SlaPolicies, policy_problems


class PoliciesRefusedError(Exception):
    """The document breaks a rule: (field, why) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {why}" for f, why in problems))
        self.problems = problems


class StalePoliciesError(Exception):
    """Changed since the version the writer read; ``current`` is what is stored now."""

    def __init__(self, current: SlaPolicies) -> None:
        super().__init__(
            f"The SLA policies were changed by someone else (now version {current.version}); "
            "reload them and make your change again."
        )
        self.current = current


def _of(row: SlaPoliciesRow) -> SlaPolicies:
    return SlaPolicies.read({**row.data, "version": row.version})


def current(session: Session, defaults: SlaPolicies) -> SlaPolicies:
    row = session.get(SlaPoliciesRow, ROW_ID)
    if row is None:
        return defaults.model_copy(update={"version": FIRST_VERSION})
    return _of(row)


def _locked_row(session: Session, defaults: SlaPolicies, now: datetime) -> SlaPoliciesRow:
    return locked_row(
        session, SlaPoliciesRow, defaults.model_dump(mode="json", exclude={"version"}), now
    )


def replace(
    session: Session,
    policies: SlaPolicies,
    *,
    defaults: SlaPolicies,
    base_version: int,
    user_id: int | None,
    now: datetime,
) -> tuple[SlaPolicies, int]:
    """Store ``policies`` if the stored ones are still at ``base_version``; returns what is
    stored now and the version before. Flushed, not committed."""
    problems = policy_problems(policies)
    if problems:
        raise PoliciesRefusedError(problems)
    row = _locked_row(session, defaults, now)
    if row.version != base_version:
        raise StalePoliciesError(_of(row))
    before = row.version
    row.data = policies.model_dump(mode="json", exclude={"version"})
    row.updated_at, row.updated_by = now, user_id
    session.flush()  # the version goes up here (version_id_col)
    stored = _of(row)
    raise_event(session, SlaPoliciesChangedData(version=stored.version), now=now)
    return stored, before
