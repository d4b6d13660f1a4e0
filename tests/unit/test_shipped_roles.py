"""The migrations spell the shipped roles out (a revision does not import the code): 0007
seeds them and later revisions grant what their features need (0008: ``sla.manage`` to
admin). A new centre's database, migrated to the head, must hold the code's sets."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from sqlalchemy import create_engine, text

from server_stub.core import schema
from sync.contract.rules import SHIPPED_ROLES


def test_a_migrated_database_holds_the_shipped_roles_as_the_rules_name_them(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    try:
        schema.migrate(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT name, kind, scope, permissions FROM roles")).all()
    finally:
        engine.dispose()
    # (The JSON column comes back as text on SQLite.)
    stored = {
        name: (kind, scope, frozenset(json.loads(p) if isinstance(p, str) else p))
        for name, kind, scope, p in rows
    }
    shipped = {r.name: (r.kind.value, r.scope.value, r.permissions) for r in SHIPPED_ROLES}
    assert stored == shipped


def test_0007_spells_out_the_roles_of_its_day() -> None:
    """0007's own list stays what it seeded (a later grant is a later revision's)."""
    migration = importlib.import_module("server_stub.migrations.versions.0007_roles")
    seeded = {name for name, _kind, _scope, _p in migration.SHIPPED}
    later = {"qa"}  # 0014_quality's
    assert seeded == {r.name for r in SHIPPED_ROLES} - later
