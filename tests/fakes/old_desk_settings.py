"""Run with the previous release on PYTHONPATH (tests/e2e/test_mixed_versions.py): that
release's desk code reads this server's desk settings and its event stream. Prints one JSON
line: the VIP hotline's wrap-up time it read, and the kinds of events it received in order
(the stream must carry on past a kind it does not know)."""

from __future__ import annotations

import json
import sys
import threading

from sync.client import ApiClient  # the previous release's
from sync.event_stream import EventStream


def main(url: str) -> None:
    with ApiClient(url) as api:
        token = api.login("wangfang", "demo1234").token
    with ApiClient(url, token=token) as api:
        settings = api.desk_settings()
    kinds: list[str] = []
    presence = threading.Event()

    def received(event: object) -> None:
        kind = str(getattr(event, "kind", ""))
        kinds.append(kind)
        if kind == "presence":
            presence.set()

    stream = EventStream(url, token, on_event=received, last_id=0)
    stream.start()
    presence.wait(30)
    stream.stop()
    result = {"vip": settings.wrap_up_s.get("VIP hotline"), "kinds": kinds}
    print(json.dumps(result))  # noqa: T201 - the test reads this line


if __name__ == "__main__":
    main(sys.argv[1])
