"""Command-line options the server's commands share (the service, desk-settings)."""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_DATABASE = Path("agent-server.sqlite")


def add_database_options(parser: argparse.ArgumentParser) -> None:
    """``--database FILE`` or ``--database-url URL``, one or the other."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--database",
        type=Path,
        default=DEFAULT_DATABASE,
        help="SQLite file to use (default %(default)s)",
    )
    where.add_argument("--database-url", help="SQLAlchemy URL, e.g. postgresql+psycopg://…")
