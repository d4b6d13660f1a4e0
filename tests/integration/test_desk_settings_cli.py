"""``agent-server desk-settings export|import FILE``: IT scripts the centre's policy as JSON or
TOML; an import is checked by the same rules as an admin's change, refused with each problem
named, refused when the settings changed since the file was exported (unless forced), and
heard by every desk (the same event). SQLite and PostgreSQL."""

from __future__ import annotations

import json
import tomllib
from io import StringIO
from pathlib import Path

import pytest
from sqlalchemy import select

from server_stub.__main__ import main
from server_stub.core.db import Database
from server_stub.core.schema import migrate
from server_stub.desk_settings_cli import run
from server_stub.models import AuditRow, EventRow
from sync.contract.desk import DEFAULT_DESK_SETTINGS


@pytest.fixture
def database(database_url: str) -> Database:
    db = Database(database_url)
    migrate(db.engine)
    db.dispose()
    return db


def cli(database_url: str, *args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = run([*args, "--database-url", database_url], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_export_edit_import(
    database_url: str, database: Database, tmp_path: Path, suffix: str
) -> None:
    exported = tmp_path / f"policy{suffix}"
    assert cli(database_url, "export", str(exported))[0] == 0
    raw = exported.read_text(encoding="utf-8")
    data = tomllib.loads(raw) if suffix == ".toml" else json.loads(raw)
    # The document only: queues and team policies are rows of their own (contract 1.6).
    document = DEFAULT_DESK_SETTINGS.model_dump(mode="json", exclude={"queues", "team_policies"})
    assert data == {**document, "version": 1}
    if suffix == ".toml":
        assert 'code = "break"\nen = "Break"\nzh = "休息"' in raw  # readable, not escaped
        edited = raw.replace('"VIP hotline" = 60', '"VIP hotline" = 45')
        edited += '\n[[not_ready_reasons]]\ncode = "coaching"\nen = "Coaching"\nzh = "辅导"\n'
    else:
        data["wrap_up_s"]["VIP hotline"] = 45
        data["not_ready_reasons"].append({"code": "coaching", "en": "Coaching", "zh": "辅导"})
        edited = json.dumps(data, ensure_ascii=False)
    exported.write_text(edited, encoding="utf-8")

    code, out, err = cli(database_url, "import", str(exported))
    assert (code, err) == (0, "")
    assert "version 2 stored" in out
    again = tmp_path / "again.json"
    cli(database_url, "export", str(again))
    stored = json.loads(again.read_text(encoding="utf-8"))
    assert stored["version"] == 2
    assert stored["wrap_up_s"]["VIP hotline"] == 45
    assert stored["not_ready_reasons"][-1]["code"] == "coaching"
    with database.session() as session:
        events = session.scalars(
            select(EventRow.data).where(EventRow.kind == "desk_settings.changed")
        )
        assert list(events) == [{"version": 2}]
        audited = session.scalars(select(AuditRow).where(AuditRow.target == "desk_settings")).all()
        assert [(a.action, a.user_id, a.detail) for a in audited] == [
            ("cli desk-settings import", None, "version 1 -> 2")
        ]

    # The file still says version 1: importing it again would undo whatever changed since.
    code, _out, err = cli(database_url, "import", str(exported))
    assert code == 3
    assert "changed by someone else (now version 2)" in err
    assert "--force" in err
    assert cli(database_url, "import", str(exported), "--force")[0] == 0


def test_an_import_breaking_the_rules_names_each_problem(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    data = DEFAULT_DESK_SETTINGS.model_dump(mode="json")
    data["not_ready_reasons"] = [r for r in data["not_ready_reasons"] if r["code"] != "signed_in"]
    data["ring_no_answer_s"] = 1
    data["dispositions"].append(dict(data["dispositions"][0]))
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = cli(database_url, "import", str(policy))
    assert (code, out) == (2, "")
    assert "not_ready_reasons: the reason 'signed_in' is set by the desk itself" in err
    assert "dispositions.8.code: the code 'resolved' is listed twice" in err
    assert "ring_no_answer_s: the ring-no-answer time must be from 5 to 300 seconds, not 1" in err
    # Not even JSON, or not the settings' shape: said so, nothing stored.
    policy.write_text("{", encoding="utf-8")
    assert cli(database_url, "import", str(policy))[0] == 2
    policy.write_text(json.dumps({**data, "wrap_up": 3}), encoding="utf-8")
    code, _out, err = cli(database_url, "import", str(policy))
    assert code == 2
    assert "wrap_up: Extra inputs are not permitted" in err
    control = {**DEFAULT_DESK_SETTINGS.model_dump(mode="json"), "default_wrap_up_s": 20}
    control["dispositions"][0]["en"] = "Re\x00solved"
    policy.write_text(json.dumps(control), encoding="utf-8")
    code, _out, err = cli(database_url, "import", str(policy))
    assert code == 2
    assert "control character U+0000" in err
    exported = tmp_path / "now.json"
    cli(database_url, "export", str(exported))
    assert json.loads(exported.read_text(encoding="utf-8"))["version"] == 1


def test_agent_server_takes_the_subcommand(tmp_path: Path) -> None:
    database = tmp_path / "centre.sqlite"
    exported = tmp_path / "policy.json"
    assert main(["desk-settings", "export", str(exported), "--database", str(database)]) == 0
    assert json.loads(exported.read_text(encoding="utf-8"))["default_wrap_up_s"] == 30
