"""Headset hot-plug benchmark: from a headset pulled out to the desk told the call's audio is
on the default output, beside the sound server's own notification in the same run.

A private PulseAudio (``tests/fakes/pulse.py``) has the headset (a null sink) and the PC's
speakers (the default); the desk's ``Phone`` runs its engine process with the headset open.
Each round unloads the headset's module and times, from just before the unload:

- the figure: the desk's ``RemoteHeadset.devices_changed`` naming the speakers (the engine's
  watcher heard it, the bridge reopened its sink, the event crossed the channel);
- the floor: a bare ``pulsectl`` subscriber in this process hearing the sink's ``remove``.

Then the headset is loaded again and chosen again for the next round.

Usage: ``python -m bench.bench_hotplug`` (``--rounds 20`` for the README's figures).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication

from bench.qt_wait import wait as qt_wait
from bench.results import Figure, record
from softphone import Phone, PhoneConfig
from softphone.proxy import RemoteHeadset
from tests.fakes.pulse import PulseServer

ROUNDS = 5


class BareSubscriber:
    """The floor: libpulse's own event for the headset's sink going, on a thread of its own."""

    def __init__(self, server: str) -> None:
        import pulsectl  # type: ignore[import-untyped]  # noqa: PLC0415

        self._pulsectl = pulsectl
        self._pulse = pulsectl.Pulse("bench-floor", server=server)
        self._pulse.event_mask_set("sink")
        self._pulse.event_callback_set(self._on_event)
        self.removed_at: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _on_event(self, event: Any) -> None:
        if event.t == "remove":
            self.removed_at.append(time.perf_counter())

    def _run(self) -> None:
        while not self._stop.is_set():
            self._pulse.event_listen(timeout=0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._pulse.close()


def wait(app: QCoreApplication, until: Callable[[], bool], what: str) -> None:
    """At 1 ms: the times read after a wait are the latencies measured."""
    qt_wait(app, until, what, poll_s=0.001)


class Desk:
    """The desk's side: the devices in use as its ``RemoteHeadset`` hears them, and when."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.headset = RemoteHeadset()
        self.in_use: list[str] = []
        self.seen_at: list[float] = []
        self.headset.devices_changed.connect(self._changed)

    def _changed(self, output: str, _input: str) -> None:
        self.in_use.append(output)
        self.seen_at.append(time.perf_counter())

    def pick_headset(self, chosen: str) -> None:
        """The agent picks the headset again (it does not take over by itself); a pick the
        engine gets before it heard the headset back lands on the speakers: pick again."""
        for _attempt in range(50):
            before = len(self.in_use)
            self.headset.open("headset", "headset_mic")
            wait(self.app, lambda b=before: len(self.in_use) > b, "the pick answered")
            if self.in_use[-1] == chosen:
                return
            time.sleep(0.05)
        raise SystemExit("the headset plugged back in was never chosen again")


def pull_out(desk: Desk, control: Any, floor: BareSubscriber, rounds: int) -> list[list[float]]:
    """The headset pulled ``rounds`` times: (fallback, bare event) delays in ms."""
    wait(desk.app, lambda: bool(desk.in_use) and desk.in_use[-1] != "Speakers", "the headset")
    chosen = desk.in_use[-1]
    fallbacks: list[float] = []
    notified: list[float] = []
    for _ in range(rounds):
        module = next(m for m in control.module_list() if "sink_name=headset" in m.argument)
        heard = len(floor.removed_at)
        before = len(desk.in_use)
        pulled = time.perf_counter()
        control.module_unload(module.index)
        wait(desk.app, lambda b=before: "Speakers" in desk.in_use[b:], f"fallback {desk.in_use}")
        wait(desk.app, lambda h=heard: len(floor.removed_at) > h, "the bare event")
        fallbacks.append((desk.seen_at[desk.in_use.index("Speakers", before)] - pulled) * 1000)
        notified.append((floor.removed_at[heard] - pulled) * 1000)
        control.module_load("module-null-sink", "sink_name=headset rate=16000 channels=1")
        desk.pick_headset(chosen)
    return [fallbacks, notified]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="headsets pulled out")
    args = parser.parse_args()
    app = QCoreApplication.instance() or QCoreApplication([])
    import pulsectl  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as scratch:
        pulse = PulseServer(Path(scratch) / "pulse")
        os.environ.update({k: pulse.env[k] for k in ("XDG_RUNTIME_DIR", "HOME", "PULSE_SERVER")})
        control = pulsectl.Pulse("bench-control", server=pulse.env["PULSE_SERVER"])
        control.module_load(
            "module-null-sink",
            "sink_name=speakers rate=16000 channels=1 sink_properties=device.description=Speakers",
        )
        control.sink_default_set("speakers")
        floor = BareSubscriber(pulse.env["PULSE_SERVER"])
        desk = Desk(app)
        desk.headset.open("headset", "headset_mic")
        phone = Phone()
        phone.start(PhoneConfig(bind_address="127.0.0.1", domain="127.0.0.1"), headset=desk.headset)
        try:
            phone.wait_ready()
            fallbacks, notified = pull_out(desk, control, floor, args.rounds)
        finally:
            phone.stop()
            floor.stop()
            control.close()
            pulse.stop()
    record(
        "hotplug",
        [
            Figure(
                "headset pulled -> desk told the speakers are in use, p50",
                statistics.median(fallbacks),
                "ms",
                statistics.median(notified),
                "PulseAudio's remove event to a bare subscriber, p50",
                aim="well under a second (was: never)",
                detail={"max": max(fallbacks), "floor_max": max(notified)},
            )
        ],
        {"rounds": args.rounds},
    )


if __name__ == "__main__":
    main()
