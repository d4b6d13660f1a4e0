"""The frozen desk's entry point (PyInstaller runs this file as ``__main__``).

The desk starts helpers as ``sys.executable -m MODULE`` (the phone engine, the tour's demo
caller). In the bundle ``sys.executable`` is this program, not a Python interpreter, so the
same command line is answered here: ``agent-desktop -m softphone.engine --fd 7`` runs the
engine. Only the modules the desk itself starts are accepted; anything else is the desk.
"""

from __future__ import annotations

import runpy
import sys

# What the desk starts with ``sys.executable -m`` (softphone/proxy.py, agent_desktop/tour.py).
HELPERS = ("softphone.engine", "softphone.caller")


def run() -> int:
    if len(sys.argv) >= 3 and sys.argv[1] == "-m" and sys.argv[2] in HELPERS:
        module = sys.argv[2]
        sys.argv = [sys.argv[0], *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return 0
    from agent_desktop.__main__ import main  # noqa: PLC0415 - after the helper check

    return main()


if __name__ == "__main__":
    sys.exit(run())
