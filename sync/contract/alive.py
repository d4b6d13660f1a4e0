"""Presence liveness (contract 1.4): a signed-in desk proves it is alive; a desk that went
silent (crash, power, network) is marked Logged out with the reason ``LOST_CONTACT``.

``POST /presence/heartbeat`` every ``HeartbeatOut.interval_s`` (the server says how often; its
``timeout_s`` is how long it waits before marking the agent lost). The body carries the state
the desk last reported, so a desk that comes back after an outage is restored to it by its
next heartbeat without the agent doing anything. The server keeps the heartbeat in memory and
writes the desks it heard from in one batched UPDATE every few seconds: no database write per
heartbeat.

Lost is not a new ``AgentState``: a desk or an ACD integration of an older release reads it as
Logged out (it is), and the board counts it there; only the reason tells the lead why.
A server before 1.4 answers 404: the desk stops sending (and asks again much later).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from sync.contract.records import AgentState
from sync.contract.wire import Plain, ShortText, WireModel

HEARTBEAT_ROUTE = "/presence/heartbeat"
# The reason on a presence the server set to Logged out because the desk went silent.
LOST_CONTACT = "lost_contact"


class HeartbeatIn(WireModel):
    """What the desk last reported (``PUT /presence/me``); None: nothing yet (not restored)."""

    state: AgentState | None = None
    reason: ShortText = ""
    sip_uri: Annotated[
        str,
        StringConstraints(
            max_length=200, pattern=r"^(|sips?:[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+(:\d{1,5})?)$"
        ),
        Plain,
    ] = ""


class HeartbeatOut(WireModel):
    interval_s: float = Field(gt=0)  # send the next one within this
    # Silent this long: marked lost (0: this server does not watch).
    timeout_s: float = Field(ge=0)
