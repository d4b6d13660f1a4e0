"""``agent-desktop --diagnostics FILE``: the diagnostics zip without a GUI session.

For IT at a PC where the desk will not start, or over SSH: no window, no sign-in, no Qt
application, no keychain. What the files on this PC say: versions, OS, the effective
configuration with the source of each key, every local cache of the profile checked
(``PRAGMA quick_check``, read-only) with its outbox counts, and the logs. Not the SIP trace:
the running desk keeps it in memory only (a trace file on disk would be one more copy of who
called whom); the log holds the SIP messages when ``phone.sip_log_level`` lets it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from agent_desktop.config import LoadedConfig
from agent_desktop.diagnostics_bundle import write_bundle


def write_offline(target: Path, loaded: LoadedConfig, profile_dir: Path) -> int:
    """Write the bundle; its path on stdout and 0, or a message on stderr and 1."""
    try:
        path = write_bundle(
            target,
            profile_dir=profile_dir,
            settings=loaded.settings,
            origins=loaded.origins,
            problems=loaded.problems(),
        )
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(  # noqa: T201 - the command's answer
            f"agent-desktop: cannot write the diagnostics to {target}: {reason}", file=sys.stderr
        )
        return 1
    print(path)  # noqa: T201 - the command's answer: where the zip is
    return 0
