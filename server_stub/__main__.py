"""``agent-server``: run the backend (and seed it)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import uvicorn

from server_stub import __version__
from server_stub.core.config import DEFAULT_PORT, ServerSettings
from server_stub.core.db import Database
from server_stub.main import create_app
from server_stub.models import Base
from server_stub.seed import seed_demo


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agent-server",
        description="Agent Workstation backend: REST API for the agent desktops.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="TCP port (default %(default)s)"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--database",
        type=Path,
        default=Path("agent-server.sqlite"),
        help="SQLite file to use (default %(default)s)",
    )
    where.add_argument("--database-url", help="SQLAlchemy URL, e.g. postgresql+psycopg://…")
    parser.add_argument(
        "--seed", choices=["demo"], help="write seed data into an empty database, then serve"
    )
    parser.add_argument("--seed-only", action="store_true", help="seed, then exit")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    url = args.database_url or ServerSettings.sqlite_file(args.database)
    settings = ServerSettings(database_url=url)
    database = Database(url)
    Base.metadata.create_all(database.engine)
    if args.seed == "demo":
        with database.session() as session:
            wrote = seed_demo(session)
        logging.getLogger("server_stub").info(
            "demo seed %s", "written" if wrote else "skipped: the database already has users"
        )
    if args.seed_only:
        return 0
    app = create_app(settings, database)
    print(f"Agent Workstation backend listening on http://{args.host}:{args.port}", flush=True)  # noqa: T201
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    sys.exit(main())
