"""A private PulseAudio server (Debian's ``pulseaudio``) with a virtual headset: a null sink
"headset" (what the agent would hear; recorded from its monitor) and a microphone "headset_mic"
that hears whatever is written to ``mic_pipe`` (16 kHz mono 16-bit PCM, at speaking pace)."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.fakes.waiting import wait_until


class PulseServer:
    def __init__(self, root: Path) -> None:
        if shutil.which("pulseaudio") is None or shutil.which("pacat") is None:
            pytest.fail("PulseAudio is missing: install Debian's pulseaudio and pulseaudio-utils")
        run = root / "run"
        run.mkdir(parents=True)
        run.chmod(0o700)
        (root / "home").mkdir()
        self.socket = run / "native"
        self.mic_pipe = run / "mic.fifo"  # what is written here, the headset microphone hears
        self.env = {
            **os.environ,
            "XDG_RUNTIME_DIR": str(run),
            "HOME": str(root / "home"),
            "PULSE_SERVER": f"unix:{self.socket}",
        }
        self.process = subprocess.Popen(
            [
                "pulseaudio",
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--disallow-exit",
                "--use-pid-file=no",
                "--log-target=stderr",
                "-L",
                f"module-native-protocol-unix socket={self.socket} auth-anonymous=1",
                "-L",
                "module-null-sink sink_name=headset rate=16000 channels=1",
                "-L",
                f"module-pipe-source source_name=headset_mic file={self.mic_pipe} "
                "format=s16le rate=16000 channels=1",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers() -> bool:  # the server is up when it answers on its socket
            if self.process.poll() is not None:
                raise AssertionError(f"PulseAudio exited ({self.process.returncode})")
            info = subprocess.run(["pactl", "info"], env=self.env, capture_output=True, check=False)
            return info.returncode == 0

        try:
            wait_until(answers, 10, "PulseAudio to answer pactl info", interval_s=0.05)
        except AssertionError:
            self.stop()
            raise

    def speak(self, pcm: bytes, chunk_ms: int = 20) -> threading.Thread:
        """Feed the microphone in real time (a pipe source has no clock of its own)."""

        def feed() -> None:
            step = 16_000 * 2 * chunk_ms // 1000
            started = time.monotonic()
            try:
                with self.mic_pipe.open("wb") as pipe:
                    for n, offset in enumerate(range(0, len(pcm), step)):
                        pipe.write(pcm[offset : offset + step])
                        pipe.flush()
                        delay = started + (n + 1) * chunk_ms / 1000 - time.monotonic()
                        if delay > 0:  # deliberate: a microphone speaks at 1 s per second
                            time.sleep(delay)
            except BrokenPipeError:
                pass  # the server stopped first: the test is over

        thread = threading.Thread(target=feed, name="mic-feed", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
