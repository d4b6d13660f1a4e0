"""A headless caller: ``python -m softphone.caller sip:agent@127.0.0.1:5062 --name 王先生
--number 13800138000 --talk-s 20`` rings a phone, waits to be answered, talks (silence, a tone
or a looped WAV with ``--play``) for a while, then hangs up. The demo backend's demo caller and
the tour use it to ring the agent; it is also handy to test a desk's phone by hand. With
``--listen`` it answers calls instead (prints ``LISTENING <address>``): the far party of a
transfer in tests. ``--accept-transfer`` follows a REFER. SIGTERM ends the call with a BYE.
Exit code 0 when a call was answered, 1 otherwise.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable

from softphone._pj import Listener, PjStack
from softphone.errors import PhoneError
from softphone.events import CallInfo, CallState, DtmfMethod, PhoneConfig, SrtpUse, Transport


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m softphone.caller", description=__doc__)
    parser.add_argument("target", nargs="?", default="", help="the SIP URI to ring")
    parser.add_argument("--listen", action="store_true", help="wait for calls and answer them")
    parser.add_argument("--name", default="Demo caller", help="caller display name")
    parser.add_argument("--number", default="13800138000", help="caller number (user part)")
    parser.add_argument("--talk-s", type=float, default=20.0, help="seconds to stay on the call")
    parser.add_argument("--ring-s", type=float, default=60.0, help="seconds to wait for an answer")
    parser.add_argument("--tone-hz", type=int, default=0, help="play a steady tone into the call")
    parser.add_argument("--play", default="", help="loop this WAV into the call once answered")
    parser.add_argument(
        "--domain", default="127.0.0.1", help="host part of our From (anonymous.invalid: withheld)"
    )
    parser.add_argument("--record", default="", help="record what the caller hears (WAV)")
    parser.add_argument(
        "--record-from", type=float, default=0.0, metavar="S",
        help="start recording this many seconds after the call connects",
    )  # fmt: skip
    parser.add_argument("--keys", default="", help="press these keys (RFC 4733) once answered")
    parser.add_argument(
        "--accept-transfer", action="store_true", help="follow a REFER (be transferred)"
    )
    parser.add_argument("--transport", choices=[t.value for t in Transport], default="udp")
    parser.add_argument("--tls-cert", default="", help="our certificate (PEM), to listen on TLS")
    parser.add_argument("--tls-key", default="", help="its private key (PEM)")
    parser.add_argument("--tls-ca", default="", help="CA file to verify the far end with")
    parser.add_argument("--srtp", choices=[s.value for s in SrtpUse], default="off")
    parser.add_argument(
        "--codecs", default="G722,PCMA,PCMU", help="codecs to offer, best first (PCMU,G722)"
    )
    parser.add_argument(
        "--header", action="append", default=[], metavar="NAME:VALUE",
        help="a SIP header for the INVITE (a lead's monitor grant, in tests)",
    )  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if bool(args.target) == args.listen:
        parser.error("give a target to ring, or --listen")

    states: list[CallInfo] = []
    offered: list[CallInfo] = []

    def heard_key(_call: int, digit: str) -> None:
        say(f"KEY {digit}")  # what the desk pressed, for tests

    stack = PjStack(
        Listener(
            incoming=offered.append,
            call_changed=states.append,
            registration=lambda _r: None,
            dtmf=heard_key,
            transfer=lambda _c, _s, _f: None,
            lead_leg=states.append,  # with --header X-AW-Monitor: a lead's leg
        )
    )
    address = stack.start(
        PhoneConfig(
            user=args.number,
            domain=args.domain,
            display_name=args.name,
            bind_address="127.0.0.1",
            port=0,
            accept_transfer=args.accept_transfer,
            transport=Transport(args.transport),
            tls_cert_file=args.tls_cert,
            tls_key_file=args.tls_key,
            tls_ca_file=args.tls_ca,
            srtp=SrtpUse(args.srtp),
            codecs=tuple(c.strip() for c in args.codecs.split(",") if c.strip()),
        )
    )
    # Whoever started us (the demo backend stopping) asks us to go with SIGTERM: leave the
    # loop so ``stop()`` sends the BYE, instead of dying with the desk still on the line.
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda number, _frame: stopping.append(number))
    _media(stack, args, parser)
    answered: set[int] = set()
    later: list[tuple[float, Callable[[], None]]] = []  # (when, what): keys, a late recording
    try:
        if args.listen:
            say(f"LISTENING {address}")
        else:
            headers = dict(h.split(":", 1) for h in args.header)
            stack.dial(args.target, {k.strip(): v.strip() for k, v in headers.items()})
        deadline = time.monotonic() + args.ring_s
        seen = 0
        while time.monotonic() < deadline and not stopping:
            stack.handle_events()
            time.sleep(0.01)
            while offered:
                call = offered.pop(0)
                if call.note:
                    say(f"NOTE {call.note}")  # a warm-transfer note that came with it
                stack.answer(call.call_id)
            for info in states[seen:]:
                if info.state == CallState.CONNECTED and info.call_id not in answered:
                    if not answered:
                        deadline = time.monotonic() + args.talk_s
                    answered.add(info.call_id)
                    say(f"CONNECTED {info.remote_number}")
                    later += _after_connect(stack, args, info.call_id)
            seen = len(states)
            for due in [item for item in later if item[0] <= time.monotonic()]:
                later.remove(due)
                due[1]()
            if answered and not stack.calls() and not stack.lead_legs():
                break
    finally:
        stack.stop()
    return 0 if answered else 1


def _after_connect(
    stack: PjStack, args: argparse.Namespace, call_id: int
) -> list[tuple[float, Callable[[], None]]]:
    """What to do a moment after a call connects: press the keys (once the media has
    settled), start the late recording (--record-from)."""
    now = time.monotonic()
    later: list[tuple[float, Callable[[], None]]] = []
    if args.keys:
        keys, args.keys = args.keys, ""
        later.append((now + 0.5, lambda: stack.send_dtmf(call_id, keys, DtmfMethod.RFC4733)))
    if args.record and args.record_from:
        delay, args.record_from = args.record_from, 0.0
        path = args.record
        later.append((now + delay, lambda: stack.test_audio(0, path)))
    return later


def _media(stack: PjStack, args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """What the calls play (a tone or a prompt) and record."""
    try:
        # With --record-from, the recorder is made later (see main), so what it hears starts then.
        stack.test_audio(args.tone_hz, "" if args.record_from else args.record, args.play)
    except PhoneError as exc:
        stack.stop()
        parser.error(str(exc))


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
