"""A change-feed page is written from the records' JSON text as the database keeps it
(``routes.feed.page_json``): it must be, value for value, the page the wire models would
make of the same rows — tombstones, Chinese, quotes, backslashes, control characters, emoji,
large numbers, nesting — on SQLite and on PostgreSQL (whose JSONB gives its text back
normalised), and the desk's own validation must accept it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from server_stub.core.config import ServerSettings
from server_stub.models import ChangeRow
from sync.contract.wire import ChangeOut, ChangesPage
from tests.fakes.servers import LiveBackend
from tests.sync.conftest import login

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
ODD: list[dict[str, Any] | None] = [
    {"id": 900001, "name": "北京协和医院 设备科", "version": 1},
    {"id": 900002, "note": 'say "hi" \\ back\\slash / tab\there\nline', "version": 2},
    {"id": 900003, "ctl": "\x01\x1f\x7f", "emoji": "📞🏥", "version": 3},
    {"id": 900004, "big": 9_007_199_254_740_993, "neg": -1, "float": 0.1, "version": 4},
    {"id": 900005, "nested": {"list": [1, [2, {"k": None}]], "empty": {}}, "version": 5},
    None,  # a tombstone
]


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def test_a_page_is_the_models_page(
    request: pytest.FixtureRequest, tmp_path: Path, database: str
) -> None:
    if database == "sqlite":
        url = ServerSettings.sqlite_file(tmp_path / "server.sqlite")
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.create_database(f"page_{tmp_path.name[-20:]}".replace("-", "_"))
    live = LiveBackend(database_url=url)
    try:
        with live.database.session() as session:
            for n, data in enumerate(ODD):
                session.add(
                    ChangeRow(
                        entity="customer", entity_id=900001 + n, team_id=None, user_id=None,
                        op="delete" if data is None else "upsert", version=n + 1, data=data,
                        at=NOW,
                    )
                )  # fmt: skip
            session.commit()
        token = login(live.url, "admin")
        answer = requests.get(
            f"{live.url}/api/v1/changes",
            params={"after": 0, "limit": 1000, "count": "true"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/json"
        sent = answer.json()
        page = ChangesPage.model_validate(sent)  # what the desk does with it
        with live.database.session() as session:
            rows = session.scalars(
                select(ChangeRow).where(ChangeRow.seq <= page.cursor).order_by(ChangeRow.seq)
            ).all()
            made = ChangesPage(
                changes=[
                    ChangeOut(seq=r.seq, entity=r.entity, id=r.entity_id, op=r.op,  # type: ignore[arg-type]
                              version=r.version, data=r.data)
                    for r in rows
                ],
                cursor=page.cursor, has_more=page.has_more, remaining=page.remaining,
            )  # fmt: skip
        assert sent == json.loads(made.model_dump_json())
        assert [c.data for c in page.changes[-len(ODD) :]] == ODD
        assert page.remaining == 0
    finally:
        live.stop()
