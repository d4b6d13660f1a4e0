"""Migration 0007 spells the shipped roles out (a revision does not import the code): they
must be the code's sets when it was written, or a new centre's roles differ from the rules."""

from __future__ import annotations

import importlib

from sync.contract.rules import SHIPPED_ROLES


def test_the_migration_seeds_the_shipped_roles_as_the_rules_name_them() -> None:
    migration = importlib.import_module("server_stub.migrations.versions.0007_roles")
    seeded = {name: (kind, scope, frozenset(p)) for name, kind, scope, p in migration.SHIPPED}
    shipped = {r.name: (r.kind.value, r.scope.value, r.permissions) for r in SHIPPED_ROLES}
    assert seeded == shipped
