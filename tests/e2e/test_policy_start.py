"""The machine policy through the real start (issue 18): a locked SERVER_URL in policy.toml
wins over the user's file and ``--server``; a bad policy value is named on stderr and in the
log, and the desk starts anyway. The real desk (``tests/fakes/signing_in_desk.py``, offscreen)
signs in to the real backend, which it could only reach through the policy's address."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.fakes import signing_in_desk
from tests.fakes.servers import LiveBackend

pytestmark = pytest.mark.slow

MARK_TIMEOUT_S = 60.0  # the whole start on a loaded 2-core machine, with margin


def test_a_locked_server_url_is_the_one_the_desk_signs_in_to(
    tmp_path: Path, live_backend: LiveBackend, dead_server_url: str
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        f'SERVER_URL = "{live_backend.url}"\nLANGUAGE = "klingon"\nLOCK = "server"\n',
        encoding="utf-8",
    )
    user = tmp_path / "user.toml"
    user.write_text(f'[server]\nurl = "{dead_server_url}"\n', encoding="utf-8")
    process = subprocess.Popen(
        signing_in_desk.command(tmp_path, dead_server_url, config=user),
        cwd=signing_in_desk.ROOT,
        env=signing_in_desk.environment(AGENT_WORKSTATION_POLICY=str(policy)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Signed in (``synced``): only the policy's address reaches a server.
        signing_in_desk.marks_until(process, "synced", MARK_TIMEOUT_S)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    problem = f"machine policy: {policy}: LANGUAGE = 'klingon' ignored: must be one of"
    assert problem in stderr
    logs = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "profile").rglob("*.log"))
    assert problem in logs
