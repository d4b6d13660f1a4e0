"""Desks and servers of different releases: tolerant answers, the contract version both ways,
and a too-old desk told to update, against the real backend on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.client import ApiClient, UpdateRequiredError
from sync.contract.version import CONTRACT, HEADER, ContractVersion, parse_version
from sync.contract.wallboard import WallboardToday
from sync.contract.wire import ChangesPage, LoginResponse, MeResponse, WireModel
from tests.fakes.servers import LiveBackend


def with_news(value: Any) -> Any:
    """What a newer server might send: an unknown field in every object, at every depth."""
    if isinstance(value, dict):
        return {**{k: with_news(v) for k, v in value.items()}, "added_later": {"x": [1, 2]}}
    if isinstance(value, list):
        return [with_news(item) for item in value]
    return value


def without_news(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_news(v) for k, v in value.items() if k != "added_later"}
    if isinstance(value, list):
        return [without_news(item) for item in value]
    return value


def get(url: str, path: str, token: str) -> Any:
    answer = requests.get(
        f"{url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize(
    ("model", "path", "user"),
    [
        (MeResponse, "/me", "wangfang"),
        (ChangesPage, "/changes?after=0&limit=200", "wangfang"),
        (WallboardToday, "/wallboard/today", "zhangwei"),
    ],
)
def test_answers_with_fields_this_desk_does_not_know_are_read(
    live_backend: LiveBackend, model: type[WireModel], path: str, user: str
) -> None:
    login = requests.post(
        f"{live_backend.url}/api/v1/auth/login",
        json={"username": user, "password": "demo1234"},
        timeout=10,
    ).json()
    assert LoginResponse.read(with_news(login)) == LoginResponse.read(login)
    answer = get(live_backend.url, path, login["token"])
    # Records the feed carries as data (kept whole in the cache) may keep the new fields.
    read = model.read(with_news(answer)).model_dump(mode="json")
    assert without_news(read) == model.read(answer).model_dump(mode="json")
    with pytest.raises(ValueError, match="added_later"):
        model.model_validate(with_news(answer))  # the server's own check stays strict


def test_both_ends_say_which_contract_they_speak(live_backend: LiveBackend) -> None:
    with ApiClient(live_backend.url) as client:
        client.login("lina", "demo1234")
        assert client.server_contract == CONTRACT
    answer = requests.get(f"{live_backend.url}/api/v1/health", timeout=10)
    assert parse_version(answer.headers[HEADER]) == CONTRACT


def test_a_desk_of_the_release_before_the_header_is_served(live_backend: LiveBackend) -> None:
    answer = requests.post(  # no contract header: a desk of 1.0
        f"{live_backend.url}/api/v1/auth/login",
        json={"username": "lina", "password": "demo1234"},
        timeout=10,
    )
    assert answer.status_code == 200


@pytest.mark.parametrize("header", ["banana", "1", "1.2.3", "\u00e9.1", "9" * 30])
def test_a_garbled_contract_header_is_named(live_backend: LiveBackend, header: str) -> None:
    answer = requests.get(
        f"{live_backend.url}/api/v1/health", headers={HEADER: header.encode()}, timeout=10
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "bad_contract_header"
    assert answer.json()["field"] == HEADER


@pytest.fixture
def strict_backend(tmp_path: Path) -> Iterator[LiveBackend]:
    """A server that no longer serves desks before this contract."""
    backend = LiveBackend(tmp_path / "strict.sqlite", oldest_desk=ContractVersion(1, 1))
    yield backend
    backend.stop()


def test_a_too_old_desk_is_told_to_update(strict_backend: LiveBackend) -> None:
    old = requests.post(
        f"{strict_backend.url}/api/v1/auth/login",
        json={"username": "lina", "password": "demo1234"},
        headers={HEADER: "1.0"},
        timeout=10,
    )
    assert old.status_code == 426
    assert old.json()["code"] == "desk_too_old"
    assert "Update Agent Workstation" in old.json()["message"]
    with ApiClient(strict_backend.url) as client:  # this desk speaks 1.1: served
        client.login("lina", "demo1234")


def test_the_update_message_is_the_agents_and_keeps_the_work(
    strict_backend: LiveBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.contract import version

    monkeypatch.setattr(version, "CONTRACT", ContractVersion(1, 0))
    with ApiClient(strict_backend.url) as client, pytest.raises(UpdateRequiredError) as caught:
        client.login("lina", "demo1234")
    assert caught.value.status == 426
    assert caught.value.transient  # the outbox keeps waiting; nothing is refused
