"""SIPp (Debian's ``sip-tester``) as a far end on loopback: a caller, a called party, a registrar.

Scenarios are XML files in ``tests/sip/scenarios`` (written for this project) or SIPp's
built-in ``uac`` / ``uas``. Every run is bounded: one call (``-m 1``) and a global timeout.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fakes.ports import free_udp_port
from tests.fakes.waiting import wait_for_udp_port

SCENARIOS = Path(__file__).resolve().parents[1] / "sip" / "scenarios"


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
        trace: bool = False,
        host: str = "127.0.0.1",  # another loopback address (127.0.0.2): another source
    ) -> None:
        self.scenario = scenario
        self.port = free_udp_port()
        self.host = host
        self.address = f"{host}:{self.port}"
        xml = SCENARIOS / f"{scenario}.xml"
        cmd = [require_sipp()]
        cmd += ["-sf", str(xml)] if xml.exists() else ["-sn", scenario]
        cmd += [
            "-m", str(calls), "-nostdin", "-i", host, "-p", str(self.port), "-s", service,
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
        self.messages = tmp / f"sipp-{scenario}-messages.log"
        if trace:  # every message SIPp sends or receives, for sent()
            cmd += ["-trace_msg", "-message_file", str(self.messages)]
        cmd += extra or []
        if remote:
            cmd.append(remote)
        self.errors = tmp / f"sipp-{scenario}-errors.log"
        self.process = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )

    def wait_bound(self, timeout_s: float = 10.0) -> Sipp:
        """Until SIPp has bound its SIP port (as a called party or registrar it must, before
        anything is sent to it); fails at once if SIPp exits first. Returns self."""
        wait_for_udp_port(
            self.host,
            self.port,
            timeout_s=timeout_s,
            process=self.process,
            what=f"SIPp ({self.scenario}) to bind {self.address}",
        )
        return self

    def sent(self, start_line: str, method: str) -> bool:
        """SIPp (started with ``trace=True``) has sent a message beginning ``start_line``
        whose CSeq names ``method``: e.g. its 200 to our INFO."""
        try:
            log = self.messages.read_text(errors="replace")
        except FileNotFoundError:
            return False
        for block in log.split("-----------------------------------------------")[1:]:
            head, _, message = block.partition("\n\n")
            if "message sent" not in head:
                continue
            lines = [line.strip() for line in message.strip().splitlines()]
            cseq = next((line for line in lines if line.lower().startswith("cseq:")), "")
            if lines and lines[0].startswith(start_line) and cseq.split()[-1:] == [method]:
                return True
        return False

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
