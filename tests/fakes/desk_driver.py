"""A headless desk of any release, for mixed-version tests: sign in, pull, write, push.

``PYTHONPATH=<release> python tests/fakes/desk_driver.py CACHE URL USER TAG`` runs the ``sync``
package of that release (only its long-standing API: ApiClient, open_cache, SyncEngine,
LocalCache.create/update/get/counts), prints one JSON line with what it saw and did, exits 0.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sync.cache import LocalCache, open_cache
from sync.client import ApiClient
from sync.engine import SyncEngine

PASSWORD = "demo1234"
KNOWN_CALLER = "13800138000"  # a seeded customer's mobile


def drain(engine: SyncEngine, cache: LocalCache) -> None:
    for _ in range(50):  # bounded: each round pushes and pulls what it can
        engine.run_once()
        if not cache.counts().waiting:
            return
    raise SystemExit("the outbox never emptied")


def main() -> int:
    cache_file, url, user, tag = sys.argv[1:5]
    with ApiClient(url) as client:
        grant = client.login(user, PASSWORD)
        found = client.lookup_customers(KNOWN_CALLER)
    # Releases before typed records answered the lookup with dicts; later ones with CustomerOut.
    first = found[0]
    customer_id = int(first["id"] if isinstance(first, dict) else first.id)
    opened = open_cache(Path(cache_file), f"{url}|{user}")
    cache = opened.cache
    engine = SyncEngine(cache, lambda: ApiClient(url, token=grant.token))
    drain(engine, cache)
    pulled = cache.get("customer", customer_id)
    team = grant.user.team.id if grant.user.team else 0
    created = cache.create(
        "customer", {"code": f"MIX-{tag}", "name": f"混合版本 {tag}", "team_id": team}
    ).result(timeout=30)
    cache.update("customer", customer_id, {"notes": f"edited by the {tag} desk"}).result(timeout=30)
    drain(engine, cache)
    counts = cache.counts()
    print(  # noqa: T201 - the test reads this line
        json.dumps(
            {
                "pulled_customer": pulled is not None,
                "created_local_id": created,
                "waiting": counts.waiting,
                "failed": counts.failed,
                "conflicts": counts.conflicts,
            }
        )
    )
    cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
