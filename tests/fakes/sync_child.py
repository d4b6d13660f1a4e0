"""A desktop's sync engine alone in a process, for tests that kill it with SIGKILL.

``python -m tests.fakes.sync_child CACHE OWNER URL TOKEN PAGE_SIZE``: syncs until the outbox is
empty and the feed is drained, then prints ``done`` and exits 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sync.cache import open_cache
from sync.client import ApiClient
from sync.engine import SyncEngine


def main() -> int:
    path, owner, url, token, page_size = sys.argv[1:6]
    opened = open_cache(Path(path), owner)
    if opened.notice:
        sys.stderr.write(opened.notice + "\n")
        return 3
    engine = SyncEngine(opened.cache, lambda: ApiClient(url, token=token), page_size=int(page_size))
    engine.run_once()
    while opened.cache.counts().waiting:
        engine.run_once()
    opened.cache.close()
    sys.stdout.write("done\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
