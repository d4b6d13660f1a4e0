"""App factory: wires settings, database, clock, background workers (SLA and alert sweepers,
event broker, the demo caller when asked for), error handlers, routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Protocol

from fastapi import FastAPI

from server_stub import __version__, metrics
from server_stub.alerts import AlertSweeper
from server_stub.api.errors import install_error_handlers
from server_stub.api.gate import install_gate
from server_stub.api.pull_gate import PullGate
from server_stub.api.routes import (
    admin,
    alerts,
    alive,
    assets,
    auth,
    batch,
    centre_admin,
    customers,
    desk_settings,
    directory,
    dispatches,
    feed,
    health,
    interactions,
    knowledge,
    mail,
    monitor,
    people,
    portal_photos,
    quality,
    recording_pauses,
    recordings,
    reports,
    sla_policies,
    snapshot,
    synonyms,
    tickets,
    wallboard,
    wfm,
)
from server_stub.auth_cache import AuthCache, RevocationListener
from server_stub.broker import EventBroker
from server_stub.channels.email_channel import EmailChannel
from server_stub.channels.rounds import MailRounds
from server_stub.clock import Clock, system_clock
from server_stub.core.config import ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import prepare
from server_stub.demo_caller import DemoCaller
from server_stub.feed_tail import FeedTail
from server_stub.metrics import RequestMetrics
from server_stub.portal import pages as portal_pages
from server_stub.portal.faq import FaqWarmUp, PortalFaq
from server_stub.presence_alive import PresenceWatch
from server_stub.recording_store import DirectoryStore
from server_stub.recording_uploads import UploadArea
from server_stub.recordings import RetentionSweeper
from server_stub.reports.keeper import SummaryKeeper
from server_stub.sla import SlaSweeper
from server_stub.sla_policies import current as stored_policies
from server_stub.sms import inbound as sms_inbound
from server_stub.sms.gateway import RecordingSmsGateway, SmsGateway
from server_stub.sms.http_gateway import HttpSmsGateway
from server_stub.sms.sender import SmsSender
from server_stub.snapshots import SnapshotKeeper, SnapshotStore, default_directory
from server_stub.wfm.history_cache import OfferedHistoryCache
from sync.contract.sla import SlaPolicies, default_policies
from sync.contract.wire import API_PREFIX


class _Background(Protocol):
    """A server's background round (the sweepers, the presence watch, the snapshot keeper)."""

    async def start(self) -> None: ...
    async def stop(self) -> None: ...


def _snapshot_parts(
    settings: ServerSettings, database: Database, clock: Clock
) -> tuple[SnapshotStore, SnapshotKeeper | None]:
    """The first-sync snapshots, and their keeper when they are kept ready (a pass a minute)."""
    snapshots = SnapshotStore(
        database,
        settings.snapshot_dir or default_directory(settings.database_url),
        clock,
        max_age=settings.snapshot_max_age,
        max_changes=settings.snapshot_max_changes,
    )
    keeper = (
        SnapshotKeeper(snapshots, database, settings.snapshot_keep_ready_s)
        if settings.snapshot_keep_ready_s > 0
        else None
    )
    return snapshots, keeper


def default_recordings_directory(database_url: str) -> Path:
    """Recordings of a server started without --recordings-dir: beside its snapshots."""
    return (
        default_directory(database_url).parent.parent
        / "agent-workstation-recordings"
        / (default_directory(database_url).name)
    )


def _recording_parts(
    settings: ServerSettings, database: Database, clock: Clock
) -> tuple[DirectoryStore, UploadArea, RetentionSweeper]:
    """Call recordings (issue 20): the files, the partial uploads, the retention job."""
    directory = settings.recordings_dir or default_recordings_directory(settings.database_url)
    store, uploads = DirectoryStore(directory), UploadArea(directory)
    return (
        store,
        uploads,
        RetentionSweeper(database, store, uploads, clock, settings.recording_retention_s),
    )


def _sla_parts(
    settings: ServerSettings, database: Database, clock: Clock
) -> tuple[SlaPolicies, SlaSweeper]:
    """The SLA policies in force until an admin stores the centre's own
    (``server_stub.sla_policies``), and the sweeper that climbs escalation chains."""
    defaults = default_policies(settings.complaint_limit, dict(settings.category_limits))
    return defaults, SlaSweeper(database, clock, lambda: defaults, settings.sla_interval_s)


def _mail_rounds(
    settings: ServerSettings, database: Database, clock: Clock, sla_defaults: SlaPolicies
) -> MailRounds:
    """The team mailboxes (issue 22): each read and its replies sent every round."""
    return MailRounds(
        [
            EmailChannel(
                mailbox,
                database,
                clock.now,
                lambda session: stored_policies(session, sla_defaults),
            )
            for mailbox in settings.mailboxes
        ]
    )


def _install_middleware(app: FastAPI, settings: ServerSettings, clock: Clock) -> None:
    """The pull gate, inside the gate (a refused request never waits for a turn); then what
    IT's tools read, outside the API: the probes, and the metrics with their middleware (added
    last, so outermost: a request the gate refuses is counted too)."""
    app.add_middleware(PullGate, at_once=settings.pull_at_once, waiting=settings.pull_waiting)
    install_gate(app, settings, clock)
    app.include_router(health.probes)  # /health/live and /health/ready
    if settings.metrics:
        app.add_middleware(RequestMetrics)
        app.include_router(metrics.router)


