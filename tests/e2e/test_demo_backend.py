"""The demo backend child process that ``make demo`` and ``--demo`` rely on."""

from __future__ import annotations

import pytest

from agent_desktop.demo_backend import DEMO_PASSWORD, DEMO_USER, DemoBackend
from sync.client import ApiClient, NetworkError

pytestmark = pytest.mark.slow


def test_demo_backend_starts_seeds_and_stops() -> None:
    backend = DemoBackend()
    backend.start()
    try:
        url = backend.wait_ready(timeout_s=30)
        with ApiClient(url) as client:
            grant = client.login(DEMO_USER, DEMO_PASSWORD)
        assert grant.user.display_name == "王芳"
        assert grant.user.team is not None
    finally:
        backend.stop()
    with ApiClient(url, timeout_s=1) as client, pytest.raises(NetworkError):
        client.health()
