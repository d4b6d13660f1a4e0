"""The centre's desk settings as stored: read (the shipped defaults until an admin changes
them) and replaced as a whole, with a version so that two admins never overwrite each other
silently. The route (``api/routes/desk_settings.py``) and the command line
(``agent-server desk-settings``) both write through ``replace``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from server_stub.documents import FIRST_VERSION, ROW_ID, locked_row
from server_stub.feed import audit, raise_event
from server_stub.models import DeskSettingsRow
from sync.contract.desk import DEFAULT_DESK_SETTINGS, SettingsProblem, settings_problems
from sync.contract.events import DeskSettingsChangedData
from sync.contract.wire import DeskSettings


class SettingsRefusedError(Exception):
    """The settings break a rule (``problems``, each naming its field)."""

    def __init__(self, problems: list[SettingsProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


class StaleSettingsError(Exception):
    """The settings were changed since the version the writer read; ``current`` is what is
    stored now."""

    def __init__(self, current: DeskSettings) -> None:
        super().__init__(
            f"The desk settings were changed by someone else (now version {current.version}); "
            "reload them and make your change again."
        )
        self.current = current


def _of(row: DeskSettingsRow) -> DeskSettings:
    return DeskSettings.read({**row.data, "version": row.version})


def current(session: Session) -> DeskSettings:
    row = session.get(DeskSettingsRow, ROW_ID)
    if row is None:
        return DEFAULT_DESK_SETTINGS.model_copy(update={"version": FIRST_VERSION})
    return _of(row)


def _locked_row(session: Session, now: datetime) -> DeskSettingsRow:
    defaults = DEFAULT_DESK_SETTINGS.model_dump(mode="json", exclude={"version"})
    return locked_row(session, DeskSettingsRow, defaults, now)


def replace(
    session: Session,
    settings: DeskSettings,
    *,
    base_version: int | None,
    user_id: int | None,
    now: datetime,
    audited_as: str | None = None,
) -> DeskSettings:
    """Store ``settings`` (checked by ``settings_problems``) in place of the centre's, if the
    stored ones are still at ``base_version`` (None: whatever is stored, the command line's
    import); every desk hears of it (``desk_settings.changed``). ``audited_as``: the action
    to audit with the versions (a route's writes are audited by ``api.writes.write``).
    Flushed, not committed."""
    problems = settings_problems(settings)
    if problems:
        raise SettingsRefusedError(problems)
    row = _locked_row(session, now)
    if base_version is not None and row.version != base_version:
        raise StaleSettingsError(_of(row))
    before = row.version
    # Queues and team policies are rows of their own (contract 1.6), never the document's.
    row.data = settings.model_dump(mode="json", exclude={"version", "queues", "team_policies"})
    row.updated_at, row.updated_by = now, user_id
    session.flush()  # the version goes up here (version_id_col); a racing writer: StaleDataError
    stored = _of(row)
    raise_event(session, DeskSettingsChangedData(version=stored.version), now=now)
    if audited_as is not None:
        audit(
            session,
            user_id=user_id,
            action=audited_as,
            target="desk_settings",
            allowed=True,
            now=now,
            detail=f"version {before} -> {stored.version}",
        )
    return stored
