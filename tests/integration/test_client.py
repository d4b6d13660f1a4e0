"""The desktop's REST client against the real backend, a dead port and a server answering junk."""

from __future__ import annotations

import pytest

from sync.client import (
    ApiClient,
    AuthError,
    InvalidServerUrlError,
    NetworkError,
    ProtocolError,
    normalise_server_url,
)
from tests.fakes.servers import GarbageServer, LiveBackend


def test_login_and_me(live_backend: LiveBackend) -> None:
    with ApiClient(live_backend.url + "/") as client:
        grant = client.login("lina", "demo1234")
        assert grant.user.display_name == "李娜"
        assert "token" not in repr(grant) or "<hidden>" in repr(grant)
        assert grant.token not in repr(grant)
        assert client.me().user.username == "lina"


def test_wrong_password(live_backend: LiveBackend) -> None:
    with ApiClient(live_backend.url) as client, pytest.raises(AuthError) as caught:
        client.login("lina", "wrong")
    assert caught.value.reason == "bad_credentials"


def test_server_down(dead_server_url: str) -> None:
    with ApiClient(dead_server_url, timeout_s=2) as client, pytest.raises(NetworkError) as caught:
        client.login("lina", "demo1234")
    assert caught.value.reason == "unreachable"


def test_server_answering_garbage(garbage_server: GarbageServer) -> None:
    with ApiClient(garbage_server.url) as client, pytest.raises(ProtocolError) as caught:
        client.login("lina", "demo1234")
    assert caught.value.reason == "not_json"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "empty"),
        ("cc.example.com", "no_scheme"),
        ("ftp://cc.example.com", "bad_scheme"),
        ("https://", "no_host"),
        ("https://cc.example.com:99999", "bad_port"),
    ],
)
def test_invalid_server_addresses(url: str, reason: str) -> None:
    with pytest.raises(InvalidServerUrlError) as caught:
        normalise_server_url(url)
    assert caught.value.reason == reason
