"""``agent-server desk-settings export|import FILE``: a centre's desk settings as a file, so IT
can keep its policy in version control and script it. JSON, or TOML for a name ending in
``.toml``. An import is checked by the same rules as an admin's change on the desk
(``sync.contract.desk.settings_problems``), reaches every signed-in desk (the same event) and
is audited."""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from server_stub import desk_settings as stored
from server_stub.cli_options import add_database_options
from server_stub.clock import system_clock
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import SchemaError, prepare
from sync.contract.wire import DeskSettings, DeskSettingsIn

COMMAND = "desk-settings"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"agent-server {COMMAND}",
        description="Export or import the centre's desk settings (Not Ready reasons, "
        "dispositions, wrap-up time per queue, ring-no-answer time, ticket categories).",
    )
    parser.add_argument("action", choices=["export", "import"])
    parser.add_argument("file", type=Path, help="a .json or .toml file")
    add_database_options(parser)
    parser.add_argument(
        "--force",
        action="store_true",
        help="import even if the settings were changed since the file's version was exported",
    )
    return parser


def to_toml(settings: DeskSettings) -> str:
    """The settings as TOML (the document is flat: numbers, a table of numbers, arrays of
    tables of strings). JSON string escapes are valid TOML basic strings."""

    def text(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = [
        f"version = {settings.version}",
        f"default_wrap_up_s = {settings.default_wrap_up_s}",
        f"ring_no_answer_s = {settings.ring_no_answer_s}",
        "",
        "[wrap_up_s]  # per queue; default_wrap_up_s for the others",
    ]
    lines += [f"{text(queue)} = {seconds}" for queue, seconds in settings.wrap_up_s.items()]
    lines += ["", "[required_checks]  # identity checks an action needs first (verify-on-file)"]
    lines += [
        f"{text(action)} = [{', '.join(text(check) for check in checks)}]"
        for action, checks in settings.required_checks.items()
    ]
    for section in ("not_ready_reasons", "dispositions", "ticket_categories"):
        for code in getattr(settings, section):
            lines += ["", f"[[{section}]]", f"code = {text(code.code)}"]
            lines += [f"en = {text(code.en)}", f"zh = {text(code.zh)}"]
    return "\n".join(lines) + "\n"


def read_file(path: Path) -> dict[str, Any]:
    raw = path.read_text(encoding="utf-8")
    data = tomllib.loads(raw) if path.suffix.lower() == ".toml" else json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("expected a table of settings at the top")
    return data


def run(argv: list[str], out: Any = sys.stdout, err: Any = sys.stderr) -> int:
    args = build_parser().parse_args(argv)
    url = args.database_url or ServerSettings.sqlite_file(args.database)
    database = Database(url)
    try:
        prepare(database.engine)
    except SchemaError as exc:
        print(f"agent-server: {exc}", file=err)
        return 2
    try:
        if args.action == "export":
            with database.session() as session:
                settings = stored.current(session)
            toml = args.file.suffix.lower() == ".toml"
            # The document only: queues and team policies are rows (contract 1.6).
            document = settings.model_dump_json(indent=2, exclude={"queues", "team_policies"})
            text = to_toml(settings) if toml else document + "\n"
            args.file.write_text(text, encoding="utf-8")
            print(f"desk settings version {settings.version} written to {args.file}", file=out)
            return 0
        return _import(database, args.file, force=args.force, out=out, err=err)
    finally:
        database.dispose()


def _import(database: Database, path: Path, *, force: bool, out: Any, err: Any) -> int:
    try:
        data = read_file(path)
        exported_at = data.get("version")
        sent = DeskSettingsIn.model_validate({**data, "version": 0})
    except (OSError, ValueError, tomllib.TOMLDecodeError) as exc:  # ValidationError too
        detail = _validation_text(exc) if isinstance(exc, ValidationError) else str(exc)
        print(f"agent-server: {path}: {detail}", file=err)
        return 2
    base = exported_at if isinstance(exported_at, int) and exported_at > 0 and not force else None
    now = system_clock().now()
    with database.session() as session:
        try:
            settings = stored.replace(
                session,
                sent.settings(version=0),
                base_version=base,
                user_id=None,
                now=now,
                audited_as=f"cli {COMMAND} import",
            )
        except stored.SettingsRefusedError as exc:
            for problem in exc.problems:
                print(f"agent-server: {path}: {problem.field}: {problem.message}", file=err)
            return 2
        except stored.StaleSettingsError as exc:
            print(f"agent-server: {path}: {exc} (or import with --force)", file=err)
            return 3
        session.commit()
    print(f"desk settings version {settings.version} stored from {path}", file=out)
    return 0


def _validation_text(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
    )
