"""Desktops' sync against the real backend on loopback, through a proxy that can break."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.cache import LocalCache, open_cache
from sync.client import ApiClient
from sync.engine import Backoff, SyncEngine, SyncStatus
from tests.fakes.proxy import FaultProxy
from tests.fakes.servers import LiveBackend

DEMO_PASSWORD = "demo1234"


def login(url: str, user: str) -> str:
    answer = requests.post(
        f"{url}/api/v1/auth/login",
        json={"username": user, "password": DEMO_PASSWORD},
        timeout=10,
    )
    answer.raise_for_status()
    return str(answer.json()["token"])


@dataclass
class Desk:
    """One agent's desktop: their cache file, their engine, their own network path."""

    user: str
    path: Path
    proxy: FaultProxy
    token: str
    page_size: int = 50
    statuses: list[SyncStatus] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.open()

    def open(self) -> None:
        self.opened = open_cache(self.path, f"{self.proxy.url}|{self.user}")
        self.cache: LocalCache = self.opened.cache
        self.engine = SyncEngine(
            self.cache,
            lambda: ApiClient(self.proxy.url, token=self.token, timeout_s=10),
            on_status=self.statuses.append,
            page_size=self.page_size,
            backoff=Backoff(0.01, 0.05),
        )

    def close(self) -> None:
        self.engine.stop()
        self.cache.close()

    def sync(self) -> None:
        self.engine.run_once()

    def records(self, entity: str) -> dict[int, dict[str, Any]]:
        return {r.id: r.data for r in self.cache.all(entity)}


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(tmp_path / "server.sqlite")
    yield server
    server.stop()


@dataclass
class Floor:
    """The backend, a proxy per desk, and the desks."""

    backend: LiveBackend
    tmp: Path
    desks: list[Desk] = field(default_factory=list)
    proxies: list[FaultProxy] = field(default_factory=list)

    def desk(self, user: str, page_size: int = 50) -> Desk:
        proxy = FaultProxy(self.backend.url)
        self.proxies.append(proxy)
        desk = Desk(
            user, self.tmp / user / "cache.sqlite", proxy, login(self.backend.url, user), page_size
        )
        self.desks.append(desk)
        return desk

    def server(self, path: str, user: str = "admin", **params: Any) -> Any:
        token = login(self.backend.url, user)
        answer = requests.get(
            f"{self.backend.url}/api/v1{path}",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()


@pytest.fixture
def floor(backend: LiveBackend, tmp_path: Path) -> Iterator[Floor]:
    room = Floor(backend, tmp_path)
    yield room
    for desk in room.desks:
        desk.close()
    for proxy in room.proxies:
        proxy.stop()
