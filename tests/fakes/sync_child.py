"""A desktop's sync engine alone in a process, for tests that kill it with SIGKILL.

``python -m tests.fakes.sync_child CACHE OWNER URL TOKEN PAGE_SIZE [feed]``: syncs until the
outbox is empty and the feed is drained, then prints ``done`` and exits 0. Writes that cannot
go (their record is in conflict, waiting for the agent) stay: once a round leaves the queue as
it was, it prints ``blocked N`` and exits 0 (``spawn`` starts it). A round the network or a
garbled answer breaks is run again at once, as the desk's loop would after its backoff, a few
times.
``feed``: a first sync page by page from the change feed, not from a snapshot.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sync.cache import open_cache
from sync.client import ApiClient, NetworkError, ProtocolError
from sync.engine import SyncEngine

ROOT = Path(__file__).resolve().parents[2]
TRIES = 5  # a test's proxy may have faults queued: a few, not a network that is down


def spawn(
    cache: Path, owner: str, url: str, token: str, page_size: int, *, snapshots: bool = True
) -> subprocess.Popen[str]:
    """The child on ``cache`` (opened as ``owner``, which must match the desk's own) syncing
    with ``url``; its stdout and stderr piped. ``snapshots=False``: the first sync pulls the
    feed page by page."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakes.sync_child",
            str(cache),
            owner,
            url,
            token,
            str(page_size),
            *([] if snapshots else ["feed"]),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def main() -> int:
    path, owner, url, token, page_size = sys.argv[1:6]
    snapshots = sys.argv[6:7] != ["feed"]
    opened = open_cache(Path(path), owner)
    if opened.notice:
        sys.stderr.write(opened.notice + "\n")
        return 3
    cache = opened.cache
    engine = SyncEngine(
        cache, lambda: ApiClient(url, token=token), page_size=int(page_size), snapshots=snapshots
    )

    def run_once() -> None:
        for tried in range(1, TRIES + 1):
            try:
                engine.run_once()
                return
            except (NetworkError, ProtocolError):
                if tried == TRIES:
                    raise

    run_once()
    queued = [e.seq for e in cache.outbox("queued")]
    while queued:
        run_once()
        before, queued = queued, [e.seq for e in cache.outbox("queued")]
        if queued == before:  # nothing could go: the rest waits for the agent
            cache.close()
            sys.stdout.write(f"blocked {len(queued)}\n")
            return 0
    cache.close()
    sys.stdout.write("done\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
