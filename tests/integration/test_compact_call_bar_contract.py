"""Contract 1.6's roaming field for the compact call bar (issue 19), against the real backend
on loopback: a 1.6 server keeps it; a desk talking to a 1.5 server does not send it (such a
server refuses a field it does not know, as this one refuses one it does not know)."""

from __future__ import annotations

import requests

from sync.client import ApiClient
from sync.contract.version import ContractVersion
from sync.contract.wire import Preferences
from tests.fakes.servers import LiveBackend


def test_a_16_server_keeps_the_compact_bar_option(live_backend: LiveBackend) -> None:
    with ApiClient(live_backend.url) as client:
        client.login("lina", "demo1234")
        saved = client.save_preferences(Preferences(compact_call_bar=True), "prefs-compact-1")
        assert saved.compact_call_bar
        assert client.preferences().compact_call_bar


def test_a_desk_does_not_send_it_to_a_15_server(live_backend: LiveBackend) -> None:
    login = requests.post(
        f"{live_backend.url}/api/v1/auth/login",
        json={"username": "alice", "password": "demo1234"},
        timeout=10,
    ).json()
    # What a 1.5 server does with a field it does not know: refuses the whole document.
    refused = requests.put(
        f"{live_backend.url}/api/v1/me/preferences",
        json={"language": "zh_CN", "added_later": True},
        headers={"Authorization": f"Bearer {login['token']}", "Idempotency-Key": "prefs-x"},
        timeout=10,
    )
    assert refused.status_code == 422
    with ApiClient(live_backend.url) as client:
        client.login("alice", "demo1234")
        client.server_contract = ContractVersion(1, 5)  # as a 1.5 server's answers say
        saved = client.save_preferences(
            Preferences(language="zh_CN", compact_call_bar=True), "prefs-compact-2"
        )
        assert saved.language == "zh_CN"  # the rest of the profile is written
        assert not saved.compact_call_bar  # the 1.6 field was left out
