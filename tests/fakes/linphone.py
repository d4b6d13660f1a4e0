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
``terminate``, ``pause``/``resume``, one key per line for DTMF, ``soundcard use files``/
``play``/``record`` for audio); what it prints is read on a thread of the fake's own into
``lines``, which tests look at from ``qtbot.waitUntil`` so the desk's event loop runs meanwhile.
"""

from __future__ import annotations

import array
import contextlib
import math
import re
import shutil
import socket
import subprocess
import threading
import wave
from pathlib import Path

import pytest

from tests.fakes.baresip import read_mono
from tests.fakes.ports import free_udp_port
from tests.fakes.waiting import udp_port_bound, wait_until

TONE = re.compile(r"Receiving tone (\S+) from")
RC = """\
[sip]
sip_port={port}
sip_tcp_port=-1
sip_tls_port=-1
register_only_when_network_is_up=0
supported=replaces, outbound
{max_calls}[net]
auto_net_state_mon=0
[rtp]
audio_rtp_port={rtp_port}
"""


class Linphone:
    """``linphonec -c <rc>`` as user ``user`` at ``domain``, registering at ``registrar``
    (``ip:port``) with digest auth."""

    def __init__(
        self,
        tmp: Path,
        name: str,
        *,
        user: str,
        password: str,
        domain: str,
        registrar: str,
        max_calls: int = 0,
    ) -> None:
        """``max_calls``: more calls than this are refused 486 Busy Here (0: liblinphone's
        default)."""
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
        limit = f"max_calls={max_calls}\n" if max_calls else ""
        # liblinphone's default RTP port is 7078 for every instance: two linphonecs on one
        # host (a customer and a transfer target) would bind the same port and hear silence.
        self.rtp_port = free_rtp_port()
        rc = RC.format(port=self.port, max_calls=limit, rtp_port=self.rtp_port)
        self.rc.write_text(rc, encoding="utf-8")
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self._asked = 0  # ``status register`` commands sent
        env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        # stdbuf: its stdout is a pipe here, which stdio would otherwise fill before flushing.
        self.process = subprocess.Popen(
            [shutil.which("stdbuf") or "/usr/bin/stdbuf", "-oL", binary, "-c", str(self.rc)],
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
        """One line: identity, proxy and the digest password. It registers there, but the
        one-line form sets no route: calls to a URI in ``domain`` are looked up in DNS, so
        tests dial the PBX's address."""
        self.command(f"register {self.uri} sip:{self.registrar} {self.password}")

    def call(self, uri: str) -> None:
        self.command(f"call {uri}")

    def answer(self) -> None:
        self.command("answer")

    def terminate(self) -> None:
        self.command("terminate")

    def pause(self) -> None:
        """Hold the current call (a re-INVITE with a=sendonly)."""
        self.command("pause")

    def resume(self) -> None:
        self.command("resume")

    def send_dtmf(self, digits: str) -> None:
        """A line holding one key sends it in the current call (RFC 4733 by default)."""
        for digit in digits:
            self.command(digit)

    def speak_and_record(self, tone_hz: int, seconds: float = 10.0) -> None:
        """In a call: speak a steady ``tone_hz`` sine and write what it hears to ``heard.wav``.
        There is no sound card: ``soundcard use files`` swaps it for a WAV player and a WAV
        recorder, which ``play`` and ``record`` then point at files (names relative to its
        directory, its working directory: linphonec's echo wraps long lines)."""
        write_tone(self.dir / "speak.wav", tone_hz, seconds)
        self.command("soundcard use files")
        self.command("play speak.wav")
        self.command("record heard.wav")

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

    def digits(self) -> str:
        """The DTMF it received, in order (``Receiving tone <key> from <uri>``)."""
        # by pattern: a line may start with the prompt ("linphonec> Receiving tone 1 ...")
        return "".join(
            found.group(1)
            for line in self.said("Receiving tone ")
            if (found := TONE.search(line)) is not None
        )

    def heard(self) -> array.array[int]:
        """What it heard since ``speak_and_record``, mono at 16 kHz."""
        return read_mono(self.dir / "heard.wav")

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


def free_rtp_port() -> int:
    """An even UDP port on loopback that is free, with the next one (RTCP) free too."""
    for _ in range(50):
        with (
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rtp,
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rtcp,
        ):
            rtp.bind(("127.0.0.1", 0))
            port = int(rtp.getsockname()[1])
            if port % 2 or port >= 65535:
                continue
            try:
                rtcp.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return port
    raise AssertionError("no free pair of UDP ports for RTP")


def write_tone(path: Path, hz: int, seconds: float, rate: int = 8000) -> None:
    """A mono 16-bit WAV of a steady sine at ``hz``, half of full scale."""
    step = 2 * math.pi * hz / rate
    samples = array.array(
        "h", (int(16_000 * math.sin(step * i)) for i in range(int(rate * seconds)))
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
