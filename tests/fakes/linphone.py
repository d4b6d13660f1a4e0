"""Debian's ``linphonec`` (linphone-cli 5.1) as a second independent phone on loopback, for the
interop suite (issue 24).

liblinphone only starts its SIP transports once it has opened its database under
``$HOME/.local/share/linphone/``; without that directory it never listens. So each instance
gets a HOME of its own with that directory, and an rc file (``linphonec -c <rc>``) with one
free UDP port (TCP and TLS off) and the network-state monitor off (it would otherwise decide
loopback-only means "offline"). It does not offer GRUU (``supported`` without ``gruu``):
Kamailio's registrar would hand it a public GRUU in the PBX's domain, which it then puts in
its dialogs' Contact, and the desk (no Record-Route here, in-dialog requests go between the
phones) cannot resolve ``cc.test`` to send its BYE.

It is driven over stdin with linphonec's own commands (``register``, ``call``, ``answer``,
``terminate``); what it prints is read on a thread of the fake's own into ``lines``, which
tests look at from ``qtbot.waitUntil`` so the desk's event loop runs meanwhile.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from tests.fakes.sipp import free_udp_port
from tests.fakes.waiting import udp_port_bound, wait_until

RC = """\
[sip]
sip_port={port}
sip_tcp_port=-1
sip_tls_port=-1
register_only_when_network_is_up=0
supported=replaces, outbound
[net]
auto_net_state_mon=0
"""


class Linphone:
    """``linphonec -c <rc>`` as user ``user`` at ``domain``, registering at ``registrar``
    (``ip:port``, also its proxy for every request) with digest auth."""

    def __init__(
        self, tmp: Path, name: str, *, user: str, password: str, domain: str, registrar: str
    ) -> None:
        binary = shutil.which("linphonec")
        if binary is None:
            pytest.fail("linphonec is missing: install Debian's linphone-cli (make test does)")
        self.user, self.domain, self.password, self.registrar = user, domain, password, registrar
        self.dir = tmp / f"linphone-{name}"
        home = self.dir / "home"
        # Without this directory liblinphone cannot open its database and opens no transport.
        (home / ".local" / "share" / "linphone").mkdir(parents=True, exist_ok=True)
        self.port = free_udp_port()
        self.rc = self.dir / "linphonerc"
        self.rc.write_text(RC.format(port=self.port), encoding="utf-8")
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self._asked = 0  # ``status register`` commands sent
        env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        # stdbuf: its stdout is a pipe here, which stdio would otherwise fill before flushing.
        self.process = subprocess.Popen(
            ["stdbuf", "-oL", binary, "-c", str(self.rc)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=self.dir,
        )
        self._reader = threading.Thread(target=self._read, name=f"linphonec-{name}", daemon=True)
        self._reader.start()
        try:
            wait_until(self._listening, 15, lambda: f"linphonec on UDP {self.port}")
        except AssertionError:
            self.stop()
            raise AssertionError(f"linphonec did not start:\n{self.report()}") from None

    def _listening(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"linphonec exited with {self.process.returncode}")
        return udp_port_bound("127.0.0.1", self.port) or udp_port_bound("0.0.0.0", self.port)

    @property
    def uri(self) -> str:
        return f"sip:{self.user}@{self.domain}"

    # -- control ------------------------------------------------------------------------------

    def command(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()

    def register(self) -> None:
        """One line: identity, proxy (every request goes there) and the digest password."""
        self.command(f"register {self.uri} sip:{self.registrar} {self.password}")

    def call(self, uri: str) -> None:
        self.command(f"call {uri}")

    def answer(self) -> None:
        self.command("answer")

    def terminate(self) -> None:
        self.command("terminate")

    def registered(self) -> bool:
        """Asks ``status register`` (once the last asking is answered) and says whether the
        latest answer is ``registered, identity=<uri> ...``: 5.1 prints nothing by itself when
        a registration succeeds, and the PBX may list the binding a moment before linphonec has
        read the 200 (then it answers ``registered=0``). Meant to be polled."""
        answers = self.said("registered")
        if len(answers) >= self._asked:
            if answers and f"registered, identity={self.uri}" in answers[-1]:
                return True
            self._asked += 1
            self.command("status register")
        return False

    # -- what it said -------------------------------------------------------------------------

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            with self._lock:
                self.lines.append(raw.decode(errors="replace").rstrip())

    def said(self, fragment: str) -> list[str]:
        """The lines it printed that contain ``fragment`` (case-insensitive)."""
        fragment = fragment.lower()
        with self._lock:
            return [line for line in self.lines if fragment in line.lower()]

    def report(self) -> str:
        with self._lock:
            return "\n".join(self.lines)[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                self.command("quit")
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        with contextlib.suppress(OSError, ValueError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        self._reader.join(5)
        if self.process.stdout is not None:
            self.process.stdout.close()
