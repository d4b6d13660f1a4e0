"""Server settings, from the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from server_stub.channels.mail_settings import MailboxSettings
from sync.contract.recordings import MAX_RECORDING_BYTES
from sync.contract.version import OLDEST_DESK, ContractVersion

DEFAULT_PORT = 8640


@dataclass(frozen=True, slots=True)
class DemoCallSettings:
    """The demo caller (``--demo-calls-to``): who it rings, whose presence it waits for, how
    often. Times in seconds."""

    target: str  # the agent's phone, e.g. "sip:agent@127.0.0.1:5062"
    agent: str  # the user name whose presence must be Ready
    every_s: float = 45.0  # from the end of one demo call to the next
    first_after_s: float = 10.0  # Ready this long before the first call (at most every_s)
    talk_s: float = 20.0  # the caller hangs up after this once answered
    ring_s: float = 25.0  # and gives up ringing after this


@dataclass(frozen=True, slots=True)
class ServerSettings:
    database_url: str
    token_lifetime: timedelta = timedelta(hours=12)
    # Refuse bodies larger than this before parsing them (a pasted log file, a hostile client).
    max_body_bytes: int = 1_000_000
    complaint_limit: timedelta = timedelta(hours=24)
    category_limits: dict[str, timedelta] = field(default_factory=dict)
    sla_interval_s: float = 30.0
    # How often each process evaluates the teams' alerts (server_stub.alerts); 0: never.
    alert_interval_s: float = 5.0
    event_poll_s: float = 0.25
    demo_calls: DemoCallSettings | None = None  # off unless the demo asks for it
    # Desks older than this are told to update (426); a desk without the header speaks 1.0.
    oldest_desk: ContractVersion = OLDEST_DESK
    # Which desk releases are current, told to every desk on every answer (sync.contract.
    # release): the newest released desk ("" = not said), and ahead of raising oldest_desk the
    # contract the next step will serve from (desks below it are told urgently) and the date
    # IT announced for it (YYYY-MM-DD, shown as is).
    newest_desk: str = ""
    oldest_desk_next: ContractVersion | None = None
    oldest_desk_next_from: str = ""
    # How long a process keeps what a token resolved to after its last use
    # (server_stub.auth_cache), and at most after its lookup; revocations reach every process
    # at once, other changes of a user within auth_cache_max_s. 0: no cache.
    # 30 s: a desk sends a request every few seconds; with 5 s most of them missed the cache.
    auth_cache_s: float = 30.0
    auth_cache_max_s: float = 300.0
    # The change feed's newest rows each process keeps in memory for the desks' pulls
    # (server_stub.feed_tail): a burst of pulls after an outage reads each row once, not once
    # per desk. 20,000: over 3 minutes of a 400-desk peak; about 1.2 kB a call record in memory
    # (Chinese text makes a Python string 2 bytes a character), so 25–31 MB per process.
    # 0: every pull from the database.
    feed_tail_rows: int = 20_000
    # Change-feed pulls running at once in a process (server_stub.api.pull_gate), so that a
    # herd of them after an outage leaves the writes their threads, connections and cores;
    # more wait their turn, and beyond ``pull_waiting`` waiting are told 503 and Retry-After.
    # 0: no gate.
    pull_at_once: int = 2
    pull_waiting: int = 1_000
    # First-sync snapshots (server_stub.snapshots): where the files are kept (None: a folder
    # per database under the system's temporary directory, shared by the processes of one
    # host), and when one is too old to serve: built this long ago, or this many feed rows
    # behind (the desk pulls those from the feed after loading it).
    snapshot_dir: Path | None = None
    snapshot_max_age: timedelta = timedelta(minutes=15)
    snapshot_max_changes: int = 20_000
    # How often each team's snapshot is checked and rebuilt ahead of its desks if it is missing
    # or stale (server_stub.snapshots.SnapshotKeeper); 0: only on request.
    snapshot_keep_ready_s: float = 60.0
    # Presence liveness (server_stub.presence_alive): an agent whose desk (contract 1.4 or
    # later) sent no heartbeat for this long is marked Logged out, reason "lost_contact", so
    # no call is offered to a dead desk. Desks send one every quarter of it. 0: never.
    presence_timeout_s: float = 60.0
    # How often each process writes the desks it heard from (one batched UPDATE), and how
    # often the stale ones are looked for: the lead sees a lost desk within
    # timeout + flush + sweep.
    presence_flush_s: float = 5.0
    presence_sweep_s: float = 5.0
    # Prometheus metrics at /metrics (server_stub.metrics): off, on for loopback only (no
    # token), or for whoever sends this bearer token (kept out of repr: settings get logged).
    metrics: bool = True
    # Call recordings (issue 20): where their files and partial uploads are kept (None: a
    # folder per database under the system's temporary directory, like the snapshots; a centre
    # sets --recordings-dir to a disk that is backed up), the largest file taken, and how often
    # the retention job deletes expired ones (0: never).
    recordings_dir: Path | None = None
    # SMS notices (issue 22): an HTTP provider's URL and token; no URL: the test gateway.
    sms_url: str = ""
    sms_token: str = ""
    # What the provider's inbound webhook (POST /sms/inbound: STOP) must send; empty: closed.
    sms_inbound_token: str = ""
    # The portal's public address for links in notices (e.g. "https://service.example.com");
    # empty: the address the request came to.
    portal_url: str = ""
    max_recording_bytes: int = MAX_RECORDING_BYTES
    recording_retention_s: float = 3600.0
    metrics_token: str | None = field(default=None, repr=False)
    # The team mailboxes (issue 22, server_stub.channels): read over IMAP, replies sent over
    # SMTP, from ``--mailboxes FILE``; none: no email channel (replies are refused, 409).
    mailboxes: tuple[MailboxSettings, ...] = ()

    @staticmethod
    def sqlite_file(path: Path) -> str:
        return f"sqlite:///{path.resolve()}"
