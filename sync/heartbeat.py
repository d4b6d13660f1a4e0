"""The desk's presence heartbeat (``sync.contract.alive``): proves to the server that this
signed-in desk is alive, so an agent whose desk crashed, lost power or lost its network is
marked lost on the board (and offered no calls) instead of staying Ready for ever.

Runs on its own thread with its own ``ApiClient`` from sign-in to sign-out; nothing here
touches Qt. Each heartbeat carries the presence the desk last reported (``presence()``), so
the server restores an agent it had marked lost as soon as the desk is heard again. How often
is the server's to say (``HeartbeatOut.interval_s``, a quarter of its timeout). Failures:

- the network or the server is down: try again with the desk's backoff (1 s, 2 s, 4 s …),
  never waiting longer than the interval, so a desk back on the network is heard at once;
- 404 (a server before contract 1.4): stop sending quietly, ask again after ``ASK_AGAIN_S``
  (the server may be upgraded under a running desk);
- 401 (signed out elsewhere, token expired) or 403 (a role that reports no presence): stop;
  the next sign-in starts a new heartbeat.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sync.client import (
    ApiClient,
    AuthError,
    HeartbeatUnsupportedError,
    NetworkError,
    ProtocolError,
    ServerError,
)
from sync.contract.alive import HeartbeatIn
from sync.engine import Backoff

log = logging.getLogger(__name__)

# Until the server first answers: its default timeout is 60 s, a quarter of it.
FIRST_INTERVAL_S = 15.0
ASK_AGAIN_S = 600.0  # a server without the route: try again this much later
# However long a server says: a desk that is not heard from for long is not news to anyone.
MAX_INTERVAL_S = 300.0


class Heartbeat:
    def __init__(
        self,
        client_factory: Callable[[], ApiClient],
        presence: Callable[[], HeartbeatIn],
        *,
        interval_s: float = FIRST_INTERVAL_S,
        backoff: Backoff | None = None,
    ) -> None:
        self._client_factory = client_factory
        self._presence = presence
        self.interval_s = interval_s
        self._backoff = backoff or Backoff(1.0, 60.0)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.sent = 0  # heartbeats the server took (tests and diagnostics)
        self.supported: bool | None = None  # None: not known yet; False: the server has no route

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="presence-heartbeat", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop (sign-out, quit). A heartbeat in flight ends by its own timeout."""
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=timeout_s)

    def _loop(self) -> None:
        client = self._client_factory()
        try:
            failures = 0
            wait = 0.0  # the first one at once: a desk signing in is alive
            while not self._stopping.wait(wait):
                try:
                    answer = client.heartbeat(self._presence())
                except HeartbeatUnsupportedError:
                    if self.supported is not False:
                        log.info("presence: the server takes no heartbeats (before 1.4)")
                    self.supported = False
                    wait = ASK_AGAIN_S
                    continue
                except AuthError as exc:
                    log.info("presence: heartbeats stop (sign-in needed: %s)", exc)
                    return
                except ServerError as exc:
                    if exc.status == 403:
                        log.info("presence: heartbeats stop (%s)", exc)
                        return
                    failures += 1
                    wait = min(self.interval_s, self._backoff.delay(failures))
                    log.info("presence: heartbeat failed (%s); next in %.1f s", exc, wait)
                    continue
                except (NetworkError, ProtocolError) as exc:
                    failures += 1
                    wait = min(self.interval_s, self._backoff.delay(failures))
                    log.debug("presence: heartbeat failed (%s); next in %.1f s", exc, wait)
                    continue
                failures = 0
                self.supported = True
                self.sent += 1
                self.interval_s = min(answer.interval_s, MAX_INTERVAL_S)
                wait = self.interval_s
        except Exception:  # a bug: logged; the desk goes on, the server will mark it lost
            log.exception("presence: heartbeat stopped")
        finally:
            client.close()
