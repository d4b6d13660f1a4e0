"""``agent-server``: run the backend (and seed it)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

from server_stub import __version__, backup_cli, desk_settings_cli, logs, metrics
from server_stub.channels.mail_settings import (
    MailboxSettings,
    MailboxSettingsError,
    load_mailboxes,
)
from server_stub.cli_options import add_database_options
from server_stub.clock import system_clock
from server_stub.core.config import DEFAULT_PORT, DemoCallSettings, ServerSettings
from server_stub.core.db import Database
from server_stub.core.schema import SchemaError, migrate, prepare
from server_stub.core.sources import SourceError, apply, read_secret, with_password
from server_stub.main import create_app
from server_stub.seed import DEMO_AGENT, seed_demo, seed_scale
from server_stub.seed_centre import seed_centre
from server_stub.serve import ApiServer
from server_stub.workers import Supervisor, WorkerPlan, refusal
from sync.contract import release as desk_release
from sync.contract.recordings import MAX_RECORDING_BYTES
from sync.contract.version import CONTRACT, OLDEST_DESK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agent-server",
        description="Agent Workstation backend: REST API for the agent desktops. "
        "'agent-server desk-settings export|import FILE': the centre's desk settings as a file. "
        "'agent-server backup|restore': the database to a file and back (see --help of each).",
        epilog="Every service option may also be set by an environment variable "
        "AGENT_SERVER_<OPTION> (AGENT_SERVER_DATABASE_URL, AGENT_SERVER_PORT, …) or by a key of "
        'the TOML file --config names (database_url = "…"); a flag wins over the variable, '
        "the variable over the file.",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="TOML file of settings, keys named as the options (or AGENT_SERVER_CONFIG)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="TCP port (default %(default)s)"
    )
    add_database_options(parser)
    parser.add_argument(
        "--database-password-file",
        type=Path,
        metavar="FILE",
        help="the database password, kept out of the URL: a file only the service user may "
        "read (systemd's LoadCredential)",
    )
    parser.add_argument(
        "--seed",
        choices=["demo", "scale", "centre"],
        help="demo: small bilingual demo data into an empty database; scale: demo data plus "
        "--customers generated customers (for benchmarks); centre: demo data plus --agents "
        "agents desk0001… in teams of 25 (for load tests)",
    )
    parser.add_argument(
        "--agents", type=int, default=400, help="how many agents --seed centre adds"
    )
    parser.add_argument(
        "--customers", type=int, default=100_000, help="how many customers --seed scale adds"
    )
    parser.add_argument(
        "--interactions-per-customer",
        type=int,
        default=0,
        help="past calls --seed scale adds for each generated customer",
    )
    parser.add_argument(
        "--complaint-limit-hours",
        type=float,
        default=24.0,
        help="hours a complaint may wait for an answer before it escalates (default 24); "
        "the default chain's first level, until an admin sets the SLA policies",
    )
    parser.add_argument(
        "--sla-interval",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="how often each process sweeps for escalation levels due (default %(default)g)",
    )
    parser.add_argument(
        "--category-limit",
        action="append",
        default=[],
        metavar="CATEGORY=HOURS",
        help="a different limit for one ticket category; repeat for several",
    )
    parser.add_argument(
        "--recordings-dir",
        metavar="DIR",
        type=Path,
        default=None,
        help="where call recordings and their partial uploads are kept (default: a folder "
        "per database under the system's temporary directory; set a backed-up disk)",
    )
    parser.add_argument(
        "--mailboxes",
        metavar="FILE",
        type=Path,
        default=None,
        help="the team mailboxes of the email channel (TOML, [[mailbox]] tables; passwords "
        "from password_file or password_env, never in the file); none: no email channel",
    )
    parser.add_argument(
        "--max-recording-mb",
        metavar="MB",
        type=int,
        default=MAX_RECORDING_BYTES // (1024 * 1024),
        help="the largest recording file taken (default %(default)d)",
    )
    parser.add_argument(
        "--presence-timeout",
        metavar="SECONDS",
        type=float,
        default=60.0,
        help="an agent whose desk sends no heartbeat for this long (a crash, a power cut, a "
        "lost network) is logged out as 'lost contact', so no call is offered to a dead desk; "
        "desks send one every quarter of it; 0: never (default %(default)g)",
    )
    releases = parser.add_argument_group(
        "desk releases",
        "which desks are current: told to every desk on every answer (the desk tells its agent "
        "and logs it for IT); desks below --oldest-desk are refused (426) and told to update",
    )
    releases.add_argument(
        "--newest-desk",
        metavar="VERSION",
        default="",
        help="the newest released desk, e.g. 1.6.0; older desks say an update is available",
    )
    releases.add_argument(
        "--oldest-desk",
        metavar="MAJOR.MINOR",
        type=desk_release.contract_setting,
        default=str(OLDEST_DESK),
        help="the oldest desk contract served (default %(default)s)",
    )
    releases.add_argument(
        "--oldest-desk-next",
        metavar="MAJOR.MINOR",
        type=desk_release.contract_setting,
        default="",
        help="the oldest desk contract the next upgrade of this server will serve: desks "
        "below it warn their agents urgently",
    )
    releases.add_argument(
        "--oldest-desk-next-from",
        metavar="YYYY-MM-DD",
        default="",
        help="when that step is planned (shown to those agents)",
    )
    demo = parser.add_argument_group(
        "demo calls", "demo customers ring an agent's phone while the agent is Ready"
    )
    demo.add_argument(
        "--demo-calls-to",
        metavar="SIP_URI",
        help="the agent's phone to ring, e.g. sip:agent@127.0.0.1:5062 (off without it)",
    )
    demo.add_argument(
        "--demo-agent",
        metavar="USER",
        default=DEMO_AGENT,
        help="whose presence must be Ready for a call (default %(default)s)",
    )
    demo.add_argument(
        "--demo-call-every",
        metavar="SECONDS",
        type=float,
        default=45.0,
        help="seconds from the end of one demo call to the next (default %(default)g); the "
        "first comes 10 s after the agent goes Ready, or sooner if this is shorter",
    )
    demo.add_argument(
        "--demo-call-talk",
        metavar="SECONDS",
        type=float,
        default=20.0,
        help="how long a demo caller stays on once answered (default %(default)g)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes on the one port (PostgreSQL only; SQLite runs one process). "
        "About one per core; see the README, Scale (default %(default)s)",
    )
    parser.add_argument("--seed-only", action="store_true", help="seed, then exit")
    parser.add_argument(
        "--migrate",
        action="store_true",
        help="upgrade the database's schema to this release's (adopting one made by the "
        "release before migrations), then exit; back the database up first",
    )
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning"])
    parser.add_argument(
        "--log-format",
        default="text",
        choices=list(logs.FORMATS),
        help="json: one JSON object a line, for a log shipper (default %(default)s)",
    )
    parser.add_argument(
        "--metrics",
        default="on",
        choices=["on", "off"],
        help="Prometheus metrics at /metrics (default %(default)s)",
    )
    parser.add_argument(
        "--metrics-token-file",
        type=Path,
        metavar="FILE",
        help="/metrics asks for 'Authorization: Bearer' and this file's token; without it "
        "/metrics answers only this machine (loopback)",
    )
    # The customer portal's SMS notices (issue 22).
    parser.add_argument(
        "--sms-url",
        metavar="URL",
        default="",
        help="the SMS provider's send address (POST JSON {to, text} with a bearer token); "
        "without it notices go to the test gateway, which only records them",
    )
    parser.add_argument(
        "--sms-token-file", type=Path, metavar="FILE", help="the SMS provider's token"
    )
    parser.add_argument(
        "--sms-inbound-token-file",
        type=Path,
        metavar="FILE",
        help="the token the provider's inbound webhook (POST /sms/inbound: STOP) sends; "
        "without it the webhook is closed",
    )
    parser.add_argument(
        "--portal-url",
        metavar="URL",
        default="",
        help="the customer portal's public address, for links in SMS notices "
        "(default: the address a request came to)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _mailboxes(parser: argparse.ArgumentParser, path: Path | None) -> tuple[MailboxSettings, ...]:
    """The team mailboxes of ``--mailboxes`` (none without it); a wrong file ends the start
    with the problem named."""
    try:
        return load_mailboxes(path) if path is not None else ()
    except MailboxSettingsError as exc:
        parser.error(str(exc))


def server_settings(
    parser: argparse.ArgumentParser, args: argparse.Namespace, url: str
) -> ServerSettings:
    """The settings the options ask for; ``parser.error`` (exit 2) for options that do not go
    together or make no sense."""
    limits = {}
    for item in args.category_limit:
        category, _, hours = item.partition("=")
        try:
            limits[category.strip()] = timedelta(hours=float(hours))
        except ValueError:
            parser.error(f"--category-limit {item!r}: expected CATEGORY=HOURS")
    if args.demo_calls_to and not args.demo_calls_to.lower().startswith(("sip:", "sips:")):
        parser.error(f"--demo-calls-to {args.demo_calls_to!r}: expected a sip: URI")
    if args.presence_timeout < 0:
        parser.error("--presence-timeout must be 0 (off) or positive")
    if args.demo_call_every <= 0 or args.demo_call_talk <= 0:
        parser.error("--demo-call-every and --demo-call-talk must be positive")
    refused = refusal(url, args.workers, bool(args.demo_calls_to))
    if args.newest_desk and not desk_release.valid_release(args.newest_desk):
        parser.error(f"--newest-desk {args.newest_desk!r}: expected a version such as 1.6.0")
    if args.oldest_desk_next_from and not desk_release.valid_date(args.oldest_desk_next_from):
        parser.error(f"--oldest-desk-next-from {args.oldest_desk_next_from!r}: expected YYYY-MM-DD")
    # MAJOR.MINOR, checked by the options' type (release.contract_setting).
    oldest, oldest_next = args.oldest_desk or OLDEST_DESK, args.oldest_desk_next
    # A floor above what this server speaks would refuse every desk (426 to all); a next step
    # below today's floor is a typo. Both are said at start, not found out by the agents.
    if oldest > CONTRACT:
        parser.error(
            f"--oldest-desk {oldest}: this server speaks contract {CONTRACT}; a higher floor "
            "would refuse every desk"
        )
    if oldest_next is not None and oldest_next < oldest:
        parser.error(f"--oldest-desk-next {oldest_next} is below --oldest-desk {oldest}")
    if refused:
        parser.error(refused)
    if not 0 < args.sla_interval <= 3600:
        parser.error("--sla-interval must be more than 0 and at most 3600 seconds")
    demo_calls = (
        DemoCallSettings(
            target=args.demo_calls_to,
            agent=args.demo_agent,
            every_s=args.demo_call_every,
            talk_s=args.demo_call_talk,
        )
        if args.demo_calls_to
        else None
    )
    # A short timeout (a demo, a test) is noticed as soon: flush and sweep within it.
    rounds_s = min(5.0, max(0.1, args.presence_timeout / 8))
    try:
        token = (
            read_secret(args.metrics_token_file, "metrics_token_file")
            if args.metrics_token_file
            else None
        )
        sms = _sms_secrets(args)
    except SourceError as exc:
        parser.error(str(exc))
    return ServerSettings(
        database_url=url,
        complaint_limit=timedelta(hours=args.complaint_limit_hours),
        category_limits=limits,
        sla_interval_s=args.sla_interval,
        demo_calls=demo_calls,
        presence_timeout_s=args.presence_timeout,
        presence_flush_s=rounds_s,
        presence_sweep_s=rounds_s,
        metrics=args.metrics == "on",
        metrics_token=token,
        oldest_desk=oldest,
        newest_desk=args.newest_desk.strip(),
        oldest_desk_next=oldest_next,
        oldest_desk_next_from=args.oldest_desk_next_from.strip() if oldest_next else "",
        recordings_dir=args.recordings_dir,
        max_recording_bytes=max(0, args.max_recording_mb) * 1024 * 1024,
        mailboxes=_mailboxes(parser, args.mailboxes),
        sms_url=args.sms_url.strip(),
        sms_token=sms[0],
        sms_inbound_token=sms[1],
        portal_url=args.portal_url.strip(),
    )


def _sms_secrets(args: argparse.Namespace) -> tuple[str, str]:
    """The SMS provider's token and the inbound webhook's, from their files ("" without)."""
    return (
        read_secret(args.sms_token_file, "sms_token_file") if args.sms_token_file else "",
        read_secret(args.sms_inbound_token_file, "sms_inbound_token_file")
        if args.sms_inbound_token_file
        else "",
    )


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    if given[:1] == [desk_settings_cli.COMMAND]:  # agent-server desk-settings export|import
        return desk_settings_cli.run(given[1:])
    if given[:1] and given[0] in backup_cli.COMMANDS:  # agent-server backup|restore
        return backup_cli.run(given[1:], given[0])
    return serve(given)


def serve(argv: list[str]) -> int:
    parser = build_parser()
    apply(parser, argv, os.environ)  # the file's and the environment's values as defaults
    args = parser.parse_args(argv)
    logs.configure(args.log_level, args.log_format)
    try:
        url = with_password(
            args.database_url or ServerSettings.sqlite_file(args.database),
            args.database_password_file,
        )
    except SourceError as exc:
        parser.error(str(exc))
    settings = server_settings(parser, args, url)
    clock = system_clock()  # the real one, or AGENT_WORKSTATION_CLOCK's pinned instant
    database = Database(url)
    log = logging.getLogger("server_stub")
    try:
        if args.migrate:
            log.info("schema: migrated to revision %s", migrate(database.engine))
            return 0
        prepare(database.engine)  # an empty database is created; any other must be current
    except SchemaError as exc:
        print(f"agent-server: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    if args.seed == "demo":
        with database.session() as session:
            wrote = seed_demo(session, now=clock.now())
        log.info("demo seed %s", "written" if wrote else "skipped: the database already has users")
    elif args.seed == "scale":
        started = time.monotonic()
        with database.session() as session:
            added = seed_scale(
                session,
                args.customers,
                interactions_per_customer=args.interactions_per_customer,
                now=clock.now(),
            )
        log.info("scale seed: %d customers in %.1f s", added, time.monotonic() - started)
    elif args.seed == "centre":
        with database.session() as session:
            added = seed_centre(session, args.agents, now=clock.now())
        log.info("centre seed: %d agents added", added)
    if args.seed_only:
        return 0
    if args.workers > 1:
        database.dispose()  # each worker opens its own pool
        plan = WorkerPlan(settings, args.host, args.port, args.log_level, args.log_format)
        supervisor = Supervisor(plan, args.workers)
        supervisor.bind()
        print(  # noqa: T201
            f"Agent Workstation backend listening on http://{args.host}:{args.port} "
            f"({args.workers} workers)",
            flush=True,
        )
        # Before the workers start: they inherit it (prometheus_client's multiprocess mode).
        folder = metrics.multiprocess_folder() if settings.metrics else None
        try:
            return supervisor.run()
        finally:
            metrics.remove_folder(folder)
    app = create_app(settings, database, clock)
    print(f"Agent Workstation backend listening on http://{args.host}:{args.port}", flush=True)  # noqa: T201
    ApiServer(app, args.host, args.port, args.log_level).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
