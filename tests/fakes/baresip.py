"""Debian's baresip (1.0.0) as an independent phone on loopback, for the interop suite (issue 24).

Each instance has its own config directory (``baresip -f <dir>``): one account registering at
the PBX with digest auth, the ``ctrl_tcp`` module to drive it (netstring-framed JSON: ``dial``,
``accept``, ``hangup``, ``hold``, ``resume``, ``transfer``, ``sndcode``) and to hear its events
(``CALL_INCOMING``, ``CALL_ESTABLISHED``, ``CALL_DTMF_START``...). It speaks a steady sine
(``ausine``) and ``sndfile`` writes what it hears to ``dump-<peer>-dec.wav``; the sound "card"
is ALSA's null device, as on a box without audio. Its recording of what it hears stops at the
call's first re-INVITE (1.0.0 drops its decode filters then), so after a hold tests check that
direction by DTMF; ``rtp_stats`` prints the packets it got, in its log, when a call ends.

Events are read on a thread of the fake's own (no Qt here): tests look at ``events`` from
``qtbot.waitUntil`` so the desk's event loop runs meanwhile. Its registration is read from the
PBX's location table (its REGISTER_OK may come before the control socket is connected).
"""

from __future__ import annotations

import array
import contextlib
import json
import shutil
import socket
import subprocess
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.waiting import wait_for_tcp_port

MODULES = Path("/usr/lib/baresip/modules")
RATE = 16_000  # what tests compare recordings at (the desk records at 16 kHz)

# Port 0: baresip 1.0.0 opens UDP, TCP and TLS (the next port) whatever sip_transports says;
# the OS picks free ones. Nobody calls it directly: everything goes through the PBX.
CONFIG = """\
sip_listen 127.0.0.1:0
sip_transports udp
net_interface 127.0.0.1
audio_player alsa,null
audio_alert alsa,null
audio_source ausine,{tone_hz}
ausrc_srate 48000
ausrc_channels 2
module_path {modules}
module ctrl_tcp.so
module g711.so
module g722.so
module ausine.so
module alsa.so
module sndfile.so
module_app account.so
module_app menu.so
ctrl_tcp_listen 127.0.0.1:{ctrl_port}
snd_path {snd_path}
rtp_stats yes
"""


def free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    peer: str = ""
    param: str = ""
    call_id: str = ""


class Baresip:
    """``baresip -f <dir>``: user ``user`` at ``domain``, registering at ``registrar``
    (``ip:port``), speaking ``tone_hz``. ``answer="auto"`` answers every call by itself."""

    def __init__(
        self,
        tmp: Path,
        name: str,
        *,
        user: str,
        password: str,
        domain: str,
        registrar: str,
        tone_hz: int,
        answer: str = "manual",
    ) -> None:
        binary = shutil.which("baresip")
        if binary is None or not MODULES.exists():
            pytest.fail("baresip is missing: install Debian's baresip (make test does)")
        self.user, self.domain, self.tone_hz = user, domain, tone_hz
        self.dir = tmp / f"baresip-{name}"
        self.dir.mkdir(exist_ok=True)
        self.ctrl_port = free_tcp_port()
        (self.dir / "config").write_text(
            CONFIG.format(
                tone_hz=tone_hz,
                modules=MODULES,
                ctrl_port=self.ctrl_port,
                snd_path=self.dir,
            ),
            encoding="utf-8",
        )
        # Through the PBX for every request (outbound), re-registering every 60 s.
        (self.dir / "accounts").write_text(
            f'<sip:{user}@{domain}>;auth_pass={password};outbound="sip:{registrar}";'
            f"regint=60;answermode={answer};ptime=20\n",
            encoding="utf-8",
        )
        self.events: list[Event] = []
        self.responses: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._token = 0
        self.log = self.dir / "baresip.log"
        self._log = self.log.open("wb")
        self.process = subprocess.Popen(
            [binary, "-f", str(self.dir)],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._sock: socket.socket | None = None
        try:
            wait_for_tcp_port("127.0.0.1", self.ctrl_port, timeout_s=15, what="baresip's ctrl_tcp")
            self._sock = socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=5)
        except AssertionError:
            self.stop()
            raise AssertionError(f"baresip did not start:\n{self.report()}") from None
        self._sock.settimeout(None)
        self._reader = threading.Thread(target=self._read, name=f"baresip-{name}", daemon=True)
        self._reader.start()

    @property
    def uri(self) -> str:
        return f"sip:{self.user}@{self.domain}"

    # -- control ------------------------------------------------------------------------------

    def command(self, command: str, params: str = "") -> None:
        """Send one ctrl_tcp command (it is answered asynchronously; ``answered`` says)."""
        assert self._sock is not None
        with self._lock:
            self._token += 1
            token = str(self._token)
        body = json.dumps({"command": command, "params": params, "token": token}).encode()
        self._sock.sendall(b"%d:%s," % (len(body), body))

    def dial(self, uri: str) -> None:
        self.command("dial", uri)

    def accept(self) -> None:
        self.command("accept")

    def hangup(self) -> None:
        self.command("hangup")

    def hold(self) -> None:
        self.command("hold")

    def resume(self) -> None:
        self.command("resume")

    def transfer(self, uri: str) -> None:
        self.command("transfer", uri)

    def send_dtmf(self, digits: str) -> None:
        for digit in digits:
            self.command("sndcode", digit)

    # -- what it said -------------------------------------------------------------------------

    def _read(self) -> None:
        assert self._sock is not None
        buffer = b""
        while True:
            try:
                chunk = self._sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b":" in buffer:
                length, _, rest = buffer.partition(b":")
                if not length.isdigit() or len(rest) < int(length) + 1:
                    break
                body, buffer = rest[: int(length)], rest[int(length) + 1 :]
                with contextlib.suppress(ValueError):
                    self._said(json.loads(body))

    def _said(self, message: dict[str, Any]) -> None:
        with self._lock:
            if message.get("event"):
                self.events.append(
                    Event(
                        str(message.get("type", "")),
                        str(message.get("peeruri", "")),
                        str(message.get("param", "")),
                        str(message.get("id", "")),
                    )
                )
            elif message.get("response"):
                self.responses[str(message.get("token", ""))] = message

    def saw(self, kind: str) -> list[Event]:
        with self._lock:
            return [event for event in self.events if event.type == kind]

    def digits(self) -> str:
        return "".join(event.param for event in self.saw("CALL_DTMF_START"))

    def heard(self) -> array.array[int]:
        """What it heard (the latest call's decoded audio), mono, resampled to 16 kHz."""
        dumps = sorted(self.dir.glob("dump-*-dec.wav"))  # named by the call's start time
        assert dumps, f"{self.user} recorded nothing"
        return read_mono(dumps[-1])

    def report(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def read_mono(path: Path) -> array.array[int]:
    """A WAV as 16 kHz mono samples (first channel; a simple decimation or repetition)."""
    with wave.open(str(path)) as recording:
        rate, channels = recording.getframerate(), recording.getnchannels()
        frames = array.array("h", recording.readframes(recording.getnframes()))
    mono = frames[::channels] if channels > 1 else frames
    if rate == RATE:
        return mono
    if rate % RATE == 0:
        return mono[:: rate // RATE]
    if RATE % rate == 0:
        return array.array("h", (x for x in mono for _ in range(RATE // rate)))
    raise AssertionError(f"{path}: unexpected rate {rate}")