def create_app(  # noqa: PLR0915 (the composition root: one line a part it wires)
    settings: ServerSettings,
    database: Database | None = None,
    clock: Clock | None = None,
    *,
    background: bool = True,
) -> FastAPI:
    """``background=False`` leaves the SLA and alert sweepers and the presence watch's flush
    and sweep to the caller (unit tests).

    Raises ``SchemaError`` when the database is not at this code's schema revision (an empty
    one is created by the migrations)."""
    database = database or Database(settings.database_url)
    prepare(database.engine)
    clock = clock or system_clock()
    broker = EventBroker(database, settings.event_poll_s)
    revocations = RevocationListener(
        database, AuthCache(settings.auth_cache_s, max_age_s=settings.auth_cache_max_s)
    )
    sla_defaults, sweeper = _sla_parts(settings, database, clock)
    alerter = AlertSweeper(database, clock, settings.alert_interval_s)
    watch = PresenceWatch(
        database,
        clock,
        timeout_s=settings.presence_timeout_s,
        flush_s=settings.presence_flush_s,
        sweep_s=settings.presence_sweep_s,
    )
    caller = (
        DemoCaller(database, settings.demo_calls, now=clock.now) if settings.demo_calls else None
    )
    snapshots, keeper = _snapshot_parts(settings, database, clock)
    recording_store, uploads, retention = _recording_parts(settings, database, clock)
    sms = SmsSender(database, sms_gateway_of(settings))
    faq = PortalFaq()
    rounds: list[_Background] = [
        _mail_rounds(settings, database, clock, sla_defaults),
        sweeper,
        alerter,
        watch,
        retention,
        sms,
        FaqWarmUp(faq, database),
        SummaryKeeper(database),  # the reports' dirty quarter hours, every 5 minutes
        *([keeper] if keeper else []),
    ]

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await broker.start()
        await revocations.start()
        if background:
            for periodic in rounds:
                await periodic.start()
        if caller is not None:
            await caller.start()
        try:
            yield
        finally:
            if caller is not None:  # first: its call ends with a BYE, not a dead peer
                await caller.stop()
            for periodic in rounds:
                await periodic.stop()
            await revocations.stop()
            await broker.stop()

    app = FastAPI(title="Agent Workstation backend", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    app.state.database = database
    app.state.clock = clock
    app.state.sla_defaults = sla_defaults
    app.state.broker = broker
    app.state.revocations = revocations  # .cache: what tokens resolved to (api.deps)
    app.state.sla = sweeper
    app.state.alerts = alerter
    app.state.presence_watch = watch  # heartbeats noted (api.routes.alive), flushed, swept
    app.state.snapshots, app.state.snapshot_keeper = snapshots, keeper
    app.state.feed_tail = FeedTail(settings.feed_tail_rows)
    # Call recordings (issue 20): the files, the partial uploads, the retention job.
    app.state.recording_store = recording_store
    app.state.recording_uploads = uploads
    app.state.recording_retention = retention
    # The batch writes the hot operations many at a time (api.fast_lane); False: every one
    # through its route (the differential tests compare the two). Workforce planning keeps
    # each team's year of offered calls a few minutes (issue 21, wfm.history_cache).
    app.state.fast_lane, app.state.wfm_history = True, OfferedHistoryCache()
    _portal_parts(app, sms, faq)
    install_error_handlers(app)

    _install_middleware(app, settings, clock)

    batch.include_routers(
        app,
        health,
        auth,
        batch,
        customers,
        assets,
        interactions,
        mail,  # before tickets: /tickets/{id}/email-replies and /emails
        tickets,
        dispatches,
        knowledge,
        synonyms,
        people,
        desk_settings,
        sla_policies,
        admin,
        centre_admin,
        directory,
        wallboard,
        alerts,
        quality,
        wfm,
        monitor,
        recording_pauses,  # before recordings: /recordings/paused is no recording id
        feed,
        snapshot,
    )
    # Not in the batch's table of routes: a heartbeat is no outbox write; nor are recordings
    # (their uploads are files, not outbox operations), the portal's photos (issue 22: read
    # only, for staff who may read the ticket) or reports (reads only, contract 1.8).
    for extra in (alive.router, recordings.router, portal_photos.router, reports.router):
        app.include_router(extra, prefix=API_PREFIX)
    return app


def _portal_parts(app: FastAPI, sms: SmsSender, faq: PortalFaq) -> None:
    """The customer portal (issue 22): its FAQ index, the SMS gateway notices go through and
    the sender of queued notices (``app.state.sms_sender.send()`` for tests without rounds)."""
    app.state.portal_faq = faq
    app.state.sms_gateway = sms.gateway
    app.state.sms_sender = sms
    # Pages for customers' browsers and the provider's webhook, outside the API.
    app.include_router(portal_pages.router)
    app.include_router(sms_inbound.router)


def sms_gateway_of(settings: ServerSettings) -> SmsGateway:
    """The HTTP provider when a URL is set; else the test gateway (it records, sends nothing)."""
    if settings.sms_url:
        return HttpSmsGateway(settings.sms_url, settings.sms_token)
    return RecordingSmsGateway()
