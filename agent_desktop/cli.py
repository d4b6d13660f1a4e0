"""Command-line options of ``agent-desktop`` (every option documented in ``--help``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from agent_desktop import __version__
from agent_desktop.config import LANGUAGES, LOG_LEVELS, machine_config_path, user_config_path
from agent_desktop.policy import policy_location


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agent-desktop",
        description=(
            "Agent Workstation: softphone, screen pop, tickets, dispatch and knowledge base "
            "for contact-centre agents and team leads."
        ),
        epilog=(
            "Settings are layered: built-in defaults < machine-wide file "
            f"({machine_config_path()}) < machine policy ({policy_location()}) < per-user file "
            f"({user_config_path()}) < these options; a setting the machine policy locks keeps "
            "its value over the per-user file and these options. "
            "Secrets are kept only in the OS keychain."
        ),
    )
    parser.add_argument(
        "--server", metavar="URL", help="backend address, e.g. https://cc.example.com"
    )
    parser.add_argument("--user", metavar="NAME", help="user name to sign in with")
    parser.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help="per-user configuration file to use instead of the default",
    )
    parser.add_argument(
        "--machine-config",
        metavar="FILE",
        type=Path,
        help="machine-wide configuration file (IT) to use instead of the default",
    )
    parser.add_argument(
        "--profile-dir",
        metavar="DIR",
        type=Path,
        help="folder for window layout, logs and the local cache (default: per-user state folder)",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, help="user-interface language (auto follows the system)"
    )
    parser.add_argument(
        "--palette",
        choices=("auto", "light", "dark", "high_contrast"),
        help="colours for this run, not saved (auto follows the system's dark mode and "
        "contrast setting; default: the View > Colours choice)",
    )
    parser.add_argument("--log-level", choices=LOG_LEVELS, help="how much to write to the log")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start a local demo backend with seeded data and sign in as the demo agent",
    )
    parser.add_argument(
        "--no-demo-calls",
        action="store_true",
        help="with --demo: no demo customers ring this desk (they do by default while you "
        "are Ready; the tour never gets them)",
    )
    parser.add_argument(
        "--demo-call-every",
        metavar="SECONDS",
        type=_positive_seconds,
        default=45.0,
        help="with --demo: seconds from the end of one demo call to the next "
        "(default %(default)g; the first comes about 10 s after you go Ready)",
    )
    parser.add_argument(
        "--offscreen",
        action="store_true",
        help="run without a display (Qt's offscreen platform); use with --tour",
    )
    parser.add_argument(
        "--tour",
        metavar="OUTDIR",
        type=Path,
        help="drive the app through its main screens, write one PNG per screen and tour.log "
        "to OUTDIR, then exit (needs --demo)",
    )
    parser.add_argument(
        "--diagnostics",
        metavar="FILE",
        type=Path,
        help="write the diagnostics zip IT asks for to FILE and exit, without a window or a "
        "sign-in (versions, OS, configuration with each key's source, local cache check and "
        "outbox counts, logs); prints the zip's path. Help > Save diagnostics in the running "
        "desk adds the phone, audio, sync and the SIP trace",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if seconds <= 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return seconds
