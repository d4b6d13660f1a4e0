"""A headless caller: ``python -m softphone.caller sip:agent@127.0.0.1:5062 --name 王先生
--number 13800138000 --talk-s 20`` rings a phone, waits to be answered, talks (silence) for a
while, then hangs up. The demo and the tour use it to ring the agent; it is also handy to test
a desk's phone by hand. Exit code 0 when the call was answered, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time

from softphone._pj import Listener, PjStack
from softphone.events import CallInfo, CallState, DtmfMethod, PhoneConfig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m softphone.caller", description=__doc__)
    parser.add_argument("target", help="the SIP URI to ring")
    parser.add_argument("--name", default="Demo caller", help="caller display name")
    parser.add_argument("--number", default="13800138000", help="caller number (user part)")
    parser.add_argument("--talk-s", type=float, default=20.0, help="seconds to stay on the call")
    parser.add_argument("--ring-s", type=float, default=60.0, help="seconds to wait for an answer")
    parser.add_argument("--tone-hz", type=int, default=0, help="play a steady tone into the call")
    parser.add_argument("--record", default="", help="record what the caller hears (WAV)")
    parser.add_argument("--keys", default="", help="press these keys (RFC 4733) once answered")
    args = parser.parse_args(argv)

    states: list[CallInfo] = []

    def heard_key(_call: int, digit: str) -> None:
        sys.stdout.write(f"KEY {digit}\n")  # what the desk pressed, for tests
        sys.stdout.flush()

    stack = PjStack(
        Listener(
            incoming=lambda _c: None,
            call_changed=states.append,
            registration=lambda _r: None,
            dtmf=heard_key,
            transfer=lambda _c, _s, _f: None,
        )
    )
    stack.start(
        PhoneConfig(user=args.number, display_name=args.name, bind_address="127.0.0.1", port=0)
    )
    stack.test_audio(args.tone_hz, args.record)
    answered = False
    pressed_at = 0.0
    try:
        call = stack.dial(args.target)
        deadline = time.monotonic() + args.ring_s
        while time.monotonic() < deadline:
            stack.handle_events()
            time.sleep(0.01)
            last = next((s for s in reversed(states) if s.call_id == call.call_id), None)
            if last is not None and last.state == CallState.CONNECTED and not answered:
                answered = True
                deadline = time.monotonic() + args.talk_s
                pressed_at = time.monotonic() + 0.5  # once the media has settled
            if answered and args.keys and time.monotonic() >= pressed_at:
                stack.send_dtmf(call.call_id, args.keys, DtmfMethod.RFC4733)
                args.keys = ""
            if last is not None and last.state == CallState.ENDED:
                break
    finally:
        stack.stop()
    return 0 if answered else 1


if __name__ == "__main__":
    sys.exit(main())
