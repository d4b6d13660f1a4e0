#!/usr/bin/python3
"""Read a desk's accessibility tree as a screen reader does: over AT-SPI (D-Bus).

Runs under the *system* Python (python3-pyatspi comes from Debian, not from PyPI) inside a
private ``dbus-run-session``; it starts the AT-SPI bus launcher, then the desk command given
after ``--`` (with ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``, so Qt registers without a running
screen reader), waits for the desk's ready file, finds the application by name in the AT-SPI
registry, walks its tree and prints one JSON object: how many nodes and controls it saw and the
controls without a name. Bounded: every wait has a deadline; the walk stops at 20,000 nodes.

    dbus-run-session -- /usr/bin/python3 tests/data/atspi_walk.py \
        --app "Agent Workstation" --ready FILE -- DESK_COMMAND...
"""

import argparse
import json
import os
import subprocess
import sys
import time

LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
MAX_NODES = 20000


def wait_for(predicate, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit(json.dumps({"error": "timed out waiting for " + what}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--app", required=True)
    parser.add_argument("--ready", required=True)
    parser.add_argument("--timeout-s", type=float, default=90.0)
    parser.add_argument("desk", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.desk[1:] if args.desk[:1] == ["--"] else args.desk

    launcher = subprocess.Popen(
        [LAUNCHER, "--launch-immediately"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    env = dict(os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_QPA_PLATFORM="xcb")
    desk = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
    try:
        wait_for(
            lambda: os.path.exists(args.ready) or desk.poll() is not None,
            args.timeout_s,
            "the desk to sign in",
        )
        if desk.poll() is not None:
            raise SystemExit(json.dumps({"error": f"the desk exited with {desk.returncode}"}))
        import pyatspi  # after the bus is up: the registry connects at import

        def application():
            desktop = pyatspi.Registry.getDesktop(0)
            for index in range(desktop.childCount):
                app = desktop.getChildAtIndex(index)
                if app is not None and app.name == args.app:
                    return app
            return None

        app = wait_for(application, 30, "the desk in the AT-SPI registry")
        sys.stdout.write(json.dumps(walk(pyatspi, app)) + "\n")
    finally:
        desk.terminate()
        try:
            desk.wait(timeout=20)
        except subprocess.TimeoutExpired:
            desk.kill()
        launcher.terminate()
        launcher.wait(timeout=10)


def walk(pyatspi, app):
    r = pyatspi
    controls = {
        r.ROLE_PUSH_BUTTON,
        r.ROLE_TOGGLE_BUTTON,
        r.ROLE_CHECK_BOX,
        r.ROLE_RADIO_BUTTON,
        r.ROLE_COMBO_BOX,
        r.ROLE_TEXT,
        r.ROLE_ENTRY,
        r.ROLE_PASSWORD_TEXT,
        r.ROLE_SPIN_BUTTON,
        r.ROLE_SLIDER,
        r.ROLE_TABLE,
        r.ROLE_TREE_TABLE,
        r.ROLE_TREE,
        r.ROLE_LIST,
        r.ROLE_LIST_BOX,
        r.ROLE_PAGE_TAB_LIST,
        r.ROLE_PROGRESS_BAR,
        r.ROLE_DATE_EDITOR,
    }
    # A screen reader reaches these' parts through them (cells, a combo's list, a text's
    # clear button, a spin box's text): the walk does not go inside.
    opaque = {
        r.ROLE_COMBO_BOX,
        r.ROLE_TABLE,
        r.ROLE_TREE_TABLE,
        r.ROLE_TREE,
        r.ROLE_LIST,
        r.ROLE_LIST_BOX,
        r.ROLE_SPIN_BUTTON,
        r.ROLE_TEXT,
        r.ROLE_ENTRY,
        r.ROLE_DATE_EDITOR,
        r.ROLE_MENU_BAR,
        r.ROLE_SCROLL_BAR,
        r.ROLE_PAGE_TAB_LIST,
    }
    seen, found, unnamed = 0, 0, []
    stack = [(app, app.name)]
    while stack and seen < MAX_NODES:
        node, path = stack.pop()
        seen += 1
        try:
            role = node.getRole()
            name = (node.name or "").strip()
            count = node.childCount
        except Exception:
            continue
        if role in controls:
            found += 1
            if not name:
                unnamed.append({"role": node.getRoleName(), "path": path})
        if role in opaque and node is not app:
            continue
        for index in range(count):
            child = node.getChildAtIndex(index)
            if child is not None:
                label = child.name or child.getRoleName()
                stack.append((child, path + "/" + label))
    return {"nodes": seen, "controls": found, "unnamed": unnamed, "truncated": bool(stack)}


if __name__ == "__main__":
    main()
