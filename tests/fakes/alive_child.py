"""A signed-in desk's sync layer alone in a process, for tests that kill it with SIGKILL:
``python -m tests.fakes.alive_child URL USER STATE``.

Signs in, reports STATE (``PUT /presence/me``), then runs what a signed-in desk runs in the
background: the sync engine's loop, the event stream and the presence heartbeat
(``sync.heartbeat``), each on its own thread, as ``SyncService`` starts them. Prints ``alive``
once the server took a heartbeat, and runs until it is killed.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import uuid
from pathlib import Path

from sync.cache import open_cache
from sync.client import ApiClient
from sync.contract.alive import HeartbeatIn
from sync.contract.records import AgentState
from sync.engine import SyncEngine
from sync.event_stream import EventStream
from sync.heartbeat import Heartbeat

PASSWORD = "demo1234"


def main() -> int:
    url, user, state = sys.argv[1:4]
    with ApiClient(url) as client:
        grant = client.login(user, PASSWORD)
        client.send("PUT", "/presence/me", {"state": state}, str(uuid.uuid4()))
    token = grant.token
    folder = Path(tempfile.mkdtemp(prefix="alive-child-"))
    cache = open_cache(folder / "cache.sqlite", f"{url}|{user}").cache
    engine = SyncEngine(cache, lambda: ApiClient(url, token=token), snapshots=False)
    stream = EventStream(url, token, on_event=lambda _e: None)
    presence = HeartbeatIn(state=AgentState(state))
    heartbeat = Heartbeat(lambda: ApiClient(url, token=token), lambda: presence)
    engine.start()
    stream.start()
    heartbeat.start()
    said = threading.Event()
    while not said.wait(0.05):
        if heartbeat.sent:
            sys.stdout.write("alive\n")
            sys.stdout.flush()
            said.set()
    threading.Event().wait()  # until killed
    return 0


if __name__ == "__main__":
    sys.exit(main())
