"""Core speed benchmark: prints one line per measurement with its median and its ratio to the target.

    python bench/bench_core.py [--runs 7]

(a) intake.parse of a 1 MB pasted conversation (target 100 ms);
(b) diagnosis.diagnose over 10,000 attempts (1,000 to the destination, 9,000 from the same caller ID to
    other numbers; target 50 ms), plus classify_all and the whole pipeline.analyse over the same attempts
    for context. Data is generated deterministically (fixed seed), so runs compare.
A ratio below 1.0 meets the target.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sipsight.core.models import Attempt, OutcomeClass, Query

DEST = "+13035550199"
CALLER = "+17205550100"
START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
INTAKE_TARGET_S = 0.100
DIAGNOSE_TARGET_S = 0.050

_LINES = [
    "Hi, I spoke with the seller at ({area}) 555-01{n:02d} a few times, but now it goes straight to voicemail.",
    "My caller ID is 720-555-0100 and I'm calling from the CRM dialer.",
    "Support: Thanks! Could you check whether this happens with other numbers or just this one?",
    "I saw error 608 and sometimes 603 Network Blocked, also Q.850 cause 21 in the log.",
    "It rings once then drops; yesterday it said the number is not in service.",
    "Twilio error 21215 showed up too. Calls to +1 {area} 555 01{n:02d} are busy or fail.",
    "See https://app.intercom.com/a/inbox/abc123/inbox/shared/all/conversation/2154691084{n:02d}",
    "Is it spam likely? My phone shows an error icon about 2 hours ago.",
    # most of a long thread is prose, greetings, signatures and quoted replies
    "Thanks for getting back to me so quickly, I really appreciate the help with this.",
    "Best regards, Jordan -- Sent from my phone. Please excuse any typos.",
    "> On Monday the team wrote: we'll hit this one in the morning, let me know what you find.",
    "I have been working these leads for a couple of weeks and most of the sellers were friendly.",
]


def conversation(size: int = 1_000_000, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        line = rng.choice(_LINES).format(area=rng.choice(["303", "720", "212", "415"]), n=rng.randrange(100))
        parts.append(line)
        total += len(line) + 1
    return "\n".join(parts)[:size]


def attempts(count: int = 10_000, to_destination: int = 1_000, seed: int = 11) -> tuple[list[Attempt], list[Attempt]]:
    """Unclassified attempts (outcome UNKNOWN): a mix of connects, voicemail, blocks, busy and failures."""
    rng = random.Random(seed)
    shapes = [
        {"provider_status": "completed", "sip_code": 200, "answered_by": "human", "duration_s": 95.0, "ring_s": 9.0},
        {
            "provider_status": "completed",
            "sip_code": 200,
            "answered_by": "machine_start",
            "duration_s": 5.0,
            "ring_s": 1.0,
        },
        {"provider_status": "failed", "sip_code": 608, "sip_reason": "Rejected", "q850_cause": 21, "ring_s": 0.4},
        {"provider_status": "failed", "sip_code": 603, "sip_reason": "Network Blocked", "ring_s": 0.5},
        {"provider_status": "busy", "sip_code": 486, "q850_cause": 17},
        {"provider_status": "no-answer", "sip_code": 480, "ring_s": 30.0},
        {"provider_status": "failed", "sip_code": 404, "q850_cause": 1},
        {"provider_status": "canceled", "sip_code": 487, "ring_s": 12.0},
        {"provider_status": "failed", "sip_code": 503, "q850_cause": 34},
    ]
    dest, others = [], []
    for i in range(count):
        to_dest = i < to_destination
        shape = rng.choice(shapes[:4] if to_dest else shapes)
        attempt = Attempt.model_validate(
            {
                "id": f"CAbench{i:06d}",
                "start_time": START + timedelta(seconds=i * 97),
                "from": CALLER,
                "to": DEST if to_dest else f"+1720555{rng.randrange(101, 200):04d}",
                "provider": "twilio",
                "carrier": rng.choice(["Example Mobile", "Example Wireless"]),
                "outcome": OutcomeClass.UNKNOWN,
                **shape,
            }
        )
        (dest if to_dest else others).append(attempt)
    return dest, others


def measure(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up: caches (knowledge base, templates) load once per process, not per lookup
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def report(name: str, seconds: float, target: float | None) -> None:
    if target is None:
        print(f"{name:<58} median {seconds * 1000:8.1f} ms")
    else:
        verdict = "ok" if seconds <= target else "SLOW"
        print(
            f"{name:<58} median {seconds * 1000:8.1f} ms  target {target * 1000:5.0f} ms  "
            f"ratio {seconds / target:5.2f}  {verdict}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement (median is printed)")
    args = parser.parse_args(argv)

    from sipsight.core.diagnosis import diagnose
    from sipsight.core.intake import parse
    from sipsight.core.knowledge import classify_all
    from sipsight.core.lookup import analyse

    text = conversation()
    report(
        f"(a) intake.parse, {len(text.encode()) / 1e6:.1f} MB conversation",
        measure(lambda: parse(text), args.runs),
        INTAKE_TARGET_S,
    )

    dest, others = attempts()
    total = len(dest) + len(others)
    dest_c, others_c = classify_all(dest), classify_all(others)
    report(
        f"(b) diagnosis.diagnose, {total:,} attempts (classified)",
        measure(lambda: diagnose(dest_c, others_c), args.runs),
        DIAGNOSE_TARGET_S,
    )
    report(
        f"    classify_all, {total:,} attempts",
        measure(lambda: (classify_all(dest), classify_all(others)), args.runs),
        None,
    )
    query = Query(destination=DEST, caller_id=CALLER, since=START)
    report(
        f"    pipeline.analyse (classify+diagnose+replies), {total:,}",
        measure(lambda: analyse(query, dest, others, provider="twilio"), args.runs),
        None,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
