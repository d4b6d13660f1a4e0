"""``agent-desktop``: parse options, set up Qt and the asyncio loop, run the workstation."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

# Qt Multimedia reports at start which audio libraries it did not find (PipeWire on a
# PulseAudio system) and which FFmpeg it uses: noise on the agent's terminal, not problems.
# The user's own QT_LOGGING_RULES come last, so they still win.
os.environ["QT_LOGGING_RULES"] = ";".join(
    rule
    for rule in (
        "qt.multimedia.symbolsresolver=false",
        "qt.multimedia.ffmpeg.info=false",
        os.environ.get("QT_LOGGING_RULES", ""),
    )
    if rule
)

import qasync
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from agent_desktop import APP_NAME, ORGANISATION, RESOURCES_DIR
from agent_desktop.app import LaunchOptions, Workstation, temporary_profile
from agent_desktop.cli import build_parser
from agent_desktop.config import (
    LoadedConfig,
    default_profile_dir,
    load_settings,
    machine_config_path,
    user_config_path,
)
from agent_desktop.i18n import LanguageSwitcher, resolve_language
from agent_desktop.logs import setup_logging
from agent_desktop.messages import MessageBridge
from agent_desktop.policy import load_policy


def display_missing() -> bool:
    """True on a Linux/BSD session with neither X11 nor Wayland (an SSH login, a CI box)."""
    if sys.platform in ("win32", "darwin"):
        return False
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal", "vnc")):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def load_config(args: argparse.Namespace) -> LoadedConfig:
    return load_settings(
        args.machine_config or machine_config_path(),
        args.config or user_config_path(),
        {
            "server_url": args.server,
            "username": args.user,
            "language": args.lang,
            "log_level": args.log_level,
        },
        load_policy(),
    )


def profile_of(args: argparse.Namespace) -> Path:
    profile: Path = args.profile_dir or default_profile_dir()
    return profile / "demo" if args.demo else profile


def write_diagnostics(args: argparse.Namespace) -> int:
    """``--diagnostics FILE``: no Qt application, no window, no sign-in (diagnostics_cli)."""
    from agent_desktop.diagnostics_cli import write_offline  # noqa: PLC0415 - this path only

    return write_offline(args.diagnostics, load_config(args), profile_of(args))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.tour is not None and not args.demo:
        parser.error("--tour needs --demo (the tour signs in to the local demo backend)")
    if args.diagnostics is not None:
        return write_diagnostics(args)
    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif display_missing():
        print(  # noqa: T201
            "agent-desktop: no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
            "run headless with 'agent-desktop --demo --offscreen --tour OUTDIR' or under xvfb-run.",
            file=sys.stderr,
        )
        return 2

    loaded = load_config(args)
    settings = loaded.settings
    # A tour starts from the built-in layout every time.
    profile = temporary_profile() if args.tour is not None else profile_of(args)
    setup_logging(settings.log_level, profile / "logs")
    for problem in loaded.policy_problems:  # IT's mistake: in the log for IT, not a dialog
        logging.getLogger("agent_desktop.policy").warning("machine policy: %s", problem)
        print(f"agent-desktop: machine policy: {problem}", file=sys.stderr)  # noqa: T201

    qapp = QApplication([sys.argv[0]])
    qapp.setApplicationName(APP_NAME)
    qapp.setOrganizationName(ORGANISATION)
    qapp.setDesktopFileName("agent-desktop")
    qapp.setWindowIcon(QIcon(str(RESOURCES_DIR / "icons" / "agent-workstation.svg")))
    messages = MessageBridge()
    language = LanguageSwitcher(
        qapp, resolve_language(settings.language), locked="language" in settings.locked
    )
    if language.problem:
        messages.warning(language.problem)
    for error in loaded.errors:
        messages.warning(
            qapp.translate("Config", "Configuration file ignored: %1").replace("%1", str(error))
        )
        print(f"agent-desktop: configuration file ignored: {error}", file=sys.stderr)  # noqa: T201

    options = LaunchOptions(
        profile_dir=profile,
        demo=args.demo,
        # The tour photographs fixed screens: a demo customer ringing mid-tour would spoil it.
        demo_calls=args.demo and not args.no_demo_calls and args.tour is None,
        demo_call_every_s=args.demo_call_every,
        tour_dir=args.tour,
        headless=args.offscreen,
        config_file=args.config,
        palette=args.palette,
        config_origins=loaded.origins,
        config_problems=loaded.problems(),
    )
    workstation = Workstation(qapp, settings, options, messages=messages, language=language)
    code: int = qasync.run(workstation.run())
    return code


if __name__ == "__main__":
    sys.exit(main())
