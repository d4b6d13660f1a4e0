"""A private Xvfb for tests that start real windows (the packaged desks, the AT-SPI walk)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def private_display(size: str = "1280x800x24") -> Iterator[str]:
    """Start Xvfb on a free display (it says which through ``-displayfd``); its name."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not say its display"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)
