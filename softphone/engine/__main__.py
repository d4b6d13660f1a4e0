"""``python -m softphone.engine --fd N``: the phone engine, started by the desk's ``Phone``.

``N`` is the engine's end of a socket pair the desk created and passed on (inherited, never a
listening socket: nothing else on the machine can talk to the engine).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys

from PySide6.QtCore import QCoreApplication


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m softphone.engine")
    parser.add_argument("--fd", type=int, required=True, help="the channel's inherited socket")
    options = parser.parse_args(argv)
    # SIGINT at a terminal reaches the whole process group: the desk decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    app = QCoreApplication(sys.argv[:1])
    from softphone.engine.protocol import Channel  # noqa: PLC0415 - after the application
    from softphone.engine.server import EngineServer  # noqa: PLC0415

    sock = socket.socket(fileno=options.fd)

    def channel_of(server: EngineServer) -> Channel:
        return Channel(sock, server.on_message, server.on_closed, server)

    server = EngineServer(channel_of)
    server.emit_event("hello", [os.getpid()])
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main())
