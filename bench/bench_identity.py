"""What reading an INVITE's identity costs, per offered call, on the thread that takes it.

``softphone.identity.read_offer`` runs for every INVITE the phone is offered — in a flood too
(the issue's 300 INVITE/s) — so it is measured on a typical trunk INVITE (P-Asserted-Identity,
Privacy, a queue and a Diversion) beside the From-only parse it replaced (the floor), and on
a poisoned one (36 KiB of headers: a 2,000-character quoted name of escapes, ``<`` and NUL,
hundreds of Diversions and a 300-item PAI; the parser reads its first 16 KiB and 128 header
lines, four times what pjsip lets through)
beside merely splitting that message into lines. The site's dial plan
(what the screen pop looks up) is measured beside the lookup's own E.164 normaliser, which
runs after it on every pop anyway.

    python -m bench.bench_identity --rounds 2000
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench.results import Figure, record
from softphone._pj import display_part, sip_header, user_part
from softphone.dial_plan import DialPlan
from softphone.identity import OfferPolicy, read_offer
from sync.contract.phone import lookup_key

SOURCE = "10.1.2.3:5060"
POLICY = OfferPolicy(
    trusted=("10.1.2.3",), own_users=("agent",), data_headers=("Diversion", "History-Info")
)


def typical() -> str:
    lines = [
        "INVITE sip:agent@10.1.9.20:5062 SIP/2.0",
        "Via: SIP/2.0/UDP 10.1.2.3:5060;branch=z9hG4bK776asdhds;rport",
        "Max-Forwards: 69",
        'From: "Hotline" <sip:4008001234@10.1.2.3>;tag=1928301774',
        "To: <sip:4008001234@10.1.2.3>",
        "Call-ID: a84b4c76e66710@10.1.2.3",
        "CSeq: 314159 INVITE",
        "Contact: <sip:4008001234@10.1.2.3:5060>",
        'P-Asserted-Identity: "王先生" <sip:+8613800138000@10.1.2.3;user=phone>',
        "P-Asserted-Identity: <tel:+8613800138000>",
        "Privacy: none",
        "X-Queue: 医疗设备热线 Medical hotline",
        "Diversion: <sip:4008009999@10.1.2.3>;reason=unconditional;counter=1",
        "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, INFO, UPDATE",
        "Supported: replaces, timer",
        "Content-Type: application/sdp",
        "Content-Length: 142",
    ]
    sdp = "v=0\r\no=- 1 1 IN IP4 10.1.2.3\r\ns=-\r\nc=IN IP4 10.1.2.3\r\nt=0 0\r\n"
    return "\r\n".join(lines) + "\r\n\r\n" + sdp + "m=audio 4000 RTP/AVP 0 8 101\r\n"


def poisoned() -> str:
    name = ('\\"<' * 300 + "\x00" + "长" * 2000)[:2000]
    lines = [
        "INVITE sip:agent@10.1.9.20:5062 SIP/2.0",
        f'From: "{name}" <sip:13800138000@10.1.2.3>;tag=1',
        "To: <sip:agent@10.1.9.20>",
        *[f"Diversion: <sip:{n:011d}@10.1.2.3>;reason=deflection" for n in range(500)],
        "P-Asserted-Identity: " + ", ".join(f"<sip:{n}@x>" for n in range(300)),
    ]
    return ("\r\n".join(lines))[: 64 * 1024] + "\r\n\r\n"


def from_only(message: str) -> tuple[str, str]:
    """What the phone read before: the From header's user and name."""
    value = sip_header(message, "From") or ""
    return user_part(value), display_part(value)


def per_call_us(work: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Median and p95 microseconds of ``work``, in batches of 10 calls."""
    samples = []
    for _ in range(max(1, rounds // 10)):
        start = time.perf_counter()
        for _ in range(10):
            work()
        samples.append((time.perf_counter() - start) / 10 * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    rounds = args.rounds
    normal, poison = typical(), poisoned()
    plan = DialPlan(area_code="10")
    numbers = ["65295114", "1795113800138000", "+8613800138000", "2301", "01065295114"]

    offer_us, offer_p95 = per_call_us(lambda: read_offer(normal, SOURCE, POLICY), rounds)
    old_us, _ = per_call_us(lambda: from_only(normal), rounds)
    poison_us, poison_p95 = per_call_us(lambda: read_offer(poison, SOURCE, POLICY), rounds // 10)
    split_us, _ = per_call_us(lambda: poison.split("\r\n"), rounds // 10)
    # The most pjsip hands over: a message of PJSIP_MAX_PKT_LEN (4,000 bytes).
    deliverable = poison.encode()[:4000].decode(errors="ignore") + "\r\n\r\n"
    worst_us, worst_p95 = per_call_us(lambda: read_offer(deliverable, SOURCE, POLICY), rounds // 10)
    plan_us, _ = per_call_us(lambda: [plan.lookup_number(n) for n in numbers], rounds)
    key_us, _ = per_call_us(lambda: [lookup_key(n) for n in numbers], rounds)
    per_second = 1e6 / worst_p95
    poisoned_what = f"identity of a poisoned {len(poison) // 1024} KiB INVITE"
    figures = [
        Figure("identity of a trunk INVITE (PAI, Privacy, queue)", offer_us, "µs",
               old_us, "From only, as before", "≤ 100 µs",
               {"p95": offer_p95}),
        Figure(poisoned_what, poison_us, "µs", split_us,
               "splitting it into lines", "bounded", {"p95": poison_p95}),
        Figure("poisoned 4,000-byte INVITEs one core reads a second (p95)", per_second, "/s", 300.0,
               "the flood test's 300 INVITE/s", "≥ 10× the flood",
               {"median_us": worst_us, "p95_us": worst_p95}),
        Figure("one core's share at 300 trunk INVITEs/s", offer_p95 * 300 / 1e4, "%",
               100.0, "the whole core", "≤ 5 %"),
        Figure("dial plan for 5 caller ids", plan_us, "µs", key_us,
               "their E.164 lookup keys (libphonenumber)", "below the floor"),
    ]  # fmt: skip
    record("identity", figures, {"rounds": rounds, "typical_bytes": len(normal.encode()),
                                 "poisoned_bytes": len(poison.encode())})  # fmt: skip


if __name__ == "__main__":
    main()
