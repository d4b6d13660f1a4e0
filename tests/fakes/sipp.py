"""SIPp (Debian's ``sip-tester``) as a far end on loopback: a caller, a called party, a registrar.

Scenarios are XML files in ``tests/sip/scenarios`` (written for this project) or SIPp's
built-in ``uac`` / ``uas``. Every run is bounded: one call (``-m 1``) and a global timeout.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).resolve().parents[1] / "sip" / "scenarios"


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def require_sipp() -> str:
    path = shutil.which("sipp")
    if path is None:
        pytest.fail("SIPp is missing: install Debian's sip-tester (make test does)")
    return path


class Sipp:
    def __init__(
        self,
        scenario: str,
        tmp: Path,
        *,
        remote: str | None = None,
        service: str = "agent",
        fields: list[str] | None = None,
        variables: dict[str, str] | None = None,
        timeout_s: int = 20,
        calls: int = 1,
        extra: list[str] | None = None,
    ) -> None:
        self.port = free_udp_port()
        self.address = f"127.0.0.1:{self.port}"
        xml = SCENARIOS / f"{scenario}.xml"
        cmd = [require_sipp()]
        cmd += ["-sf", str(xml)] if xml.exists() else ["-sn", scenario]
        cmd += [
            "-m", str(calls), "-nostdin", "-i", "127.0.0.1", "-p", str(self.port), "-s", service,
            "-timeout", f"{timeout_s}s", "-timeout_error", "-trace_err",
            "-error_file", str(tmp / f"sipp-{scenario}-errors.log"),
            "-mp", str(free_udp_port()),
        ]  # fmt: skip
        if fields:
            csv = tmp / f"sipp-{scenario}-fields.csv"
            csv.write_text("SEQUENTIAL\n" + ";".join(fields) + ";\n", encoding="utf-8")
            cmd += ["-inf", str(csv)]
        for name, value in (variables or {}).items():
            cmd += ["-set", name, value]
        cmd += extra or []
        if remote:
            cmd.append(remote)
        self.errors = tmp / f"sipp-{scenario}-errors.log"
        self.process = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )

    @property
    def finished(self) -> bool:
        return self.process.poll() is not None

    def report(self) -> str:
        stderr = self.process.stderr.read() if self.process.stderr and self.finished else ""
        errors = self.errors.read_text(errors="replace")[-3000:] if self.errors.exists() else ""
        return f"SIPp exit {self.process.returncode}\n{stderr}\n{errors}"

    def stop(self) -> None:
        if not self.finished:
            self.process.kill()
            self.process.wait(timeout=5)
