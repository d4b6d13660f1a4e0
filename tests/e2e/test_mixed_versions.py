"""Desk and server of different releases: the previous release's desk against this server and
this desk against the previous release's server sign in, pull and push; nothing is lost.

The previous release is commit 8ec4242 (tag ``release-2026-12-01``), unpacked from this
repository's history with ``git archive``; it runs on the same virtual environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync.client import ApiClient
from sync.contract.desk import DEFAULT_DESK_SETTINGS
from sync.directory_view import directory_from_cache
from tests.fakes.releases import ROOT, unpack_previous_release
from tests.fakes.releases import previous_server as run_previous_server
from tests.fakes.servers import LiveBackend

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]  # processes of two releases

DRIVER = ROOT / "tests" / "fakes" / "desk_driver.py"


@pytest.fixture(scope="module")
def previous_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unpack_previous_release(tmp_path_factory.mktemp("previous"))


def run_desk(release: Path, cache: Path, url: str, tag: str) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(release))
    done = subprocess.run(
        [sys.executable, str(DRIVER), str(cache), url, "wangfang", tag],
        cwd=release,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def server_customer(url: str, code: str, note: str) -> None:
    token = requests.post(
        f"{url}/api/v1/auth/login",
        json={"username": "wangfang", "password": "demo1234"},
        timeout=10,
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    found = requests.get(
        f"{url}/api/v1/customers/lookup?phone=13800138000", headers=headers, timeout=10
    ).json()
    assert found[0]["notes"] == note
    changes = requests.get(
        f"{url}/api/v1/changes?after=0&limit=1000", headers=headers, timeout=10
    ).json()["changes"]
    codes = [c["data"].get("code") for c in changes if c["entity"] == "customer" and c["data"]]
    assert codes.count(code) == 1  # created once, not lost, not doubled


def test_the_previous_desk_works_against_this_server(
    previous_release: Path, live_backend: LiveBackend, tmp_path: Path
) -> None:
    result = run_desk(previous_release, tmp_path / "old-desk.sqlite", live_backend.url, "old")
    assert result == {
        "pulled_customer": True,
        "created_local_id": -1,
        "waiting": 0,
        "failed": 0,
        "conflicts": 0,
    }
    server_customer(live_backend.url, "MIX-old", "edited by the old desk")


@pytest.fixture
def previous_server(previous_release: Path, tmp_path: Path) -> Iterator[str]:
    with run_previous_server(previous_release, tmp_path / "old-server.sqlite") as url:
        yield url


def test_this_desk_works_against_the_previous_server(previous_server: str, tmp_path: Path) -> None:
    result = run_desk(ROOT, tmp_path / "new-desk.sqlite", previous_server, "new")
    assert result["pulled_customer"] is True
    assert (result["waiting"], result["failed"], result["conflicts"]) == (0, 0, 0)
    # No directory route before contract 1.3: a 404 the desk answers from its cache.
    token = requests.post(
        f"{previous_server}/api/v1/auth/login",
        json={"username": "wangfang", "password": "demo1234"},
        timeout=10,
    ).json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    assert requests.get(f"{previous_server}/api/v1/directory", headers=headers,
                        timeout=10).status_code == 404  # fmt: skip
    found = directory_from_cache(tmp_path / "new-desk.sqlite", token["user"]["id"])
    assert {"alice", "zhangwei", "chenjie"} <= {c.username for c in found.colleagues}
    server_customer(previous_server, "MIX-new", "edited by the new desk")


def _token(url: str, user: str) -> str:
    answer = requests.post(
        f"{url}/api/v1/auth/login", json={"username": user, "password": "demo1234"}, timeout=10
    )
    token: str = answer.json()["token"]
    return token


def test_the_previous_desk_reads_changed_settings_and_skips_the_new_event(
    previous_release: Path, own_backend: LiveBackend
) -> None:
    """An admin's change on this server: the previous desk (contract 1.0, strict reader) reads
    the new settings, and its event stream carries on past ``desk_settings.changed``, a kind it
    does not know (its services act on the kinds they name; it refetches at its next start)."""
    url = own_backend.url
    document = {**DEFAULT_DESK_SETTINGS.model_dump(mode="json"), "version": 1}
    document["wrap_up_s"] = {**document["wrap_up_s"], "VIP hotline": 45}
    admin = {"Authorization": f"Bearer {_token(url, 'admin')}"}
    changed = requests.put(f"{url}/api/v1/desk-settings", json=document, headers=admin, timeout=10)
    assert changed.status_code == 200, changed.text
    agent = {"Authorization": f"Bearer {_token(url, 'wangfang')}"}
    ready = {"state": "ready", "reason": ""}
    assert (
        requests.put(f"{url}/api/v1/presence/me", json=ready, headers=agent, timeout=10).status_code
        == 200
    )
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fakes" / "old_desk_settings.py"), url],
        cwd=previous_release,
        env=dict(os.environ, PYTHONPATH=str(previous_release)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["vip"] == 45
    kinds = result["kinds"]
    assert "desk_settings.changed" in kinds
    assert kinds.index("desk_settings.changed") < kinds.index("presence")


def test_this_desk_reads_the_previous_servers_settings(previous_server: str) -> None:
    """A server before stored settings: GET only, no version (0), and PUT is not there."""
    token = _token(previous_server, "wangfang")
    with ApiClient(previous_server, token=token) as api:
        settings = api.desk_settings()
    assert settings.version == 0
    assert {"signed_in", "missed_call"} <= {c.code for c in settings.not_ready_reasons}
    admin = {"Authorization": f"Bearer {_token(previous_server, 'admin')}"}
    document = {**settings.model_dump(mode="json"), "version": 0}
    refused = requests.put(
        f"{previous_server}/api/v1/desk-settings", json=document, headers=admin, timeout=10
    )
    assert refused.status_code == 405
